"""In Chromium, on a phone: the facilitator records coverage through its form, reads the counts
beside their coverage in English and in Arabic, and follows a number to the reports it counts.
Saves screenshots of the counts page to screenshots/ (or $CEASEFIRE_SHOTS) and checks that no page
is wider than the screen."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.incidents import commands  # noqa: E402
from ceasefire.incidents.models import Coverage  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.samples import REPORT  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def test_counts_beside_their_coverage_on_a_phone(live_server, actors, browser):
    commands.adopt_default_typology(FACILITATOR)
    for day, party in (("2021-01-05", "east"), ("2021-01-20", "east"), ("2021-02-03", "west")):
        commands.file_report(actors["west-member"], {**REPORT, "occurred_at": day, "alleged_party": party})
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    page = sign_in(browser, base, "facilitator", PHONE)
    page.goto(base + "/coverage/")
    page.click("main >> text=Record the first")
    page.check("#f-kind-0")  # deployed
    page.fill("#f-area", "Sirte")
    page.fill("#f-starts-on", "2021-01-01")
    page.fill("#f-ends-on", "2021-01-09")
    page.click("main form.form button[type=submit].primary")
    page.wait_for_url(f"{base}/coverage/#coverage-*")
    assert Coverage.objects.get().days == 9
    assert "The mission's" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "coverage-phone-en.png"), full_page=True)

    page.goto(base + "/reports/")
    page.click(".sub-nav >> text=Counts")
    page.wait_for_url(f"{base}/reports/counts/")
    main = page.inner_text("main")
    assert "3 reports" in main
    assert "Sirte: monitors reached it on 9 of 31 days" in main  # January's row
    assert "Sirte: monitors reached it on 9 of 59 days" in main  # the period: January and February
    assert page.locator("table.counts-table svg.bar").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "counts-phone-en.png"), full_page=True)

    page.click("form.lang button")  # العربية
    page.wait_for_selector("html[dir=rtl]")
    assert "وصل إليها المراقبون في 9 من 31 يومًا" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "counts-phone-ar.png"), full_page=True)

    page.click("table.counts-table tbody tr >> nth=0 >> td.num a")
    page.wait_for_url(f"{base}/reports/?*")
    assert page.locator("table.reports tbody tr").count() == 2
