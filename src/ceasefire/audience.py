"""Who reads what of each projection: one policy, derived from the record's own audiences.

Each event type declares the widest audience that may read it (`@projects(type, audience=...)`:
parties, observers or public). A projection's field is set by some event type, and a reader may
read the field exactly when it may read that event type (`record.log.readable`). Nothing else
decides: the API's output schemas, the pages and the dashboard ask `reads` (or the helpers below),
so a rule stated here is stated once.

Two refinements, both per row:
- Sharing widens. The committee shares a report with the observers or publishes it
  (`report.visibility_set`): what the parties' events set on that report is then readable by that
  audience too. What a draft says of who is responsible (a finding's attribution, the
  recommendations that follow from it) widens only once the findings are binding.
- Some fields never leave the parties, whatever a row's sharing: what names a person or could
  identify one (usernames of accounts, how a source is described, who gave a casualty figure,
  evidence files). Readers outside the parties see an account as its role and party instead
  ("Head of delegation · Eastern region").

Here, not in `mechanism/`: the policy covers every app's projections (reports included), and
`incidents` builds on `mechanism`, not the other way round; `record/` imports no domain app.
"""

from dataclasses import dataclass

from ceasefire.mechanism import permissions
from ceasefire.record import log
from ceasefire.record.log import AUDIENCES

PARTIES, OBSERVERS, PUBLIC = AUDIENCES

# How a row's sharing widens a field beyond the audience of the event that sets it.
SHARED = "shared"  # the row's sharing widens it
BINDING = "binding"  # the row's sharing widens it once the findings are binding
NEVER = "never"  # stays with the parties whatever the row's sharing


@dataclass(frozen=True)
class Set:
    """A field, as the event type that sets it and how a row's sharing widens it."""

    event: str
    widens: str | None = None


