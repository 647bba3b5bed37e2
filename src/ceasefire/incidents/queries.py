"""Reading reports: what a reader may see, the filters of the list, what is overdue. The API and
the pages ask these same functions, so a report hidden in one is hidden in the other."""

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import Expression
from django.utils.translation import gettext as _

from ceasefire import audience, days
from ceasefire import validate as v
from ceasefire.errors import Invalid
from ceasefire.record.log import Actor

from . import chain, text_index
from .models import Finding, Incident, Report, SearchWord, StageTarget

REFERENCE = re.compile(r"^R-(\d{4})-(\d{1,6})$", re.IGNORECASE)

# A party filter's value for "no party": alleged by nobody named, or attributed by no binding
# finding. Never a party's code (a code holds a letter or digit).
NO_PARTY = "-"


def visible(actor: Actor | None) -> QuerySet:
    """The reports the actor reads (ceasefire.audience): all of them for the parties' people and
    the facilitator; what the committee shared with them for observers; what it published for the
    public."""
    qs = Report.objects.all()
    shared = shared_levels(actor)
    return qs if shared is None else qs.filter(visibility__in=shared)


def shared_levels(actor: Actor | None) -> tuple[str, ...] | None:
    """The sharings of the reports the actor reads; None when it reads every report."""
    return None if audience.everything(actor) else audience.levels(actor)


def violations(qs: QuerySet) -> QuerySet:
    """The reports of alleged violations among `qs`: not those verifying a subject (a departure of
    foreign forces...: subjects.py). The one place that says which reports the counts, the
    statistics, the exports and the situation report count as violations."""
    return qs.filter(Q(subject_kind__isnull=True) | Q(subject_kind=""))


def visible_incidents(actor: Actor | None) -> QuerySet:
    qs = Incident.objects.filter(merged_into__isnull=True)
    if not audience.everything(actor):
        qs = qs.filter(reports__visibility__in=audience.levels(actor)).distinct()
    return qs


def as_seen_by(actor: Actor | None, incidents) -> list:
    """The incidents as the reader may see them. An incident takes its title and opening time from
    its first report; a reader who does not read every report (observers, the public) sees it named
    after the first report shared with them instead, so that a shared duplicate never shows the
    title of an original kept among the parties."""
    incidents = list(incidents)
    if audience.everything(actor):
        return incidents
    first = {}
    for r in (
        visible(actor)
        .filter(incident__in=incidents)
        .order_by("-received_at", "-id")
        .only("incident_id", "title_ar", "title_en", "received_at")
    ):
        first[r.incident_id] = r  # the earliest wins: read last
    for incident in incidents:
        r = first.get(incident.id)
        if r is not None:
            incident.title_ar, incident.title_en, incident.opened_at = r.title_ar, r.title_en, r.received_at
    return incidents


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """`minlon,minlat,maxlon,maxlat`, as GeoJSON and most map tools write a box."""
    parts = value.split(",") if isinstance(value, str) else []
    try:
        box = tuple(float(p) for p in parts)
    except ValueError:
        box = ()
    if len(box) != 4 or any(x != x for x in box):
        raise Invalid(_("must be four numbers: minlon,minlat,maxlon,maxlat"), "bbox")
    minlon, minlat, maxlon, maxlat = box
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180 and -90 <= minlat <= 90 and -90 <= maxlat <= 90):
        raise Invalid(_("longitudes must be between -180 and 180 and latitudes between -90 and 90"), "bbox")
    if minlat > maxlat or minlon > maxlon:
        raise Invalid(_("the minimum must not exceed the maximum"), "bbox")
    return box


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category: str = ""
    alleged_party: str = ""
    attributed_party: str = ""
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None
    text: str = ""
    overdue: bool = False
    zone: str = ""  # a layer's code: reports inside it (or near it), by the version binding at their time

    @classmethod
    def parse(cls, data: dict) -> "Filters":
        """From query parameters (strings); each bad value is an error naming its parameter."""
        from .models import Status

        status = v.choice(data.get("status") or "", "status", Status, required=False)
        start = v.date(data.get("occurred_from"), "occurred_from")
        end = v.date(data.get("occurred_to"), "occurred_to")
        if start and end and end < start:
            raise Invalid(_("must not be before occurred_from"), "occurred_to")
        bbox = data.get("bbox")
        return cls(
            status=status,
            category=v.text(data.get("category"), "category", max_length=40),
            alleged_party=v.text(data.get("alleged_party"), "alleged_party", max_length=32),
            attributed_party=v.text(data.get("attributed_party"), "attributed_party", max_length=32),
            occurred_from=start,
            occurred_to=end,
            bbox=parse_bbox(bbox) if bbox not in (None, "") else None,
            text=v.text(data.get("q"), "q", max_length=200),
            overdue=str(data.get("overdue") or "").lower() in ("1", "true", "yes", "on"),
            zone=v.text(data.get("zone"), "zone", max_length=40),
        )


