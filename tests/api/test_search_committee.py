"""`q` on the committee's lists (meetings, a meeting's decisions, an agreement's provisions): the
same normalisation and place spellings as the reports' search."""

import pytest

from ceasefire.agreements import commands as agreements
from ceasefire.mechanism import commands

from .conftest import assert_error


@pytest.fixture
def written(actors, committee):
    f = actors["facilitator"]
    sirte = commands.record_meeting(
        f,
        {
            "title": "اجتماع اللجنة في سرت",
            "starts_on": "2021-01-05",
            "ends_on": "2021-01-06",
            "city": "سرت",
            "country": "ليبيا",
        },
    )
    decision = commands.record_decision(f, sirte.id, {"text": "فتح الطريق الساحلي وإزالة الألغام بعد وقف إطلاق النار"})
    drones = agreements.add_provision(
        f, committee.agreement.id, {"number": "7", "text": "تُمنع الطائرات المسيّرة فوق خط التماس."}
    )
    return {
        "meeting": sirte.id,
        "decision": decision.id,
        "provision": drones.id,
        "agreement": committee.agreement.id,
        "geneva": committee.meeting.id,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


@pytest.mark.parametrize("q", ["سرت", "Sirte", "surt", "اجتماع اللجنه"])
def test_meetings_by_any_spelling(api, written, q):
    assert ids(api("observer").get("/meetings", {"q": q})) == [written["meeting"]]


def test_meetings_without_q_or_in_latin(api, written):
    assert set(ids(api("observer").get("/meetings"))) == {written["meeting"], written["geneva"]}
    assert ids(api("observer").get("/meetings", {"q": "GENEVA"})) == [written["geneva"]]


@pytest.mark.parametrize("q", ["اطلاق", "إطلاق", "الالغام", "الساحلى"])
def test_decisions_by_any_spelling(api, written, q):
    assert ids(api("west-member").get(f"/meetings/{written['meeting']}/decisions", {"q": q})) == [written["decision"]]


@pytest.mark.parametrize("q", ["مسيرة", "المسيّرة", "الطائرات المسيره", "خط التماس"])
def test_provisions_by_any_spelling(api, written, q):
    assert ids(api("observer").get(f"/agreements/{written['agreement']}/provisions", {"q": q})) == [
        written["provision"]
    ]


def test_provisions_in_latin_and_not_found(api, written):
    url = f"/agreements/{written['agreement']}/provisions"
    found = ids(api("observer").get(url, {"q": "MERCENARIES"}))
    assert len(found) == 1 and written["provision"] not in found
    assert ids(api("observer").get(url, {"q": "مرتزقة الطيران"})) == []


@pytest.mark.parametrize("path", ["/meetings", "/agreements/{agreement}/provisions", "/meetings/{meeting}/decisions"])
@pytest.mark.parametrize("q", ["x" * 201, "a\x00b"])
def test_a_bad_q_is_422_naming_it(api, written, path, q):
    url = path.format(agreement=written["agreement"], meeting=written["meeting"])
    assert_error(api("west-member").get(url, {"q": q}), 422, "q")
