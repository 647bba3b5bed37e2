from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .access import can_for


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
        "DISPLAY_TIME_ZONE": settings.DISPLAY_TIME_ZONE,
        "can": SimpleLazyObject(lambda: can_for(request)),
        "current_mechanism": SimpleLazyObject(_mechanism),
    }
