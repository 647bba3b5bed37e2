"""An error the API answers is in the reader's language, pydantic's and the JSON parser's too."""

import re

import pytest

from .conftest import assert_error

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


@pytest.mark.parametrize(
    "body, field, arabic",
    [
        ({"title": 5, "starts_on": "2026-12-01"}, "title", "يجب أن يكون نصًا"),
        ({"title": ["a"], "starts_on": "2026-12-01"}, "title", "يجب أن يكون نصًا"),
    ],
)
def test_a_field_of_the_wrong_type_is_named_in_arabic(api, body, field, arabic):
    r = api("facilitator", language="ar").post("/meetings", body)
    assert_error(r, 422, field)
    messages = [e["message"] for e in r.json()["detail"] if e["field"] == field]
    assert messages == [arabic]


@pytest.mark.parametrize(
    "raw, arabic",
    [
        ('{"title": ', "كان متوقعًا قيمة"),
        ('{"title": "a",}', "كان متوقعًا اسم حقل بين علامتي تنصيص مزدوجتين"),
        ('{"title" "a"}', "كانت متوقعة نقطتان (:)"),
        ('{"title": "a"} x', "يوجد محتوى بعد قيمة JSON"),
        ('{"title": "a', "نص لم يُغلق"),
        ('{"title": "\\u12"}', "نص يحتوي على تسلسل هروب غير صالح"),
    ],
)
def test_json_that_cannot_be_read_is_explained_in_arabic(api, raw, arabic):
    r = api("facilitator", language="ar").post("/meetings", raw=raw)
    assert_error(r, 400, "body")
    (message,) = [e["message"] for e in r.json()["detail"]]
    assert arabic in message
    # "JSON" is the format's name; no other English word is left in an Arabic answer
    assert LATIN_WORD.findall(message.replace("JSON", "")) == []


def test_the_same_errors_in_english(api):
    r = api("facilitator", language="en").post("/meetings", raw='{"title": ')
    assert_error(r, 400, "body")
    assert r.json()["detail"][0]["message"].startswith("is not valid JSON: a value was expected at line 1")
    r = api("facilitator", language="en").post("/meetings", {"title": 5, "starts_on": "2026-12-01"})
    assert [e["message"] for e in r.json()["detail"] if e["field"] == "title"] == ["must be text"]


def test_pydantic_patterns_and_choices_are_said_in_arabic(api):
    r = api("facilitator", language="ar").get("/members", {"party": "!!"})
    assert r.status_code == 422
    (message,) = [e["message"] for e in r.json()["detail"]]
    assert message.startswith("يجب أن يطابق النمط")
    r = api("facilitator", language="ar").get("/reports/export", {"format": "xml"})
    assert r.status_code == 422
    (message,) = [e["message"] for e in r.json()["detail"]]
    assert message.startswith("يجب أن يكون واحدًا من") and " or " not in message
