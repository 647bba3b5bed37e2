"""A varied, random history of the committee, driven through the commands as users would,
including requests the commands refuse."""

import datetime as dt
import random

from ceasefire.agreements import commands as agreements
from ceasefire.agreements.models import Agreement, Assessment, Provision
from ceasefire.errors import CommandError
from ceasefire.incidents import chain
from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Category, IdentityCommitment, Investigation, Recommendation, Report, TeamMember
from ceasefire.incidents.models import Evidence as EvidenceFile
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import ActionItem, Decision, Meeting, Member, Party
from tests.helpers import hold

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


def run(rng: random.Random, actors: dict, steps: int, incidents: bool = False) -> tuple[int, int]:
    """Attempt up to `steps` random actions; returns how many were (accepted, refused).

    With `incidents`, six actions in ten are on violation reports (see incidents_step), and an
    accepted action may append more than one event (an obstruction report, an agenda item).
    Without, the history is exactly what it was before reports existed."""
    facilitator = actors["facilitator"]
    everyone = list(actors.values())
    parties = ["west", "east"]

    def act(rng):
        if incidents and rng.random() < 0.6:
            return incidents_step(rng, actors)
        who = rng.choice(everyone) if rng.random() < 0.3 else facilitator
        kind = rng.randrange(15)
        if kind == 0:
            party = rng.choice(parties)
            commands.appoint_member(
                who,
                {
                    "name": words(rng),
                    "name_latin": words(rng),
                    "role": rng.choice(["member", "head", "observer"]),
                    "party": party,
                    "seat": rng.randint(1, 6),
                    "tenure_start": day(rng),
                },
            )
        elif kind == 1:
            commands.replace_member(
                who,
                pick(rng, Member.objects.filter(tenure_end=None)),
                {"on": day(rng), "successor": {"name_latin": words(rng)}},
            )
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
            commands.record_meeting(
                who,
                {
                    "title": words(rng),
                    "starts_on": start,
                    "ends_on": start,
                    "city": words(rng),
                    "country": words(rng),
                    "summary": words(rng),
                },
            )
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
            commands.take_position(
                speaker,
                pick(rng, Decision.objects.order_by("-id")[: rng.choice([1, 1, 3])]),
                {"position": rng.choice(["approve", "approve", "object", "abstain"]), "reason": words(rng)},
            )
        elif kind == 11:
            commands.add_action_item(
                who,
                pick(rng, Meeting.objects.all()),
                {"text": words(rng), "owner_party": rng.choice(parties), "deadline": day(rng)},
            )
        elif kind == 12:
            commands.set_action_status(
                who,
                pick(rng, ActionItem.objects.all()),
                {"status": rng.choice(["open", "in_progress", "done", "dropped"])},
            )
        elif kind == 13:
            if rng.random() < 0.3 or not Agreement.objects.exists():
                agreements.record_agreement(who, {"title": words(rng), "signed_on": day(rng)})
            else:
                agreements.add_provision(
                    who,
                    pick(rng, Agreement.objects.all()),
                    {
                        "number": str(rng.randint(1, 30)),
                        "text": words(rng),
                        "deadline_months": rng.choice([None, 3, 6]),
                    },
                )
        else:
            agreements.add_interpretation(
                who, pick(rng, Provision.objects.all()), {"reading": words(rng), "held_by": words(rng)}
            )

    accepted = refused = 0
    for _ in range(steps):
        try:
            if act(rng) is not False:
                accepted += 1
        except CommandError:
            refused += 1
    return accepted, refused


# ---------------------------------------------------------------- violation reports

# The first bytes of small real files, and files that lie about what they are.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FILES = [
    ("crater.png", PNG),
    ("statement.pdf", PDF),
    ("notes.txt", None),
    ("notes.txt", None),
    ("photo.jpg", PNG),
    ("empty.txt", b""),
]


