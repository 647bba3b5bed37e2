from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class DisplayTimeZone:
    """Times are stored in UTC and shown in the committee's zone, on whole pages and on the
    fragments htmx swaps in alike."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.zone = ZoneInfo(settings.DISPLAY_TIME_ZONE)

    def __call__(self, request):
        timezone.activate(self.zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
