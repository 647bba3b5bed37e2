"""Landmarks, a skip link, labels on every input, headers with scope, errors announced: on every page."""

import pytest
from django.urls import reverse

from .a11y import problems
from .pages import form_pages, read_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_is_well_formed_for_assistive_technology(world, clients, client, lang):
    client.cookies["django_language"] = lang
    responses = {reverse("login"): client.get(reverse("login"))}
    for username in ("facilitator", "west-head", "observer"):
        c = clients[username]
        c.cookies["django_language"] = lang
        for url in read_pages(world) + [u for u, roles in form_pages(world).items() if username in roles]:
            responses[f"{username} {url}"] = c.get(url)
    for where, response in responses.items():
        assert response.status_code == 200, where
        assert problems(response.content.decode(), signed_in=where != reverse("login")) == [], where


def test_a_refused_form_is_still_well_formed_and_announces_its_errors(world, clients):
    response = clients["facilitator"].post(reverse("meeting_new"), {"starts_on": "soon"})
    html = response.content.decode()
    assert problems(html) == []
    assert '<div aria-live="assertive">' in html and 'role="alert"' in html


def test_the_position_forms_on_one_page_have_distinct_ids(world, actors, clients):
    from ceasefire.mechanism import commands

    commands.record_decision(actors["facilitator"], world["past"].id, {"text": "A third"})
    html = clients["west-head"].get(reverse("meeting", args=[world["past"].reference])).content.decode()
    ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert html.count('name="position"') == 6  # two open decisions, three choices each
