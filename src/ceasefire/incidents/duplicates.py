"""Which reports may tell of the same event: candidates for the facilitator's triage, never merged
by themselves. Three hundred reports of six events arrive before a deadline; the facilitator
should not have to find each original by hand.

A candidate is a report of the same category, near in place and in time, each as precise as the
two reports claim: a report that names only its district is "in the same district", never some
kilometres from a point it does not claim; a report dated only to a week is anywhere in that week.
Each candidate carries why (kilometres, hours apart, how alike the texts are) so that the
facilitator decides. Only the facilitator triages, so only the facilitator is shown candidates,
and only among the reports it reads (queries.visible): no rule of who reads what is restated here.
"""

import bisect
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from ceasefire import days
from ceasefire.places import geometry
from ceasefire.places.gazetteer import gazetteer
from ceasefire.record.log import Actor
from ceasefire.text import normalise

from . import chain, commands, queries
from .exchange import date_span
from .mapping import NEAR_RADIUS_M
from .models import Report

# Two points this far apart may still be one event seen from two places (a shelling heard in a
# town, reported from the next village). A "near" report (precision 2) adds its own radius.
NEAR_KM = 10.0
# Two reports whose times, as precise as each claims, are this close may tell of one event.
WITHIN = dt.timedelta(hours=24)
# A report without coordinates is a candidate only when its text is at least this alike.
SIMILAR = 0.3
# The widest a report's time may be from the day it gives (within a month: ACLED codes its middle).
WIDEST = dt.timedelta(days=32)
DAY = dt.timedelta(days=1)
MOST = 10  # candidates shown for one report

# Words that say nothing of an event (kept short: only the commonest, normalised as text.normalise does).
COMMON = frozenset(
    "في من على الى عن مع الي او و ب ل ال هذا هذه ذلك التي الذي كان قد ما لا ثم بعد قبل عند حوالي "
    "the a an of in on at to by with from and or near was were is are has have had for about".split()
)

FIELDS = (
    "id",
    "year",
    "number",
    "category_id",
    "title_ar",
    "title_en",
    "narrative_ar",
    "narrative_en",
    "place_ar",
    "place_en",
    "occurred_at",
    "time_known",
    "time_precision",
    "latitude",
    "longitude",
    "geo_precision",
    "received_at",
    "status",
)


@dataclass(frozen=True)
class Candidate:
    """Another report that may tell of the same event, and why."""

    report: Report
    km: float | None  # between the points the two give; None when either gives none, or only its district
    district: str  # the district both lie in, when either names only its district; "" otherwise
    hours: float  # between what the two say of their time; 0 when their times may coincide
    similarity: float  # 0 to 1: words the texts share in the same language, of all their words
    earlier: bool  # received before the report it is a candidate for: the likelier original


def span(r: Report) -> tuple[dt.datetime, dt.datetime]:
    """The earliest and latest the report says the event may have happened."""
    if r.time_precision == 1 and r.time_known:
        return r.occurred_at, r.occurred_at
    # the days it gives are the committee's (days.py): from the first's start to the last's end there
    first, last = date_span(days.day_of(r.occurred_at, r.time_known), r.time_precision)
    start = dt.datetime.combine(first, dt.time(), tzinfo=days.zone())
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=days.zone())


def apart(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> dt.timedelta:
    """The time between two spans; none when they overlap."""
    return max(dt.timedelta(0), max(a[0], b[0]) - min(a[1], b[1]))


@functools.lru_cache(maxsize=4096)
def _district(lat: float, lon: float) -> str:
    found = gazetteer().district_at(lat, lon)
    return found.code if found is not None else ""


def _radius(r: Report) -> float:
    return NEAR_RADIUS_M / 1000 if r.geo_precision == 2 else 0.0


def place(a: Report, b: Report) -> tuple[bool | None, float | None, str]:
    """(near, km, district) of two reports, as precise as each claims; near is None when either
    gives no coordinates (where it happened cannot be compared)."""
    if a.latitude is None or b.latitude is None:
        return None, None, ""
    if a.geo_precision == 3 or b.geo_precision == 3:
        here, there = _district(a.latitude, a.longitude), _district(b.latitude, b.longitude)
        same = bool(here) and here == there
        return same, None, here if same else ""
    km = geometry.km(a.latitude, a.longitude, b.latitude, b.longitude)
    return km <= NEAR_KM + _radius(a) + _radius(b), km, ""


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalise(text).split() if w not in COMMON)


def _texts(r: Report) -> tuple[frozenset[str], frozenset[str]]:
    """The report's words in each language: what its title and narrative say."""
    return words(f"{r.title_ar} {r.narrative_ar}"), words(f"{r.title_en} {r.narrative_en}")


def similarity(a: tuple, b: tuple) -> float:
    """How alike two reports' texts are: of the words in one language in either, the share in
    both (Jaccard), in the language where they are most alike."""
    best = 0.0
    for x, y in zip(a, b, strict=True):
        if x and y:
            best = max(best, len(x & y) / len(x | y))
    return best


def _pool(actor: Actor, reports: list[Report]):
    """The reports the actor reads that may be candidates for any of `reports`: the same
    categories, within the widest time any of them may be. A duplicate is left out: its original
    stands for it."""
    spans = [span(r) for r in reports]
    low, high = min(s for s, _e in spans) - WITHIN, max(e for _s, e in spans) + WITHIN
    # A report dated to its day (precision 1) spans a day at most; one dated to a week or a month, up to WIDEST.
    within_a_day = Q(time_precision=1, occurred_at__gte=low - DAY, occurred_at__lte=high + DAY)
    looser = Q(time_precision__gt=1, occurred_at__gte=low - WIDEST, occurred_at__lte=high + WIDEST)
    return (
        queries.visible(actor)
        .filter(within_a_day | looser, category_id__in={r.category_id for r in reports}, duplicate_of__isnull=True)
        .only(*FIELDS)
    )


class _Index:
    """The pool by category, ordered by the start of each report's span, for finding those whose
    span may come near a report's without comparing every pair. Spans of a day at most are kept
    apart from the wider ones (a week, a month), so that a report looks back a day for most of the
    pool and a month only for the few dated so loosely."""

    def __init__(self, pool):
        self.rows = defaultdict(list)
        for r in pool:
            s = span(r)
            self.rows[(r.category_id, s[1] - s[0] > DAY)].append((s, r))
        self.starts = {}
        for key, rows in self.rows.items():
            rows.sort(key=lambda row: (row[0][0], row[1].id))
            self.starts[key] = [s for (s, _e), _r in rows]
        self.texts: dict[int, tuple] = {}

    def _spans(self, r: Report, own: tuple):
        """The pool's reports of r's category whose spans may come within WITHIN of `own`."""
        for wide, longest in ((False, DAY), (True, WIDEST)):
            key = (r.category_id, wide)
            rows, starts = self.rows.get(key, []), self.starts.get(key, [])
            # A span starts at most `longest` before it ends: those starting earlier end too early.
            first = bisect.bisect_left(starts, own[0] - WITHIN - longest)
            last = bisect.bisect_right(starts, own[1] + WITHIN)
            yield from rows[first:last]

    def text(self, r: Report) -> tuple:
        if r.id not in self.texts:
            self.texts[r.id] = _texts(r)
        return self.texts[r.id]

    def near(self, r: Report) -> list[Candidate]:
        own = span(r)
        out = []
        for other_span, other in self._spans(r, own):
            if other.id == r.id:
                continue
            gap = apart(own, other_span)
            if gap > WITHIN:
                continue
            near, km, district = place(r, other)
            if near is False:
                continue
            alike = similarity(self.text(r), self.text(other))
            if near is None and alike < SIMILAR:
                continue
            earlier = (other.received_at, other.id) < (r.received_at, r.id)
            out.append(Candidate(other, km, district, gap.total_seconds() / 3600, alike, earlier))
        # The likeliest first: placed near rather than unplaced, alike in words, close in time and place.
        out.sort(key=lambda c: (c.km is None and not c.district, -c.similarity, c.hours, c.km or 0, c.report.id))
        return out[:MOST]


def _refuse(actor: Actor) -> None:
    refusal = commands.selection_refusal(actor)  # whoever triages, and nobody else
    if refusal is not None:
        raise refusal


def candidates(actor: Actor, r: Report) -> list[Candidate]:
    """The reports that may tell of the same event as `r`, the likeliest first (at most MOST)."""
    _refuse(actor)
    return _Index(_pool(actor, [r])).near(r)


def awaiting_triage(actor: Actor) -> list[tuple[Report, list[Candidate]]]:
    """The reports awaiting triage, each with its candidates: those that are candidates of one
    another together (what may be one event, to be ticked at once), the earliest received first."""
    _refuse(actor)
    pending = list(
        queries.visible(actor)
        .filter(status=chain.RECEIVED)
        .select_related("category")
        .order_by("received_at", "id")
        .only(*FIELDS, "category__name_ar", "category__name_en")
    )
    if not pending:
        return []
    index = _Index(_pool(actor, pending))
    found = {r.id: index.near(r) for r in pending}
    group = _groups(pending, found)
    first = {}
    for i, r in enumerate(pending):  # a group's place: its earliest report's
        first.setdefault(group[r.id], i)
    order = sorted(range(len(pending)), key=lambda i: (first[group[pending[i].id]], i))
    return [(pending[i], found[pending[i].id]) for i in order]


def _groups(pending: list[Report], found: dict) -> dict[int, int]:
    """Each pending report's group: the pending reports linked to it through candidates."""
    parent = {r.id: r.id for r in pending}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in pending:
        for c in found[r.id]:
            if c.report.id in parent:
                parent[root(c.report.id)] = root(r.id)
    return {r.id: root(r.id) for r in pending}
