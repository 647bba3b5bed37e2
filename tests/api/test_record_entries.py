"""GET /record/entries: every entry's leaf hash for anyone, the entry itself only for the audiences
that may read its type (record.log.readable), so that any reader can still check the tree."""

import json

import pytest
from django.test import Client

from ceasefire.mechanism import permissions
from ceasefire.record import log, merkle, tree
from ceasefire.record.models import Event
from tests.conftest import ROLES

from .conftest import Api, assert_error, events
from .test_record_proofs import b64


def reader(api, who):
    return Api(Client()) if who is None else api(who)


@pytest.mark.parametrize("who", [None, *ROLES])
def test_each_reader_gets_every_leaf_hash_and_the_entries_of_its_audience(api, actors, committee, who):
    audience = permissions.audience(actors[who] if who else None)
    r = reader(api, who).get("/record/entries")
    assert r.status_code == 200, r.content
    body = r.json()
    n = events()
    assert (body["start"], body["end"], body["size"], body["audience"]) == (0, n, n, audience)
    assert [e["index"] for e in body["entries"]] == list(range(n))
    hidden = 0
    for e, event in zip(body["entries"], Event.objects.order_by("seq"), strict=True):
        assert b64(e["leaf_hash"]) == merkle.leaf_hash(bytes(event.body))
        if log.readable(event.type, audience):
            assert set(e) == {"index", "leaf_hash", "entry"}
            assert e["entry"].encode() == bytes(event.body)  # the canonical bytes the tree hashes
            assert json.loads(e["entry"])["seq"] == e["index"]
        else:
            assert set(e) == {"index", "leaf_hash"}
            hidden += 1
    # The leaf hashes alone rebuild the root the checkpoints sign.
    assert merkle.subtree_root([b64(e["leaf_hash"]) for e in body["entries"]], 0, n) == tree.root(n)
    assert (hidden > 0) == (audience != "parties")


def test_the_public_reads_less_than_observers_who_read_less_than_the_parties(api, committee):
    def readable(client):
        return sum("entry" in e for e in client.get("/record/entries").json()["entries"])

    public, observer, party = readable(Api(Client())), readable(api("observer")), readable(api("west-member"))
    assert 0 < public < observer < party == events()


def test_a_range_of_entries(api, committee):
    body = api("observer").get("/record/entries", {"start": 3, "end": 7}).json()
    assert (body["start"], body["end"]) == (3, 7) and [e["index"] for e in body["entries"]] == [3, 4, 5, 6]
    n = events()
    assert Api(Client()).get("/record/entries", {"start": n}).json()["entries"] == []
    assert Api(Client()).get("/record/entries", {"start": 2, "end": 2}).json()["entries"] == []


def test_at_most_max_entries_per_call(api, committee, monkeypatch):
    from ceasefire.api.routers import record

    monkeypatch.setattr(record, "MAX_ENTRIES", 4)
    client = Api(Client())
    body = client.get("/record/entries", {"start": 2}).json()
    assert (body["start"], body["end"]) == (2, 6) and len(body["entries"]) == 4  # the default end
    assert len(client.get("/record/entries", {"start": 2, "end": 6}).json()["entries"]) == 4
    assert_error(client.get("/record/entries", {"start": 2, "end": 7}), 422, "end", contains="4")


def test_as_lines_a_call_answers_up_to_max_lines(api, committee, monkeypatch):
    """A witness copying the record reads it as lines, in pages as large as MAX_LINES: each request
    costs the server some milliseconds whatever its size."""
    from ceasefire.api.routers import record

    monkeypatch.setattr(record, "MAX_ENTRIES", 4)
    monkeypatch.setattr(record, "MAX_LINES", 6)
    client = Api(Client())
    head, *rows, last = client.get("/record/entries", {"start": 2, "format": "lines"}).content.decode().split("\n")
    assert (
        head.split(" ")[:2] == ["2", "8"] and [int(r.split(" ")[0]) for r in rows] == [2, 3, 4, 5, 6, 7] and last == ""
    )
    assert client.get("/record/entries", {"start": 2, "end": 8, "format": "lines"}).status_code == 200
    assert_error(client.get("/record/entries", {"start": 2, "end": 9, "format": "lines"}), 422, "end", contains="6")
    assert_error(
        client.get("/record/entries", {"start": 2, "end": 8}), 422, "end", contains="4"
    )  # as JSON: MAX_ENTRIES


