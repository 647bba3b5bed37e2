"""Nothing of the parties' audience reaches observers or the public, on any API operation or page.

One history holds every event type the record knows (the first test fails on a new type until the
history makes one). Into it are planted unique strings that only the parties may read (minutes,
the agenda, each party's reasons, action items, how sources are described, who gave a casualty
figure, evidence, a draft's attribution and recommendations, what was never shared, the
assessments of a provision's implementation put forward and each party's position on them) and
strings that observers may read but not the public (a report shared with observers, a decision's
text, a member's name, the committee's agreed implementation status); every account has a unique
username. Then every GET operation of the OpenAPI schema and every page of web/urls.py is walked,
with real ids, as the public, an observer, each delegate, a monitor and the facilitator, and each
answer is searched for what that reader must not read. The parties must find every party string
somewhere, so the walk cannot pass by seeing nothing.

The history is built once for the module, in a transaction rolled back at its end.
"""

import base64
import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Min
from django.test import Client
from django.urls import URLPattern, reverse

from ceasefire.agreements import commands as agreements
from ceasefire.agreements.models import Agreement, Assessment, Provision
from ceasefire.api.main import api
from ceasefire.api.tokens import create_token
from ceasefire.exchanges.models import Exchange
from ceasefire.forces.models import Departure, Imbalance, Plan, Stage
from ceasefire.forces.models import Group as ForceGroup
from ceasefire.incidents import commands as incidents
from ceasefire.incidents import coverage
from ceasefire.incidents.models import Coverage, Evidence, IdentityCommitment, Incident, Recommendation, Report
from ceasefire.mechanism import commands
from ceasefire.mechanism.accounts import actor_for, create_account
from ceasefire.mechanism.models import ActionItem, Decision, Meeting, Member
from ceasefire.mines.models import Area as MineArea
from ceasefire.mines.models import Clearance
from ceasefire.missing.models import Case as MissingCase
from ceasefire.missing.models import StatusClaim as MissingStatus
from ceasefire.publications import commands as publications
from ceasefire.record import checkpoints, log, note
from ceasefire.record.log import Actor
from ceasefire.record.models import Event
from ceasefire.routes.models import Route, StatusClaim
from ceasefire.sitrep import commands as sitrep
from ceasefire.sitrep.models import Issued
from ceasefire.translations import commands as translations
from ceasefire.web.urls import urlpatterns
from ceasefire.zones import commands as zones
from ceasefire.zones.models import Layer, LayerVersion
from tests.conftest import PASSWORD
from tests.helpers import signed_in
from tests.samples import INVESTIGATION, REPORT

# username of each reader's account (unique strings, searched for like the planted ones)
ACCOUNTS = {
    "west-head": ("head", "west", "acct-wh-q7x1"),
    "west-member": ("member", "west", "acct-wm-q7x2"),
    "east-head": ("head", "east", "acct-eh-q7x3"),
    "east-member": ("member", "east", "acct-em-q7x4"),
    "facilitator": ("facilitator", "", "acct-fa-q7x5"),
    "monitor": ("monitor", "", "acct-mo-q7x6"),
    "observer": ("observer", "", "acct-ob-q7x7"),
}
PARTIES = ["west-head", "west-member", "east-head", "east-member", "monitor", "facilitator"]
OUTSIDE = ["anonymous", "observer"]


# Who a missing person is: kept in the vault, in no answer to anyone (the facilitator included).
VAULT = ("vxmissingnamezq", "vxmissingcontactzq")


class Planted:
    """Unique strings planted in the history, by the widest audience that may read them."""

    def __init__(self):
        self.parties: set[str] = set()
        self.observers: set[str] = set()

    def party(self, tag: str) -> str:
        s = f"px{tag}zq"
        self.parties.add(s)
        return s

    def observer(self, tag: str) -> str:
        s = f"ox{tag}zq"
        self.observers.add(s)
        return s


def _investigate(team, r):
    """The team's report: written by its first member, confirmed by the others (each party's)."""
    first, *others = team
    r = incidents.report_investigation(first, r.id, INVESTIGATION)
    for actor in others:
        r = incidents.confirm_investigation(actor, r.id, {"investigation": r.investigation.id})
    return r


def _draft(r) -> int:
    """The record entry of the report's current findings draft (a finding's id is its seq × 100 + i)."""
    return r.findings.order_by("id").values_list("id", flat=True).first() // 100


