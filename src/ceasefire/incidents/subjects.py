"""What a report of the verification chain is about, when it is not an alleged violation: a
departure of foreign forces, later a detainee exchange or a cleared area. The chain stays one
(chain.py, commands.py): such a report goes through the same triage, joint team, findings,
sign-off and committee as any other, and carries its subject as a kind and an id. Each app that
has things to verify registers its kind here; incidents imports no such app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ceasefire.errors import NotFound


@dataclass(frozen=True)
class Kind:
    code: str
    find: Callable[[int], object]  # the subject by its id; raises NotFound (the field "subject")
    label: Callable[[object], str]  # how a page names it ("D-0012, 300 fighters")
    url: Callable[[object], str]  # its page


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.code] = kind


def subject(kind: str | None, pk: int | None):
    """The subject a report's (subject_kind, subject_id) points at, or None."""
    if not kind or pk is None:
        return None
    found = KINDS.get(kind)
    if found is None:
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": "subject", "value": kind}, "subject")
    return found.find(pk)


def of_report(report) -> dict | None:
    """The subject of `report` as the API and the pages show it: kind, id, label, url; None for a
    report of an alleged violation."""
    if not report.subject_kind:
        return None
    kind = KINDS.get(report.subject_kind)
    try:
        found = kind.find(report.subject_id) if kind else None
    except NotFound:
        found = None
    return {
        "kind": report.subject_kind,
        "id": report.subject_id,
        "label": kind.label(found) if found is not None else f"{report.subject_kind} {report.subject_id}",
        "url": kind.url(found) if found is not None else "",
    }
