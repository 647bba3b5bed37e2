"""Every endpoint of the API, as the permission matrix and the bad-input tests walk them."""

import datetime as dt

from ceasefire.incidents import commands as incidents
from ceasefire.incidents.models import Report
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Meeting
from ceasefire.record import note
from tests.helpers import hold
from tests.samples import FINDINGS, INVESTIGATION, REPORT, TEAM  # noqa: F401  (the tests take them from here)

READS = [
    "/me",
    "/me/needs",
    "/mechanism",
    "/members",
    "/members?current=false",
    "/members/{west-head}",
    "/agreements",
    "/agreements/{agreement}",
    "/agreements/{agreement}/provisions",
    "/provisions/{provision}",
    "/provisions/{provision}/assessments",
    "/agreements/{agreement}/implementation",
    "/meetings",
    "/meetings/{meeting}",
    "/meetings/{meeting}/decisions",
    "/decisions/{decision}",
    "/meetings/{meeting}/action-items",
    "/action-items",
    "/action-items?status=open",
    "/action-items/{item}",
    "/record/events",
    "/record/events?after=2&limit=3",
]

# What anyone reads, without login: a login reads it too, with its own audience (entries).
# path -> the content type of the answer
PUBLIC_READS = {
    "/record/checkpoint": "text/plain",
    "/record/log-key": "text/plain",
    "/record/proof/inclusion?index=2&size=5": "application/json",
    "/record/proof/consistency?first=2&second=5": "application/json",
    "/record/proof/consistency?first=0&second=5": "application/json",
    "/record/entries": "application/json",
    "/record/entries?start=2&end=6": "application/json",
    "/mechanism/witness-keys": "application/json",
    "/places?q=sirte": "application/json",
}


def fill(path: str, committee) -> str:
    ids = {
        "agreement": committee.agreement.id,
        "provision": committee.provision.id,
        "meeting": committee.meeting.id,
        "decision": committee.decision.id,
        "item": committee.item.id,
        **{name: m.id for name, m in committee.members.items()},
        **({"assessment": committee.assessment.id} if hasattr(committee, "assessment") else {}),
    }
    for key, value in ids.items():
        path = path.replace("{" + key + "}", str(value))
    assert "{" not in path, path
    return path


def assessment_before_the_parties(actors, committee):
    """An assessment the facilitator put forward, on which no party has spoken: committee.assessment."""
    from ceasefire.agreements import commands as agreements

    committee.assessment = agreements.propose_assessment(actors["facilitator"], committee.provision.id, ASSESSMENT)


ASSESSMENT = {
    "status": 1,
    "as_of": "2021-01-23",
    "reasoning": "Some units returned to their camps.",
    "source": "statement",
}


def suspend_west(actors, committee):
    commands.suspend_participation(actors["facilitator"], "west", {"since": "2021-01-01"})


# A witness's verifier key, made as `ceasefire keys generate` makes it.
WITNESS_VKEY = note.generate_cosigner_key("jmc-test-witness")[1]

