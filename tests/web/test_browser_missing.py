"""In Chromium, in Arabic at a phone's width: a head of delegation reads a missing-person case with
its claims side by side, gives its party's position through the form with its confirmation box,
and the status becomes the committee's; nothing is wider than the phone, and no page shows who the
person is. Saves screenshots in Arabic and English to screenshots/."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.missing import commands  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.missing.steps import CASE  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST
NAME = "px-browser-name-never-shown"


def test_a_case_in_arabic_on_a_phone(live_server, actors, browser):
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url
    case = commands.open_case(
        actors["west-member"],
        {**CASE, "circumstances_ar": "اختُطف عند بوابة تفتيش، كما تروي عائلته.", "identity": {"name": NAME}},
    )
    claim = commands.claim_status(
        actors["west-head"],
        case.id,
        {"status": "located_alive", "as_of": "2021-01-10", "note_ar": "شوهد في سرت", "source": "الهلال الأحمر"},
    )
    commands.claim_status(FACILITATOR, case.id, {"status": "missing", "as_of": "2021-01-12", "source": "ICRC"})

    page = sign_in(browser, base, "east-head", viewport=PHONE)
    page.click("form.lang button")
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')
    page.goto(f"{base}/missing/")
    assert "المفقودون" in page.inner_text("main") and case.reference in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "missing-ar-phone.png"), full_page=True)

    page.goto(f"{base}/missing/{case.id}/")
    main = page.inner_text("main")
    assert "شوهد في سرت" in main and "ICRC" in main and "عُثر عليه حيًّا" in main and NAME not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "missing-case-ar-phone.png"), full_page=True)

    page.goto(f"{base}/missing/statuses/{claim.id}/position/")
    page.check('input[name="position"][value="approve"]')
    page.keyboard.press("Tab")
    page.check('input[name="confirm"]')
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "missing-position-ar-phone.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/missing/{case.id}/**")
    claim.refresh_from_db()
    assert claim.agreed

    english = sign_in(browser, base, "facilitator", viewport=DESKTOP)
    english.goto(f"{base}/missing/{case.id}/")
    main = english.inner_text("main")
    assert "Located alive" in main and "Kept in the vault" in main and NAME not in english.content()
    english.screenshot(path=str(SHOTS / "missing-case-en.png"), full_page=True)