def build(p: Planted) -> dict:
    fac = Actor(ACCOUNTS["facilitator"][2], role="facilitator")
    commands.establish(
        fac,
        {
            "name_en": "Joint Military Commission (walk)",
            "name_ar": "اللجنة العسكرية المشتركة",
            "parties": [
                {"code": "west", "name_en": "Western region", "name_ar": "المنطقة الغربية", "seats": 5},
                {"code": "east", "name_en": "Eastern region", "name_ar": "المنطقة الشرقية", "seats": 5},
            ],
        },
    )
    users = {who: create_account(name, PASSWORD, role, party) for who, (role, party, name) in ACCOUNTS.items()}
    a = {who: actor_for(u) for who, u in users.items()}
    assert a["facilitator"] == fac

    # who sits on the committee (observers read it), a replacement, a tenure ended, a suspension
    members = {}
    for party in ("west", "east"):
        for seat in (1, 2, 3, 4):
            members[(party, seat)] = commands.appoint_member(
                fac,
                {
                    "name_latin": p.observer(f"member{party}{seat}"),
                    "role": "head" if seat == 1 else "member",
                    "party": party,
                    "seat": seat,
                    "tenure_start": "2020-02-01",
                },
            )
    commands.replace_member(
        fac, members[("west", 4)].id, {"on": "2021-03-01", "successor": {"name_latin": p.observer("successor")}}
    )
    commands.end_tenure(fac, members[("east", 4)].id, {"on": "2021-04-01"})
    commands.appoint_member(fac, {"name_latin": "UN monitor", "role": "monitor"})
    commands.suspend_participation(fac, "east", {"since": "2022-01-10", "reason": "salaries"})
    commands.resume_participation(fac, "east", {"on": "2022-02-01"})
    witnesses = []
    for party in ("west", "east"):
        skey, vkey = note.generate_cosigner_key(f"walk-{party}-witness")
        commands.register_witness_key(a[f"{party}-head"], {"party": party, "vkey": vkey})
        witnesses.append((skey, vkey))
    # each witness cosigns a checkpoint: the cosignatures kept are entries too (checkpoint.cosigned)
    cp = checkpoints.sign_now()
    for skey, vkey in witnesses:
        line = note.cosign(note.parse_note(cp.note)[0], skey, int(time.time()))
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])

    agreement = agreements.record_agreement(fac, {"title": "Ceasefire agreement", "signed_on": "2020-10-23"})
    provision = agreements.add_provision(
        fac, agreement.id, {"number": "2", "text": "Foreign forces leave.", "deadline_months": 3}
    )
    agreements.add_interpretation(a["west-head"], provision.id, {"reading": "All foreign forces."})
    # how far it is implemented: what each party put forward, and each party's position, are the
    # parties'; the committee's agreed status (its reasoning, evidence and source) is the observers' too
    agreements.record_condition(
        fac, provision.id, {"condition": "A unified government takes office", "status": "unknown"}
    )
    rival = agreements.propose_assessment(
        a["west-head"],
        provision.id,
        {
            "status": 0,
            "as_of": "2021-01-23",
            "reasoning": p.party("assessreasoning"),
            "source": p.party("assesssource"),
            "evidence": [f"https://example.org/{p.party('assessevidence')}"],
        },
    )
    agreements.take_position(a["east-head"], rival.id, {"position": "object", "reason": p.party("assessobject")})
    agreed = agreements.propose_assessment(
        fac,
        provision.id,
        {
            "status": 1,
            "as_of": "2021-02-01",
            "reasoning": p.observer("agreedreasoning"),
            "source": p.observer("agreedsource"),
            "evidence": [f"https://example.org/{p.observer('agreedevidence')}"],
        },
    )
    for head in ("west-head", "east-head"):
        agreements.take_position(a[head], agreed.id, {"position": "approve", "reason": p.party(f"assessapprove{head}")})

    # a past meeting: its minutes, agenda, the parties' positions and action items are the parties'
    past = commands.record_meeting(
        fac,
        {
            "title": "Fourth round",
            "starts_on": "2020-10-19",
            "ends_on": "2020-10-23",
            "city": "Geneva",
            "country": "Switzerland",
        },
    )
    seated = [m.id for (party, seat), m in members.items() if seat <= 3]
    commands.record_attendance(fac, past.id, {"present": seated})
    commands.add_agenda_item(fac, past.id, {"title": p.party("agendatitle")})
    commands.record_minutes(fac, past.id, {"minutes_en": p.party("minutes")})
    adopted = commands.record_decision(fac, past.id, {"text": p.observer("decisiontext")})
    pending = commands.record_decision(fac, past.id, {"text": p.observer("pendingtext")})
    # a translation is the parties' alone, whatever it translates (translations/subjects.py)
    translations.translate(
        a["east-member"],
        "decision",
        adopted.id,
        {"field": "text", "lang": "ar", "text": "ترجمة سرية للأطراف وحدهم " + p.party("translation")},
    )
    commands.take_position(a["west-head"], adopted.id, {"position": "approve", "reason": p.party("reasonwest")})
    commands.take_position(a["east-head"], adopted.id, {"position": "approve", "reason": p.party("reasoneast")})
    commands.take_position(a["east-head"], pending.id, {"position": "object", "reason": p.party("reasonobject")})
    # a decision the facilitator published: the public reads its copy, never who said what
    shown = commands.record_decision(fac, past.id, {"text": "Published decision: the coastal road reopens"})
    for head in ("west-head", "east-head"):
        commands.take_position(a[head], shown.id, {"position": "approve", "reason": p.party(f"pubreason{head}")})
    publications.publish(fac, {"subject": "decision", "id": shown.id})
    item = commands.add_action_item(
        fac,
        past.id,
        {"text": p.party("actiontext"), "owner": p.party("actionowner"), "owner_party": "west", "decision": adopted.id},
    )
    commands.set_action_status(a["west-head"], item.id, {"status": "in_progress", "note": p.party("actionnote")})

    # reports: the typology and a stage target are public
    incidents.adopt_default_typology(fac)
    incidents.set_stage_target(fac, {"stage": "received", "days": 3})
    team = [a["west-member"], a["east-member"]]
    team_names = [ACCOUNTS["west-member"][2], ACCOUNTS["east-member"][2]]

    def file(who, tag, read_as=p.party, **changes):
        return incidents.file_report(
            a[who],
            {
                **REPORT,
                "title": read_as(f"title{tag}"),
                "narrative": read_as(f"narrative{tag}"),
                "source_en": p.party(f"source{tag}"),
                "casualties": [
                    {"kind": "injured", "group": "civilian", "count": 2, "source": p.party(f"casualtysource{tag}")}
                ],
                **changes,
            },
        )

    def to_findings(r, tag, read_as=p.party, draft_read_as=p.party):
        """`read_as`: who may read what the team wrote; `draft_read_as`: its attribution and recommendations."""
        incidents.triage(fac, r.id, {"decision": "admissible"})
        incidents.task_team(fac, r.id, {"team": team_names, "instructions": read_as(f"instructions{tag}")})
        _investigate(team, r)
        findings = {
            "findings": [
                {
                    "allegation": read_as(f"allegation{tag}"),
                    "result": "violation",
                    "attributed_to": "east",
                    "attributed_unit": draft_read_as(f"unit{tag}"),
                    "reasoning": read_as(f"reasoning{tag}"),
                    "recommendations": [
                        {
                            "addressee_party": "east",
                            "addressee_en": draft_read_as(f"addressee{tag}"),
                            "text": draft_read_as(f"rec{tag}"),
                            "due_on": "2031-04-01",
                        }
                    ],
                }
            ]
        }
        return incidents.draft_findings(a["west-member"], r.id, findings)

    def sign(r, who, agrees, reasons=""):
        return incidents.sign_findings(who, r.id, {"agrees": agrees, "reasons": reasons, "draft": _draft(r)})

    # never shared: everything of it is the parties', its protected source the facilitator's
    kept = file("west-member", "kept", source_identity={"name": "Hamid the shepherd"})
    witness = incidents.protect_identity(fac, kept.id, {"identity": {"name": "A witness", "relation": "witness"}})
    incidents.erase_identity(fac, witness.id, {"reason": "asked to be forgotten"})
    incidents.triage(fac, kept.id, {"decision": "outside_mandate", "reason": p.party("triagereason")})

    # awaiting triage: the queue and its duplicate candidates (kept among them) are the facilitator's
    file("east-member", "pending")

    # shared with observers while its findings are a draft: its narrative is theirs (not the
    # public's); its source, casualty sources, evidence, attribution and recommendations are not
    shared = file("monitor", "shared", read_as=p.observer)
    to_findings(shared, "shared", read_as=p.observer)
    incidents.add_evidence(
        a["west-member"],
        shared.id,
        [b"%PDF-1.4\n%%EOF\n"],
        "statement.pdf",
        "application/pdf",
        {"description": p.party("evidencedescription")},
    )
    incidents.record_evidence_access(a["east-member"], Evidence.objects.get(report=shared).id, "view")
    incidents.set_visibility(fac, shared.id, {"visibility": "observers"})

    # disputed before any meeting ahead is recorded: the meeting recorded next takes it up
    settled = to_findings(file("east-member", "settled"), "settled")
    sign(settled, a["west-member"], True)
    sign(settled, a["east-member"], False, p.party("dissentsettled"))
    ended = to_findings(file("west-member", "ended"), "ended")
    sign(ended, a["west-member"], True)
    sign(ended, a["east-member"], False, p.party("dissentended"))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    ahead = commands.record_meeting(
        fac, {"title": "This round", "starts_on": today, "city": "Sirte", "country": "Libya"}
    )
    commands.record_attendance(fac, ahead.id, {"present": seated})
    incidents.propose_settlement(fac, settled.id, {"text": p.observer("settlementtext")})
    settled.refresh_from_db()
    for head in ("west-head", "east-head"):
        commands.take_position(
            a[head], settled.decision_id, {"position": "approve", "reason": p.party(f"settle{head}")}
        )
    incidents.settle(fac, settled.id, {"note": p.party("closingsettled")})
    incidents.propose_settlement(fac, ended.id, {"text": p.observer("endedtext")})
    ended.refresh_from_db()
    commands.take_position(a["west-head"], ended.decision_id, {"position": "approve"})
    commands.take_position(a["east-head"], ended.decision_id, {"position": "object", "reason": p.party("objectended")})
    incidents.record_disagreement(fac, ended.id, {"note": p.party("closingended")})

    # concluded, kept with the parties: its recommendation's follow-up is theirs too
    concluded = to_findings(file("west-member", "concluded"), "concluded")
    for who in (a["west-member"], a["east-member"], fac):
        sign(concluded, who, True)
    [rec] = Recommendation.objects.filter(report=concluded)
    incidents.set_recommendation_status(a["east-head"], rec.id, {"status": "in_progress", "note": p.party("recnote")})

    # concluded and published: the public reads it, never how its source is described or who signed
    def everyone(tag):
        return f"published {tag}"

    published = to_findings(file("east-member", "published", read_as=everyone), "published", everyone, everyone)
    for who in (a["west-member"], a["east-member"], fac):
        sign(published, who, True)
    incidents.set_visibility(fac, published.id, {"visibility": "public"})

    # coverage: the mission's record stays with the parties; a party's claim shared with observers
    # (its note is theirs, how its source is described never)
    coverage.record_coverage(
        a["monitor"],
        {
            "kind": "deployed",
            "area": "Sirte",
            "starts_on": "2021-01-01",
            "ends_on": "2021-01-09",
            "source": p.party("coveragesource"),
            "note": p.party("coveragenote"),
        },
    )
    claim = coverage.record_coverage(
        a["west-head"],
        {
            "kind": "denied",
            "area": "Sirte",
            "starts_on": "2021-01-20",
            "ends_on": "2021-01-22",
            "denied_by": "east",
            "source": p.party("claimsource"),
            "note": p.observer("claimnote"),
        },
    )
    coverage.share_coverage(fac, claim.id, {"visibility": "observers"})

    # a situation report issued for the parties: the public reads that it was, and its hash, never its figures
    signed = checkpoints.sign_now()
    sitrep.issue(
        fac,
        {
            "period": "2021-01",
            "language": "en",
            "audience": "parties",
            "size": signed.size,
            "root": base64.b64encode(bytes(signed.root)).decode(),
            "sha256": "0" * 64,
        },
    )

    # the committee's layers: every version put forward, and each party's position on it, are the
    # parties'; a binding version (its note, its source, its features' names) is the observers' too;
    # the public reads no layer, nor which zone a report lies in
    def area(name):
        ring = [[15.0, 31.0], [16.0, 31.0], [16.0, 32.0], [15.0, 32.0], [15.0, 31.0]]
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name_en": name},
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            ],
        }

    bound = zones.propose_version(
        a["west-head"],
        {
            "layer": "walk-area",
            "kind": "buffer_zone",
            "name_en": p.observer("layername"),
            "geojson": area(p.observer("featurename")),
            "note_en": p.observer("layernote"),
            "source": p.observer("layersource"),
            "effective_from": "2021-01-01",
        },
    )
    zones.take_position(a["east-head"], bound.id, {"position": "approve", "reason": p.party("layerapprove")})
    disputed = zones.propose_version(
        a["east-head"],
        {"layer": "walk-area", "geojson": area(p.party("disputedfeature")), "note_en": p.party("disputednote")},
    )
    zones.take_position(a["west-head"], disputed.id, {"position": "object", "reason": p.party("layerobject")})
    zones.propose_version(
        fac,
        {
            "layer": "walk-unbound",
            "kind": "crossings",
            "name_en": p.party("unboundname"),
            "geojson": {"type": "Point", "coordinates": [15.5, 31.5]},
        },
    )

    _forces(p, a, fac)
    _routes(p, a, fac)
    _exchanges(p, a, fac)
    _missing(p, a, fac)
    _mines(p, a, fac)
    return {"users": users, "shared": shared}


