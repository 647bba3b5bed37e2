"""A departure as a subject of the verification chain (incidents/subjects.py), and what the chain
made of it (incidents/verifying.py): the verification report's stage and, once its findings are
concluded, the number the joint team counted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.incidents import subjects, verifying
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


def of(departure: Departure, reader) -> verifying.Verification:
    """The departure's verification as `reader` may read it: `verified` is what the team counted."""
    return verifying.of(DEPARTURE, departure.id, reader)


def by_departure(departures, reader) -> dict[int, verifying.Verification]:
    return verifying.by_subject(DEPARTURE, departures, reader)
