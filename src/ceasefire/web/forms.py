"""Forms for rendering and reading input only: the rules live in the commands.

A `Form` knows its fields (label, kind, hint, choices), the user's input and, after a command has
refused it, the error to show next to the field the command named. `data()` gives the command the
user's raw input; nothing is checked here.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ceasefire import days

from .context import display_zone

BILINGUAL_HINT = _("In Arabic or in English.")


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, radio, checkboxes, confirm
    required: bool = False
    hint: str = ""
    choices: list = field(default_factory=list)  # (value, label) pairs; for checkboxes, (value, label, group)
    bilingual: bool = False  # one text, typed in either script
    lang: str = ""  # a field fixed to one language: "ar" or "en"
    rows: int = 3
    min: int | None = None
    max: int | None = None
    # Names what the page shows (the draft being signed): re-shown with the page's value, not the
    # one submitted, which the command judged; else a refused form would send the stale one again.
    current: bool = False

    @property
    def id(self) -> str:
        return "f-" + self.name.replace("_", "-")

    @property
    def multiple(self) -> bool:
        return self.kind == "checkboxes"


class BoundField:
    """A field with its current value and error, ready for the template."""

    def __init__(self, form: "Form", f: Field):
        self.form, self.f = form, f
        self.name, self.label, self.kind, self.required = f.name, f.label, f.kind, f.required
        self.id = form.id_prefix + f.id
        self.rows, self.lang, self.min, self.max = f.rows, f.lang, f.min, f.max
        self.hint = f.hint or (BILINGUAL_HINT if f.bilingual else "")
        self.error = form.errors.get(f.name, "")
        self.value = form.value(f) if not f.current else str(form.initial.get(f.name) or "")

    @property
    def hint_id(self):
        return f"{self.id}-hint" if self.hint else ""

    @property
    def error_id(self):
        return f"{self.id}-error" if self.error else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.hint_id, self.error_id) if i)

    @property
    def dir(self) -> str:
        if self.lang == "ar":
            return "rtl"
        if self.lang == "en" or self.kind in ("date", "number", "decimal", "time"):
            return "ltr"
        return "auto"

    @property
    def options(self):
        """Choices with their checked/selected state, and a group heading for checkboxes."""
        selected = self.value if isinstance(self.value, list) else [self.value]
        selected = {str(s) for s in selected if s not in (None, "")}
        out = []
        for i, choice in enumerate(self.f.choices):
            value, label = choice[0], choice[1]
            group = choice[2] if len(choice) > 2 else ""
            out.append(
                {
                    "value": value,
                    "label": label,
                    "group": group,
                    "id": f"{self.id}-{i}",
                    "selected": str(value) in selected,
                }
            )
        return out

    @property
    def groups(self):
        """Checkbox options grouped under their heading, in order."""
        groups: list[tuple[str, list]] = []
        for option in self.options:
            if not groups or groups[-1][0] != option["group"]:
                groups.append((option["group"], []))
            groups[-1][1].append(option)
        return groups


class Form:
    def __init__(
        self, fields: list[Field], data=None, initial: dict | None = None, submit: str = "", id_prefix: str = ""
    ):
        self.fields = fields
        self.id_prefix = id_prefix
        self.by_name = {f.name: f for f in fields}
        self.input = data  # a QueryDict once submitted
        self.initial = initial or {}
        self.submit = submit or _("Save")
        self.errors: dict[str, str] = {}
        self.page_errors: list[str] = []

    @property
    def bound(self) -> bool:
        return self.input is not None

    def value(self, f: Field):
        if self.input is not None:
            return self.input.getlist(f.name) if f.multiple else self.input.get(f.name, "")
        value = self.initial.get(f.name, [] if f.multiple else "")
        if f.multiple:
            return [str(v) for v in value]
        return "" if value is None else str(value)

    def data(self) -> dict:
        """The user's input, as typed, for the command to judge (a confirmation is the page's, not
        the command's: see confirmed())."""
        if self.input is None:
            return {}
        return {f.name: self.value(f) for f in self.fields if f.kind != "confirm"}

    def confirmed(self) -> bool:
        """Whether every confirmation the form asks for was ticked; each one not ticked is said."""
        ok = True
        for f in self.fields:
            if f.kind == "confirm" and self.value(f) != "yes":
                self.add_error(f.name, _("Tick the box to confirm what you agree to; nothing was recorded."))
                ok = False
        return ok

    def __iter__(self):
        return (BoundField(self, f) for f in self.fields)

    def field_for(self, name: str | None) -> str | None:
        """The form field that an error naming `name` belongs to, if the form shows it."""
        if not name:
            return None
        candidates = [name, re.sub(r"\[\d+\]", "", name)]
        candidates += [c.rsplit(".", 1)[-1] for c in candidates if "." in c]
        candidates += [c[:-3] for c in candidates if c.endswith(("_ar", "_en"))]
        for c in candidates:
            if c in self.by_name:
                return c
        return None

    def add_error(self, name: str | None, message) -> None:
        target = self.field_for(name)
        if target and self.by_name[target].kind == "hidden":
            target = None  # nothing to correct in a box: said at the top of the form
        if target and target not in self.errors:
            self.errors[target] = str(message)
        elif not target:
            self.page_errors.append(str(message))

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.page_errors)

    def error_list(self):
        """Every error, for the summary at the top of the form: (field id or '', label, message)."""
        out = [("", "", m) for m in self.page_errors]
        for f in self.fields:
            if f.name in self.errors:
                out.append((self.id_prefix + f.id, f.label, self.errors[f.name]))
        return out


# The forms of the UI. Each names its fields as the command reads them.

POSITION_LABELS = {
    "approve": _("Approve"),
    "object": _("Object"),
    "abstain": _("Abstain"),
}


def _parties():
    from ceasefire.mechanism.models import Party

    return [(p.code, p.text("name")) for p in Party.objects.order_by("order")]


def _source():
    return Field("source", _("Source"), hint=_("Where this is documented: a document, a link, a statement."))