def _forces(p: Planted, a: dict, fac: Actor) -> None:
    """Foreign forces: a group and a departure are the observers' (how a source describes them too;
    an informant stays in the vault); presence claims, each party's word on its side of a stage,
    a pending proposal to record an imbalance and the positions on it are the parties'. The plan
    and its stages are public; a recorded imbalance is the observers', from its own entry."""
    from ceasefire.forces import commands as forces

    group = forces.register_group(
        a["west-head"],
        {
            "kind": "pmc",
            "name_en": p.observer("groupname"),
            "sponsor_en": p.observer("groupsponsor"),
            "source": p.observer("groupsource"),
        },
    )
    forces.claim_presence(
        a["east-member"],
        group.id,
        {
            "place_name": p.party("presenceplace"),
            "from_on": "2021-02-01",
            "best": 1000,
            "confidence": "medium",
            "source": p.party("presencesource"),
            "informant": {"name": "Informant kept in the vault"},
        },
    )
    departure = forces.claim_departure(
        a["west-member"],
        group.id,
        {
            "claimed": 300,
            "departed_on": "2021-11-11",
            "place": "icao:HLGD",
            "destination_en": p.observer("destination"),
            "confidence": "low",
            "source": p.observer("departuresource"),
        },
    )
    verification = forces.request_verification(a["west-head"], departure.id, {"note": p.party("verificationnote")})
    incidents.triage(fac, verification.id, {"decision": "admissible"})
    plan = forces.record_plan(fac, {"title": "published plan", "agreed_on": "2021-10-08", "source": "published source"})
    balanced = forces.add_stage(fac, plan.id, {"title": "published stage one", "source": "published"})
    for head in ("west-head", "east-head"):
        forces.report_side(
            a[head],
            balanced.id,
            {
                "complete": True,
                "as_of": "2021-12-01",
                "note": p.party(f"sidenote{head}"),
                "source": p.party(f"sidesource{head}"),
            },
        )
    recorded = forces.add_stage(fac, plan.id, {"title": "published stage two", "source": "published"})
    imbalance = forces.propose_imbalance(a["west-head"], recorded.id, {"text": p.observer("recordedimbalance")})
    forces.take_imbalance_position(
        a["east-head"], imbalance.id, {"position": "approve", "reason": p.party("imbalancereason")}
    )
    pending = forces.add_stage(fac, plan.id, {"title": "published stage three", "source": "published"})
    forces.propose_imbalance(fac, pending.id, {"text": p.party("pendingimbalance")})


