"""The property of every matter the parties settle by consensus (an assessment, a route's status):
whatever sequence of commands anyone sends (matters put forward, positions, suspensions and
returns), a matter becomes the committee's only with the approval of every party, each given by
whoever speaks for that party, never by one party alone; and what every party approves, with none
suspended, is the committee's. Each test module gives what is particular to its matter."""

from hypothesis import event
from hypothesis import strategies as st

from ceasefire.errors import CommandError
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.models import Party
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR, ROLES

# Everyone, the heads (who speak for their parties) more often, so that some matters get through.
WHO = sorted(ROLES) + ["west-head", "east-head"] * 3


def steps(put_forward, who: list[str], matters: int):
    """Sequences of commands: `put_forward` (a strategy of ("put_forward", who, ...) steps),
    positions on one of the last `matters` matters, suspensions and returns. Positions come more
    often than anything else: what they complete is what the test is about."""
    position = st.tuples(
        st.just("position"),
        st.sampled_from(who),
        st.sampled_from(["approve", "approve", "object", "abstain", "maybe"]),
        st.integers(min_value=0, max_value=matters - 1),
    )
    participation = st.tuples(st.sampled_from(["suspend", "resume"]), st.sampled_from(["west", "east"]))
    return st.lists(st.one_of(put_forward, position, position, position, participation), max_size=16)


def check(actors, steps, *, put_forward, take_position, matters, agreed_once, label: str) -> None:
    """Run `steps` as `actors` (a refused command is skipped), checking after each that every
    matter of `matters` (a queryset) the committee agreed has the approval of each party through
    its head and `agreed_once(matter)` holds; then that no matter every party approves waits,
    unless a party is suspended. `put_forward(actor, *args)` and `take_position(actor, id, data)`
    are the matter's commands."""
    # The examples share the test's database: each begins with every party taking part.
    for party in Party.objects.filter(suspended_since__isnull=False):
        mechanism.resume_participation(FACILITATOR, party.code, {"on": "2022-02-01"})
    start = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    for step in steps:
        kind, who, *args = step
        try:
            if kind == "put_forward":
                put_forward(actors[who], *args)
            elif kind == "position":
                position, index = args
                ids = list(matters.filter(id__gt=start).order_by("id").values_list("id", flat=True))
                take_position(actors[who], ids[index % len(ids)] if ids else 424242, {"position": position})
            elif kind == "suspend":
                mechanism.suspend_participation(actors[f"{who}-head"], who, {"since": "2022-01-01"})
            else:
                mechanism.resume_participation(actors[f"{who}-head"], who, {"on": "2022-02-01"})
        except CommandError:
            continue
        for matter in matters.filter(id__gt=start, agreed=True):
            approvals = {(p.party_id, p.given_by) for p in matter.positions.filter(position="approve")}
            # every party approved, each through its own head (the only speaker among these accounts)
            assert approvals == {("west", "west-head"), ("east", "east-head")}, (matter.id, approvals)
            agreed_once(matter)
            event(label)
    suspended = Party.objects.filter(suspended_since__isnull=False).exists()
    for matter in matters.filter(id__gt=start, agreed=False):
        approved = set(matter.positions.filter(position="approve").values_list("party_id", flat=True))
        assert approved != {"west", "east"} or suspended, matter.id
