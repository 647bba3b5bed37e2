"""The report's page and the API's `may` ask the commands' own refusal functions: no page or schema
restates a rule, so they cannot drift. The drift the page had: a settlement proposal left
unanswered at a meeting that ended, with the report on the next meeting's agenda, was said to be
"before the committee already" while the command accepted a new one."""

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.errors import Forbidden
from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.mechanism import commands as mechanism
from ceasefire.record import log
from ceasefire.web.views import reports as views
from tests.conftest import FACILITATOR
from tests.incidents import steps
from tests.web.reports_world import reports  # noqa: F401  (fixture)

PAGE_STEPS = list(views.COMMAND_STEP)
STEP_LINKS = ("triage", "task", "investigate", "confirm", "draft_findings", "sign", "propose", "settle", "disagreement")


def page(clients, who, r) -> str:
    return clients[who].get(reverse("report", args=[r.reference])).content.decode()


@pytest.fixture
def moved(actors, monkeypatch):
    """A disputed report whose proposal went unanswered at a meeting that has ended; the meeting
    after it is ahead."""
    commands.adopt_default_typology(FACILITATOR)
    today = dt.date.today()
    first = mechanism.record_meeting(
        FACILITATOR,
        {
            "title": "Round 1",
            "starts_on": (today + dt.timedelta(days=1)).isoformat(),
            "city": "Sirte",
            "country": "Libya",
        },
    )
    r = steps.advance(actors, steps.file(actors), "disputed")
    assert r.agenda_item.meeting_id == first.id
    r = commands.propose_settlement(FACILITATOR, r.id, {"text": "The findings stand"})
    steps.meeting_ahead(days=30, title="Round 2")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)  # round 1 is over, unanswered
    monkeypatch.setattr(log, "_clock", lambda: later)
    return Report.objects.get(id=r.id)


def test_a_proposal_moved_to_the_next_meeting_is_offered_as_the_command_takes_it(moved, clients):
    assert views.why_not(FACILITATOR, moved, "propose") == ""
    assert reverse("report_propose", args=[moved.reference]) in page(clients, "facilitator", moved)
    response = clients["facilitator"].get(reverse("report_propose", args=[moved.reference]))
    assert response.status_code == 200 and "before the committee already" not in response.content.decode()
    # The redraft follows the same rule: the proposal left unanswered is no longer pending.
    assert views.why_not(FACILITATOR, moved, "draft_findings") == ""
    r = commands.propose_settlement(FACILITATOR, moved.id, {"text": "The findings stand, once more"})
    assert r.decision.meeting.title_en == "Round 2"
    # Now this one is before the committee: page and command say so, in the same words.
    refusal = commands.propose_refusal(FACILITATOR, r)
    assert refusal is not None and views.why_not(FACILITATOR, r, "propose") == refusal.message
    assert reverse("report_propose", args=[r.reference]) not in page(clients, "facilitator", r)


def test_every_step_the_page_offers_is_the_refusal_functions_answer(reports, actors, clients):
    for who in ("facilitator", "west-member", "east-member", "west-head", "observer"):
        actor = actors[who]
        for name, r in reports.items():
            if name == "evidence":
                continue
            r = Report.objects.get(id=r.id)
            refusals = commands.refusals(actor, r)
            for step in PAGE_STEPS:
                found = refusals[views.COMMAND_STEP[step]]
                assert views.may(actor, r, step) == (not isinstance(found, Forbidden)), (who, r.status, step)
                assert views.why_not(actor, r, step) == ("" if found is None else found.message), (who, r.status, step)
            offered = {s["step"] for s in views.step_links(actor, r)}
            assert offered == {s for s in PAGE_STEPS if s in STEP_LINKS and refusals[views.COMMAND_STEP[s]] is None}
