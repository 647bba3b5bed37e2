"""Forms for rendering and reading input only: the rules live in the commands.

A `Form` knows its fields (label, kind, hint, choices), the user's input and, after a command has
refused it, the error to show next to the field the command named. `data()` gives the command the
user's raw input; nothing is checked here.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

BILINGUAL_HINT = _("In Arabic or in English.")


@dataclass
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select, radio, checkboxes
    required: bool = False
    hint: str = ""
    choices: list = field(default_factory=list)  # (value, label) pairs; for checkboxes, (value, label, group)
    bilingual: bool = False  # one text, typed in either script
    lang: str = ""  # a field fixed to one language: "ar" or "en"
    rows: int = 3
    min: int | None = None
    max: int | None = None

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
        self.value = form.value(f)

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
        if self.lang == "en" or self.kind in ("date", "number"):
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
    def __init__(self, fields: list[Field], data=None, initial: dict | None = None, submit: str = "",
                 id_prefix: str = ""):
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
        """The user's input, as typed, for the command to judge."""
        if self.input is None:
            return {}
        return {f.name: self.value(f) for f in self.fields}

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
            Field("party", _("Party"), kind="select", choices=[("", _("None"))] + _parties(),
                  hint=_("A head of delegation or a member sits for a party.")),
            Field("seat", _("Seat"), kind="number", min=1, max=50, hint=_("The seat number in the party's delegation.")),
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
            Field("name_latin", _("Successor's name in Latin script"), lang="en",
                  hint=_("A name in at least one script.")),
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
    return Form([Field("on", _("Resumed on"), kind="date", required=True)], data, submit=_("Record the return"))


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
            Field("minutes_en", _("Minutes in English"), kind="textarea", lang="en", rows=10,
                  hint=_("At least one language. Saving replaces the minutes in both languages.")),
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
        ],
        data,
        submit=_("Put before the committee"),
    )


def position_form(data=None, id_prefix=""):
    return Form(
        [
            Field("position", _("Your party's position"), kind="radio", required=True,
                  choices=list(POSITION_LABELS.items())),
            Field("reason", _("Reason"), kind="textarea", bilingual=True, rows=2),
        ],
        data,
        submit=_("Give the position"),
        id_prefix=id_prefix,  # one form per decision on a page: keep their ids apart
    )


def action_form(data=None, meeting=None):
    decisions = [("", _("None"))]
    if meeting is not None:
        decisions += [(str(d.id), _("Decision %(n)s") % {"n": d.number}) for d in meeting.decisions.all()]
    return Form(
        [
            Field("text", _("What is to be done"), kind="textarea", required=True, bilingual=True),
            Field("decision", _("Following decision"), kind="select", choices=decisions),
            Field("owner_party", _("Owner: a party"), kind="select", choices=[("", _("None"))] + _parties()),
            Field("owner", _("Or a named body"), bilingual=True,
                  hint=_("A party or a named body owns each action item.")),
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
            Field("note", _("Note on the text"), kind="textarea", bilingual=True, rows=2,
                  hint=_("Caveats on the text itself, such as uncertain numbering.")),
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
            Field("deadline_months", _("Deadline (months from signature)"), kind="number", min=0, max=600,
                  hint=_("Give a date or a number of months, not both.")),
            Field("deadline", _("Deadline as the text words it"), bilingual=True,
                  hint=_("For example: within three months of signature.")),
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
        fields.append(Field("held_by", _("Held by"), required=True, bilingual=True,
                            hint=_("The party, official or source that reads the provision this way.")))
    fields += [
        Field("reading", _("The reading"), kind="textarea", required=True, bilingual=True, rows=4),
        _source(),
    ]
    return Form(fields, data, submit=_("Add the reading"))


def witness_key_form(data=None, id_prefix=""):
    return Form(
        [
            Field("vkey", _("Verifier key"), required=True, lang="en",
                  hint=_("One line: the key's name, its ID and the key itself, joined by +. "
                         "Never paste the private key, whose line begins with PRIVATE+KEY.")),
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
