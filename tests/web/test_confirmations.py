"""A position or a sign-off asks for a confirmation that names what is agreed to (the record's
entry), is refused without it (nothing written), and never comes back already ticked."""

import re

import pytest
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report

from .reports_world import FINDINGS, reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def confirmation(html: str) -> str:
    """The statement of the box to tick, and the box neither ticked nor optional."""
    match = re.search(
        r'<input type="checkbox" id="([^"]*f-confirm)" name="confirm" value="yes" required[^>]*> <span><bdi>([^<]*)</bdi>',
        html,
    )
    assert match, "no confirmation to tick"
    assert "checked" not in match.group(0)
    return match.group(2)


def test_a_position_names_the_decision_it_is_given_on(world, clients, events):
    decision = world["pending"]
    url = reverse("meeting", args=[world["past"].reference])
    said = confirmation(clients["west-head"].get(url).content.decode())
    # the reference and the quoted text each in an isolate (FSI … PDI): they read as written in Arabic too
    meeting = "\u2068" + world["past"].reference + "\u2069"
    assert f"decision {decision.number} of meeting {meeting} (entry #{decision.id})" in said
    assert decision.text_en[:40] in said


def test_a_position_not_confirmed_is_refused_and_nothing_is_written(world, clients, events):
    url = reverse("position", args=[world["past"].reference, world["pending"].number])
    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        before = events()
        response = clients["west-head"].post(url, {"position": "approve", "reason": "For the road"}, **extra)
        assert response.status_code == 422
        html = response.content.decode()
        assert "Tick the box to confirm what you agree to" in html
        assert "For the road" in html  # what was typed stays
        confirmation(html)  # asked again, not ticked
        assert events() == before
    assert not world["pending"].positions.filter(party_id="west").exists()


def test_a_position_in_arabic_names_the_entry_in_arabic(world, clients):
    client = clients["west-head"]
    html = client.get(reverse("meeting", args=[world["past"].reference]), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    said = confirmation(html)
    assert f"(القيد رقم {world['pending'].id})" in said and "أُبدي موقف طرفي" in said


def test_a_sign_off_names_the_draft_and_a_redraft_renames_it(reports, actors, clients, events):
    r = reports["findings"]
    url = reverse("report_sign", args=[r.reference])
    east = clients["east-member"]
    said = confirmation(east.get(url).content.decode())
    assert f"report \u2068{r.reference}\u2069 as drafted in entry #{r.draft}" in said

    before = events()
    unconfirmed = east.post(url, {"agrees": "true", "draft": str(r.draft)})
    assert unconfirmed.status_code == 422 and events() == before

    commands.draft_findings(actors["west-member"], r.id, FINDINGS)  # redrafted while east was reading
    current, before = Report.objects.get(id=r.id).draft, events()
    refused = east.post(url, {"confirm": "yes", "agrees": "true", "draft": str(r.draft)})
    assert refused.status_code == 409 and events() == before
    # what the box now names is the draft the page shows, and it must be ticked again
    assert f"as drafted in entry #{current}" in confirmation(refused.content.decode())


def test_an_unticked_form_says_the_commands_own_faults_too_and_keeps_nothing(reports, actors, clients, events):
    """The box and the command's refusals in one answer: a user who did not tick the box must not
    learn of a missing reason, or of a redraft, only on the next submit."""
    r = reports["findings"]
    url = reverse("report_sign", args=[r.reference])
    east, before = clients["east-member"], events()

    dissent = east.post(url, {"agrees": "false", "draft": str(r.draft)})  # no reasons, not ticked
    html = dissent.content.decode()
    assert dissent.status_code == 422 and events() == before
    assert "Tick the box to confirm what you agree to" in html
    assert "is required, in Arabic or in English" in html  # the reasons a dissent needs, said now
    assert not Report.objects.get(id=r.id).signoffs.exists()

    commands.draft_findings(actors["west-member"], r.id, FINDINGS)  # redrafted meanwhile
    before = events()
    stale = east.post(url, {"agrees": "true", "draft": str(r.draft)})
    assert stale.status_code == 409 and events() == before
    assert "Tick the box to confirm what you agree to" in stale.content.decode()


def test_an_assessment_names_its_day_in_words_in_either_language(world, clients):
    url = reverse("provision", args=[world["withdrawal"].id])
    client = clients["west-head"]
    said = confirmation(client.get(url).content.decode())
    assert "as of \u20681 January 2022\u2069" in said and f"(entry #{world['assessment'].id})" in said
    said = confirmation(client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode())
    assert "\u20681 يناير 2022\u2069" in said
