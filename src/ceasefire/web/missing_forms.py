"""The forms of the missing-person pages: rendering and reading input only; the rules live in
ceasefire.missing.commands."""

from django.utils.translation import gettext_lazy as _

from .forces_forms import PLACE_HINT
from .forms import IDENTITY_FIELDS, Field, Form, IdentityForm


class CaseForm(IdentityForm):
    """A case's fields, and the person's identity_* as the one identity the vault keeps (its errors,
    identity.name and the rest, said at their boxes by IdentityForm)."""

    def data(self) -> dict:
        raw = Form.data(self)
        identity = {k: raw.pop(f"identity_{k}", "") for k in IDENTITY_FIELDS}
        return {**raw, "identity": identity}


def case_form(data=None):
    return CaseForm(
        [
            Field("missing_since", _("Missing since"), kind="date", required=True),
            Field("place", _("Last seen at (a place of the gazetteer)"), lang="en", hint=PLACE_HINT),
            Field("place_name", _("Last seen at (place name)"), bilingual=True),
            Field("circumstances", _("Circumstances"), kind="textarea", bilingual=True, rows=3),
            Field("source", _("Source"), required=True),
            Field("identity_name", _("Name (kept in the vault)"), required=True),
            Field("identity_contact", _("Contact (kept in the vault)")),
            Field("identity_relation", _("Relation of whoever reported it (kept in the vault)")),
            Field("identity_note", _("Note on the person (kept in the vault)"), kind="textarea", rows=2),
        ],
        data,
        submit=_("Open the case"),
    )


def status_form(data=None):
    from ceasefire.missing.models import Status

    return Form(
        [
            Field("status", _("Status"), kind="radio", required=True, choices=list(Status.choices)),
            Field("as_of", _("As of"), kind="date", required=True),
            Field(
                "exchange",
                _("Released in exchange (its number)"),
                kind="number",
                min=1,
                hint=_("A release only: the number of the recorded detainee exchange, if it came in one."),
            ),
            Field("note", _("Note"), kind="textarea", bilingual=True, rows=2),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Claim the status"),
    )