# path, body, {role: success status} (every other role: 403), preparation
WRITES = {
    "appoint": (
        "/members",
        {"name_latin": "New officer", "role": "member", "party": "east", "seat": 4},
        {"facilitator": 201},
        None,
    ),
    "replace": (
        "/members/{west-2}/replace",
        {"on": "2021-01-01", "successor": {"name_latin": "Successor"}},
        {"facilitator": 201},
        None,
    ),
    "leave": ("/members/{west-3}/leave", {"on": "2021-01-01"}, {"facilitator": 200}, None),
    "suspend": (
        "/parties/west/suspend",
        {"since": "2021-01-01", "reason": "walk-out"},
        {"facilitator": 200, "west-head": 200},
        None,
    ),
    "resume": ("/parties/west/resume", {"on": "2021-02-01"}, {"facilitator": 200, "west-head": 200}, suspend_west),
    "agreement": ("/agreements", {"title": "Addendum"}, {"facilitator": 201}, None),
    "provision": (
        "/agreements/{agreement}/provisions",
        {"number": "9", "text": "Open the road"},
        {"facilitator": 201},
        None,
    ),
    "interpretation": (
        "/provisions/{provision}/interpretations",
        {"held_by": "UNSMIL", "reading": "As soon as possible"},
        {"facilitator": 201, "west-head": 201, "east-head": 201},
        None,
    ),
    "meeting": (
        "/meetings",
        {
            "title": "Ghadames",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-04",
            "city": "Ghadames",
            "country": "Libya",
        },
        {"facilitator": 201},
        None,
    ),
    "attendance": ("/meetings/{meeting}/attendance", {"present": []}, {"facilitator": 200}, None),
    "agenda": ("/meetings/{meeting}/agenda", {"title": "Foreign forces"}, {"facilitator": 201}, None),
    "minutes": ("/meetings/{meeting}/minutes", {"minutes": "The committee met."}, {"facilitator": 200}, None),
    "decision": ("/meetings/{meeting}/decisions", {"text": "Exchange detainees"}, {"facilitator": 201}, None),
    "position": (
        "/decisions/{decision}/positions",
        {"position": "approve"},
        {"west-head": 200, "east-head": 200},
        None,
    ),
    "action-item": (
        "/meetings/{meeting}/action-items",
        {"text": "Map the mines", "owner_party": "east"},
        {"facilitator": 201},
        None,
    ),
    "action-status": (
        "/action-items/{item}/status",
        {"status": "in_progress"},
        {"facilitator": 200, "west-head": 200, "west-member": 200},
        None,
    ),
    "witness-key": ("/mechanism/witness-keys", {"party": "west", "vkey": WITNESS_VKEY}, {"west-head": 201}, None),
    "mission-witness-key": ("/mechanism/witness-keys", {"vkey": WITNESS_VKEY}, {"facilitator": 201}, None),
    "assessment": (
        "/provisions/{provision}/assessments",
        {**ASSESSMENT, "evidence": ["https://example.org/report"]},
        {"facilitator": 201, "west-head": 201, "east-head": 201},
        None,
    ),
    "assessment-position": (
        "/assessments/{assessment}/positions",
        {"position": "object", "reason": "No departures yet"},
        {"west-head": 200, "east-head": 200},
        assessment_before_the_parties,
    ),
    "condition": (
        "/provisions/{provision}/condition",
        {"condition": "A unified government takes office", "status": "unknown", "source": "L2"},
        {"facilitator": 201},
        None,
    ),
}


# For the bad-input tests: which text field of each write to make huge (and the field the error
# names), and which path segment is an id to break.
HUGE = {
    "appoint": ("name_latin", "name_latin"),
    "replace": ("successor.name_latin", "successor.name_latin"),
    "leave": ("on", "on"),
    "suspend": ("reason", "reason"),
    "resume": ("on", "on"),
    "agreement": ("title", "title"),
    "provision": ("text", "text"),
    "interpretation": ("reading", "reading"),
    "meeting": ("title", "title"),
    "attendance": ("present", "present"),
    "agenda": ("title", "title"),
    "minutes": ("minutes", "minutes"),
    "decision": ("text", "text"),
    "position": ("reason", "reason"),
    "action-item": ("text", "text"),
    "action-status": ("note", "note"),
    "witness-key": ("vkey", "vkey"),
    "mission-witness-key": ("vkey", "vkey"),
    "assessment": ("reasoning", "reasoning"),
    "assessment-position": ("reason", "reason"),
    "condition": ("condition", "condition"),
}
assert set(HUGE) == set(WRITES)

# The id in the path of a write, and the field an error about it names.
PATH_IDS = {
    "{west-2}": "member",
    "{west-3}": "member",
    "{agreement}": "agreement",
    "{provision}": "provision",
    "{meeting}": "meeting",
    "{decision}": "decision",
    "{item}": "action_item",
    "{assessment}": "assessment",
}


def writer(write: str) -> str:
    """A role that may make this write, so that what fails is the input, not the permission."""
    allowed = WRITES[write][2]
    return "facilitator" if "facilitator" in allowed else next(iter(allowed))


def with_field(body: dict, dotted: str, value) -> dict:
    """A copy of body with body[a][b] = value for dotted "a.b"."""
    body = {**body}
    head, _, rest = dotted.partition(".")
    body[head] = with_field(body.get(head) or {}, rest, value) if rest else value
    return body


# ---------------------------------------------------------------- reports and the verification chain

# The committee's next meeting: a dispute goes on its agenda.
# Held today: a dispute goes on its agenda, and each party's quorum can be recorded present.
NEXT_MEETING = {"title": "Next round", "starts_on": dt.date.today().isoformat(), "city": "Sirte", "country": "Libya"}

# The stages a report passes through, in order, and the step that takes it into each.
CHAIN = ["received", "inquiry", "tasked", "investigated", "findings"]


def file_report(actors, who: str = "west-member", **changes):
    return incidents.file_report(actors[who], {**REPORT, **changes})


