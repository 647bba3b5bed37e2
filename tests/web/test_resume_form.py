"""The return of a party through its form, with its note and source; a suspension overlapping an
earlier one is refused at its date."""

from django.urls import reverse

from ceasefire.mechanism.models import Suspension


def test_the_return_form_takes_a_note_and_a_source(world, clients, events):
    c = clients["east-head"]
    assert c.post(reverse("party_suspend", args=["east"]), {"since": "2026-05-01"}).status_code == 302
    form = c.get(reverse("party_resume", args=["east"])).content.decode()
    assert 'name="note"' in form and 'name="source"' in form
    before = events()
    response = c.post(
        reverse("party_resume", args=["east"]),
        {"on": "2026-05-20", "note": "Back after consultations", "source": "https://example.org/return"},
    )
    assert response.status_code == 302 and events() == before + 1
    s = Suspension.objects.get(party="east", since="2026-05-01")
    assert (s.resumption_note_en, s.resumption_source) == ("Back after consultations", "https://example.org/return")
    html = clients["observer"].get(reverse("mechanism")).content.decode()
    assert "Back after consultations" in html and "https://example.org/return" in html


def test_a_suspension_inside_an_earlier_one_is_refused_at_its_date(world, clients, events):
    # The world's east was suspended from 10 January to 1 February 2022.
    before = events()
    response = clients["east-head"].post(reverse("party_suspend", args=["east"]), {"since": "2022-01-20"})
    assert response.status_code == 409 and events() == before
    html = response.content.decode()
    assert 'id="f-since-error"' in html and "must not overlap" in html
