from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import database_description, fail, require_migrated


class Command(Base):
    help = (
        "Write a backup to the new folder OUT while the server runs: a consistent copy of the database "
        "(SQLite's backup API, or pg_dump on PostgreSQL), the log key and the generated secret key (mode 600), "
        "the evidence files, and manifest.json with the SHA-256 of every file, the record's size and root, "
        "and the versions. `ceasefire restore OUT` restores it. OUT holds secrets: keep it as you keep the data folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", metavar="OUT", help="the folder to write; it must not exist")

    def handle(self, *args, out, **options):
        from ceasefire.record import backup

        require_migrated()
        self.note(f"backup of {database_description()} to {out} …")
        try:
            taken = backup.take(Path(out), say=lambda text: self.note(f"  {text}"))
        except backup.Refused as e:
            raise fail(str(e)) from None
        for warning in taken.warnings:
            self.stderr.write(f"ceasefire backup: warning: {warning}")
        found = taken.facts
        self.say(
            f"wrote {taken.out}: the record's {found.size:,} entries (root {found.root}), {taken.evidence:,} evidence files, "
            f"{taken.files:,} files in all"
        )
        if taken.secrets:
            self.say(
                f"  secret files (mode 600): {', '.join(taken.secrets)}; keep the backup as secret as the data folder"
            )
        self.say(f"  manifest.json SHA-256: {taken.manifest_sha256} (note it apart from the backup)")
        self.say(f"  restore it with: ceasefire restore {taken.out}")