def advance(actors, report_id: int, stage: str):
    """Take a received report along the chain to `stage` through the commands: the team is
    west-member and east-member; "disputed" is reached by east-member's dissent (on the agenda
    of the next meeting), "concluded" by every side agreeing."""
    f = actors["facilitator"]
    steps = {
        "inquiry": lambda: incidents.triage(f, report_id, {"decision": "admissible"}),
        "tasked": lambda: incidents.task_team(f, report_id, {"team": TEAM}),
        "investigated": lambda: incidents.confirm_investigation(
            actors["east-member"],
            report_id,
            {
                "investigation": incidents.report_investigation(
                    actors["west-member"], report_id, INVESTIGATION
                ).investigation.id
            },
        ),
        "findings": lambda: incidents.draft_findings(actors["east-member"], report_id, FINDINGS),
    }
    target = stage if stage in CHAIN else "findings"
    for name in CHAIN[1 : CHAIN.index(target) + 1]:
        steps[name]()
    if stage == "disputed":
        if not Meeting.objects.filter(title_en=NEXT_MEETING["title"]).exists():
            hold(commands.record_meeting(f, NEXT_MEETING), f)
        draft = Report.objects.get(id=report_id).draft
        incidents.sign_findings(actors["west-member"], report_id, {"agrees": True, "draft": draft})
        incidents.sign_findings(
            actors["east-member"], report_id, {"agrees": False, "reasons": "No crater was found", "draft": draft}
        )
    elif stage == "concluded":
        draft = Report.objects.get(id=report_id).draft
        for who in ("west-member", "east-member", "facilitator"):
            incidents.sign_findings(actors[who], report_id, {"agrees": True, "draft": draft})
    r = Report.objects.get(id=report_id)
    assert r.status == stage, (r.status, stage)
    return r


def at(actors, stage: str):
    """A new report at `stage`."""
    return advance(actors, file_report(actors).id, stage)


def proposed(actors, east: str | None = None):
    """A disputed report with a settlement before the committee; `east`: the eastern head's position."""
    r = incidents.propose_settlement(
        actors["facilitator"], at(actors, "disputed").id, {"text": "The findings are upheld"}
    )
    commands.take_position(actors["west-head"], r.decision_id, {"position": "approve"})
    if east:
        commands.take_position(actors["east-head"], r.decision_id, {"position": east})
    return r


def _identity(actors):
    return incidents.protect_identity(
        actors["facilitator"], file_report(actors).id, {"identity": {"name": "A shepherd"}}
    )


# placeholder -> how to make the thing its id stands for (built only when a path names it)
REPORT_PLACES = {
    "{received}": lambda actors: file_report(actors),
    "{inquiry}": lambda actors: at(actors, "inquiry"),
    "{tasked}": lambda actors: at(actors, "tasked"),
    "{investigated}": lambda actors: at(actors, "investigated"),
    "{findings}": lambda actors: at(actors, "findings"),
    "{disputed}": lambda actors: at(actors, "disputed"),
    "{adopted}": lambda actors: proposed(actors, "approve"),
    "{objected}": lambda actors: proposed(actors, "object"),
    "{identity}": _identity,
    "{recommendation}": lambda actors: at(actors, "concluded").recommendations.get(),
}


def _newest_draft() -> int:
    return Report.objects.filter(status="findings").order_by("-id").values_list("draft", flat=True).first()


def place(path: str, actors) -> str:
    """The path with its placeholder replaced by the id of a thing made for it."""
    for key, make in REPORT_PLACES.items():
        if key in path:
            path = path.replace(key, str(make(actors).id))
    assert "{" not in path, path
    return path


DELEGATES = ("west-head", "west-member", "east-head", "east-member")
ON_THE_TEAM = {"west-member": 200, "east-member": 200, "facilitator": 200}

