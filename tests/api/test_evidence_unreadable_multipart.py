"""An upload whose part header is longer than Django's parser takes (1 KiB: a file name of 5,000
characters) is refused with a 400 naming `file`, not a 500, and nothing is written."""

from tests.samples import PNG, multipart, stored

from .conftest import assert_error, events
from .endpoints import file_report


def test_a_file_name_too_long_for_the_parser_is_named(api, actors, typology, settings):
    report_id = file_report(actors).id
    before, files = events(), stored(settings)
    client = api("west-member", language="en")
    r = client.post(
        f"/reports/{report_id}/evidence",
        raw=multipart("x" * 5000 + ".png", PNG),
        content_type="multipart/form-data; boundary=B",
    )
    assert_error(r, 400, "file", contains="name too long")
    assert events() == before and stored(settings) == files


def test_a_malformed_multipart_body_is_named_without_a_500(api, actors, typology):
    report_id = file_report(actors).id
    client = api("west-member", language="en")
    raw = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nwords\r\n--B--\r\n'
    r = client.post(f"/reports/{report_id}/evidence", raw=raw, content_type="multipart/form-data; boundary=")
    assert_error(r, 400, "body")