def _routes(p: Planted, a: dict, fac: Actor) -> None:
    """Roads and crossings: a route is public; the statuses put forward and the positions on them
    are the parties'; the committee's status is the observers', from its own entry, as is an
    export made for a neighbour's liaison committee."""
    from ceasefire.routes import commands as routes
    from ceasefire.routes import share

    road = routes.record_route(
        fac,
        {
            "kind": "road",
            "name_en": "published coastal road",
            "places": ["osm:n5431087789", "osm:n299616414"],
            "source": "published",
        },
    )
    routes.record_route(
        fac,
        {
            "kind": "crossing",
            "name_en": "published crossing",
            "places": ["site:tumu-crossing"],
            "neighbour": "niger",
            "source": "published",
        },
    )
    agreed = routes.claim_status(
        a["west-head"],
        road.id,
        {
            "status": "restricted",
            "since": "2021-07-30",
            "conditions_en": p.observer("roadconditions"),
            "ordered_by_en": p.observer("roadorderedby"),
            "source": p.observer("roadsource"),
        },
    )
    routes.take_position(a["east-head"], agreed.id, {"position": "approve", "reason": p.party("roadapprove")})
    rival = routes.claim_status(
        a["east-head"],
        road.id,
        {
            "status": "closed",
            "since": "2022-04-09",
            "conditions_en": p.party("rivalconditions"),
            "source": p.party("rivalsource"),
        },
    )
    routes.take_position(a["west-head"], rival.id, {"position": "object", "reason": p.party("rivalobject")})
    share.share(fac, {"recipient": "niger", "format": "csv"})


