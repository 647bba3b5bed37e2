"""What needs each person (needs/collect.py) dates a deadline by the committee's days (days.py)."""

import datetime as dt

import pytest

from ceasefire import days
from ceasefire.incidents import chain, queries
from ceasefire.incidents.models import Report
from ceasefire.needs.collect import _Collector
from tests.conftest import FACILITATOR

pytestmark = pytest.mark.django_db


def test_a_stage_deadline_in_needs_is_the_committees_day_as_the_list_counts_overdue():
    """A stage entered at 23:00 UTC is due, in Libya, on the day after the UTC date: the deadline the
    dashboard shows is the committee's day, as its today is, so it never says "overdue" before the
    list's overdue filter does."""
    entered = dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)  # 01:00 on 2 March in Libya
    r = Report(status=chain.RECEIVED, stage_since=entered)
    target = queries.targets()[chain.RECEIVED]
    due = chain.due(entered, target)
    now = due - dt.timedelta(minutes=30)
    assert not chain.overdue(r.status, entered, target, now)  # the list: not overdue yet
    today = now.astimezone(days.zone()).date()  # days.today() at `now`
    deadline = _Collector(FACILITATOR, today).stage_due(r)
    assert deadline == days.day_of(due, True)
    assert not deadline < today  # what needs/collect.py calls overdue
