"""Publishing for the public: the facilitator alone, an adopted decision or an agreed status, once;
the public reads the copy its entry holds, never who said what (ceasefire.publications)."""

import pytest

from ceasefire.agreements import commands as agreements
from ceasefire.mechanism import commands
from ceasefire.publications.models import Publication
from ceasefire.record import replay
from tests import history

from .conftest import assert_error, events

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(actors):
    """An adopted decision whose positions carry reasons that stay with the parties."""
    decision = history.adopt_one(actors)
    assert decision.adopted
    return decision


@pytest.fixture
def agreed(actors):
    """The committee's agreed status of a provision, through both parties' approval."""
    f = actors["facilitator"]
    agreement = agreements.record_agreement(f, {"title": "Ceasefire agreement", "signed_on": "2020-10-23"})
    provision = agreements.add_provision(f, agreement.id, {"number": "2", "text": "Foreign forces leave"})
    assessment = agreements.propose_assessment(
        f,
        provision.id,
        {"status": 1, "as_of": "2021-10-08", "reasoning": "Plan agreed, no departure verified", "source": "UNSMIL"},
    )
    for head in ("west-head", "east-head"):
        agreements.take_position(actors[head], assessment.id, {"position": "approve", "reason": f"secret-{head}"})
    assessment.refresh_from_db()
    assert assessment.agreed
    return assessment.agreed_status


def test_the_public_reads_a_published_decision_as_its_entry_holds_it(api, adopted):
    assert api(None).get("/publications").json() == []
    r = api("facilitator").post("/publications", {"subject": "decision", "id": adopted.id})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["subject"] == "decision" and body["subject_id"] == adopted.id
    assert body["content"]["text_en"] == adopted.text_en and body["content"]["entry"] == adopted.id
    assert body["content"]["meeting"] == adopted.meeting.reference
    assert body["content"]["adopted_through"] == "positions"

    public = api(None).get("/publications")
    assert public.status_code == 200 and public.json() == [body]
    assert "approve" not in public.content.decode() and "head" not in public.content.decode()
    # the decision's own entry stays the observers': the public still reads no decision from it
    assert api(None).get(f"/decisions/{adopted.id}").status_code in (401, 403, 404)
    assert replay.check(progress=None).ok


def test_the_public_reads_a_published_status(api, agreed):
    r = api("facilitator").post("/publications", {"subject": "agreed_status", "id": agreed.id})
    assert r.status_code == 201, r.content
    content = r.json()["content"]
    assert content == {
        "entry": agreed.id,
        "provision": agreed.provision_id,
        "status": "1",
        "as_of": "2021-10-08",
        "reasoning_ar": "",
        "reasoning_en": "Plan agreed, no departure verified",
        "source": "UNSMIL",
    }
    assert "secret-" not in api(None).get("/publications").content.decode()


@pytest.mark.parametrize("who", ["west-head", "east-member", "monitor", "observer"])
def test_only_the_facilitator_publishes(api, monitor, adopted, who):
    before = events()
    assert_error(api(who).post("/publications", {"subject": "decision", "id": adopted.id}), 403)
    assert events() == before
    assert_error(api(None).post("/publications", {"subject": "decision", "id": adopted.id}), 401)


def test_what_may_not_be_published_is_refused_naming_the_field(api, actors, adopted):
    f = api("facilitator", "en")
    pending = commands.record_decision(actors["facilitator"], adopted.meeting_id, {"text": "Not yet agreed"})
    before = events()
    assert_error(f.post("/publications", {"subject": "decision", "id": pending.id}), 409, "id")
    assert_error(f.post("/publications", {"subject": "minutes", "id": adopted.id}), 422, "subject")
    assert_error(f.post("/publications", {"subject": ["decision"], "id": adopted.id}), 422, "subject")
    assert_error(f.post("/publications", {"subject": "decision"}), 422, "id")
    assert_error(f.post("/publications", {"subject": "decision", "id": "x"}), 422, "id")
    assert_error(f.post("/publications", {"subject": "decision", "id": 987654321}), 404, "id")
    assert events() == before

    assert f.post("/publications", {"subject": "decision", "id": adopted.id}).status_code == 201
    before = events()
    assert_error(
        f.post("/publications", {"subject": "decision", "id": adopted.id}),
        409,
        "id",
        contains="Published already (entry #",
    )
    assert events() == before and Publication.objects.count() == 1


def test_a_decision_whose_source_gives_no_day_is_published_without_one(api, actors, adopted):
    """A decision known from a public source that dates only the meeting: the day the record was
    loaded is no day of adoption, and neither the copy nor the public page gives one."""
    from django.core.cache import cache
    from django.test import Client

    from ceasefire.web.views import public

    sourced = commands.record_decision(
        actors["facilitator"],
        adopted.meeting_id,
        {"text": "Reopen the coastal road", "adopted_per_source": {"source": "UNSMIL statement"}},
    )
    r = api("facilitator").post("/publications", {"subject": "decision", "id": sourced.id})
    assert r.status_code == 201, r.content
    content = r.json()["content"]
    assert content["adopted_on"] is None and content["adopted_through"] == "source"
    assert content["meeting_starts_on"] == adopted.meeting.starts_on.isoformat()

    cache.clear()
    public._state = (0.0, None)
    home = Client().get("/public/?lang=en").content.decode()
    item = home.split("Reopen the coastal road", 1)[1].split("</li>", 1)[0]
    assert f"at the meeting of {adopted.meeting.starts_on:%-d %B %Y}" in item
    loaded = sourced.meeting.decisions.get(id=sourced.id)
    assert loaded.adopted_at is not None and f"{loaded.adopted_at:%-d %B %Y}" not in item  # the day it was recorded
