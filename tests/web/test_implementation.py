"""How far a provision is implemented, on the pages: the committee's status and its history, the
assessments side by side for the parties (not for observers), the forms, and the roll-up."""

import re

import pytest
from django.urls import reverse

from ceasefire.agreements.models import AgreedStatus, Assessment, Condition

pytestmark = pytest.mark.django_db


def page(clients, username, url, status=200) -> str:
    response = clients[username].get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_parties_read_the_assessments_side_by_side_and_the_committees_status(world, clients):
    html = page(clients, "west-member", reverse("provision", args=[world["withdrawal"].id]))
    status = html[html.index('id="committee-status"') : html.index('id="assessments"')]
    assert (
        "1 · Minimal" in status
        and "as of 23 January 2021" in status
        and "Some units returned; no departures." in status
    )
    assert "overdue by" in html
    pending = html[html.index('id="assessments"') :]
    assert "Assessment of Eastern region" in pending and "2 · Intermediate" in pending
    assert "https://example.org/camps" in pending and "east-head" in pending
    assert "position of the delegation of Western region not given" in pending
    assert 'name="position"' not in pending  # a member who does not speak for the party


def test_observers_read_the_committees_status_but_no_assessment_nor_who_put_it_forward(world, clients):
    html = page(clients, "observer", reverse("provision", args=[world["withdrawal"].id]))
    assert "1 · Minimal" in html and "Some units returned; no departures." in html
    assert (
        "Most units are back in their camps." not in html and "east-head" not in html and "2 · Intermediate" not in html
    )
    assert "stay with the parties" in html
    assert page(clients, "observer", reverse("assessment_position", args=[world["assessment"].id]), 403)


def test_a_head_puts_forward_an_assessment_and_bad_input_names_the_field(world, clients, events):
    url = reverse("assessment_new", args=[world["withdrawal"].id])
    html = page(clients, "west-head", url)
    assert 'name="status"' in html and "3 · Full" in html and "Not yet due" in html
    before = events()
    response = clients["west-head"].post(url, {"status": "2", "as_of": "2099-01-01", "reasoning": "Ours"})
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r'id="f-as-of-error"[^>]*>must not be after today', html)
    assert events() == before
    response = clients["west-head"].post(
        url,
        {"status": "2", "as_of": "2021-06-01", "reasoning": "Ours", "evidence": "https://example.org/a\n\nnot a link"},
    )
    assert response.status_code == 422 and "must be a link beginning with https://" in response.content.decode()
    assert events() == before
    response = clients["west-head"].post(
        url,
        {
            "status": "0",
            "as_of": "2021-06-01",
            "reasoning": "لم يغادر أحد",
            "evidence": "https://example.org/a\r\nhttps://example.org/b",
        },
    )
    assert response.status_code == 302 and events() == before + 1
    mine = Assessment.objects.order_by("-id").first()
    assert (mine.party_id, mine.status, mine.reasoning_ar, mine.evidence) == (
        "west",
        "0",
        "لم يغادر أحد",
        ["https://example.org/a", "https://example.org/b"],
    )
    assert response["Location"].endswith(f"#assessment-{mine.id}")
    html = page(clients, "east-head", reverse("provision", args=[world["withdrawal"].id]))
    assert "Assessment of Western region" in html and "Assessment of Eastern region" in html  # side by side
    # the east may give its position on both: the west's, and its own (which it approved, and may change)
    assert html.count('hx-post="/assessments/') == 2


