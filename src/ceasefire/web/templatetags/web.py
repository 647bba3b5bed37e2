import base64
import functools
import json

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..forms import POSITION_LABELS

register = template.Library()

EVENT_LABELS = {
    "mechanism.established": _("Mechanism established"),
    "member.appointed": _("Member appointed"),
    "member.replaced": _("Member replaced"),
    "member.left": _("Tenure ended"),
    "party.suspended": _("Participation suspended"),
    "party.resumed": _("Participation resumed"),
    "meeting.recorded": _("Meeting recorded"),
    "meeting.minutes": _("Minutes recorded"),
    "meeting.attendance": _("Attendance recorded"),
    "agenda.item_added": _("Agenda item added"),
    "decision.recorded": _("Decision put before the committee"),
    "decision.position_taken": _("Position taken"),
    "decision.adopted": _("Decision adopted"),
    "action.added": _("Action item added"),
    "action.status_set": _("Action item updated"),
    "agreement.recorded": _("Agreement recorded"),
    "provision.added": _("Provision added"),
    "provision.interpretation_added": _("Reading of a provision added"),
    "provision.condition_recorded": _("Deadline condition recorded"),
    "assessment.proposed": _("Assessment put forward"),
    "assessment.position_taken": _("Position on an assessment"),
    "assessment.agreed": _("Status agreed by the committee"),
    "witness.key_registered": _("Witness key registered"),
    "checkpoint.cosigned": _("Checkpoint cosigned by a witness"),
    "account.enrolled": _("Account enrolled (for the parties)"),
    "category.defined": _("Violation category defined"),
    "chain.target_set": _("Stage target set"),
    "report.filed": _("Report filed"),
    "identity.protected": _("Protected identity committed"),
    "identity.erased": _("Protected identity erased"),
    "report.triaged": _("Report triaged"),
    "report.tasked": _("Joint team tasked"),
    "report.investigated": _("Investigation reported"),
    "report.investigation_confirmed": _("Investigation report confirmed"),
    "findings.drafted": _("Findings drafted"),
    "findings.signed": _("Findings signed or disputed"),
    "report.put_on_agenda": _("Disputed findings put on the agenda"),
    "report.settlement_proposed": _("Settlement proposed to the committee"),
    "report.settled": _("Report settled by the committee"),
    "report.disagreement_recorded": _("Disagreement recorded"),
    "report.visibility_set": _("Report shared or published"),
    "recommendation.status_set": _("Recommendation updated"),
    "evidence.added": _("Evidence added"),
    "evidence.accessed": _("Evidence viewed or downloaded"),
    "coverage.recorded": _("Coverage recorded"),
    "coverage.visibility_set": _("Coverage shared or published"),
    "sitrep.issued": _("Situation report issued"),
    "text.translated": _("Translation given"),
    "publication.made": _("Published for the public"),
    "forces.group_registered": _("Foreign force or group registered"),
    "forces.presence_claimed": _("Presence of a force claimed"),
    "forces.plan_recorded": _("Withdrawal plan recorded"),
    "forces.stage_added": _("Stage of the withdrawal plan added"),
    "forces.stage_side_reported": _("A side of a stage reported"),
    "forces.imbalance_proposed": _("Imbalance in a stage put forward"),
    "forces.imbalance_position_taken": _("Position on an imbalance"),
    "forces.stage_completed": _("Stage of the withdrawal plan complete"),
    "forces.departure_claimed": _("Departure claimed"),
    "route.recorded": _("Route recorded"),
    "route.status_claimed": _("Route status put forward"),
    "route.status_position_taken": _("Position on a route status"),
    "route.status_agreed": _("Route status agreed by the committee"),
    "routes.data_shared": _("Data shared with a liaison committee"),
    "exchange.recorded": _("Detainee exchange recorded"),
    "exchange.numbers_claimed": _("Numbers of a detainee exchange claimed"),
    "exchange.person_recorded": _("Person exchanged recorded (identity in the vault)"),
    "missing.case_opened": _("Missing-person case opened (identity in the vault)"),
    "missing.status_claimed": _("Status of a missing-person case claimed"),
    "missing.status_position_taken": _("Position on a missing person's status"),
    "missing.status_agreed": _("Missing person's status agreed by the committee"),
    "mine.area_recorded": _("Mine-contaminated area recorded"),
    "mine.clearance_reported": _("Mine clearance reported"),
    "layer.version_proposed": _("Version of a layer put forward"),
    "layer.position_taken": _("Position on a version of a layer"),
    "layer.version_bound": _("Version of a layer binding"),
}