def search(qs: QuerySet, f: Filters, now: dt.datetime | None = None) -> QuerySet:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.alleged_party == NO_PARTY:
        qs = qs.filter(alleged_party__isnull=True)
    elif f.alleged_party:
        qs = qs.filter(alleged_party_id=f.alleged_party)
    if f.attributed_party == NO_PARTY:
        qs = qs.exclude(binding_q())
    elif f.attributed_party:
        qs = qs.filter(binding_q(f.attributed_party))
    if f.occurred_from:
        qs = qs.filter(days.from_day(f.occurred_from))
    if f.occurred_to:
        qs = qs.filter(days.before_day(f.occurred_to + dt.timedelta(days=1)))
    if f.bbox:
        minlon, minlat, maxlon, maxlat = f.bbox
        qs = qs.filter(latitude__gte=minlat, latitude__lte=maxlat, longitude__gte=minlon, longitude__lte=maxlon)
    if f.text:
        qs = qs.filter(_text(f.text))
    if f.overdue:
        qs = qs.filter(overdue_q(now or dt.datetime.now(dt.UTC)))
    if f.zone:  # who may filter by a layer is asked first (zones.queries.zone_filter)
        from ceasefire.zones.checks import reports_in

        qs = qs.filter(id__in=reports_in(f.zone, qs))
    return qs


def binding_q(party: str | None = None) -> Q:
    """Reports a binding finding holds a party (`party`, or any) responsible for a violation.

    Binding: the report is concluded (every party and the facilitator signed, or the committee
    decided); a draft's attribution is one side's words and is never counted (ceasefire.audience:
    a finding's attribution widens only once binding). Every reader, the parties included, counts
    the same: what the committee found, not what one draft said."""
    held = Finding.objects.filter(result="violation", attributed_to__isnull=False)
    if party:
        held = held.filter(attributed_to_id=party)
    return Q(status=chain.CONCLUDED, id__in=held.values("report_id"))


def _text(text: str) -> Q:
    ref = REFERENCE.match(text.strip())
    if ref:
        return Q(year=int(ref.group(1)), number=int(ref.group(2)))
    return text_q(text, "search_text", "report_text", '"incidents_report"."id"', Report)


def text_q(text: str, column: str, fts_table: str | None = None, rowid: str = "", model=None) -> Q:
    """Rows whose `column` (ceasefire.text.searchable) holds what a search for the text looks for
    (places.gazetteer.search_terms: the normalised text, other spellings of a place it names): the
    same rows on every database. With an index of the column (SQLite: `fts_table`, an FTS5
    trigram table; PostgreSQL: text_index, pg_trgm), the keys of the rows holding each term are
    read once, term by term, and the query asks for those keys: the list asks for a count and a
    page, each of which would otherwise search again, and a database testing a row against a
    dozen terms at once (a place's spellings) reads the row for each of them."""
    from ceasefire.places.gazetteer import search_terms

    terms = search_terms(text)
    if not terms:  # nothing but marks and punctuation: nothing to look for, every row matches
        return Q()
    if model is Report:
        terms = possible(terms)
        if not terms:
            return Q(pk__in=[])
    if fts_table and connection.vendor == "sqlite" and all(len(t) >= 3 for t in terms):
        return Q(KeysIn(rowid, fts_keys(fts_table, terms)))
    if model is Report and connection.vendor == "postgresql":
        return Q(KeysIn(rowid, token_keys(terms)))
    if model is not None and connection.vendor == "postgresql":
        keys: set[int] = set()
        for term in terms:
            keys.update(model.objects.filter(**{f"{column}__contains": term}).order_by().values_list("pk", flat=True))
        return Q(KeysIn(rowid, sorted(keys)))
    q = Q(pk__in=[])
    for term in terms:
        q |= Q(**{f"{column}__contains": term})
    return q