# Each projection's fields the policy withholds from some readers, by the event type that sets
# them. Fields not named here are set by the event that creates the row and are read with it.
FIELDS: dict[str, dict[str, Set]] = {
    # The committee and its parties are public from the entry that establishes them, a party's
    # suspension from its own; who holds a seat is the observers' (member.appointed and the rest).
    "mechanism": {
        "row": Set("mechanism.established"),
        "suspensions": Set("party.suspended"),
    },
    "member": {
        "row": Set("member.appointed"),
    },
    "meeting": {
        "minutes": Set("meeting.minutes"),
        "attendance": Set("meeting.attendance"),
    },
    "agenda_item": {
        # An item that takes up a report is read with the report (shared or not).
        "row": Set("agenda.item_added", SHARED),
    },
    "decision": {
        "row": Set("decision.recorded"),
        "positions": Set("decision.position_taken"),  # who said what, and why
        "adopted": Set("decision.adopted"),  # the record's statement that the committee adopted it
    },
    "action_item": {
        "row": Set("action.added"),
    },
    # How far a provision is implemented: what a party or the facilitator puts forward, and each
    # party's position on it, stay with the parties (who said what); the committee's agreed status
    # is read by observers too, from the entry that states it. The public reads neither.
    "assessment": {
        "row": Set("assessment.proposed"),  # its status, reasoning, evidence, and who put it forward
        "positions": Set("assessment.position_taken"),
    },
    "agreed_status": {
        "row": Set("assessment.agreed"),
    },
    # The committee's layers: the versions put forward and each party's position stay with the
    # parties; a version that binds is the observers' too, from the entry that states it. The public
    # reads none, nor which zone a report lies in (zones/projections.py says why).
    "layer_version": {
        "row": Set("layer.version_proposed"),  # every version put forward, and who put it forward
        "positions": Set("layer.position_taken"),
        "binding": Set("layer.version_bound"),  # the binding versions, and the checks of reports by them
    },
    "report": {
        "row": Set("report.filed", SHARED),
        "source": Set("report.filed", NEVER),  # how the source is described
        "casualty_source": Set("report.filed", NEVER),
        "accounts": Set("report.filed", NEVER),  # submitted_by, the team's, the signers', stages' movers
        "evidence": Set("evidence.added", NEVER),
        "identities": Set("identity.protected", NEVER),
        # each side's sign-off and its reasons: who said what stays with the parties (the report's
        # status says whether its findings concluded or are disputed)
        "signoffs": Set("findings.signed", NEVER),
    },
    "finding": {
        "row": Set("findings.drafted", SHARED),
        "attribution": Set("findings.drafted", BINDING),  # a draft's attribution is one side's words
        "recommendations": Set("findings.drafted", BINDING),  # they name whom the draft holds responsible
    },
    "coverage": {
        "row": Set("coverage.recorded", SHARED),
        "source": Set("coverage.recorded", NEVER),  # how the source is described
        "accounts": Set("coverage.recorded", NEVER),  # recorded_by
    },
    # Foreign forces: a group registered and a departure claimed are read by observers too, with
    # their sources; who recorded them stays with the parties, an informant in the vault. Presence
    # claims, each party's word on its side of a withdrawal stage, and proposals to record a
    # stage's imbalance with the positions on them stay with the parties. The plan and its stages
    # are public; that a stage is complete, and how, is the observers' (its own entry).
    "force_group": {
        "row": Set("forces.group_registered"),
        "accounts": Set("forces.group_registered", NEVER),
    },
    "presence": {
        "row": Set("forces.presence_claimed"),
        "accounts": Set("forces.presence_claimed", NEVER),
    },
    "plan": {
        "row": Set("forces.plan_recorded"),
    },
    "stage": {
        "row": Set("forces.stage_added"),
        "sides": Set("forces.stage_side_reported"),
        "completion": Set("forces.stage_completed"),
    },
    "imbalance": {
        "row": Set("forces.imbalance_proposed"),
        "positions": Set("forces.imbalance_position_taken"),
    },
    "departure": {
        "row": Set("forces.departure_claimed"),
        "accounts": Set("forces.departure_claimed", NEVER),
    },
    # A translation stays with the parties: what it translates may be theirs alone (translations/subjects.py).
    "translation": {
        "row": Set("text.translated"),
    },
    # Roads, crossings and air routes: a route recorded is public; the statuses put forward and
    # each party's position on them stay with the parties; the committee's status is the
    # observers' too, from the entry that states it, as is an export made for a neighbour.
    "route": {
        "row": Set("route.recorded"),
    },
    "route_status": {
        "row": Set("route.status_claimed"),  # every status put forward, and who put it forward
        "positions": Set("route.status_position_taken"),
        "agreed": Set("route.status_agreed"),
    },
    "data_shared": {
        "row": Set("routes.data_shared"),
    },
    # Detainee exchanges: an exchange and the numbers claimed of it are the observers' too, with
    # their sources; a person exchanged, even as a commitment, stays with the parties (the
    # identity in the vault, the facilitator's only).
    "exchange": {
        "row": Set("exchange.recorded"),
        "accounts": Set("exchange.recorded", NEVER),
    },
    "exchange_numbers": {
        "row": Set("exchange.numbers_claimed"),
    },
    "exchange_person": {
        "row": Set("exchange.person_recorded"),
    },
    # Missing persons: a case (when and where last seen, the circumstances, the source), the statuses
    # claimed of it and each party's position stay with the parties; who the person is stays in the
    # vault, the facilitator's only. The committee's status is the observers' too, from the entry
    # that states it, which carries only the case, the status and its day; the public reads nothing.
    "missing_case": {
        "row": Set("missing.case_opened"),
    },
    "missing_status": {
        "row": Set("missing.status_claimed"),  # every status claimed, who claimed it, its note and source
        "positions": Set("missing.status_position_taken"),
        "agreed": Set("missing.status_agreed"),  # the case, the status and its day only
    },
    # Mine action: an area and the clearance reports on it are the observers' too, with their sources.
    "mine_area": {
        "row": Set("mine.area_recorded"),
    },
    "clearance": {
        "row": Set("mine.clearance_reported"),
    },
    # What the facilitator published: a copy of an adopted decision or an agreed status, in an
    # entry of its own that the public reads (publications/commands.py says why a copy).
    "publication": {
        "row": Set("publication.made"),
    },
    "witness_key": {
        "row": Set("witness.key_registered"),
        "accounts": Set("witness.key_registered", NEVER),
    },
}


def audience(reader) -> str:
    """The record's audience of a reader: an Actor, None (the public), or an audience already."""
    if isinstance(reader, str):
        if reader not in AUDIENCES:
            raise ValueError(f"audience {reader!r} is not one of {AUDIENCES}")
        return reader
    return permissions.audience(reader)


def within(shared_with: str, reader) -> bool:
    """Does a row shared with `shared_with` (an audience) reach the reader?"""
    return AUDIENCES.index(shared_with) >= AUDIENCES.index(audience(reader))


def levels(reader) -> tuple[str, ...]:
    """The sharings that reach the reader: every one for the parties, observers' and public for
    observers, public for the public."""
    return AUDIENCES[AUDIENCES.index(audience(reader)) :]