def _pick_report(rng, *statuses):
    """A report at one of `statuses` mostly, any report sometimes (a step out of order, refused)."""
    qs = Report.objects.order_by("id")
    at = qs.filter(status__in=statuses)
    return pick(rng, at if statuses and rng.random() < 0.9 and at.exists() else qs)


def _team_member(rng, actors, report_id):
    """Someone of the report's team mostly, else anyone (refused unless the facilitator)."""
    team = list(TeamMember.objects.filter(report_id=report_id).order_by("username").values_list("username", flat=True))
    team = [actors[u] for u in team if u in actors]
    return rng.choice(team) if team and rng.random() < 0.85 else rng.choice(list(actors.values()))


def _moment(rng) -> str:
    if rng.random() < 0.5:
        return day(rng)
    return f"{day(rng)}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}{rng.choice(['+02:00', 'Z', '+01:00'])}"


def _next_kind(r) -> int:
    """The step (incidents_step's kind) that takes an open report on."""
    if r.status != "disputed":
        return {"received": 1, "inquiry": 2, "tasked": 3, "investigated": 4, "findings": 5}[r.status]
    if r.agenda_item_id is None:
        return 6  # a meeting ahead takes it
    if r.decision_id is None:
        return 7
    outcome = r.decision.outcome()
    return 9 if r.decision.adopted or outcome.objected_by or outcome.abstained_by else 8


