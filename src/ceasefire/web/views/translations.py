"""Giving a text in its other language (ceasefire.translations): the original shown beside the box,
the command deciding."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ceasefire.errors import CommandError
from ceasefire.translations import commands

from .. import forms
from ..access import can_for
from .base import form_page, offered
from .meetings import meeting_url
from .reports import report_url


def subject_url(subject: str, row) -> str:
    if subject == "report":
        return report_url(row, "h-narrative")
    if subject == "meeting":
        return meeting_url(row)
    if subject == "decision":
        return meeting_url(row.meeting, f"decision-{row.number}")
    return reverse("provision", args=[row.pk])


@login_required
def translate(request, subject, pk, field):
    try:
        s, row = commands.subject_row(subject, pk)
    except CommandError:
        raise Http404 from None
    if field not in s.fields:
        raise Http404
    lang = request.POST.get("lang") or request.GET.get("lang") or "ar"
    lang = lang if lang in commands.LANGS else "ar"
    other = "en" if lang == "ar" else "ar"
    original = getattr(row, f"{field}_{other}", "") or ""
    refusal = commands.translate_refusal(can_for(request).actor) or commands.gap_refusal(row, field, lang)
    back = subject_url(subject, row)
    offer = offered(refusal)
    return form_page(
        request,
        form_factory=lambda data: forms.translation_form(data, lang=lang),
        call=lambda actor, data: commands.translate(actor, subject, row.pk, {**data, "field": field}),
        **offer,
        title=_("Give the %(field)s of this %(subject)s in %(language)s")
        % {"field": s.fields[field], "subject": s.label, "language": _("Arabic") if lang == "ar" else _("English")},
        intro=_(
            "The original stays as it was written; the translation is shown as one, with who gave it, "
            "to the parties and the facilitator."
        ),
        back=back,
        success=lambda t: back,
        done=_("The translation has been recorded."),
        # Only to whoever may translate: a refused post shows the page again, and the original may be
        # the parties' alone (minutes, a report not shared).
        extra={
            "original": format_html(
                '<div class="prose" lang="{}" dir="{}">{}</div>', other, "rtl" if other == "ar" else "ltr", original
            )
        }
        if offer["allowed"]
        else None,
    )