def possible(terms: list[str]) -> list[str]:
    """The terms that some report may hold: a whole-word term (" sirt ") one of whose words is in
    no report's search column (SearchWord) is dropped; any other term is kept."""
    whole = {t: t.split() for t in terms if t.startswith(" ") and t.endswith(" ")}
    asked = {w for words in whole.values() for w in words if len(w) <= SearchWord.MAX_LENGTH}
    known = set(SearchWord.objects.filter(word__in=asked).values_list("word", flat=True)) if asked else set()
    return [t for t in terms if t not in whole or all(w in known or len(w) > SearchWord.MAX_LENGTH for w in whole[t])]


class KeysIn(Expression):
    """`key IN` a list of keys, as one parameter whatever its length (PostgreSQL: an array; SQLite:
    a JSON array), in the form the planner serves best. On SQLite, a page of the list: "+key",
    which keeps SQLite walking the list's index in order and testing each row's key against the
    list, instead of looking every key up and sorting the matches; a count with no other
    condition: "key", which looks each key up in the key's own index instead of reading the whole
    list's index."""

    output_field = BooleanField()

    def __init__(self, key_sql: str, keys: list[int]):
        super().__init__()
        self.key_sql, self.keys = key_sql, keys
        self.written: str | None = None

    def as_sql(self, compiler, connection):
        if connection.vendor == "postgresql":
            if self.written is None:  # a count and a page each compile the query, some more than once
                self.written = bigints(self.keys)
            return f"{self.key_sql} = ANY(%s::bigint[])", [self.written]
        query = compiler.query
        alone = not query.order_by and not query.default_ordering and len(query.where.children) == 1
        sql = f"{'' if alone else '+'}{self.key_sql} IN (SELECT value FROM json_each(%s))"
        return sql, [json.dumps(self.keys)]


def bigints(keys) -> str:
    """Keys as PostgreSQL writes an array of them: the driver takes 20 ms to write 20,000 keys given
    as a list, a thousandth of that given as this text."""
    return "{" + ",".join(map(str, keys)) + "}"


def fts_keys(fts_table: str, terms: list[str]) -> list[int]:
    """The rowids of an FTS5 trigram table whose text holds any of the terms (each at least three
    characters, the trigram's own length). One search a term: FTS5 answers an OR of phrases at
    about twice the cost of the phrases asked one by one (a place's spellings are a dozen)."""
    keys: set[int] = set()
    with connection.cursor() as c:
        for term in terms:
            c.execute(
                f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", ['"' + term.replace('"', '""') + '"']
            )
            keys.update(k for (k,) in c.fetchall())
    return sorted(keys)


# Past this many words or pairs of words for one term (a term of one or two letters is inside
# thousands of words), the term is looked for with LIKE instead, as it would be without the tokens.
MAX_TOKENS = 5000


