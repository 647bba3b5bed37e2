"""The one rule of where a provision stands against its deadline, and the roll-up, as pure functions."""

import datetime as dt

import pytest

from ceasefire.agreements import implementation as rule
from ceasefire.agreements.implementation import Agreed

TODAY = dt.date(2026, 11, 1)
SIGNED = dt.date(2020, 10, 23)


@pytest.mark.parametrize(
    "due, status, condition, state, days",
    [
        # a deadline reached is not a deadline missed: fully implemented is done, on time or not
        (SIGNED, "3", None, rule.DONE, None),
        (TODAY + dt.timedelta(days=90), "3", None, rule.DONE, None),
        (None, "3", "not_met", rule.DONE, None),
        # past its deadline, below full by the committee's status: overdue, with how long
        (dt.date(2021, 1, 23), "1", None, rule.OVERDUE, (TODAY - dt.date(2021, 1, 23)).days),
        (dt.date(2021, 1, 23), "0", None, rule.OVERDUE, (TODAY - dt.date(2021, 1, 23)).days),
        (dt.date(2021, 1, 23), "reversed", None, rule.OVERDUE, (TODAY - dt.date(2021, 1, 23)).days),
        # past its deadline with no agreed status: due, which says nothing of whether it was missed
        (SIGNED, None, None, rule.DUE, (TODAY - SIGNED).days),
        # ahead: not yet due, whatever its status below full
        (TODAY, None, None, rule.NOT_DUE, 0),
        (TODAY + dt.timedelta(days=12), "1", None, rule.NOT_DUE, 12),
        # the committee reads the deadline as still ahead
        (dt.date(2021, 1, 23), "not_yet_due", None, rule.NOT_DUE, None),
        # a deadline that waits on an event not known to have happened
        (SIGNED, "1", "not_met", rule.CONDITIONAL, None),
        (SIGNED, None, "unknown", rule.CONDITIONAL, None),
        (SIGNED, None, "disputed", rule.CONDITIONAL, None),
        (SIGNED, "2", "met", rule.OVERDUE, (TODAY - SIGNED).days),
        (None, None, None, rule.NO_DEADLINE, None),
        (None, "2", None, rule.NO_DEADLINE, None),
    ],
)
def test_where_a_provision_stands(due, status, condition, state, days):
    found = rule.standing(due, TODAY, status, condition)
    assert (found.state, found.days) == (state, days)
    assert found.state in rule.STANDINGS


def test_a_deadline_within_thirty_days_is_near():
    assert rule.standing(TODAY + dt.timedelta(days=30), TODAY).near
    assert not rule.standing(TODAY + dt.timedelta(days=31), TODAY).near
    assert not rule.standing(TODAY - dt.timedelta(days=1), TODAY).near


def test_the_status_on_a_day_is_the_newest_agreed_as_of_that_day():
    history = [
        Agreed(dt.date(2021, 6, 1), 40, "1"),
        Agreed(dt.date(2022, 6, 1), 50, "2"),
        Agreed(dt.date(2022, 6, 1), 45, "0"),
    ]
    assert rule.status_on(history, dt.date(2021, 5, 31)) is None
    assert rule.status_on(history, dt.date(2021, 6, 1)).status == "1"
    # two as of the same day: the one agreed later (higher seq) stands
    assert rule.status_on(history, dt.date(2023, 1, 1)).status == "2"


def test_the_share_at_each_level_counts_each_provision_once():
    s = rule.share(["3", "3", "1", None, "reversed"])
    assert s.total == 5
    assert s.counts == {"3": 2, "2": 0, "1": 1, "0": 0, "reversed": 1, "not_yet_due": 0, None: 1}
    assert s.percent("3") == 40.0 and rule.share([]).percent("3") == 0.0


def test_the_rollup_by_theme_and_overall_on_a_day():
    provisions = [(1, "ceasefire"), (2, "foreign forces"), (3, "foreign forces")]
    histories = {1: [Agreed(dt.date(2021, 1, 1), 10, "3")], 2: [Agreed(dt.date(2022, 1, 1), 11, "1")]}
    overall, themes = rule.rollup(provisions, histories, dt.date(2021, 12, 31))
    assert (overall.total, overall.counts["3"], overall.counts[None]) == (3, 1, 2)
    assert themes["foreign forces"].counts[None] == 2
    overall, themes = rule.rollup(provisions, histories, TODAY)
    assert themes["foreign forces"].counts == {**dict.fromkeys(rule.LEVELS, 0), "1": 1, None: 1}


def test_milestones_are_each_year_end_since_signature_then_today():
    assert rule.milestones(SIGNED, dt.date(2023, 3, 1)) == [
        dt.date(2020, 12, 31),
        dt.date(2021, 12, 31),
        dt.date(2022, 12, 31),
        dt.date(2023, 3, 1),
    ]
    assert rule.milestones(dt.date(2023, 1, 5), dt.date(2023, 3, 1)) == [dt.date(2023, 3, 1)]
