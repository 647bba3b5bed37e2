import csv
import time
from pathlib import Path

from django.utils.translation import gettext as _  # the command line's language (cli.py sets it)

from ceasefire.incidents.imports import FIELDS
from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated

SHOWN = 20  # problems printed; the rest are counted


class Command(Base):
    help = (
        "import acled|ucdp FILE --as USERNAME, or import csv|xlsx FILE --mapping MAP.json [--column FIELD=COLUMN] "
        "[--dataset NAME] --as USERNAME; each with [--dry-run] [--skip-bad REJECTS.csv]: files each row of an ACLED "
        "CSV file (the current columns or the older layout), a UCDP GED CSV file, or any CSV file or XLSX workbook "
        "read through a column mapping, as a report from a dataset source, in the name of USERNAME (the "
        "facilitator): a claim of the dataset, with its precision codes, never a finding. A row imported already "
        "(by its id in the dataset) is skipped, so importing a file again changes nothing. Each problem is named with its line and column. All or nothing: "
        "one bad row and nothing is written, unless --skip-bad writes the bad rows to REJECTS.csv (with their "
        "line and problem) and imports the others, or --batch N commits every N rows so that an interrupted import "
        "run again goes on where it stopped. --dry-run checks everything, files every row in a transaction "
        "it then rolls back, and writes nothing. docs/exchange.md documents the layouts and the mapping."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=["acled", "ucdp", "csv", "xlsx"],
            help="the file's layout: acled, ucdp (UCDP GED), csv or xlsx (read through --mapping)",
        )
        parser.add_argument(
            "file", metavar="FILE", help="the CSV file (UTF-8) or XLSX workbook (its first sheet, or --sheet)"
        )
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
        parser.add_argument(
            "--sheet", metavar="NAME", help="xlsx: the sheet to read (over the mapping's; the first by default)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--batch",
            metavar="N",
            type=int,
            help="commit every N rows, so that an interrupted import run again goes on where it stopped "
            "(not all or nothing: a refused row stops the import at its batch, the batches before it stay)",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show the progress (rows/s, time left) on stderr even when it is not a terminal",
        )
        parser.add_argument(
            "--skip-bad", metavar="REJECTS", help="import the good rows; write the bad ones to this new CSV file"
        )

    def handle(
        self,
        *args,
        kind,
        file,
        username,
        dry_run,
        skip_bad,
        mapping,
        column,
        dataset,
        sheet,
        batch,
        progress,
        **options,
    ):
        from django.contrib.auth import get_user_model

        from ceasefire.incidents import imports
        from ceasefire.incidents.commands import import_refusal
        from ceasefire.mechanism.accounts import actor_for

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(
                _("no account on the committee named %(name)r (ceasefire user list shows them)") % {"name": username}
            )
        refusal = import_refusal(actor)
        if refusal is not None:
            raise refusal
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
        if sheet is not None:
            if kind != "xlsx":
                raise fail(_("--sheet is for xlsx"))
            layout.sheet = sheet
        if batch is not None and batch < 1:
            raise fail(_("--batch: give a number of rows, 1 or more"))
        size = source.stat().st_size
        started = shown = time.monotonic()
        stream = getattr(self.stderr, "_out", self.stderr)
        showing = progress or (hasattr(stream, "isatty") and stream.isatty())

        def show(run, part: float, final: bool) -> None:
            nonlocal shown
            now = time.monotonic()
            if not showing or (not final and now - shown < 0.5):
                return
            shown = now
            self.note(_progress(run, part, final, now - started))

        run = imports.Import(
            actor, layout, dry_run=dry_run, skip_bad=rejects is not None, batch=batch or 0, progress=show
        )
        try:
            with open(source, "rb") as binary:
                rows, where = imports.table(kind, binary, layout, size)
                run.run(rows, where, ragged=kind == "xlsx")
        except KeyboardInterrupt:
            if run.committed:
                raise fail(
                    _(
                        "interrupted: %(n)s rows committed, up to line %(line)s; run the same command again to go on "
                        "(the rows imported already are skipped)"
                    )
                    % {"n": f"{run.committed:,}", "line": run.last},
                    130,
                ) from None
            raise fail(
                _("interrupted: nothing imported (all or nothing; --batch N commits every N rows as it goes)"), 130
            ) from None
        problems, header, counts = (
            run.problems,
            run.header,
            {"read": run.read, "imported": run.imported, "already": run.already},
        )

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
        if problems and rejects is None and run.committed:
            raise fail(
                _(
                    "%(refused)s row(s) refused: the import stopped at the batch holding line %(line)s; %(committed)s "
                    "rows of the batches before it are committed. Fix the file and run the same command again: the "
                    "rows imported already are skipped"
                )
                % {**numbers, "line": problems[0].line, "committed": f"{run.committed:,}"}
            )
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


def _progress(run, part: float, final: bool, elapsed: float) -> str:
    elapsed = max(elapsed, 1e-6)
    rate = (run.imported + run.already + len(run.problems)) / elapsed  # rows through
    part = 1.0 if final else part
    bar = "#" * int(part * 20)
    left = _(", %(time)s left") % {"time": _duration(elapsed * (1 - part) / part)} if 0 < part < 1 else ""
    said = _(
        "%(read)s rows read, %(filed)s filed, %(before)s imported before, %(refused)s refused (%(rate)s rows/s%(left)s)"
    ) % {
        "read": f"{run.read:,}",
        "filed": f"{run.imported:,}",
        "before": f"{run.already:,}",
        "refused": f"{len(run.problems):,}",
        "rate": f"{rate:,.0f}",
        "left": left,
    }
    return f"  [{bar:<20}] {part:4.0%} {said}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )
