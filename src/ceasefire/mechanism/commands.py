"""What can be done to the committee's record of itself. Each command checks who acts and what
they send, then appends exactly one event; the projectors in projections.py apply it."""

from django.db.models import Max
from django.utils.translation import gettext as _

from ceasefire import validate as v
from ceasefire.days import today as today  # the committee's today, one rule (ceasefire/days.py)
from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from ceasefire.record import checkpoints, log, note
from ceasefire.record.log import Actor, append, command

from . import parity
from .models import (
    ActionItem,
    ActionStatus,
    Decision,
    Mechanism,
    Meeting,
    Member,
    Party,
    Role,
    WitnessKey,
)
from .permissions import (
    SEATED_ROLES,
    facilitates,
    may_register_witness_key,
    may_speak_on_participation,
    may_update_action,
    speaks,
)


def require_facilitator(actor: Actor) -> None:
    if not facilitates(actor):
        raise Forbidden(_("Only the facilitator (the secretariat) may do this."))


def get(model, pk, field: str):
    if isinstance(pk, str) and "\x00" in pk:  # PostgreSQL refuses NUL in text: answer before asking it
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": field, "value": repr(pk)}, field)
    try:
        return by_pk(model, pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("%(field)s %(value)s does not exist") % {"field": field, "value": pk}, field) from None


def by_pk(model, pk):
    """The row of `model` with primary key `pk`, read as the ORM reads it. A command reads two or
    three rows by key; building those reads costs some 200 µs each, which the committee's few dozen
    events a day can afford, and the bulk paths batch."""
    return model._default_manager.get(pk=pk)


def mechanism() -> Mechanism:
    m = Mechanism.current()
    if m is None:
        raise Conflict(_("No mechanism has been established yet."))
    return m


def _next(model, **scope) -> int:
    return (model.objects.filter(**scope).aggregate(n=Max("number"))["n"] or 0) + 1


@command
def establish(actor: Actor, data: dict) -> Mechanism:
    """Set up the committee: its names, its parties and their seats. Once per deployment."""
    require_facilitator(actor)
    if Mechanism.current() is not None:
        raise Conflict(_("The mechanism is already established."))
    payload = {
        **v.bilingual(data, "name", max_length=200, required=True),
        **v.bilingual(data, "mandate", max_length=5000),
        **v.bilingual(data, "facilitator", max_length=200),
        "established_on": v.iso(v.date(data.get("established_on"), "established_on")),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    parties = data.get("parties")
    if not isinstance(parties, list) or not 1 <= len(parties) <= 12:
        raise Invalid(_("must list between 1 and 12 parties"), "parties")
    payload["parties"] = []
    for i, p in enumerate(parties):
        field = f"parties[{i}]"
        if not isinstance(p, dict):
            raise Invalid(_("must be an object"), field)
        code = v.text(p.get("code"), f"{field}.code", max_length=32, required=True)
        if not code.isascii() or not code.replace("-", "").isalnum() or code != code.lower():
            raise Invalid(_("must be lower-case letters, digits and dashes"), f"{field}.code")
        seats = v.integer(p.get("seats"), f"{field}.seats", minimum=1, maximum=50)
        quorum = v.integer(p.get("quorum"), f"{field}.quorum", minimum=1, maximum=seats, required=False)
        payload["parties"].append(
            {
                "code": code,
                **v.bilingual(p, "name", max_length=200, required=True, prefix=f"{field}."),
                "seats": seats,
                "quorum": quorum or parity.default_quorum(seats),
            }
        )
    codes = [p["code"] for p in payload["parties"]]
    if len(set(codes)) != len(codes):
        raise Invalid(_("party codes must be unique"), "parties")
    if not parity.balanced({p["code"]: p["seats"] for p in payload["parties"]}):
        raise Invalid(_("every party must hold the same number of seats"), "parties")
    return by_pk(Mechanism, append("mechanism.established", payload, actor).seq)


def _member_fields(data: dict, prefix: str = "") -> dict:
    with v.every_field():
        names = {
            "name_ar": v.text(data.get("name_ar"), f"{prefix}name_ar", max_length=200),
            "name_latin": v.text(data.get("name_latin"), f"{prefix}name_latin", max_length=200),
        }
        typed = any(str(data.get(k) or "").strip() for k in ("name_ar", "name_latin"))
        if not (names["name_ar"] or names["name_latin"]) and not typed:  # a name refused is not a name missing
            v.refuse(_("a member needs a name in Arabic or in Latin script"), f"{prefix}name_ar")
        return {
            **names,
            **v.bilingual(data, "rank", max_length=100, prefix=prefix),
            **v.bilingual(data, "title", max_length=200, prefix=prefix),
            "role": v.choice(data.get("role"), f"{prefix}role", Role),
            "party": v.text(data.get("party"), f"{prefix}party", max_length=32) or None,
            "seat": v.integer(data.get("seat"), f"{prefix}seat", minimum=1, maximum=50, required=False),
            "tenure_start": v.iso(v.date(data.get("tenure_start"), f"{prefix}tenure_start")),
            "source": v.text(data.get("source"), f"{prefix}source", max_length=2000),
        }


def _check_seat(fields: dict, prefix: str = "", leaving: Member | None = None) -> None:
    role, party_code, seat = fields["role"], fields["party"], fields["seat"]
    if role in SEATED_ROLES:
        if not party_code:
            raise Invalid(_("a head of delegation or member sits for a party"), f"{prefix}party")
        party = get(Party, party_code, f"{prefix}party")
        if seat is None:
            raise Invalid(_("a head of delegation or member holds a seat"), f"{prefix}seat")
        if seat > party.seats:
            raise Invalid(_("this party has %(n)d seats") % {"n": party.seats}, f"{prefix}seat")
        holders = Member.objects.filter(party=party, seat=seat, tenure_end__isnull=True)
        if leaving:
            holders = holders.exclude(id=leaving.id)
        if holders.exists():
            raise Conflict(
                _("seat %(seat)d of this party is held; replace its holder instead") % {"seat": seat}, f"{prefix}seat"
            )
        if role == Role.HEAD:
            heads = Member.objects.filter(party=party, role=Role.HEAD, tenure_end__isnull=True)
            if leaving:
                heads = heads.exclude(id=leaving.id)
            if heads.exists():
                raise Conflict(_("this party already has a head of delegation"), f"{prefix}role")
    else:
        if seat is not None:
            raise Invalid(_("only heads of delegation and members hold party seats"), f"{prefix}seat")
        if party_code:
            get(Party, party_code, f"{prefix}party")


@command
def appoint_member(actor: Actor, data: dict) -> Member:
    require_facilitator(actor)
    mechanism()
    fields = _member_fields(data)
    _check_seat(fields)
    return by_pk(Member, append("member.appointed", fields, actor).seq)


@command
def replace_member(actor: Actor, member_id, data: dict) -> Member:
    """End a member's tenure and seat a successor in the same place, in one event."""
    require_facilitator(actor)
    member = get(Member, member_id, "member")
    if member.tenure_end is not None:
        raise Conflict(_("this member's tenure has already ended"), "member")
    on = v.date(data.get("on"), "on", required=True)
    if member.tenure_start and on < member.tenure_start:
        raise Invalid(_("is before the member's tenure began"), "on")
    successor = data.get("successor")
    if not isinstance(successor, dict):
        raise Invalid(_("must describe the successor"), "successor")
    # The successor takes the predecessor's place as it is: same role, party and seat, from `on`.
    place = {"role": member.role, "party": member.party_id, "seat": member.seat, "tenure_start": on.isoformat()}
    for key, value in place.items():
        given = successor.get(key)
        if given in (None, "") or str(given) == str(value):
            continue
        raise Invalid(
            _("a successor takes the predecessor's place: %(key)s must be %(value)s or left out")
            % {"key": key, "value": value},
            f"successor.{key}",
        )
    successor = {**successor, **place}
    fields = _member_fields(successor, "successor.")
    _check_seat(fields, "successor.", leaving=member)
    event = append("member.replaced", {"member": member.id, "on": on.isoformat(), "successor": fields}, actor)
    return by_pk(Member, event.seq)


@command
def end_tenure(actor: Actor, member_id, data: dict) -> Member:
    require_facilitator(actor)
    member = get(Member, member_id, "member")
    if member.tenure_end is not None:
        raise Conflict(_("this member's tenure has already ended"), "member")
    on = v.date(data.get("on"), "on", required=True)
    if member.tenure_start and on < member.tenure_start:
        raise Invalid(_("is before the member's tenure began"), "on")
    append("member.left", {"member": member.id, "on": on.isoformat()}, actor)
    member.refresh_from_db()
    return member


def _may_speak_on_participation(actor: Actor, party: Party) -> None:
    if not may_speak_on_participation(actor, party.code):
        raise Forbidden(_("Only the facilitator or whoever speaks for this party may record this."))


@command
def suspend_participation(actor: Actor, party_code, data: dict) -> Party:
    """A party suspends its participation. The record goes on; what needs that party waits."""
    party = get(Party, party_code, "party")
    _may_speak_on_participation(actor, party)
    if party.suspended:
        raise Conflict(_("this party's participation is already suspended"), "party")
    since = v.date(data.get("since"), "since", required=True)
    # A party's periods never overlap: a new one begins once the last has ended (its return day at
    # the earliest), else the record would hold the party both in and out on the same days.
    last = party.suspensions.filter(until__isnull=False).order_by("-until").first()
    if last is not None and since < last.until:
        raise Conflict(
            _(
                "falls within or before the party's suspension from %(since)s to %(until)s: a party's periods must not overlap"
            )
            % {"since": last.since.isoformat(), "until": last.until.isoformat()},
            "since",
        )
    payload = {
        "party": party.code,
        "since": since.isoformat(),
        **v.bilingual(data, "reason", max_length=5000),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    append("party.suspended", payload, actor)
    party.refresh_from_db()
    return party


@command
def resume_participation(actor: Actor, party_code, data: dict) -> Party:
    party = get(Party, party_code, "party")
    _may_speak_on_participation(actor, party)
    if not party.suspended:
        raise Conflict(_("this party's participation is not suspended"), "party")
    on = v.date(data.get("on"), "on", required=True)
    if on < party.suspended_since:
        raise Invalid(_("is before the suspension began"), "on")
    payload = {
        "party": party.code,
        "on": on.isoformat(),
        **v.bilingual(data, "note", max_length=5000),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    append("party.resumed", payload, actor)
    # Its return may be all that a decision waited for, or another app's matter (an assessment).
    for decision in Decision.objects.filter(adopted=False).order_by("id"):
        _adopt_if_complete(actor, decision)
    for hook in after_participation_resumed:
        hook(actor)
    party.refresh_from_db()
    return party


# Called with (actor) once a party's return is recorded, in the same transaction: another app
# completes what waited for that party (agreements: assessments every party has approved).
after_participation_resumed: list = []


def _meeting_fields(data: dict) -> dict:
    with v.every_field():
        starts = v.date(data.get("starts_on"), "starts_on", required=True)
        ends = v.date(data.get("ends_on"), "ends_on") or starts
        if starts and ends < starts:
            v.refuse(_("must not be before the first day"), "ends_on")
        if starts and (ends - starts).days > 60:
            v.refuse(_("a meeting lasts at most 60 days"), "ends_on")
        fields = {
            **v.bilingual(data, "title", max_length=300, required=True),
            **v.bilingual(data, "city", max_length=100, required=True),
            **v.bilingual(data, "country", max_length=100, required=True),
            **v.bilingual(data, "host", max_length=2000),
            **v.bilingual(data, "received_by", max_length=2000),
            **v.bilingual(data, "summary", max_length=10000),
            "source": v.text(data.get("source"), "source", max_length=2000),
        }
    return {**fields, "starts_on": starts.isoformat(), "ends_on": ends.isoformat()}


# Called with (actor, meeting) once a meeting is recorded, in the same transaction: another app
# puts what waits for the committee on its agenda (incidents: disputed findings).
after_meeting_recorded: list = []


@command
def record_meeting(actor: Actor, data: dict) -> Meeting:
    require_facilitator(actor)
    mechanism()
    payload = {"number": _next(Meeting), **_meeting_fields(data)}
    meeting = by_pk(Meeting, append("meeting.recorded", payload, actor).seq)
    for hook in after_meeting_recorded:
        hook(actor, meeting)
    return meeting


@command
def record_minutes(actor: Actor, meeting_id, data: dict) -> Meeting:
    require_facilitator(actor)
    meeting = get(Meeting, meeting_id, "meeting")
    payload = {"meeting": meeting.id, **v.bilingual(data, "minutes", max_length=100000, required=True)}
    append("meeting.minutes", payload, actor)
    meeting.refresh_from_db()
    return meeting


def attendance_refusal(meeting: Meeting):
    """Why the attendance of `meeting` may not be recorded now (the error to raise), or None: nobody
    sits at a meeting that has not begun. The meeting's page asks it too."""
    if meeting.starts_on > today():
        return Conflict(_("this meeting has not begun: who was present is recorded once it has"), "meeting")
    return None


@command
def record_attendance(actor: Actor, meeting_id, data: dict) -> Meeting:
    """Who sat at the meeting: the whole list at once, replacing any earlier list."""
    require_facilitator(actor)
    meeting = get(Meeting, meeting_id, "meeting")
    refusal = attendance_refusal(meeting)
    if refusal is not None:
        raise refusal
    present = data.get("present")
    if not isinstance(present, list):
        raise Invalid(_("must be a list of member ids"), "present")
    ids = []
    for i, pk in enumerate(present):
        member = get(Member, v.integer(pk, f"present[{i}]"), f"present[{i}]")
        if member.tenure_start and member.tenure_start > meeting.ends_on:
            raise Invalid(_("%(name)s's tenure began after this meeting") % {"name": member}, f"present[{i}]")
        if member.tenure_end and member.tenure_end < meeting.starts_on:
            raise Invalid(_("%(name)s's tenure ended before this meeting") % {"name": member}, f"present[{i}]")
        ids.append(member.id)
    if len(set(ids)) != len(ids):
        raise Invalid(_("lists a member twice"), "present")
    # A decision adopted through the parties' positions was adopted with the quorum recorded then:
    # a later list may add who was missed, never take back who made the quorum.
    adopted = meeting.decisions.filter(adopted=True, adopted_through=Decision.POSITIONS).order_by("number").first()
    if adopted is not None:
        dropped = meeting.attendance.exclude(member_id__in=ids).select_related("member").first()
        if dropped is not None:
            raise Conflict(
                _(
                    "decision %(n)d of this meeting was adopted with %(name)s recorded present: the list may add members, not take them back"
                )
                % {"n": adopted.number, "name": dropped.member},
                "present",
            )
    append("meeting.attendance", {"meeting": meeting.id, "present": sorted(ids)}, actor)
    # The quorum may be what its decisions waited for.
    for decision in meeting.decisions.filter(adopted=False).order_by("number"):
        _adopt_if_complete(actor, decision)
    return meeting


@command
def add_agenda_item(actor: Actor, meeting_id, data: dict):
    require_facilitator(actor)
    meeting = get(Meeting, meeting_id, "meeting")
    payload = {
        "meeting": meeting.id,
        "number": _next(meeting.agenda.model, meeting=meeting),
        **v.bilingual(data, "title", max_length=2000, required=True),
    }
    return meeting.agenda.get(id=append("agenda.item_added", payload, actor).seq)


WAITING = {
    parity.NOT_HELD: lambda party: _("the meeting has not taken place yet"),
    parity.NO_POSITION: lambda party: _("position of the delegation of %(party)s not given") % {"party": party},
    parity.NOT_APPROVED: lambda party: _("the delegation of %(party)s has not approved") % {"party": party},
    parity.NO_QUORUM: lambda party: _("quorum of the delegation of %(party)s not recorded") % {"party": party},
    parity.SUSPENDED: lambda party: _("the participation of %(party)s is suspended") % {"party": party},
}


def describe(waits) -> list[str]:
    """What a matter waits for (parity.Waiting items), in the reader's language."""
    names = {p.code: p.text("name") for p in Party.objects.all()} if waits else {}
    return [WAITING[w.what](names.get(w.party, w.party)) for w in waits]


def waiting_for(decision: Decision) -> list[str]:
    """What `decision` waits for before it is adopted, in the reader's language; nothing once it is.
    The same rule (Decision.waits, parity.waiting_for) that the commands adopt by."""
    return describe(decision.waits(today()))


def _adopt_if_complete(actor: Actor, decision: Decision) -> None:
    """The record states the adoption, in the command that completed it: replay applies what it
    says, whatever the rule is by then."""
    if not decision.adopted and not decision.waits(today()):
        append(
            "decision.adopted",
            {"decision": decision.id, "through": Decision.POSITIONS, "source": "", "on": None},
            log.COMMITTEE,
        )


def _adopted_per_source(value, meeting: Meeting) -> dict | None:
    """A historical decision known only from public sources: adopted according to the cited source,
    never through positions. Only for a meeting that has ended: while it runs (or before), its
    decisions are the parties' to take, and no source's word stands in for theirs."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise Invalid(_("must name the source, and the day if the source gives one"), "adopted_per_source")
    source = v.text(value.get("source"), "adopted_per_source.source", max_length=2000, required=True)
    on = v.date(value.get("on"), "adopted_per_source.on")
    # Its last day before today, so the day a source gives is not after today either.
    if meeting.ends_on >= today():
        raise Conflict(
            _("this meeting has not ended: its decisions are adopted through the parties' positions, not a source"),
            "adopted_per_source",
        )
    if on is not None and not meeting.starts_on <= on <= meeting.ends_on:
        raise Invalid(_("must be a day of the meeting"), "adopted_per_source.on")
    return {"through": Decision.SOURCE, "source": source, "on": v.iso(on)}


@command
def record_decision(actor: Actor, meeting_id, data: dict) -> Decision:
    """Put a proposal before the committee. It is adopted only when every party approves at a
    meeting held with each party's quorum present; or, for a decision known only from public
    sources, recorded as adopted according to the source it cites (`adopted_per_source`)."""
    require_facilitator(actor)
    meeting = get(Meeting, meeting_id, "meeting")
    payload = {
        "meeting": meeting.id,
        "number": _next(Decision, meeting=meeting),
        **v.bilingual(data, "text", max_length=10000, required=True),
        "source": v.text(data.get("source"), "source", max_length=2000),
    }
    sourced = _adopted_per_source(data.get("adopted_per_source"), meeting)
    decision = by_pk(Decision, append("decision.recorded", payload, actor).seq)
    if sourced is not None:
        append("decision.adopted", {"decision": decision.id, **sourced}, actor)
        decision.refresh_from_db()
    return decision


def speaker_refusal(actor: Actor):
    """Why `actor` may not speak for its party now (the error to raise), or None: only whoever
    speaks for a party, and not while its participation is suspended. Asked before a party's
    position on anything the parties settle by consensus (a decision, an assessment)."""
    if not speaks(actor):
        return Forbidden(_("Only the head of a delegation, or whoever the party designates, gives its position."))
    party = Party.objects.filter(code=actor.party).first()
    if party is None:
        return NotFound(_("%(field)s %(value)s does not exist") % {"field": "party", "value": actor.party}, "party")
    if party.suspended:
        return Conflict(_("Your party's participation is suspended; resume it before taking a position."))
    return None


def position_refusal(actor: Actor, decision: Decision):
    """Why `actor` may not give its party's position on `decision` now (the error to raise), or None.
    The decision's card asks it too, to offer the form or not."""
    refusal = speaker_refusal(actor)
    if refusal is not None:
        return refusal
    if decision.adopted:
        return Conflict(_("This decision has been adopted; its positions can no longer change."))
    return None


@command
def take_position(actor: Actor, decision_id, data: dict) -> Decision:
    """The position of the actor's party on a decision, given by whoever speaks for that party.
    The position that completes what the decision waited for adopts it, in the same command."""
    decision = get(Decision, decision_id, "decision")
    refusal = position_refusal(actor, decision)
    if refusal is not None:
        raise refusal
    payload = {
        "decision": decision.id,
        "party": actor.party,
        "position": v.choice(data.get("position"), "position", parity.POSITIONS),
        **v.bilingual(data, "reason", max_length=5000),
    }
    append("decision.position_taken", payload, actor)
    _adopt_if_complete(actor, decision)
    decision.refresh_from_db()
    return decision


@command
def add_action_item(actor: Actor, meeting_id, data: dict) -> ActionItem:
    require_facilitator(actor)
    meeting = get(Meeting, meeting_id, "meeting")
    decision = data.get("decision")
    if decision not in (None, ""):
        decision = get(Decision, v.integer(decision, "decision"), "decision")
        if decision.meeting_id != meeting.id:
            raise Invalid(_("belongs to another meeting"), "decision")
        decision = decision.id
    else:
        decision = None
    owner_party = v.text(data.get("owner_party"), "owner_party", max_length=32) or None
    if owner_party:
        get(Party, owner_party, "owner_party")
    owner = v.bilingual(data, "owner", max_length=200)
    if not (owner_party or owner["owner_ar"] or owner["owner_en"]):
        raise Invalid(_("an action item needs an owner: a party or a named body"), "owner")
    payload = {
        "meeting": meeting.id,
        "decision": decision,
        **v.bilingual(data, "text", max_length=5000, required=True),
        "owner_party": owner_party,
        **owner,
        "deadline": v.iso(v.date(data.get("deadline"), "deadline")),
    }
    return by_pk(ActionItem, append("action.added", payload, actor).seq)


@command
def set_action_status(actor: Actor, item_id, data: dict) -> ActionItem:
    item = get(ActionItem, item_id, "action_item")
    if not may_update_action(actor, item.owner_party_id):
        raise Forbidden(_("Only the facilitator or the owning party's delegation may update this action item."))
    status = v.choice(data.get("status"), "status", ActionStatus.values)
    if status in (ActionStatus.DONE, ActionStatus.DROPPED) and not facilitates(actor):
        # The owning party reports its progress; closing the item is the committee's call.
        raise Forbidden(_("Only the facilitator closes an action item; a party reports its progress."), "status")
    note = v.text(data.get("note"), "note", max_length=5000)
    if status == item.status and note == item.status_note:
        raise Conflict(_("nothing changes"), "status")
    append("action.status_set", {"item": item.id, "status": status, "note": note}, actor)
    item.refresh_from_db()
    return item


@command
def register_witness_key(actor: Actor, data: dict) -> WitnessKey:
    """A party (its speaker) or the facilitator (for the mission, with no party) registers the
    verifier key its witness cosigns with. The holder made the key on its own machine
    (`ceasefire keys generate`); the record only ever sees the public half."""
    code = v.text(data.get("party"), "party", max_length=32)
    if code:
        get(Party, code, "party")
    if not may_register_witness_key(actor, code):
        if code:
            raise Forbidden(_("Only the party's own speaker may register its witness key."))
        raise Forbidden(_("Only the facilitator may register the mission's witness key."))
    vkey = v.text(data.get("vkey"), "vkey", required=True, max_length=200)
    if vkey.startswith("PRIVATE+KEY+"):  # never echoed back: the message names the field only
        raise Invalid(
            _(
                "is a private key, which must never leave its machine: send the verifier key that `ceasefire keys generate` printed"
            ),
            "vkey",
        )
    try:
        key = note.parse_verifier_key(vkey)
    # The parser's reasons are for engineers, in English; an officer needs to know what to do.
    except note.KeyIdMismatch:
        raise Invalid(
            _("does not hold together: it was changed or copied in part. Copy the whole line again."), "vkey"
        ) from None
    except ValueError:
        raise Invalid(
            _(
                "is not a verifier key: copy the one line that `ceasefire keys generate` printed (name+8 hex digits+key)"
            ),
            "vkey",
        ) from None
    if key.alg != note.COSIGNATURE_V1:
        raise Invalid(
            _("is not a witness (cosignature/v1) key: make one with `ceasefire keys generate --name NAME`"), "vkey"
        )
    if key.name == checkpoints.log_key().name:
        raise Invalid(_("has the log key's name; a witness key needs a name of its own"), "vkey")
    # By its public key, not its text: a cosignature does not sign its key's name, so one key under
    # two names would let one party's cosignature count as another witness's. A retired key stays retired.
    registered = [note.parse_verifier_key(k).public for k in WitnessKey.objects.values_list("vkey", flat=True)]
    if key.public in registered or key.public == checkpoints.log_key().verifier.public:
        raise Conflict(_("this key is already registered"), "vkey")
    active = WitnessKey.objects.filter(retired_at__isnull=True)
    if active.filter(name=key.name).exclude(party_id=code or None).exists():
        raise Conflict(_("another witness already uses the name %(name)s") % {"name": key.name}, "vkey")
    event = append("witness.key_registered", {"party": code or None, "vkey": str(key)}, actor)
    return WitnessKey.objects.get(id=event.seq)
