"""The one normalisation (ceasefire.text): every rule, both ways round: the plain form finds the
marked one and the marked one finds the plain."""

import pytest

from ceasefire.text import normalise

SAME = [
    # ta marbuta and ha
    ("الجفرة", "الجفره"),
    ("مصراتة", "مصراته"),
    # hamza on and under alef, alef madda, alef wasla: bare alef
    ("إطلاق", "اطلاق"),
    ("أجدابيا", "اجدابيا"),
    ("آمر", "امر"),
    ("ٱلقذافي", "القذافي"),
    # hamza on waw and ya (NFKD splits them too)
    ("مسؤول", "مسوول"),
    ("قائد", "قايد"),
    # alef maqsura and ya
    ("مستشفى", "مستشفي"),
    ("الهلال الأعلى", "الهلال الاعلي"),
    # harakat, shadda included, sukun, tanwin, superscript alef
    ("مسيّرة", "مسيرة"),
    ("مُسَيَّرَةٌ", "مسيره"),
    ("قَصْف", "قصف"),
    ("هٰذا", "هذا"),
    # tatweel
    ("سـرت", "سرت"),
    ("هـــجوم", "هجوم"),
    # Arabic-Indic and Persian digits
    ("٢٠٢٦", "2026"),
    ("۱۲۳", "123"),
    ("الكيلو ٦٠", "الكيلو 60"),
    # Persian letters typed for Arabic ones
    ("ی", "ي"),
    ("ک", "ك"),
    # presentation forms
    ("ﻻ", "لا"),
    # Latin: case, accents, punctuation between words
    ("SIRTE", "sirte"),
    ("Abyār", "abyar"),
    ("Brak al-Shati", "brak al shati"),
    ("  Ras   Lanuf ", "ras lanuf"),
]


@pytest.mark.parametrize("written, plain", SAME)
def test_both_forms_normalise_alike(written, plain):
    assert normalise(written) == normalise(plain)


@pytest.mark.parametrize("written, plain", SAME)
def test_either_form_is_found_inside_a_text_written_the_other_way(written, plain):
    assert normalise(written) in normalise(f"تقرير عن {plain} اليوم")
    assert normalise(plain) in normalise(f"تقرير عن {written} اليوم")


def test_the_exact_forms():
    assert normalise("إطلاق النار في الجفرة") == "اطلاق النار في الجفره"
    assert normalise("طائرة مسيّرة ٣") == "طايره مسيره 3"
    assert normalise("Ghardabiya Air-Base") == "ghardabiya air base"


def test_letters_that_differ_stay_different():
    # ha and ta marbuta meet, but ta (ت) is not ha; ya is not alef; hamza alone stays
    assert normalise("سرت") != normalise("سره")
    assert normalise("علي") != normalise("علا")
    assert normalise("ماء") == "ماء"
    assert normalise("Sirte") != normalise("Sirta")


def test_empty_and_nothing_but_marks():
    assert normalise("") == ""
    assert normalise(None) == ""
    assert normalise("ـّـ") == ""
    assert normalise(" - ") == ""