# name -> (path, body, {role: success status} (every other role with a login: 403)). A body that
# depends on who sends it is a function of the role.
REPORT_WRITES = {
    # A delegate files for its delegation, a monitor for its team; the facilitator says where a report came from.
    "file": (
        "/reports",
        lambda who: {**REPORT, "source_type": "public"} if who == "facilitator" else REPORT,
        {**dict.fromkeys(DELEGATES, 201), "monitor": 201, "facilitator": 201},
    ),
    "triage": ("/reports/{received}/triage", {"decision": "admissible"}, {"facilitator": 200}),
    "team": ("/reports/{inquiry}/team", {"team": TEAM, "due_on": "2021-03-20"}, {"facilitator": 200}),
    "investigation": ("/reports/{tasked}/investigation", INVESTIGATION, ON_THE_TEAM),
    "findings": ("/reports/{investigated}/findings", FINDINGS, ON_THE_TEAM),
    # The draft signed: that of the report just placed at "findings" (the newest there).
    "signoff": ("/reports/{findings}/signoffs", lambda who: {"agrees": True, "draft": _newest_draft()}, ON_THE_TEAM),
    "settlement-proposal": (
        "/reports/{disputed}/settlement-proposal",
        {"text": "The findings are upheld"},
        {"facilitator": 200},
    ),
    "settlement": ("/reports/{adopted}/settlement", {"note": "Settled by the committee"}, {"facilitator": 200}),
    "disagreement": ("/reports/{objected}/disagreement", {"note": "The parties disagree"}, {"facilitator": 200}),
    "visibility": ("/reports/{received}/visibility", {"visibility": "observers"}, {"facilitator": 200}),
    "identity": (
        "/reports/{received}/identities",
        {"identity": {"name": "A shepherd", "contact": "+218 91 000 0000"}},
        {"facilitator": 201},
    ),
    "erase": ("/identities/{identity}/erase", {"reason": "A threat to the witness"}, {"facilitator": 200}),
    "recommendation": (
        "/recommendations/{recommendation}/status",
        {"status": "in_progress", "note": "The battery is being moved"},
        {"facilitator": 200, "east-head": 200, "east-member": 200},
    ),
    "category": ("/typology", {"code": "sniping", "group": "military", "name": "Sniping"}, {"facilitator": 200}),
    "stage-target": ("/stage-targets", {"stage": "received", "days": 3}, {"facilitator": 200}),
}

# Each write's text field to spoil (dotted, with list indexes) and the field the error names.
REPORT_TEXT_FIELDS = {
    "file": ("title", "title"),
    "triage": ("reason", "reason"),
    "team": ("instructions", "instructions"),
    "investigation": ("methods", "methods"),
    "findings": ("findings.0.allegation", "findings[0].allegation"),
    "signoff": ("reasons", "reasons"),
    "settlement-proposal": ("text", "text"),
    "settlement": ("note", "note"),
    "disagreement": ("note", "note"),
    "visibility": ("visibility", "visibility"),
    "identity": ("identity.name", "identity.name"),
    "erase": ("reason", "reason"),
    "recommendation": ("note", "note"),
    "category": ("name", "name"),
    "stage-target": ("stage", "stage"),
}
assert set(REPORT_TEXT_FIELDS) == set(REPORT_WRITES)

# The id in each kind of path, and the field an error about it names.
REPORT_PATH_IDS = {"/reports/{": "report", "/identities/{": "identity", "/recommendations/{": "recommendation"}


def report_body(write: str, who: str | None) -> dict:
    body = REPORT_WRITES[write][1]
    return body(who) if callable(body) else body


def report_writer(write: str) -> str:
    allowed = REPORT_WRITES[write][2]
    return "facilitator" if "facilitator" in allowed else next(iter(allowed))


# Reads about one report: {report}, {incident} and {evidence} stand for its ids.
REPORT_READS = {
    "report": "/reports/{report}",
    "incident": "/incidents/{incident}",
    "evidence": "/reports/{report}/evidence",
    "evidence-file": "/evidence/{evidence}/file",
    "custody": "/evidence/{evidence}/custody",
    "identities": "/reports/{report}/identities",
}
# Lists, each answering the reports (or what hangs off them) the reader may see.
REPORT_LISTS = ["/reports", "/reports/overdue", "/incidents", "/recommendations"]
# What anyone reads, whoever they are.
OPEN_READS = ["/typology", "/stage-targets"]
VISIBILITY = ("parties", "observers", "public")
# The reports API's operations anyone may call without login (the OpenAPI schema says credentials
# are optional for them): (method, path).
REPORT_PUBLIC_OPERATIONS = {
    ("get", "/api/v1/reports"),
    ("get", "/api/v1/reports/overdue"),
    ("get", "/api/v1/reports/export"),  # a file of the same reports as the list
    ("get", "/api/v1/reports/{report_id}"),
    ("get", "/api/v1/incidents"),
    ("get", "/api/v1/incidents/{incident_id}"),
    ("get", "/api/v1/recommendations"),
    ("get", "/api/v1/typology"),
    ("get", "/api/v1/stage-targets"),
    ("get", "/api/v1/stats"),  # counts of what the reader may read, and the coverage shared with it
    ("get", "/api/v1/coverage"),
}
