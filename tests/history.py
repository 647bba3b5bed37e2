"""A varied, random history of the committee, driven through the commands as users would,
including requests the commands refuse."""

import datetime as dt
import random

from ceasefire.agreements import commands as agreements
from ceasefire.agreements.models import Agreement, Provision
from ceasefire.errors import CommandError
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import ActionItem, Decision, Meeting, Member, Party

ARABIC_WORDS = ["وقف", "إطلاق", "النار", "اللجنة", "العسكرية", "سرت", "غدامس", "الطريق", "الساحلي", "المرتزقة"]
LATIN_WORDS = ["ceasefire", "committee", "Sirte", "coastal", "road", "withdrawal", "mercenaries", "detainees"]


def words(rng: random.Random) -> str:
    pool = ARABIC_WORDS if rng.random() < 0.5 else LATIN_WORDS
    return " ".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))


def day(rng: random.Random) -> str:
    return (dt.date(2020, 10, 23) + dt.timedelta(days=rng.randint(0, 1500))).isoformat()


def pick(rng, queryset):
    ids = list(queryset.values_list("pk", flat=True))
    return rng.choice(ids) if ids else rng.randint(1, 10_000)


def run(rng: random.Random, actors: dict, steps: int) -> tuple[int, int]:
    """Attempt up to `steps` random actions; returns how many were (accepted, refused)."""
    facilitator = actors["facilitator"]
    everyone = list(actors.values())
    parties = ["west", "east"]

    def act(rng):
        who = rng.choice(everyone) if rng.random() < 0.3 else facilitator
        kind = rng.randrange(15)
        if kind == 0:
            party = rng.choice(parties)
            commands.appoint_member(
                who,
                {"name": words(rng), "name_latin": words(rng), "role": rng.choice(["member", "head", "observer"]),
                 "party": party, "seat": rng.randint(1, 6), "tenure_start": day(rng)},
            )
        elif kind == 1:
            commands.replace_member(who, pick(rng, Member.objects.filter(tenure_end=None)),
                                    {"on": day(rng), "successor": {"name_latin": words(rng)}})
        elif kind == 2:
            commands.end_tenure(who, pick(rng, Member.objects.all()), {"on": day(rng)})
        elif kind == 3:
            party = rng.choice(parties)
            speaker = actors[f"{party}-head"] if rng.random() < 0.7 else who
            if Party.objects.get(code=party).suspended:
                commands.resume_participation(speaker, party, {"on": day(rng)})
            elif rng.random() < 0.3:  # suspensions are rare, and block positions while they last
                commands.suspend_participation(speaker, party, {"since": day(rng), "reason": words(rng)})
            else:
                return False
        elif kind == 4:
            start = day(rng)
            commands.record_meeting(who, {"title": words(rng), "starts_on": start, "ends_on": start,
                                          "city": words(rng), "country": words(rng), "summary": words(rng)})
        elif kind == 6:
            present = rng.sample(list(Member.objects.values_list("id", flat=True)), k=min(4, Member.objects.count()))
            commands.record_attendance(who, pick(rng, Meeting.objects.all()), {"present": present})
        elif kind == 7:
            if rng.random() < 0.5:
                commands.add_agenda_item(who, pick(rng, Meeting.objects.all()), {"title": words(rng)})
            else:
                commands.record_minutes(who, pick(rng, Meeting.objects.all()), {"minutes": words(rng)})
        elif kind == 8:
            commands.record_decision(who, pick(rng, Meeting.objects.all()), {"text": words(rng)})
        elif kind in (5, 9, 10):
            speaker = actors[rng.choice(["west-head", "east-head", "west-member"])]
            commands.take_position(speaker, pick(rng, Decision.objects.order_by("-id")[: rng.choice([1, 1, 3])]),
                                   {"position": rng.choice(["approve", "approve", "object", "abstain"]), "reason": words(rng)})
        elif kind == 11:
            commands.add_action_item(who, pick(rng, Meeting.objects.all()),
                                     {"text": words(rng), "owner_party": rng.choice(parties), "deadline": day(rng)})
        elif kind == 12:
            commands.set_action_status(who, pick(rng, ActionItem.objects.all()),
                                       {"status": rng.choice(["open", "in_progress", "done", "dropped"])})
        elif kind == 13:
            if rng.random() < 0.3 or not Agreement.objects.exists():
                agreements.record_agreement(who, {"title": words(rng), "signed_on": day(rng)})
            else:
                agreements.add_provision(who, pick(rng, Agreement.objects.all()),
                                         {"number": str(rng.randint(1, 30)), "text": words(rng),
                                          "deadline_months": rng.choice([None, 3, 6])})
        else:
            agreements.add_interpretation(who, pick(rng, Provision.objects.all()),
                                          {"reading": words(rng), "held_by": words(rng)})

    accepted = refused = 0
    for _ in range(steps):
        try:
            if act(rng) is not False:
                accepted += 1
        except CommandError:
            refused += 1
    return accepted, refused


def adopt_one(actors: dict) -> Decision:
    """End a history on an adopted decision, whatever came before."""
    facilitator = actors["facilitator"]
    for party in Party.objects.filter(suspended_since__isnull=False):
        commands.resume_participation(facilitator, party.code, {"on": party.suspended_since.isoformat()})
    meeting = commands.record_meeting(facilitator, {"title": "Closing round", "starts_on": "2025-01-01", "city": "Sirte", "country": "Libya"})
    decision = commands.record_decision(facilitator, meeting.id, {"text": "Adopt the closing statement"})
    for party in ("west", "east"):
        decision = commands.take_position(actors[f"{party}-head"], decision.id, {"position": "approve"})
    return decision