def _exchanges(p: Planted, a: dict, fac: Actor) -> None:
    """Detainee exchanges: an exchange and the numbers claimed are the observers' with their
    sources; a person exchanged is the parties' (a commitment), the identity in the vault."""
    from ceasefire.exchanges import commands as exchanges

    x = exchanges.record_exchange(
        a["west-member"],
        {
            "happened_on": "2020-12-25",
            "place": "osm:n1193620130",
            "mediators_en": p.observer("mediators"),
            "source": p.observer("exchangesource"),
        },
    )
    exchanges.claim_numbers(
        a["east-head"], x.id, {"released": {"west": 15, "east": 33}, "source": p.observer("numbersource")}
    )
    exchanges.record_person(fac, x.id, {"released_by": "east", "identity": {"name": "Detainee kept in the vault"}})
    exchanges.request_verification(a["west-head"], x.id, {})


def _missing(p: Planted, a: dict, fac: Actor) -> None:
    """Missing persons: a case, its statuses and the positions are the parties'; the committee's
    status is the observers' too (case, status, day, nothing else); the identity is in the vault."""
    from ceasefire.missing import commands as missing

    case = missing.open_case(
        a["east-member"],
        {
            "missing_since": "2020-06-05",
            "place": "osm:n1193620130",
            "circumstances_en": p.party("missingcircumstances"),
            "source": p.party("missingsource"),
            "identity": {"name": VAULT[0], "contact": VAULT[1]},
        },
    )
    agreed = missing.claim_status(
        a["west-head"],
        case.id,
        {"status": "located_alive", "as_of": "2021-01-10", "note_en": p.party("missingnote"), "source": "s"},
    )
    missing.take_position(a["east-head"], agreed.id, {"position": "approve", "reason": p.party("missingapprove")})
    rival = missing.claim_status(
        fac, case.id, {"status": "found_dead", "as_of": "2021-02-01", "note_en": p.party("missingrival"), "source": "s"}
    )
    missing.take_position(a["east-head"], rival.id, {"position": "object", "reason": p.party("missingobject")})
    missing.open_case(
        a["west-member"],
        {
            "missing_since": "2019-04-04",
            "place_name_en": p.party("missingunagreed"),
            "source": "s",
            "identity": {"name": "n"},
        },
    )


