"""Building a situation report: its figures from one state of the record, then the page (HTML) and
the PDF, in Arabic or English.

The PDF is typeset by WeasyPrint (Pango and HarfBuzz shape the Arabic) in DejaVu Sans, the font of
Debian's fonts-dejavu-core, which the PDF embeds (subset) and names with its licence. It carries its
figures and the checkpoint they were computed from as an attached file, `sitrep.json`, which
`ceasefire sitrep verify REPORT.pdf BUNDLE` recomputes (check.py).
"""

import base64
import datetime as dt
import glob
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from ceasefire.record import checkpoints, log

from . import svg
from .figures import Period, Sitrep, compute

FORMAT = "ceasefire-sitrep v1"
ATTACHMENT = "sitrep.json"
STYLESHEET = Path(__file__).with_name("static") / "sitrep" / "print.css"
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/**/DejaVuSans.ttf")
FONT_LICENCE = (
    "DejaVu Sans (Debian package fonts-dejavu-core): Bitstream Vera Fonts licence, DejaVu changes in the "
    "public domain; Arev glyphs under the Bitstream Vera licence. Embedded as a subset."
)


class Unavailable(RuntimeError):
    """The PDF cannot be made on this machine: the message says what to install."""


def now() -> dt.datetime:
    """The instant a report is built at, to the second: what it states and what verify uses."""
    return log._clock().astimezone(dt.UTC).replace(microsecond=0)


def snapshot(reader: str, period: Period, as_of: dt.datetime | None = None) -> Sitrep:
    """The figures from one state of the record, and the checkpoint of that state: under the
    record's lock, so that no entry is appended between the checkpoint and the last figure."""
    as_of = as_of or now()
    with transaction.atomic():
        size = log._lock()
        cp = checkpoints.sign(size)
        s = compute(reader, period, as_of)
    s.checkpoint = (cp.size, base64.b64encode(bytes(cp.root)).decode())
    return s


def live(reader: str, period: Period, as_of: dt.datetime | None = None) -> Sitrep:
    """The figures as the record stands, without signing a checkpoint (the page)."""
    return compute(reader, period, as_of or now())


# ---------------------------------------------------------------- the page and the PDF


def _url(line) -> str:
    link = line.link
    if link is None:
        return ""
    if not link.page:
        return f"#{link.anchor}"
    url = reverse(link.page, args=link.args)
    return url + ("?" + urlencode(link.params) if link.params else "")


def context(s: Sitrep, links: bool) -> dict:
    """What the report's template shows: each line with the URL of what it counts (links=False in
    the PDF, which has no server to link to)."""
    for lines in s.sections.values():
        for line in lines:
            line.url = _url(line) if links else ""
    for _corner, line in s.cells:
        line.url = _url(line) if links else ""
    for _agreement, lines, themes in s.agreements:
        for line in lines + [x for _t, theme in themes for x in theme]:
            line.url = _url(line) if links else ""
    return {
        "s": s,
        "totals": s.sections.get("totals", []),
        "by": [
            (name, s.sections.get(name, [])) for name in ("category", "alleged_party", "attributed_party", "status")
        ],
        "findings": s.sections.get("findings", []),
        "chain": s.sections.get("chain", []),
        "withdrawal": s.sections.get("withdrawal", []),
        "unplaced": s.sections["map"][0],
        "decisions_line": s.sections["decisions"][0],
        "map": svg.map_shapes(s.cells),
        "chart": svg.trend_shapes(s.trend),
        "links": links,
        "font_licence": FONT_LICENCE,
        "checkpoint": s.checkpoint,
        "origin": checkpoints.log_key().name if s.checkpoint else "",
    }


def html(s: Sitrep, language: str) -> str:
    """The standalone document the PDF engine renders."""
    with translation.override(language):
        return render_to_string(
            "sitrep/pdf.html", {**context(s, links=False), "LANG": language, "RTL": language == "ar"}
        )


def metadata(s: Sitrep, language: str) -> dict:
    size, root = s.checkpoint
    return {
        "format": FORMAT,
        "origin": checkpoints.log_key().name,
        "period": s.period.name,
        "audience": s.audience,
        "language": language,
        "as_of": s.as_of.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "checkpoint": {"size": size, "root": root},
        "figures": s.figures,
    }


def font_file() -> str:
    for pattern in FONT_FILES:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    raise Unavailable(
        f"the PDF needs the font {FONT_FAMILY}, which is not installed: `apt-get install fonts-dejavu-core` (Debian)"
    )


def engine():
    """WeasyPrint, or a clear reason why it cannot run here."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:  # OSError: the Pango library is missing
        raise Unavailable(
            "the PDF engine (WeasyPrint) cannot start: it needs the Pango library (`apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0` on Debian) and `pip install weasyprint`; the page /sitrep/ works without it ({e})"
        ) from None
    font_file()
    # its warnings name CSS it ignores in the site's stylesheets; a report's problems raise instead
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint


def render_pdf(document: str, attachments: dict[str, bytes] | None = None) -> bytes:
    """The PDF engine alone: the final HTML to PDF bytes (what bench/sitrep.py measures against)."""
    weasyprint = engine()
    files = [weasyprint.Attachment(string=data, name=name, base_url=".") for name, data in (attachments or {}).items()]
    return weasyprint.HTML(string=document, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))], attachments=files
    )


@dataclass
class Built:
    sitrep: Sitrep
    language: str
    html: str
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def build(reader: str, period: Period, language: str, as_of: dt.datetime | None = None) -> Built:
    engine()  # fail before taking the record's lock if the PDF cannot be made
    with translation.override(language):  # the labels are the report's language
        s = snapshot(reader, period, as_of)
    document = html(s, language)
    data = json.dumps(metadata(s, language), sort_keys=True, ensure_ascii=False, indent=1).encode()
    return Built(s, language, document, render_pdf(document, {ATTACHMENT: data}))
