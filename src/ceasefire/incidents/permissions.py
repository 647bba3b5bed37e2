"""Who may do what with reports. The commands enforce these; the pages and the API ask the same
questions to decide what to offer and what to show."""

from ceasefire import audience as policy
from ceasefire.mechanism.accounts import PARTY_ROLES
from ceasefire.mechanism.models import Role
from ceasefire.mechanism.permissions import facilitates
from ceasefire.record.log import Actor

# Who files reports: a party's delegation, the monitors, the facilitator (for the hotline, the
# media, NGOs). Observers read; they do not file.
FILERS = (Role.HEAD, Role.MEMBER, Role.MONITOR, Role.FACILITATOR)
# Who may sit on a joint verification team.
TEAM_ROLES = (Role.HEAD, Role.MEMBER, Role.MONITOR)


def may_file(actor: Actor | None) -> bool:
    return bool(actor) and actor.role in FILERS


def on_team(actor: Actor | None, report) -> bool:
    return bool(actor) and report.team.filter(username=actor.username).exists()


def may_work_on(actor: Actor | None, report) -> bool:
    """Writing the investigation report and the findings: the team, or the facilitator for it."""
    return facilitates(actor) or on_team(actor, report)


def team_party(actor: Actor | None, report) -> str | None:
    """The party the actor sits on the team for: a delegate's own; never a monitor's, whatever
    party its account comes from (accounts.party_of)."""
    if not actor or actor.role not in PARTY_ROLES or not actor.party:
        return None
    if report.team.filter(username=actor.username, party=actor.party).exists():
        return actor.party
    return None


def side(actor: Actor | None, report) -> str | None:
    """The side the actor signs findings for: its party if it sits on the team for it, "" for the
    facilitator, None for anyone else."""
    if facilitates(actor):
        return ""
    return team_party(actor, report)


def reads_everything(actor: Actor | None) -> bool:
    """The parties' delegates, the monitors and the facilitator read every report (ceasefire.audience)."""
    return policy.everything(actor)


def visible_levels(actor: Actor | None) -> tuple[str, ...]:
    """The visibility levels of the reports the actor reads: the sharings that reach it."""
    return policy.levels(actor)


def may_handle_evidence(actor: Actor | None) -> bool:
    """Adding, viewing and downloading evidence files: the parties' people and the facilitator.
    Files can show who a witness is; they are not shared beyond the parties."""
    return reads_everything(actor)


def may_see_identities(actor: Actor | None) -> bool:
    return facilitates(actor)


def may_update_recommendation(actor: Actor | None, addressee_party: str | None) -> bool:
    return facilitates(actor) or (
        bool(actor)
        and bool(addressee_party)
        and actor.party == addressee_party
        and actor.role in (Role.HEAD, Role.MEMBER)
    )
