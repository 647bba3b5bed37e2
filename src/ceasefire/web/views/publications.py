"""Publishing for the public (ceasefire.publications): the copy shown as the public will read it,
the command deciding."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.errors import CommandError
from ceasefire.publications import commands
from ceasefire.publications.models import Publication

from .. import forms
from ..access import can_for
from .base import form_page, offered
from .meetings import meeting_url


def subject_url(subject: str, row) -> str:
    if subject == Publication.DECISION:
        return meeting_url(row.meeting, f"decision-{row.number}")
    return reverse("provision", args=[row.provision_id])


def about(subject: str, row) -> str:
    return forms.about_decision(row) if subject == Publication.DECISION else forms.about_agreed_status(row)


def shown(copy: dict) -> dict:
    """The copy with its days as days, for the page to write them as every other page does."""
    return {k: dt.date.fromisoformat(v) if k in ("adopted_on", "as_of") and v else v for k, v in copy.items()}


@login_required
def publish(request, subject, pk):
    try:
        row = commands.subject_row(subject, pk)
    except CommandError:
        raise Http404 from None
    refusal = commands.publication_refusal(can_for(request).actor, subject, row)
    back = subject_url(subject, row)
    offer = offered(refusal)
    return form_page(
        request,
        form_factory=lambda data: forms.publication_form(data, about=about(subject, row)),
        call=lambda actor, data: commands.publish(actor, {"subject": subject, "id": row.pk}),
        **offer,
        title=_("Publish for the public"),
        intro=_(
            "The public reads what is published here, on the public page and in the public bundle, in both "
            "languages, as shown. Who said what stays with the parties. A publication cannot be taken back."
        ),
        back=back,
        success=lambda p: back,
        done=_("Published: the public page shows it from the next checkpoint."),
        template="web/publish.html",
        extra={"copy": shown(commands.copy(subject, row)), "subject": subject, "row": row}
        if offer["allowed"]
        else None,
    )
