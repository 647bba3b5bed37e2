"""Input no command expects still gets the API's own answer: a field-naming 4xx, and for a bug,
a JSON 500 that says nothing was saved."""

import pytest

from ceasefire.mechanism import commands
from tests.api.conftest import assert_error, events

MEETING = {"starts_on": "2023-07-17", "city": "Paris", "country": "France"}


def test_a_lone_surrogate_is_named_not_a_500(facilitator):
    before = events()
    raw = '{"title": "a\\ud800b", "starts_on": "2023-07-17", "city": "Paris", "country": "France"}'
    assert_error(facilitator.post("/meetings", raw=raw), 422, "title")
    assert events() == before


def test_a_date_outside_the_calendar_the_record_keeps_is_named(facilitator):
    assert_error(
        facilitator.post("/meetings", {**MEETING, "title": "Far", "starts_on": "9999-01-01"}), 422, "starts_on"
    )


def test_a_bug_answers_json_500_and_writes_nothing(facilitator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(commands, "record_meeting", broken)
    before = events()
    response = facilitator.post("/meetings", {**MEETING, "title": "x"})
    assert response.status_code == 500
    assert response.json()["detail"][0]["field"] is None
    assert events() == before


pytestmark = pytest.mark.django_db
