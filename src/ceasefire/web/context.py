from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .access import can_for


def _mechanism():
    from ceasefire.mechanism.models import Mechanism

    return Mechanism.current()


def site(request):
    return {
        "DEMO": settings.DEMO,
        "DISPLAY_TIME_ZONE": settings.DISPLAY_TIME_ZONE,
        "can": SimpleLazyObject(lambda: can_for(request)),
        "current_mechanism": SimpleLazyObject(_mechanism),
    }