def incidents_step(rng: random.Random, actors: dict):
    """One random action on violation reports, by whoever the chain expects mostly, by anyone
    sometimes; every step of the chain, evidence and protected identities."""
    facilitator = actors["facilitator"]
    everyone = list(actors.values())
    parties = ["west", "east"]
    delegates = {
        p: [a.username for a in everyone if a.party == p and a.role in ("head", "member", "monitor")] for p in parties
    }
    monitors = [a.username for a in everyone if a.role == "monitor" and not a.party]
    if not Category.objects.exists():
        incidents.adopt_default_typology(facilitator)
        return None
    # Half the time a report still open takes its next step, so that reports travel the whole
    # chain; otherwise any step, on a report at the stage it needs mostly.
    target = None
    still_open = list(Report.objects.exclude(status__in=chain.CLOSED).order_by("id"))
    if still_open and rng.random() < 0.5:
        r = rng.choice(still_open)
        target, kind = r.id, _next_kind(r)
    else:
        kind = rng.choices(range(15), weights=[10, 5, 4, 4, 4, 8, 2, 3, 5, 3, 2, 3, 6, 3, 1])[0]

    def report_at(*statuses):
        return target if target is not None else _pick_report(rng, *statuses)

    if kind == 0:  # file a report
        who = rng.choice(everyone)
        data = {
            "title": words(rng),
            "category": rng.choice([*Category.objects.order_by("code").values_list("code", flat=True), "no-such-kind"]),
            "occurred_at": _moment(rng) if rng.random() < 0.95 else "2099-01-01",
            "narrative": words(rng),
            "alleged_party": rng.choice(["west", "east", ""]),
            "affected_party": rng.choice(["west", "east", ""]),
            "alleged_unit": words(rng) if rng.random() < 0.3 else "",
            "time_precision": rng.choice([1, 1, 2, 3]),
            "casualties": [
                {
                    "kind": rng.choice(["killed", "injured"]),
                    "group": rng.choice(["civilian", "military", "unknown"]),
                    "count": rng.randint(0, 9),
                    "source": words(rng),
                }
                for _ in range(rng.choice([0, 0, 1, 2]))
            ],
        }
        if rng.random() < 0.7:
            data.update(
                latitude=round(rng.uniform(20, 33), 4),
                longitude=round(rng.uniform(9, 25), 4),
                geo_precision=rng.choice([1, 2, 3]),
            )
            if rng.random() < 0.05:
                data["latitude"] = 95
        if rng.random() < 0.6:
            data["place"] = words(rng)
        if rng.random() < 0.2:
            data["source_identity"] = {"name": words(rng), "contact": words(rng)}
        if who.role == "facilitator":
            data["source_type"] = rng.choice(["public", "media", "ngo", "un_monitor", "delegation"])
            if data["source_type"] == "delegation":
                data["source_party"] = rng.choice(parties)
        incidents.file_report(who, data)
    elif kind == 1:  # triage
        who = facilitator if rng.random() < 0.85 else rng.choice(everyone)
        decision = rng.choices(["admissible", "duplicate", "outside_mandate"], weights=[6, 2, 2])[0]
        data = {"decision": decision, "reason": words(rng) if decision != "admissible" or rng.random() < 0.3 else ""}
        if decision == "duplicate":
            data["duplicate_of"] = pick(rng, Report.objects.order_by("id"))
        incidents.triage(who, report_at("received"), data)
    elif kind == 2:  # task a joint team
        who = facilitator if rng.random() < 0.9 else rng.choice(everyone)
        team = (
            [rng.choice(delegates["west"]), rng.choice(delegates["east"])]
            if rng.random() < 0.85
            else [rng.choice(delegates["west"])]
        )
        if monitors and rng.random() < 0.3:
            team.append(rng.choice(monitors))
        incidents.task_team(
            who, report_at("inquiry"), {"team": sorted(set(team)), "instructions": words(rng), "due_on": day(rng)}
        )
    elif kind == 3:  # the team's investigation report: written by one member, confirmed by the others
        report_id = report_at("tasked")
        r = Report.objects.filter(id=report_id).first()
        written = Investigation.objects.filter(report_id=report_id).first()
        if written is not None and rng.random() < 0.7:
            who = _team_member(rng, actors, report_id)
            incidents.confirm_investigation(who, report_id, {"investigation": written.id})
            return None
        first = r.occurred_at.date() if r else dt.date(2020, 10, 23)
        access = rng.choices(["granted", "partial", "denied"], weights=[6, 2, 2])[0]
        data = {
            "site_visited": access != "denied",
            "visited_on": (first + dt.timedelta(days=rng.randint(0, 20))).isoformat(),
            "access": access,
            "methods": words(rng),
            "limitations": words(rng) if rng.random() < 0.5 else "",
        }
        if access != "granted":
            data["denied_by_party"] = rng.choice(["west", "east", ""])
            data["denied_by"] = words(rng) if not data["denied_by_party"] or rng.random() < 0.5 else ""
        who = _team_member(rng, actors, report_id) if rng.random() < 0.8 else facilitator
        incidents.report_investigation(who, report_id, data)
    elif kind == 4:  # findings
        report_id = report_at("investigated", "findings", "disputed")
        provisions = list(Provision.objects.order_by("id").values_list("id", flat=True))
        findings = []
        for _ in range(rng.randint(1, 3)):
            result = rng.choice(["violation", "violation", "no_violation", "insufficient"])
            findings.append(
                {
                    "allegation": words(rng),
                    "result": result,
                    "attributed_to": rng.choice(parties) if result == "violation" and rng.random() < 0.6 else "",
                    "provisions": rng.sample(provisions, k=min(len(provisions), rng.randint(0, 2))),
                    "reasoning": words(rng),
                    "recommendations": [
                        {"addressee_party": rng.choice(parties), "text": words(rng), "due_on": day(rng)}
                        for _ in range(rng.choice([0, 1, 2]))
                    ],
                }
            )
        who = _team_member(rng, actors, report_id) if rng.random() < 0.8 else facilitator
        incidents.draft_findings(who, report_id, {"findings": findings})
    elif kind == 5:  # a sign-off, or a dissent
        report_id = report_at("findings")
        who = _team_member(rng, actors, report_id) if rng.random() < 0.75 else facilitator
        if who.party and Party.objects.get(code=who.party).suspended and rng.random() < 0.7:
            # What needs a suspended party waits: its head resumes, so that the chain goes on.
            commands.resume_participation(
                actors[f"{who.party}-head"],
                who.party,
                {"on": Party.objects.get(code=who.party).suspended_since.isoformat()},
            )
            return None
        agrees = rng.random() < 0.75
        draft = Report.objects.filter(id=report_id).values_list("draft", flat=True).first()
        data = {"agrees": agrees, "reasons": words(rng) if not agrees and rng.random() < 0.9 else "", "draft": draft}
        incidents.sign_findings(who, report_id, data)
    elif kind == 6:  # a meeting ahead: it takes the disputes waiting for one
        start = dt.date.today() + dt.timedelta(days=rng.randint(1, 120))
        commands.record_meeting(
            facilitator,
            {"title": words(rng), "starts_on": start.isoformat(), "city": words(rng), "country": words(rng)},
        )
    elif kind == 7:  # a proposal settling a dispute
        who = facilitator if rng.random() < 0.9 else rng.choice(everyone)
        incidents.propose_settlement(who, report_at("disputed"), {"text": words(rng)})
    elif kind == 8:  # a party's position on such a proposal
        decision = (
            Report.objects.get(id=target).decision_id
            if target is not None
            else pick(
                rng,
                Decision.objects.filter(id__in=Report.objects.exclude(decision=None).values("decision")).order_by("id"),
            )
        )
        speaker = actors[f"{rng.choice(parties)}-head"] if rng.random() < 0.85 else rng.choice(everyone)
        commands.take_position(
            speaker, decision, {"position": rng.choice(["approve", "approve", "approve", "object", "abstain"])}
        )
    elif kind == 9:  # settled, or the disagreement recorded
        who = facilitator if rng.random() < 0.9 else rng.choice(everyone)
        adopted = target is not None and Report.objects.get(id=target).decision.adopted
        if adopted or (target is None and rng.random() < 0.6):
            incidents.settle(who, report_at("disputed"), {"note": words(rng)})
        else:
            incidents.record_disagreement(who, report_at("disputed"), {"note": words(rng)})
    elif kind == 10:  # shared or published
        who = facilitator if rng.random() < 0.9 else rng.choice(everyone)
        incidents.set_visibility(who, _pick_report(rng), {"visibility": rng.choice(["parties", "observers", "public"])})
    elif kind == 11:  # a recommendation followed up
        rec = pick(rng, Recommendation.objects.order_by("id"))
        incidents.set_recommendation_status(
            rng.choice(everyone),
            rec,
            {"status": rng.choice(["open", "in_progress", "done", "ignored"]), "note": words(rng)},
        )
    elif kind == 12:  # evidence: a small file, or an access to one
        if rng.random() < 0.7 or not EvidenceFile.objects.exists():
            name, content = rng.choice(FILES)
            content = words(rng).encode() if content is None else content
            incidents.add_evidence(
                rng.choice(everyone), _pick_report(rng), [content], name, "", {"description": words(rng)}
            )
        else:
            incidents.record_evidence_access(
                rng.choice(everyone),
                pick(rng, EvidenceFile.objects.order_by("id")),
                rng.choice(["view", "download", "export"]),
            )
    elif kind == 13:  # protected identities
        who = facilitator if rng.random() < 0.9 else rng.choice(everyone)
        if rng.random() < 0.6:
            incidents.protect_identity(
                who, _pick_report(rng), {"identity": {"name": words(rng), "relation": "witness"}}
            )
        else:
            incidents.erase_identity(who, pick(rng, IdentityCommitment.objects.order_by("id")), {"reason": words(rng)})
    else:  # the typology and the chain's targets
        if rng.random() < 0.5:
            incidents.set_stage_target(
                facilitator,
                {"stage": rng.choice(["received", "inquiry", "tasked", "findings"]), "days": rng.randint(1, 60)},
            )
        else:
            incidents.define_category(
                facilitator,
                {
                    "code": f"local-{rng.randint(1, 5)}",
                    "group": "military",
                    "name": words(rng),
                    "retired": rng.random() < 0.2,
                },
            )
    return None


