"""Giving a text in its other language, and the rule of who may and when."""

import hashlib

from django.utils.translation import gettext as _

from ceasefire import audience
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.mechanism.models import Role
from ceasefire.record.log import Actor, append, command

from .models import Translation
from .subjects import SUBJECTS

LANGS = ("ar", "en")


def translate_refusal(actor: Actor | None):
    """Who translates: whoever reads every text the parties read (their delegations, the monitors,
    the facilitator). Observers and the public read; they do not add to the record."""
    if not audience.everything(actor):
        return Forbidden(_("Only the parties' delegations, the monitors and the facilitator give translations."))
    return None


def original_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def current(row, field: str, lang: str) -> Translation | None:
    """The translation into `lang` of the text `field` of `row` holds now, if one was given: one
    given of an earlier text (minutes recorded again) is no translation of this one."""
    other = "en" if lang == "ar" else "ar"
    return (
        Translation.objects.filter(
            subject=SUBJECTS_BY_MODEL[row._meta.label],
            subject_id=row.pk,
            field=field,
            lang=lang,
            of_sha256=original_sha256(getattr(row, f"{field}_{other}") or ""),
        )
        .order_by("-id")
        .first()
    )


def gap_refusal(row, field: str, lang: str):
    """Why `field` of `row` may not be given in `lang` now, or None: a translation fills a language
    the author left empty, from the text in the other one, once for each text."""
    other = "en" if lang == "ar" else "ar"
    if getattr(row, f"{field}_{lang}"):
        return Conflict(_("This text was written in this language already; nothing to translate."), "lang")
    if not getattr(row, f"{field}_{other}"):
        return Conflict(_("There is no text in the other language to translate."), "field")
    given = current(row, field, lang)
    if given is not None:
        return Conflict(_("A translation was given already (entry #%(n)s).") % {"n": given.id}, "lang")
    return None


SUBJECTS_BY_MODEL = {s.model_path: code for code, s in SUBJECTS.items()}


def subject_row(subject: str, pk):
    s = SUBJECTS.get(subject)
    if s is None:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(SUBJECTS)}, "subject")
    pk = v.integer(pk, "id", minimum=1, maximum=2**62)
    row = s.model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": s.label, "value": pk}, "id")
    return s, row


@command
def translate(actor: Actor, subject: str, pk, data: dict) -> Translation:
    refusal = translate_refusal(actor)
    if refusal is not None:
        raise refusal
    s, row = subject_row(subject, pk)
    with v.every_field():
        field = v.choice(data.get("field"), "field", list(s.fields))
        lang = v.choice(data.get("lang"), "lang", LANGS)
        text = v.text(data.get("text"), "text", max_length=100000, required=True)
    refusal = gap_refusal(row, field, lang)
    if refusal is not None:
        raise refusal
    if not v.written_in(text, lang):
        raise Invalid(_("is not in Arabic") if lang == "ar" else _("is not in English"), "text")
    other = "en" if lang == "ar" else "ar"
    party = actor.party or None if actor.role in (Role.HEAD, Role.MEMBER) else None
    payload = {
        "subject": subject,
        "id": row.pk,
        "field": field,
        "lang": lang,
        "text": text,
        "of": original_sha256(getattr(row, f"{field}_{other}")),
        "party": party,
    }
    return Translation.objects.get(id=append("text.translated", payload, actor).seq)
