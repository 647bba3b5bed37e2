"""What can be done with violation reports: file them, triage them, task a joint team, report its
investigation, draft findings, sign or dissent, and settle what stays disputed. Each command
checks who acts and what they send against chain.py and permissions.py, then appends its event;
projections.py applies it."""

import datetime as dt
import math

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from ceasefire import days
from ceasefire import validate as v
from ceasefire.agreements.models import Provision
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism.accounts import party_of
from ceasefire.mechanism.commands import get, mechanism, require_facilitator, waiting_for
from ceasefire.mechanism.models import Account, Meeting, Party, Role
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record import log
from ceasefire.record.log import Actor, append, batch, command

from . import chain, evidence, subjects, typology, vault
from .models import (
    Casualty,
    Category,
    Evidence,
    Finding,
    IdentityCommitment,
    Incident,
    Investigation,
    ProtectedIdentity,
    Recommendation,
    RecommendationStatus,
    Report,
    SignOff,
    SourceType,
    Visibility,
)
from .permissions import (
    TEAM_ROLES,
    may_file,
    may_handle_evidence,
    may_update_recommendation,
    may_work_on,
    reads_everything,
    side,
    team_party,
)

MAX_TEAM = 12
MAX_FINDINGS = 20
MAX_RECOMMENDATIONS = 99  # per draft: a recommendation's id is the draft's seq × 100 + its index
FUTURE_SLACK = dt.timedelta(minutes=5)  # a field device's clock may run a little ahead
# An Arabic phone keyboard types Arabic-Indic (or Persian) digits and a decimal comma: ٣١٫٢ is 31.2.
PHONE_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫,", "01234567890123456789..")


def report(report_id) -> Report:
    return get(Report, report_id, "report")


def _require_reader_of_everything(actor: Actor) -> None:
    """Refused before any lookup: an observer learns nothing of a report from the error it gets."""
    if not reads_everything(actor):
        raise Forbidden(_("Only the parties' delegations, the monitors and the facilitator work on reports."))


def _party(value, field: str) -> str | None:
    code = v.text(value, field, max_length=32)
    if not code:
        return None
    get(Party, code, field)
    return code


def _bool(value, field: str, *, required: bool = True) -> bool | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "1", "yes"):
        return True
    if value in ("false", "off", "0", "no"):
        return False
    raise Invalid(_("must be true or false"), field)


def _number(value, field: str, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().translate(PHONE_DIGITS))
        except ValueError:
            return v.refuse(_("must be a number"), field)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        return v.refuse(_("must be a number"), field)
    if not low <= value <= high:  # compared before float(): a huge integer would overflow it
        return v.refuse(_("must be between %(low)s and %(high)s") % {"low": low, "high": high}, field)
    return float(value)


def _moment(value, field: str, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """A day (YYYY-MM-DD) or a time (ISO 8601 with its offset, or UTC): (UTC time, time known).
    Never in the future: a report is of something that happened."""
    unknown = (now, False)  # the stand-in while every_field() checks the other fields
    if value in (None, ""):
        return v.refuse(_("is required"), field, unknown)
    if not isinstance(value, str):
        return v.refuse(
            _("must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, with its offset)"), field, unknown
        )
    text = value.strip()
    if len(text) == 10:
        day = v.date(text, field)
        if day is None:
            return unknown
        at, known = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), False
        if day > days.latest_today(now):
            return v.refuse(_("is in the future"), field, unknown)
        return at, known
    try:
        at = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return v.refuse(
            _("must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, with its offset)"), field, unknown
        )
    if at.tzinfo is None:
        return v.refuse(_("needs its offset from UTC, e.g. +02:00 for Libya"), field, unknown)
    if v.date(at.date(), field) is None:  # within the calendar the record holds (and far from datetime's own limits)
        return unknown
    at = at.astimezone(dt.UTC)
    if at > now + FUTURE_SLACK:
        return v.refuse(_("is in the future"), field, unknown)
    return at, True


