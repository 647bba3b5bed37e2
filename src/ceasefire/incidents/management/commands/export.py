import os
import sys
import time
from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated

FORMATS = ("acled", "ucdp", "hxl", "geojson", "xlsx")


class Command(Base):
    help = (
        "Writes the reports USERNAME may read, with the list's filters, to FILE as ACLED-compatible CSV, "
        "UCDP-GED-style CSV, HXL-tagged CSV, GeoJSON or XLSX (docs/exchange.md documents the columns). Progress "
        "and the state of the record the file was read from (checkpoint size=N root=BASE64 [signed=M]) go "
        "to stderr. FILE must not exist yet (`-` writes to stdout); it appears whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, help="acled, ucdp, hxl, geojson or xlsx")
        parser.add_argument(
            "--out", required=True, metavar="FILE", help="a file that does not exist yet, or - for stdout"
        )
        parser.add_argument("--as", dest="username", required=True, help="the account whose reading the export is")
        filters = parser.add_argument_group("filters (those of the report list)")
        filters.add_argument("--status", help="a stage of the chain, e.g. received, concluded")
        filters.add_argument("--category", help="a typology code, e.g. shelling")
        filters.add_argument("--alleged-party", metavar="CODE", help="a party code, e.g. east")
        filters.add_argument("--occurred-from", metavar="YYYY-MM-DD")
        filters.add_argument("--occurred-to", metavar="YYYY-MM-DD")
        filters.add_argument("--bbox", metavar="MINLON,MINLAT,MAXLON,MAXLAT")
        filters.add_argument(
            "--text", metavar="WORDS", help="words in the title, narrative, place or unit, or a reference"
        )
        filters.add_argument("--overdue", action="store_true", help="only reports past the target of their stage")

    def handle(self, *args, format, out, username, **options):
        from django.contrib.auth import get_user_model

        from ceasefire.incidents import exchange, queries
        from ceasefire.mechanism.accounts import actor_for

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        filters = queries.Filters.parse(
            {
                "status": options["status"],
                "category": options["category"],
                "alleged_party": options["alleged_party"],
                "occurred_from": options["occurred_from"],
                "occurred_to": options["occurred_to"],
                "bbox": options["bbox"],
                "q": options["text"],
                "overdue": "true" if options["overdue"] else "",
            }
        )
        to_stdout = out == "-"
        target = Path(out)
        if not to_stdout and (target.exists() or target.is_symlink()):
            raise fail(f"{out} exists already: give a new file")
        if not to_stdout and not target.parent.is_dir():
            raise fail(f"{target.parent} is not a folder")

        started = time.monotonic()
        shown = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if now - shown[0] < 0.5 and done < total:
                return
            shown[0] = now
            rate = done / max(now - started, 1e-6)
            self.note(f"  {done:,} of {total:,} reports ({rate:,.0f}/s)")

        checkpoint, pieces = exchange.export(actor, filters, format, progress)
        self.note(f"checkpoint {checkpoint.header()}")
        partial = target.with_name(f".{target.name}.partial") if not to_stdout else None
        try:
            binary = format in exchange.BINARY
            if to_stdout:
                stream = sys.stdout.buffer if binary else sys.stdout
                for piece in pieces:
                    stream.write(piece)
                stream.flush()
            else:
                # newline="": the CSV writers end their lines with \r\n themselves (RFC 4180)
                with open(partial, "xb") if binary else open(partial, "x", encoding="utf-8", newline="") as stream:
                    for piece in pieces:
                        stream.write(piece)
                os.replace(partial, target)
        except BaseException:
            pieces.close()
            if partial is not None:
                partial.unlink(missing_ok=True)
            raise
        elapsed = time.monotonic() - started
        done = f"exported as {format} in {elapsed:.1f} s" + ("" if to_stdout else f" to {target}")
        (self.note if to_stdout else self.say)(done)
