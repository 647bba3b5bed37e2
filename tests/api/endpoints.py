"""Every endpoint of the API, as the permission matrix and the bad-input tests walk them."""

from ceasefire.mechanism import commands
from ceasefire.record import note

READS = [
    "/me",
    "/mechanism",
    "/members",
    "/members?current=false",
    "/members/{west-head}",
    "/agreements",
    "/agreements/{agreement}",
    "/agreements/{agreement}/provisions",
    "/provisions/{provision}",
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
}


def fill(path: str, committee) -> str:
    ids = {
        "agreement": committee.agreement.id,
        "provision": committee.provision.id,
        "meeting": committee.meeting.id,
        "decision": committee.decision.id,
        "item": committee.item.id,
        **{name: m.id for name, m in committee.members.items()},
    }
    for key, value in ids.items():
        path = path.replace("{" + key + "}", str(value))
    assert "{" not in path, path
    return path


def suspend_west(actors, committee):
    commands.suspend_participation(actors["facilitator"], "west", {"since": "2021-01-01"})


# A witness's verifier key, made as `ceasefire keys generate` makes it.
WITNESS_VKEY = note.generate_cosigner_key("jmc-test-witness")[1]

# path, body, {role: success status} (every other role: 403), preparation
WRITES = {
    "appoint": ("/members", {"name_latin": "New officer", "role": "member", "party": "east", "seat": 4}, {"facilitator": 201}, None),
    "replace": ("/members/{west-2}/replace", {"on": "2021-01-01", "successor": {"name_latin": "Successor"}}, {"facilitator": 201}, None),
    "leave": ("/members/{west-3}/leave", {"on": "2021-01-01"}, {"facilitator": 200}, None),
    "suspend": ("/parties/west/suspend", {"since": "2021-01-01", "reason": "walk-out"}, {"facilitator": 200, "west-head": 200}, None),
    "resume": ("/parties/west/resume", {"on": "2021-02-01"}, {"facilitator": 200, "west-head": 200}, suspend_west),
    "agreement": ("/agreements", {"title": "Addendum"}, {"facilitator": 201}, None),
    "provision": ("/agreements/{agreement}/provisions", {"number": "9", "text": "Open the road"}, {"facilitator": 201}, None),
    "interpretation": (
        "/provisions/{provision}/interpretations",
        {"held_by": "UNSMIL", "reading": "As soon as possible"},
        {"facilitator": 201, "west-head": 201, "east-head": 201},
        None,
    ),
    "meeting": (
        "/meetings",
        {"title": "Ghadames", "starts_on": "2020-11-02", "ends_on": "2020-11-04", "city": "Ghadames", "country": "Libya"},
        {"facilitator": 201},
        None,
    ),
    "attendance": ("/meetings/{meeting}/attendance", {"present": []}, {"facilitator": 200}, None),
    "agenda": ("/meetings/{meeting}/agenda", {"title": "Foreign forces"}, {"facilitator": 201}, None),
    "minutes": ("/meetings/{meeting}/minutes", {"minutes": "The committee met."}, {"facilitator": 200}, None),
    "decision": ("/meetings/{meeting}/decisions", {"text": "Exchange detainees"}, {"facilitator": 201}, None),
    "position": ("/decisions/{decision}/positions", {"position": "approve"}, {"west-head": 200, "east-head": 200}, None),
    "action-item": ("/meetings/{meeting}/action-items", {"text": "Map the mines", "owner_party": "east"}, {"facilitator": 201}, None),
    "action-status": (
        "/action-items/{item}/status",
        {"status": "in_progress"},
        {"facilitator": 200, "west-head": 200, "west-member": 200},
        None,
    ),
    "witness-key": ("/mechanism/witness-keys", {"party": "west", "vkey": WITNESS_VKEY}, {"west-head": 201}, None),
    "mission-witness-key": ("/mechanism/witness-keys", {"vkey": WITNESS_VKEY}, {"facilitator": 201}, None),
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
