"""The forms of the foreign-forces pages: rendering and reading input only, as in forms.py; the
rules live in ceasefire.forces.commands."""

from django.utils.translation import gettext_lazy as _

from ceasefire.errors import Invalid

from .forms import Field, Form, _source


def _kinds():
    from ceasefire.forces.models import GroupKind

    return list(GroupKind.choices)


def _confidence():
    from ceasefire.forces.models import Confidence

    return list(Confidence.choices)


PLACE_HINT = _("A place of the gazetteer by its id (icao:HLGD, osm:n…), or leave it empty and give the name below.")


def _place_fields(label):
    return [
        Field("place", label, lang="en", hint=PLACE_HINT),
        Field("place_name", _("Place name"), bilingual=True),
    ]


def _informant_fields():
    return [
        Field(
            "informant_name",
            _("Informant (kept in the vault)"),
            hint=_("Who gave this, if a person did: only the facilitator reads it; the record holds a commitment."),
        ),
        Field("informant_contact", _("Informant's contact (kept in the vault)")),
    ]


def _on_the_form(field: str | None) -> str | None:
    if field and field.split(".")[0] == "informant":
        return "informant_contact" if field == "informant.contact" else "informant_name"
    return field


def with_informant(command, *args):
    """`command(actor, *args, data)` with the form's informant fields as the command reads them; an
    error the command names on the informant ("informant.name") is put on the form's field."""

    def call(actor, data):
        try:
            return command(actor, *args, informant_data(data))
        except Invalid as e:
            raise Invalid.every([(_on_the_form(field), message) for field, message in e.errors]) from None

    return call


def informant_data(data: dict) -> dict:
    """The form's input as the commands read it: the informant as one object, when given."""
    data = dict(data)
    name, contact = data.pop("informant_name", ""), data.pop("informant_contact", "")
    if name or contact:
        data["informant"] = {"name": name, "contact": contact}
    return data


def group_form(data=None):
    return Form(
        [
            Field("kind", _("Kind"), kind="radio", required=True, choices=_kinds()),
            Field("name", _("Name"), required=True, bilingual=True),
            Field("origin", _("Origin"), bilingual=True, hint=_("The state, or the fighters' country of origin.")),
            Field(
                "affiliation",
                _("Claimed affiliation"),
                bilingual=True,
                hint=_("Whom it fights with, as the source claims."),
            ),
            Field(
                "sponsor", _("Claimed sponsor"), bilingual=True, hint=_("Who pays or sends it, as the source claims.")
            ),
            Field(
                "source",
                _("Source"),
                required=True,
                hint=_("Where the claim comes from: a document, a link, a statement. Observers read it."),
            ),
        ],
        data,
        submit=_("Register"),
    )


def presence_form(data=None):
    return Form(
        [
            *_place_fields(_("Where")),
            Field("from_on", _("From"), kind="date", required=True),
            Field(
                "until_on",
                _("Until"),
                kind="date",
                hint=_("Leave empty while it is still there, as far as the source says."),
            ),
            Field("low", _("Strength: low"), kind="number", min=0),
            Field("best", _("Strength: best estimate"), kind="number", min=0),
            Field("high", _("Strength: high"), kind="number", min=0),
            Field(
                "as_of",
                _("Strength as of"),
                kind="date",
                hint=_("The day the strength is claimed for; the first day by default."),
            ),
            Field("confidence", _("The source's confidence"), kind="radio", required=True, choices=_confidence()),
            Field("source", _("Source"), required=True),
            *_informant_fields(),
        ],
        data,
        submit=_("Record the claim"),
    )


def departure_form(data=None):
    return Form(
        [
            Field("claimed", _("How many left, as claimed"), kind="number", min=0, required=True),
            Field("departed_on", _("On"), kind="date", required=True),
            *_place_fields(_("Exit point")),
            Field("destination", _("Destination"), bilingual=True),
            Field("confidence", _("The source's confidence"), kind="radio", required=True, choices=_confidence()),
            Field(
                "source",
                _("Source"),
                required=True,
                hint=_(
                    "A document, a link, a statement. Observers read it: name no one who must stay protected; "
                    "an informant goes in the fields below, kept in the vault."
                ),
            ),
            *_informant_fields(),
        ],
        data,
        submit=_("Record the departure"),
    )


def verification_form(data=None):
    return Form(
        [Field("note", _("Note to the joint team"), kind="textarea", bilingual=True, rows=3)],
        data,
        submit=_("Ask for the verification"),
    )


def side_form(data=None):
    return Form(
        [
            Field(
                "complete",
                _("Your party's side of this stage"),
                kind="radio",
                required=True,
                choices=[("true", _("Complete")), ("false", _("Not complete"))],
            ),
            Field("as_of", _("As of"), kind="date", required=True),
            Field("note", _("Note"), kind="textarea", bilingual=True, rows=2),
            _source(),
        ],
        data,
        submit=_("Give your party's word"),
    )


def imbalance_form(data=None):
    return Form(
        [
            Field(
                "text",
                _("The imbalance, and why the stage may be recorded complete"),
                kind="textarea",
                required=True,
                bilingual=True,
                rows=4,
            )
        ],
        data,
        submit=_("Put it to the parties"),
    )
