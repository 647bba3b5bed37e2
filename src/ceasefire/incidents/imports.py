"""Reports in from ACLED CSV files: each row a claim of the dataset, filed as a report from a
"dataset" source (`commands.import_report`), never a finding.

Both of ACLED's layouts are read: the current one (31 columns: event_id_cnty, event_date as
YYYY-MM-DD, event_type and sub_event_type, assoc_actor_1 ...) and the older one (upper-case
headers, ally_actor_1/ally_actor_2, dates such as "15 March 2019", the event types used before
2019 such as "Battle-No change of territory" or "Remote violence", no sub-event type). Column names
are read without regard to case; extra columns are ignored.

A row becomes a report as follows (docs/exchange.md says it column by column):
- its id in the dataset is `acled:` + event_id_cnty: a row imported already is skipped, so
  importing a file again changes nothing;
- the category is the first of the typology (in its order) that maps to the row's event type and
  sub-event type, else the first that maps to its event type; a row whose event type no category
  maps to is refused;
- time_precision and geo_precision are ACLED's own codes (the committee uses the same scale);
- actor1 is the alleged party when it names a party of the mechanism (its code or its name in
  either language), else the alleged unit; actor2 the affected party likewise;
- fatalities are a count of people killed claimed by the dataset (group unknown).

Each problem is reported with the line it was found on. `read` yields (line, row id, data for
file_report) or (line, None, error); `run` files the good ones and collects the rest.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from ceasefire.mechanism.models import Party

from . import typology
from .models import Category

DATASET = "acled"

# The older layout's names of columns the current one renamed.
ALIASES = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
REQUIRED = ("event_id_cnty", "event_date", "event_type")
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
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y")


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
        return f"line {self.line}: {self.message}"


class Mapper:
    """The mechanism's categories and parties, read once, to turn rows into reports."""

    def __init__(self):
        self.by_types: dict[tuple[str, str], str] = {}
        self.by_type: dict[str, str] = {}
        for c in Category.objects.filter(retired=False).order_by("order", "code"):
            if c.acled_event_type:
                self.by_types.setdefault((c.acled_event_type.lower(), c.acled_sub_event_type.lower()), c.code)
                self.by_type.setdefault(c.acled_event_type.lower(), c.code)
        self.parties: dict[str, str] = {}
        for code, en, ar in Party.objects.values_list("code", "name_en", "name_ar"):
            for name in (code, en, ar):
                if name:
                    self.parties[name.strip().lower()] = code

    def category(self, event_type: str, sub_event_type: str) -> str:
        key = event_type.strip().lower()
        if key in OLD_TYPES and not sub_event_type:
            event_type, sub_event_type = OLD_TYPES[key]
            key = event_type.lower()
        found = self.by_types.get((key, sub_event_type.strip().lower())) or self.by_type.get(key)
        if not found:
            what = f"{event_type!r}" + (f" / {sub_event_type!r}" if sub_event_type else "")
            raise Refused(f"no category of the typology maps to ACLED's {what}", "event_type")
        return found

    def party(self, name: str) -> str | None:
        return self.parties.get(name.strip().lower()) if name else None


def _date(text: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise Refused(f"{text!r} is not a date (YYYY-MM-DD, or as older files write it: 15 March 2019)", "event_date")


def _number(text: str, column: str, low: float, high: float) -> float | None:
    if not text.strip():
        return None
    try:
        x = float(text)
    except ValueError:
        raise Refused(f"{text!r} is not a number", column) from None
    if not low <= x <= high:
        raise Refused(f"{text} is out of range ({low:g} to {high:g})", column)
    return x


def _code(text: str, column: str) -> int | None:
    if not text.strip():
        return None
    if text.strip() not in ("1", "2", "3"):
        raise Refused(f"{text!r} is not one of ACLED's codes 1, 2, 3", column)
    return int(text)


def report_data(row: dict, mapper: Mapper) -> dict:
    """What `commands.import_report` is given for an ACLED row (column names in lower case)."""

    def get(name):
        return (row.get(name) or "").strip()

    day = _date(get("event_date"))
    if day > dt.date.today():
        raise Refused(f"{day.isoformat()} is in the future", "event_date")
    latitude = _number(get("latitude"), "latitude", -90, 90)
    longitude = _number(get("longitude"), "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        raise Refused("give both latitude and longitude, or neither", "longitude" if longitude is None else "latitude")
    location = get("location")
    place = ", ".join(x for x in (location, get("admin1")) if x)[:200]
    if latitude is None and not place:
        raise Refused("no coordinates and no location", "location")
    event_type, sub_event_type = get("event_type"), get("sub_event_type")
    category = mapper.category(event_type, sub_event_type)
    actor1, actor2 = get("actor1"), get("actor2")
    alleged = mapper.party(actor1)
    unit = "; ".join(x for x in (actor1 if not alleged else "", get("assoc_actor_1")) if x)[:300]
    fatalities = get("fatalities")
    if fatalities and not fatalities.isdigit():
        raise Refused(f"{fatalities!r} is not a whole number", "fatalities")
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
        "casualties": [{"kind": "killed", "group": "unknown", "count": int(fatalities), "source": "ACLED"}]
        if fatalities and int(fatalities)
        else [],
    }


def _decoded(binary) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that bytes that are not UTF-8 are named by
    their own line (a text stream decodes ahead, by blocks)."""
    for raw in binary:
        yield raw.decode("utf-8")


def read(binary: io.BufferedIOBase, mapper: Mapper) -> Iterator[tuple[int, str | None, dict | Refused, list]]:
    """(line, row id, data or the refusal, the row as read) for each row of an ACLED CSV file
    opened in binary. A problem with the file itself (not UTF-8, no header, a required column
    missing, a row cut short) is a refusal with the line it was found on and row id None."""
    reader = csv.reader(
        _decoded(binary), strict=True
    )  # strict: a quote never closed is an error, not the rest of the file
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error) as e:
        yield 1, None, Refused(_unreadable(e)), []
        return
    if not header:
        yield 1, None, Refused("the file is empty: ACLED's header line is missing"), []
        return
    names = [ALIASES.get(h.strip().lstrip("\ufeff").lower(), h.strip().lstrip("\ufeff").lower()) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        yield 1, None, Refused(f"the header lacks ACLED's column(s) {', '.join(missing)}"), header
        return
    seen: dict[str, int] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as e:
            yield reader.line_num + 1, None, Refused(_unreadable(e)), []
            return
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            yield (
                line,
                None,
                Refused(f"{len(values)} fields where the header has {len(names)} (a row cut short, or a stray comma)"),
                values,
            )
            continue
        row = dict(zip(names, values, strict=True))
        ident = row["event_id_cnty"].strip()
        if not ident:
            yield line, None, Refused("is empty", "event_id_cnty"), values
            continue
        if ident in seen:
            yield line, ident, Refused(f"{ident} again: it was on line {seen[ident]} already", "event_id_cnty"), values
            continue
        seen[ident] = line
        try:
            yield line, ident, report_data(row, mapper), values
        except Refused as e:
            yield line, ident, e, values


def _unreadable(e: Exception) -> str:
    if isinstance(e, UnicodeDecodeError):
        return "the file is not UTF-8 text (save it as CSV UTF-8)"
    return f"the file cannot be read as CSV: {e} (a quoted field never closed: the file may be cut short)"
