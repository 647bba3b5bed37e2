"""In Chromium, on a phone, in Arabic: east-member files a report typing a place with a spelling
variant and without its ta marbuta, picks the suggestion with the keyboard, and the coordinates
and their precision are filled from the gazetteer; the report's page names its district and
nearest place. Saves screenshots to screenshots/ (or $CEASEFIRE_SHOTS)."""

import datetime as dt
import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.incidents import commands  # noqa: E402
from ceasefire.incidents.models import Report  # noqa: E402
from ceasefire.web.views.base import today  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402

from .conftest import build_world  # noqa: E402
from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def test_a_report_filed_in_arabic_on_a_phone_takes_a_suggested_place(live_server, actors, browser):
    build_world(actors)
    commands.adopt_default_typology(FACILITATOR)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()

    east = sign_in(browser, base, "east-member", PHONE)
    east.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
    east.goto(f"{base}/reports/new/")
    assert east.get_attribute("html", "dir") == "rtl"
    east.fill("#f-title", "إطلاق نار قرب الجفرة")
    east.select_option("#f-category", "firing")
    east.fill("#f-occurred-on", yesterday)

    # The Arabic typed without its ta marbuta: the gazetteer finds الجفرة, the district first.
    east.locator("#f-place").press_sequentially("الجفره", delay=40)
    east.wait_for_selector("#place-suggestions button.suggestion")
    assert "الجفرة" in east.inner_text("#place-suggestions")
    assert "أماكن" in east.inner_text("#place-status") or "مكان" in east.inner_text("#place-status")
    east.screenshot(path=str(SHOTS / "ar-phone-place-suggestions.png"), full_page=False)

    # Another spelling, in Latin letters: "Surt" is Sirte. Down arrow, Enter: chosen by the keyboard.
    east.fill("#f-place", "")
    east.locator("#f-place").press_sequentially("Surt", delay=40)
    east.wait_for_selector("#place-suggestions button.suggestion[data-place-en='Sirte']")
    east.press("#f-place", "ArrowDown")
    focused = east.evaluate("document.activeElement.dataset.placeEn")
    assert focused == "Sirte"
    east.keyboard.press("Enter")
    assert east.input_value("#f-place") == "سرت"  # shown in the page's language
    assert east.evaluate("document.activeElement.id") == "f-place"  # the keyboard stays in the box
    assert east.input_value("#f-latitude").startswith("31.2") and east.input_value("#f-longitude").startswith("16.5")
    assert east.input_value("#f-geo-precision") == "1"
    assert "سرت" in east.inner_text("#place-status")
    assert east.locator("#place-suggestions button").count() == 0
    assert east.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    east.locator("#f-place").scroll_into_view_if_needed()
    east.screenshot(path=str(SHOTS / "ar-phone-place-chosen.png"), full_page=False)

    east.fill("#f-narrative", "سُمع إطلاق نار كثيف قرب البوابة.")
    east.click("main form.form button[type=submit].primary")
    east.wait_for_url(f"{base}/reports/*/")
    report = Report.objects.get(title_ar="إطلاق نار قرب الجفرة")
    assert (report.place_ar, report.place_en, report.geo_precision) == ("سرت", "Sirte", 1)
    assert abs(report.latitude - 31.2) < 0.1 and abs(report.longitude - 16.6) < 0.1
    where = east.inner_text(".where-gazetteer")
    assert "الشعبية" in where and "سرت" in where and "Sirte" in where and "أقرب مكان" in where
    assert east.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    east.screenshot(path=str(SHOTS / "ar-phone-report-district.png"), full_page=True)

    # The list's search finds it by another spelling of what it says.
    east.goto(f"{base}/reports/?q=اطلاق")
    assert report.reference in east.inner_text("main")
    east.goto(f"{base}/reports/?q=Sirt")
    assert report.reference in east.inner_text("main")

    # In English, west-member reads the same report: the district and nearest place in both scripts,
    # and the attribution of the gazetteer's sources at the foot of the page.
    west = sign_in(browser, base, "west-member", PHONE)
    west.goto(f"{base}/reports/{report.reference}/")
    where = west.inner_text(".where-gazetteer")
    assert "District" in where and "Sirte" in where and "سرت" in where and "Nearest place" in where
    assert "OpenStreetMap contributors" in west.inner_text("footer")
    west.screenshot(path=str(SHOTS / "en-phone-report-district.png"), full_page=True)
    west.goto(f"{base}/reports/new/")
    west.locator("#f-place").press_sequentially("ras lan", delay=40)
    west.wait_for_selector("#place-suggestions button.suggestion")
    assert west.inner_text("#place-suggestions button.suggestion >> nth=0").startswith("رأس لانوف")
    assert "Ras Lanuf" in west.inner_text("#place-suggestions")
    west.locator("#place-suggestions button.suggestion >> nth=0").click()  # by touch
    assert west.input_value("#f-place") == "Ras Lanuf" and west.input_value("#f-geo-precision") == "1"
    west.press("#f-place", "End")
    west.locator("#f-place").press_sequentially("x", delay=40)  # typed by hand again: no longer the chosen place
    assert west.input_value("input[name=place_ar]") == "" and west.input_value("input[name=place_en]") == ""
    west.locator("#f-place").scroll_into_view_if_needed()
    west.screenshot(path=str(SHOTS / "en-phone-place-suggestions.png"), full_page=False)