def member_form(data=None):
    from ceasefire.mechanism.models import Role

    return Form(
        [
            Field("name_ar", _("Name in Arabic"), lang="ar"),
            Field("name_latin", _("Name in Latin script"), lang="en", hint=_("A name in at least one script.")),
            Field("rank", _("Rank"), bilingual=True),
            Field("title", _("Title or function"), bilingual=True),
            Field("role", _("Role"), kind="select", required=True, choices=[("", "—")] + list(Role.choices)),
            Field(
                "party",
                _("Party"),
                kind="select",
                choices=[("", _("None"))] + _parties(),
                hint=_("A head of delegation or a member sits for a party."),
            ),
            Field(
                "seat", _("Seat"), kind="number", min=1, max=50, hint=_("The seat number in the party's delegation.")
            ),
            Field("tenure_start", _("Tenure begins"), kind="date"),
            _source(),
        ],
        data,
        submit=_("Appoint"),
    )


def replace_form(data=None):
    return Form(
        [
            Field("on", _("Date of the change"), kind="date", required=True),
            Field("name_ar", _("Successor's name in Arabic"), lang="ar"),
            Field(
                "name_latin", _("Successor's name in Latin script"), lang="en", hint=_("A name in at least one script.")
            ),
            Field("rank", _("Rank"), bilingual=True),
            Field("title", _("Title or function"), bilingual=True),
            _source(),
        ],
        data,
        submit=_("Replace"),
    )


def end_tenure_form(data=None):
    return Form([Field("on", _("Last day of the tenure"), kind="date", required=True)], data, submit=_("End tenure"))


def suspend_form(data=None):
    return Form(
        [
            Field("since", _("Suspended since"), kind="date", required=True),
            Field("reason", _("Reason given"), kind="textarea", bilingual=True),
            _source(),
        ],
        data,
        submit=_("Record the suspension"),
    )


def resume_form(data=None):
    return Form(
        [
            Field("on", _("Resumed on"), kind="date", required=True),
            Field(
                "note",
                _("Note on the return"),
                kind="textarea",
                bilingual=True,
                hint=_("How and why the party returned, or what the sources leave unknown."),
            ),
            _source(),
        ],
        data,
        submit=_("Record the return"),
    )


def meeting_form(data=None):
    return Form(
        [
            Field("title", _("Title"), required=True, bilingual=True),
            Field("starts_on", _("First day"), kind="date", required=True),
            Field("ends_on", _("Last day"), kind="date", hint=_("Leave empty for a one-day meeting.")),
            Field("city", _("City"), required=True, bilingual=True),
            Field("country", _("Country"), required=True, bilingual=True),
            Field("host", _("Host"), kind="textarea", bilingual=True, rows=2),
            Field("received_by", _("Received by"), kind="textarea", bilingual=True, rows=2),
            Field("summary", _("Summary"), kind="textarea", bilingual=True, rows=4),
            _source(),
        ],
        data,
        submit=_("Record the meeting"),
    )


def minutes_form(data=None, meeting=None):
    initial = {"minutes_ar": meeting.minutes_ar, "minutes_en": meeting.minutes_en} if meeting else {}
    return Form(
        [
            Field("minutes_ar", _("Minutes in Arabic"), kind="textarea", lang="ar", rows=10),
            Field(
                "minutes_en",
                _("Minutes in English"),
                kind="textarea",
                lang="en",
                rows=10,
                hint=_("At least one language. Saving replaces the minutes in both languages."),
            ),
        ],
        data,
        initial,
        submit=_("Save the minutes"),
    )


def attendance_form(data=None, meeting=None, members=()):
    choices = []
    for m in members:
        group = m.party.text("name") if m.party_id else _("Not seated")
        label = m.name + (f" ({m.get_role_display()})" if m.role else "")
        choices.append((str(m.id), label, group))
    initial = {"present": list(meeting.attendance.values_list("member_id", flat=True))} if meeting else {}
    return Form(
        [Field("present", _("Present at the meeting"), kind="checkboxes", choices=choices)],
        data,
        initial,
        submit=_("Save attendance"),
    )


def agenda_form(data=None):
    return Form([Field("title", _("Agenda item"), required=True, bilingual=True)], data, submit=_("Add to the agenda"))


def decision_form(data=None):
    return Form(
        [
            Field("text", _("Text of the decision"), kind="textarea", required=True, bilingual=True, rows=4),
            _source(),
            # Named as the command names them: the view nests them under adopted_per_source.
            Field(
                "adopted_per_source.source",
                _("Adopted according to"),
                hint=_(
                    "Only for a past decision known from public sources: the source that reports it adopted. "
                    "It is recorded as adopted according to that source, not through the parties' positions."
                ),
            ),
            Field(
                "adopted_per_source.on",
                _("Day of adoption, as the source gives it"),
                kind="date",
                hint=_("Leave empty if the source gives no day."),
            ),
        ],
        data,
        submit=_("Put before the committee"),
    )


def decision_data(data: dict) -> dict:
    """The decision form's input as record_decision reads it: the sourced adoption as one object."""
    data = dict(data)
    sourced = {key: data.pop(f"adopted_per_source.{key}", "") for key in ("source", "on")}
    if any(sourced.values()):
        data["adopted_per_source"] = sourced
    return data


def confirmation(statement) -> Field:
    """A box to tick, saying what is agreed to by naming the record's entry: a position or a
    sign-off binds a party, and the page it was given on may be older than the record."""
    return Field("confirm", statement, kind="confirm", required=True)


def position_form(data=None, id_prefix="", about=""):
    """A party's position on `about` (what it is given on, named by its entry: see about_*())."""
    return Form(
        [
            Field(
                "position",
                _("Your party's position"),
                kind="radio",
                required=True,
                choices=list(POSITION_LABELS.items()),
            ),
            Field("reason", _("Reason"), kind="textarea", bilingual=True, rows=2),
            confirmation(
                _("I give my party's position, as chosen above, on %(about)s. It goes on the joint record.")
                % {"about": about}
            ),
        ],
        data,
        submit=_("Give the position"),
        id_prefix=id_prefix,  # one form per decision on a page: keep their ids apart
    )


def publication_form(data=None, *, about: str):
    """Publishing `about` (named by its entry, see about_*()) for the public: anyone may read it then."""
    return Form(
        [
            confirmation(
                _(
                    "I publish %(about)s, as shown above, for the public. It goes on the joint record; anyone may read it."
                )
                % {"about": about}
            )
        ],
        data,
        submit=_("Publish"),
    )


