"""Counts of reports, incidents and findings, as the reader may see them, each with its coverage.

The one aggregation: the API (`GET /api/v1/stats`) and the stats page ask `count`, and it counts in
the database (GROUP BY), never over rows in Python. What it counts is what the reader may read:
- reports: `queries.visible` (observers count only what was shared with them, the public only what
  was published), narrowed by the list's own filters (`queries.Filters`, `queries.search`), so a
  number and the list it links to always agree;
- incidents: the distinct incidents of those reports (an incident keeps the reports merged into it,
  each with its own allegation, so a count by alleged party says which it counts);
- findings: the binding findings of those reports only (a draft's words are one side's);
- attributed party: only where a binding finding holds a party responsible (`queries.binding_q`),
  for every reader alike.
A count is never shown bare: `Counts.coverage` is the coverage of its period (incidents/coverage.py).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, CharField, Count, F, FilteredRelation, Func, Max, Min, Q, Value, When
from django.db.models.functions import Substr, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire import days
from ceasefire.errors import Invalid
from ceasefire.mechanism.models import Party, in_language
from ceasefire.record import log

from . import chain, queries
from .coverage import Summary
from .coverage import summary as coverage_of
from .models import Category, Finding, Status

REPORTS, INCIDENTS, FINDINGS = "reports", "incidents", "findings"
UNITS = (REPORTS, INCIDENTS, FINDINGS)

# Each dimension a count may be broken down by, with its label. A dimension is a column of the
# report (or, for `result`, of a binding finding). district: when reports carry one (the issue's
# districts), add it here and in `_expression`, and `coverage.summary` can match it instead of
# its area text.
DIMENSIONS = {
    "category": gettext_lazy("Kind of violation"),
    "alleged_party": gettext_lazy("Alleged perpetrator"),
    "attributed_party": gettext_lazy("Held responsible by binding findings"),
    "status": gettext_lazy("Stage"),
    "month": gettext_lazy("Month"),
    "result": gettext_lazy("Finding"),
}
FINDINGS_ONLY = ("result",)
MAX_BY = 3


def parse_by(value, unit: str = REPORTS) -> tuple[str, ...]:
    """`by=category,month` (or a list of such): the dimensions, in order; each bad one is an error
    naming `by`."""
    parts = value if isinstance(value, list | tuple) else [value]
    names = []
    for part in parts:
        if part in (None, ""):
            continue
        if not isinstance(part, str):
            raise Invalid(_("must be a comma-separated list of dimensions"), "by")
        names += [n.strip() for n in part.split(",") if n.strip()]
    for name in names:
        if name not in DIMENSIONS:
            raise Invalid(
                _("%(name)s is not a dimension; use %(known)s") % {"name": name[:40], "known": ", ".join(DIMENSIONS)},
                "by",
            )
        if name in FINDINGS_ONLY and unit != FINDINGS:
            raise Invalid(_("%(name)s counts findings only: add unit=findings") % {"name": name}, "by")
    if len(set(names)) != len(names):
        raise Invalid(_("names a dimension twice"), "by")
    if len(names) > MAX_BY:
        raise Invalid(_("at most %(n)d dimensions") % {"n": MAX_BY}, "by")
    return tuple(names)


def parse_unit(value) -> str:
    if value in (None, ""):
        return REPORTS
    if value not in UNITS:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(UNITS)}, "unit")
    return value


@dataclass
class Row:
    values: dict  # dimension -> code (None: not known / none binding); month: "YYYY-MM"
    count: int
    labels: dict = field(default_factory=dict)  # dimension -> label in the reader's language
    coverage: Summary | None = None  # of the row's month, when counted by month


@dataclass
class Counts:
    unit: str
    by: tuple[str, ...]
    rows: list[Row]
    total: int
    start: dt.date  # the period counted (the filters' dates, else the counted reports' span)
    end: dt.date
    coverage: Summary
    filters: queries.Filters

    @property
    def largest(self) -> int:
        return max((r.count for r in self.rows), default=0)


# ---------------------------------------------------------------- counting


def _expression(name: str, unit: str):
    """The column (or expression) a dimension groups by, from the counted model."""
    on_report = "report__" if unit == FINDINGS else ""
    if name == "month":  # "YYYY-MM" of the report's day as the committee counts days (days.py)
        at, zone = f"{on_report}occurred_at", days.zone()
        if connection.vendor == "sqlite":
            # SQLite keeps a time as its UTC text ("2021-01-05 03:40:00"): for a day alone, its first
            # seven characters are the month. TruncMonth calls Python for each row, twenty times
            # slower: only for the reports that give a time.
            in_utc, local = Substr(at, 1, 7), Substr(TruncMonth(at, tzinfo=zone), 1, 7)
        else:
            in_utc, local = (
                Func(Func(Value(z), F(at), function="timezone"), Value("YYYY-MM"), function="to_char")
                for z in ("UTC", zone.key)
            )
        return Case(When(**{f"{on_report}time_known": True}, then=local), default=in_utc, output_field=CharField())
    if name == "attributed_party":
        if unit == FINDINGS:  # binding already: only concluded reports' findings are counted
            return Case(When(result="violation", then=F("attributed_to_id")), default=None, output_field=CharField())
        return Case(
            When(status=chain.CONCLUDED, then=F("held__attributed_to_id")), default=None, output_field=CharField()
        )
    if name == "result":
        return F("result")
    return F(f"{on_report}{name}" + ("_id" if name in ("category", "alleged_party") else ""))


def count(
    reader, filters: queries.Filters, by: tuple[str, ...] = (), unit: str = REPORTS, now: dt.datetime | None = None
) -> Counts:
    reports = queries.search(queries.violations(queries.visible(reader)), filters, now)
    # the total and the span of the counted reports' times, in one pass over them
    whole = {REPORTS: Count("id"), INCIDENTS: Count("incident_id", distinct=True), FINDINGS: Count("id")}[unit]
    span = reports.aggregate(n=whole, first=Min("occurred_at"), last=Max("occurred_at"))
    total = span["n"]
    if unit == FINDINGS:
        base = Finding.objects.filter(report__in=reports.values("id"), report__status=chain.CONCLUDED)
        counted, total = Count("id"), base.count()
    else:
        base = reports
        if "attributed_party" in by:
            # one row per report and party a binding finding holds responsible (a report with none: one
            # row, no party); a report held against two parties counts once in each party's row
            base = base.annotate(
                held=FilteredRelation(
                    "findings", condition=Q(findings__result="violation", findings__attributed_to__isnull=False)
                )
            )
        # a report is one row unless joined to its findings
        counted = (
            Count("incident_id", distinct=True) if unit == INCIDENTS else Count("id", distinct="attributed_party" in by)
        )
    rows = []
    if by:
        grouped = (
            base.annotate(**{f"d_{name}": _expression(name, unit) for name in by})
            .values(*(f"d_{name}" for name in by))
            .annotate(n=counted)
            .order_by(*(f"d_{name}" for name in by))
        )
        for g in grouped:
            values = {name: g[f"d_{name}"] for name in by}
            rows.append(Row(values=values, count=g["n"]))
        _label(rows, by)
        rows.sort(key=lambda r: tuple(_order(name, r) for name in by))
    start, end = _period(filters, span["first"], span["last"], now)
    result = Counts(
        unit=unit,
        by=by,
        rows=rows,
        total=total,
        start=start,
        end=end,
        filters=filters,
        coverage=coverage_of(reader, start, end),
    )
    if "month" in by:
        months = {}  # one summary per month, however many rows share it
        for r in rows:
            month = r.values["month"]
            if month and month not in months:
                first, last = month_span(month)
                months[month] = coverage_of(reader, max(first, start), max(min(last, end), first))
            r.coverage = months.get(month)
    return result


def month_span(month: str) -> tuple[dt.date, dt.date]:
    first = dt.date.fromisoformat(month + "-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _period(
    filters: queries.Filters, first: dt.datetime | None, last: dt.datetime | None, now: dt.datetime | None
) -> tuple[dt.date, dt.date]:
    """The period the count covers: the filters' dates where given, else the months of the counted
    reports, from the first one's to the last one's (this month when there is none). Never beyond
    today: no one was deployed tomorrow."""
    today = (now or log._clock()).astimezone(days.zone()).date()
    # The first and last moments counted, whose days may be a day alone's or the committee's: the
    # earlier of the two for the first, the later for the last, so the period holds every report.
    first = min(first.astimezone(dt.UTC).date(), first.astimezone(days.zone()).date()) if first else today
    last = max(last.astimezone(dt.UTC).date(), last.astimezone(days.zone()).date()) if last else today
    start = filters.occurred_from or first.replace(day=1)
    end = filters.occurred_to or month_span(last.strftime("%Y-%m"))[1]
    end = max(min(end, today), start)
    return start, end


# ---------------------------------------------------------------- labels


def _label(rows: list[Row], by: tuple[str, ...]) -> None:
    parties = {p.code: in_language(p, "name") for p in Party.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    statuses = dict(Status.choices)
    results = dict(Finding.RESULTS)
    for r in rows:
        for name in by:
            value = r.values[name]
            if name == "category":
                label = in_language(categories[value], "name") if value in categories else value
            elif name == "alleged_party":
                label = parties.get(value, value) if value else _("not known")
            elif name == "attributed_party":
                label = parties.get(value, value) if value else _("no binding attribution")
            elif name == "status":
                label = str(statuses.get(value, value))
            elif name == "result":
                label = str(results.get(value, value))
            else:
                label = value or _("not known")
            r.labels[name] = str(label)


def _order(name: str, row: Row):
    """Rows in the typology's, the parties' and the chain's order; months oldest first."""
    value = row.values[name]
    if name == "status":
        return (chain.STATUSES.index(value) if value in chain.STATUSES else 99, "")
    return (value is None, str(value or ""))