def _mines(p: Planted, a: dict, fac: Actor) -> None:
    """Mine action: an area and a clearance report are the observers' with their sources."""
    from ceasefire.mines import commands as mines

    area = mines.record_area(
        a["east-member"],
        {"name_en": p.observer("minearea"), "place": "osm:n1185649367", "source": p.observer("minesource")},
    )
    clearance = mines.report_clearance(
        a["west-head"],
        area.id,
        {"status": "partly", "as_of": "2021-04-01", "extent_en": p.observer("mineextent"), "source": "s"},
    )
    mines.request_verification(a["east-head"], clearance.id, {"note": p.party("minenote")})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    planted = Planted()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build(planted)
            built["planted"] = planted
            built["tokens"] = {who: create_token(u, "walk") for who, u in built["users"].items()}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---------------------------------------------------------------- what is walked


def api_paths() -> list[str]:
    """Every GET operation of the OpenAPI schema, its path filled with every real id."""
    ids = {
        "member_id": Member.objects.values_list("id", flat=True),
        "agreement_id": Agreement.objects.values_list("id", flat=True),
        "provision_id": Provision.objects.values_list("id", flat=True),
        "assessment_id": Assessment.objects.values_list("id", flat=True),
        "meeting_id": Meeting.objects.values_list("id", flat=True),
        "decision_id": Decision.objects.values_list("id", flat=True),
        "action_item_id": ActionItem.objects.values_list("id", flat=True),
        "report_id": Report.objects.values_list("id", flat=True),
        "evidence_id": Evidence.objects.values_list("id", flat=True),
        "incident_id": Incident.objects.values_list("id", flat=True),
        "layer": Layer.objects.values_list("code", flat=True),
        "group_id": ForceGroup.objects.values_list("id", flat=True),
        "departure_id": Departure.objects.values_list("id", flat=True),
        "plan_id": Plan.objects.values_list("id", flat=True),
        "stage_id": Stage.objects.values_list("id", flat=True),
        "imbalance_id": Imbalance.objects.values_list("id", flat=True),
        "route_id": Route.objects.values_list("id", flat=True),
        "exchange_id": Exchange.objects.values_list("id", flat=True),
        "area_id": MineArea.objects.values_list("id", flat=True),
        "clearance_id": Clearance.objects.values_list("id", flat=True),
        "claim_id": StatusClaim.objects.values_list("id", flat=True),
        "case_id": MissingCase.objects.values_list("id", flat=True),
    }
    size = log.size()
    query = {
        "/api/v1/record/events": "?limit=1000",
        "/api/v1/record/proof/inclusion": f"?index=1&size={size}",
        "/api/v1/record/proof/consistency": f"?first=1&second={size}",
    }
    out = []
    # the map: the clusters of the whole country, and every cluster holding a report, at a middle zoom
    query["/api/v1/map/clusters"] = "?bbox=9,19,26,34&zoom=5"
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path == "/api/v1/map/cluster":
            out += [f"{path}?zoom={MAP_ZOOM}&cell={cell}" for cell in map_cells()]
            continue
        if "get" not in operations:
            continue
        params = [p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "path"]
        if params == ["layer", "number"]:  # a version of a layer: every one
            out += [
                path.replace("{layer}", v.layer_id).replace("{number}", str(v.number))
                for v in LayerVersion.objects.all()
            ]
            continue
        assert len(params) <= 1, path
        if not params:
            out.append(path + query.get(path, ""))
            continue
        [name] = params
        assert name in ids, f"{path}: say which rows fill {{{name}}}"
        values = list(ids[name])
        assert values, f"{path}: the history has no row for {{{name}}}"
        out += [path.replace("{" + name + "}", str(v)) for v in values]
    return out


