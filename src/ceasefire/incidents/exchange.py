"""Reports out, in the formats the people who use our numbers already read: ACLED-compatible CSV,
UCDP-GED-style CSV, HXL-tagged CSV, GeoJSON (RFC 7946) and XLSX (the HXL columns, in a workbook).

One function (`export`) serves the list page's "download these" links, the API and `ceasefire
export`, so the three give the same file for the same reader and filters. What a reader may read is
asked of ceasefire.audience, as the API's schemas ask it: the rows are the list's own
(`queries.visible` + `queries.search`); how a report's source is described and who gave a casualty
figure are the parties' only (empty for anyone else); usernames are never exported, not even to the
parties; a finding's attribution is exported only once it is binding (the report concluded).

Claims stay claims. `actor1` (ACLED), `side_a` (UCDP) and `#actor+alleged` (HXL) hold the party
the report ALLEGES did it and `actor2` / `side_b` the party it says was affected; the column
`attribution` says whether a binding finding of the committee attributed the violation
(`binding finding`, with the parties in `attributed_to`) or it is still only `alleged`. Fatalities
are the source's claim (`fatalities_claimed_by`): never a count the committee verified.

Every export says which state of the record it reflects: the rows are read in one snapshot
(a read transaction; REPEATABLE READ on PostgreSQL) that also reads the record's size and the Merkle
root of that size (base64, as a checkpoint note writes it), with the size of the newest signed
checkpoint at or below it. Anyone holding a bundle of the record can recompute that root and prove
it consistent with the signed checkpoint. CSV has no standard place for it: the API sends it as the
`X-Ceasefire-Checkpoint` header, the command line on stderr; GeoJSON carries it as the top-level
`checkpoint` member (a foreign member, RFC 7946 §6.1), XLSX on a sheet of its own and in the
workbook's description.

Streamed in constant memory: the reports are read with a server-side cursor in chunks
(`.iterator()`), their casualties and findings fetched per chunk, and each chunk written as one
piece of text. XLSX is a zip archive whose directory comes last: openpyxl's write-only workbook
writes the rows to a temporary file as they come, and the finished workbook is sent from that file
in blocks, so memory stays flat there too (the first byte leaves once every row is written).
docs/exchange.md documents every column.
"""

import base64
import calendar
import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from ceasefire import audience, days
from ceasefire.errors import Invalid
from ceasefire.record import log, tree
from ceasefire.record.log import Actor
from ceasefire.record.models import Checkpoint as SignedCheckpoint

from . import chain, queries, typology
from .models import Casualty, Category, Finding, SourceType

