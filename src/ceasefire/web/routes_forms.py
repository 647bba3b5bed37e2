"""The forms of the roads, crossings and borders pages: rendering and reading input only; the rules
live in ceasefire.routes.commands."""

from django.utils.translation import gettext_lazy as _

from .forms import POSITION_LABELS, Field, Form


def _choices(name):
    from ceasefire.routes import models

    return list(getattr(models, name).choices)


def route_form(data=None):
    return Form(
        [
            Field("kind", _("Kind"), kind="radio", required=True, choices=_choices("Kind")),
            Field("name", _("Name"), required=True, bilingual=True),
            Field(
                "places",
                _("Places of the gazetteer, in order"),
                kind="textarea",
                lang="en",
                rows=2,
                required=True,
                hint=_("Their ids, separated by commas (osm:n5431087789, osm:n299616414); a crossing: one."),
            ),
            Field(
                "neighbour",
                _("Neighbouring state"),
                kind="select",
                choices=[("", "—")] + _choices("Neighbour"),
                hint=_("A border crossing's neighbour."),
            ),
            Field(
                "aliases",
                _("What reports call it"),
                kind="textarea",
                rows=2,
                hint=_('One name a line ("the coastal road", "الطريق الساحلي"): a report naming one is on it.'),
            ),
            Field(
                "within_km",
                _("Within (km)"),
                hint=_("How near a report must lie to be on it: 2 by default, a crossing 5."),
            ),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Record the route"),
    )


def status_form(data=None, *, facilitator: bool = False):
    fields = [
        Field("status", _("Status"), kind="radio", required=True, choices=_choices("Status")),
        Field("since", _("Since"), kind="date", required=True),
        Field(
            "conditions",
            _("Conditions"),
            kind="textarea",
            bilingual=True,
            rows=3,
            hint=_("For instance: no military convoys; official delegations coordinate in advance."),
        ),
        Field("ordered_by", _("Ordered by"), bilingual=True),
        Field("source", _("Source"), required=True),
    ]
    if facilitator:
        fields.append(
            Field(
                "agreed_per_source",
                _("The committee's according to this public source"),
                hint=_(
                    "Only for a status of a day passed that a public source reports the committee ordering; "
                    "otherwise leave empty: the status becomes the committee's when every party approves it."
                ),
            )
        )
    return Form(fields, data, submit=_("Put the status forward"))


def status_data(data: dict) -> dict:
    data = dict(data)
    source = data.pop("agreed_per_source", "")
    if source:
        data["agreed_per_source"] = {"source": source}
    return data


def position_form(data=None):
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
        ],
        data,
        submit=_("Give the position"),
    )


def share_form(data=None):
    from ceasefire.routes.models import LIAISON

    return Form(
        [
            Field(
                "recipient",
                _("For the liaison committee of"),
                kind="radio",
                required=True,
                choices=[(n.value, n.label) for n in LIAISON],
            ),
            Field("format", _("Format"), kind="radio", required=True, choices=[("json", "JSON"), ("csv", "CSV")]),
        ],
        data,
        submit=_("Make the export and record it"),
    )


# ---------------------------------------------------------------- detainee exchanges


def exchange_form(data=None):
    from .forces_forms import PLACE_HINT

    return Form(
        [
            Field("happened_on", _("On"), kind="date", required=True),
            Field("place", _("Where"), lang="en", hint=PLACE_HINT),
            Field("place_name", _("Place name"), bilingual=True),
            Field("mediators", _("Mediators"), bilingual=True, hint=_("Elders, the ICRC, the Libyan Red Crescent...")),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Record the exchange"),
    )


def numbers_form(data=None):
    from ceasefire.mechanism.models import Party

    fields = [
        Field(f"released_{p.code}", _("Released by %(party)s") % {"party": p.text("name")}, kind="number", min=0)
        for p in Party.objects.order_by("order")
    ]
    return Form(
        [
            *fields,
            Field("total", _("Total"), kind="number", min=0, hint=_("When the source gives only the total.")),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Record the numbers"),
    )


def numbers_data(data: dict) -> dict:
    data = dict(data)
    released = {k.removeprefix("released_"): data.pop(k) for k in list(data) if k.startswith("released_")}
    data["released"] = {k: n for k, n in released.items() if n not in (None, "")}
    return data


def person_form(data=None):
    from ceasefire.mechanism.models import Party

    return Form(
        [
            Field(
                "released_by",
                _("Released by"),
                kind="radio",
                required=True,
                choices=[(p.code, p.text("name")) for p in Party.objects.order_by("order")],
            ),
            Field("identity_name", _("Name (kept in the vault)"), required=True),
            Field("identity_contact", _("Contact (kept in the vault)")),
        ],
        data,
        submit=_("Record the person"),
    )


def person_data(data: dict) -> dict:
    data = dict(data)
    data["identity"] = {"name": data.pop("identity_name", ""), "contact": data.pop("identity_contact", "")}
    return data


# ---------------------------------------------------------------- mine action


def area_form(data=None):
    from .forces_forms import PLACE_HINT

    return Form(
        [
            Field("name", _("Name"), required=True, bilingual=True),
            Field("place", _("Where"), lang="en", hint=PLACE_HINT),
            Field("place_name", _("Place name"), bilingual=True),
            Field("description", _("Description"), kind="textarea", bilingual=True, rows=3),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Record the area"),
    )


def clearance_form(data=None):
    from ceasefire.mines.models import Cleared

    return Form(
        [
            Field("status", _("Status"), kind="radio", required=True, choices=list(Cleared.choices)),
            Field("as_of", _("As of"), kind="date", required=True),
            Field("extent", _("What was cleared, as the source says"), kind="textarea", bilingual=True, rows=2),
            Field("source", _("Source"), required=True),
        ],
        data,
        submit=_("Report the clearance"),
    )
