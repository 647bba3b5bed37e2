"""A body announced larger than the largest evidence file is refused with 413 before it is read,
on the API and on the pages, and names the file; a body within the limit goes through."""

from django.test import override_settings

MAX = 1000


@override_settings(EVIDENCE_MAX_BYTES=MAX)
def test_an_announced_oversized_body_is_refused_before_it_is_read(client, db):
    too_big = MAX + (1 << 20) + 1
    api = client.post(
        "/api/v1/reports/1/evidence",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_big),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 413
    [error] = api.json()["detail"]
    assert error["field"] == "file" and error["message"].startswith("is larger than")
    page = client.post(
        "/reports/R-2026-0001/evidence/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(too_big),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 413 and b"larger than" in page.content


@override_settings(EVIDENCE_MAX_BYTES=MAX)
def test_a_body_within_the_limit_reaches_the_view(client, db):
    response = client.post(
        "/api/v1/reports/1/evidence", data=b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="10"
    )
    assert response.status_code == 401  # the view's own answer: no login
