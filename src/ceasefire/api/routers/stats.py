"""Counts with their coverage (incidents/stats.py) and the coverage records themselves
(incidents/coverage.py). The reads are PUBLIC routes: each reader counts and reads what its audience
may (ceasefire.audience), as in the list of reports, whose filters these routes read the same way."""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ceasefire.incidents import coverage, stats
from ceasefire.record import log

from ..auth import PUBLIC, reader
from ..common import Id, reading, writing
from ..schemas import CoverageIn, CoverageOut, ReportStatusName, StatsOut, VisibilityIn
from .reports import Day, PartyCode, filters

router = Router(tags=["stats"])


def _summary(s: coverage.Summary) -> dict:
    return {
        "period_from": s.start,
        "period_to": s.end,
        "days": s.days,
        "lines": [
            {
                "area": line.area,
                "kind": line.kind,
                "claimed_by": line.claimed_by.code if line.claimed_by else None,
                "days": line.days,
                "of": line.of,
                "text": coverage.sentence(line),
            }
            for line in s.lines
        ],
        "text": coverage.sentences(s),
    }


@router.get(
    "/stats",
    auth=PUBLIC,
    response=reading(StatsOut),
    summary="Counts of reports, incidents or binding findings, with the coverage of their period",
    description=(
        "The filters of GET /reports, and `by`: the dimensions to count by (repeated, or comma-separated), "
        f"among {', '.join(stats.DIMENSIONS)} (`result` with `unit=findings` only). `unit`: `reports` (the "
        "default), `incidents` (an incident keeps every allegation of the reports merged into it) or "
        "`findings` (binding findings only). `attributed_party` counts only what binding findings hold a "
        "party responsible for. Each reader counts what it may read: observers what was shared with them, "
        "the public what was published. `coverage` says where and when monitoring was possible in the "
        "period (the filters' dates, else the months of the counted reports, never beyond today); by month, each "
        "row has its month's. Each bad parameter answers 422 naming it."
    ),
)
def counts(
    request,
    by: Annotated[list[str] | None, Query(description="dimensions, e.g. category,month")] = None,
    unit: Annotated[str | None, Query(description="reports, incidents or findings")] = None,
    status: Query[ReportStatusName | None] = None,
    category: Annotated[str | None, Query(description="a typology code (GET /typology)")] = None,
    alleged_party: PartyCode = None,
    attributed_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat", example="15,31,16,32")] = None,
    q: Annotated[str | None, Query(description="free text, or a report's reference")] = None,
    overdue: Annotated[bool, Query(description="only reports past the target of their stage")] = False,
):
    unit = stats.parse_unit(unit)
    dimensions = stats.parse_by(by or [], unit)
    f = filters(status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party)
    c = stats.count(reader(request), f, dimensions, unit, log._clock())
    return {
        "counts": c.unit,
        "by": list(c.by),
        "total": c.total,
        "rows": [
            {
                "values": r.values,
                "labels": r.labels,
                "count": r.count,
                "coverage": _summary(r.coverage) if r.coverage else None,
            }
            for r in c.rows
        ],
        "coverage": _summary(c.coverage),
    }


@router.get(
    "/coverage",
    auth=PUBLIC,
    response=reading(list[CoverageOut]),
    summary="Where and when monitoring was possible, and where it was not",
    description=(
        "The coverage records that overlap `from`..`to` (YYYY-MM-DD; all of them without), newest first. "
        "`claimed_by` null is the mission's own record; a party code is that party's claim. Observers read "
        "what was shared with them, the public what was published; how a source is described stays with "
        "the parties."
    ),
)
def coverage_list(
    request, from_: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None, to: Day = None
):
    from ceasefire import validate as v
    from ceasefire.errors import Invalid

    start, end = v.date(from_, "from"), v.date(to, "to")
    if start and end and end < start:
        raise Invalid(_("must not be before from"), "to")
    qs = coverage.visible(reader(request))
    if start:
        qs = qs.filter(ends_on__gte=start)
    if end:
        qs = qs.filter(starts_on__lte=end)
    return list(qs)


@router.post(
    "/coverage",
    response=writing(CoverageOut, 201),
    summary="Record coverage: a deployment, or an area and period without access",
    description=(
        "`kind`: `deployed` (monitors or a joint team reached the area), `no_access` or `denied` (with "
        "`denied_by`, the party said to have denied it). The facilitator and the monitors record the "
        "mission's own; a party's delegate records its party's, which is that party's claim."
    ),
)
def record_coverage(request, payload: CoverageIn):
    return Status(201, coverage.record_coverage(request.auth, payload.data()))


@router.post(
    "/coverage/{coverage_id}/visibility",
    response=writing(CoverageOut),
    summary="Share a coverage record with the observers, or publish it (the facilitator)",
)
def share_coverage(request, coverage_id: Id, payload: VisibilityIn):
    return coverage.share_coverage(request.auth, coverage_id, payload.data())