def token_keys(terms: list[str]) -> list[int]:
    """PostgreSQL: the keys of the reports whose search column holds any of the terms, read from
    its tokens (text_index.TOKENS_SQL: each word of the column, and each pair of words next to each
    other on one line as "a b") through their GIN index, which finds exactly the rows holding a
    token: no row is read again to check a LIKE, unless the term needs it (below).

    Why this finds what LIKE '%term%' finds. The column is lines of words, each word between
    single spaces (ceasefire.text.searchable); a term is words between single spaces, with a
    space before or after when it is whole-word (" sirt "). So a term of one word is in the column
    when one of its words holds it (contains it; starts with it after a space; ends with it before
    one; is it with both); a term of two words, when a word ending with the first is followed on
    its line by one starting with the second (is it, with the term's space at that end); longer
    terms also need the words between. The words that may hold a term are read from every word
    of every report (SearchWord, kept by the projector), and the search asks for the reports
    holding any of those words, or those pairs of them. A term of three words or more, or of two
    whose pairs would be too many, asks for the reports holding its words and checks LIKE on
    those only; a word longer than SearchWord keeps is a token "" and such a report is checked
    with LIKE too."""
    exact: set[str] = set()
    checked: list[tuple[str, list[set[str]]]] = []  # a term, and token sets a report holding it holds
    plain: list[str] = []  # terms looked for with LIKE alone
    vocabulary = words_holding([(kind, word) for t in terms for kind, word in _constraints(t) or ()])
    for term in terms:
        constraints = _constraints(term)
        if constraints is None:
            plain.append(term)
            continue
        sets = [vocabulary[c] for c in constraints]
        if any(len(s) > MAX_TOKENS for s in sets):
            plain.append(term)
        elif len(sets) == 1:
            exact |= sets[0]
        elif len(sets) == 2 and len(sets[0]) * len(sets[1]) <= MAX_TOKENS:
            exact |= {f"{a} {b}" for a in sets[0] for b in sets[1]}
        elif all(sets):
            checked.append((term, sets))
    keys: set[int] = set()
    with transaction.atomic(), connection.cursor() as c:

        def read(sql: str, params: list) -> set[int]:
            c.execute(sql, params)
            return {k for (k,) in c.fetchall()}

        def holding(tokens: set[str]) -> set[int]:
            return read(f"SELECT report_id FROM {text_index.TOKENS} WHERE tokens && %s::text[]", [sorted(tokens)])

        def like(term: str, among: set[int]) -> set[int]:
            sql = "SELECT id FROM incidents_report WHERE id = ANY(%s::bigint[]) AND search_text LIKE %s"
            return read(sql, [bigints(among), _like(term)]) if among else set()

        for term in plain:  # the trigram index when there is one, else every row
            keys |= read("SELECT id FROM incidents_report WHERE search_text LIKE %s", [_like(term)])
        # Reading every row would read every row's tokens: the index, always.
        c.execute("SET LOCAL enable_seqscan = off")
        if exact:
            keys |= holding(exact)
        for term, sets in checked:
            among = holding(sets[0])
            for s in sets[1:]:
                among &= holding(s)
            keys |= like(term, among)
        long = holding({""})  # reports holding a word too long for SearchWord: a few, if any
        for term in terms:
            keys |= like(term, long - keys)
    return sorted(keys)


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _constraints(term: str) -> list[tuple[str, str]] | None:
    """What each word of the column holding the term in a row holds, in order: ("in", w), ("starts",
    w), ("ends", w) or ("is", w). None for a term that is not words between single spaces."""
    words = term.strip(" ").split(" ")
    if any(not w or not w.isalnum() for w in words):
        return None
    first = "is" if term.startswith(" ") else "ends"
    last = "is" if term.endswith(" ") else "starts"
    if len(words) == 1:
        kind = {("is", "is"): "is", ("is", "starts"): "starts", ("ends", "is"): "ends"}.get((first, last), "in")
        return [(kind, words[0])]
    return [(first, words[0]), *(("is", w) for w in words[1:-1]), (last, words[-1])]


def words_holding(constraints: list[tuple[str, str]]) -> dict[tuple[str, str], set[str]]:
    """Every word of every report (SearchWord) that meets each constraint, in one query."""
    patterns = {"in": "%{}%", "starts": "{}%", "ends": "%{}", "is": "{}"}
    found: dict[tuple[str, str], set[str]] = {c: set() for c in constraints}
    if not constraints:
        return found
    likes = sorted({patterns[kind].format(word) for kind, word in constraints})
    with connection.cursor() as c:
        c.execute("SELECT word FROM incidents_searchword WHERE word LIKE ANY(%s)", [likes])
        words = [w for (w,) in c.fetchall()]
    tests = {"in": str.__contains__, "starts": str.startswith, "ends": str.endswith, "is": str.__eq__}
    for kind, word in constraints:
        found[(kind, word)] = {w for w in words if tests[kind](w, word)}
    return found


def targets() -> dict[str, int]:
    """Days per stage: the mechanism's own where set, the defaults elsewhere."""
    return {**chain.TARGET_DAYS, **dict(StageTarget.objects.values_list("stage", "days"))}


def overdue_q(now: dt.datetime) -> Q:
    q = Q(pk__in=[])
    for stage, allowed in targets().items():
        q |= Q(status=stage, stage_since__lt=now - dt.timedelta(days=allowed))
    return q


def due(report: Report) -> dt.datetime | None:
    """When the report's current stage should end; None once the chain has closed it."""
    allowed = targets().get(report.status)
    return chain.due(report.stage_since, allowed) if allowed else None
