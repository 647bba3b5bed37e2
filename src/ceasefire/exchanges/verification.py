"""An exchange as a subject of the verification chain (incidents/subjects.py), and what the chain
made of it (incidents/verifying.py): the verification report's stage and, once concluded, the
number the joint team counted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.incidents import subjects, verifying
from ceasefire.mechanism.commands import get

from .models import Exchange

EXCHANGE = "exchange"


def _label(x: Exchange) -> str:
    return _("Exchange %(ref)s at %(place)s") % {"ref": x.reference, "place": x.text("place")}


subjects.register(
    subjects.Kind(
        code=EXCHANGE,
        find=lambda pk: get(Exchange, pk, "subject"),
        label=_label,
        url=lambda x: reverse("exchange", args=[x.id]),
    )
)


def of(exchange: Exchange, reader) -> verifying.Verification:
    """The exchange's verification as `reader` may read it: `verified` is how many the team counted."""
    return verifying.of(EXCHANGE, exchange.id, reader)
