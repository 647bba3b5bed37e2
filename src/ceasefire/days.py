"""The committee's days: today, and the day a report says something happened.

The committee works in one time zone (settings.DISPLAY_TIME_ZONE, Libya's): its today is the date
there by the record's clock, for every deadline, agenda and "not in the future" alike.

A report gives a day alone, or a time (commands._moment). A day alone is that day, whatever the
hour anywhere; it is kept as the day's first moment in UTC. A time is the day it was where the
committee works (settings.DISPLAY_TIME_ZONE, Libya's), so that an incident at 01:30 on 1 March in
Sirte is of 1 March, in March, although it was still 28 February in UTC. The list's filters, the
counts by month, the exports and the situation reports all count days so; the report's page shows
the same day.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from ceasefire.record import log


def zone() -> ZoneInfo:
    return ZoneInfo(settings.DISPLAY_TIME_ZONE)


def today() -> dt.date:
    return log._clock().astimezone(zone()).date()


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """The latest date it is now in UTC or where the committee works: what "not in the future"
    measures against, so that neither a day typed in Libya nor one given in UTC is refused."""
    now = now or log._clock()
    return max(now.astimezone(dt.UTC).date(), now.astimezone(zone()).date())


def day_of(occurred_at: dt.datetime, time_known: bool) -> dt.date:
    return occurred_at.astimezone(zone() if time_known else dt.UTC).date()


def _starts(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day's first moment in UTC (where a day alone is kept) and where the committee works."""
    return dt.datetime.combine(day, dt.time(), dt.UTC), dt.datetime.combine(day, dt.time(), zone())


# Each is one range of occurred_at, which the list's indexes serve. Where the committee's zone is
# ahead of UTC (Libya: +2), no day alone is kept between the two starts of a day, so the range is
# exact; behind UTC, the rows between are told apart by time_known.


def from_day(day: dt.date) -> Q:
    """Reports of `day` or later."""
    utc, local = _starts(day)
    if local <= utc:
        return Q(occurred_at__gte=local)
    return Q(occurred_at__gte=utc) & ~Q(time_known=True, occurred_at__lt=local)


def before_day(day: dt.date) -> Q:
    """Reports of days before `day`."""
    utc, local = _starts(day)
    if local <= utc:
        return Q(occurred_at__lt=local)
    return Q(occurred_at__lt=local) & ~Q(time_known=False, occurred_at__gte=utc)
