"""The list page's "download these": links that carry the list's filters, files streamed with only
what the reader may read, a bad filter or format answered 400 naming it, in both languages."""

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from ceasefire.incidents import exchange

from .a11y import problems
from .reports_world import reports  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def links(html: str) -> list[str]:
    start = html.index('id="downloads-title"')
    section = html[start : html.index("</section>", start)]
    return [part.split('"', 1)[0].replace("&amp;", "&") for part in section.split('href="')[1:]]


def download(client, url) -> tuple:
    r = client.get(url)
    assert r.status_code == 200, url
    assert r.streaming
    return r, b"".join(r.streaming_content).decode()


def test_the_links_carry_the_lists_filters(reports, clients):
    html = clients["west-member"].get(reverse("reports") + "?category=air-strike&page=1").content.decode()
    found = links(html)
    assert [parse_qs(urlsplit(u).query)["format"] for u in found] == [
        ["acled"],
        ["ucdp"],
        ["hxl"],
        ["geojson"],
        ["xlsx"],
    ]
    for url in found:
        assert urlsplit(url).path == reverse("reports_export")
        query = parse_qs(urlsplit(url).query)
        assert query["category"] == ["air-strike"] and "page" not in query
    r, body = download(clients["west-member"], found[0])
    refs = [row["event_id_cnty"] for row in csv.DictReader(io.StringIO(body))]
    assert refs == [reports["inquiry"].reference]  # the one air strike
    assert r[exchange.HEADER].startswith("size=")
    data = json.loads(download(clients["west-member"], found[3])[1])
    assert [f["id"] for f in data["features"]] == [reports["inquiry"].reference]
    r = clients["west-member"].get(found[4])
    assert r.status_code == 200 and r.streaming and r["Content-Type"] == exchange.XLSX_TYPE
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    _header, _tags, *rows = list(book["reports"].iter_rows(values_only=True))
    assert [row[0] for row in rows] == [reports["inquiry"].reference]
    book.close()


def test_without_filters_every_report_the_reader_may_read(reports, clients):
    _, body = download(clients["east-head"], reverse("reports_export") + "?format=hxl")
    assert all(reports[k].reference in body for k in reports if hasattr(reports[k], "reference"))
    _, observer = download(clients["observer"], reverse("reports_export") + "?format=acled")
    assert reports["concluded"].reference in observer and reports["received"].reference not in observer
    for name in (
        "west-member",
        "east-member",
        "Hamid",
        "local clinic",
    ):  # accounts, a protected source, who gave a figure
        assert name not in observer


def test_no_match_offers_no_download(reports, clients):
    html = clients["west-member"].get(reverse("reports") + "?category=no-such-code").content.decode()
    assert 'id="downloads-title"' not in html


@pytest.mark.parametrize(
    "query, field",
    [
        ("format=xls", "format"),
        ("status=closed", "status"),
        ("occurred_from=2021-02-30", "occurred_from"),
        ("bbox=1,2", "bbox"),
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_bad_filter_or_format_is_named(reports, clients, query, field, language):
    c = clients["west-member"]
    r = c.get(reverse("reports_export") + "?" + query + "&category=raid", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400 and not r.streaming
    html = r.content.decode()
    assert f"<code>{field}</code>" in html
    back = html.split('href="' + reverse("reports") + "?", 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "category=raid" in back.split("&") and "format=" not in back  # back to the list, its filters kept
    assert problems(html) == []
    if language == "ar":
        assert 'dir="rtl"' in html and "تعذّر" in html


def test_the_list_with_its_downloads_is_well_formed_in_both_languages(reports, clients):
    for language in ("en", "ar"):
        html = clients["facilitator"].get(reverse("reports"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert problems(html) == [], language
        assert len(links(html)) == 5
    assert "تنزيل" in html


def test_signed_out_the_download_asks_to_sign_in(reports, client):
    r = client.get(reverse("reports_export"))
    assert r.status_code == 302 and "/login/" in r["Location"]
