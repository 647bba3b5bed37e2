"""Publishing for the public what the committee decided or agreed, and the rule of who may and when.

The public reads neither decisions nor the committee's agreed statuses from their own entries (the
observers do: audience.py); the facilitator decides what is published (the secretariat speaks for
the committee). A publication copies into an entry of its own what the public may then read, so
that anyone holding the public bundle reads exactly what was published, and names the entry it
copies, which the parties and observers can check it against."""

from django.utils.translation import gettext as _

from ceasefire import days
from ceasefire import validate as v
from ceasefire.agreements.models import AgreedStatus
from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism.models import Decision
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record.log import Actor, append, command

from .models import Publication

SUBJECTS = {Publication.DECISION: Decision, Publication.AGREED_STATUS: AgreedStatus}


def subject_row(subject, pk):
    """The row `subject` `pk` names; a 422 naming the field for a subject that is not one, a 404 for a row that does not exist."""
    model = SUBJECTS.get(subject) if isinstance(subject, str) else None
    if model is None:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(SUBJECTS)}, "subject")
    pk = v.integer(pk, "id", minimum=1, maximum=2**62)
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": subject, "value": pk}, "id")
    return row


def published(subject: str, pk) -> Publication | None:
    return Publication.objects.filter(subject=subject, subject_id=pk).first()


def publication_refusal(actor: Actor | None, subject: str, row):
    """Why `row` may not be published now, or None: the facilitator publishes, an adopted decision
    or an agreed status, once."""
    if not facilitates(actor):
        return Forbidden(_("Only the facilitator publishes for the public."))
    if subject == Publication.DECISION and not row.adopted:
        return Conflict(_("Only a decision the record states adopted is published."), "id")
    given = published(subject, row.pk)
    if given is not None:
        return Conflict(_("Published already (entry #%(n)s).") % {"n": given.id}, "id")
    return None


def copy(subject: str, row) -> dict:
    """What a publication holds: the row's words and dates as its entries state them, and the entry it copies."""
    if subject == Publication.DECISION:
        meeting = row.meeting
        return {
            "entry": row.id,
            "meeting": meeting.reference,
            "meeting_starts_on": meeting.starts_on.isoformat(),
            "number": row.number,
            "text_ar": row.text_ar,
            "text_en": row.text_en,
            "adopted_through": row.adopted_through,
            "adopted_on": _adopted_on(row),
            "adopted_source": row.adopted_source,
        }
    return {
        "entry": row.id,
        "provision": row.provision_id,
        "status": row.status,
        "as_of": row.as_of.isoformat(),
        "reasoning_ar": row.reasoning_ar,
        "reasoning_en": row.reasoning_en,
        "source": row.source,
    }


def _adopted_on(decision) -> str | None:
    """The day it was adopted: the committee's day (not UTC's) the record adopted it through the
    parties' positions; for a sourced adoption, the day its source gives, or None when it gives
    none (the day the record was loaded is no day of adoption)."""
    if decision.adopted_per_source:
        return decision.adopted_on.isoformat() if decision.adopted_on else None
    return decision.adopted_at.astimezone(days.zone()).date().isoformat()


@command
def publish(actor: Actor, data: dict) -> Publication:
    subject = data.get("subject")
    row = subject_row(subject, data.get("id"))
    refusal = publication_refusal(actor, subject, row)
    if refusal is not None:
        raise refusal
    entry = append("publication.made", {"subject": subject, "id": row.pk, **copy(subject, row)}, actor)
    return Publication.objects.get(id=entry.seq)
