"""Every list says when it is empty, and offers the facilitator the way to fill it."""

import pytest
from django.urls import reverse

from ceasefire.mechanism import commands

pytestmark = pytest.mark.django_db


def get(clients, username, url):
    response = clients[username].get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_no_meetings_yet(mechanism, clients):
    html = get(clients, "facilitator", reverse("meetings"))
    assert "No meetings recorded yet" in html and "Record the first meeting" in html
    html = get(clients, "west-head", reverse("meetings"))
    assert "No meetings recorded yet" in html and "Record the first meeting" not in html


def test_no_agreements_yet(mechanism, clients):
    html = get(clients, "facilitator", reverse("agreements"))
    assert "No agreements recorded yet" in html and "Record the first agreement" in html


def test_no_members_yet(mechanism, clients):
    html = get(clients, "facilitator", reverse("mechanism"))
    assert "No members appointed yet" in html and "Appoint the first member" in html
    assert html.count("vacant") >= 10


def test_an_empty_meeting(mechanism, actors, clients):
    meeting = commands.record_meeting(
        actors["facilitator"], {"title": "First", "starts_on": "2026-01-01", "city": "Tunis", "country": "Tunisia"}
    )
    html = get(clients, "east-member", reverse("meeting", args=[meeting.reference]))
    for text in (
        "Attendance has not been recorded yet.",
        "No agenda items yet.",
        "No decisions before the committee at this meeting.",
        "No action items from this meeting.",
        "No minutes recorded yet.",
    ):
        assert text in html, text
    # An observer is told what stays with the parties, not that there is none.
    html = get(clients, "observer", reverse("meeting", args=[meeting.reference]))
    for text in (
        "Attendance has not been recorded yet.",
        "Nothing of the agenda has been shared with observers yet: it stays with the parties.",
        "No decisions before the committee at this meeting.",
        "Action items stay with the parties.",
        "The minutes stay with the parties.",
    ):
        assert text in html, text
    assert "No minutes recorded yet." not in html and "No action items from this meeting." not in html


def test_an_empty_agreement(mechanism, actors, clients):
    from ceasefire.agreements import commands as agreements

    a = agreements.record_agreement(actors["facilitator"], {"title": "Draft"})
    html = get(clients, "facilitator", reverse("agreement", args=[a.id]))
    assert "No principles recorded." in html and "No items recorded." in html


def test_an_empty_record_is_impossible_but_handled(db, django_user_model):
    from django.test import Client

    from ceasefire.mechanism.models import Account
    from tests.helpers import signed_in

    # create_account enrolls the account in the record: an account made outside it (a database
    # shell, an older version) meets a record with no entry at all.
    user = django_user_model.objects.create(username="obs")
    Account.objects.create(user=user, role="observer")
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    signed_in(c, user)
    assert "The record is empty." in c.get(reverse("record")).content.decode()
    # The record's own pages hold up with no event, no committee and no checkpoint yet.
    html = c.get(reverse("witnesses")).content.decode()
    assert "No checkpoint has been signed yet." in html and "no key registered" in html
    assert "How to check the record" in c.get(reverse("record_explained")).content.decode()
    assert c.get(reverse("event", args=[0])).status_code == 404


def test_a_new_committee_has_no_witness_yet(mechanism, clients):
    html = get(clients, "observer", reverse("dashboard"))
    assert html.count("no key registered") == 3  # two parties and the mission
    html = get(clients, "observer", reverse("event", args=[0]))
    assert "Verified." in html  # establishing the committee signed the first checkpoint
