"""The day a report says something happened is counted one way everywhere (incidents/days.py): a
day alone is that day; a time is the day it was where the committee works (Libya, UTC+2). An
incident at 01:30 on 1 March in Libya was still 28 February in UTC: the list's filters, the counts
by month, the exports and the situation report's figures all put it on 1 March, in March."""

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings

from ceasefire.incidents import days, exchange, queries, stats
from ceasefire.incidents.models import Report
from ceasefire.record.log import Actor
from tests import once
from tests.incidents.steps import file

FACILITATOR = Actor("facilitator", role="facilitator")


@once.fixture
def reports(monitors, typology):
    """Five reports around the turn of February 2021 into March, by title."""
    made = {
        "late-feb": file(monitors, occurred_at="2021-02-28T21:30:00+00:00", title="late-feb"),  # 23:30 in Libya
        "early-mar": file(monitors, occurred_at="2021-02-28T23:30:00+00:00", title="early-mar"),  # 01:30 on 1 March
        "feb-28": file(monitors, occurred_at="2021-02-28", title="feb-28"),  # a day alone
        "mar-01": file(monitors, occurred_at="2021-03-01", title="mar-01"),
        # 04:00 on 1 March in Libya, but 22:00 on 28 February for a committee at UTC-4
        "early-utc": file(monitors, occurred_at="2021-03-01T02:00:00+00:00", title="early-utc"),
    }
    return {title: r.id for title, r in made.items()}


def titles(filters: queries.Filters) -> set[str]:
    found = queries.search(queries.violations(queries.visible(FACILITATOR)), filters)
    return set(found.values_list("title_en", flat=True))


def test_the_day_of_a_time_is_the_committees_and_of_a_day_alone_that_day(reports):
    on = {r.title_en: days.day_of(r.occurred_at, r.time_known) for r in Report.objects.filter(id__in=reports.values())}
    assert on == {
        "late-feb": dt.date(2021, 2, 28),
        "early-mar": dt.date(2021, 3, 1),
        "feb-28": dt.date(2021, 2, 28),
        "mar-01": dt.date(2021, 3, 1),
        "early-utc": dt.date(2021, 3, 1),
    }


def test_the_lists_days_are_the_committees(reports):
    first_of_march = dt.date(2021, 3, 1)
    assert titles(queries.Filters(occurred_from=first_of_march, occurred_to=first_of_march)) == {
        "early-mar",
        "mar-01",
        "early-utc",
    }
    last_of_feb = dt.date(2021, 2, 28)
    assert titles(queries.Filters(occurred_from=last_of_feb, occurred_to=last_of_feb)) == {"late-feb", "feb-28"}
    assert titles(queries.Filters(occurred_to=last_of_feb)) >= {"late-feb", "feb-28"}
    assert not titles(queries.Filters(occurred_to=last_of_feb)) & {"early-mar", "mar-01", "early-utc"}


def test_counts_by_month_put_each_report_in_its_days_month(reports):
    f = queries.Filters(occurred_from=dt.date(2021, 2, 1), occurred_to=dt.date(2021, 3, 31))
    counted = stats.count(FACILITATOR, f, ("month",))
    assert {r.values["month"]: r.count for r in counted.rows} == {"2021-02": 2, "2021-03": 3}


def test_the_export_gives_each_report_its_day(reports):
    f = queries.Filters(occurred_from=dt.date(2021, 2, 28), occurred_to=dt.date(2021, 3, 1))
    _checkpoint, pieces = exchange.export(FACILITATOR, f, "acled")
    rows = list(csv.DictReader(io.StringIO("".join(pieces))))
    assert {r["title"]: r["event_date"] for r in rows} == {
        "late-feb": "2021-02-28",
        "early-mar": "2021-03-01",
        "feb-28": "2021-02-28",
        "mar-01": "2021-03-01",
        "early-utc": "2021-03-01",
    }


@pytest.mark.parametrize("zone", ["America/Caracas", "Pacific/Kiritimati", "UTC"])  # UTC-4, UTC+14, UTC
def test_a_committee_behind_or_far_ahead_of_utc_counts_the_same_way(reports, zone):
    with override_settings(DISPLAY_TIME_ZONE=zone):
        every = Report.objects.filter(id__in=reports.values())
        expected = {}
        for r in every:
            expected.setdefault(days.day_of(r.occurred_at, r.time_known), set()).add(r.title_en)
        for day, held in expected.items():
            assert titles(queries.Filters(occurred_from=day, occurred_to=day)) == held, (zone, day)
        months = stats.count(FACILITATOR, queries.Filters(), ("month",))
        by_month = {}
        for day, held in expected.items():
            by_month[day.strftime("%Y-%m")] = by_month.get(day.strftime("%Y-%m"), 0) + len(held)
        assert {r.values["month"]: r.count for r in months.rows if r.values["month"] in by_month} == by_month