def test_the_limits_are_1000_and_10000_as_lines():
    from ceasefire.api.routers import record

    assert (record.MAX_ENTRIES, record.MAX_LINES) == (1000, 10_000)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "-1"}, "start"),
        ({"start": "x"}, "start"),
        ({"start": "1000"}, "start"),
        ({"start": str(2**63)}, "start"),
        ({"start": "9" * 40}, "start"),
        ({"start": "5", "end": "4"}, "end"),
        ({"start": "0", "end": "1000"}, "end"),
        ({"start": "0", "end": "-1"}, "end"),
        ({"start": "0", "end": str(2**63)}, "end"),
        ({"start": "0", "end": "1.5"}, "end"),
    ],
)
def test_a_bad_range_is_a_422_naming_it(committee, params, field):
    assert_error(Api(Client()).get("/record/entries", params), 422, field)


def test_an_empty_record_has_no_entries(db):
    assert Api(Client()).get("/record/entries").json() == {
        "start": 0,
        "end": 0,
        "size": 0,
        "audience": "public",
        "entries": [],
    }


def test_a_login_without_an_account_reads_as_the_public(committee):
    from django.contrib.auth import get_user_model

    from ceasefire.api.tokens import create_token

    user = get_user_model().objects.create_user("stranger", password=None)
    body = Api(Client(), create_token(user)).get("/record/entries").json()
    assert body["audience"] == "public"


@pytest.mark.parametrize("who", [None, "observer", "west-head"])
@pytest.mark.parametrize("fmt", ["lines", "json"])
def test_leaf_hashes_withheld_leaves_out_those_of_the_entries_served_in_full(api, actors, committee, who, fmt):
    """`leaf_hashes=withheld` (what a witness asks, hashing the entries itself): an entry served in
    full comes without its leaf hash, one the reader may not read with its leaf hash only, in order.
    For the parties the lines are built by the database: they must be the entries as stored."""
    audience = permissions.audience(actors[who] if who else None)
    n = events()
    stored = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
    r = reader(api, who).get("/record/entries", {"start": 1, "end": n, "format": fmt, "leaf_hashes": "withheld"})
    assert r.status_code == 200, r.content
    if fmt == "lines":
        head, *rows, last = r.content.split(b"\n")
        assert head == f"1 {n} {n} {audience}".encode() and last == b""
        served = [row.split(b" ", 1) for row in rows]
    else:
        served = [
            [str(e["index"]).encode(), (e["entry"] if "entry" in e else e["leaf_hash"]).encode()]
            for e in r.json()["entries"]
        ]
        assert all(("leaf_hash" in e) != ("entry" in e) for e in r.json()["entries"])
    assert [int(seq) for seq, _ in served] == list(range(1, n))
    for (_seq, rest), body in zip(served, stored[1:], strict=True):
        if log.readable(json.loads(body)["type"], audience):
            assert rest == body
        else:
            assert b64(rest.decode()) == merkle.leaf_hash(body)
    assert audience != "parties" or all(rest.startswith(b"{") for _, rest in served)


def test_the_parties_lines_are_the_stored_entries_in_the_order_of_seq(api, committee):
    """The database builds the parties' lines (group_concat, string_agg): in the order of seq."""
    from ceasefire.api.routers.record import _lines_in_full

    n = events()
    text = _lines_in_full(0, n)
    stored = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
    assert text == b"".join(b"%d %s\n" % (seq, body) for seq, body in enumerate(stored))
    assert _lines_in_full(n, n) == b""
    assert _lines_in_full(2, 5) == b"".join(b"%d %s\n" % (seq, stored[seq]) for seq in range(2, 5))
