"""The decision form and card: a historical decision recorded as adopted according to its source,
and a decision that shows what it waits for."""

from django.urls import reverse

from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Decision


def test_a_past_decision_is_recorded_as_adopted_according_to_its_source(world, clients, events):
    past = world["past"]
    url = reverse("meeting_decision", args=[past.reference])
    before = events()
    source = "https://example.org/geneva-communique"
    response = clients["facilitator"].post(
        url,
        {
            "text": "Open the coastal road",
            "adopted_per_source.source": source,
            "adopted_per_source.on": "2020-10-23",
        },
    )
    assert response.status_code == 302 and events() == before + 2  # the decision, and its adoption per source
    d = Decision.objects.get(text_en="Open the coastal road")
    assert d.adopted_through == "source" and d.adopted_source == source and d.adopted_on.isoformat() == "2020-10-23"
    html = clients["east-head"].get(reverse("meeting", args=[past.reference])).content.decode()
    card = html[html.index(f'id="decision-{d.number}"') :]
    card = card[: card.index("</article>")]
    assert "Adopted according to:" in card and source in card and "23 October 2020" in card
    assert 'name="position"' not in card  # its adoption is the source's word: no position is asked


def test_a_sourced_adoption_on_a_day_outside_the_meeting_is_refused_at_its_field(world, clients, events):
    url = reverse("meeting_decision", args=[world["past"].reference])
    before = events()
    response = clients["facilitator"].post(
        url, {"text": "x", "adopted_per_source.source": "a press release", "adopted_per_source.on": "2020-11-30"}
    )
    assert response.status_code == 422 and events() == before
    assert 'id="f-adopted-per-source.on-error"' in response.content.decode()


def test_the_card_says_what_a_decision_waits_for(world, clients, actors):
    upcoming = world["upcoming"]
    d = commands.record_decision(actors["facilitator"], upcoming.id, {"text": "Demine the road"})
    commands.take_position(actors["west-head"], d.id, {"position": "approve"})
    html = clients["west-member"].get(reverse("meeting", args=[upcoming.reference])).content.decode()
    assert "Not adopted" in html and "the meeting has not taken place yet" in html
    assert "position of the delegation of Eastern region not given" in html
    assert "quorum of the delegation of Western region not recorded" in html
