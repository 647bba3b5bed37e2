"""How each incidents event changes the tables; only the event's own content is read, so replay
on an empty database arrives at the same state.

Reports, their evidence and the chain's steps stay with the parties (a bundle for observers or
the public carries their leaf hashes only). The typology and the stage targets are public; the
committee's choice to share or publish a report is for observers.
"""

import datetime as dt

from ceasefire.mechanism.models import AgendaItem, Party
from ceasefire.places import grid
from ceasefire.record.log import parse_time, projects

from . import chain, mapping
from .models import (
    Casualty,
    Category,
    Confirmation,
    Evidence,
    EvidenceAccess,
    Finding,
    IdentityCommitment,
    Incident,
    Investigation,
    Recommendation,
    Report,
    SearchWord,
    SignOff,
    StageTarget,
    StageTime,
    TeamMember,
    searchable,
)


def _date(s):
    return dt.date.fromisoformat(s) if s else None


def _move(report: Report, status: str, event, **fields) -> None:
    """The report enters `status` at the event's time; the stage it leaves is closed."""
    StageTime.objects.filter(report=report, left_at__isnull=True).update(left_at=event.time)
    StageTime.objects.create(report=report, stage=status, entered_at=event.time, entered_by=event.account)
    for name, value in {"status": status, "stage_since": event.time, **fields}.items():
        setattr(report, name, value)
    report.save()


def _report(event) -> Report:
    return Report.objects.get(id=event.payload["report"])


@projects("category.defined", audience="public")
def _category(event):
    p = event.payload
    Category.objects.update_or_create(
        code=p["code"],
        defaults={
            k: p[k]
            for k in (
                "group",
                "order",
                "name_ar",
                "name_en",
                "acled_event_type",
                "acled_sub_event_type",
                "provisions",
                "retired",
            )
        },
    )


@projects("chain.target_set", audience="public")
def _target(event):
    StageTarget.objects.update_or_create(stage=event.payload["stage"], defaults={"days": event.payload["days"]})


@projects("report.filed", audience="parties")
def _filed(event):
    p = event.payload
    incident = Incident.objects.create(
        id=event.seq,
        year=p["year"],
        number=p["incident"],
        title_ar=p["title_ar"],
        title_en=p["title_en"],
        opened_at=event.time,
        related_report_id=p["related_report"],
    )
    report = Report.objects.create(
        id=event.seq,
        year=p["year"],
        number=p["number"],
        incident=incident,
        status=chain.RECEIVED,
        stage_since=event.time,
        submitted_by=event.account,
        received_at=event.time,
        occurred_at=parse_time(p["occurred_at"]),
        category_id=p["category"],
        source_party_id=p["source_party"],
        controlled_by_id=p["controlled_by"],
        alleged_party_id=p["alleged_party"],
        affected_party_id=p["affected_party"],
        related_report_id=p["related_report"],
        external_id=p.get("external_id"),  # imported reports only (issue 12)
        subject_kind=(p.get("subject") or {}).get("kind"),  # verifications of a subject only (subjects.py)
        subject_id=(p.get("subject") or {}).get("id"),
        **{
            k: p[k]
            for k in (
                "title_ar",
                "title_en",
                "source_type",
                "source_ar",
                "source_en",
                "time_known",
                "time_precision",
                "latitude",
                "longitude",
                "geo_precision",
                "place_ar",
                "place_en",
                "alleged_unit",
                "narrative_ar",
                "narrative_en",
            )
        },
        search_text=searchable(p),
        map_cell=grid.cell(p["latitude"], p["longitude"]),
    )
    mapping.tally(report)
    SearchWord.objects.bulk_create(SearchWord.of(report.search_text), ignore_conflicts=True)
    Casualty.objects.bulk_create(Casualty(report=report, **c) for c in p["casualties"])
    StageTime.objects.create(report=report, stage=chain.RECEIVED, entered_at=event.time, entered_by=event.account)
    if p["source_commitment"]:
        IdentityCommitment.objects.create(
            id=event.seq, report=report, commitment=p["source_commitment"], relation="source"
        )


