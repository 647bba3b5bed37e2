"""Attendance is recorded once a meeting has begun: the page offers the form only then, and says why not."""

from django.urls import reverse


def test_a_meeting_ahead_offers_no_attendance_form_and_says_why(world, clients, events):
    c = clients["facilitator"]
    upcoming, past = world["upcoming"].reference, world["past"].reference
    form = reverse("meeting_attendance", args=[upcoming])
    page = c.get(reverse("meeting", args=[upcoming])).content.decode()
    assert form not in page and "this meeting has not begun" in page
    assert c.get(form).status_code == 409
    before = events()
    assert c.post(form, {"present": []}).status_code == 409 and events() == before
    assert reverse("meeting_attendance", args=[past]) in c.get(reverse("meeting", args=[past])).content.decode()
