"""A clearance report as a subject of the verification chain (incidents/subjects.py), and what the
chain made of it (incidents/verifying.py): verified once the findings of its verification are
concluded."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.incidents import subjects, verifying
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


def of(clearance: Clearance, reader) -> verifying.Verification:
    """The clearance's verification as `reader` may read it; `verified` is 1 once concluded."""
    return verifying.of(CLEARANCE, clearance.id, reader, counted=False)
