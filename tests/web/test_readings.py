"""The reading form and the provision page: the facilitator records a reading in a party's name,
and the page says who stated each reading and who recorded it."""

from django.urls import reverse

from ceasefire.agreements import commands
from ceasefire.agreements.models import Interpretation


def test_a_reading_recorded_by_the_facilitator_in_a_partys_name_is_shown_as_such(actors, clients, events):
    agreement = commands.record_agreement(
        actors["facilitator"], {"title": "Security arrangements", "signed_on": "2026-01-10"}
    )
    provision = commands.add_provision(actors["facilitator"], agreement.id, {"number": "1", "text": "Demining"})
    before = events()
    response = clients["facilitator"].post(
        reverse("interpretation_new", args=[provision.id]), {"party": "east", "reading": "Main roads first"}
    )
    assert response.status_code == 302 and events() == before + 1
    response = clients["east-head"].post(
        reverse("interpretation_new", args=[provision.id]), {"reading": "Main roads only"}
    )
    assert response.status_code == 302 and events() == before + 2
    assert list(Interpretation.objects.filter(provision=provision).values_list("party_id", "recorded_by")) == [
        ("east", "facilitator"),
        ("east", "party"),
    ]
    html = clients["observer"].get(reverse("agreement", args=[agreement.id])).content.decode()
    section = html[html.index(f'id="provision-{provision.id}"') :]
    assert section.count("Stated by") == 2
    order = [
        section.index(s)
        for s in ("Recorded by the facilitator", "Main roads first", "Recorded by its delegation", "Main roads only")
    ]
    assert order == sorted(order)