def _next_number(model, year: int) -> int:
    return (model.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1


# ---------------------------------------------------------------- the typology


@command
def define_category(actor: Actor, data: dict) -> Category:
    """Add a category to the mechanism's typology, or change one (by its code)."""
    require_facilitator(actor)
    mechanism()
    code = v.text(data.get("code"), "code", max_length=40, required=True)
    if not code.isascii() or not code.replace("-", "").isalnum() or code != code.lower():
        raise Invalid(_("must be lower-case letters, digits and dashes"), "code")
    group = v.text(data.get("group"), "group", max_length=40, required=True)
    if group not in typology.GROUPS:
        raise Invalid(_("must be one of: %(choices)s") % {"choices": ", ".join(typology.GROUPS)}, "group")
    event_type = v.text(data.get("acled_event_type"), "acled_event_type", max_length=60)
    sub_event_type = v.text(data.get("acled_sub_event_type"), "acled_sub_event_type", max_length=60)
    if event_type and event_type not in typology.ACLED:
        raise Invalid(
            _("must be one of ACLED's event types: %(choices)s") % {"choices": ", ".join(typology.ACLED)},
            "acled_event_type",
        )
    if sub_event_type and sub_event_type not in typology.ACLED.get(event_type, ()):
        raise Invalid(_("is not a sub-event type of the ACLED event type given"), "acled_sub_event_type")
    provisions = _provisions(data.get("provisions"), "provisions")
    existing = Category.objects.filter(code=code).first()
    payload = {
        "code": code,
        "group": group,
        **v.bilingual(data, "name", max_length=200, required=True),
        "acled_event_type": event_type,
        "acled_sub_event_type": sub_event_type,
        "provisions": provisions,
        "retired": bool(_bool(data.get("retired"), "retired", required=False)),
        "order": existing.order if existing else (Category.objects.aggregate(n=Max("order"))["n"] or 0) + 1,
    }
    append("category.defined", payload, actor)
    return Category.objects.get(code=code)


def adopt_default_typology(actor: Actor) -> list[Category]:
    """The default typology (typology.DEFAULT), for the categories the mechanism lacks."""
    with batch():
        have = set(Category.objects.values_list("code", flat=True))
        return [define_category(actor, c) for c in typology.default_categories() if c["code"] not in have]


def _provisions(value, field: str) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 50:
        raise Invalid(_("must be a list of at most 50 provision ids"), field)
    ids = []
    for i, pk in enumerate(value):
        ids.append(get(Provision, v.integer(pk, f"{field}[{i}]", minimum=0), f"{field}[{i}]").id)
    if len(set(ids)) != len(ids):
        raise Invalid(_("lists a provision twice"), field)
    return ids


@command
def set_stage_target(actor: Actor, data: dict) -> dict:
    """How many days a report should wait at most in a stage."""
    require_facilitator(actor)
    stage = v.choice(data.get("stage"), "stage", chain.STAGES)
    allowed = v.integer(data.get("days"), "days", minimum=1, maximum=365)
    append("chain.target_set", {"stage": stage, "days": allowed}, actor)
    return {"stage": stage, "days": allowed}


# ---------------------------------------------------------------- filing


@command
def file_report(actor: Actor, data: dict) -> Report:
    """File a report: a claim from a source, received now. It opens an incident of its own."""
    if not may_file(actor):
        raise Forbidden(_("Only a party's delegation, a monitor or the facilitator may file a report."))
    return _file(actor, data)


def file_verification(actor: Actor, data: dict, subject: tuple[str, int], source: tuple[str, str | None]) -> Report:
    """File the report through which the chain verifies `subject` (kind, id): a departure of
    foreign forces, an exchange, a cleared area. The same report, triage, joint team, findings and
    sign-off as any other: only its subject differs. Called by the command of the subject's app,
    inside that command's transaction."""
    if subject[0] not in subjects.KINDS:
        raise Invalid(_("unknown kind of subject"), "subject")
    return _file(actor, data, source=source, subject=subject)


def verifications(kind: str, pk: int):
    """The reports verifying a subject, oldest first."""
    return Report.objects.filter(subject_kind=kind, subject_id=pk).order_by("id")


def import_refusal(actor: Actor):
    """Why `actor` may not import a dataset's rows (the error to raise), or None: the facilitator
    records what reached the committee from outside. The command line, the API and the page ask it."""
    return _facilitator_only(actor)


@command
def import_report(actor: Actor, data: dict, external_id: str) -> Report | None:
    """File a report taken from a dataset (ACLED...): a claim of the dataset, received now, with
    the dataset's precision codes. `external_id` ("acled:LBY1234") names the row in its dataset: a
    row imported already is not filed again (None). The facilitator records what reached it from
    outside; the dataset is never a party's word."""
    _refuse(import_refusal(actor))
    external_id = v.text(external_id, "external_id", max_length=120, required=True)
    if Report.objects.filter(external_id=external_id).exists():
        return None
    return _file(actor, {**data, "source_party": None}, source=(SourceType.DATASET, None), external_id=external_id)


def _file(
    actor: Actor,
    data: dict,
    related: Report | None = None,
    source: tuple[str, str | None] | None = None,
    external_id: str = "",
    subject: tuple[str, int] | None = None,
) -> Report:
    mechanism()
    now = log._clock()
    with v.every_field():
        payload, identity = _report_fields(actor, data, now, related, source)
    if external_id:  # only imported reports carry it: the events of the others are as they were
        payload["external_id"] = external_id
    if subject:  # only a report verifying something other than a violation (subjects.py) carries it
        payload["subject"] = {"kind": subject[0], "id": subject[1]}
    salt = None
    if identity:
        salt, payload["source_commitment"] = vault.commit(identity)
    event = append("report.filed", payload, actor)
    if identity:
        ProtectedIdentity.objects.create(
            report_id=event.seq,
            commitment=payload["source_commitment"],
            salt=salt,
            identity=identity,
            created_by=actor.username,
            created_at=event.time,
        )
    return Report.objects.get(id=event.seq)


def _report_fields(actor: Actor, data: dict, now, related, source) -> tuple[dict, dict | None]:
    """A report's payload from the input, every field checked (inside validate.every_field)."""
    source_type, source_party = source or _source(actor, data)
    category = v.text(data.get("category"), "category", max_length=40, required=True)
    if category and not Category.objects.filter(code=category, retired=False).exists():
        v.refuse(_("%(value)s is not a category of this mechanism's typology") % {"value": category}, "category")
    occurred_at, time_known = _moment(data.get("occurred_at"), "occurred_at", now)
    latitude = _number(data.get("latitude"), "latitude", -90, 90)
    longitude = _number(data.get("longitude"), "longitude", -180, 180)
    if (latitude is None) != (longitude is None):
        v.refuse(_("give both latitude and longitude, or neither"), "longitude" if longitude is None else "latitude")
    place = v.bilingual(data, "place", max_length=200)
    # Coordinates given but wrong are said as such, not as coordinates missing.
    no_coordinates = data.get("latitude") in (None, "") and data.get("longitude") in (None, "")
    if no_coordinates and not (place["place_ar"] or place["place_en"]):
        v.refuse(_("say where: coordinates, a place name, or both"), "place")
    geo_precision = v.integer(data.get("geo_precision"), "geo_precision", minimum=1, maximum=3, required=False)
    if latitude is not None and geo_precision is None:
        geo_precision = 1
    if no_coordinates and geo_precision is not None:
        v.refuse(_("is the precision of coordinates; none were given"), "geo_precision")
    identity = data.get("source_identity")
    identity = vault.clean(identity, "source_identity") if identity not in (None, "", {}) else None
    payload = {
        "year": now.year,
        "number": _next_number(Report, now.year),
        "incident": _next_number(Incident, now.year),
        **v.bilingual(data, "title", max_length=300, required=True),
        "category": category,
        "source_type": source_type,
        "source_party": source_party,
        **v.bilingual(data, "source", max_length=300),
        "occurred_at": log.format_time(occurred_at),
        "time_known": time_known,
        "time_precision": v.integer(data.get("time_precision"), "time_precision", minimum=1, maximum=3, required=False)
        or 1,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": geo_precision,
        **place,
        "controlled_by": _party(data.get("controlled_by"), "controlled_by"),
        "alleged_party": _party(data.get("alleged_party"), "alleged_party"),
        "alleged_unit": v.text(data.get("alleged_unit"), "alleged_unit", max_length=300),
        "affected_party": _party(data.get("affected_party"), "affected_party"),
        **v.bilingual(data, "narrative", max_length=20000, required=True),
        "casualties": _casualties(data.get("casualties")),
        "related_report": related.id if related else None,
        "source_commitment": None,
    }
    return payload, identity


def _source(actor: Actor, data: dict) -> tuple[str, str | None]:
    """Who the report comes from. A delegate files for its own delegation and a monitor as a
    joint team (by default, one from a party's ranks) or as the UN; the facilitator records what
    reached it."""
    given = v.choice(data.get("source_type"), "source_type", SourceType, required=False)
    if actor.role in (Role.HEAD, Role.MEMBER):
        if given not in ("", SourceType.DELEGATION):
            raise Invalid(
                _("a delegate files for its delegation; the facilitator records other sources"), "source_type"
            )
        if data.get("source_party") not in (None, "", actor.party):  # never in another party's name
            raise Invalid(_("a delegate files for its own delegation only"), "source_party")
        return SourceType.DELEGATION, actor.party
    if actor.role == Role.MONITOR:  # never in a party's name, whatever party its account comes from
        allowed = (SourceType.JOINT_TEAM, SourceType.UN_MONITOR)
        if given and given not in allowed:
            raise Invalid(_("a monitor files as a joint monitoring team or as a UN monitor"), "source_type")
        if data.get("source_party") not in (None, ""):
            raise Invalid(_("a monitor's report is never in a party's name"), "source_party")
        from_a_party = Account.objects.filter(user__username=actor.username).exclude(party="").exists()
        return given or (SourceType.JOINT_TEAM if from_a_party else SourceType.UN_MONITOR), None
    if not given:
        raise Invalid(_("is required"), "source_type")
    if given == SourceType.DATASET:  # with the row's id in its dataset, or a second import would file it again
        raise Invalid(_("a dataset's reports are imported (ceasefire import), not filed one by one"), "source_type")
    party = _party(data.get("source_party"), "source_party")
    if given == SourceType.DELEGATION and not party:
        raise Invalid(_("a delegation's report names its party"), "source_party")
    if given != SourceType.DELEGATION and party:
        raise Invalid(_("only a delegation's report names a party as its source"), "source_party")
    return given, party


def _casualties(value) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or len(value) > 12:
        raise Invalid(_("must be a list of at most 12 counts"), "casualties")
    out = []
    for i, c in enumerate(value):
        field = f"casualties[{i}]"
        if not isinstance(c, dict):
            raise Invalid(_("must be an object with kind, group, count and source"), field)
        out.append(
            {
                "kind": v.choice(c.get("kind"), f"{field}.kind", Casualty.KINDS),
                "group": v.choice(c.get("group") or "unknown", f"{field}.group", Casualty.GROUPS),
                "count": v.integer(c.get("count"), f"{field}.count", minimum=0, maximum=100000),
                "source": v.text(c.get("source"), f"{field}.source", max_length=300),
            }
        )
    return out


@command
def protect_identity(actor: Actor, report_id, data: dict) -> IdentityCommitment:
    """Keep a witness's identity in the vault; the record gets its commitment only."""
    require_facilitator(actor)
    r = report(report_id)
    identity = vault.clean(data.get("identity"), "identity")
    salt, commitment = vault.commit(identity)
    event = append("identity.protected", {"report": r.id, "commitment": commitment, "relation": "witness"}, actor)
    ProtectedIdentity.objects.create(
        report_id=r.id,
        commitment=commitment,
        salt=salt,
        identity=identity,
        created_by=actor.username,
        created_at=event.time,
    )
    return IdentityCommitment.objects.get(id=event.seq)


def erase_refusal(actor: Actor, c: IdentityCommitment):
    if not facilitates(actor):
        return Forbidden(_("Only the facilitator (the secretariat) may do this."))
    if c.erased_at is not None:
        return Conflict(_("this identity has been erased already"), "identity")
    return None


@command
def erase_identity(actor: Actor, commitment_id, data: dict) -> IdentityCommitment:
    """Destroy an identity in the vault (a threat to the person, a legal order). The record keeps
    the commitment, and says when and why the identity was erased."""
    require_facilitator(actor)
    c = get(IdentityCommitment, commitment_id, "identity")
    _refuse(erase_refusal(actor, c))
    reason = v.bilingual(data, "reason", max_length=2000, required=True)
    append("identity.erased", {"identity": c.id, "commitment": c.commitment, **reason}, actor)
    ProtectedIdentity.objects.filter(commitment=c.commitment).delete()
    c.refresh_from_db()
    return c


def identities(actor: Actor, r: Report) -> list[ProtectedIdentity]:
    """The vault's identities behind a report: the facilitator's to read, nobody else's."""
    require_facilitator(actor)
    return list(ProtectedIdentity.objects.filter(report_id=r.id).order_by("id"))


# ---------------------------------------------------------------- the chain
#
# Each step has one refusal function: why `actor` may not take the step on `r` now (the error the
# command raises), or None. The command raises it; the report's page and the API's "may" ask it,
# so that nothing is offered that the command refuses, nor refused that it accepts. Who may take a
# step is asked first (Forbidden): whoever has no part in it learns nothing of the report's state.
# `actor` may be None (the public): who may take a step is asked of it before anything else.


def _stage(r: Report, step: str) -> Conflict | None:
    if chain.allowed(step, r.status):
        return None
    return Conflict(
        _("%(ref)s is at stage “%(status)s”; this step is not open to it")
        % {"ref": r.reference, "status": r.get_status_display()},
        "status",
    )


def _suspension(party: str | None) -> Conflict | None:
    if party and Party.objects.filter(code=party, suspended_since__isnull=False).exists():
        return Conflict(_("Your party's participation is suspended; resume it first."))
    return None


def _first(*checks):
    """The first refusal of `checks` (callables, asked in order), or None."""
    for check in checks:
        refusal = check()
        if refusal is not None:
            return refusal
    return None


def _facilitator_only(actor: Actor) -> Forbidden | None:
    return None if facilitates(actor) else Forbidden(_("Only the facilitator (the secretariat) may do this."))


def _reader_of_everything(actor: Actor) -> Forbidden | None:
    if reads_everything(actor):
        return None
    return Forbidden(_("Only the parties' delegations, the monitors and the facilitator work on reports."))


def _refuse(refusal) -> None:
    if refusal is not None:
        raise refusal


def triage_refusal(actor: Actor, r: Report):
    return _first(lambda: _facilitator_only(actor), lambda: _stage(r, "triage"))


def task_refusal(actor: Actor, r: Report):
    return _first(lambda: _facilitator_only(actor), lambda: _stage(r, "task"))


def investigate_refusal(actor: Actor, r: Report):
    def team():
        if may_work_on(actor, r):
            return None
        return Forbidden(
            _("Only the joint team tasked with this report, or the facilitator, may report its investigation.")
        )

    return _first(
        lambda: _reader_of_everything(actor), team, lambda: _stage(r, "investigate"), lambda: _suspension(actor.party)
    )


def _investigation(r: Report):
    return Investigation.objects.filter(report=r).first()


def confirm_refusal(actor: Actor, r: Report):
    """Confirming the investigation report as the team's: a member of a party on the team whose
    party has not confirmed it yet."""

    def member():
        if team_party(actor, r) is None:
            return Forbidden(_("Only a party's member on the joint team confirms its investigation report."))
        return None

    def written():
        if _investigation(r) is None:
            return Conflict(_("the team has written no investigation report yet"), "investigation")
        return None

    def confirmed():
        if _investigation(r).confirmations.filter(party=actor.party).exists():
            return Conflict(_("Your party has confirmed this investigation report already."), "investigation")
        return None

    return _first(
        lambda: _reader_of_everything(actor),
        member,
        lambda: _stage(r, "confirm_investigation"),
        written,
        lambda: _suspension(actor.party),
        confirmed,
    )


def _pending_proposal(r: Report, today: dt.date) -> bool:
    """A proposal settling the report is before the committee: not adopted, no party has objected
    or abstained, and it is at the meeting that takes the report up now. One left unanswered at a
    meeting that ended is not: the next meeting takes the report up afresh."""
    if r.decision_id is None or r.decision.adopted:
        return False
    outcome = r.decision.outcome()
    return not (outcome.objected_by or outcome.abstained_by) and r.decision.meeting_id == _settling_meeting(r, today)


def _settling_meeting(r: Report, today: dt.date) -> int | None:
    """The meeting that takes up a disputed report now: the one whose agenda holds it or, once that
    one has ended without settling it, the first recorded after it (None: record one first)."""
    if r.agenda_item_id is None:
        return None
    if r.agenda_item.meeting.ends_on >= today:
        return r.agenda_item.meeting_id
    agenda = _agenda(r, today)
    return agenda["meeting"] if agenda else None


def draft_refusal(actor: Actor, r: Report):
    """Drafting the findings, or a new draft of them. Once disputed, the findings are before the
    committee: only the facilitator puts a new draft to it, and not while a proposal is pending."""

    def team():
        if not may_work_on(actor, r):
            return Forbidden(
                _("Only the joint team tasked with this report, or the facilitator, may draft its findings.")
            )
        if r.status == chain.DISPUTED and not facilitates(actor):
            return Forbidden(_("These findings are before the committee: only the facilitator puts a new draft to it."))
        return None

    def committee():
        if r.status != chain.DISPUTED or r.decision_id is None:
            return None
        if r.decision.adopted:
            return Conflict(
                _("the committee adopted its decision on this report: it is settled, not redrafted"), "decision"
            )
        if _pending_proposal(r, days.today()):
            return Conflict(_("a proposal on this report is before the committee already"), "decision")
        return None

    return _first(
        lambda: _reader_of_everything(actor),
        team,
        lambda: _stage(r, "draft_findings"),
        lambda: _suspension(actor.party),
        committee,
    )


def sign_refusal(actor: Actor, r: Report):
    def signer():
        if side(actor, r) is None:
            return Forbidden(_("Only a party's member on the joint team, or the facilitator, signs the findings."))
        return None

    def once():
        if SignOff.objects.filter(report=r, side=side(actor, r)).exists():
            return Conflict(
                _("Your side has signed these findings already; a new draft opens the sign-off again."), "agrees"
            )
        return None

    return _first(
        lambda: _reader_of_everything(actor),
        signer,
        lambda: _stage(r, "sign"),
        lambda: _suspension(side(actor, r)),
        once,
    )


def propose_refusal(actor: Actor, r: Report):
    today = days.today()

    def meeting():
        if _settling_meeting(r, today) is None:
            return Conflict(_("this report is on no coming meeting's agenda: record the next meeting first"), "report")
        return None

    def decision():
        if r.decision_id is not None and r.decision.adopted:
            return Conflict(_("the committee adopted its decision on this report: settle it instead"), "decision")
        if _pending_proposal(r, today):
            return Conflict(_("a proposal on this report is before the committee already"), "decision")
        return None

    return _first(lambda: _facilitator_only(actor), lambda: _stage(r, "settle"), meeting, decision)


def settle_refusal(actor: Actor, r: Report):
    def adopted():
        # Only the parties' approval at a quorate meeting settles a report, never a cited source.
        if r.decision_id is None or not r.decision.adopted_through_positions:
            return Conflict(
                _("the committee has adopted no decision on this report: every party must approve one"), "decision"
            )
        return None

    return _first(lambda: _facilitator_only(actor), lambda: _stage(r, "settle"), adopted)


def disagreement_refusal(actor: Actor, r: Report):
    def failed():
        if r.decision_id is None:
            return Conflict(
                _("put a proposal before the committee first; the disagreement is recorded once it fails"), "decision"
            )
        outcome = r.decision.outcome()
        if r.decision.adopted:
            return Conflict(_("the committee adopted its decision on this report: settle it instead"), "decision")
        if outcome.adopted:  # every party approved; the decision waits for what the record lacks (quorum)
            waits = "; ".join(str(w) for w in waiting_for(r.decision))
            return Conflict(
                _("every party approved the proposal, which waits for: %(what)s") % {"what": waits}, "decision"
            )
        if not (outcome.objected_by or outcome.abstained_by):
            return Conflict(_("every party must give its position on the proposal first"), "decision")
        return None

    return _first(lambda: _facilitator_only(actor), lambda: _stage(r, "record_disagreement"), failed)


def visibility_refusal(actor: Actor, r: Report):
    return _facilitator_only(actor)


def evidence_refusal(actor: Actor, r: Report):
    def handles():
        if may_handle_evidence(actor):
            return None
        return Forbidden(_("Only the parties' delegations, the monitors and the facilitator add evidence."))

    def open_():
        if r.closed:
            return Conflict(_("%(ref)s is closed; it takes no more evidence") % {"ref": r.reference}, "report")
        return None

    return _first(handles, open_)


# step -> its refusal function: what the API's "may" and the report's page ask.
REFUSALS = {
    "triage": triage_refusal,
    "task": task_refusal,
    "investigate": investigate_refusal,
    "confirm_investigation": confirm_refusal,
    "draft_findings": draft_refusal,
    "sign": sign_refusal,
    "propose_settlement": propose_refusal,
    "settle": settle_refusal,
    "record_disagreement": disagreement_refusal,
    "set_visibility": visibility_refusal,
    "add_evidence": evidence_refusal,
}


def refusals(actor: Actor | None, r: Report) -> dict:
    """Every step -> why the actor (None: the public) may not take it on `r` now (the error), or None."""
    return {step: refuse(actor, r) for step, refuse in REFUSALS.items()}


@command
def triage(actor: Actor, report_id, data: dict) -> Report:
    """The facilitator's first look: admissible (on to a preliminary inquiry), a duplicate of an
    earlier report (linked, never deleted), or outside the mandate — with a reason."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(triage_refusal(actor, r))
    decision = v.choice(data.get("decision"), "decision", tuple(chain.TRIAGE))
    reason = v.bilingual(data, "reason", max_length=5000, required=decision != "admissible")
    payload = {"report": r.id, "decision": decision, **reason, "duplicate_of": None}
    if decision == "duplicate":
        original = get(Report, v.integer(data.get("duplicate_of"), "duplicate_of", minimum=0), "duplicate_of")
        while original.duplicate_of_id is not None:  # link to the first report of the event
            original = original.duplicate_of
        if original.id == r.id:
            raise Invalid(_("a report cannot duplicate itself"), "duplicate_of")
        payload["duplicate_of"] = original.id
    elif data.get("duplicate_of") not in (None, ""):
        raise Invalid(_("only a duplicate names the report it duplicates"), "duplicate_of")
    append("report.triaged", payload, actor)
    r.refresh_from_db()
    return r


MAX_SELECTION = 500  # reports triaged in one action: a deadline's worth


def selection_refusal(actor: Actor) -> Forbidden | None:
    """Who may triage a selection of reports, and so be shown the candidates for duplicates
    (duplicates.py): whoever triages, the facilitator. Each report is then asked triage_refusal."""
    return _facilitator_only(actor)


@command
def triage_selection(actor: Actor, data: dict) -> list[Report]:
    """Triage several received reports in one action with one decision and reason (many reports
    of one event: duplicates of the same original). Each is triaged by `triage`, its own entry in
    the record; all are, or none is. A report the triage refuses is named with its refusal, every
    one at once, before anything is written."""
    _refuse(selection_refusal(actor))
    selected = data.get("reports")
    if not isinstance(selected, list) or not selected:
        raise Invalid(_("select at least one report"), "reports")
    if len(selected) > MAX_SELECTION:
        raise Invalid(_("at most %(n)d reports at once") % {"n": MAX_SELECTION}, "reports")
    ids = [v.integer(value, f"reports[{i}]", minimum=0, maximum=2**53) for i, value in enumerate(selected)]
    found, seen = Report.objects.in_bulk(ids), set()
    for i, report_id in enumerate(ids):
        if report_id not in found:
            get(Report, report_id, f"reports[{i}]")  # raises: not found, naming it
        if report_id in seen:
            raise Invalid(_("%(ref)s is selected twice") % {"ref": found[report_id].reference}, f"reports[{i}]")
        seen.add(report_id)
    if data.get("decision") == "duplicate" and str(data.get("duplicate_of")) in {str(i) for i in ids}:
        original = found[int(data["duplicate_of"])]
        raise Invalid(
            _("%(ref)s is the original: leave it out of the selection") % {"ref": original.reference}, "reports"
        )
    refused = [refusal for refusal in (triage_refusal(actor, found[i]) for i in ids) if refusal is not None]
    if refused:  # the triage's own reasons, each naming its report
        raise Conflict(
            _("Nothing was triaged: %(reasons)s") % {"reasons": "; ".join(str(r) for r in refused)}, "reports"
        )
    one = {k: data[k] for k in ("decision", "reason", "reason_ar", "reason_en", "duplicate_of") if k in data}
    return [triage(actor, report_id, one) for report_id in ids]


@command
def task_team(actor: Actor, report_id, data: dict) -> Report:
    """Task a joint verification team: at least one member of every party. A monitor may sit on
    it as a monitor; it never counts for a party (accounts.party_of)."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(task_refusal(actor, r))
    team = data.get("team")
    if not isinstance(team, list) or not team:
        raise Invalid(_("must list the team's members by username"), "team")
    if len(team) > MAX_TEAM:
        raise Invalid(_("a team has at most %(n)d members") % {"n": MAX_TEAM}, "team")
    members = []
    for i, username in enumerate(team):
        username = v.text(username, f"team[{i}]", max_length=150, required=True)
        account = Account.objects.filter(user__username=username).first()
        if account is None:
            raise Invalid(_("%(name)s has no account on the committee") % {"name": username}, f"team[{i}]")
        if account.role not in TEAM_ROLES:
            raise Invalid(_("%(name)s is not a delegate or a monitor") % {"name": username}, f"team[{i}]")
        members.append({"username": username, "party": party_of(account) or None})
    if len({m["username"] for m in members}) != len(members):
        raise Invalid(_("lists a member twice"), "team")
    parties = [p.code for p in mechanism().parties.all()]
    if not chain.joint([m["party"] for m in members], parties):
        raise Invalid(_("a joint team needs at least one member of every party"), "team")
    payload = {
        "report": r.id,
        "team": sorted(members, key=lambda m: m["username"]),
        **v.bilingual(data, "instructions", max_length=5000),
        "due_on": v.iso(v.date(data.get("due_on"), "due_on")),
    }
    append("report.tasked", payload, actor)
    r.refresh_from_db()
    return r


@command
def report_investigation(actor: Actor, report_id, data: dict) -> Report:
    """A draft of the team's investigation report, by a member of the team or the facilitator for
    it; a new one replaces one not yet confirmed. Its writer confirms it for its party by writing
    it; it is the team's once a member of every party on the team has confirmed it."""
    _require_reader_of_everything(actor)
    r = report(report_id)
    _refuse(investigate_refusal(actor, r))
    now = log._clock()
    visited = _bool(data.get("site_visited"), "site_visited")
    visited_on = v.date(data.get("visited_on"), "visited_on", required=visited)
    if visited_on and visited_on > days.latest_today(now):
        raise Invalid(_("is in the future"), "visited_on")
    if visited_on and visited_on < days.day_of(r.occurred_at, r.time_known):
        raise Invalid(_("is before the reported event"), "visited_on")
    access = v.choice(data.get("access"), "access", ("granted", "partial", "denied"))
    denied_by_party = _party(data.get("denied_by_party"), "denied_by_party")
    denied_by = v.bilingual(data, "denied_by", max_length=300)
    if access == "granted" and (denied_by_party or denied_by["denied_by_ar"] or denied_by["denied_by_en"]):
        raise Invalid(_("access was granted: nobody denied it"), "denied_by")
    if access != "granted" and not (denied_by_party or denied_by["denied_by_ar"] or denied_by["denied_by_en"]):
        raise Invalid(_("say who denied access: a party, a unit or a person"), "denied_by")
    payload = {
        "report": r.id,
        "site_visited": visited,
        "visited_on": v.iso(visited_on),
        "access": access,
        "denied_by_party": denied_by_party,
        **denied_by,
        **v.bilingual(data, "methods", max_length=10000, required=True),
        **v.bilingual(data, "evidence", max_length=10000),
        **v.bilingual(data, "limitations", max_length=10000),
        "confirms_for": team_party(actor, r),
    }
    append("report.investigated", payload, actor)
    return _once_confirmed(actor, r)


@command
def confirm_investigation(actor: Actor, report_id, data: dict) -> Report:
    """A party's member on the team confirms the investigation report, named by its entry number
    (`investigation`), as the team's. The last party's confirmation makes it the team's, and files
    the obstruction report of a denied access then, in the same transaction."""
    _require_reader_of_everything(actor)
    r = report(report_id)
    _refuse(confirm_refusal(actor, r))
    if data.get("investigation") in (None, ""):
        raise Invalid(_("is required: the entry number of the investigation report you confirm"), "investigation")
    entry = v.integer(data.get("investigation"), "investigation", minimum=0)
    current = _investigation(r)
    if entry != current.id:
        raise Conflict(
            _("entry #%(given)d is not the investigation report before the team: entry #%(current)d is")
            % {"given": entry, "current": current.id},
            "investigation",
        )
    append("report.investigation_confirmed", {"report": r.id, "investigation": current.id, "party": actor.party}, actor)
    return _once_confirmed(actor, r)


def _once_confirmed(actor: Actor, r: Report) -> Report:
    """Once the investigation report is the team's (the projection moved the report on), a denied
    access is filed as an obstruction report of its own, linked to this one."""
    r.refresh_from_db()
    if r.status == chain.INVESTIGATED:
        found = r.investigation
        if found.access != "granted":
            _file_obstruction(actor, r, found, found.visited_on or days.today())
    return r


def _file_obstruction(actor: Actor, r: Report, investigation: Investigation, on: dt.date) -> Report:
    category = (
        Category.objects.filter(code=typology.OBSTRUCTION, retired=False).first()
        or Category.objects.filter(group="obstruction", retired=False).first()
    )
    if category is None:
        raise Conflict(_("the typology has no obstruction category to record the denied access under"), "access")
    titles, narratives = {}, {}
    for lang in ("ar", "en"):
        with override(lang):
            titles[lang] = _("Access denied to the joint team verifying %(ref)s") % {"ref": r.reference}
            who = (
                getattr(investigation, f"denied_by_{lang}") or investigation.denied_by_en or investigation.denied_by_ar
            )
            narratives[lang] = titles[lang] + (_(". Denied by: %(who)s") % {"who": who} if who else ".")
    data = {
        "title_ar": titles["ar"],
        "title_en": titles["en"],
        "category": category.code,
        "occurred_at": on.isoformat(),
        "latitude": r.latitude,
        "longitude": r.longitude,
        "geo_precision": r.geo_precision,
        "place_ar": r.place_ar,
        "place_en": r.place_en,
        "alleged_party": investigation.denied_by_party_id,
        "alleged_unit": investigation.denied_by_en or investigation.denied_by_ar,
        "narrative_ar": narratives["ar"],
        "narrative_en": narratives["en"],
    }
    # The joint team met the denial: every party on it has confirmed the report that says so.
    return _file(actor, data, related=r, source=(SourceType.JOINT_TEAM, None))


@command
def draft_findings(actor: Actor, report_id, data: dict) -> Report:
    """The team's findings, one per allegation. A new draft replaces the last and clears its
    sign-offs: every side signs what it is shown (sign_findings names the draft)."""
    _require_reader_of_everything(actor)
    r = report(report_id)
    _refuse(draft_refusal(actor, r))
    findings = data.get("findings")
    if not isinstance(findings, list) or not findings:
        raise Invalid(_("must list at least one finding"), "findings")
    if len(findings) > MAX_FINDINGS:
        raise Invalid(_("at most %(n)d findings") % {"n": MAX_FINDINGS}, "findings")
    out, recommendations = [], 0
    for i, f in enumerate(findings):
        field = f"findings[{i}]"
        if not isinstance(f, dict):
            raise Invalid(_("must be an object"), field)
        result = v.choice(f.get("result"), f"{field}.result", [k for k, _label in Finding.RESULTS])
        attributed_to = _party(f.get("attributed_to"), f"{field}.attributed_to")
        if attributed_to and result != "violation":
            raise Invalid(_("only a violation is attributed"), f"{field}.attributed_to")
        provisions = _provisions(f.get("provisions"), f"{field}.provisions")
        if provisions and result != "violation":  # signers would agree to "no violation" of a provision breached
            raise Invalid(_("only a violation breaches a provision"), f"{field}.provisions")
        count = f.get("count")
        if count not in (None, "") and not r.subject_kind:
            raise Invalid(_("only the findings of a verification (a departure...) count people"), f"{field}.count")
        recs = f.get("recommendations") or []
        if not isinstance(recs, list):
            raise Invalid(_("must be a list"), f"{field}.recommendations")
        recommendations += len(recs)
        if recommendations > MAX_RECOMMENDATIONS:
            raise Invalid(
                _("at most %(n)d recommendations in all") % {"n": MAX_RECOMMENDATIONS}, f"{field}.recommendations"
            )
        out.append(
            {
                **v.bilingual(f, "allegation", max_length=5000, required=True, prefix=f"{field}."),
                "result": result,
                "attributed_to": attributed_to,
                "attributed_unit": v.text(f.get("attributed_unit"), f"{field}.attributed_unit", max_length=300),
                "provisions": provisions,
                **v.bilingual(f, "reasoning", max_length=20000, prefix=f"{field}."),
                "recommendations": [
                    _recommendation(rec, f"{field}.recommendations[{j}]") for j, rec in enumerate(recs)
                ],
            }
        )
        if r.subject_kind:  # the number the team counted: what a departure's verification settles
            out[-1]["count"] = v.integer(count, f"{field}.count", minimum=0, maximum=1_000_000, required=False)
    append("findings.drafted", {"report": r.id, "findings": out}, actor)
    r.refresh_from_db()
    return r


def _recommendation(data, field: str) -> dict:
    if not isinstance(data, dict):
        raise Invalid(_("must be an object"), field)
    party = _party(data.get("addressee_party"), f"{field}.addressee_party")
    addressee = v.bilingual(data, "addressee", max_length=300, prefix=f"{field}.")
    if not (party or addressee["addressee_ar"] or addressee["addressee_en"]):
        raise Invalid(_("a recommendation is addressed to a party or a named body"), f"{field}.addressee")
    return {
        "addressee_party": party,
        **addressee,
        **v.bilingual(data, "text", max_length=5000, required=True, prefix=f"{field}."),
        "due_on": v.iso(v.date(data.get("due_on"), f"{field}.due_on")),
    }


@command
def sign_findings(actor: Actor, report_id, data: dict) -> Report:
    """A party's member on the team, or the facilitator, agrees with the draft it names (`draft`,
    the entry number of the findings drafted) or dissents with reasons. A sign-off of any other
    draft than the one before the sides is refused: nobody's agreement carries over to words it
    did not read. All agree: concluded. One dissents: disputed, and on the committee's next agenda."""
    _require_reader_of_everything(actor)
    r = report(report_id)
    _refuse(sign_refusal(actor, r))
    agrees = _bool(data.get("agrees"), "agrees")
    reasons = v.bilingual(data, "reasons", max_length=10000, required=not agrees)
    if data.get("draft") in (None, ""):
        raise Invalid(_("is required: the entry number of the findings draft you sign"), "draft")
    draft = v.integer(data.get("draft"), "draft", minimum=0)
    if draft != r.draft:
        raise Conflict(
            _(
                "entry #%(given)d is not the findings draft before the sides: entry #%(current)d is; read it before you sign"
            )
            % {"given": draft, "current": r.draft},
            "draft",
        )
    s = side(actor, r)
    given = dict(SignOff.objects.filter(report=r).values_list("side", "agrees"))
    given[s] = agrees
    outcome = chain.signoffs([p.code for p in mechanism().parties.all()], given)
    payload = {"report": r.id, "draft": draft, "side": s, "agrees": agrees, **reasons, "agenda": None}
    if outcome.disputed:
        payload["agenda"] = _agenda(r, days.today())
    append("findings.signed", payload, actor)
    r.refresh_from_db()
    return r


def _agenda(r: Report, today: dt.date) -> dict | None:
    """The agenda item a disputed report takes at the committee's next meeting, if one is recorded."""
    meeting = Meeting.objects.filter(ends_on__gte=today).order_by("starts_on", "number").first()
    if meeting is None:
        return None  # the next meeting recorded takes it (agenda_disputes_on)
    titles = {}
    for lang in ("ar", "en"):
        with override(lang):
            # The reference only: a meeting's agenda is read more widely than the report.
            titles[f"title_{lang}"] = _("Disputed findings on report %(ref)s") % {"ref": r.reference}
    number = (meeting.agenda.aggregate(n=Max("number"))["n"] or 0) + 1
    return {"meeting": meeting.id, "number": number, **titles}


def agenda_disputes_on(actor: Actor, meeting: Meeting) -> None:
    """Put on this new meeting's agenda every disputed report still waiting for a meeting, whose
    meeting has ended without settling it, or whose meeting comes after this one: what stays
    disputed comes back each time, at the first meeting ahead."""
    today = days.today()
    waiting = Report.objects.filter(status=chain.DISPUTED).filter(
        Q(agenda_item__isnull=True)
        | Q(agenda_item__meeting__ends_on__lt=today)
        | Q(agenda_item__meeting__starts_on__gt=meeting.starts_on)
    )
    for r in waiting.order_by("id"):
        agenda = _agenda(r, today)
        if agenda is None or agenda["meeting"] != meeting.id:
            continue
        append("report.put_on_agenda", {"report": r.id, "agenda": agenda}, actor)


@command
def propose_settlement(actor: Actor, report_id, data: dict) -> Report:
    """Put a proposal settling a disputed report before the committee, at the meeting whose
    agenda holds it. It is adopted, like every decision, only when every party approves."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(propose_refusal(actor, r))
    today = days.today()
    if r.agenda_item.meeting.ends_on < today:
        # Its meeting ended without settling it: the meeting recorded after it takes it now.
        append("report.put_on_agenda", {"report": r.id, "agenda": _agenda(r, today)}, actor)
        r.refresh_from_db()
    from ceasefire.mechanism import commands as mechanism_commands

    # What every party approves is the findings themselves, not only the facilitator's words: a
    # settlement makes the disputed draft binding, attribution included.
    text = v.bilingual(data, "text", max_length=8000, required=True)
    proposal = {
        f"text_{lang}": _upholding(r, lang) + "\n\n" + (text[f"text_{lang}"] or text["text_en"] or text["text_ar"])
        for lang in ("ar", "en")
    }
    proposal["source"] = data.get("source")  # and nothing else: a settlement is the parties' to adopt
    decision = mechanism_commands.record_decision(actor, r.agenda_item.meeting_id, proposal)
    append("report.settlement_proposed", {"report": r.id, "decision": decision.id}, actor)
    r.refresh_from_db()
    return r


def _upholding(r: Report, lang: str) -> str:
    """ "The committee upholds the findings on R-… as drafted in entry #N of the record", in `lang`:
    the draft every party approves, pinned by its entry; its contents stay with the parties (a
    decision is read by observers too)."""
    with override(lang):
        return _("The committee upholds the findings on %(ref)s as drafted in entry #%(seq)d of the record.") % {
            "ref": r.reference,
            "seq": r.draft,
        }


@command
def settle(actor: Actor, report_id, data: dict) -> Report:
    """Conclude a disputed report by the committee's adopted decision."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(settle_refusal(actor, r))
    append(
        "report.settled",
        {"report": r.id, "decision": r.decision_id, **v.bilingual(data, "note", max_length=5000)},
        actor,
    )
    r.refresh_from_db()
    return r


@command
def record_disagreement(actor: Actor, report_id, data: dict) -> Report:
    """Close a disputed report with the parties' disagreement on record: the committee took up a
    proposal and a party objected or abstained."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(disagreement_refusal(actor, r))
    note = v.bilingual(data, "note", max_length=5000, required=True)
    append("report.disagreement_recorded", {"report": r.id, "decision": r.decision_id, **note}, actor)
    r.refresh_from_db()
    return r


@command
def set_visibility(actor: Actor, report_id, data: dict) -> Report:
    """Share a report with the observers, or publish it. Only a closed report is published."""
    require_facilitator(actor)
    r = report(report_id)
    _refuse(visibility_refusal(actor, r))
    visibility = v.choice(data.get("visibility"), "visibility", Visibility)
    if visibility == r.visibility:
        raise Conflict(_("nothing changes"), "visibility")
    if visibility == Visibility.PUBLIC and not r.closed:
        raise Conflict(_("only a report the chain has closed is published"), "visibility")
    append("report.visibility_set", {"report": r.id, "visibility": visibility}, actor)
    r.refresh_from_db()
    return r


def recommendation_refusal(actor: Actor, rec: Recommendation):
    """Following up a recommendation: the facilitator, or the addressed party's delegation for one
    the facilitator has not closed; once its findings are concluded."""

    def who():
        if not may_update_recommendation(actor, rec.addressee_party_id):
            return Forbidden(
                _("Only the facilitator or the addressed party's delegation may update this recommendation.")
            )
        if rec.status in CLOSING and not facilitates(actor):
            return Forbidden(
                _("The facilitator closed this recommendation; only the facilitator reopens it."), "status"
            )
        return None

    def concluded():
        if rec.report.status != chain.CONCLUDED:
            return Conflict(_("a recommendation is followed up once its findings are concluded"), "recommendation")
        return None

    return _first(lambda: _reader_of_everything(actor), who, concluded)


CLOSING = (RecommendationStatus.DONE, RecommendationStatus.IGNORED)


@command
def set_recommendation_status(actor: Actor, recommendation_id, data: dict) -> Recommendation:
    _require_reader_of_everything(actor)
    rec = get(Recommendation, recommendation_id, "recommendation")
    _refuse(recommendation_refusal(actor, rec))
    status = v.choice(data.get("status"), "status", RecommendationStatus)
    if status in CLOSING and not facilitates(actor):
        raise Forbidden(_("Only the facilitator closes a recommendation; the party reports its progress."), "status")
    note = v.text(data.get("note"), "note", max_length=5000)
    if status == rec.status and note == rec.status_note:
        raise Conflict(_("nothing changes"), "status")
    append("recommendation.status_set", {"recommendation": rec.id, "status": status, "note": note}, actor)
    rec.refresh_from_db()
    return rec


# ---------------------------------------------------------------- evidence


@command
def add_evidence(
    actor: Actor, report_id, chunks, name: str, declared_type: str = "", data: dict | None = None
) -> Evidence:
    """Keep a file as evidence on a report: its SHA-256 goes into the record with the upload."""
    if not may_handle_evidence(actor):
        raise Forbidden(_("Only the parties' delegations, the monitors and the facilitator add evidence."))
    r = report(report_id)
    _refuse(evidence_refusal(actor, r))
    description = v.bilingual(data or {}, "description", max_length=2000)
    stored = evidence.store(chunks, name, declared_type)
    payload = {
        "report": r.id,
        "sha256": stored.sha256,
        "size": stored.size,
        "media_type": stored.media_type,
        "name": stored.name,
        **description,
    }
    return Evidence.objects.get(id=append("evidence.added", payload, actor).seq)


@command
def record_evidence_access(actor: Actor, evidence_id, action: str) -> Evidence:
    """Chain of custody: a view, download or export of an evidence file, before it is served."""
    if not may_handle_evidence(actor):
        raise Forbidden(_("Evidence files are for the parties' delegations, the monitors and the facilitator."))
    e = get(Evidence, evidence_id, "evidence")
    action = v.choice(action, "action", ("view", "download", "export"))
    append("evidence.accessed", {"evidence": e.id, "action": action}, actor)
    return e
