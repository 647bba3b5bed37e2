"""Reports in from datasets: each row a claim of the dataset, filed as a report from a "dataset"
source (`commands.import_report`), never a finding.

One pipeline reads every format: a table (a CSV file, or a sheet of an XLSX workbook, the first by default) is
read row by row (`csv_table`, `xlsx_table`), its header checked against what the layout requires,
each row's id checked once in the file, and the row turned into what `commands.import_report`
takes by the layout, a small mapping of its own:

- `Acled`: ACLED's CSV, the current 31 columns and the older layout (upper-case headers,
  ally_actor_1/ally_actor_2, dates such as "15 March 2019", the event types used before 2019 such
  as "Battle-No change of territory" or "Remote violence", no sub-event type);
- `Ucdp`: UCDP GED's CSV (id, type_of_violence, side_a, side_b, where_prec, date_prec,
  date_start, date_end, best...): its precision codes mapped onto the committee's (ACLED's) scale;
- `Table`: any CSV or XLSX, with a mapping that says which column holds the date, the place, the
  coordinates, the category, the description, the row's id...

Column names are read without regard to case; extra columns are ignored. A row's id in its dataset
is kept on the report (`acled:LBY1234`, `ucdp:123456`, `<dataset>:<id>`): a row imported already is
skipped, so importing a file again changes nothing. docs/exchange.md says it column by column.

Each problem is reported with the line (the sheet's row) and the column it was found in. `read`
yields (line, row id, data or the refusal, the row as read); the command files the good ones and
collects the rest.
"""

import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire.mechanism.models import Party

from . import typology
from .models import Category


class Refused(Exception):
    """A row (or the file) that cannot be imported; `field` names the column at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field

    def __str__(self):
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass
class Problem:
    line: int
    message: str
    row: list = field(default_factory=list)  # the row as read, for the file of rejected rows

    def __str__(self):
        return _("line %(line)s: %(problem)s") % {"line": self.line, "problem": self.message}


class Mapper:
    """The mechanism's categories and parties, read once, to turn rows into reports."""

    def __init__(self):
        self.by_types: dict[tuple[str, str], str] = {}
        self.by_type: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for c in Category.objects.filter(retired=False).order_by("order", "code"):
            if c.acled_event_type:
                self.by_types.setdefault((c.acled_event_type.lower(), c.acled_sub_event_type.lower()), c.code)
                self.by_type.setdefault(c.acled_event_type.lower(), c.code)
            for name in (c.code, c.name_en, c.name_ar):
                if name:
                    self.by_name.setdefault(name.strip().lower(), c.code)
        self.parties: dict[str, str] = {}
        for code, en, ar in Party.objects.values_list("code", "name_en", "name_ar"):
            for name in (code, en, ar):
                if name:
                    self.parties[name.strip().lower()] = code

    def category(self, event_type: str, sub_event_type: str, column: str = "event_type") -> str:
        """The category for an ACLED event type (and sub-event type)."""
        key = event_type.strip().lower()
        if key in OLD_TYPES and not sub_event_type:
            event_type, sub_event_type = OLD_TYPES[key]
            key = event_type.lower()
        found = self.by_types.get((key, sub_event_type.strip().lower())) or self.by_type.get(key)
        if not found:
            what = f"{event_type!r}" + (f" / {sub_event_type!r}" if sub_event_type else "")
            raise Refused(_("no category of the typology maps to ACLED's %(type)s") % {"type": what}, column)
        return found

    def party(self, name: str) -> str | None:
        return self.parties.get(name.strip().lower()) if name else None


# ---------------------------------------------------------------- values


DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y")
ISO = ("%Y-%m-%d",)


def _date(text: str, column: str, formats: tuple = DATE_FORMATS) -> dt.date:
    text = text.strip()
    # A spreadsheet's date cell is read as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS"; UCDP writes the latter too.
    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?", text):
        text = text[:10]
    for fmt in formats:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if day > days.latest_today():
            raise Refused(_("%(day)s is in the future") % {"day": day.isoformat()}, column)
        return day
    if formats == ISO:
        raise Refused(_("%(value)r is not a date (YYYY-MM-DD)") % {"value": text}, column)
    if formats[0] not in DATE_FORMATS:  # the mapping's own format first
        raise Refused(
            _("%(value)r is not a date (%(format)s, or YYYY-MM-DD)") % {"value": text, "format": formats[0]}, column
        )
    raise Refused(
        _("%(value)r is not a date (YYYY-MM-DD, or as older files write it: 15 March 2019)") % {"value": text}, column
    )


