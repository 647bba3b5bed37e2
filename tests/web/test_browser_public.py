"""In Chromium, on a phone, without a login: the public page in Arabic (right to left), switched to
English and back by its link, a published report opened from it, and the record's checkpoint with
its cosignatures. Saves screenshots to screenshots/ (or $CEASEFIRE_SHOTS) and checks that no page is
wider than the screen and that the keyboard reaches the content first."""

import os
import time

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402

from ceasefire.agreements import commands as agreements  # noqa: E402
from ceasefire.incidents import commands as incidents  # noqa: E402
from ceasefire.record import checkpoints, note  # noqa: E402
from tests.helpers import register_witnesses  # noqa: E402
from tests.samples import REPORT  # noqa: E402

from .a11y import problems  # noqa: E402
from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser  # noqa: E402,F401

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    """Each request reads the record's state (the server trusts it for a second)."""
    from ceasefire.web.views import public

    monkeypatch.setattr(public, "STATE_SECONDS", 0)


def _publish(actors, title_ar, title_en):
    fac = actors["facilitator"]
    r = incidents.file_report(actors["west-member"], {**REPORT, "title_ar": title_ar, "title_en": title_en})
    incidents.triage(fac, r.id, {"decision": "outside_mandate", "reason": "not a violation of the agreement"})
    return incidents.set_visibility(fac, r.id, {"visibility": "public"})


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_the_public_page_in_arabic_on_a_phone(live_server, actors, browser):
    fac = actors["facilitator"]
    incidents.adopt_default_typology(fac)
    report = _publish(actors, "إطلاق نار قرب سرت", "Shots fired near Sirte")
    agreement = agreements.record_agreement(
        fac, {"title_ar": "اتفاق وقف إطلاق النار", "title_en": "Ceasefire agreement", "signed_on": "2020-10-23"}
    )
    agreements.add_provision(
        fac, agreement.id, {"number": "2", "text": "Foreign forces leave within three months.", "deadline_months": 3}
    )
    keys = register_witnesses(actors)
    cp = checkpoints.sign_now()
    for skey, vkey in keys.values():
        line = note.cosign(note.parse_note(cp.note)[0], skey, int(time.time()))
        checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])
    cache.clear()
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    context = browser.new_context(viewport=PHONE, locale="ar")
    page = context.new_page()
    page.goto(base + "/login/")
    page.click("main >> a[href^='/public/']")
    page.wait_for_selector("html[dir=rtl][lang=ar]")
    main = page.inner_text("main")
    assert "التقارير المنشورة" in main
    assert "إطلاق نار قرب سرت" in main
    assert "اتفاق وقف إطلاق النار" in main
    assert "لم يُنشر أي قرار بعد." in main
    assert (
        page.locator("section[aria-labelledby=h-record] .badge.ok").count() == 2
    )  # both witnesses cosigned the latest checkpoint
    assert _fits(page)
    assert problems(page.content()) == []
    page.screenshot(path=str(SHOTS / "public-phone-ar.png"), full_page=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"  # skip link first

    page.click("header >> text=English")
    page.wait_for_selector("html[dir=ltr][lang=en]")
    main = page.inner_text("main")
    assert "Shots fired near Sirte" in main
    assert "No decision has been published yet." in main
    assert _fits(page)
    page.screenshot(path=str(SHOTS / "public-phone-en.png"), full_page=True)

    page.click(f"main >> text={report.reference}")
    page.wait_for_url(f"{base}/public/reports/{report.reference}/?lang=en")
    assert "Shots fired near Sirte" in page.inner_text("h1")
    assert _fits(page)
    page.screenshot(path=str(SHOTS / "public-report-phone-en.png"), full_page=True)

    page.click("nav >> text=Check the record")
    page.wait_for_url(f"{base}/public/record/?lang=en")
    assert "ceasefire record verify" in page.inner_text("main")
    assert _fits(page)
    page.screenshot(path=str(SHOTS / "public-record-phone-en.png"), full_page=True)
    with page.expect_download() as download:
        page.click("main >> text=Download the public bundle")
    path = download.value.path()
    with open(path, "rb") as f:
        assert f.readline() == b"ceasefire-bundle v1\n"
        assert b"audience public\n" in f.read(400)

    page.click("header >> text=العربية")
    page.wait_for_selector("html[dir=rtl]")
    assert "تحقق من السجل" in page.inner_text("h1")
    assert _fits(page)
    context.close()


def test_every_public_page_is_in_sight_in_the_menu_on_a_phone(live_server, actors, browser):
    """On a phone, in Arabic and English, the public menu shows all its pages, the one open among them:
    none hidden in a row that scrolls sideways."""
    cache.clear()
    base = live_server.url
    for lang in ("ar", "en"):
        context = browser.new_context(viewport=PHONE, locale=lang)
        page = context.new_page()
        for path in ("/public/", "/public/record/"):
            page.goto(f"{base}{path}?lang={lang}")
            width = page.evaluate("window.innerWidth")
            for box in page.locator("nav.main-nav a").evaluate_all(
                "links => links.map(a => { const r = a.getBoundingClientRect(); return [r.left, r.right]; })"
            ):
                assert 0 <= box[0] and box[1] <= width, (lang, path, box, width)
            assert _fits(page)
        page.screenshot(path=str(SHOTS / f"public-menu-phone-{lang}.png"))
        context.close()
