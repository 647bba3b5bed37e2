"""A report shared with observers while its findings are a draft: the page and the API show them its
narrative, never how its source is described, who gave a casualty figure, nor the draft's
attribution and recommendations (its addressee is an attribution too)."""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.api.tokens import create_token
from ceasefire.incidents import commands
from tests.api.conftest import Api
from tests.conftest import FACILITATOR
from tests.samples import REPORT
from tests.web.reports_world import to_findings

pytestmark = pytest.mark.django_db

SOURCE = "Shepherd from the western farms"
CASUALTY_SOURCE = "The Abu Qurayn clinic"


@pytest.fixture
def shared(world, actors):
    commands.adopt_default_typology(FACILITATOR)
    r = commands.file_report(
        actors["west-member"],
        {
            **REPORT,
            "narrative": "Three rounds fell east of the checkpoint.",
            "source_en": SOURCE,
            "casualties": [{"kind": "injured", "group": "civilian", "count": 2, "source": CASUALTY_SOURCE}],
        },
    )
    r = to_findings(actors, r)
    return commands.set_visibility(FACILITATOR, r.id, {"visibility": "observers"})


def test_the_page(shared, clients):
    url = reverse("report", args=[shared.reference])
    html = clients["west-member"].get(url).content.decode()
    assert SOURCE in html and CASUALTY_SOURCE in html and "Withdraw the battery" in html
    html = clients["observer"].get(url).content.decode()
    assert "Three rounds fell east of the checkpoint." in html
    assert SOURCE not in html and CASUALTY_SOURCE not in html
    assert "Withdraw the battery" not in html and "Recommendations" not in html


def test_the_api(shared, accounts):
    observer = Api(Client(), create_token(accounts["observer"], "tests"))
    body = observer.get(f"/reports/{shared.id}").json()
    assert body["narrative_en"] == "Three rounds fell east of the checkpoint."
    assert body["source"] is body["source_en"] is None and body["casualties"][0]["source"] == ""
    [finding] = body["findings"]
    assert finding["attributed_to"] is None and finding["recommendations"] == []
    assert observer.get("/recommendations").json() == []
    party = Api(Client(), create_token(accounts["east-member"], "tests"))
    [rec] = party.get("/recommendations").json()
    assert rec["addressee_party"] == "east" and rec["text_en"] == "Withdraw the battery"


DISSENT = "The craters face the other way"


def test_each_sides_sign_off_and_its_reasons(shared, actors, clients, accounts):
    commands.sign_findings(
        actors["east-member"], shared.id, {"agrees": False, "reasons": DISSENT, "draft": shared.draft}
    )
    url = reverse("report", args=[shared.reference])
    assert DISSENT in clients["west-member"].get(url).content.decode()
    html = clients["observer"].get(url).content.decode()
    assert DISSENT not in html and 'id="signoffs"' not in html
    observer = Api(Client(), create_token(accounts["observer"], "tests"))
    body = observer.get(f"/reports/{shared.id}").json()
    assert body["status"] == "disputed" and body["signoffs"] is None and DISSENT not in str(body)
    party = Api(Client(), create_token(accounts["west-member"], "tests"))
    assert [s["reasons_en"] for s in party.get(f"/reports/{shared.id}").json()["signoffs"]] == [DISSENT]
