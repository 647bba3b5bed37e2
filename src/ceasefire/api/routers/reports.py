"""Violation reports and the joint verification chain: filing, the list and its filters, each step
of the chain, evidence files with their chain of custody, the facilitator's vault of protected
identities, incidents, recommendations, the typology and the stage targets.

What a reader may see is asked of incidents/queries.py and incidents/permissions.py, as the pages
ask them: the reads are PUBLIC routes, so that the parties' people read every report, observers
what the committee shared with them and anyone without login what it published. A report the
reader may not see answers 404, as one that does not exist: its existence is not given away.
"""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Case, Count, DateTimeField, DurationField, ExpressionWrapper, F, Q, Value, When
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ceasefire import audience
from ceasefire.errors import Forbidden, NotFound
from ceasefire.incidents import chain, commands, duplicates, evidence, exchange, imports, queries
from ceasefire.incidents.models import Category, Evidence, IdentityCommitment, Recommendation, Report
from ceasefire.incidents.permissions import may_handle_evidence, may_see_identities, visible_levels
from ceasefire.mechanism.commands import get
from ceasefire.record import log
from ceasefire.zones import queries as zones

from ..auth import PUBLIC, reader
from ..common import CODE_PATTERN, Errors, Id, reading, writing
from ..schemas import (
    AwaitingTriageOut,
    CategoryIn,
    CategoryOut,
    ConfirmationIn,
    DuplicatesOut,
    EraseIn,
    EvidenceAccessOut,
    EvidenceOut,
    FindingsIn,
    IdentityOut,
    ImportOut,
    IncidentOut,
    IncidentsOut,
    InvestigationIn,
    NoteIn,
    ProtectIn,
    RecommendationOut,
    RecommendationStatusIn,
    RecommendationStatusName,
    ReportIn,
    ReportOut,
    ReportsOut,
    ReportStatusName,
    SettlementProposalIn,
    SignIn,
    StageTargetIn,
    StageTargetOut,
    TeamIn,
    TriagedOut,
    TriageIn,
    TriageSelectionIn,
    VisibilityIn,
)

router = Router(tags=["reports"])

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000

# The query parameters of a list. Dates are checked by queries.Filters, which names the parameter.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"at most this many items (1 to {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="skip this many items")]
Day = Annotated[str | None, Query(description="YYYY-MM-DD", example="2021-03-02")]
PartyCode = Annotated[str | None, Query(pattern=CODE_PATTERN, description="a party code, e.g. east; `-` for none")]

# lazy: put in the reader's language when the error is answered
EVIDENCE_ONLY = gettext_lazy("Evidence files are for the parties' delegations, the monitors and the facilitator.")


def _missing(field: str, value) -> NotFound:
    return NotFound(_("%(field)s %(value)s does not exist") % {"field": field, "value": value}, field)


def _visible(request, report_id: int):
    """The report, if the reader may see it; else 404 as if it did not exist."""
    r = queries.visible(reader(request)).select_related("category", "incident").filter(id=report_id).first()
    if r is None:
        raise _missing("report", report_id)
    return r


def filters(
    status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party=None, zone=None
) -> queries.Filters:
    """The list's filters from its query parameters: GET /reports and GET /stats read them alike."""
    return queries.Filters.parse(
        {
            "status": status,
            "category": category,
            "alleged_party": alleged_party,
            "attributed_party": attributed_party,
            "occurred_from": occurred_from,
            "occurred_to": occurred_to,
            "bbox": bbox,
            "q": q,
            "overdue": "true" if overdue else "",
            "zone": zone,
        }
    )


def _filtered(
    request,
    status,
    category,
    alleged_party,
    occurred_from,
    occurred_to,
    bbox,
    q,
    overdue,
    attributed_party=None,
    zone=None,
):
    f = filters(status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party, zone)
    zones.zone_filter(reader(request), f.zone)
    qs = queries.visible(reader(request)).select_related("category")
    return queries.search(qs, f, log._clock())


def _page(qs, limit: int, offset: int) -> dict:
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": list(qs[offset : offset + limit])}


