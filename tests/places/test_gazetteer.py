"""The gazetteer as shipped: look-ups in both scripts and through variants, districts of points,
including on a border and outside Libya, and the nearest place."""

import pytest

from ceasefire.places.gazetteer import NEAREST_WITHIN_KM, gazetteer

SIRTE = "osm:n299616414"


def test_the_shipped_data_is_whole():
    g = gazetteer()
    assert len(g.districts) == 22 and len(g.places) == 982
    assert all(p.district_code in g.districts for p in g.places)
    # every district's stand-in point lies inside it
    assert all(d.contains(d.latitude, d.longitude) for d in g.districts.values())


@pytest.mark.parametrize("typed", ["Sirte", "sirte", "SIRT", "Surt", "سرت", "سـرت", "Syrte"])
def test_sirte_in_either_script_and_any_spelling(typed):
    first = gazetteer().find(typed)[0]
    assert (first.id, first.name_ar, first.name_en, first.precision) == (SIRTE, "سرت", "Sirte", 1)
    assert first.district.code == "LY-SR"


@pytest.mark.parametrize("typed", ["الجفره", "الجفرة", "Jufra", "jufra"])
def test_a_district_is_offered_at_the_district_precision(typed):
    found = {m.id: m for m in gazetteer().find(typed)}
    jufra = found["LY-JU"]
    assert (jufra.kind, jufra.precision, jufra.name_ar, jufra.name_en) == ("district", 3, "الجفرة", "Jufra")
    assert "icao:HL69" in found  # Al Jufra Air Base, a place within it


def test_a_prefix_and_a_word_inside_a_name_are_found_whole_names_first():
    found = gazetteer().find("طرابل")
    assert found[0].name_en == "Tripoli" and found[0].precision == 1
    assert "Port of Tripoli" in [m.name_en for m in gazetteer().find("tripoli")]
    assert [m.name_en for m in gazetteer().find("lanuf")][:1] == ["Ras Lanuf"]
    # the hamza of رأس is neither needed nor in the way
    assert gazetteer().find("راس لانوف")[0].name_ar == "رأس لانوف"


def test_the_matched_spelling_is_kept_as_written():
    m = gazetteer().find("surt")[0]
    assert m.matched == "Surt" and m.name_en == "Sirte"


def test_nothing_found_and_a_limit():
    assert gazetteer().find("zzzzqx") == []
    assert gazetteer().find("   ") == []
    assert len(gazetteer().find("a", limit=7)) == 7


def test_variants_join_the_spellings_of_one_town():
    names = gazetteer().variants("Surt")
    assert {"سرت", "sirte", "sirt", "surt"} <= names
    # not the air base that also answers to "Sirte"
    assert "ghardabiya air base" not in names
    assert gazetteer().variants("كلمة لا مكان لها") == {"كلمه لا مكان لها"}


@pytest.mark.parametrize(
    "lat, lon, code",
    [
        (31.2089, 16.5887, "LY-SR"),  # Sirte
        (32.8872, 13.1913, "LY-TB"),  # Tripoli
        (32.1167, 20.0667, "LY-BA"),  # Benghazi
        (29.1167, 15.9333, "LY-JU"),  # Hun
        (24.9, 10.18, "LY-GT"),  # near Ghat, by the Algerian border
    ],
)
def test_district_of_a_point(lat, lon, code):
    assert gazetteer().district_at(lat, lon).code == code


@pytest.mark.parametrize(
    "lat, lon",
    [
        (36.8065, 10.1815),  # Tunis
        (33.6, 15.0),  # the sea north of Misrata
        (30.05, 31.23),  # Cairo
        (12.0, 17.0),  # Chad
    ],
)
def test_outside_libya_there_is_no_district(lat, lon):
    assert gazetteer().district_at(lat, lon) is None


def test_on_the_border_of_sirte_and_jufra():
    g = gazetteer()
    # two consecutive vertices the two districts share: the middle of that edge is on both
    (x1, y1), (x2, y2) = (15.385166, 29.613338), (15.502983, 29.614721)
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    assert g.districts["LY-SR"].contains(my, mx) and g.districts["LY-JU"].contains(my, mx)
    assert g.district_at(my, mx).code == "LY-JU"  # the first by code keeps the border
    assert g.district_at(y1, x1).code == "LY-JU"  # a shared vertex likewise
    # a hair (about 10 m) either side of it
    assert g.district_at(my + 0.0001, mx).code == "LY-SR"
    assert g.district_at(my - 0.0001, mx).code == "LY-JU"


def test_the_nearest_place_and_its_distance():
    place, km = gazetteer().nearest(31.21, 16.59)
    assert place.id == SIRTE and km < 2
    assert gazetteer().nearest(45.0, 10.0) is None  # further than NEAREST_WITHIN_KM from any
    place, km = gazetteer().nearest(33.5, 13.0)  # at sea off Tripoli: still named, with its distance
    assert km <= NEAREST_WITHIN_KM and place.district_code in ("LY-TB", "LY-JI", "LY-ZA")


def test_search_terms_are_the_text_and_the_other_spellings_none_holding_another():
    from ceasefire.places.gazetteer import search_terms

    terms = search_terms("Surt")
    assert "surt" in terms and "سرت" in terms and " sirte " in terms and " sirt " in terms
    assert not any(o != t and o in t for t in terms for o in terms)
    assert search_terms("desert") == ["desert"]
    assert search_terms(" ـّ ") == []
