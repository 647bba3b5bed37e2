import csv
import time
from pathlib import Path

from django.utils.translation import gettext as _  # the command line's language (cli.py sets it)

from ceasefire.incidents.imports import FIELDS
from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated

CHUNK = 1000  # rows filed per log.batch()
SHOWN = 20  # problems printed; the rest are counted


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back what it filed."""


class Command(Base):
    help = (
        "import acled|ucdp FILE --as USERNAME, or import csv|xlsx FILE --mapping MAP.json [--column FIELD=COLUMN] "
        "[--dataset NAME] --as USERNAME; each with [--dry-run] [--skip-bad REJECTS.csv]: files each row of an ACLED "
        "CSV file (the current columns or the older layout), a UCDP GED CSV file, or any CSV file or XLSX workbook "
        "read through a column mapping, as a report from a dataset source, in the name of USERNAME (the "
        "facilitator): a claim of the dataset, with its precision codes, never a finding. A row imported already "
        "(by its id in the dataset) is skipped, so importing a file again changes nothing, and an interrupted "
        "import is resumed by running it again. Each problem is named with its line and column. All or nothing: "
        "one bad row and nothing is written, unless --skip-bad writes the bad rows to REJECTS.csv (with their "
        "line and problem) and imports the others. --dry-run checks everything, files every row in a transaction "
        "it then rolls back, and writes nothing. docs/exchange.md documents the layouts and the mapping."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=["acled", "ucdp", "csv", "xlsx"],
            help="the file's layout: acled, ucdp (UCDP GED), csv or xlsx (read through --mapping)",
        )
        parser.add_argument("file", metavar="FILE", help="the CSV file (UTF-8) or XLSX workbook (its first sheet)")
        parser.add_argument(
            "--mapping",
            metavar="MAP.json",
            help='csv and xlsx: {"dataset": NAME, "columns": {FIELD: COLUMN, ...}, "categories": {VALUE: CODE}, '
            '"date_format": "%%d/%%m/%%Y"}; the fields: ' + ", ".join(FIELDS),
        )
        parser.add_argument(
            "--column",
            metavar="FIELD=COLUMN",
            action="append",
            default=[],
            help="csv and xlsx: the file's column holding FIELD (again for each field; over the mapping's)",
        )
        parser.add_argument("--dataset", metavar="NAME", help="csv and xlsx: the dataset's name (over the mapping's)")
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

    def handle(self, *args, kind, file, username, dry_run, skip_bad, mapping, column, dataset, **options):
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
            raise fail(
                _("no account on the committee named %(name)r (ceasefire user list shows them)") % {"name": username}
            )
        require_facilitator(actor)
        source = Path(file)
        if not source.is_file():
            raise fail(_("%(file)s: no such file") % {"file": file})
        rejects = Path(skip_bad) if skip_bad else None
        if rejects is not None and (rejects.exists() or rejects.is_symlink()):
            raise fail(_("%(file)s exists already: give a new file for the rejected rows") % {"file": skip_bad})

        if kind in imports.LAYOUTS:
            if mapping or column or dataset:
                raise fail(
                    _("--mapping, --column and --dataset are for csv and xlsx; %(kind)s has its own columns")
                    % {"kind": kind}
                )
            layout = imports.LAYOUTS[kind]()
        else:
            if not (mapping or column):
                raise fail(
                    _("%(kind)s: give the column mapping (--mapping MAP.json, or --column FIELD=COLUMN)")
                    % {"kind": kind}
                )
            try:
                text = Path(mapping).read_text(encoding="utf-8") if mapping else ""
            except (OSError, UnicodeDecodeError) as e:
                raise fail(_("%(file)s: cannot be read (%(error)s)") % {"file": mapping, "error": e}) from None
            try:
                layout = imports.Table.load(text, column, dataset)
            except imports.Refused as e:
                raise fail(f"{mapping or '--column'}: {e}") from None
        mapper = imports.Mapper()
        size = source.stat().st_size
        problems: list = []
        counts = {"read": 0, "imported": 0, "already": 0}
        started = shown = time.monotonic()
        header: list = []
        done = [0.0]  # the part of the file read, 0 to 1

        def progress(final: bool = False) -> None:
            nonlocal shown
            now = time.monotonic()
            if not final and now - shown < 0.5:
                return
            shown = now
            elapsed = max(now - started, 1e-6)
            rate = (counts["imported"] + counts["already"] + len(problems)) / elapsed  # rows through
            part = 1.0 if final else done[0]
            bar = "#" * int(part * 20)
            left = _(", %(time)s left") % {"time": _duration(elapsed * (1 - part) / part)} if 0 < part < 1 else ""
            said = _(
                "%(read)s rows read, %(filed)s filed, %(before)s imported before, %(refused)s refused "
                "(%(rate)s rows/s%(left)s)"
            ) % {
                "read": f"{counts['read']:,}",
                "filed": f"{counts['imported']:,}",
                "before": f"{counts['already']:,}",
                "refused": f"{len(problems):,}",
                "rate": f"{rate:,.0f}",
                "left": left,
            }
            self.note(f"  [{bar:<20}] {part:4.0%} {said}")

        def file_chunk(chunk: list) -> None:
            with log.batch():
                for line, ident, data, row, part in chunk:
                    # Filing is what takes the time: the bar moves as rows are filed, not as read.
                    done[0] = part
                    progress()
                    try:
                        report = commands.import_report(actor, data, f"{layout.dataset}:{ident}")
                    except CommandError as e:  # refused before writing: the batch goes on
                        said = "; ".join(f"{f}: {m}" if f else str(m) for f, m in e.errors)
                        problems.append(imports.Problem(line, said, row))
                        continue
                    counts["imported" if report is not None else "already"] += 1

        try:
            with open(source, "rb") as binary, transaction.atomic():
                if kind == "xlsx":
                    rows: dict = {}
                    table = imports.xlsx_table(binary, rows)

                    def where(line: int) -> float:
                        return min(line / rows["rows"], 1.0) if rows.get("rows") else 0.0
                else:
                    table = imports.csv_table(binary)

                    def where(line: int) -> float:
                        return binary.tell() / size if size else 1.0

                chunk: list = []
                for line, ident, data, row in imports.read(table, layout, mapper, header, ragged=kind == "xlsx"):
                    part = where(line)
                    if line == 1 and isinstance(data, imports.Refused):  # the header itself
                        problems.append(imports.Problem(1, str(data), row))
                        break
                    counts["read"] += 1
                    if isinstance(data, imports.Refused):
                        problems.append(imports.Problem(line, str(data), row))
                        done[0] = part
                    elif problems and rejects is None:
                        done[0] = part  # all or nothing: nothing more is filed, the rest is only checked
                    else:
                        chunk.append((line, ident, data, row, part))
                        if len(chunk) == CHUNK:
                            file_chunk(chunk)
                            chunk = []
                    progress()
                if chunk and not (problems and rejects is None):
                    file_chunk(chunk)
                progress(final=True)
                if problems and rejects is None:
                    raise _DryRun()  # roll back: all or nothing
                if dry_run:
                    raise _DryRun()
        except _DryRun:
            pass

        for p in sorted(problems, key=lambda p: p.line)[:SHOWN]:
            self.note(f"{source.name}: {p}")
        if len(problems) > SHOWN:
            self.note(f"{source.name}: " + _("... and %(n)s more problems") % {"n": f"{len(problems) - SHOWN:,}"})
        if rejects is not None and problems:
            with open(rejects, "x", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["line", "problem", *header])
                for p in sorted(problems, key=lambda p: p.line):
                    writer.writerow([p.line, p.message, *p.row])
        elapsed = time.monotonic() - started
        numbers = {
            "filed": f"{counts['imported']:,}",
            "before": f"{counts['already']:,}",
            "refused": f"{len(problems):,}",
            "read": f"{counts['read']:,}",
            "file": source.name,
            "seconds": f"{elapsed:.1f}",
        }
        if problems and rejects is None:
            raise fail(
                _(
                    "nothing imported: %(refused)s row(s) refused (fix them, or --skip-bad REJECTS.csv imports the others)"
                )
                % numbers
            )
        if dry_run:
            self.say(
                _(
                    "dry run, nothing written: %(filed)s reports would be filed, %(before)s rows imported before, "
                    "%(refused)s refused, from %(read)s rows of %(file)s in %(seconds)s s"
                )
                % numbers
            )
            return
        summary = (
            _(
                "%(filed)s reports filed, %(before)s rows imported before, %(refused)s refused, from %(read)s rows "
                "of %(file)s in %(seconds)s s"
            )
            % numbers
        )
        if rejects is not None and problems:
            summary += _("; the refused rows are in %(file)s") % {"file": rejects}
        self.say(summary)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )
