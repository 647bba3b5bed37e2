"""The figures of a situation report: every number it prints, computed from the record's projections
as one reader (an audience) may read them, by the one aggregation (incidents/stats.py) and the rules
the pages ask (incidents/queries.py, agreements/queries.py, incidents/coverage.py).

`compute` is a function of the projections, the audience, the period and `as_of` (the instant
"overdue" and "today" are measured at) only: `sitrep verify` replays a bundle into a scratch database
and calls it again with the values the PDF states, so every figure it printed is recomputed by the
same code. `Sitrep.figures` is the flat, machine-readable form ({name: integer}) that the PDF carries
and that verify compares; everything else in a Sitrep is how the figures are shown.
"""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from ceasefire import audience, days
from ceasefire import validate as v
from ceasefire.agreements import implementation as rule
from ceasefire.agreements import queries as agreement_queries
from ceasefire.agreements.models import Agreement
from ceasefire.errors import Invalid
from ceasefire.incidents import chain, coverage, queries, stats
from ceasefire.mechanism.models import Decision

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
TREND_MONTHS = 12  # the trend chart: the period's month and the eleven before it
CELL = 1.0  # degrees: the map counts the period's reports in cells of this size, each a number that links to its list
LIBYA_BOX = (
    9.0,
    19.0,
    26.0,
    34.0,
)  # minlon, minlat, maxlon, maxlat: what the map draws (the shipped outline lies inside)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    name: str  # "2026-11", or "2026-11-01..2026-11-15"

    @property
    def monthly(self) -> bool:
        return bool(MONTH.match(self.name))


def parse_period(value: str) -> Period:
    """`YYYY-MM` (a month: the default kind), or `YYYY-MM-DD..YYYY-MM-DD` (any period, both days
    included); anything else is an error naming `period`."""
    value = (value or "").strip()
    m = MONTH.match(value)
    if m and 1 <= int(m.group(2)) <= 12:
        start = dt.date(int(m.group(1)) or 1, int(m.group(2)), 1)
        _within(start)
        start, end = stats.month_span(value)
        return Period(start, end, value)
    r = RANGE.match(value)
    if r:
        try:
            start, end = dt.date.fromisoformat(r.group(1)), dt.date.fromisoformat(r.group(2))
        except ValueError:
            start = end = None
        if start and end and start <= end and (end - start).days <= coverage.MAX_DAYS:
            _within(start)
            _within(end)
            return Period(start, end, value)
        if start and end:
            raise Invalid(
                _("the period must run forward and last at most %(n)d days") % {"n": coverage.MAX_DAYS}, "period"
            )
    raise Invalid(_("must be a month (2026-11) or two days (2026-11-01..2026-11-15)"), "period")


# The days a period may cover: the record's own bounds (validate.EARLIEST/LATEST), less the trend's
# months before the period and a month after it, so that no date the report computes falls outside.
FIRST_DAY = v.EARLIEST.replace(year=v.EARLIEST.year + 1)
LAST_DAY = v.LATEST.replace(month=11, day=30)


