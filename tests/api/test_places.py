"""GET /places (the gazetteer), a report's district and nearest place, and the list's text
search with the one normalisation and the gazetteer's spellings."""

import pytest

from ceasefire.incidents import commands as incidents

from .conftest import assert_error
from .endpoints import REPORT


def test_a_town_in_either_script_and_a_variant(api, db):
    for typed in ("سرت", "Sirte", "surt", "SIRT"):
        r = api(None).get("/places", {"q": typed})
        assert r.status_code == 200, r.content
        first = r.json()["items"][0]
        assert first["id"] == "osm:n299616414" and first["name_ar"] == "سرت" and first["name_en"] == "Sirte"
        assert first["geo_precision"] == 1 and first["kind"] in ("town", "city")
        district = first["district"]
        assert (district["code"], district["name_ar"], district["name_en"]) == ("LY-SR", "سرت", "Sirte")
        assert abs(first["latitude"] - 31.2) < 0.1 and abs(first["longitude"] - 16.6) < 0.1


def test_the_name_follows_the_readers_language(api, db):
    en = api(None, language="en").get("/places", {"q": "الجفره"}).json()["items"][0]
    ar = api(None, language="ar").get("/places", {"q": "الجفره"}).json()["items"][0]
    assert (en["id"], en["kind"], en["geo_precision"]) == ("LY-JU", "district", 3)
    assert en["name"] == "Jufra" and ar["name"] == "الجفرة"
    assert en["matched"] == "الجفرة"  # the spelling as the gazetteer writes it, not as typed


def test_limit_and_count(api, db):
    body = api(None).get("/places", {"q": "al", "limit": 3}).json()
    assert body["count"] == 3 and len(body["items"]) == 3
    assert api(None).get("/places", {"q": "qqqzzz"}).json() == {"count": 0, "items": []}


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": " - ،"}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "sirte", "limit": 0}, "limit"),
        ({"q": "sirte", "limit": 51}, "limit"),
        ({"q": "sirte", "limit": "many"}, "limit"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, db, params, field):
    assert_error(api(None).get("/places", params), 422, field)


def test_a_report_answers_its_district_and_nearest_place(api, actors, typology):
    r = incidents.file_report(
        actors["west-member"], {**REPORT, "latitude": 31.215, "longitude": 16.58, "geo_precision": 2}
    )
    body = api("west-member", language="en").get(f"/reports/{r.id}").json()
    assert body["district"] == {"code": "LY-SR", "name": "Sirte", "name_ar": "سرت", "name_en": "Sirte"}
    near = body["nearest_place"]
    assert (near["id"], near["name_ar"], near["name_en"]) == ("osm:n299616414", "سرت", "Sirte")
    assert 0 < near["distance_km"] < 3
    # the report's own claim is unchanged beside it
    assert (body["latitude"], body["longitude"], body["geo_precision"]) == (31.215, 16.58, 2)


def test_a_report_without_coordinates_or_outside_libya(api, actors, typology):
    named = incidents.file_report(
        actors["west-member"],
        {**REPORT, "latitude": None, "longitude": None, "geo_precision": None, "place_ar": "سرت", "place_en": ""},
    )
    body = api("west-member").get(f"/reports/{named.id}").json()
    assert body["district"] is None and body["nearest_place"] is None
    at_sea = incidents.file_report(actors["west-member"], {**REPORT, "latitude": 34.5, "longitude": 18.0})
    body = api("west-member").get(f"/reports/{at_sea.id}").json()
    assert body["district"] is None and body["nearest_place"] is None  # 150 km out to sea


@pytest.fixture
def spelled(actors, typology):
    """Reports whose texts are written with the marks and letters a search must see through."""

    def file(**changes):
        return incidents.file_report(actors["west-member"], {**REPORT, **changes}).id

    return {
        "jufra": file(
            title="اشتباك في الجفرة", place_ar="الجفرة", place_en="", latitude=None, longitude=None, geo_precision=None
        ),
        "ceasefire": file(title="خرق لوقف إطلاق النار", narrative="سُمع إطلاقُ نار كثيف قرب البوابة"),
        "drone": file(title="طائرة مسيّرة فوق المعسكر", narrative="رُصدت مُسيَّرة على ارتفاع منخفض"),
        "sirte": file(
            title="Shots near the port", place_ar="سرت", place_en="", latitude=None, longitude=None, geo_precision=None
        ),
        "desert": file(title="Patrol in the desert", narrative="A patrol crossed the desert at km ٦٠."),
        "syrte": file(title="Clash at Syrte's harbour", narrative="Shots were heard."),
        "insert": file(title="Leaflets inserted under doors", narrative="Leaflets were found."),
    }


@pytest.mark.parametrize(
    "q, expected",
    [
        ("الجفره", {"jufra"}),
        ("الجفرة", {"jufra"}),
        ("Jufra", {"jufra"}),  # the gazetteer's English name finds the Arabic one
        ("اطلاق", {"ceasefire"}),
        ("إطلاق", {"ceasefire"}),
        ("مسيرة", {"drone"}),
        ("مسيّرة", {"drone"}),
        ("Sirte", {"sirte", "syrte"}),  # not "desert", nor "inserted": a Latin variant is a whole word
        ("Surt", {"sirte", "syrte"}),  # variants only the gazetteer knows
        ("سـرت", {"sirte", "syrte"}),
        ("km 60", {"desert"}),  # Arabic-Indic digits in the text
        ("DESERT", {"desert"}),
    ],
)
def test_the_list_searches_through_spellings(api, spelled, q, expected):
    r = api("west-member").get("/reports", {"q": q, "limit": 200})
    assert r.status_code == 200, r.content
    by_id = {v: k for k, v in spelled.items()}
    assert {by_id[i["id"]] for i in r.json()["items"] if i["id"] in by_id} == expected


def test_the_text_is_shown_as_typed(api, spelled):
    item = api("west-member").get(f"/reports/{spelled['drone']}").json()
    assert item["title_ar"] == "طائرة مسيّرة فوق المعسكر"
    assert "search_text" not in item


def test_replay_rebuilds_the_search_column(api, spelled):
    from ceasefire.incidents.models import Report
    from ceasefire.record import replay

    Report.objects.update(search_text="")  # as if the column were lost
    assert api("west-member").get("/reports", {"q": "الجفره"}).json()["count"] == 0
    replay.rebuild()
    found = api("west-member").get("/reports", {"q": "الجفره"}).json()
    assert [i["id"] for i in found["items"]] == [spelled["jufra"]]
    assert Report.objects.get(id=spelled["drone"]).search_text.startswith(" طايره مسيره فوق المعسكر \n")