LIST_DESCRIPTION = (
    "Newest first. Filters combine: `status`, `category` (a typology code), `alleged_party`, "
    "`attributed_party` (held responsible by binding findings; `-` for none), "
    "`occurred_from` / `occurred_to` (YYYY-MM-DD, both days included), "
    "`bbox=minlon,minlat,maxlon,maxlat`, `q` (words in the title, narrative, place or alleged unit, "
    "or a reference such as R-2026-0042; Arabic spelling variants match, as الجفره finds الجفرة, and so do "
    "the gazetteer's spellings of a place, as Surt finds سرت) and `overdue=true` (past the target of their stage). "
    "The parties' people and the facilitator read every report; observers those the committee shared "
    "with them; without login, those it published. Each bad parameter answers 422 naming it."
)


@router.get(
    "/reports",
    auth=PUBLIC,
    response=reading(ReportsOut),
    summary="Reports, filtered and paginated",
    description=LIST_DESCRIPTION,
)
def reports(
    request,
    status: Query[ReportStatusName | None] = None,
    category: Annotated[str | None, Query(description="a typology code (GET /typology)")] = None,
    alleged_party: PartyCode = None,
    attributed_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat", example="15,31,16,32")] = None,
    q: Annotated[str | None, Query(description="free text, or a report's reference")] = None,
    overdue: Annotated[bool, Query(description="only reports past the target of their stage")] = False,
    zone: Annotated[
        str | None,
        Query(
            description="a layer's code: the reports inside it (or near a line or points), each by the "
            "version binding at the time it describes (GET /layers)"
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    qs = _filtered(
        request, status, category, alleged_party, occurred_from, occurred_to, bbox, q, overdue, attributed_party, zone
    )
    # The page's keys first, then its rows by key: ordering every match with all its columns costs
    # far more than ordering keys once thousands match (bench/reports.py).
    keys = list(qs.values_list("id", flat=True)[offset : offset + limit])
    rows = Report.objects.select_related("category").in_bulk(keys)
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": [rows[k] for k in keys]}


EXPORT_DESCRIPTION = (
    "The reports of the list (its filters, as GET /reports takes them; no paging: every match, newest "
    "first) as a file, streamed: `format=acled` (ACLED's 31 columns, then ours), `ucdp` (UCDP GED's 49 "
    "columns, then ours), `hxl` (CSV whose second row holds HXL hashtags), `geojson` (an RFC 7946 "
    "FeatureCollection, longitude first) or `xlsx` (the HXL columns and hashtags in a workbook). Only what the reader may read: observers and the public get the "
    "reports shared with them or published, never how a source is described nor who gave a casualty figure; "
    "no export names an account. `actor1`/`side_a` is the party the report alleges; `attribution` says "
    "whether a binding finding attributed the violation (`binding finding`, parties in `attributed_to`) or "
    "it is `alleged`. The header `X-Ceasefire-Checkpoint: size=N root=BASE64 [signed=M]` names the state "
    "of the record the file was read from: its size, the Merkle root of that size, and the newest signed "
    "checkpoint at or below it (GET /record/proof/consistency links the two); GeoJSON also carries it as "
    "its top-level `checkpoint` member, XLSX on its sheet `checkpoint`. docs/exchange.md documents every column. Each bad parameter "
    "answers 422 naming it."
)


def _export_answer() -> dict:
    csv_ = {"schema": {"type": "string"}}
    return {
        "responses": {
            200: {
                "description": "the file (Content-Disposition: attachment)",
                "headers": {
                    exchange.HEADER: {"schema": {"type": "string"}, "description": "size=N root=BASE64 [signed=M]"}
                },
                "content": {
                    "text/csv": csv_,
                    "application/geo+json": {"schema": {"type": "object"}},
                    exchange.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    }


@router.get(
    "/reports/export",
    auth=PUBLIC,
    response={401: Errors, 403: Errors, 422: Errors},  # 200 is a file: see openapi_extra
    summary="The reports of the list as ACLED, UCDP or HXL CSV, GeoJSON or XLSX, streamed",
    description=EXPORT_DESCRIPTION,
    openapi_extra=_export_answer(),
)
def export_reports(
    request,
    format: Annotated[
        Literal["acled", "ucdp", "hxl", "geojson", "xlsx"],
        Query(description="acled (default), ucdp, hxl, geojson or xlsx"),
    ] = "acled",
    status: Query[ReportStatusName | None] = None,
    category: Annotated[str | None, Query(description="a typology code (GET /typology)")] = None,
    alleged_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    q: Annotated[str | None, Query(description="free text, or a report's reference")] = None,
    overdue: Annotated[bool, Query(description="only reports past the target of their stage")] = False,
):
    filters = queries.Filters.parse(
        {
            "status": status,
            "category": category,
            "alleged_party": alleged_party,
            "occurred_from": occurred_from,
            "occurred_to": occurred_to,
            "bbox": bbox,
            "q": q,
            "overdue": "true" if overdue else "",
        }
    )
    return exchange.response(reader(request), filters, format)


@router.post(
    "/reports",
    response=writing(ReportOut, 201),
    summary="File a report",
    description=(
        'A claim from a source, received now: `id`, `number` (R-YYYY-NNNN) and `status` "received" '
        "with the whole report. A delegate files for its delegation, a monitor for its team; the "
        "facilitator records what reached it from other sources (`source_type`)."
    ),
)
def file_report(request, payload: ReportIn):
    return Status(201, commands.file_report(request.auth, payload.data()))


@router.post(
    "/reports/import",
    response=writing(ImportOut),
    summary="Import a dataset's rows as reports (the facilitator; multipart/form-data)",
    description=(
        "`file`: an ACLED CSV file (the current columns or the older layout), a UCDP GED CSV file, or any CSV "
        "file or XLSX workbook read through `mapping` (JSON: dataset, columns, categories, date_format, sheet; "
        "docs/exchange.md); `format`: acled, ucdp, csv or xlsx. What `ceasefire import` does, for a file a "
        "browser uploads (at most CEASEFIRE_IMPORT_MAX_BYTES, else 413): each row a report from a dataset "
        "source, a claim, never a finding; a row imported before (its id in the dataset) is skipped. All or "
        "nothing: one refused row and nothing is written, the answer 422 naming every problem under `file` as "
        "`NAME: line N: column: what`, unless `skip_bad` imports the others and lists the refused rows. "
        "`dry_run` checks and counts and writes nothing: what would be imported."
    ),
)
def import_reports(
    request,
    file: File[UploadedFile],
    format: Annotated[Literal["acled", "ucdp", "csv", "xlsx"], Form(description="acled, ucdp, csv or xlsx")],
    mapping: Annotated[str, Form(description="csv and xlsx: the column mapping, JSON")] = "",
    dry_run: Annotated[bool, Form(description="check and count, write nothing")] = False,
    skip_bad: Annotated[bool, Form(description="import the good rows, list the refused ones")] = False,
):
    name = file.name or "file"
    run = imports.upload(request.auth, format, name, file.file, file.size, mapping, dry_run, skip_bad)
    return {
        "file": name,
        "format": format,
        "dry_run": dry_run,
        "read": run.read,
        "imported": run.imported,
        "already": run.already,
        "refused": [{"line": p.line, "message": p.message, "row": p.row} for p in run.problems],
    }


@router.get(
    "/reports/overdue",
    auth=PUBLIC,
    response=reading(ReportsOut),
    summary="Reports past the target of their stage, the latest first",
    description="The filters of GET /reports; ordered by how long ago the current stage should have ended.",
)
def overdue_reports(
    request,
    status: Query[ReportStatusName | None] = None,
    category: Query[str | None] = None,
    alleged_party: PartyCode = None,
    occurred_from: Day = None,
    occurred_to: Day = None,
    bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None,
    q: Query[str | None] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    qs = _filtered(request, status, category, alleged_party, occurred_from, occurred_to, bbox, q, True)
    targets = queries.targets()
    due = Case(
        *(
            When(
                status=stage,
                then=ExpressionWrapper(
                    F("stage_since") + Value(dt.timedelta(days=days), output_field=DurationField()),
                    output_field=DateTimeField(),
                ),
            )
            for stage, days in targets.items()
        ),
        output_field=DateTimeField(),
    )
    return _page(qs.annotate(due=due).order_by("due", "id"), limit, offset)


# Before /reports/{report_id}: the paths are matched in order.
@router.get(
    "/reports/awaiting-triage",
    response=reading(AwaitingTriageOut),
    summary="The reports awaiting triage, each with the reports that may tell of the same event (the facilitator)",
    description=(
        "Candidates are reports of the same category, near in place and in time as precisely as each report "
        "claims them (a report naming only its district is near what lies in that district), each with why: "
        "kilometres apart, the district both lie in, hours apart, and how alike their words are in the same "
        "language (0 to 1; Arabic spelling variants count as one word). A report without coordinates is a "
        "candidate only when its words are alike. Nothing is merged: triage them (POST /reports/triage)."
    ),
)
def awaiting_triage(request):
    return {"items": [{"report": r, "candidates": c} for r, c in duplicates.awaiting_triage(request.auth)]}


@router.get(
    "/reports/{report_id}/duplicates",
    response=reading(DuplicatesOut),
    summary="The reports that may tell of the same event as this one, and why (the facilitator)",
    description="The candidates of GET /reports/awaiting-triage, for one report of any stage.",
)
def report_duplicates(request, report_id: Id):
    refusal = commands.selection_refusal(request.auth)  # before the report: nobody else learns whether it exists
    if refusal is not None:
        raise refusal
    r = _visible(request, report_id)
    return {"report": r, "candidates": duplicates.candidates(request.auth, r)}


@router.post(
    "/reports/triage",
    response=writing(TriagedOut),
    summary="Triage a selection of received reports in one action, each its own entry (the facilitator)",
    description=(
        "One decision and reason for every report selected: admissible, duplicates of `duplicate_of`, or "
        "outside the mandate. Each report is triaged as POST /reports/{report_id}/triage would, its own entry "
        "in the record; all are, or none is. A report that may not be triaged now is named with the reason "
        "(409, field `reports`), and nothing is written."
    ),
)
def triage_selection(request, payload: TriageSelectionIn):
    triaged = commands.triage_selection(request.auth, payload.data())
    return {"count": len(triaged), "items": triaged}


@router.get(
    "/reports/{report_id}",
    auth=PUBLIC,
    response=reading(ReportOut),
    summary="A report with its stages, team, investigation, findings, sign-offs and links",
    description=(
        "Observers and the public read it without the names of the people behind it (submitted_by, "
        "the team's and the signers' usernames, who moved it between stages), without the description "
        "of its source and without its evidence files: those are null for them. 404 for a report the "
        "reader may not see."
    ),
)
def report(request, report_id: Id):
    return _visible(request, report_id)


# ---------------------------------------------------------------- the chain, step by step


@router.post(
    "/reports/{report_id}/triage",
    response=writing(ReportOut),
    summary="Triage: admissible, a duplicate of an earlier report, or outside the mandate (the facilitator)",
)
def triage(request, report_id: Id, payload: TriageIn):
    return commands.triage(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/team", response=writing(ReportOut), summary="Task a joint verification team (the facilitator)"
)
def task_team(request, report_id: Id, payload: TeamIn):
    return commands.task_team(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/investigation",
    response=writing(ReportOut),
    summary="A team member's investigation report, its party's confirmation included; a new one replaces one not yet confirmed",
)
def report_investigation(request, report_id: Id, payload: InvestigationIn):
    return commands.report_investigation(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/investigation/confirmations",
    response=writing(ReportOut),
    summary="A party's member on the team confirms the investigation report (by its entry) as the team's",
    description=(
        "The investigation report is the team's once a member of every party on the team has confirmed it (its "
        "writer confirms it for its party by writing it); a denied access is filed as an obstruction report then. "
        "409 naming `investigation` if the entry named is not the report now before the team."
    ),
)
def confirm_investigation(request, report_id: Id, payload: ConfirmationIn):
    return commands.confirm_investigation(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/findings",
    response=writing(ReportOut),
    summary="The team's findings, one per allegation; a new draft clears the sign-offs",
)
def draft_findings(request, report_id: Id, payload: FindingsIn):
    return commands.draft_findings(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/signoffs",
    response=writing(ReportOut),
    summary="A party's member on the team, or the facilitator, agrees with the findings or dissents",
    description=(
        "`draft` names the findings draft signed (the report's `draft`): 422 without it, 409 naming `draft` if "
        "another draft is before the sides now. Every party and the facilitator agreeing concludes the report; one "
        "dissent disputes it and puts it on the committee's next agenda."
    ),
)
def sign_findings(request, report_id: Id, payload: SignIn):
    return commands.sign_findings(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/settlement-proposal",
    response=writing(ReportOut),
    summary="Put a proposal settling a disputed report before the committee (the facilitator)",
    description=(
        "A decision of the meeting whose agenda holds the report (its id in links.decision); every party "
        "takes its position at /decisions/{id}/positions."
    ),
)
def propose_settlement(request, report_id: Id, payload: SettlementProposalIn):
    return commands.propose_settlement(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/settlement",
    response=writing(ReportOut),
    summary="Conclude a disputed report by the committee's adopted decision (the facilitator)",
)
def settle(request, report_id: Id, payload: NoteIn):
    return commands.settle(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/disagreement",
    response=writing(ReportOut),
    summary="Close a disputed report with the parties' disagreement on record (the facilitator)",
)
def record_disagreement(request, report_id: Id, payload: NoteIn):
    return commands.record_disagreement(request.auth, report_id, payload.data())


@router.post(
    "/reports/{report_id}/visibility",
    response=writing(ReportOut),
    summary="Share a report with the observers, or publish a closed one (the facilitator)",
)
def set_visibility(request, report_id: Id, payload: VisibilityIn):
    return commands.set_visibility(request.auth, report_id, payload.data())


# ---------------------------------------------------------------- evidence


@router.get(
    "/reports/{report_id}/evidence",
    response=reading(list[EvidenceOut]),
    summary="A report's evidence files (the parties' people and the facilitator)",
)
def report_evidence(request, report_id: Id):
    if not may_handle_evidence(request.auth):
        raise Forbidden(EVIDENCE_ONLY)
    return list(commands.report(report_id).evidence.all())


@router.post(
    "/reports/{report_id}/evidence",
    response=writing(EvidenceOut, 201),
    summary="Upload an evidence file (multipart/form-data: `file`, and optionally `description`)",
    description=(
        f"What the file is, is read from its content, never from its name or the type it was sent as: a "
        f"mislabelled, empty or unaccepted file answers 422 naming `file`, one larger than the limit 413. "
        f"Accepted: {evidence.accepted()}. Its SHA-256 enters the record with the upload."
    ),
)
def add_evidence(
    request,
    report_id: Id,
    file: File[UploadedFile],
    description: Form[str | None] = None,
    description_ar: Form[str | None] = None,
    description_en: Form[str | None] = None,
):
    texts = {"description": description, "description_ar": description_ar, "description_en": description_en}
    data = {k: v for k, v in texts.items() if v is not None}
    added = commands.add_evidence(
        request.auth, report_id, file.chunks(), file.name or "", file.content_type or "", data
    )
    return Status(201, added)


def _evidence(request, evidence_id: int) -> Evidence:
    if not may_handle_evidence(request.auth):
        raise Forbidden(EVIDENCE_ONLY)
    return get(Evidence, evidence_id, "evidence")


@router.get(
    "/evidence/{evidence_id}/file",
    response={401: Errors, 403: Errors, 404: Errors, 422: Errors},
    summary="Download an evidence file; the download enters its chain of custody first",
    openapi_extra={
        "responses": {
            200: {
                "description": "the file's bytes, as an attachment, with the media type its content shows",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evidence_file(request, evidence_id: Id):
    e = _evidence(request, evidence_id)
    stored = evidence.opened(e.sha256)  # checked against its SHA-256 before anything is served
    try:
        commands.record_evidence_access(request.auth, e.id, "download")  # in the record before a byte is served
    except BaseException:
        stored.close()
        raise
    response = FileResponse(stored, as_attachment=True, filename=e.name, content_type=e.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # never rendered as a page of ours
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/evidence/{evidence_id}/custody",
    response=reading(list[EvidenceAccessOut]),
    summary="An evidence file's chain of custody: every view, download and export, and by whom",
)
def evidence_custody(request, evidence_id: Id):
    return list(_evidence(request, evidence_id).accesses.all())


# ---------------------------------------------------------------- protected identities


def _identities(report_id: int, commitments, kept) -> list[dict]:
    """Each commitment the record holds, with the identity the vault keeps behind it (none once erased)."""
    vault = {p.commitment: p for p in kept}
    rows = []
    for c in commitments:
        kept = vault.get(c.commitment)
        rows.append(
            {
                "id": c.id,
                "report": report_id,
                "relation": c.relation,
                "commitment": c.commitment,
                "erased_at": c.erased_at,
                "identity": kept.identity if kept else None,
                "created_by": kept.created_by if kept else None,
                "created_at": kept.created_at if kept else None,
            }
        )
    return rows


def _facilitator_only(request) -> None:
    if not may_see_identities(request.auth):
        raise Forbidden(_("Only the facilitator reads or keeps protected identities."))


@router.get(
    "/reports/{report_id}/identities",
    response=reading(list[IdentityOut]),
    summary="The protected identities behind a report (the facilitator only)",
)
def identities(request, report_id: Id):
    _facilitator_only(request)
    r = commands.report(report_id)
    kept = commands.identities(request.auth, r)
    return _identities(r.id, IdentityCommitment.objects.filter(report=r), kept)


@router.post(
    "/reports/{report_id}/identities",
    response=writing(IdentityOut, 201),
    summary="Keep a witness's identity in the vault; the record gets its commitment only (the facilitator)",
)
def protect_identity(request, report_id: Id, payload: ProtectIn):
    _facilitator_only(request)
    c = commands.protect_identity(request.auth, report_id, payload.data())
    return Status(201, _identities(c.report_id, [c], commands.identities(request.auth, c.report))[0])


@router.post(
    "/identities/{identity_id}/erase",
    response=writing(IdentityOut),
    summary="Destroy an identity in the vault; the record keeps the commitment (the facilitator)",
)
def erase_identity(request, identity_id: Id, payload: EraseIn):
    _facilitator_only(request)
    c = commands.erase_identity(request.auth, identity_id, payload.data())
    return _identities(c.report_id, [c], [])[0]


# ---------------------------------------------------------------- incidents


@router.get(
    "/incidents",
    auth=PUBLIC,
    response=reading(IncidentsOut),
    summary="Incidents: the events the reports describe, the latest first",
)
def incidents(request, limit: Limit = 50, offset: Offset = 0):
    actor = reader(request)
    # how many of its reports the reader sees, counted in the same query rather than once per incident
    seen = Count("reports", filter=Q(reports__visibility__in=visible_levels(actor)), distinct=True)
    page = _page(queries.visible_incidents(actor).annotate(visible_reports=seen), limit, offset)
    page["items"] = queries.as_seen_by(actor, page["items"])
    return page


@router.get(
    "/incidents/{incident_id}",
    auth=PUBLIC,
    response=reading(IncidentOut),
    summary="An incident with the reports about it",
)
def incident(request, incident_id: Id):
    found = queries.visible_incidents(reader(request)).filter(id=incident_id).first()
    if found is None:
        raise _missing("incident", incident_id)
    return queries.as_seen_by(reader(request), [found])[0]


# ---------------------------------------------------------------- recommendations


@router.get(
    "/recommendations",
    auth=PUBLIC,
    response=reading(list[RecommendationOut]),
    summary="Recommendations of the findings, by due date, with their follow-up",
)
def recommendations(
    request,
    status: Query[RecommendationStatusName | None] = None,
    addressee_party: PartyCode = None,
):
    qs = Recommendation.objects.filter(report__in=queries.visible(reader(request))).select_related("report")
    if status is not None:
        qs = qs.filter(status=status)
    if addressee_party is not None:
        qs = qs.filter(addressee_party_id=addressee_party)
    actor = reader(request)
    return [rec for rec in qs if audience.finding_reads(actor, rec.report, "recommendations")]


@router.post(
    "/recommendations/{recommendation_id}/status",
    response=writing(RecommendationOut),
    summary="Follow a recommendation up: the addressed party reports progress, the facilitator closes it",
)
def set_recommendation_status(request, recommendation_id: Id, payload: RecommendationStatusIn):
    return commands.set_recommendation_status(request.auth, recommendation_id, payload.data())


# ---------------------------------------------------------------- the typology and the stage targets


@router.get(
    "/typology", auth=PUBLIC, response=reading(list[CategoryOut]), summary="The mechanism's categories of violation"
)
def typology(request):
    return list(Category.objects.all())


@router.post(
    "/typology",
    response=writing(CategoryOut),
    summary="Add a category to the typology, or change one by its code (the facilitator)",
)
def define_category(request, payload: CategoryIn):
    return commands.define_category(request.auth, payload.data())


def _target(stage: str, days: int) -> dict:
    return {"stage": stage, "days": days, "default_days": chain.TARGET_DAYS[stage]}


@router.get(
    "/stage-targets",
    auth=PUBLIC,
    response=reading(list[StageTargetOut]),
    summary="How many days a report should spend at most in each stage",
)
def stage_targets(request):
    return [_target(stage, days) for stage, days in queries.targets().items()]


@router.post("/stage-targets", response=writing(StageTargetOut), summary="Set a stage's target (the facilitator)")
def set_stage_target(request, payload: StageTargetIn):
    target = commands.set_stage_target(request.auth, payload.data())
    return _target(target["stage"], target["days"])
