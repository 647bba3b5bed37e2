"""A departure as a subject of the verification chain (incidents/subjects.py), and what the chain
made of it: the verification report's stage and, once its findings are concluded, the number the
joint team counted."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.incidents import chain, subjects
from ceasefire.incidents.models import Report
from ceasefire.mechanism.commands import get

from .models import Departure

DEPARTURE = "departure"


def _label(d: Departure) -> str:
    return _("Departure %(ref)s: %(n)d of %(group)s") % {
        "ref": d.reference,
        "n": d.claimed,
        "group": d.group.text("name"),
    }


subjects.register(
    subjects.Kind(
        code=DEPARTURE,
        find=lambda pk: get(Departure, pk, "subject"),
        label=_label,
        url=lambda d: reverse("departure", args=[d.id]),
    )
)


@dataclass(frozen=True)
class Verification:
    report: Report | None  # the latest verification report the reader may read; None: none
    status: str  # chain status, or "" when none
    verified: int | None  # the concluded findings' count; None until concluded (or unreadable)


def of(departure: Departure, reader, reports: list[Report] | None = None) -> Verification:
    """The departure's verification as `reader` may read it (ceasefire.audience)."""
    if reports is None:
        reports = list(Report.objects.filter(subject_kind=DEPARTURE, subject_id=departure.id).order_by("id"))
    readable = [r for r in reports if audience.report_reads(reader, r)]
    if not readable:
        return Verification(None, "", None)
    r = readable[-1]
    verified = None
    if r.status == chain.CONCLUDED and audience.finding_reads(reader, r):
        counts = [f.count for f in r.findings.all() if f.count is not None]
        verified = sum(counts) if counts else None
    return Verification(r, r.status, verified)


def by_departure(departures, reader) -> dict[int, Verification]:
    """Every departure's verification, read in one query of reports."""
    ids = [d.id for d in departures]
    reports: dict[int, list] = {}
    for r in (
        Report.objects.filter(subject_kind=DEPARTURE, subject_id__in=ids).prefetch_related("findings").order_by("id")
    ):
        reports.setdefault(r.subject_id, []).append(r)
    return {d.id: of(d, reader, reports.get(d.id, [])) for d in departures}