MAP_ZOOM = 8


def map_cells() -> list[int]:
    """The cells at MAP_ZOOM of every report with coordinates (places/grid.py)."""
    from ceasefire.places import grid

    cells = Report.objects.filter(map_cell__isnull=False).values_list("map_cell", flat=True)
    return sorted({c >> grid.shift(MAP_ZOOM) for c in cells})


def page_paths() -> list[str]:
    """Every page of web/urls.py, filled with every real row."""
    by_pk = {
        "member_replace": Member,
        "member_end": Member,
        "agreement": Agreement,
        "provision_new": Agreement,
        "interpretation_new": Provision,
        "action_status": ActionItem,
        "evidence": Evidence,
        "provision": Provision,
        "assessment_new": Provision,
        "condition_new": Provision,
        "assessment_position": Assessment,
        "agreement_implementation": Agreement,
        "identity_erase": IdentityCommitment,
        "recommendation_status": Recommendation,
        "coverage_visibility": Coverage,
        "force_group": ForceGroup,
        "presence_new": ForceGroup,
        "departure_new": ForceGroup,
        "departure": Departure,
        "departure_verify": Departure,
        "stage_side": Stage,
        "stage_imbalance": Stage,
        "imbalance_position": Imbalance,
        "layer_version_by_id": LayerVersion,
        "route": Route,
        "exchange": Exchange,
        "mine_area": MineArea,
        "clearance_new": MineArea,
        "clearance_verify": Clearance,
        "exchange_numbers_new": Exchange,
        "exchange_person_new": Exchange,
        "exchange_verify": Exchange,
        "route_status_new": Route,
        "route_status_position": StatusClaim,
        "missing_case": MissingCase,
        "missing_status_new": MissingCase,
        "missing_status_position": MissingStatus,
    }
    out = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        params = set(pattern.pattern.converters)
        name = pattern.name
        if name == "map_cluster":  # a cluster's reports: each cell holding a report
            out += [f"{reverse(name)}?zoom={MAP_ZOOM}&cell={cell}" for cell in map_cells()]
        elif not params:
            out.append(reverse(name))
        elif params == {"ref"} and name.startswith("meeting"):
            out += [reverse(name, args=[m.reference]) for m in Meeting.objects.all()]
        elif params == {"ref"} and name.startswith(("report", "public_report")):
            out += [reverse(name, args=[r.reference]) for r in Report.objects.all()]
        elif params == {"ref"} and name == "incident":
            out += [reverse(name, args=[i.reference]) for i in Incident.objects.all()]
        elif params == {"ref", "number"}:
            out += [
                reverse(name, args=[d.meeting.reference, d.number]) for d in Decision.objects.select_related("meeting")
            ]
        elif params == {"layer"}:
            out += [reverse(name, args=[code]) for code in Layer.objects.values_list("code", flat=True)]
        elif params == {"layer", "number"}:
            out += [reverse(name, args=[v.layer_id, v.number]) for v in LayerVersion.objects.all()]
        elif params == {"seq"}:  # an event's page: one of each type (each type has one audience)
            first = Event.objects.values("type").annotate(seq=Min("seq")).values_list("seq", flat=True)
            out += [reverse(name, args=[seq]) for seq in sorted(first)]
        elif params == {
            "period"
        }:  # a situation report: the month of the published report (its PDF once, the slowest page)
            months = {r.occurred_at.strftime("%Y-%m") for r in Report.objects.filter(visibility="public")}
            out += [reverse(name, args=[m]) for m in sorted(months)][:1]
        elif params == {"sha256"}:
            out += [reverse(name, args=[sha]) for sha in Issued.objects.values_list("sha256", flat=True)]
        elif params == {"code"}:
            out += [reverse(name, args=[code]) for code in ("west", "east")]
        elif params == {"goal"}:  # the military track: each goal's page
            from ceasefire.forces.track import GOALS

            out += [reverse(name, args=[goal]) for goal in GOALS]
        elif params == {"subject", "pk", "field"}:  # giving a text in its other language: each kind of text
            from ceasefire.translations.subjects import SUBJECTS

            for code, subject in SUBJECTS.items():
                first = subject.model.objects.values_list("pk", flat=True).first()
                out += [reverse(name, args=[code, first, field]) for field in subject.fields if first is not None]
        elif params == {"subject", "pk"}:  # publishing for the public: each adopted decision, each agreed status
            from ceasefire.agreements.models import AgreedStatus

            out += [
                reverse(name, args=["decision", pk])
                for pk in Decision.objects.filter(adopted=True).values_list("pk", flat=True)
            ]
            out += [
                reverse(name, args=["agreed_status", pk]) for pk in AgreedStatus.objects.values_list("pk", flat=True)
            ]
        elif params == {"pk"}:
            assert name in by_pk, f"{name}: say which rows fill <pk>"
            rows = by_pk[name].objects.values_list("pk", flat=True)
            if by_pk[name] is Member:  # every member is read by the same audience: two will do
                rows = rows[:2]
            out += [reverse(name, args=[pk]) for pk in rows]
        else:
            raise AssertionError(f"{name}: say how to fill {sorted(params)}")
    return out


