import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import can_for

# Where a time zone is known by the name of the country it is kept in, that name in the reader's
# language; another zone is named by its id, which is the same in every language.
ZONE_PLACES = {"Africa/Tripoli": gettext_lazy("Libya")}


def display_zone() -> str:
    """The committee's time zone as a reader says it: "Libya time (UTC+02:00)", not Africa/Tripoli."""
    zone = settings.DISPLAY_TIME_ZONE
    offset = dt.datetime.now(ZoneInfo(zone)).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    place = ZONE_PLACES.get(zone)
    if place is None:
        return f"{zone} (UTC{offset})"
    return _("%(place)s time (UTC%(offset)s)") % {"place": place, "offset": offset}


def _mechanism():
    from ceasefire.mechanism.models import Mechanism

    return Mechanism.current()


def _needs(request):
    from .views.needs import needs_for

    return needs_for(request)


def site(request):
    return {
        "NEEDS": SimpleLazyObject(lambda: _needs(request)),
        "DEMO": settings.DEMO,
        "DISPLAY_TIME_ZONE": SimpleLazyObject(display_zone),
        "can": SimpleLazyObject(lambda: can_for(request)),
        "current_mechanism": SimpleLazyObject(_mechanism),
    }
