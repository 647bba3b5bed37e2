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


class RefuseOversizedBodies:
    """A request whose body is announced larger than the largest evidence file (and room for the
    form around it) is answered 413 before any of it is read: the limit in evidence.store alone
    would come only after the whole upload had been received and spooled to disk."""

    SLACK = 1 << 20

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EVIDENCE_MAX_BYTES + self.SLACK:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        from django.http import HttpResponse, JsonResponse
        from django.utils.translation import gettext as _

        message = _("is larger than %(mb).0f MB") % {"mb": settings.EVIDENCE_MAX_BYTES / 1_048_576}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": [{"field": "file", "message": message}]}, status=413, json_dumps_params={"ensure_ascii": False})
        return HttpResponse(f"{_('The file')} {message}.", status=413, content_type="text/plain; charset=utf-8")
