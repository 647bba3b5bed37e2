import datetime as dt

import pytest

from ceasefire.agreements import commands
from ceasefire.agreements.models import add_months
from ceasefire.errors import Conflict, Forbidden, Invalid, NotFound
from tests.conftest import FACILITATOR
from tests.helpers import refused


@pytest.fixture
def agreement(mechanism):
    return commands.record_agreement(
        FACILITATOR,
        {"title": "Agreement for a Complete and Permanent Ceasefire", "signed_on": "2020-10-23", "place": "Geneva"},
    )


def test_a_deadline_counted_from_signature_becomes_a_date(agreement):
    item = commands.add_provision(
        FACILITATOR,
        agreement.id,
        {
            "number": "2",
            "text": "Units return to their camps",
            "deadline_months": 3,
            "deadline": "3 months from signature",
        },
    )
    assert item.due_on == dt.date(2021, 1, 23)
    assert item.deadline_en == "3 months from signature" and item.kind == "item" and item.committee_role == "monitors"
    dated = commands.add_provision(
        FACILITATOR, agreement.id, {"number": "1", "text": "Ceasefire", "deadline_on": "2020-10-23"}
    )
    assert dated.due_on == dt.date(2020, 10, 23) and dated.order == 2
    assert (
        commands.add_provision(FACILITATOR, agreement.id, {"number": "P1", "text": "Unity", "kind": "principle"}).due_on
        is None
    )


@pytest.mark.parametrize(
    "start, months, expected",
    [
        ("2020-10-23", 3, "2021-01-23"),
        ("2021-01-31", 1, "2021-02-28"),
        ("2020-11-30", 3, "2021-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2020-10-23", 0, "2020-10-23"),
    ],
)
def test_months_are_counted_on_the_calendar(start, months, expected):
    assert add_months(dt.date.fromisoformat(start), months).isoformat() == expected


@pytest.mark.parametrize(
    "data, error, field",
    [
        ({"text": "x"}, Invalid, "number"),
        ({"number": "1"}, Invalid, "text"),
        ({"number": "1", "text": "x", "deadline_on": "2021-01-01", "deadline_months": 3}, Invalid, "deadline_months"),
        ({"number": "1", "text": "x", "deadline_months": -1}, Invalid, "deadline_months"),
        ({"number": "1", "text": "x", "kind": "clause"}, Invalid, "kind"),
        ({"number": "1", "text": "x", "committee_role": "owns"}, Invalid, "committee_role"),
    ],
)
def test_bad_provisions_are_refused_naming_the_field(agreement, data, error, field):
    with refused(error, field):
        commands.add_provision(FACILITATOR, agreement.id, data)


def test_provision_numbers_are_unique_within_an_agreement(agreement):
    commands.add_provision(FACILITATOR, agreement.id, {"number": "1", "text": "x"})
    with refused(Conflict, "number"):
        commands.add_provision(FACILITATOR, agreement.id, {"number": "1", "text": "y"})


def test_months_need_a_signature_date(mechanism):
    unsigned = commands.record_agreement(FACILITATOR, {"title": "Draft"})
    with refused(Invalid, "deadline_months"):
        commands.add_provision(FACILITATOR, unsigned.id, {"number": "1", "text": "x", "deadline_months": 3})


def test_rival_readings_stand_side_by_side(actors, agreement):
    item = commands.add_provision(FACILITATOR, agreement.id, {"number": "2", "text": "Departure of foreign fighters"})
    un = commands.add_interpretation(FACILITATOR, item.id, {"held_by": "UNSMIL", "reading": "3 months from signature"})
    east = commands.add_interpretation(
        actors["east-head"], item.id, {"reading": "بعد تشكيل حكومة موحدة", "held_by": "ignored"}
    )
    assert un.held_by_en == "UNSMIL"
    assert (east.held_by_en, east.held_by_ar, east.reading_ar) == (
        "Eastern region",
        "المنطقة الشرقية",
        "بعد تشكيل حكومة موحدة",
    )
    assert list(item.interpretations.all()) == [un, east]


def test_who_may_record_a_reading(actors, agreement):
    item = commands.add_provision(FACILITATOR, agreement.id, {"number": "2", "text": "x"})
    for who in ("west-member", "observer"):
        with refused(Forbidden):
            commands.add_interpretation(actors[who], item.id, {"reading": "mine"})
    with refused(Invalid, "held_by"):
        commands.add_interpretation(FACILITATOR, item.id, {"reading": "someone's"})
    with refused(NotFound, "provision"):
        commands.add_interpretation(FACILITATOR, 5555, {"reading": "x", "held_by": "y"})


def test_only_the_secretariat_records_agreements(actors):
    with refused(Forbidden):
        commands.record_agreement(actors["west-head"], {"title": "Side deal"})
    with refused(Invalid, "signed_on"):
        commands.record_agreement(FACILITATOR, {"title": "x", "signed_on": "23 Oct 2020"})
