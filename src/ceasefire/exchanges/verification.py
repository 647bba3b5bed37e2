"""An exchange as a subject of the verification chain (incidents/subjects.py), and what the chain
made of it: the verification report's stage and, once concluded, the number the joint team counted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire.forces.verification import Verification
from ceasefire.incidents import chain, subjects
from ceasefire.incidents.models import Report
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


def of(exchange: Exchange, reader) -> Verification:
    """The exchange's verification as `reader` may read it (ceasefire.audience)."""
    reports = list(Report.objects.filter(subject_kind=EXCHANGE, subject_id=exchange.id).order_by("id"))
    readable = [r for r in reports if audience.report_reads(reader, r)]
    if not readable:
        return Verification(None, "", None)
    r = readable[-1]
    verified = None
    if r.status == chain.CONCLUDED and audience.finding_reads(reader, r):
        counts = [f.count for f in r.findings.all() if f.count is not None]
        verified = sum(counts) if counts else None
    return Verification(r, r.status, verified)
