"""A clearance report as a subject of the verification chain (incidents/subjects.py), and what the
chain made of it: verified once the findings of its verification are concluded."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.forces.verification import Verification
from ceasefire.incidents import chain, subjects
from ceasefire.incidents.models import Report
from ceasefire.mechanism.commands import get

from .models import Clearance

CLEARANCE = "clearance"


def _label(c: Clearance) -> str:
    return _("Clearance %(ref)s of %(area)s") % {"ref": c.reference, "area": c.area.text("name")}


subjects.register(
    subjects.Kind(
        code=CLEARANCE,
        find=lambda pk: get(Clearance, pk, "subject"),
        label=_label,
        url=lambda c: reverse("mine_area", args=[c.area_id]),
    )
)


def of(clearance: Clearance, reader) -> Verification:
    """The clearance's verification as `reader` may read it; `verified` is 1 once concluded."""
    reports = list(Report.objects.filter(subject_kind=CLEARANCE, subject_id=clearance.id).order_by("id"))
    readable = [r for r in reports if audience.report_reads(reader, r)]
    if not readable:
        return Verification(None, "", None)
    r = readable[-1]
    concluded = r.status == chain.CONCLUDED and audience.finding_reads(reader, r)
    return Verification(r, r.status, 1 if concluded else None)
