"""Evidence through the pages: an upload is checked on its content and fingerprinted in the record;
every opening or download is recorded before the file is served (chain of custody); a page that
only shows the file's details records nothing; observers never get the files."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceasefire.incidents import commands
from ceasefire.incidents.models import Evidence, EvidenceAccess
from ceasefire.record.models import Event
from tests.conftest import FACILITATOR

from .reports_world import reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def upload(client, report, name, content, content_type="application/octet-stream", **data):
    url = reverse("report_evidence", args=[report.reference])
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type=content_type), **data})


def test_a_file_is_added_from_the_report_page(reports, clients, events):
    r = reports["tasked"]
    html = clients["east-member"].get(reverse("report", args=[r.reference])).content.decode()
    assert f'action="{reverse("report_evidence", args=[r.reference])}"' in html and 'type="file"' in html
    before = events()
    response = upload(clients["east-member"], r, "site.png", PNG, "image/png", description="The ridge")
    e = Evidence.objects.get(report=r)
    assert response.status_code == 302 and response["Location"].endswith(f"#evidence-{e.id}")
    assert events() == before + 1
    assert Event.objects.order_by("-seq").first().payload["sha256"] == e.sha256
    html = clients["west-head"].get(reverse("report", args=[r.reference])).content.decode()
    assert "site.png" in html and "The ridge" in html and reverse("evidence", args=[e.id]) in html


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("photo.pdf", PNG, "application/pdf", "mislabelled"),
        ("photo.png", PNG, "application/pdf", "mislabelled"),
        ("script.exe", b"MZ\x90\x00", "application/octet-stream", "not accepted"),
        ("empty.png", b"", "image/png", "is empty"),
    ],
)
def test_a_refused_file_is_named_next_to_the_box(reports, clients, events, name, content, content_type, message):
    before = events()
    response = upload(clients["west-member"], reports["tasked"], name, content, content_type)
    assert response.status_code == 422 and events() == before
    html = response.content.decode()
    assert message in re.search(r'<p class="error" id="ev-f-file-error">([^<]*)</p>', html).group(1)
    assert not Evidence.objects.filter(report=reports["tasked"]).exists()


def test_no_file_and_too_large_a_file_are_refused(reports, clients, events, settings):
    before = events()
    response = clients["west-member"].post(reverse("report_evidence", args=[reports["tasked"].reference]), {})
    assert response.status_code == 422 and "choose a file" in response.content.decode()
    settings.EVIDENCE_MAX_BYTES = 100
    assert upload(clients["west-member"], reports["tasked"], "big.png", PNG, "image/png").status_code == 413
    assert events() == before


def test_every_download_and_view_is_recorded_before_the_file_is_served(reports, clients, events):
    e = reports["evidence"]
    url = reverse("evidence", args=[e.id])
    before = events()
    html = clients["east-head"].get(url).content.decode()
    assert e.sha256 in html and "Nobody has opened this file yet." in html
    assert events() == before  # looking at the details records nothing

    response = clients["east-head"].post(url, {"action": "download"})
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG[:8] + b"\x00" * 64
    assert response["Content-Disposition"].startswith("attachment") and "crater.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    response = clients["facilitator"].post(url, {"action": "view"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert events() == before + 2
    assert [(a.username, a.action) for a in EvidenceAccess.objects.filter(evidence=e)] == [
        ("east-head", "download"),
        ("facilitator", "view"),
    ]
    html = clients["west-member"].get(url).content.decode()
    assert "east-head" in html and "downloaded" in html and "viewed" in html


def test_observers_never_get_the_files(reports, clients, events):
    e = reports["evidence"]
    url = reverse("evidence", args=[e.id])
    assert clients["observer"].get(url).status_code == 404  # the report is not shared with it
    commands.set_visibility(FACILITATOR, e.report_id, {"visibility": "observers"})
    before = events()
    assert clients["observer"].get(url).status_code == 403
    assert clients["observer"].post(url, {"action": "download"}).status_code == 403
    assert events() == before
    html = clients["observer"].get(reverse("report", args=[e.report.reference])).content.decode()
    assert "crater.png" not in html