def translation_form(data=None, *, lang: str):
    """The text in `lang`; the language travels hidden, as the page offered it."""
    return Form(
        [
            Field(
                "text",
                _("The text in Arabic") if lang == "ar" else _("The text in English"),
                kind="textarea",
                required=True,
                lang=lang,
                rows=8,
            ),
            Field("lang", "", kind="hidden"),
        ],
        data,
        initial={"lang": lang},
        submit=_("Record the translation"),
    )


def _isolated(text) -> str:
    """A run kept in its own direction inside a sentence of the other (FSI … PDI): an English
    decision or a reference like M-2023-0006 inside an Arabic statement reads as written."""
    return f"\u2068{text}\u2069"


def _quoted(text: str) -> str:
    opening, closing = ("«", "»") if (get_language() or "ar").startswith("ar") else ("“", "”")
    return f"{opening}{_isolated(Truncator(text).chars(200))}{closing}"


def about_decision(decision) -> str:
    return _("decision %(n)s of meeting %(meeting)s (entry #%(entry)s): %(text)s") % {
        "n": decision.number,
        "meeting": _isolated(decision.meeting.reference),
        "entry": decision.id,
        "text": _quoted(decision.text("text")),
    }


def about_assessment(assessment) -> str:
    provision = assessment.provision
    return _("the assessment of provision %(n)s of %(agreement)s as of %(as_of)s, “%(status)s” (entry #%(entry)s)") % {
        "n": _isolated(provision.number),
        "agreement": _quoted(provision.agreement.text("title")),
        # the day in words, as the card shows it: an ISO date breaks at its hyphens in a narrow column
        "as_of": _isolated(date_format(assessment.as_of, "j F Y")),
        "status": assessment.get_status_display(),
        "entry": assessment.id,
    }


def about_agreed_status(agreed) -> str:
    provision = agreed.provision
    return _(
        "the committee's status of provision %(n)s of %(agreement)s as of %(as_of)s, “%(status)s” (entry #%(entry)s)"
    ) % {
        "n": _isolated(provision.number),
        "agreement": _quoted(provision.agreement.text("title")),
        "as_of": _isolated(date_format(agreed.as_of, "j F Y")),  # as the copy above it writes the day
        "status": agreed.get_status_display(),
        "entry": agreed.id,
    }


def about_layer_version(version) -> str:
    return _("version %(n)s of the layer %(layer)s (entry #%(entry)s)") % {
        "n": version.number,
        "layer": _quoted(version.layer.text("name")),
        "entry": version.id,
    }


def about_imbalance(imbalance) -> str:
    return _("recording stage %(n)s complete with the imbalance put forward in entry #%(entry)s: %(text)s") % {
        "n": imbalance.stage.order,
        "entry": imbalance.id,
        "text": _quoted(imbalance.text("text")),
    }


def about_missing_status(claim) -> str:
    return _("the status of missing-person case %(case)s as of %(as_of)s, “%(status)s” (entry #%(entry)s)") % {
        "case": _isolated(claim.case.reference),
        "as_of": _isolated(date_format(claim.as_of, "j F Y")),
        "status": claim.get_status_display(),
        "entry": claim.id,
    }


def action_form(data=None, meeting=None):
    decisions = [("", _("None"))]
    if meeting is not None:
        decisions += [(str(d.id), _("Decision %(n)s") % {"n": d.number}) for d in meeting.decisions.all()]
    return Form(
        [
            Field("text", _("What is to be done"), kind="textarea", required=True, bilingual=True),
            Field("decision", _("Following decision"), kind="select", choices=decisions),
            Field("owner_party", _("Owner: a party"), kind="select", choices=[("", _("None"))] + _parties()),
            Field(
                "owner", _("Or a named body"), bilingual=True, hint=_("A party or a named body owns each action item.")
            ),
            Field("deadline", _("Deadline"), kind="date"),
        ],
        data,
        submit=_("Add the action item"),
    )


def action_status_form(data=None, item=None):
    from ceasefire.mechanism.models import ActionStatus

    initial = {"status": item.status, "note": item.status_note} if item else {}
    return Form(
        [
            Field("status", _("Status"), kind="select", required=True, choices=list(ActionStatus.choices)),
            Field("note", _("Note"), kind="textarea", rows=2),
        ],
        data,
        initial,
        submit=_("Update"),
    )


def agreement_form(data=None):
    return Form(
        [
            Field("title", _("Title"), required=True, bilingual=True),
            Field("signed_on", _("Signed on"), kind="date"),
            Field("place", _("Place of signature"), bilingual=True),
            Field("signatories", _("Signatories"), kind="textarea", bilingual=True, rows=2),
            Field("witnesses", _("Witnesses"), kind="textarea", bilingual=True, rows=2),
            Field("text", _("Text"), kind="textarea", bilingual=True, rows=8),
            Field(
                "note",
                _("Note on the text"),
                kind="textarea",
                bilingual=True,
                rows=2,
                hint=_("Caveats on the text itself, such as uncertain numbering."),
            ),
            _source(),
        ],
        data,
        submit=_("Record the agreement"),
    )


def provision_form(data=None):
    from ceasefire.agreements.models import CommitteeRole, Kind

    return Form(
        [
            Field("number", _("Number"), required=True, lang="en", hint=_("As the agreement numbers it: 1, 2a, II.")),
            Field("kind", _("Kind"), kind="select", choices=list(Kind.choices)),
            Field("text", _("Text"), kind="textarea", required=True, bilingual=True, rows=4),
            Field("category", _("Category"), hint=_("For example: withdrawal, exchange of prisoners.")),
            Field("deadline_on", _("Deadline (date)"), kind="date"),
            Field(
                "deadline_months",
                _("Deadline (months from signature)"),
                kind="number",
                min=0,
                max=600,
                hint=_("Give a date or a number of months, not both."),
            ),
            Field(
                "deadline",
                _("Deadline as the text words it"),
                bilingual=True,
                hint=_("For example: within three months of signature."),
            ),
            Field("implementer", _("Who carries it out"), bilingual=True),
            Field("committee_role", _("The committee's role"), kind="select", choices=list(CommitteeRole.choices)),
            _source(),
        ],
        data,
        submit=_("Add the provision"),
    )


