"""A sign-off refused because the findings were redrafted meanwhile shows the new draft, and the
form then carries that draft: signing again signs what the page shows, not the stale draft again."""

import pytest
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Report
from ceasefire.record.models import Event

from .reports_world import FINDINGS, reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def hidden(html: str, name: str) -> str:
    marker = f'<input type="hidden" name="{name}" value="'
    assert marker in html, html[:3000]
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_the_form_refused_for_a_stale_draft_carries_the_current_one(reports, actors, clients, events):
    r = reports["findings"]
    url = reverse("report_sign", args=[r.reference])
    east = clients["east-member"]
    read = hidden(east.get(url).content.decode(), "draft")
    assert read == str(r.draft)
    commands.draft_findings(actors["west-member"], r.id, FINDINGS)  # redrafted while east was reading
    current = Report.objects.get(id=r.id).draft
    assert current != r.draft

    before = events()
    refused = east.post(url, {"confirm": "yes", "agrees": "true", "draft": read})
    assert refused.status_code == 409, refused.status_code
    assert events() == before
    assert hidden(refused.content.decode(), "draft") == str(current)

    again = east.post(url, {"confirm": "yes", "agrees": "true", "draft": hidden(refused.content.decode(), "draft")})
    assert again.status_code == 302, again.content.decode()[:3000]
    assert events() == before + 1
    assert Report.objects.get(id=r.id).signoffs.filter(side="east", agrees=True).exists()
    signed = Event.objects.order_by("-seq").first()
    assert signed.type == "findings.signed" and signed.payload["draft"] == current