# ---------------------------------------------------------------- what a row counts, as list filters


def list_filters(counts: Counts, row: Row | None = None) -> dict[str, str]:
    """The report list's query parameters that show the reports a number counts: the count's own
    filters, narrowed by the row's values. None when the list cannot show them (a finding's result)."""
    f = counts.filters
    params = {
        "status": f.status,
        "category": f.category,
        "alleged_party": f.alleged_party,
        "attributed_party": f.attributed_party,
        "occurred_from": f.occurred_from.isoformat() if f.occurred_from else "",
        "occurred_to": f.occurred_to.isoformat() if f.occurred_to else "",
        "bbox": ",".join(str(x) for x in f.bbox) if f.bbox else "",
        "q": f.text,
        "overdue": "1" if f.overdue else "",
    }
    if counts.unit == FINDINGS:
        params["status"] = chain.CONCLUDED
    for name, value in row.values.items() if row else ():
        if name == "result":
            return None
        if name == "month":
            if value is None:
                return None
            first, last = month_span(value)
            params["occurred_from"] = max(first, f.occurred_from or first).isoformat()
            params["occurred_to"] = min(last, f.occurred_to or last).isoformat()
        elif name in ("alleged_party", "attributed_party"):
            params[name] = value or queries.NO_PARTY
        else:
            params[name] = value
    return {k: v for k, v in params.items() if v}
