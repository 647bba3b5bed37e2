"""What may be translated: the committee's texts that are given in Arabic, English or both.

Each subject names its table and the fields a translation may fill. A translation is read by the
parties' people and the facilitator (its entry's audience): what it translates may be a party-only
text, and a translation travels with no sharing of its own.
"""

from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Subject:
    label: object  # what a reader calls it
    model_path: str  # "app_label.Model"
    fields: dict  # field -> what a reader calls it

    @property
    def model(self) -> type[Model]:
        from django.apps import apps

        return apps.get_model(self.model_path)


SUBJECTS = {
    "report": Subject(_("report"), "incidents.Report", {"title": _("title"), "narrative": _("narrative")}),
    "meeting": Subject(
        _("meeting"), "mechanism.Meeting", {"title": _("title"), "summary": _("summary"), "minutes": _("minutes")}
    ),
    "decision": Subject(_("decision"), "mechanism.Decision", {"text": _("text")}),
    "provision": Subject(_("provision"), "agreements.Provision", {"text": _("text")}),
}


def subject_of(obj) -> str | None:
    """The subject code of a row, or None if it is nothing a translation is given for (not a row
    at all, even: the dashboard's needs are not)."""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return None
    label = meta.label
    for code, s in SUBJECTS.items():
        if s.model_path == label:
            return code
    return None
