import csv
import time
from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated

CHUNK = 1000  # rows filed per log.batch()
SHOWN = 20  # problems printed; the rest are counted


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back what it filed."""


class Command(Base):
    help = (
        "import acled FILE --as USERNAME [--dry-run] [--skip-bad REJECTS.csv]: files each row of an ACLED CSV "
        "file (the current columns or the older layout) as a report from a dataset source, in the name of "
        "USERNAME (the facilitator): a claim of the dataset, with its precision codes, never a finding. A row "
        "imported already (by its event_id_cnty) is skipped, so importing a file again changes nothing. Each "
        "problem is named with its line. All or nothing: one bad row and nothing is written, unless --skip-bad "
        "writes the bad rows to REJECTS.csv (with their line and problem) and imports the others. --dry-run "
        "checks everything, files every row in a transaction it then rolls back, and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["acled"], help="the file's layout: acled")
        parser.add_argument("file", metavar="FILE", help="the CSV file (UTF-8)")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the facilitator's account the reports are filed in the name of",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--skip-bad", metavar="REJECTS", help="import the good rows; write the bad ones to this new CSV file"
        )

    def handle(self, *args, kind, file, username, dry_run, skip_bad, **options):
        from django.contrib.auth import get_user_model
        from django.db import transaction

        from ceasefire.errors import CommandError
        from ceasefire.incidents import commands, imports
        from ceasefire.mechanism.accounts import actor_for
        from ceasefire.mechanism.commands import require_facilitator
        from ceasefire.record import log

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        require_facilitator(actor)
        source = Path(file)
        if not source.is_file():
            raise fail(f"{file}: no such file")
        rejects = Path(skip_bad) if skip_bad else None
        if rejects is not None and (rejects.exists() or rejects.is_symlink()):
            raise fail(f"{skip_bad} exists already: give a new file for the rejected rows")

        mapper = imports.Mapper()
        problems: list = []
        counts = {"read": 0, "imported": 0, "already": 0}
        started = shown = time.monotonic()
        header: list = []

        def progress(final: bool = False) -> None:
            nonlocal shown
            now = time.monotonic()
            if not final and now - shown < 0.5:
                return
            shown = now
            rate = counts["read"] / max(now - started, 1e-6)
            self.note(
                f"  {counts['read']:,} rows read, {counts['imported']:,} filed, {counts['already']:,} imported before, "
                f"{len(problems):,} refused ({rate:,.0f} rows/s)"
            )

        def file_chunk(chunk: list) -> None:
            with log.batch():
                for line, ident, data, row in chunk:
                    try:
                        report = commands.import_report(actor, data, f"{imports.DATASET}:{ident}")
                    except CommandError as e:  # refused before writing: the batch goes on
                        said = "; ".join(f"{f}: {m}" if f else str(m) for f, m in e.errors)
                        problems.append(imports.Problem(line, said, row))
                        continue
                    counts["imported" if report is not None else "already"] += 1

        try:
            with open(source, "rb") as binary, transaction.atomic():
                chunk: list = []
                for line, ident, data, row in imports.read(binary, mapper):
                    if line == 1 and isinstance(data, imports.Refused):  # the header itself
                        problems.append(imports.Problem(1, str(data), row))
                        break
                    counts["read"] += 1
                    if isinstance(data, imports.Refused):
                        problems.append(imports.Problem(line, str(data), row))
                    elif problems and rejects is None:
                        pass  # all or nothing: nothing more is filed, the rest is only checked
                    else:
                        chunk.append((line, ident, data, row))
                        if len(chunk) == CHUNK:
                            file_chunk(chunk)
                            chunk = []
                    progress()
                if chunk and not (problems and rejects is None):
                    file_chunk(chunk)
                progress(final=True)
                header = _header(source)
                if problems and rejects is None:
                    raise _DryRun()  # roll back: all or nothing
                if dry_run:
                    raise _DryRun()
        except _DryRun:
            pass

        for p in sorted(problems, key=lambda p: p.line)[:SHOWN]:
            self.note(f"{source.name}: {p}")
        if len(problems) > SHOWN:
            self.note(f"{source.name}: ... and {len(problems) - SHOWN:,} more problems")
        if rejects is not None and problems:
            with open(rejects, "x", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["line", "problem", *header])
                for p in sorted(problems, key=lambda p: p.line):
                    writer.writerow([p.line, p.message, *p.row])
        elapsed = time.monotonic() - started
        summary = (
            f"{counts['imported']:,} reports filed, {counts['already']:,} rows imported before, "
            f"{len(problems):,} refused, from {counts['read']:,} rows of {source.name} in {elapsed:.1f} s"
        )
        if problems and rejects is None:
            raise fail(
                f"nothing imported: {len(problems):,} row(s) refused (fix them, or --skip-bad REJECTS.csv imports the others)"
            )
        if dry_run:
            self.say(f"dry run, nothing written: {summary.replace('filed', 'would be filed', 1)}")
            return
        self.say(summary + (f"; the refused rows are in {rejects}" if rejects is not None and problems else ""))


def _header(path: Path) -> list:
    """The file's header row as written (for the file of rejected rows)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return next(csv.reader(f), [])
    except (UnicodeDecodeError, csv.Error):
        return []
