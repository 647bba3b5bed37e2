"""Publishing for the public from the pages: the facilitator is offered it beside an adopted decision
and the committee's status, sees the copy the public will read, confirms; the public page then
shows the copy, never who said what. Nobody else is offered it."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ceasefire.publications.models import Publication
from ceasefire.web.views import public

pytestmark = pytest.mark.django_db


def public_home() -> str:
    """The public page as anyone reads it now: no page kept from another test's record (the cache
    is keyed by the checkpoint, and these histories have none), the record's state read again."""
    cache.clear()
    public._state = (0.0, None)
    return Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("public")).content.decode()


def test_the_facilitator_publishes_an_adopted_decision_and_the_public_page_shows_it(world, clients, events):
    adopted, past = world["adopted"], world["past"]
    meeting = clients["facilitator"].get(reverse("meeting", args=[past.reference])).content.decode()
    url = reverse("publish", args=["decision", adopted.id])
    assert f'href="{url}"' in meeting  # offered beside the adopted decision
    pending_url = reverse("publish", args=["decision", world["pending"].id])
    assert f'href="{pending_url}"' not in meeting  # not beside one not adopted

    page = clients["facilitator"].get(url).content.decode()
    assert "What the public will read" in page and adopted.text_en in page
    assert f"entry #{adopted.id}" in page

    before = events()
    unticked = clients["facilitator"].post(url, {})
    assert unticked.status_code == 422 and events() == before
    done = clients["facilitator"].post(url, {"confirm": "yes"})
    assert done.status_code == 302 and events() == before + 1
    published = Publication.objects.get(subject="decision", subject_id=adopted.id)

    meeting = clients["facilitator"].get(reverse("meeting", args=[past.reference])).content.decode()
    assert f"Published for the public (entry #{published.id})" in meeting
    assert f'href="{url}"' not in meeting
    again = clients["facilitator"].get(url)
    assert again.status_code == 409 and "Published already" in again.content.decode()

    home = public_home()
    assert adopted.text_en in home
    assert world["pending"].text_ar not in home


def test_the_facilitator_publishes_the_committees_status(world, clients):
    provision = world["withdrawal"]
    page = clients["facilitator"].get(reverse("provision", args=[provision.id])).content.decode()
    agreed = provision.agreed_statuses.get()
    url = reverse("publish", args=["agreed_status", agreed.id])
    assert f'href="{url}"' in page
    assert clients["facilitator"].post(url, {"confirm": "yes"}).status_code == 302

    home = public_home()
    assert "No status published" in home  # the other provisions
    assert "23 January 2021" in home  # the published status's day, beside its provision


@pytest.mark.parametrize("who", ["west-head", "east-member", "observer"])
def test_nobody_else_is_offered_it(world, clients, events, who):
    adopted = world["adopted"]
    meeting = clients[who].get(reverse("meeting", args=[world["past"].reference])).content.decode()
    url = reverse("publish", args=["decision", adopted.id])
    assert f'href="{url}"' not in meeting
    before = events()
    assert clients[who].get(url).status_code == 403
    assert clients[who].post(url, {"confirm": "yes"}).status_code == 403
    assert events() == before
