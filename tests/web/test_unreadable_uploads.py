"""An upload the multipart parser cannot read (a part header longer than 1 KiB: a file name of
5,000 characters; a broken boundary) is answered 400 in the reader's language, naming the file,
not 500, and nothing is written."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import signed_in
from tests.samples import PNG, multipart, stored

from .reports_world import reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_a_file_name_too_long_for_the_parser_is_named(reports, clients, events, settings):
    url = reverse("report_evidence", args=[reports["tasked"].reference])
    before, files = events(), stored(settings)
    response = clients["west-member"].post(
        url, multipart("x" * 5000 + ".png", PNG), content_type="multipart/form-data; boundary=B"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file has a name too long to be read" in html
    assert events() == before and stored(settings) == files


def test_a_broken_multipart_body_is_a_400(reports, clients, events):
    url = reverse("report_evidence", args=[reports["tasked"].reference])
    before = events()
    response = clients["west-member"].post(url, multipart("a.png", PNG), content_type="multipart/form-data; boundary=")
    assert response.status_code == 400 and events() == before


def test_the_page_names_it_in_arabic_before_the_csrf_check(reports, accounts):
    c = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ar")  # as a browser: the check reads the form
    signed_in(c, accounts["west-member"])
    url = reverse("report_evidence", args=[reports["tasked"].reference])
    response = c.post(url, multipart("x" * 5000 + ".png", PNG), content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400 and "اسم" in response.content.decode()