def _number(text: str, column: str, low: float, high: float) -> float | None:
    if not text.strip():
        return None
    try:
        x = float(text)
    except ValueError:
        raise Refused(_("%(value)r is not a number") % {"value": text}, column) from None
    if not low <= x <= high:
        raise Refused(
            _("%(value)s is out of range (%(low)g to %(high)g)") % {"value": text, "low": low, "high": high}, column
        )
    return x


def _coordinates(latitude: str, longitude: str, columns: tuple[str, str]) -> tuple[float | None, float | None]:
    lat = _number(latitude, columns[0], -90, 90)
    lon = _number(longitude, columns[1], -180, 180)
    if (lat is None) != (lon is None):
        raise Refused(_("give both latitude and longitude, or neither"), columns[1] if lon is None else columns[0])
    return lat, lon


def _code(text: str, column: str, top: int = 3) -> int | None:
    """A precision code from 1 to `top`, or None when the cell is empty."""
    text = text.strip()
    if not text:
        return None
    if text not in {str(i) for i in range(1, top + 1)}:
        codes = ", ".join(str(i) for i in range(1, top + 1))
        raise Refused(_("%(value)r is not one of the codes %(codes)s") % {"value": text, "codes": codes}, column)
    return int(text)


def _count(text: str, column: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise Refused(_("%(value)r is not a whole number") % {"value": text}, column)
    return int(text)


def _casualties(counts: list[tuple[str, str, int | None]], source: str) -> list[dict]:
    return [{"kind": kind, "group": group, "count": n, "source": source} for kind, group, n in counts if n]


def _getter(row: dict):
    def get(name):
        return (row.get(name) or "").strip()

    return get


# ---------------------------------------------------------------- the layouts


class Layout:
    """What one format of file says, and how its rows become reports."""

    sheet: str | None = None  # the XLSX sheet to read; the first when None

    name = ""  # as messages name the format
    dataset = ""  # the prefix of the reports' external ids
    ident = ""  # the column holding the row's id in its dataset
    required: tuple = ()
    aliases: dict = {}
    tag_row = False  # may the header be followed by a row of HXL hashtags (skipped)?

    def column(self, name: str) -> str:
        """A header cell as the layout names the column (lower case, the older names renamed)."""
        key = name.strip().lstrip("\ufeff").lower()
        return self.aliases.get(key, key)

    def named(self, column: str) -> str:
        """A column as the messages name it."""
        return column

    def lacks(self, columns: list[str]) -> str:
        return _("the header lacks %(layout)s's column(s) %(columns)s") % {
            "layout": self.name,
            "columns": ", ".join(columns),
        }

    def data(self, row: dict, mapper: Mapper) -> dict:
        raise NotImplementedError


# Event types used before ACLED's 2019 typology -> (event type, sub-event type) of the current one.
OLD_TYPES = {
    "battle-no change of territory": (typology.BATTLES, "Armed clash"),
    "battle-government regains territory": (typology.BATTLES, "Government regains territory"),
    "battle-non-state actor overtakes territory": (typology.BATTLES, "Non-state actor overtakes territory"),
    "remote violence": (typology.EXPLOSIONS, ""),
    "violence against civilians": (typology.CIVILIANS, ""),
    "riots/protests": ("Protests", ""),
    "strategic development": (typology.STRATEGIC, ""),
    "headquarters or base established": (typology.STRATEGIC, "Headquarters or base established"),
    "non-violent transfer of territory": (typology.STRATEGIC, "Non-violent transfer of territory"),
}


class Acled(Layout):
    """ACLED CSV: time_precision and geo_precision are ACLED's own codes (the committee uses the
    same scale); actor1 is the alleged party when it names a party of the mechanism, else the
    alleged unit; fatalities a count of people killed claimed by the dataset (group unknown)."""

    name = "ACLED"
    dataset = "acled"
    ident = "event_id_cnty"
    required = ("event_id_cnty", "event_date", "event_type")
    aliases = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}

    def data(self, row: dict, mapper: Mapper) -> dict:
        get = _getter(row)
        day = _date(get("event_date"), "event_date")
        latitude, longitude = _coordinates(get("latitude"), get("longitude"), ("latitude", "longitude"))
        location = get("location")
        place = ", ".join(x for x in (location, get("admin1")) if x)[:200]
        if latitude is None and not place:
            raise Refused(_("no coordinates and no location"), "location")
        event_type, sub_event_type = get("event_type"), get("sub_event_type")
        category = mapper.category(event_type, sub_event_type)
        actor1, actor2 = get("actor1"), get("actor2")
        alleged = mapper.party(actor1)
        unit = "; ".join(x for x in (actor1 if not alleged else "", get("assoc_actor_1")) if x)[:300]
        fatalities = _count(get("fatalities"), "fatalities")
        what = sub_event_type or event_type
        title = f"{what}: {location or place}" if (location or place) else what
        source = get("source")
        ident = get("event_id_cnty")
        return {
            "title_en": title[:300],
            "category": category,
            "occurred_at": day.isoformat(),
            "time_precision": _code(get("time_precision"), "time_precision") or 1,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": (_code(get("geo_precision"), "geo_precision") or 1) if latitude is not None else None,
            "place_en": place,
            "alleged_party": alleged,
            "alleged_unit": unit,
            "affected_party": mapper.party(actor2),
            "narrative_en": (get("notes") or title)[:20000],
            "source_en": (f"ACLED {ident}" + (f": {source}" if source else ""))[:300],
            "casualties": _casualties([("killed", "unknown", fatalities)], "ACLED"),
        }


