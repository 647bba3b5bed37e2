"""Every export format, through the API and the list page, holds nothing the reader may not read.

The history of tests/test_audience_leaks.py (every event type, strings only the parties may read
planted in it, and strings observers may read but not the public) is exported in every format, as
every reader, with no filter and with each filter value that history makes, and each file is
searched for what that reader must not read. The parties must find in their own export what an
export carries (titles, narratives, how sources are described, who gave a figure), so the search
cannot pass on empty files. The walk of test_audience_leaks.py covers the default format already;
this one covers the others and the filters.
"""

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.incidents import exchange
from tests.helpers import signed_in
from tests.test_audience_leaks import OUTSIDE, _text, usernames, world  # noqa: F401  (fixture)

FILTERS = [{}, {"status": "concluded"}, {"alleged_party": "east"}, {"category": "shelling"}, {"q": "published"}]


def exports(world, who: str) -> dict[str, str]:
    token = world["tokens"].get(who)
    api = Client(headers={"Authorization": f"Bearer {token}"} if token else {})
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        signed_in(page, world["users"][who])
    answers = {}
    for fmt in exchange.FORMATS:
        for filters in FILTERS:
            params = {"format": fmt, **filters}
            r = api.get("/api/v1/reports/export", params)
            assert r.status_code == 200 and r.streaming, (who, params)
            answers[f"api {params}"] = _text(r)
            if who != "anonymous":  # the pages are for the signed in
                r = page.get(reverse("reports_export"), params)
                assert r.status_code == 200 and r.streaming, (who, params)
                answers[f"page {params}"] = _text(r)
    return answers


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDE)
def test_no_export_gives_observers_or_the_public_what_is_the_parties(world, who):
    planted = world["planted"]
    secrets = planted.parties | (planted.observers if who == "anonymous" else set())
    names = usernames()  # no export names an account, not even the reader's own
    found = sorted((where, s) for where, text in exports(world, who).items() for s in secrets | names if s in text)
    assert not found, "\n".join(f"{where}: {s}" for where, s in found)
    seen = "".join(exports(world, who).values())
    assert "published" in seen  # the published report reaches everyone
    if who == "observer":
        assert "oxtitlesharedzq" in seen and "oxnarrativesharedzq" in seen


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["west-member", "facilitator"])
def test_the_parties_export_what_an_export_carries(world, who):
    answers = exports(world, who)
    seen = "".join(answers.values())
    carried = {"pxtitlekeptzq", "pxnarrativekeptzq", "pxsourcekeptzq", "pxcasualtysourcekeptzq", "oxtitlesharedzq"}
    assert {s for s in carried if s not in seen} == set()
    # each format on its own carries the titles: none is searched empty (XLSX is read by its cells)
    for fmt in exchange.FORMATS:
        own = "".join(text for where, text in answers.items() if f"'format': '{fmt}'" in where)
        assert "pxtitlekeptzq" in own and "oxtitlesharedzq" in own, fmt
    assert not {name for name in usernames() if name in seen}  # accounts are never exported