@projects("identity.protected", audience="parties")
def _identity(event):
    p = event.payload
    IdentityCommitment.objects.create(
        id=event.seq, report_id=p["report"], commitment=p["commitment"], relation=p["relation"]
    )


@projects("identity.erased", audience="parties")
def _identity_erased(event):
    IdentityCommitment.objects.filter(id=event.payload["identity"]).update(erased_at=event.time)


@projects("report.triaged", audience="parties")
def _triaged(event):
    p = event.payload
    report = _report(event)
    fields = {"triage_reason_ar": p["reason_ar"], "triage_reason_en": p["reason_en"]}
    if p["decision"] == "duplicate":
        original = Report.objects.get(id=p["duplicate_of"])
        left = report.incident
        fields.update(duplicate_of=original, incident=original.incident)
        # Its own duplicates follow it: every duplicate points to the first report of the event.
        Report.objects.filter(duplicate_of=report).update(duplicate_of=original, incident=original.incident)
        _move(report, chain.TRIAGE[p["decision"]], event, **fields)
        if not left.reports.exists():  # kept, never deleted: it points to where its report went
            left.merged_into = original.incident
            left.save(update_fields=["merged_into"])
            Incident.objects.filter(merged_into=left).update(merged_into=original.incident)
        return
    _move(report, chain.TRIAGE[p["decision"]], event, **fields)


@projects("report.tasked", audience="parties")
def _tasked(event):
    p = event.payload
    report = _report(event)
    TeamMember.objects.bulk_create(
        TeamMember(report=report, username=m["username"], party_id=m["party"]) for m in p["team"]
    )
    _move(
        report,
        chain.TASKED,
        event,
        instructions_ar=p["instructions_ar"],
        instructions_en=p["instructions_en"],
        team_due_on=_date(p["due_on"]),
    )


@projects("report.investigated", audience="parties")
def _investigated(event):
    """A draft of the team's investigation report: it replaces one not yet confirmed, and counts
    as confirmed by its writer's party (`confirms_for`)."""
    p = event.payload
    report = _report(event)
    Investigation.objects.filter(report=report).delete()
    investigation = Investigation.objects.create(
        id=event.seq,
        report=report,
        site_visited=p["site_visited"],
        visited_on=_date(p["visited_on"]),
        access=p["access"],
        denied_by_party_id=p["denied_by_party"],
        submitted_by=event.account,
        submitted_at=event.time,
        **{
            k: p[k]
            for k in (
                "denied_by_ar",
                "denied_by_en",
                "methods_ar",
                "methods_en",
                "evidence_ar",
                "evidence_en",
                "limitations_ar",
                "limitations_en",
            )
        },
    )
    if "confirms_for" not in p:  # an entry from before confirmations: the team's report as the record says
        _move(report, chain.INVESTIGATED, event)
        return
    if p["confirms_for"]:
        Confirmation.objects.create(
            id=event.seq, investigation=investigation, party_id=p["confirms_for"], username=event.account, at=event.time
        )
    _if_confirmed(report, investigation, event)


@projects("report.investigation_confirmed", audience="parties")
def _investigation_confirmed(event):
    p = event.payload
    report = _report(event)
    investigation = Investigation.objects.get(id=p["investigation"])
    Confirmation.objects.create(
        id=event.seq, investigation=investigation, party_id=p["party"], username=event.account, at=event.time
    )
    _if_confirmed(report, investigation, event)


def _if_confirmed(report: Report, investigation: Investigation, event) -> None:
    """The report moves on once a member of every party on the team has confirmed its investigation."""
    team = report.team.values_list("party_id", flat=True)
    if not chain.unconfirmed(team, investigation.confirmations.values_list("party_id", flat=True)):
        _move(report, chain.INVESTIGATED, event)


