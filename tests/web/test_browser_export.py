"""In Chromium on a phone: a delegate filters the report list and downloads "these" as ACLED CSV
and GeoJSON; the files hold the filtered reports. The list with its downloads is screenshot in
English and Arabic and is never wider than the screen. No script is needed (the site's CSP)."""

import csv
import io
import json
import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.incidents import commands  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.samples import REPORT  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def test_download_these_from_a_phone(live_server, actors, browser):
    commands.adopt_default_typology(FACILITATOR)
    shelling = commands.file_report(actors["west-member"], REPORT)
    commands.file_report(
        actors["east-member"],
        {**REPORT, "title": "Drone over Sirte", "category": "air-strike", "alleged_party": "west"},
    )
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = sign_in(browser, base, "west-member", PHONE)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/reports/?category=shelling")
    with page.expect_download() as got:
        page.click("section.downloads >> text=ACLED CSV")
    rows = list(csv.DictReader(io.StringIO(open(got.value.path(), encoding="utf-8", newline="").read())))
    assert [r["event_id_cnty"] for r in rows] == [shelling.reference]
    assert got.value.suggested_filename == "ceasefire-reports-acled.csv"
    with page.expect_download() as got:
        page.click("section.downloads >> text=GeoJSON")
    data = json.loads(open(got.value.path(), encoding="utf-8").read())
    assert [f["id"] for f in data["features"]] == [shelling.reference]
    for lang in ("en", "ar"):
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        page.goto(base + "/reports/?category=shelling")
        page.locator("#downloads-title").scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, lang
        page.screenshot(path=str(SHOTS / f"reports-downloads-phone-{lang}.png"), full_page=True)
    assert page.locator("#downloads-title").inner_text() == "تنزيل هذه البلاغات"
    assert errors == []  # nothing refused by the content security policy, no script error
