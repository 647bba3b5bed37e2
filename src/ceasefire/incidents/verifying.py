"""A subject of the verification chain (subjects.py) that is not a report of a violation: a
departure of foreign forces, a detainee exchange, a clearance. Once for all of them: who may ask
the chain to verify one, filing the report that does, and what the chain made of it as a reader
may read it (the latest verification report's stage and, once its findings are concluded, what
the joint team counted)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from ceasefire import audience
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism.models import Role
from ceasefire.mechanism.permissions import facilitates

from . import chain
from . import commands as incidents
from .models import Category, Report, SourceType


@dataclass(frozen=True)
class Verification:
    report: Report | None  # the latest verification report the reader may read; None: none
    status: str  # chain status, or "" when none
    verified: int | None  # what the concluded findings counted; None until concluded (or unreadable)


def of(kind: str, pk: int, reader, reports: list[Report] | None = None, *, counted: bool = True) -> Verification:
    """The subject's verification as `reader` may read it (ceasefire.audience). `verified` is the
    concluded findings' count, or, for a subject that is not counted (`counted` False), 1."""
    if reports is None:
        reports = list(incidents.verifications(kind, pk))
    readable = [r for r in reports if audience.report_reads(reader, r)]
    if not readable:
        return Verification(None, "", None)
    r = readable[-1]
    verified = None
    if r.status == chain.CONCLUDED and audience.finding_reads(reader, r):
        if not counted:
            verified = 1
        else:
            counts = [f.count for f in r.findings.all() if f.count is not None]
            verified = sum(counts) if counts else None
    return Verification(r, r.status, verified)


def by_subject(kind: str, subjects, reader) -> dict[int, Verification]:
    """Every subject's verification, read in one query of reports."""
    reports: dict[int, list] = {}
    for r in (
        Report.objects.filter(subject_kind=kind, subject_id__in=[s.id for s in subjects])
        .prefetch_related("findings")
        .order_by("id")
    ):
        reports.setdefault(r.subject_id, []).append(r)
    return {s.id: of(kind, s.id, reader, reports.get(s.id, [])) for s in subjects}


def refusal(actor, kind: str, pk: int, field: str, *, forbidden: str, concluded: str, underway: str):
    """Asking the chain to verify a subject: the facilitator or a party's delegation, when no
    verification of it is open and none concluded. The messages name the subject; `concluded` and
    `underway` hold %(ref)s, the verification report's reference."""
    if not actor or not (facilitates(actor) or actor.role in (Role.HEAD, Role.MEMBER)):
        return Forbidden(forbidden)
    if actor.role in (Role.HEAD, Role.MEMBER):
        refused = incidents._suspension(actor.party)
        if refused is not None:
            return refused
    for r in incidents.verifications(kind, pk):
        if r.status == chain.CONCLUDED:
            return Conflict(concluded % {"ref": r.reference}, field)
        if not r.closed:
            return Conflict(underway % {"ref": r.reference}, field)
    return None


def source(party: str | None) -> tuple[str, str | None]:
    """A verification report's source: a party's delegation, or the mission."""
    return (SourceType.DELEGATION, party) if party else (SourceType.UN_MONITOR, None)


def request(actor, subject: tuple[str, int], data: dict, *, category: str, texts, day, where, source):
    """File the report through which the chain verifies `subject` (kind, id): triage, a joint team
    with every party, its findings, sign-off by every party and the facilitator or dissent, the
    committee. `category` is the typology's category unless the requester names another; `texts()`
    gives the title and narrative in the active language (the subject by its reference only: a
    report travels wherever it is shared or published, the public too); `day` is what it speaks of,
    `where` holds its place (place_ar, place_en, latitude, longitude). Called by the subject's app's
    command, after its refusal, inside its transaction."""
    category = v.text(data.get("category"), "category", max_length=40) or category
    if not Category.objects.filter(code=category, retired=False).exists():
        raise Invalid(_("%(value)s is not a category of this mechanism's typology") % {"value": category}, "category")
    note = v.bilingual(data, "note", max_length=5000)
    report_data = {
        "category": category,
        "occurred_at": day.isoformat(),
        "latitude": where.latitude,
        "longitude": where.longitude,
        "geo_precision": 1 if where.latitude is not None else None,
        "place_ar": where.place_ar,
        "place_en": where.place_en,
    }
    for lang in ("ar", "en"):
        with override(lang):
            title, narrative = texts()
        text = note[f"note_{lang}"] or note["note_en"] or note["note_ar"]
        report_data[f"title_{lang}"] = title
        report_data[f"narrative_{lang}"] = narrative + ("\n\n" + text if text else "")
    return incidents.file_verification(actor, report_data, subject, source)
