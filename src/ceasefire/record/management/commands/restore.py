from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail


class Command(Base):
    help = (
        "Restore the backup IN (the folder `ceasefire backup` wrote) into the configured database and data "
        "folder, which must be empty. Every file is first checked against the backup's manifest: a backup that "
        "does not verify is refused, naming the file, and nothing is changed. After the restore it runs "
        "replay --check and the record's own verification, and exits 1 if either fails. Stop the server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", metavar="IN", help="the backup folder")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="restore over a target that is not empty: its SQLite database, keys and evidence folder are set aside "
            "as NAME.before-restore-TIME; on PostgreSQL the objects the backup holds are dropped and made again",
        )
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="only check the backup against its manifest; restore nothing",
        )

    def handle(self, *args, src, replace=False, check_only=False, **options):
        from ceasefire.record import backup

        def say(text):
            self.note(f"  {text}")

        try:
            checked = backup.check(Path(src), say)
            m = checked.manifest
            self.say(
                f"{src}: every file matches its manifest (SHA-256 {checked.manifest_sha256}): a {m['database']['vendor']} "
                f"backup of {m['record']['size']:,} entries, taken {m.get('created', '?')} by ceasefire "
                f"{m.get('versions', {}).get('ceasefire', '?')}"
            )
            if check_only:
                return
            restored = backup.restore(Path(src), checked, replace, say)
        except backup.Refused as e:
            raise fail(str(e)) from None
        for kept in restored.set_aside:
            self.say(f"  set aside: {kept}")
        if restored.migrated:
            self.say(f"  applied {restored.migrated} migrations the backup predates")
        for text in restored.notes:
            self.say(f"  note: {text}")
        verdict = backup.verify_restored(restored.manifest, say)
        for line in verdict.lines:
            self.say(line)
        size = restored.manifest["record"]["size"]
        if not verdict.ok:
            raise fail(f"restored {src}, but the checks above did not all pass: do not serve it before you know why", 1)
        self.say(
            f"restored {src}: the record's {size:,} entries, as the backup took them. Anything appended after the backup "
            "is not in it; the parties' witnesses hold what they copied."
        )
