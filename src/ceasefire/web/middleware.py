from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class ContentSecurityPolicy:
    """Every HTML answer carries settings.CONTENT_SECURITY_POLICY: scripts and styles from this
    server's own files only, nothing inline, no plugin, no framing, forms posted only here. Text
    that slipped past escaping (a report's narrative, a witness's statement) could then still not
    run as script in a delegate's browser, nor restyle a page into a lie. A view that sets its own
    policy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


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
            return JsonResponse(
                {"detail": [{"field": "file", "message": message}]},
                status=413,
                json_dumps_params={"ensure_ascii": False},
            )
        return HttpResponse(f"{_('The file')} {message}.", status=413, content_type="text/plain; charset=utf-8")


class RefuseUnreadableForms:
    """A page's form that Django's parser cannot read (a file name past 1 KiB, a broken boundary)
    is answered 400 saying what is wrong, in the reader's language, before any view or the CSRF
    check reads it (which would answer a bare 400 page, or a 500). The API answers the same in its
    own shape (api/errors.py), once the login is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not request.path.startswith("/api/")
        ):
            from ceasefire.api.errors import UNREADABLE_FORM

            try:
                request.POST  # parsed here as the CSRF check would, once
            except UNREADABLE_FORM as exc:
                return self.refuse(request, exc)
        return self.get_response(request)

    def refuse(self, request, exc):
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        from ceasefire.api.errors import unreadable_form

        field, message = unreadable_form(exc)
        subject = _("The file") if field == "file" else _("The request")
        context = {"heading": _("The form could not be read"), "message": f"{subject} {message}."}
        return render(request, "web/forbidden.html", context, status=400)