def interpretation_form(data=None, facilitator=True):
    fields = []
    if facilitator:
        fields.append(
            Field(
                "party",
                _("Stated by a party"),
                kind="select",
                choices=[("", _("None"))] + _parties(),
                hint=_("The party in whose name you record it. The record says that you recorded it."),
            )
        )
        fields.append(
            Field(
                "held_by",
                _("Or held by"),
                bilingual=True,
                hint=_("The official or source that reads the provision this way, when it is not a party."),
            )
        )
    fields += [
        Field("reading", _("The reading"), kind="textarea", required=True, bilingual=True, rows=4),
        _source(),
    ]
    return Form(fields, data, submit=_("Add the reading"))


def assessment_form(data=None):
    from ceasefire.agreements.models import Status, status_label

    return Form(
        [
            Field(
                "status",
                _("How far it is implemented"),
                kind="radio",
                required=True,
                choices=[(s, status_label(s)) for s in Status.values],
                hint=_("On the Peace Accords Matrix's scale: 0 not initiated, 1 minimal, 2 intermediate, 3 full."),
            ),
            Field(
                "as_of",
                _("As of"),
                kind="date",
                required=True,
                hint=_("The day this status describes; not after today."),
            ),
            Field("reasoning", _("Reasoning"), kind="textarea", required=True, bilingual=True, rows=4),
            Field(
                "evidence",
                _("Evidence"),
                kind="textarea",
                lang="en",
                rows=2,
                hint=_("Links to what the assessment rests on, one per line (https://...)."),
            ),
            _source(),
        ],
        data,
        submit=_("Put forward the assessment"),
    )


def assessment_data(data: dict) -> dict:
    """The assessment form's input as propose_assessment reads it: the evidence as a list of links."""
    data = dict(data)
    data["evidence"] = [line.strip() for line in (data.get("evidence") or "").splitlines() if line.strip()]
    return data


def condition_form(data=None, current=None):
    from ceasefire.agreements.models import ConditionStatus

    initial = {}
    if current is not None:
        initial = {
            "condition_ar": current.condition_ar,
            "condition_en": current.condition_en,
            "status": current.status,
            "as_of": current.as_of.isoformat() if current.as_of else "",
            "source": current.source,
        }
    # Each language a field of its own, so that recording it again (its status changed) keeps both.
    return Form(
        [
            Field(
                "condition_ar", _("The event the deadline depends on, in Arabic"), kind="textarea", lang="ar", rows=2
            ),
            Field(
                "condition_en",
                _("The event the deadline depends on, in English"),
                kind="textarea",
                lang="en",
                rows=2,
                hint=_("In Arabic, English or both. For example: until a unified government takes office."),
            ),
            Field("status", _("Has it happened?"), kind="select", required=True, choices=list(ConditionStatus.choices)),
            Field("as_of", _("As of"), kind="date", hint=_("For an event that happened: the day it happened.")),
            _source(),
        ],
        data,
        initial,
        submit=_("Record the condition"),
    )