@projects("findings.drafted", audience="parties")
def _drafted(event):
    report = _report(event)
    SignOff.objects.filter(report=report).delete()
    Recommendation.objects.filter(report=report).delete()
    Finding.objects.filter(report=report).delete()
    r = 0
    for i, f in enumerate(event.payload["findings"]):
        finding = Finding.objects.create(
            id=event.seq * 100 + i,
            report=report,
            number=i + 1,
            result=f["result"],
            attributed_to_id=f["attributed_to"],
            attributed_unit=f["attributed_unit"],
            provisions=f["provisions"],
            count=f.get("count"),
            **{k: f[k] for k in ("allegation_ar", "allegation_en", "reasoning_ar", "reasoning_en")},
        )
        for rec in f["recommendations"]:
            Recommendation.objects.create(
                id=event.seq * 100 + r,
                finding=finding,
                report=report,
                addressee_party_id=rec["addressee_party"],
                due_on=_date(rec["due_on"]),
                **{k: rec[k] for k in ("addressee_ar", "addressee_en", "text_ar", "text_en")},
            )
            r += 1
    _move(report, chain.FINDINGS, event, agenda_item=None, decision=None, draft=event.seq)


def _put_on_agenda(report: Report, agenda: dict, event) -> AgendaItem:
    return AgendaItem.objects.create(
        id=event.seq,
        meeting_id=agenda["meeting"],
        number=agenda["number"],
        title_ar=agenda["title_ar"],
        title_en=agenda["title_en"],
    )


@projects("findings.signed", audience="parties")
def _signed(event):
    p = event.payload
    report = _report(event)
    SignOff.objects.create(
        report=report,
        side=p["side"],
        username=event.account,
        agrees=p["agrees"],
        reasons_ar=p["reasons_ar"],
        reasons_en=p["reasons_en"],
        at=event.time,
    )
    parties = Party.objects.order_by("order").values_list("code", flat=True)
    outcome = chain.signoffs(parties, dict(SignOff.objects.filter(report=report).values_list("side", "agrees")))
    if outcome.disputed:
        agenda = _put_on_agenda(report, p["agenda"], event) if p["agenda"] else None
        _move(report, chain.DISPUTED, event, agenda_item=agenda)
    elif outcome.concluded:
        _move(report, chain.CONCLUDED, event)


@projects("report.put_on_agenda", audience="parties")
def _agenda(event):
    report = _report(event)
    report.agenda_item = _put_on_agenda(report, event.payload["agenda"], event)
    report.save(update_fields=["agenda_item"])


@projects("report.settlement_proposed", audience="parties")
def _proposed(event):
    Report.objects.filter(id=event.payload["report"]).update(decision_id=event.payload["decision"])


@projects("report.settled", audience="parties")
def _settled(event):
    p = event.payload
    _move(_report(event), chain.CONCLUDED, event, closing_note_ar=p["note_ar"], closing_note_en=p["note_en"])


@projects("report.disagreement_recorded", audience="parties")
def _disagreement(event):
    p = event.payload
    _move(_report(event), chain.DISAGREEMENT, event, closing_note_ar=p["note_ar"], closing_note_en=p["note_en"])


@projects("report.visibility_set", audience="observers")  # what is shared with observers is not the public's to know
def _visibility(event):
    report = (
        Report.objects.filter(id=event.payload["report"])
        .only("visibility", "category", "map_cell", "latitude", "longitude", "geo_precision")
        .first()
    )
    if report is not None and report.visibility != event.payload["visibility"]:
        mapping.tally(report, -1)
        mapping.tally(report, +1, event.payload["visibility"])
    Report.objects.filter(id=event.payload["report"]).update(visibility=event.payload["visibility"])


@projects("recommendation.status_set", audience="parties")
def _recommendation(event):
    p = event.payload
    Recommendation.objects.filter(id=p["recommendation"]).update(status=p["status"], status_note=p["note"])


@projects("evidence.added", audience="parties")
def _evidence(event):
    p = event.payload
    Evidence.objects.create(
        id=event.seq,
        report_id=p["report"],
        uploaded_by=event.account,
        uploaded_at=event.time,
        **{k: p[k] for k in ("sha256", "size", "media_type", "name", "description_ar", "description_en")},
    )


@projects("evidence.accessed", audience="parties")
def _evidence_accessed(event):
    p = event.payload
    EvidenceAccess.objects.create(
        id=event.seq, evidence_id=p["evidence"], username=event.account, action=p["action"], at=event.time
    )