IMPORTED = b"event_id_cnty,event_date,event_type,location\nLBY1,2021-03-01,Battles,Sirte\n"


def walk(world, who: str) -> dict[str, str]:
    """path -> the answer's text, for every API operation and page, as `who` reads them."""
    token = world["tokens"].get(who)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    api_client, page_client = Client(), Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        signed_in(page_client, world["users"][who])
    answers = {}
    for path in api_paths():
        answers[path] = _text(api_client.get(path, headers=headers))
    # The one POST that answers what it found: an import's dry run says which rows the record holds
    # already. Only the facilitator may; the others are refused before the file is read.
    file = SimpleUploadedFile("acled.csv", IMPORTED, content_type="text/csv")
    data = {"file": file, "format": "acled", "dry_run": "true"}
    answers["POST /api/v1/reports/import"] = _text(api_client.post("/api/v1/reports/import", data, headers=headers))
    for path in page_paths():
        answers[path] = _text(page_client.get(path))
    return answers


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == XLSX:  # a zip archive: search its cells, not its compressed bytes
        return _cells(body)
    return body.decode(errors="replace")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(body: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    props = book.properties
    lines = [" ".join(str(v) for v in (props.title, props.description, props.creator, props.subject) if v)]
    for sheet in book.worksheets:
        lines += ["\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return "\n".join(lines)


def usernames(but: str = "") -> set[str]:
    return {name for who, (_role, _party, name) in ACCOUNTS.items() if who != but}


def leaks(answers: dict[str, str], secrets: set[str], names: set[str]) -> list[tuple[str, str]]:
    found = [(path, s) for path, text in answers.items() for s in secrets if s in text]
    found += [(path, n) for path, text in answers.items() for n in names if n in text]
    return sorted(found)


# ---------------------------------------------------------------- the tests


@pytest.mark.django_db
def test_the_history_holds_every_event_type(world):
    made = set(Event.objects.values_list("type", flat=True))
    assert set(log._projectors) - made == set(), "add the new event type to this history"


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDE)
def test_nothing_of_the_parties_reaches_observers_or_the_public(world, who):
    planted = world["planted"]
    answers = walk(world, who)
    secrets = planted.parties | set(VAULT) | (planted.observers if who == "anonymous" else set())
    own = ACCOUNTS[who][2] if who in ACCOUNTS else ""
    found = leaks(answers, secrets, usernames(but=who) - {own})
    assert not found, "\n".join(f"{path}: {s}" for path, s in found)
    if who == "observer":  # what is theirs reaches them
        seen = "".join(answers.values())
        assert {s for s in planted.observers if s not in seen} == set()


@pytest.mark.django_db
@pytest.mark.parametrize("who", PARTIES)
def test_the_parties_read_it_all(world, who):
    planted = world["planted"]
    seen = "".join(walk(world, who).values())
    acted = usernames(but="observer")
    assert {s for s in planted.parties | planted.observers | acted if s not in seen} == set()
    assert [s for s in VAULT if s in seen] == []


@pytest.mark.django_db
def test_the_walk_reaches_the_triage_queue_with_candidates_of_the_parties(world):
    """The triage queue and the duplicate candidates are walked, and hold reports only the parties
    read: were they shown to anyone but the facilitator, the walk would find them."""
    from ceasefire.incidents import duplicates

    fac = Actor(ACCOUNTS["facilitator"][2], role="facilitator")
    shown = [c.report for _r, found in duplicates.awaiting_triage(fac) for c in found]
    assert any(r.visibility == "parties" for r in shown)
    paths = api_paths()
    assert "/api/v1/reports/awaiting-triage" in paths
    assert any(p.endswith("/duplicates") for p in paths)
    assert reverse("reports_triage") in page_paths()