def witness_key_form(data=None, id_prefix=""):
    return Form(
        [
            Field(
                "vkey",
                _("Verifier key"),
                required=True,
                lang="en",
                hint=_(
                    "One line: the key's name, its ID and the key itself, joined by +. "
                    "Never paste the private key, whose line begins with PRIVATE+KEY."
                ),
            ),
        ],
        data,
        submit=_("Register the key"),
        id_prefix=id_prefix,  # one form per witness on a page: keep their ids apart
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before it reaches authentication
    (and django-axes, which stores failed usernames in a column of 255 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(150))


# Violation reports and the verification chain (views/reports.py). Fields the shared _field.html
# does not draw (a select in groups, a decimal, a time, a file) are drawn by reports/_field.html.

BOOLEAN = [("true", _("Yes")), ("false", _("No"))]
TIME_PRECISION = [
    ("1", _("The day is known")),
    ("2", _("Within a week")),
    ("3", _("Within a month")),
]
GEO_PRECISION = [
    ("1", _("Exact place")),
    ("2", _("Nearby: within a few kilometres")),
    ("3", _("The area or district only")),
]
CASUALTY_KINDS = {"killed": _("Killed"), "injured": _("Injured")}
CASUALTY_GROUPS = {"civilian": _("civilians"), "military": _("military"), "unknown": _("status unknown")}
IDENTITY_FIELDS = {
    "name": _("Name"),
    "contact": _("How to reach them"),
    "relation": _("Relation to the events"),
    "note": _("Note"),
}


def _party_choices(none_label=None):
    return [("", none_label or _("None"))] + _parties()


def _categories():
    """Each category of the typology, under its group's heading, in the reader's language."""
    from django.utils.translation import get_language

    from ceasefire.incidents import typology
    from ceasefire.incidents.models import Category

    arabic = (get_language() or "ar").startswith("ar")
    out = [("", "—", "")]
    for c in Category.objects.filter(retired=False).order_by("order", "code"):
        en, ar = typology.GROUPS.get(c.group, (c.group, c.group))
        out.append((c.code, c.text("name"), ar if arabic else en))
    return out


def _occurred_at(day: str, time: str) -> str:
    """The day and the time the user typed, as the command reads them: a day alone, or a time with
    the committee's offset from UTC (which the browser does not know)."""
    import datetime as dt

    day, time = (day or "").strip(), (time or "").strip()
    if not time or not day:  # without a day, the command says the day is required
        return day
    try:
        at = dt.datetime.fromisoformat(f"{day}T{time}")
    except ValueError:
        return f"{day}T{time}"  # the command names what is wrong
    return at.replace(tzinfo=days.zone()).isoformat(timespec="minutes")


class ReportForm(Form):
    """The filing form. The day and time, the casualty counts and the protected identity are typed
    in separate boxes and given to the command in the shape it reads; the errors it names come
    back to those boxes."""

    CASUALTIES = [(kind, group) for kind in CASUALTY_KINDS for group in CASUALTY_GROUPS]
    GROUPED = ("identity_", "cas_", "occurred_")

    @property
    def f(self) -> dict:
        """The bound fields by name, for a template that lays them out in groups."""
        return {b.name: b for b in self}

    def data(self) -> dict:
        raw = super().data()
        if not raw:
            return {}
        out = {k: v for k, v in raw.items() if not k.startswith(self.GROUPED)}
        out["occurred_at"] = _occurred_at(raw["occurred_on"], raw["occurred_time"])
        self.casualty_fields = []
        casualties = []
        for kind, group in self.CASUALTIES:
            name = f"cas_{kind}_{group}"
            if raw[name].strip():
                casualties.append({"kind": kind, "group": group, "count": raw[name], "source": raw["cas_source"]})
                self.casualty_fields.append(name)
        out["casualties"] = casualties
        identity = {k: raw[f"identity_{k}"] for k in IDENTITY_FIELDS}
        if any(value.strip() for value in identity.values()):
            out["source_identity"] = identity
        return out

    def field_for(self, name):
        if name == "occurred_at":
            return "occurred_on"
        match = re.fullmatch(r"casualties\[(\d+)\]\.(\w+)", name or "")
        if match:
            if match.group(2) == "source":
                return "cas_source"
            fields = getattr(self, "casualty_fields", [])
            index = int(match.group(1))
            return fields[index] if index < len(fields) else None
        if name == "source_identity":
            return "identity_name"
        if name in ("place_ar", "place_en"):  # hidden, filled from the gazetteer: shown at the place box
            return "place"
        if name and name.startswith("source_identity."):
            return "identity_" + name.split(".", 1)[1]
        return super().field_for(name)


def report_form(data=None, role=""):
    """What a report is, as its filer knows it. A delegate files for its own delegation and a
    monitor as a joint team or the UN; the facilitator records what reached the mission."""
    from ceasefire.incidents.models import SourceType
    from ceasefire.mechanism.models import Role

    fields = [
        Field(
            "title",
            _("Title"),
            required=True,
            bilingual=True,
            hint=_("A few words: what, where. In Arabic or in English."),
        ),
        Field(
            "category",
            _("Kind of violation"),
            kind="grouped",
            required=True,
            choices=_categories(),
            hint=_("The kind of violation alleged, from the committee's typology."),
        ),
    ]
    if role == Role.FACILITATOR:
        fields += [
            Field(
                "source_type",
                _("Source"),
                kind="select",
                required=True,
                choices=[("", "—")] + [c for c in SourceType.choices if c[0] != SourceType.DATASET],
            ),
            Field(
                "source_party",
                _("The delegation, if a party's delegation reported it"),
                kind="select",
                choices=_party_choices(),
            ),
        ]
    elif role == Role.MONITOR:
        fields.append(
            Field(
                "source_type",
                _("You report as"),
                kind="select",
                choices=[
                    (SourceType.JOINT_TEAM.value, SourceType.JOINT_TEAM.label),
                    (SourceType.UN_MONITOR.value, SourceType.UN_MONITOR.label),
                ],
            )
        )
    fields += [
        Field(
            "source",
            _("How the source is described"),
            bilingual=True,
            hint=_("Without naming anyone, e.g. “a resident of the area”. A name goes in the protected part below."),
        ),
        Field("occurred_on", _("Day it happened"), kind="date", required=True, hint=_("Not in the future.")),
        Field(
            "occurred_time",
            _("Time, if known"),
            kind="time",
            hint=_("In the committee's time zone, %(zone)s. Leave empty if only the day is known.")
            % {"zone": display_zone()},
        ),
        Field("time_precision", _("How sure is the day?"), kind="select", choices=TIME_PRECISION),
        Field("latitude", _("Latitude"), kind="decimal", hint=_("Decimal degrees, e.g. 31.2089.")),
        Field("longitude", _("Longitude"), kind="decimal", hint=_("Decimal degrees, e.g. 16.5887.")),
        Field(
            "geo_precision", _("How precise are the coordinates?"), kind="select", choices=[("", "—")] + GEO_PRECISION
        ),
        Field(
            "place",
            _("Place name"),
            bilingual=True,
            hint=_(
                "In Arabic or in English. Choose a place the gazetteer suggests to fill its coordinates, "
                "or type any place and, if you know them, its coordinates."
            ),
        ),
        # A place chosen from the gazetteer (site.js): its names in both languages.
        Field("place_ar", "", kind="hidden"),
        Field("place_en", "", kind="hidden"),
        Field("controlled_by", _("Who controls the area"), kind="select", choices=_party_choices(_("Not known"))),
        Field(
            "alleged_party",
            _("Alleged perpetrator: party"),
            kind="select",
            choices=_party_choices(_("Not known")),
            hint=_("Always an allegation until a joint finding attributes it."),
        ),
        Field("alleged_unit", _("Alleged perpetrator: unit or actor")),
        Field("affected_party", _("Party affected"), kind="select", choices=_party_choices(_("Not known"))),
    ]
    for kind, group in ReportForm.CASUALTIES:
        fields.append(
            Field(
                f"cas_{kind}_{group}",
                f"{CASUALTY_KINDS[kind]}: {CASUALTY_GROUPS[group]}",
                kind="number",
                min=0,
                max=100000,
            )
        )
    fields += [
        Field("cas_source", _("Who gives these figures"), hint=_("A clinic, a local council, the media…")),
        Field(
            "narrative",
            _("What happened"),
            kind="textarea",
            required=True,
            bilingual=True,
            rows=6,
            hint=_("In Arabic or in English: what was seen or heard, by whom (without names), and when."),
        ),
    ]
    for key, label in IDENTITY_FIELDS.items():
        fields.append(Field(f"identity_{key}", label, kind="textarea" if key == "note" else "text", rows=2))
    return ReportForm(fields, data, initial={"time_precision": "1"}, submit=_("File the report"))


def triage_form(data=None):
    return Form(
        [
            Field(
                "decision",
                _("Decision"),
                kind="radio",
                required=True,
                choices=[
                    ("admissible", _("Admissible: open a preliminary inquiry")),
                    ("duplicate", _("A duplicate of an earlier report")),
                    ("outside_mandate", _("Outside the mandate")),
                ],
            ),
            Field(
                "duplicate_of",
                _("The earlier report"),
                lang="en",
                hint=_("For a duplicate only: its reference, e.g. R-2026-0042."),
            ),
            Field(
                "reason",
                _("Reason"),
                kind="textarea",
                bilingual=True,
                rows=3,
                hint=_("Required for a duplicate or outside the mandate. In Arabic or in English."),
            ),
        ],
        data,
        submit=_("Record the triage"),
    )


def triage_selection_form(data=None, pending=(), originals=()):
    """The facilitator's triage of the reports it ticks, in one action. `pending`: the ids of the
    reports awaiting triage (the boxes, drawn with their candidates by the page); `originals`:
    (id, label) of every report the page shows, any of which may be the original."""
    return Form(
        [
            Field("reports", _("Reports selected"), kind="checkboxes", choices=[(str(i), "") for i in pending]),
            Field(
                "decision",
                _("Decision for every report selected"),
                kind="radio",
                required=True,
                choices=[
                    ("duplicate", _("Duplicates of the original chosen below")),
                    ("admissible", _("Admissible: open a preliminary inquiry for each")),
                    ("outside_mandate", _("Outside the mandate")),
                ],
            ),
            Field(
                "duplicate_of",
                _("The original report"),
                kind="select",
                choices=[("", "—")] + [(str(i), label) for i, label in originals],
                hint=_(
                    "For duplicates only: the report of the event the others repeat. Leave it out of the selection."
                ),
            ),
            Field(
                "reason",
                _("Reason"),
                kind="textarea",
                bilingual=True,
                rows=3,
                hint=_("Required for duplicates or outside the mandate. In Arabic or in English."),
            ),
            confirmation(
                _("I triage each report selected with this decision and reason: each is its own entry in the record.")
            ),
        ],
        data,
        submit=_("Triage the selected reports"),
    )


def team_form(data=None, accounts=()):
    """`accounts`: (username, label, group) for everyone who may sit on a team."""
    return Form(
        [
            Field("team", _("Members of the joint team"), kind="checkboxes", required=True, choices=list(accounts)),
            Field("instructions", _("Instructions to the team"), kind="textarea", bilingual=True, rows=3),
            Field("due_on", _("Report due by"), kind="date"),
        ],
        data,
        submit=_("Task the team"),
    )


def investigation_form(data=None):
    from ceasefire.incidents.models import Investigation

    return Form(
        [
            Field("site_visited", _("Did the team visit the site?"), kind="radio", required=True, choices=BOOLEAN),
            Field("visited_on", _("Visited on"), kind="date", hint=_("Required if the site was visited.")),
            Field("access", _("Access"), kind="radio", required=True, choices=list(Investigation.ACCESS)),
            Field("denied_by_party", _("Access denied by: party"), kind="select", choices=_party_choices()),
            Field(
                "denied_by",
                _("Access denied by: unit or person"),
                bilingual=True,
                hint=_("If access was denied, in whole or in part: who denied it."),
            ),
            Field(
                "methods",
                _("Methods"),
                kind="textarea",
                required=True,
                bilingual=True,
                rows=4,
                hint=_("Interviews, site inspection, imagery… In Arabic or in English."),
            ),
            Field("evidence", _("Evidence gathered"), kind="textarea", bilingual=True, rows=3),
            Field(
                "limitations",
                _("Limitations"),
                kind="textarea",
                bilingual=True,
                rows=3,
                hint=_("What the team could not see, reach or check."),
            ),
        ],
        data,
        submit=_("Submit the investigation report"),
    )


class FindingsForm(Form):
    """Findings as repeated blocks, each with its recommendations: `f0-allegation`,
    `f0-r1-text`... Empty blocks are left out; the errors the command names (findings[0].
    recommendations[1].text) come back to their box."""

    FINDING = ("allegation", "result", "attributed_to", "attributed_unit", "provisions", "reasoning")
    RECOMMENDATION = ("addressee_party", "addressee", "text", "due_on")

    def __init__(self, fields, data, initial, shape, **kwargs):
        super().__init__(fields, data, initial, **kwargs)
        self.shape = shape  # recommendations per finding
        self.focus = ""  # the id of the box to focus after a block was added

    def _finding(self) -> tuple[str, ...]:
        """A finding's boxes: with the number counted on a verification (a departure...)."""
        return (*self.FINDING, "count") if "f0-count" in self.by_name else self.FINDING

    def _filled(self, prefix, names) -> bool:
        """Whether the user typed or chose anything in a block."""
        typed = (self.input.get(prefix + n, "").strip() for n in names if n != "provisions")
        return any(typed) or bool(self.input.getlist(prefix + "provisions"))

    def data(self) -> dict:
        if self.input is None:
            return {}
        self.sent = []  # (finding index sent -> block index, {rec index sent -> block index})
        findings = []
        for i, recs in enumerate(self.shape):
            prefix = f"f{i}-"
            if i > 0 and not self._filled(prefix, self._finding()):
                continue
            finding = {n: self.input.get(prefix + n, "") for n in self._finding() if n != "provisions"}
            finding["provisions"] = self.input.getlist(prefix + "provisions")
            finding["recommendations"] = []
            sent_recs = {}
            for j in range(recs):
                rp = f"{prefix}r{j}-"
                if not self._filled(rp, self.RECOMMENDATION):
                    continue
                sent_recs[len(finding["recommendations"])] = j
                finding["recommendations"].append({n: self.input.get(rp + n, "") for n in self.RECOMMENDATION})
            self.sent.append((i, sent_recs))
            findings.append(finding)
        return {"findings": findings}

    def field_for(self, name):
        match = re.fullmatch(r"findings\[(\d+)\]\.(?:recommendations\[(\d+)\]\.)?(\w+)", name or "")
        sent = getattr(self, "sent", [])
        if match and int(match.group(1)) < len(sent):
            block, recs = sent[int(match.group(1))]
            field = match.group(3)
            if match.group(2) is not None:
                j = recs.get(int(match.group(2)))
                if j is None:
                    return None
                candidate = f"f{block}-r{j}-{field}"
            else:
                candidate = f"f{block}-{field}"
            for c in (candidate, candidate[:-3] if candidate.endswith(("_ar", "_en")) else candidate):
                if c in self.by_name:
                    return c
            return None
        if name == "findings":
            return "f0-allegation"
        return super().field_for(name)

    def blocks(self):
        """The bound fields, finding by finding, for the template."""
        bound = {b.name: b for b in self}
        out = []
        for i, recs in enumerate(self.shape):
            out.append(
                {
                    "index": i,
                    "number": i + 1,
                    "fields": [bound[f"f{i}-{n}"] for n in self._finding()],
                    "recommendations": [
                        {"index": j, "number": j + 1, "fields": [bound[f"f{i}-r{j}-{n}"] for n in self.RECOMMENDATION]}
                        for j in range(recs)
                    ],
                }
            )
        return out


def findings_form(data=None, shape=(1,), initial=None, provisions=(), counted=False):
    """`shape`: how many recommendation blocks each finding block has. `provisions`: (id, label,
    group) of the provisions a finding may name as breached. `counted`: the report verifies a
    subject (a departure...), and each finding says how many people the team counted."""
    from ceasefire.incidents.models import Finding

    fields = []
    for i, recs in enumerate(shape):
        p = f"f{i}-"
        fields += [
            # Only the first finding is required: a later block left empty is dropped.
            Field(p + "allegation", _("Allegation"), kind="textarea", required=i == 0, bilingual=True, rows=2),
            Field(p + "result", _("Finding"), kind="radio", required=i == 0, choices=list(Finding.RESULTS)),
            Field(
                p + "attributed_to",
                _("Attributed to: party"),
                kind="select",
                choices=_party_choices(),
                hint=_("Only a violation is attributed."),
            ),
            Field(p + "attributed_unit", _("Attributed to: unit or actor")),
            Field(p + "provisions", _("Provisions breached"), kind="checkboxes", choices=list(provisions)),
            Field(p + "reasoning", _("Reasoning"), kind="textarea", bilingual=True, rows=3),
        ]
        if counted:
            fields.append(
                Field(
                    p + "count",
                    _("How many the team counted"),
                    kind="number",
                    min=0,
                    hint=_("The verified number: it counts once every side has signed the findings."),
                )
            )
        for j in range(recs):
            rp = f"{p}r{j}-"
            fields += [
                Field(rp + "addressee_party", _("Addressed to: party"), kind="select", choices=_party_choices()),
                Field(
                    rp + "addressee",
                    _("Or a named body"),
                    bilingual=True,
                    hint=_("A party or a named body receives each recommendation."),
                ),
                Field(rp + "text", _("What is to be done"), kind="textarea", bilingual=True, rows=2),
                Field(rp + "due_on", _("By"), kind="date"),
            ]
    return FindingsForm(fields, data, initial or {}, list(shape), submit=_("Submit the findings for sign-off"))


def signoff_form(data=None, draft=None, report=""):
    """The sign-off names the draft the page showed (`draft`, hidden): a newer draft is refused."""
    return Form(
        [
            Field(
                "agrees",
                _("Your sign-off"),
                kind="radio",
                required=True,
                choices=[("true", _("I agree with the findings")), ("false", _("I dissent"))],
            ),
            Field(
                "reasons",
                _("Reasons"),
                kind="textarea",
                bilingual=True,
                rows=4,
                hint=_("Required to dissent: they go on the record and before the committee."),
            ),
            Field("draft", "", kind="hidden", current=True),
            confirmation(
                _(
                    "I sign, as chosen above, the findings of report %(report)s as drafted in entry #%(draft)s, "
                    "and nothing else. It goes on the joint record."
                )
                % {"report": _isolated(report), "draft": draft}
            ),
        ],
        data,
        initial={"draft": draft},
        submit=_("Sign"),
    )


def confirmation_form(data=None, investigation=None):
    """The confirmation names the investigation report the page showed (hidden)."""
    return Form(
        [Field("investigation", "", kind="hidden", current=True)],
        data,
        initial={"investigation": investigation},
        submit=_("Confirm it as the team's report"),
    )


def settlement_form(data=None):
    return Form(
        [
            Field("text", _("Text of the proposed decision"), kind="textarea", required=True, bilingual=True, rows=4),
            _source(),
        ],
        data,
        submit=_("Put before the committee"),
    )


def closing_form(data=None, required=False, submit=""):
    return Form(
        [Field("note", _("Note"), kind="textarea", bilingual=True, rows=3, required=required)],
        data,
        submit=submit,
    )


def visibility_form(data=None, current=""):
    from ceasefire.incidents.models import Visibility

    return Form(
        [
            Field(
                "visibility",
                _("Who may read this report"),
                kind="radio",
                required=True,
                choices=list(Visibility.choices),
                hint=_("The parties always read it. Only a report the chain has closed is published."),
            ),
        ],
        data,
        {"visibility": current},
        submit=_("Save"),
    )


def recommendation_status_form(data=None, rec=None):
    from ceasefire.incidents.models import RecommendationStatus

    initial = {"status": rec.status, "note": rec.status_note} if rec else {}
    return Form(
        [
            Field(
                "status",
                _("Status"),
                kind="select",
                required=True,
                choices=list(RecommendationStatus.choices),
                hint=_("Only the facilitator marks a recommendation done or ignored."),
            ),
            Field("note", _("Note"), kind="textarea", rows=2),
        ],
        data,
        initial,
        submit=_("Update"),
    )


def evidence_form(data=None, id_prefix=""):
    return Form(
        [
            Field(
                "file",
                _("File"),
                kind="file",
                required=True,
                hint=_("Photos, video, audio, PDF or plain text, up to the size the committee allows."),
            ),
            Field("description", _("Description"), kind="textarea", bilingual=True, rows=2),
        ],
        data,
        submit=_("Add the file"),
        id_prefix=id_prefix,
    )


class IdentityForm(Form):
    def data(self) -> dict:
        raw = super().data()
        return {"identity": {k: raw.get(f"identity_{k}", "") for k in IDENTITY_FIELDS}} if raw else {}

    def field_for(self, name):
        if name and name.startswith("identity."):
            return "identity_" + name.split(".", 1)[1]
        if name == "identity":
            return "identity_name"
        return super().field_for(name)


def identity_form(data=None):
    fields = [
        Field(f"identity_{key}", label, kind="textarea" if key == "note" else "text", rows=2, required=key == "name")
        for key, label in IDENTITY_FIELDS.items()
    ]
    return IdentityForm(fields, data, submit=_("Keep in the vault"))


def erase_form(data=None):
    return Form(
        [
            Field(
                "reason",
                _("Reason"),
                kind="textarea",
                required=True,
                bilingual=True,
                rows=3,
                hint=_("A threat to the person, a legal order… It goes on the record; the identity does not."),
            )
        ],
        data,
        submit=_("Erase the identity"),
    )


REPORT_FILTERS = (
    "status",
    "category",
    "alleged_party",
    "attributed_party",
    "occurred_from",
    "occurred_to",
    "q",
    "overdue",
    "zone",
)


def _report_filters() -> list[Field]:
    from ceasefire.incidents.models import Status
    from ceasefire.incidents.queries import NO_PARTY

    return [
        Field("q", _("Words or reference"), hint=_("In a title, narrative, place or unit; or R-2026-0042.")),
        Field("status", _("Stage"), kind="select", choices=[("", _("Any"))] + list(Status.choices)),
        Field("category", _("Kind of violation"), kind="grouped", choices=[("", _("Any"), "")] + _categories()[1:]),
        Field(
            "alleged_party",
            _("Alleged perpetrator"),
            kind="select",
            choices=[("", _("Any"))] + _parties() + [(NO_PARTY, _("Not known"))],
        ),
        Field(
            "attributed_party",
            _("Held responsible by binding findings"),
            kind="select",
            choices=[("", _("Any"))] + _parties() + [(NO_PARTY, _("No binding attribution"))],
        ),
        Field("occurred_from", _("Happened from"), kind="date"),
        Field("occurred_to", _("Happened until"), kind="date"),
        Field("overdue", _("Overdue only"), kind="checkboxes", choices=[("1", _("Past its stage's target"))]),
        Field(
            "zone",
            _("In a zone of the committee"),
            kind="select",
            choices=[("", _("Any"))] + _zones(),
            hint=_("Inside the area (or near the line or points) by the version binding at the time of the report."),
        ),
    ]


def _zones():
    """The layers a version of which binds (the list's readers, parties and observers, read those)."""
    from ceasefire.zones.models import Layer

    return [
        (layer.code, layer.text("name"))
        for layer in Layer.objects.filter(versions__binding=True).distinct().order_by("code")
    ]


def report_filter_form(data=None):
    return Form(_report_filters(), data, submit=_("Show"))


STATS_FIELDS = (*REPORT_FILTERS, "by", "unit")


def stats_form(data=None):
    """The list's filters, what to count and by what."""
    from ceasefire.incidents import stats

    return Form(
        [
            Field(
                "unit",
                _("Count"),
                kind="select",
                choices=[
                    ("reports", _("Reports")),
                    ("incidents", _("Incidents (reports of one event counted once)")),
                    ("findings", _("Binding findings")),
                ],
            ),
            Field(
                "by",
                _("Count by"),
                kind="checkboxes",
                choices=list(stats.DIMENSIONS.items()),
                hint=_("At most three; a finding's result counts findings only."),
            ),
            *_report_filters(),
        ],
        data,
        initial={"by": ["month"], "unit": "reports"},
        submit=_("Count"),
    )


def coverage_form(data=None, party_name: str = ""):
    from ceasefire.incidents.models import CoverageKind

    return Form(
        [
            Field(
                "kind",
                _("What happened"),
                kind="radio",
                required=True,
                choices=list(CoverageKind.choices),
                hint=_("A party's record is that party's claim until the mission confirms it.") if party_name else "",
            ),
            Field(
                "area",
                _("Area"),
                required=True,
                bilingual=True,
                hint=_("A town, district or road, as the committee names it."),
            ),
            Field("starts_on", _("From"), kind="date", required=True),
            Field("ends_on", _("Until (included)"), kind="date", required=True),
            Field(
                "denied_by",
                _("Denied by"),
                kind="select",
                choices=[("", _("Not said"))] + _parties(),
                hint=_("Only for access denied."),
            ),
            Field("source", _("Source"), bilingual=True, hint=_("Where this is documented. The parties only read it.")),
            Field("note", _("Note"), kind="textarea", bilingual=True),
        ],
        data,
        submit=_("Record"),
    )


def coverage_visibility_form(data=None, current: str = ""):
    from ceasefire.incidents.models import Visibility

    return Form(
        [Field("visibility", _("Who reads it"), kind="radio", required=True, choices=list(Visibility.choices))],
        data,
        initial={"visibility": current},
        submit=_("Save"),
    )


def import_form(data=None):
    """A dataset to import: the file, its format, the mapping of a CSV or XLSX file, all or nothing."""
    return Form(
        [
            Field(
                "file",
                _("File"),
                kind="file",
                required=True,
                hint=_("A CSV file (UTF-8) or an XLSX workbook, up to %(mb)s MB; larger files with the command line.")
                % {"mb": f"{settings.IMPORT_MAX_BYTES / 1_048_576:g}"},
            ),
            Field(
                "format",
                _("Format"),
                kind="select",
                required=True,
                choices=[
                    ("acled", _("ACLED CSV")),
                    ("ucdp", _("UCDP GED CSV")),
                    ("csv", _("Another CSV file, with a column mapping")),
                    ("xlsx", _("An XLSX workbook, with a column mapping")),
                ],
            ),
            Field(
                "mapping",
                _("Column mapping (CSV and XLSX)"),
                kind="textarea",
                lang="en",
                rows=6,
                hint=_(
                    'JSON: {"dataset": "name", "columns": {"external_id": "Ref", "date": "Date", "category": "Type", '
                    '"place": "Town"}, "sheet": "the sheet of a workbook"}; docs/exchange.md lists every field.'
                ),
            ),
            Field(
                "skip_bad",
                _("Rows that are refused"),
                kind="radio",
                choices=[
                    ("", _("Import nothing if any row is refused")),
                    ("yes", _("Import the other rows and list the refused ones")),
                ],
            ),
        ],
        data,
        submit=_("Check the file"),
    )