def _reader() -> str:
    return "ar" if (get_language() or "ar").startswith("ar") else "en"


@register.simple_tag(takes_context=True)
def bi(context, obj, field, block=False):
    """A bilingual text in the reader's language, else the other one, marked with its language.

    Where the author wrote only the other language and a translation into the reader's was given
    (ceasefire.translations), the translation is shown, said to be one, by whom and in which entry:
    to readers who may read it. `block=True` keeps the paragraphs of a long text, and offers whoever
    may give a translation to give one.
    """
    if obj is None:
        return ""
    first = _reader()
    second = "en" if first == "ar" else "ar"
    lang = first
    # a row, or a row as the API answers it (a dict: the public page's), which no translation is given for
    form = obj.get if isinstance(obj, dict) else functools.partial(getattr, obj)
    value = form(f"{field}_{first}", "") or ""
    if not value:
        lang, value = second, form(f"{field}_{second}", "") or ""
    if not value:
        return ""
    translated = _translation(context, obj, field, first) if lang != first else None
    if translated is not None:
        lang, value = first, translated.text
    direction = "rtl" if lang == "ar" else "ltr"
    if block:
        paras = [p for p in normalize_newlines(value).split("\n\n") if p.strip()]
        inner = mark_safe("".join("<p>%s</p>" % conditional_escape(p.strip()).replace("\n", "<br>") for p in paras))
        shown = format_html('<div class="prose" lang="{}" dir="{}">{}</div>', lang, direction, inner)
    elif lang == first and translated is None:
        return format_html("<bdi>{}</bdi>", value)
    else:
        shown = format_html('<span lang="{}" dir="{}">{}</span>', lang, direction, value)
    if translated is not None:
        return format_html('{} <span class="translated">{}</span>', shown, _translated_by(translated))
    if block and lang != first:
        offer = _translate_offer(context, obj, field, first)
        if offer:
            return format_html("{}{}", shown, offer)
    return shown


def _translations(context, obj) -> dict | None:
    """The translations the reader may read of rows like `obj`, by (id, field, lang): one query per
    kind of row and page, not one per text."""
    from ceasefire import audience
    from ceasefire.translations.models import Translation
    from ceasefire.translations.subjects import subject_of

    subject = subject_of(obj)
    request = context.get("request")
    if subject is None or request is None:
        return None
    can = context.get("can")
    if not audience.reads(getattr(can, "actor", None), "translation"):
        return None
    cache = request.__dict__.setdefault("_ceasefire_translations", {})
    if subject not in cache:
        rows = Translation.objects.filter(subject=subject).order_by("id")  # the latest of a text wins
        cache[subject] = {(t.subject_id, t.field, t.lang, t.of_sha256): t for t in rows}
    return cache[subject]


def _translation(context, obj, field, lang):
    """The translation into `lang` of the text `obj` holds now (translations.commands.current)."""
    from ceasefire.translations.commands import original_sha256

    found = _translations(context, obj)
    if not found:
        return None
    other = "en" if lang == "ar" else "ar"
    return found.get((obj.pk, field, lang, original_sha256(getattr(obj, f"{field}_{other}", "") or "")))


def _translated_by(t) -> str:
    by = t.party.text("name") if t.party_id else _("the mission")
    return _("(a translation, given by %(by)s: entry #%(n)s)") % {"by": by, "n": t.id}