def test_a_position_through_htmx_completes_consensus_and_the_page_changes(world, clients, events):
    url = reverse("assessment_position", args=[world["assessment"].id])
    before = events()
    response = clients["west-head"].post(url, {"confirm": "yes", "position": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and events() == before + 2  # the position, and the record's statement
    assert response["HX-Refresh"] == "true"  # the card leaves the assessments side by side: the page changes
    agreed = AgreedStatus.objects.get(assessment_id=world["assessment"].id)
    assert (agreed.status, agreed.as_of.isoformat()) == ("2", "2022-01-01")
    html = page(clients, "observer", reverse("provision", args=[world["withdrawal"].id]))
    assert "2 · Intermediate" in html and "History of the committee's status" in html and "1 · Minimal" in html


def test_an_objection_through_htmx_swaps_the_card(world, clients):
    url = reverse("assessment_position", args=[world["assessment"].id])
    response = clients["west-head"].post(
        url, {"confirm": "yes", "position": "object", "reason": "Not in the south"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and f'id="assessment-{world["assessment"].id}"' in html
    assert "objected by Western region" in html and "Not in the south" in html


def test_the_facilitator_records_the_condition_a_deadline_depends_on(world, clients, events):
    url = reverse("condition_new", args=[world["near"].id])
    before = events()
    response = clients["facilitator"].post(url, {"condition_en": "", "condition_ar": "", "status": "unknown"})
    assert response.status_code == 422 and events() == before
    response = clients["facilitator"].post(
        url,
        {
            "condition_en": "Until a unified government takes office",
            "condition_ar": "إلى حين تسلّم حكومة موحدة مهامها",
            "status": "not_met",
            "source": "L2",
        },
    )
    assert response.status_code == 302 and events() == before + 1
    html = page(clients, "observer", reverse("provision", args=[world["near"].id]))
    assert "conditional" in html and "Until a unified government takes office" in html and "condition: Not met" in html
    # recorded again, both languages are offered back: nothing of it is lost
    form = page(clients, "facilitator", url)
    assert "إلى حين تسلّم حكومة موحدة مهامها" in form and "Until a unified government takes office" in form
    assert Condition.objects.filter(provision=world["near"]).count() == 1


def test_the_rollup_page_has_a_chart_and_the_same_numbers_in_a_table(world, clients):
    html = page(clients, "observer", reverse("agreement_implementation", args=[world["agreement"].id]))
    assert 'class="bar"' in html and 'width="33.33"' in html and "style=" not in html
    today = html[html.index('id="h-today"') : html.index('id="h-themes"')]
    assert re.search(r"1 · Minimal</th><td[^>]*>1</td><td[^>]*>33%</td>", today)
    assert re.search(r"Not assessed</th><td[^>]*>2</td>", today)
    over = html[html.index('id="h-time"') :]
    assert "31 December 2020" in over and "31 December 2021" in over
    # in Arabic the widths keep their dot: an SVG attribute is not prose
    clients["observer"].cookies["django_language"] = "ar"
    arabic = clients["observer"].get(
        reverse("agreement_implementation", args=[world["agreement"].id]), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert 'width="33.33"' in arabic.content.decode()


def test_a_known_theme_reads_in_the_readers_language_and_any_other_as_written(world, actors, clients):
    from ceasefire.agreements import commands as agreements
    from tests.conftest import FACILITATOR

    a = world["agreement"]
    known = agreements.add_provision(FACILITATOR, a.id, {"number": "9", "text": "x", "category": "sovereignty"})
    agreements.add_provision(FACILITATOR, a.id, {"number": "10", "text": "y", "category": "Roads (east)"})
    client = clients["observer"]
    rollup = reverse("agreement_implementation", args=[a.id])
    for url in (rollup, reverse("provision", args=[known.id]), reverse("agreement", args=[a.id])):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        assert "السيادة" in html and ">sovereignty<" not in html
    html = client.get(rollup, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Roads (east)" in html
    assert "sovereignty" in client.get(rollup).content.decode()


def test_on_a_phone_the_shares_by_theme_and_over_time_leave_out_the_levels_with_no_provision(world, clients):
    """Each row becomes a card on a phone; seven levels per card, mostly zeros, made the page some
    ten thousand pixels tall for a few provisions. A level with none is marked for the phone's
    stylesheet to leave out; the total and every level with a provision stay."""
    html = page(clients, "observer", reverse("agreement_implementation", args=[world["agreement"].id]))
    over = html[html.index('id="h-themes"') :]
    assert re.search(r'<td class="none" data-label="3 · Full">0</td>', over)
    assert not re.search(r'<td class="none" data-label="Not assessed">[1-9]', over)
    from pathlib import Path

    import ceasefire.web

    css = (Path(ceasefire.web.__file__).parent / "static/web/site.css").read_text()
    assert "table.stack.shares td.none { display: none; }" in css