# UCDP type_of_violence -> (ACLED event type, sub-event type) for the category, and what it is called.
UCDP_TYPES = {
    "1": (typology.BATTLES, "Armed clash", "State-based armed conflict"),
    "2": (typology.BATTLES, "Armed clash", "Non-state conflict"),
    "3": (typology.CIVILIANS, "Attack", "One-sided violence"),
}
# UCDP where_prec -> the committee's geo_precision (ACLED's scale: 1 the place, 2 near it or a small
# part of a region, 3 a larger region). 1 the exact place; 2 within about 25 km of a known point;
# 3 only the second-order division (a district: ACLED's 2); 4 only the first-order division and 5 a
# larger area within the country (ACLED's 3). 6 (only the country known) and 7 (international waters
# or airspace) name no place the scale can hold: the report keeps the place's name, without coordinates.
UCDP_WHERE = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: None, 7: None}
# UCDP date_prec -> time_precision (1 the day, 2 within a week, 3 within a month). 1 the exact day;
# 2 a span of 2 to 6 days and 3 a known week (2); 4 a span of 8 to 30 days or a known month (3);
# 5 more than a month is coarser than the committee records: such a row is refused.
UCDP_DATE = {1: 1, 2: 2, 3: 2, 4: 3}


class Ucdp(Layout):
    """UCDP GED CSV: a claim of UCDP's coders, with their best estimate of the deaths."""

    name = "UCDP GED"
    dataset = "ucdp"
    ident = "id"
    required = (
        "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "date_prec",
        "date_start", "date_end", "best",
    )  # fmt: skip

    def data(self, row: dict, mapper: Mapper) -> dict:
        get = _getter(row)
        ident = get("id")
        if not ident.isdigit():
            raise Refused(_("%(value)r is not a whole number") % {"value": ident}, "id")
        violence = get("type_of_violence")
        if violence not in UCDP_TYPES:
            raise Refused(
                _("%(value)r is not one of the codes %(codes)s") % {"value": violence, "codes": "1, 2, 3"},
                "type_of_violence",
            )
        event_type, sub_event_type, kind = UCDP_TYPES[violence]
        start, end = (
            _date(get("date_start"), "date_start", ISO),
            _date(get("date_end"), "date_end", ISO),
        )
        if end < start:
            raise Refused(
                _("%(end)s is before date_start %(start)s") % {"end": end.isoformat(), "start": start.isoformat()},
                "date_end",
            )
        year = get("year")
        if year and year not in (str(start.year), str(end.year)):
            raise Refused(_("%(year)s is not the year of date_start or date_end") % {"year": year}, "year")
        span = (end - start).days
        date_prec = _code(get("date_prec"), "date_prec", 5)
        if date_prec is None:
            raise Refused(_("is empty"), "date_prec")
        if date_prec == 5 or span > 30:
            raise Refused(
                _("the date is known only within more than a month; the committee records a day, a week or a month"),
                "date_prec",
            )
        # The span's own length wins over a finer code: a claim is never made more precise than its dates.
        precision = max(UCDP_DATE[date_prec], 1 if span == 0 else 2 if span <= 6 else 3)
        day = start + dt.timedelta(days=span // 2)  # the middle of the span, as ACLED codes a week or a month
        where_prec = _code(get("where_prec"), "where_prec", 7)
        if where_prec is None:
            raise Refused(_("is empty"), "where_prec")
        latitude, longitude = _coordinates(get("latitude"), get("longitude"), ("latitude", "longitude"))
        geo_precision = UCDP_WHERE[where_prec]
        if geo_precision is None:
            latitude = longitude = None
        named = get("where_coordinates") or get("where_description")
        place = ", ".join(x for x in (named, get("adm_1"), get("country") if not named else "") if x)[:200]
        if latitude is None and not place:
            raise Refused(_("no coordinates and no place"), "where_coordinates")
        best = _count(get("best"), "best")
        if best is None:
            raise Refused(_("is empty"), "best")
        low, high = _count(get("low"), "low"), _count(get("high"), "high")
        if low is not None and low > best:
            raise Refused(_("%(low)s is above best %(best)s") % {"low": low, "best": best}, "low")
        if high is not None and high < best:
            raise Refused(_("%(high)s is below best %(best)s") % {"high": high, "best": best}, "high")
        civilians = _count(get("deaths_civilians"), "deaths_civilians") or 0
        if civilians > best:
            raise Refused(_("%(n)s is above best %(best)s") % {"n": civilians, "best": best}, "deaths_civilians")
        side_a, side_b = get("side_a"), get("side_b")
        alleged, affected = mapper.party(side_a), mapper.party(side_b)
        title = f"{kind}: {place}" if place else kind
        estimate = f"best estimate {best}" + (
            f" (low {low}, high {high})" if low is not None and high is not None else ""
        )
        narrative = f"{side_a or 'unknown'} against {side_b or 'unknown'}; deaths, {estimate}."
        headline = get("source_headline")
        source = get("source_article") or get("source_original")
        return {
            "title_en": title[:300],
            "category": mapper.category(event_type, sub_event_type, "type_of_violence"),
            "occurred_at": day.isoformat(),
            "time_precision": precision,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": geo_precision if latitude is not None else None,
            "place_en": place,
            "alleged_party": alleged,
            "alleged_unit": "" if alleged else side_a[:300],
            "affected_party": affected,
            "narrative_en": (narrative + (f" {headline}" if headline else ""))[:20000],
            "source_en": (f"UCDP GED {ident}" + (f": {source}" if source else ""))[:300],
            "casualties": _casualties(
                [("killed", "civilian", civilians), ("killed", "unknown", best - civilians)], "UCDP GED"
            ),
        }


# What a mapping may name: our field -> what it is (for the docs and --help).
FIELDS = {
    "external_id": "the row's id in its dataset (required)",
    "date": "the day it happened (required)",
    "category": "a category of the typology: its code or name, or a value the mapping's categories map (required)",
    "latitude": "decimal degrees",
    "longitude": "decimal degrees",
    "place": "the place's name (required without coordinates)",
    "title": "a short title",
    "description": "what happened",
    "killed": "people killed, as claimed",
    "injured": "people injured, as claimed",
    "alleged": "who is alleged to have done it: a party's code or name, else a unit",
    "affected": "the party affected: its code or name",
    "source": "the dataset's source of the row",
    "time_precision": "1 the day, 2 within a week, 3 within a month",
    "geo_precision": "1 the place, 2 near it, 3 a larger region",
}
DATASET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")


class Table(Layout):
    """Any CSV or XLSX, read through a mapping:

        {"dataset": "unsmil", "columns": {"external_id": "Ref", "date": "Date", "category": "Type",
         "place": "Town", "latitude": "Lat", "longitude": "Lon", "description": "Details"},
         "categories": {"Artillery": "shelling"}, "date_format": "%d/%m/%Y"}

    `columns` maps our fields (FIELDS) to the file's column names; `categories` (optional) maps
    the file's values to category codes; `date_format` (optional, strptime) is tried before ISO
    dates and the formats ACLED writes; `sheet` (optional, XLSX) names the sheet to read (the
    first by default). A refusal names the file's column, not our field."""

    name = "table"
    tag_row = True  # our own HXL and XLSX exports carry one

    def __init__(self, mapping: dict):
        if not isinstance(mapping, dict):
            raise Refused(_("must be a JSON object"), "mapping")
        unknown = sorted(set(mapping) - {"dataset", "columns", "categories", "date_format", "sheet"})
        if unknown:
            raise Refused(_("unknown key(s): %(keys)s") % {"keys": ", ".join(unknown)}, "mapping")
        dataset = mapping.get("dataset")
        if not isinstance(dataset, str) or not DATASET_NAME.fullmatch(dataset):
            raise Refused(_("name the dataset: 1 to 30 lower-case letters, digits, - or _"), "dataset")
        columns = mapping.get("columns")
        if not isinstance(columns, dict) or not all(isinstance(v, str) and v.strip() for v in columns.values()):
            raise Refused(_("must map our fields to the file's column names"), "columns")
        wrong = sorted(set(columns) - set(FIELDS))
        if wrong:
            raise Refused(
                _("%(fields)s: not a field (the fields: %(all)s)")
                % {"fields": ", ".join(wrong), "all": ", ".join(FIELDS)},
                "columns",
            )
        lacking = [f for f in ("external_id", "date", "category") if f not in columns]
        if lacking:
            raise Refused(_("map the field(s) %(fields)s to a column") % {"fields": ", ".join(lacking)}, "columns")
        if "place" not in columns and not ("latitude" in columns and "longitude" in columns):
            raise Refused(_("map place, or latitude and longitude, to columns"), "columns")
        if ("latitude" in columns) != ("longitude" in columns):
            raise Refused(_("map both latitude and longitude, or neither"), "columns")
        categories = mapping.get("categories") or {}
        if not isinstance(categories, dict) or not all(isinstance(v, str) for v in categories.values()):
            raise Refused(_("must map the file's values to category codes"), "categories")
        date_format = mapping.get("date_format")
        if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
            raise Refused(_("must be a strptime format such as %%d/%%m/%%Y") % {}, "date_format")
        sheet = mapping.get("sheet")
        if sheet is not None and (not isinstance(sheet, str) or not sheet.strip()):
            raise Refused(_("must be the name of one of the workbook's sheets"), "sheet")
        self.sheet = sheet
        self.dataset = dataset
        self.headers = {f: c.strip() for f, c in columns.items()}  # as the file writes them, for messages
        self.columns = {f: self.column(c) for f, c in columns.items()}
        self.categories = {str(k).strip().lower(): v for k, v in categories.items()}
        self.formats = ((date_format,) if date_format else ()) + DATE_FORMATS
        self.ident = self.columns["external_id"]
        self.required = tuple(dict.fromkeys(self.columns.values()))

    @classmethod
    def load(cls, text: str, overrides: list[str] = (), dataset: str | None = None) -> "Table":
        """A mapping from a JSON file's text (or "" for none) and FIELD=COLUMN overrides."""
        try:
            mapping = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as e:
            raise Refused(_("not JSON: %(error)s") % {"error": e}, "mapping") from None
        except RecursionError:  # nested deeper than the parser goes: no mapping is
            raise Refused(_("nested too deep to be a mapping"), "mapping") from None
        if not isinstance(mapping, dict):
            raise Refused(_("must be a JSON object"), "mapping")
        if overrides:
            columns = mapping.get("columns") or {}
            if not isinstance(columns, dict):
                raise Refused(_("must map our fields to the file's column names"), "columns")
            for pair in overrides:
                name, sep, column = pair.partition("=")
                if not sep or not name.strip() or not column.strip():
                    raise Refused(_("%(value)r is not FIELD=COLUMN") % {"value": pair}, "--column")
                columns[name.strip()] = column.strip()
            mapping["columns"] = columns
        if dataset:
            mapping["dataset"] = dataset
        return cls(mapping)

    def named(self, column: str) -> str:
        return next((self.headers[f] for f, c in self.columns.items() if c == column), column)

    def lacks(self, columns: list[str]) -> str:
        return _("the header lacks the column(s) %(columns)s that the mapping names") % {"columns": ", ".join(columns)}

    def data(self, row: dict, mapper: Mapper) -> dict:
        def get(f):
            return (row.get(self.columns[f]) or "").strip() if f in self.columns else ""

        h = self.headers
        day = _date(get("date"), h["date"], self.formats)
        latitude, longitude = (None, None)
        if "latitude" in self.columns:
            latitude, longitude = _coordinates(get("latitude"), get("longitude"), (h["latitude"], h["longitude"]))
        place = get("place")[:200]
        if latitude is None and not place:
            raise Refused(_("no coordinates and no place"), h.get("place") or h["latitude"])
        value = get("category")
        category = mapper.by_name.get(self.categories.get(value.lower(), value).strip().lower())
        if not category:
            raise Refused(
                _("%(value)r is not a category of the typology (give its code, or map it in the mapping's categories)")
                % {"value": value},
                h["category"],
            )
        alleged_name = get("alleged")
        alleged = mapper.party(alleged_name)
        title = get("title") or (f"{value}: {place}" if place else value)
        ident, source = get("external_id"), get("source")
        time_precision = _code(get("time_precision"), h.get("time_precision", "")) or 1
        geo_precision = _code(get("geo_precision"), h.get("geo_precision", "")) or 1
        return {
            "title_en": title[:300],
            "category": category,
            "occurred_at": day.isoformat(),
            "time_precision": time_precision,
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": geo_precision if latitude is not None else None,
            "place_en": place,
            "alleged_party": alleged,
            "alleged_unit": "" if alleged else alleged_name[:300],
            "affected_party": mapper.party(get("affected")),
            "narrative_en": (get("description") or title)[:20000],
            "source_en": (f"{self.dataset} {ident}" + (f": {source}" if source else ""))[:300],
            "casualties": _casualties(
                [
                    ("killed", "unknown", _count(get("killed"), h.get("killed", ""))),
                    ("injured", "unknown", _count(get("injured"), h.get("injured", ""))),
                ],
                self.dataset,
            ),
        }


LAYOUTS = {"acled": Acled, "ucdp": Ucdp}


# ---------------------------------------------------------------- tables: CSV, XLSX


def _decoded(binary) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that bytes that are not UTF-8 are named by
    their own line (a text stream decodes ahead, by blocks)."""
    for raw in binary:
        yield raw.decode("utf-8")


def csv_table(binary) -> Iterator[tuple[int, list | Refused]]:
    """(line, the row's fields) of a CSV file opened in binary; a file that cannot be read further
    ends with (line, the refusal). The line is the file's, so a field holding a line break counts."""
    # strict: a quote never closed is an error, not the rest of the file
    reader = csv.reader(_decoded(binary), strict=True)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as e:
            yield reader.line_num + 1, Refused(_unreadable(e))
            return
        yield reader.line_num, values


def _cell(value) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_table(source, info: dict | None = None, sheet: str | None = None) -> Iterator[tuple[int, list | Refused]]:
    """(row number, the row's cells as text) of an XLSX workbook's sheet named `sheet` (the first
    when None; a path or a binary file), read in openpyxl's read-only mode (row by row, memory
    flat). Rows are as wide as their last cell with a value. `info`, if given, receives the sheet's
    number of rows as "rows" (as the workbook states it; None when it does not)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    damaged = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error, ParseError)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, *damaged):
        yield 1, Refused(_("the file is not an XLSX workbook (save it as Excel Workbook, .xlsx)"))
        return
    number = 0
    try:
        if sheet is not None and sheet not in book.sheetnames:
            yield (
                1,
                Refused(
                    _("the workbook has no sheet named %(sheet)r; its sheets: %(sheets)s")
                    % {"sheet": sheet, "sheets": ", ".join(book.sheetnames)},
                    "sheet",
                ),
            )
            return
        if not book.worksheets:
            return
        read = book[sheet] if sheet is not None else book.worksheets[0]
        if info is not None:
            info["rows"] = read.max_row
        # openpyxl yields the rows a sheet leaves out as empty ones, so the count is the row's number
        for number, values in enumerate(read.iter_rows(values_only=True), 1):
            cells = [_cell(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            yield number, cells
    except damaged:
        # a sheet damaged inside a readable archive: named by the row it could not read
        yield number + 1, Refused(_("the workbook cannot be read past this row (a damaged or cut short file)"))
    finally:
        book.close()


def read(
    table: Iterator[tuple[int, list | Refused]],
    layout: Layout,
    mapper: Mapper,
    header: list | None = None,
    ragged: bool = False,
) -> Iterator[tuple[int, str | None, dict | Refused, list]]:
    """(line, row id, data or the refusal, the row as read) for each row of `table`. A problem
    with the file itself (not readable, no header, a required column missing, a row cut short) is a
    refusal with the line it was found on and row id None. `header`, if given, receives the header
    row as written."""
    first = next(table, None)
    if first is None or (isinstance(first[1], list) and not any(v.strip() for v in first[1])):
        yield 1, None, Refused(_("the file is empty: the header line is missing")), []
        return
    if isinstance(first[1], Refused):
        yield first[0], None, first[1], []
        return
    if header is not None:
        header[:] = first[1]
    names = [layout.column(h) for h in first[1]]
    missing = [c for c in layout.required if c not in names]
    if missing:
        yield (
            1,
            None,
            Refused(layout.lacks([layout.named(c) for c in missing])),
            first[1],
        )
        return
    seen: dict[str, int] = {}
    for line, values in table:
        if isinstance(values, Refused):
            yield line, None, values, []
            return
        if not any(v.strip() for v in values):
            continue
        if layout.tag_row and not seen and all(v.strip().startswith("#") for v in values if v.strip()):
            continue  # HXL hashtags under the header
        if ragged and len(values) < len(names):
            values = values + [""] * (len(names) - len(values))
        if len(values) != len(names):
            yield (
                line,
                None,
                Refused(
                    _("%(n)s fields where the header has %(m)s (a row cut short, or a stray comma)")
                    % {"n": len(values), "m": len(names)}
                ),
                values,
            )
            continue
        row = dict(zip(names, values, strict=True))
        ident = row[layout.ident].strip()
        column = first[1][names.index(layout.ident)].strip()
        if not ident:
            yield line, None, Refused(_("is empty"), column), values
            continue
        if ident in seen:
            yield (
                line,
                ident,
                Refused(
                    _("%(id)s again: it was on line %(line)s already") % {"id": ident, "line": seen[ident]}, column
                ),
                values,
            )
            continue
        seen[ident] = line
        try:
            yield line, ident, layout.data(row, mapper), values
        except Refused as e:
            yield line, ident, e, values


def _unreadable(e: Exception) -> str:
    if isinstance(e, UnicodeDecodeError):
        return _("the file is not UTF-8 text (save it as CSV UTF-8)")
    return _("the file cannot be read as CSV: %(error)s (a quoted field never closed: the file may be cut short)") % {
        "error": e
    }


# ---------------------------------------------------------------- filing: the command line, the API, the page

CHUNK = 1000  # rows filed per log.batch()


def table(kind: str, binary, layout: Layout, size: int):
    """(the rows of the file, where(line): the part of the file read, 0 to 1) for a CSV file or an
    XLSX workbook opened in binary, `size` bytes long."""
    if kind == "xlsx":
        info: dict = {}
        rows = xlsx_table(binary, info, layout.sheet)

        def where(line: int) -> float:
            return min(line / info["rows"], 1.0) if info.get("rows") else 0.0

        return rows, where

    def through(line: int) -> float:
        return binary.tell() / size if size else 1.0

    return csv_table(binary), through


class _RolledBack(Exception):
    """Raised at the end of a dry run, or of a run with refused rows, to roll back what it filed."""


class Import:
    """One import: reads the rows, files the good ones in the name of `actor`, collects the
    problems. All or nothing by default: one transaction, rolled back when a row is refused (unless
    `skip_bad`) or for a dry run. `batch` > 0 commits every `batch` rows filed in a transaction of
    their own, so that an interruption keeps what was committed and the same import run again
    goes on where it stopped (a row imported already is skipped): that is no longer all or nothing,
    and a refused row stops the filing at the batch it is in. `progress(self, part, final)` is
    called as rows go through (part: how much of the file is read, 0 to 1)."""

    def __init__(self, actor, layout: Layout, *, dry_run=False, skip_bad=False, batch=0, progress=None):
        self.actor, self.layout = actor, layout
        self.dry_run, self.skip_bad = dry_run, skip_bad
        self.batch = 0 if dry_run else batch
        self.progress = progress or (lambda run, part, final: None)
        self.problems: list[Problem] = []
        self.header: list = []
        self.read = self.imported = self.already = 0
        self.committed = 0  # rows (filed or found imported before) of the batches committed
        self.last = 0  # the last line of the batches committed

    @property
    def stopped(self) -> bool:
        """A row was refused and nothing more is filed: all or nothing."""
        return bool(self.problems) and not self.skip_bad

    def run(self, rows, where, ragged: bool = False) -> "Import":
        from django.db import transaction

        if self.batch:  # each batch its own transaction (log.batch), committed as it ends
            self._run(rows, where, ragged)
            return self
        try:
            with transaction.atomic():
                self._run(rows, where, ragged)
                if self.dry_run or self.stopped:
                    raise _RolledBack()
        except _RolledBack:
            pass
        return self

    def _run(self, rows, where, ragged: bool) -> None:
        mapper = Mapper()
        chunk: list = []
        size = self.batch or CHUNK
        for line, ident, data, row in read(rows, self.layout, mapper, self.header, ragged):
            part = where(line)
            if line == 1 and isinstance(data, Refused):  # the header itself
                self.problems.append(Problem(1, str(data), row))
                break
            self.read += 1
            if isinstance(data, Refused):
                self.problems.append(Problem(line, str(data), row))
            elif not self.stopped:  # all or nothing: once a row is refused the rest is only checked
                chunk.append((line, ident, data, row, part))
                if len(chunk) == size:
                    self._file(chunk)
                    chunk = []
            self.progress(self, part, False)
        if chunk and not self.stopped:
            self._file(chunk)
        self.progress(self, 1.0, True)

    def _file(self, chunk: list) -> None:
        from ceasefire.record import log

        from .models import Report

        # Rows imported before are skipped with one query per chunk, not one per row: an import run
        # again after an interruption gets quickly to where it stopped (import_report checks again).
        ids = [f"{self.layout.dataset}:{ident}" for _line, ident, _data, _row, _part in chunk]
        before: set = set()
        for i in range(0, len(ids), 500):  # SQLite's older limit of variables in one statement
            found = Report.objects.filter(external_id__in=ids[i : i + 500]).values_list("external_id", flat=True)
            before.update(found)
        counts = (self.imported, self.already)
        try:
            with log.batch():
                self._file_batch(chunk, ids, before)
                if self.batch and self.stopped:
                    raise _RolledBack()  # a refused row: its batch is not committed
        except _RolledBack:
            self.imported, self.already = counts
            return
        if self.batch:
            self.committed += len(chunk)
            self.last = chunk[-1][0]

    def _file_batch(self, chunk: list, ids: list, before: set) -> None:
        from ceasefire.errors import CommandError

        from . import commands

        for (line, _ident, data, row, part), external_id in zip(chunk, ids, strict=True):
            if external_id in before:
                self.already += 1
                continue
            try:
                report = commands.import_report(self.actor, data, external_id)
            except CommandError as e:  # refused before writing: the batch goes on
                said = "; ".join(f"{f}: {m}" if f else str(m) for f, m in e.errors)
                self.problems.append(Problem(line, said, row))
                continue
            if report is None:
                self.already += 1
            else:
                self.imported += 1
            # Filing is what takes the time: the progress moves as rows are filed, not as read.
            self.progress(self, part, False)


KINDS = ("acled", "ucdp", "csv", "xlsx")
ANSWERED = 200  # problems named in one answer; the rest are counted


def upload(
    actor, kind: str, name: str, binary, size: int, mapping: str = "", dry_run: bool = False, skip_bad: bool = False
) -> Import:
    """An import of a file uploaded through the API or the page: the command's own rules and
    pipeline, its refusals as the API answers them (the field at fault: `file`, `format`,
    `mapping`...). A refused row without `skip_bad`: nothing is written and every problem is
    named, `NAME: line N: column: what`, under the field `file`."""
    from django.conf import settings

    from ceasefire.errors import Invalid, TooLarge

    from .commands import import_refusal

    refusal = import_refusal(actor)
    if refusal is not None:
        raise refusal
    if kind not in KINDS:
        raise Invalid(_("%(value)r is not one of %(kinds)s") % {"value": kind, "kinds": ", ".join(KINDS)}, "format")
    if size > settings.IMPORT_MAX_BYTES:
        raise TooLarge(
            _("is larger than %(mb).0f MB: import it with the command `ceasefire import`, which reads any size")
            % {"mb": settings.IMPORT_MAX_BYTES / 1_048_576},
            "file",
        )
    if kind in LAYOUTS:
        if mapping.strip():
            raise Invalid(_("is for csv and xlsx; %(kind)s has its own columns") % {"kind": kind}, "mapping")
        layout: Layout = LAYOUTS[kind]()
    else:
        if not mapping.strip():
            raise Invalid(_("give the column mapping of a %(kind)s file") % {"kind": kind}, "mapping")
        try:
            layout = Table.load(mapping)
        except Refused as e:
            raise Invalid(e.message if e.field == "mapping" else str(e), "mapping") from None
    rows, where = table(kind, binary, layout, size)
    run = Import(actor, layout, dry_run=dry_run, skip_bad=skip_bad).run(rows, where, ragged=kind == "xlsx")
    if run.stopped:
        problems = sorted(run.problems, key=lambda p: p.line)
        named = [("file", f"{name}: {p}") for p in problems[:ANSWERED]]
        if len(problems) > ANSWERED:
            named.append(("file", _("... and %(n)s more problems") % {"n": len(problems) - ANSWERED}))
        e = Invalid(named[0][1], "file")
        e._errors = named
        raise e
    return run
