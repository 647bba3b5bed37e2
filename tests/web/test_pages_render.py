"""Every page renders for every role; nothing but the login page and the language switch is open."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES

from .pages import form_pages, read_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ROLES)
def test_every_page_renders_for_every_role(world, clients, username):
    for url in read_pages(world):
        response = clients[username].get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("username", ROLES)
def test_form_pages_open_to_the_roles_the_command_accepts(world, clients, username):
    for url, allowed in form_pages(world).items():
        response = clients[username].get(url)
        expected = 200 if username in allowed else 403
        assert response.status_code == expected, (url, response.status_code)


def test_anonymous_is_sent_to_the_login_page(world, client):
    for url in read_pages(world) + list(form_pages(world)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_anonymous_posts_are_sent_to_the_login_page_and_append_nothing(world, client, events):
    before = events()
    for url in form_pages(world):
        response = client.post(url, {"title": "x"})
        assert response.status_code == 302, url
    assert events() == before


def test_the_login_page_is_open(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_an_unknown_meeting_or_agreement_is_404_not_500(world, clients):
    c = clients["facilitator"]
    assert c.get("/meetings/M-2020-0999/").status_code == 404
    assert c.get("/meetings/M-1999-0001/").status_code == 404  # number exists, year is wrong
    assert c.get("/agreements/999999/").status_code == 404
    assert c.get(reverse("position", args=[world["past"].reference, 99])).status_code == 404
    assert c.get(reverse("member_replace", args=[999999])).status_code == 404
    assert c.get(reverse("party_suspend", args=["nowhere"])).status_code == 404


def test_signed_in_users_are_sent_on_from_the_login_page(accounts, clients):
    response = clients["observer"].get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_sign_out_is_a_post(accounts, clients):
    c = clients["observer"]
    response = c.post(reverse("logout"))
    assert response.status_code == 302
    assert c.get(reverse("dashboard")).status_code == 302


def test_a_form_the_state_of_things_rules_out_says_so_with_409(world, clients):
    c = clients["facilitator"]
    assert c.get(reverse("party_resume", args=["west"])).status_code == 409  # not suspended
    ended = world["members"][("east", 5)]  # replaced in 2021
    response = c.get(reverse("member_replace", args=[ended.id]))
    assert response.status_code == 409 and "already ended" in response.content.decode()
    assert c.get(reverse("member_end", args=[ended.id])).status_code == 409
    c.post(reverse("party_suspend", args=["west"]), {"since": "2026-01-01"})
    assert c.get(reverse("party_suspend", args=["west"])).status_code == 409
    assert c.get(reverse("party_resume", args=["west"])).status_code == 200
    # The role still comes first: a member is told it is not theirs to do.
    assert clients["west-member"].get(reverse("party_resume", args=["west"])).status_code == 403