FORMATS = ("acled", "ucdp", "hxl", "geojson", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {
    "acled": CSV_TYPE,
    "ucdp": CSV_TYPE,
    "hxl": CSV_TYPE,
    "geojson": "application/geo+json",
    "xlsx": XLSX_TYPE,
}
EXTENSIONS = {"acled": "csv", "ucdp": "csv", "hxl": "csv", "geojson": "geojson", "xlsx": "xlsx"}
BINARY = {"xlsx"}  # formats whose pieces are bytes, not text
HEADER = "X-Ceasefire-Checkpoint"
CHUNK = 1000  # reports read and written at a time

ALLEGED = "alleged"
BINDING = "binding finding"


def parse_format(value) -> str:
    value = (value or "").strip().lower() if isinstance(value, str) else ""
    if value not in FORMATS:
        raise Invalid(_("must be one of: %(formats)s") % {"formats": ", ".join(FORMATS)}, "format")
    return value


def filename(fmt: str) -> str:
    return f"ceasefire-reports-{fmt}.{EXTENSIONS[fmt]}"


@dataclass(frozen=True)
class Checkpoint:
    """The state of the record an export reflects."""

    size: int
    root: str  # base64 of the Merkle tree head of the first `size` entries
    signed: int | None  # the size of the newest signed checkpoint at or below `size`

    def header(self) -> str:
        text = f"size={self.size} root={self.root}"
        return text if self.signed is None else f"{text} signed={self.signed}"

    def as_json(self) -> dict:
        return {"size": self.size, "root": self.root, "signed_checkpoint": self.signed}


def export(actor: Actor | None, filters: queries.Filters, fmt: str, progress: Callable[[int, int], None] | None = None):
    """(checkpoint, pieces): the state of the record read, and an iterator of text pieces that
    together are the file. The snapshot is open from this call until `pieces` is exhausted or
    closed; close it (a StreamingHttpResponse does) when not reading it to the end."""
    pieces = _export(actor, filters, parse_format(fmt), progress)
    return next(pieces), pieces


def _export(actor, filters, fmt, progress) -> Iterator:
    own = not connection.in_atomic_block
    with transaction.atomic():
        if own and connection.vendor == "postgresql":
            # One snapshot for the record's size and every row; on SQLite the read transaction is one.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        size = tree.size()
        signed = (
            SignedCheckpoint.objects.filter(size__lte=size).order_by("-size").values_list("size", flat=True).first()
        )
        checkpoint = Checkpoint(size, base64.b64encode(bytes(tree.root(size))).decode(), signed)
        yield checkpoint
        with translation.override("en"):  # the exchange formats are read in English (GeoJSON has both)
            rows = _rows(actor, filters, progress)
            yield from WRITERS[fmt](rows, checkpoint)


def response(actor: Actor | None, filters: queries.Filters, fmt: str) -> StreamingHttpResponse:
    """The export as a streamed download, for the API and the list page."""
    checkpoint, pieces = export(actor, filters, fmt)
    answer = StreamingHttpResponse(pieces, content_type=MEDIA_TYPES[fmt])
    answer["Content-Disposition"] = f'attachment; filename="{filename(fmt)}"'
    answer[HEADER] = checkpoint.header()
    answer["Cache-Control"] = "private, no-store"  # what a reader may read is theirs
    return answer


# ---------------------------------------------------------------- what a reader may read of each report


REPORT_FIELDS = (
    "id", "year", "number", "category_id", "source_type", "source_en", "source_ar", "occurred_at", "time_precision",
    "latitude", "longitude", "geo_precision", "place_en", "place_ar", "alleged_party_id", "alleged_unit",
    "affected_party_id", "title_en", "title_ar", "narrative_en", "narrative_ar", "status", "visibility",
    "received_at", "stage_since", "time_known",
)  # fmt: skip


@dataclass
class Row:
    """One report as the reader may read it, in the exchange's words."""

    id: int
    reference: str
    occurred: dt.date
    time_precision: int
    category: str
    category_en: str
    category_ar: str
    event_type: str
    sub_event_type: str
    civilians: bool
    alleged: str  # the alleged party's code
    alleged_en: str
    alleged_ar: str
    alleged_unit: str
    affected: str
    affected_en: str
    affected_ar: str
    attribution: str  # ALLEGED or BINDING
    attributed_to: list  # party codes, binding findings only
    attributed_en: list
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    place_en: str
    place_ar: str
    title_en: str
    title_ar: str
    narrative_en: str
    narrative_ar: str
    source_type: str
    source_type_en: str
    source_en: str  # "" when the reader may not read how the source is described
    source_ar: str
    killed: int
    killed_civilians: int
    killed_other: int
    injured: int
    casualty_sources: str  # "" when the reader may not read who gave the figures
    status: str
    status_en: str
    received_at: dt.datetime
    stage_since: dt.datetime

    @property
    def location(self) -> str:
        return self.place_en or self.place_ar

    @property
    def notes(self) -> str:
        return self.narrative_en or self.narrative_ar

    @property
    def source(self) -> str:
        """ACLED's `source`: a ";"-separated list (the kind of source, then how it is described)."""
        described = self.source_en or self.source_ar
        return f"{self.source_type_en}; {described}" if described else self.source_type_en

    @property
    def claimed_by(self) -> str:
        """Who claims the fatalities: the figures' own sources where the reader may read them, else
        the report's source."""
        return self.casualty_sources or self.source


def _rows(actor, filters: queries.Filters, progress) -> Iterator[Row]:
    from ceasefire.mechanism.models import Party

    from .models import Status

    qs = queries.search(queries.violations(queries.visible(actor)), filters, log._clock()).order_by(
        "-received_at", "-id"
    )
    total = qs.count() if progress else 0
    parties = {code: (en or ar, ar or en) for code, en, ar in Party.objects.values_list("code", "name_en", "name_ar")}
    categories = {c.code: c for c in Category.objects.all()}
    sources = {value: str(label) for value, label in SourceType.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    # What the policy lets this reader read of a report depends on the report's sharing only.
    reads = defaultdict(dict)

    def may(field: str, visibility: str) -> bool:
        known = reads[field]
        if visibility not in known:
            if field == "attribution":  # exported only once binding
                known[visibility] = audience.reads(actor, "finding", field, shared_with=visibility, binding=True)
            else:
                known[visibility] = audience.reads(actor, "report", field, shared_with=visibility)
        return known[visibility]

    done = 0
    chunk = []
    for raw in qs.values_list(*REPORT_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(raw)
        if len(chunk) == CHUNK:
            yield from _chunk(chunk, parties, categories, sources, statuses, may)
            done += len(chunk)
            chunk = []
            if progress:
                progress(done, total)
    if chunk:
        yield from _chunk(chunk, parties, categories, sources, statuses, may)
        done += len(chunk)
    if progress:
        progress(done, total)


def _per_report(model, columns: tuple, ids: list, where: str = "") -> list:
    """`columns` of `model`'s rows of the reports `ids`, in plain SQL: the ORM's `report_id__in`
    prepares each of a chunk's thousand keys one by one, which cost a fifth of the export. The
    keys are the database's own integers, written into the query as such."""
    q = connection.ops.quote_name
    keys = ",".join(str(int(i)) for i in ids)
    sql = f"SELECT {', '.join(q(c) for c in columns)} FROM {q(model._meta.db_table)} WHERE {q('report_id')} IN ({keys}){where}"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _chunk(chunk, parties, categories, sources, statuses, may) -> Iterator[Row]:
    casualties = defaultdict(list)
    for report_id, kind, group, count, source in _per_report(
        Casualty, ("report_id", "kind", "group", "count", "source"), [raw[0] for raw in chunk]
    ):
        casualties[report_id].append((kind, group, count, source))
    concluded = [raw[0] for raw in chunk if raw[21] == chain.CONCLUDED]
    attributed = defaultdict(set)
    if concluded:
        q = connection.ops.quote_name
        for report_id, party in _per_report(
            Finding, ("report_id", "attributed_to_id"), concluded, f" AND {q('attributed_to_id')} IS NOT NULL"
        ):
            attributed[report_id].add(party)
    none = ("", "")
    for (
        id, year, number, category, source_type, source_en, source_ar, occurred_at, time_precision, latitude,
        longitude, geo_precision, place_en, place_ar, alleged, alleged_unit, affected, title_en, title_ar,
        narrative_en, narrative_ar, status, visibility, received_at, stage_since, time_known,
    ) in chunk:  # fmt: skip
        c = categories.get(category)
        described = may("source", visibility)
        figures_by = may("casualty_source", visibility)
        killed = killed_civilians = injured = 0
        by = []
        for kind, group, count, source in casualties.get(id, ()):
            if kind == "killed":
                killed += count
                killed_civilians += count if group == "civilian" else 0
            elif kind == "injured":
                injured += count
            if figures_by and source and source not in by:
                by.append(source)
        found = sorted(attributed.get(id, ())) if may("attribution", visibility) else []
        yield Row(
            id=id,
            reference=f"R-{year}-{number:04d}",
            occurred=days.day_of(occurred_at, time_known),
            time_precision=time_precision,
            category=category,
            category_en=(c.name_en or c.name_ar) if c else category,
            category_ar=(c.name_ar or c.name_en) if c else category,
            event_type=c.acled_event_type if c else "",
            sub_event_type=c.acled_sub_event_type if c else "",
            civilians=bool(c) and c.group == "civilians",
            alleged=alleged or "",
            alleged_en=parties.get(alleged, none)[0],
            alleged_ar=parties.get(alleged, none)[1],
            alleged_unit=alleged_unit,
            affected=affected or "",
            affected_en=parties.get(affected, none)[0],
            affected_ar=parties.get(affected, none)[1],
            attribution=BINDING if found else ALLEGED,
            attributed_to=found,
            attributed_en=[parties.get(p, (p, p))[0] for p in found],
            latitude=latitude,
            longitude=longitude,
            geo_precision=geo_precision,
            place_en=place_en,
            place_ar=place_ar,
            title_en=title_en,
            title_ar=title_ar,
            narrative_en=narrative_en,
            narrative_ar=narrative_ar,
            source_type=source_type,
            source_type_en=sources.get(source_type, source_type),
            source_en=source_en if described else "",
            source_ar=source_ar if described else "",
            killed=killed,
            killed_civilians=killed_civilians,
            killed_other=killed - killed_civilians,
            injured=injured,
            casualty_sources="; ".join(by),
            status=status,
            status_en=statuses.get(status, status),
            received_at=received_at,
            stage_since=stage_since,
        )


# ---------------------------------------------------------------- the formats


class _Buffer:
    """Where csv.writer writes a chunk before it is handed on as one piece."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def _csv(header: list, rows: Iterator[Row], row: Callable[[Row], list], tags: list | None = None) -> Iterator[str]:
    buffer = _Buffer()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow(header)
    if tags:
        writer.writerow(tags)
    yield buffer.take()
    n = 0
    for r in rows:
        writer.writerow(row(r))
        n += 1
        if n % CHUNK == 0:
            yield buffer.take()
    rest = buffer.take()
    if rest:
        yield rest


def _coordinate(x: float | None, places: int = 4) -> str:
    return "" if x is None else f"{x:.{places}f}"


def _disorder(event_type: str) -> str:
    if event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event_type == typology.STRATEGIC:
        return "Strategic developments"
    return "Political violence" if event_type else ""


# ACLED's 31 columns in their order (shared/reference/anchors.md §2.1), then ours.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
EXTRA_COLUMNS = [
    "attribution",
    "attributed_to",
    "fatalities_claimed_by",
    "injured",
    "category",
    "title",
    "status",
    "received_at",
]


def _acled_row(r: Row) -> list:
    return [
        r.reference, r.occurred.isoformat(), r.occurred.year, r.time_precision, _disorder(r.event_type), r.event_type,
        r.sub_event_type, r.alleged_en or r.alleged_unit, r.alleged_unit if r.alleged_en else "", "", r.affected_en, "",
        "", "", "Civilian targeting" if r.civilians else "", "", "", "", "", "", "", r.location,
        _coordinate(r.latitude), _coordinate(r.longitude), r.geo_precision or "", r.source, "", r.notes, r.killed, "",
        int(r.stage_since.timestamp()),
        # ours
        r.attribution, "; ".join(r.attributed_en), r.claimed_by, r.injured, r.category, r.title_en or r.title_ar,
        r.status, r.received_at.astimezone(dt.UTC).isoformat(),
    ]  # fmt: skip


def write_acled(rows, checkpoint) -> Iterator[str]:
    return _csv(ACLED_COLUMNS + EXTRA_COLUMNS, rows, _acled_row)


# UCDP GED's 49 columns in their order (shared/reference/anchors.md §3), then ours.
UCDP_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id", "conflict_new_id",
    "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a",
    "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "where_description",
    "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip
# ACLED geo_precision -> UCDP where_prec: 1 the place, 2 near it, 3 a larger region (ADM1 centroid).
WHERE_PREC = {1: 1, 2: 2, 3: 4}
# ACLED time_precision -> UCDP date_prec: 1 the day, 2 within a week (a known week), 3 within a month.
DATE_PREC = {1: 1, 2: 3, 3: 4}


def _violence(r: Row) -> str:
    """UCDP type_of_violence: 1 state-based (fighting between the forces), 3 one-sided (against
    civilians); empty for what UCDP does not count (movements, positions, obstruction...)."""
    if r.event_type == typology.CIVILIANS:
        return "3"
    if r.event_type in (typology.BATTLES, typology.EXPLOSIONS):
        return "1"
    return ""


def date_span(day: dt.date, time_precision: int) -> tuple[dt.date, dt.date]:
    """The earliest and latest possible dates: ACLED codes the middle of the week or month known."""
    if time_precision == 2:
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    if time_precision == 3:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


def _ucdp_row(r: Row) -> list:
    start, end = date_span(r.occurred, r.time_precision)
    located = r.latitude is not None and r.longitude is not None
    dyad = f"{r.alleged_en} - {r.affected_en}" if r.alleged_en and r.affected_en else ""
    return [
        r.id, r.reference, r.occurred.year, "", "", _violence(r), "", "", "", "", "", dyad, "", "",
        r.alleged_en or r.alleged_unit, "", "", r.affected_en, 1, "", "", "", r.title_en or r.title_ar, r.source,
        WHERE_PREC.get(r.geo_precision, "") if located else "", r.location, r.location, "", "",
        _coordinate(r.latitude, 6), _coordinate(r.longitude, 6),
        f"POINT ({r.longitude:.6f} {r.latitude:.6f})" if located else "", "", "", "", "", "",
        DATE_PREC.get(r.time_precision, ""), start.isoformat(), end.isoformat(), "", "", r.killed_civilians,
        r.killed_other, r.killed, r.killed, r.killed, "", "",
        # ours
        r.attribution, "; ".join(r.attributed_en), r.claimed_by, r.injured, r.category, r.title_en or r.title_ar,
        r.status, r.received_at.astimezone(dt.UTC).isoformat(),
    ]  # fmt: skip


def write_ucdp(rows, checkpoint) -> Iterator[str]:
    return _csv(UCDP_COLUMNS + EXTRA_COLUMNS, rows, _ucdp_row)


# (column, HXL hashtag with attributes, value): the Humanitarian Exchange Language's core hashtags
# (#event, #date, #actor, #loc, #geo, #affected, #meta, #status, #description), the second row.
HXL = [
    ("Reference", "#event+id", lambda r: r.reference),
    ("Date", "#date+occurred", lambda r: r.occurred.isoformat()),
    ("Date precision", "#date+precision+acled", lambda r: r.time_precision),
    ("Category", "#event+type+code", lambda r: r.category),
    ("Category name", "#event+type+name", lambda r: r.category_en),
    ("Event type", "#event+type+acled", lambda r: r.event_type),
    ("Sub-event type", "#event+type+sub+acled", lambda r: r.sub_event_type),
    ("Title", "#event+title", lambda r: r.title_en or r.title_ar),
    ("Alleged party", "#actor+alleged+name", lambda r: r.alleged_en),
    ("Alleged unit", "#actor+alleged+unit", lambda r: r.alleged_unit),
    ("Affected party", "#actor+affected+name", lambda r: r.affected_en),
    ("Attribution", "#status+attribution", lambda r: r.attribution),
    ("Attributed to (binding finding)", "#actor+attributed+name", lambda r: "; ".join(r.attributed_en)),
    ("Location", "#loc+name", lambda r: r.location),
    ("Latitude", "#geo+lat", lambda r: _coordinate(r.latitude)),
    ("Longitude", "#geo+lon", lambda r: _coordinate(r.longitude)),
    ("Location precision", "#geo+precision+acled", lambda r: r.geo_precision or ""),
    ("Killed (claimed)", "#affected+killed+claimed", lambda r: r.killed),
    ("Injured (claimed)", "#affected+injured+claimed", lambda r: r.injured),
    ("Figures claimed by", "#meta+source+casualties", lambda r: r.claimed_by),
    ("Source", "#meta+source", lambda r: r.source),
    ("Stage", "#status+stage", lambda r: r.status),
    ("Notes", "#description", lambda r: r.notes),
]


def write_hxl(rows, checkpoint) -> Iterator[str]:
    values = [value for _column, _tag, value in HXL]
    return _csv([c for c, _t, _v in HXL], rows, lambda r: [v(r) for v in values], tags=[t for _c, t, _v in HXL])


def feature(r: Row) -> dict:
    located = r.latitude is not None and r.longitude is not None
    return {
        "type": "Feature",
        "id": r.reference,
        # RFC 7946: longitude first; a report without coordinates has no geometry (§3.2)
        "geometry": {"type": "Point", "coordinates": [round(r.longitude, 6), round(r.latitude, 6)]}
        if located
        else None,
        "properties": {
            "reference": r.reference,
            "title_en": r.title_en,
            "title_ar": r.title_ar,
            "category": r.category,
            "category_en": r.category_en,
            "category_ar": r.category_ar,
            "acled_event_type": r.event_type,
            "acled_sub_event_type": r.sub_event_type,
            "occurred_on": r.occurred.isoformat(),
            "time_precision": r.time_precision,
            "geo_precision": r.geo_precision,
            "place_en": r.place_en,
            "place_ar": r.place_ar,
            "alleged_party": r.alleged or None,
            "alleged_unit": r.alleged_unit,
            "affected_party": r.affected or None,
            "attribution": r.attribution,
            "attributed_to": r.attributed_to,
            "killed_claimed": r.killed,
            "injured_claimed": r.injured,
            "figures_claimed_by": r.casualty_sources or None,
            "source_type": r.source_type,
            "source_en": r.source_en or None,
            "source_ar": r.source_ar or None,
            "narrative_en": r.narrative_en,
            "narrative_ar": r.narrative_ar,
            "status": r.status,
            "received_at": r.received_at.astimezone(dt.UTC).isoformat(),
        },
    }


def write_geojson(rows, checkpoint) -> Iterator[str]:
    yield '{"type":"FeatureCollection","checkpoint":' + json.dumps(checkpoint.as_json()) + ',"features":['
    parts, first = [], True
    for r in rows:
        text = json.dumps(feature(r), ensure_ascii=False, separators=(",", ":"))
        parts.append(text if first else "," + text)
        first = False
        if len(parts) == CHUNK:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]}\n"


# XLSX: the HXL columns, with the cells a spreadsheet computes with typed as such.
XLSX_VALUES = {
    "#date+occurred": lambda r: r.occurred,
    "#geo+lat": lambda r: None if r.latitude is None else round(r.latitude, 6),
    "#geo+lon": lambda r: None if r.longitude is None else round(r.longitude, 6),
    "#geo+precision+acled": lambda r: r.geo_precision,
}
BLOCK = 64 * 1024  # bytes of the finished workbook sent at a time


def write_xlsx(rows, checkpoint) -> Iterator[bytes]:
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    book.properties.title = "ceasefire reports"
    book.properties.description = f"checkpoint {checkpoint.header()}"
    sheet = book.create_sheet("reports")
    sheet.append([c for c, _t, _v in HXL])
    sheet.append([t for _c, t, _v in HXL])
    values = [XLSX_VALUES.get(t, v) for _c, t, v in HXL]

    def cell(value):
        if not isinstance(value, str):
            return value
        # Text is text: a narrative starting with "=" must not become a formula the sheet runs.
        # Characters XML cannot hold are dropped: the filing commands refuse control characters,
        # but a workbook that fails half-way for one of them would be no file at all.
        c = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        c.data_type = "s"
        return c

    for r in rows:
        sheet.append([cell(v(r)) for v in values])
    about = book.create_sheet("checkpoint")
    about.append(["size", "root", "signed_checkpoint"])
    about.append([checkpoint.size, checkpoint.root, checkpoint.signed])
    with tempfile.TemporaryFile() as f:
        book.save(f)
        f.seek(0)
        while block := f.read(BLOCK):
            yield block


WRITERS = {
    "acled": write_acled,
    "ucdp": write_ucdp,
    "hxl": write_hxl,
    "geojson": write_geojson,
    "xlsx": write_xlsx,
}