def adopt_one(actors: dict) -> Decision:
    """End a history on an adopted decision, whatever came before."""
    facilitator = actors["facilitator"]
    for party in Party.objects.filter(suspended_since__isnull=False):
        commands.resume_participation(facilitator, party.code, {"on": party.suspended_since.isoformat()})
    meeting = commands.record_meeting(
        facilitator, {"title": "Closing round", "starts_on": "2025-01-01", "city": "Sirte", "country": "Libya"}
    )
    hold(meeting, facilitator)  # each party's quorum present, after every tenure the history began
    decision = commands.record_decision(facilitator, meeting.id, {"text": "Adopt the closing statement"})
    for party in ("west", "east"):
        decision = commands.take_position(actors[f"{party}-head"], decision.id, {"position": "approve"})
    return decision


# ---------------------------------------------------------------- how far provisions are implemented

STATUSES = [0, 1, 2, 3, "not_yet_due", "reversed"]


def implementation_step(rng: random.Random, actors: dict):
    """One random action on how far provisions are implemented: an assessment put forward (by a
    party's speaker, the facilitator or anyone), a position on one, a condition recorded, a
    suspension or a return; the commands refuse what they must."""
    facilitator = actors["facilitator"]
    everyone = list(actors.values())
    speakers = [actors["west-head"], actors["east-head"]]
    if not Provision.objects.exists():
        agreement = agreements.record_agreement(facilitator, {"title": words(rng), "signed_on": "2020-10-23"})
        agreements.add_provision(
            facilitator,
            agreement.id,
            {
                "number": "2",
                "text": words(rng),
                "deadline_months": 3,
                "category": rng.choice(["foreign forces", "roads"]),
            },
        )
        return None
    kind = rng.choices(range(5), weights=[5, 8, 1, 1, 1])[0]
    who = rng.choice(speakers + [facilitator]) if rng.random() < 0.85 else rng.choice(everyone)
    if kind == 0:
        agreements.propose_assessment(
            who,
            pick(rng, Provision.objects.all()),
            {
                "status": rng.choice(STATUSES) if rng.random() < 0.95 else 7,
                "as_of": day(rng) if rng.random() < 0.95 else "2099-01-01",
                "reasoning": words(rng),
                "evidence": [f"https://example.org/{rng.randint(1, 99)}"] * rng.choice([0, 1]),
                "source": words(rng),
            },
        )
    elif kind == 1:
        pending = Assessment.objects.filter(agreed=False).order_by("-id")
        target = pick(rng, pending if pending.exists() and rng.random() < 0.9 else Assessment.objects.all())
        agreements.take_position(
            who, target, {"position": rng.choice(["approve", "approve", "object", "abstain"]), "reason": words(rng)}
        )
    elif kind == 2:
        agreements.record_condition(
            who,
            pick(rng, Provision.objects.all()),
            {
                "condition": words(rng),
                "status": rng.choice(["unknown", "not_met", "met", "disputed"]),
                "source": words(rng),
            },
        )
    else:
        party = rng.choice(["west", "east"])
        if Party.objects.get(code=party).suspended:
            commands.resume_participation(actors[f"{party}-head"], party, {"on": "2025-06-01"})
        elif kind == 3:
            commands.suspend_participation(actors[f"{party}-head"], party, {"since": "2025-01-01"})
        else:
            return False
    return None


def implementation_run(rng: random.Random, actors: dict, steps: int) -> tuple[int, int]:
    """`steps` random actions on implementation (implementation_step): (accepted, refused)."""
    accepted = refused = 0
    for _ in range(steps):
        try:
            if implementation_step(rng, actors) is not False:
                accepted += 1
        except CommandError:
            refused += 1
    return accepted, refused