def _translate_offer(context, obj, field, lang):
    from django.urls import reverse

    from ceasefire.translations.commands import translate_refusal
    from ceasefire.translations.subjects import SUBJECTS, subject_of

    subject = subject_of(obj)
    if subject is None or field not in SUBJECTS[subject].fields or _translations(context, obj) is None:
        return ""
    if translate_refusal(getattr(context.get("can"), "actor", None)) is not None:
        return ""
    url = reverse("translate", args=[subject, obj.pk, field])
    label = _("Give this text in Arabic") if lang == "ar" else _("Give this text in English")
    return format_html('<p class="translate"><a href="{}?lang={}">{}</a></p>', url, lang, label)


@register.filter
def in_lang(obj, field):
    """Plain text of a bilingual field in the reader's language (for titles and attributes)."""
    return obj.text(field) if obj else ""


@register.filter
def get(mapping, key):
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def position_label(position):
    return POSITION_LABELS.get(position, position)


@register.filter
def event_label(event_type):
    return EVENT_LABELS.get(event_type, event_type)


def _shorten(value, limit=400):
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    if isinstance(value, dict):
        return {k: _shorten(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v, limit) for v in value]
    return value


@register.filter
def pretty_json(value):
    """An event's payload as indented JSON, long texts cut short (the record holds them whole)."""
    return json.dumps(_shorten(value), ensure_ascii=False, indent=2, sort_keys=True)


@register.filter
def role_label(role):
    from ceasefire.mechanism.models import Role

    try:
        return Role(role).label
    except ValueError:
        return role


@register.filter
def duration(value):
    """A lockout's length in words: '1 hour', '30 minutes'."""
    from django.utils.translation import ngettext

    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes and minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def _separator() -> str:
    from django.utils.translation import pgettext

    return pgettext("list separator", ", ")


@register.simple_tag
def sep():
    """The separator between the items of a list, in the reader's language (Arabic has its own comma)."""
    return _separator()


@register.filter
def joined(values):
    return _separator().join(str(v) for v in values)


@register.filter
def b64(value):
    """A hash (bytes, or a memoryview from the database) in base64, as the checkpoint note and
    the API's proofs write it, so that a reader can compare them character for character."""
    return base64.b64encode(bytes(value)).decode() if value is not None else ""


@register.filter
def full_json(value):
    """An event's payload whole, for the page of that one event."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@register.filter
def account_as_seen_by(username, can):
    """An account that acted, as the reader may see it (ceasefire.audience): its username for the
    parties, its role and party for everyone else. `can` is the page's Can (its actor the reader)."""
    from ceasefire import audience

    return audience.account(getattr(can, "actor", None), username)


@register.filter
def status_label(status):
    """An implementation status as the pages name it: "3 · Full", "Reversed"."""
    from ceasefire.agreements.models import status_label as label

    return label(status) if status else _("Not assessed")


@register.filter
def status_key(status):
    """The class a status's colour hangs on: level-3 ... level-reversed, level-none."""
    return f"level-{status or 'none'}"


@register.filter
def condition_label(status):
    from ceasefire.agreements.models import ConditionStatus

    try:
        return ConditionStatus(status).label
    except ValueError:
        return status


@register.filter
def segments(share):
    """A roll-up's share (agreements.implementation.Share) as the bar draws it: one segment per
    level, from full to not assessed, with its count, its width and where it starts in percent
    (written with a dot, whatever the reader's language, for the SVG's attributes: the pages'
    Content-Security-Policy allows no style attribute)."""
    from ceasefire.agreements.implementation import LEVELS

    out, start = [], 0.0
    for level in LEVELS:
        width = share.percent(level)
        out.append(
            {
                "key": f"level-{level or 'none'}",
                "label": status_label(level),
                "count": share.counts[level],
                "width": f"{width:.2f}",
                "start": f"{start:.2f}",
                "percent": round(width),
            }
        )
        start += width
    return out