def _within(day: dt.date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid(_("must be between %(first)s and %(last)s") % {"first": FIRST_DAY, "last": LAST_DAY}, "period")


@dataclass
class Link:
    """Where a number's entries are listed: a page name and its query parameters (or an anchor)."""

    page: str  # "reports", "agreement_implementation", "event", or "" for an anchor in the report
    params: dict = field(default_factory=dict)
    args: tuple = ()
    anchor: str = ""


@dataclass
class Line:
    key: str  # the figure's name
    label: str
    count: int
    link: Link | None = None
    note: str = ""


@dataclass
class Sitrep:
    audience: str
    period: Period
    as_of: dt.datetime
    figures: dict[str, int] = field(default_factory=dict)
    sections: dict[str, list[Line]] = field(default_factory=dict)
    coverage: list[str] = field(default_factory=list)
    trend: list[tuple[str, Line, list[str]]] = field(default_factory=list)  # (month, its line, its coverage)
    cells: list[tuple[tuple[float, float], Line]] = field(default_factory=list)  # ((minlon, minlat), its line)
    points: int = 0  # reports of the period with coordinates
    decisions: list = field(default_factory=list)
    agreements: list[tuple[Agreement, list[Line], list[tuple[str, list[Line]]]]] = field(default_factory=list)
    checkpoint: tuple[int, str] | None = None  # (size, root as base64) the report was built from

    def add(self, section: str, line: Line) -> Line:
        if line.key in self.figures:
            raise RuntimeError(f"figure {line.key} twice")
        self.figures[line.key] = line.count
        self.sections.setdefault(section, []).append(line)
        return line


def _reports_link(counts: stats.Counts, row: stats.Row | None = None) -> Link | None:
    params = stats.list_filters(counts, row)
    return None if params is None else Link("reports", params)


def _code(value) -> str:
    return "-" if value in (None, "") else str(value)


def compute(reader: str, period: Period, as_of: dt.datetime) -> Sitrep:
    """Every figure of the report of `period`, as the audience `reader` may read the record, with
    "overdue" and "today" measured at `as_of`."""
    reader = audience.audience(reader)
    s = Sitrep(audience=reader, period=period, as_of=as_of)
    today = min(period.end, as_of.astimezone(days.zone()).date())  # the committee's day at as_of
    f = queries.Filters(occurred_from=period.start, occurred_to=period.end)

    # counts of the period, each with the list it counts
    total = stats.count(reader, f, (), stats.REPORTS, now=as_of)
    s.coverage = coverage.sentences(total.coverage)
    for line in total.coverage.lines:
        # named by the area as its first record writes it, in English where it has one: the same name in both languages
        area = (line.records[0].area_en or line.records[0].area_ar).casefold()
        party = line.claimed_by.code if line.claimed_by else "mission"
        s.figures[f"coverage.{area}.{line.kind}.{party}"] = (
            s.figures.get(f"coverage.{area}.{line.kind}.{party}", 0) + line.days
        )
    s.add("totals", Line("reports", _("Reports"), total.total, _reports_link(total)))
    incidents = stats.count(reader, f, (), stats.INCIDENTS, now=as_of)
    s.add(
        "totals", Line("incidents", _("Incidents (reports merged into one)"), incidents.total, _reports_link(incidents))
    )
    findings = stats.count(reader, f, ("result",), stats.FINDINGS, now=as_of)
    s.add("totals", Line("findings", _("Binding findings"), findings.total, _reports_link(findings)))
    for row in findings.rows:
        s.add("findings", Line(f"findings.result.{_code(row.values['result'])}", row.labels["result"], row.count))
    for name in ("category", "alleged_party", "attributed_party", "status"):
        counts = stats.count(reader, f, (name,), stats.REPORTS, now=as_of)
        for row in counts.rows:
            s.add(
                name,
                Line(
                    f"reports.{name}.{_code(row.values[name])}", row.labels[name], row.count, _reports_link(counts, row)
                ),
            )

    # the trend: reports by month over the period's month and the eleven before it
    first = period.start.replace(day=1)
    for _i in range(TREND_MONTHS - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    months = stats.count(reader, queries.Filters(occurred_from=first, occurred_to=period.end), ("month",), now=as_of)
    by_month = {r.values["month"]: r for r in months.rows}
    month = first
    while month <= period.end:
        key = month.strftime("%Y-%m")
        row = by_month.get(key)
        line = Line(
            f"trend.{key}", key, row.count if row else 0, _reports_link(months, row or stats.Row({"month": key}, 0))
        )
        s.add("trend", line)
        s.trend.append((key, line, coverage.sentences(row.coverage) if row and row.coverage else []))
        month = stats.month_span(key)[1] + dt.timedelta(days=1)

    # the map: the period's reports counted in cells of CELL degrees, each linking to its box
    reports = queries.search(queries.violations(queries.visible(reader)), f, as_of)
    cells, unplaced = count_cells(reports)
    for (i, j), n in sorted(cells.items()):
        minlon, minlat = i * CELL, j * CELL
        # the list's box includes its edges: stop just short of the next cell's, which counts its own
        box = f"{minlon:g},{minlat:g},{minlon + CELL - 1e-7:.7f},{minlat + CELL - 1e-7:.7f}"
        line = Line(
            f"map.{minlon:g},{minlat:g}",
            f"{minlat:g}°N {minlon:g}°E",
            n,
            Link("reports", {**_reports_link(total).params, "bbox": box}),
        )
        s.figures[line.key] = n
        s.cells.append(((minlon, minlat), line))
    s.points = sum(cells.values())
    s.add("map", Line("map.unplaced", _("Reports without coordinates"), unplaced))

    # the verification chain as it stands at as_of (every report the reader reads, not only the period's)
    everything = queries.Filters()
    stages = stats.count(reader, everything, ("status",), now=as_of)
    open_rows = {r.values["status"]: r for r in stages.rows}
    for stage in chain.STAGES:
        row = open_rows.get(stage)
        label = str(dict(chain_labels()).get(stage, stage))
        s.add(
            "chain",
            Line(
                f"chain.{stage}",
                label,
                row.count if row else 0,
                _reports_link(stages, row or stats.Row({"status": stage}, 0)),
            ),
        )
    overdue = stats.count(reader, queries.Filters(overdue=True), (), now=as_of)
    s.add("chain", Line("chain.overdue", _("Overdue at their stage"), overdue.total, _reports_link(overdue)))

    # decisions the committee adopted in the period, each a record entry
    s.decisions = decisions_adopted(reader, period)
    s.add(
        "decisions", Line("decisions.adopted", _("Decisions adopted"), len(s.decisions), Link("", anchor="decisions"))
    )

    # foreign forces: departures by the period's last day, claimed and verified side by side (a claim
    # stays a claim), and the withdrawal plan's stages complete by then; each as the reader may read it
    withdrawal_section(s, reader, today)

    # the agreement's implementation on the period's last day, by the committee's agreed statuses
    for agreement in Agreement.objects.order_by("id"):
        provisions = list(agreement_queries.with_implementation(agreement.provisions.order_by("order"), reader))
        standings: dict[str, int] = {}
        themes: dict[str, dict[str, int]] = {}
        for p in provisions:
            state = agreement_queries.implementation(p, reader, today).standing.state
            standings[state] = standings.get(state, 0) + 1
            theme = themes.setdefault(p.category or "", {})
            theme[state] = theme.get(state, 0) + 1
        link = Link("agreement_implementation", args=(agreement.id,))
        lines = []
        for state in rule.STANDINGS:
            if standings.get(state):
                line = Line(f"implementation.{agreement.id}.{state}", standing_label(state), standings[state], link)
                s.figures[line.key] = line.count
                lines.append(line)
        by_theme = []
        for theme, counts in themes.items():
            theme_lines = []
            for state in rule.STANDINGS:
                if counts.get(state):
                    line = Line(
                        f"implementation.{agreement.id}.theme.{theme}.{state}",
                        standing_label(state),
                        counts[state],
                        link,
                    )
                    s.figures[line.key] = line.count
                    theme_lines.append(line)
            by_theme.append((theme, theme_lines))
        s.agreements.append((agreement, lines, by_theme))
    return s


def count_cells(reports) -> tuple[dict[tuple[int, int], int], int]:
    """The reports with coordinates counted in cells of CELL degrees (keyed by the cell's place in
    the grid), and the number without coordinates: the map's figures, here and on the public page."""
    cells: dict[tuple[int, int], int] = {}
    unplaced = 0
    for lat, lon in reports.values_list("latitude", "longitude").iterator(chunk_size=5000):
        if lat is None or lon is None:
            unplaced += 1
            continue
        cell = (math.floor(lon / CELL), math.floor(lat / CELL))
        cells[cell] = cells.get(cell, 0) + 1
    return cells, unplaced


def withdrawal_section(s: Sitrep, reader: str, day: dt.date) -> None:
    from ceasefire.forces import queries as forces
    from ceasefire.forces import withdrawal
    from ceasefire.forces.models import Stage

    rows = forces.departed(reader)
    if rows is not None:
        t = withdrawal.tally(rows, day)
        link = Link("withdrawal_progress")
        names = forces.claimant_names()
        for c in t.claims:  # rival claims side by side, one line per claimant, never one sum
            label = _("People claimed departed by %(claimant)s (the claims as made)") % {
                "claimant": names.get(c.claimant, c.claimant)
            }
            s.add("withdrawal", Line(f"withdrawal.claimed.{c.claimant}", label, c.claimed, link))
        s.add(
            "withdrawal", Line("withdrawal.verified", _("People verified departed by the monitors"), t.verified, link)
        )
        s.add("withdrawal", Line("withdrawal.departures", _("Departures claimed"), t.departures, link))
        s.add(
            "withdrawal",
            Line(
                "withdrawal.verified_departures",
                _("Departures with a concluded verification"),
                t.verified_departures,
                link,
            ),
        )
    if audience.reads(reader, "stage", "completion"):
        stages = audience.rows(reader, "stage", Stage.objects.all())
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), days.zone())
        complete = stages.filter(completed_at__lt=end).count()
        link = Link("withdrawal")
        s.add("withdrawal", Line("withdrawal.stages", _("Stages of the withdrawal plan"), stages.count(), link))
        s.add(
            "withdrawal",
            Line(
                "withdrawal.stages_complete",
                _("Stages complete (every side, or an imbalance the committee recorded)"),
                complete,
                link,
            ),
        )