def everything(reader) -> bool:
    """The parties' people (delegates, monitors) and the facilitator read every field of every row."""
    return audience(reader) == PARTIES


def reads(
    reader, projection: str, field: str = "row", *, shared_with: str | None = None, binding: bool = False
) -> bool:
    """May the reader read `field` of a `projection` row? `shared_with`: the row's sharing (a
    report's visibility); `binding`: the row's findings are binding."""
    rule = FIELDS[projection][field]
    who = audience(reader)
    if who == PARTIES:
        return True
    if rule.widens == NEVER or (rule.widens == BINDING and not binding):
        return False
    if log.readable(rule.event, who):
        return True
    return rule.widens in (SHARED, BINDING) and shared_with is not None and within(shared_with, who)


# ---------------------------------------------------------------- rows as a reader sees them


def report_reads(reader, report, field: str = "row") -> bool:
    return reads(reader, "report", field, shared_with=report.visibility)


def finding_reads(reader, report, field: str = "row") -> bool:
    from ceasefire.incidents import chain

    return reads(reader, "finding", field, shared_with=report.visibility, binding=report.status == chain.CONCLUDED)


def agenda_item_reads(reader, report=None) -> bool:
    """An agenda item; one that takes up a report (`report`) is read with that report."""
    return reads(reader, "agenda_item", shared_with=report.visibility if report is not None else None)


def rows(reader, projection: str, qs):
    """The rows of a projection that no sharing widens (decisions, action items...): all of them
    for a reader who may read the event that creates them, none for anyone else."""
    return qs if reads(reader, projection) else qs.none()


def agenda(reader, meeting) -> list:
    """The agenda items of `meeting` the reader may read, each with `.report`: the report it takes
    up, when there is one and the reader may read it. An item taking up a report is read with it."""
    from ceasefire.incidents.models import Report

    taken_up = {
        r.agenda_item_id: r
        for r in Report.objects.filter(agenda_item__meeting=meeting).only(
            "id", "year", "number", "agenda_item", "visibility"
        )
    }
    items = []
    for item in meeting.agenda.all():
        report = taken_up.get(item.id)
        if agenda_item_reads(reader, report):
            item.report = report
            items.append(item)
    return items


def account(reader, username: str | None) -> str | None:
    """How the reader sees an account that acted: its username for the parties; its role and party
    for everyone else ("Head of delegation · Eastern region"), never the account itself."""
    if not username or everything(reader):
        return username
    return role_and_party(username)


def entry_actor(reader, event) -> str:
    """Who appended a record entry, as the reader may see it. Every entry names the actor's role; the
    account only through a commitment, which the enrollments open (`log.account_of`): a reader of
    those sees the username too."""
    from ceasefire.mechanism.models import Role

    data = event.data
    if data["v"] < 4:  # it named the username: outside the parties, say the account's role and party instead
        return account(reader, event.actor) or "—"
    if data.get("account") is None:  # a system actor, named in the clear
        return system_actor(event.actor) or event.actor or "—"
    role = str(Role(event.actor).label) if event.actor in Role.values else event.actor
    if log.readable(log.ENROLLED, audience(reader)) and event.account:
        return f"{event.account} · {role}" if role else event.account
    return role or "—"


def entry_role(data: dict) -> str:
    """The actor an entry names, as a reader outside the parties may see it. From version 4 on the
    entry names the role itself; before, it named the account, and of that only the role is said."""
    from ceasefire.mechanism.models import Account

    name = data["actor"]
    if data["v"] >= 4 or system_actor(name):
        return name
    return Account.objects.filter(user__username=name).values_list("role", flat=True).first() or "someone"


def system_actor(name: str) -> str:
    """What a system actor (log.Actor.system) is, in the reader's language; "" for any other name."""
    from django.utils.translation import gettext as _

    from ceasefire.record.checkpoints import RECORDER

    if name == RECORDER:
        return _("Server (records the witnesses' cosignatures)")
    if name == log.COMMITTEE.username:
        return _("The committee (every party's approval recorded)")
    if name.startswith("scenario:"):
        return _("Scenario loader (%(name)s, public sources)") % {"name": name.removeprefix("scenario:")}
    return ""


def role_and_party(username: str) -> str:
    from django.utils.translation import gettext as _

    from ceasefire.mechanism.models import Account, Party, Role, in_language

    found = Account.objects.filter(user__username=username).first()
    if found is None:
        return _("someone on the committee")
    role = str(Role(found.role).label)
    party = Party.objects.filter(code=found.party).first() if found.party else None
    return f"{role} · {in_language(party, 'name')}" if party else role