def decisions_adopted(reader: str, period: Period) -> list[Decision]:
    """The decisions the reader may read as adopted, whose adoption falls in the period: the day the
    source gives where it gives one, else the committee's day (DISPLAY_TIME_ZONE, as layers take
    effect) on which the record says so."""
    if not audience.reads(reader, "decision", "adopted"):
        return []
    zone = days.zone()
    start = dt.datetime.combine(period.start, dt.time(), zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), zone)
    qs = audience.rows(reader, "decision", Decision.objects.filter(adopted=True)).filter(
        Q(adopted_on__gte=period.start, adopted_on__lte=period.end)
        | Q(adopted_on__isnull=True, adopted_at__gte=start, adopted_at__lt=end)
    )
    return list(qs.select_related("meeting").order_by("adopted_on", "adopted_at", "id"))


def chain_labels():
    from ceasefire.incidents.models import Status

    return Status.choices


def standing_label(state: str) -> str:
    return {
        rule.DONE: _("Fully implemented"),
        rule.OVERDUE: _("Overdue (agreed status below full)"),
        rule.DUE: _("Past its deadline, no agreed status"),
        rule.NOT_DUE: _("Not yet due"),
        rule.CONDITIONAL: _("Waiting on a condition"),
        rule.NO_DEADLINE: _("No deadline"),
    }[state]
