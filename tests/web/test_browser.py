"""In Chromium: the facilitator records a meeting and a decision; the west's head, working in
Arabic, approves it and sees it still waiting; the east's head approves and both see it adopted.

Also saves screenshots of the main pages, in English and Arabic, wide and at a phone's width, to
screenshots/ (git-ignored) for a person to look at.
"""

import datetime as dt
import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.mechanism.models import Decision, Meeting  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402
from tests.helpers import app_code, authenticator, hold  # noqa: E402

from . import chromium  # noqa: E402
from .conftest import build_world  # noqa: E402

CHROMIUM = chromium.CHROMIUM
SHOTS = Path(os.environ.get("CEASEFIRE_SHOTS") or Path(__file__).resolve().parents[2] / "screenshots")
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Shared with the other browser test files.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)",
    ),
    # The live server's thread must see what the test writes: real transactions, flushed after.
    pytest.mark.django_db(transaction=True),
]
pytestmark = BROWSER_TEST


@pytest.fixture
def browser():
    """Chromium, shared with the browser tests just before and after this one (tests/web/chromium.py):
    the test gets it without contexts, and those it opens are closed after it."""
    yield chromium.browser()
    chromium.clean()


def sign_in(browser, base, username, viewport=DESKTOP):
    """A separate browser context per user: its own cookies, its own session. An account that owes
    a second factor has its app set up already, and gives the code it shows after the password."""
    from django.contrib.auth import get_user_model

    from ceasefire.mechanism import second_factor

    user = get_user_model().objects.get(username=username)
    app = authenticator(user) if second_factor.required(user) else second_factor.app(user)
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")
    if app is not None:
        page.wait_for_url(base + "/login/code/")
        page.fill("#id_code", app_code(app))
        page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def decision_card(page, number=1):
    return page.locator(f"#decision-{number}")


def test_a_decision_is_adopted_only_when_both_parties_approve(live_server, actors, browser, settings):
    settings.DEMO = True
    build_world(actors)
    base = live_server.url
    day = dt.date.today().isoformat()  # held today: attendance can be recorded

    # The facilitator records the meeting and puts a decision before the committee, through the forms.
    fac = sign_in(browser, base, "facilitator")
    fac.click("nav.main-nav >> text=Meetings")
    fac.click("text=Record a meeting")
    fac.fill("#f-title", "Security arrangements in Sirte")
    fac.fill("#f-starts-on", day)
    fac.fill("#f-city", "سرت")
    fac.fill("#f-country", "ليبيا")
    fac.fill("#f-host", "UNSMIL")
    fac.click("form.form button[type=submit]")
    meeting = Meeting.objects.get(title_en="Security arrangements in Sirte")
    fac.wait_for_url(f"{base}/meetings/{meeting.reference}/")
    assert "The meeting has been recorded." in fac.inner_text("main")
    fac.click("text=Put a decision before the committee")
    fac.fill("#f-text", "Withdraw all forces from the Sirte–Jufra line.")
    fac.click("form.form button[type=submit]")
    fac.wait_for_url(f"{base}/meetings/{meeting.reference}/#decision-1")
    card = decision_card(fac).inner_text()
    assert "Not adopted" in card and "position of the delegation of Western region not given" in card
    assert "quorum of the delegation of Eastern region not recorded" in card
    decision = Decision.objects.get(meeting=meeting)
    hold(meeting)  # each party's quorum present: what is left is the positions

    # The west's head switches to Arabic in the UI, and gives the position with the keyboard.
    west = sign_in(browser, base, "west-head")
    west.click("form.lang button")
    west.wait_for_selector('html[lang="ar"][dir="rtl"]')
    west.click("nav.main-nav >> text=الاجتماعات")
    west.click(f"text={meeting.reference}")
    url = west.url
    west.focus(f"#d{decision.id}-f-position-0")  # approve
    west.keyboard.press("Space")
    west.keyboard.press("Tab")
    west.keyboard.type("موافقون بشرط التحقق المشترك")
    west.keyboard.press("Tab")
    west.keyboard.press("Space")  # the confirmation naming the decision's entry
    assert west.is_checked(f"#d{decision.id}-f-confirm")
    west.keyboard.press("Tab")
    west.keyboard.press("Enter")
    west.wait_for_selector("#decision-1 [role=status]")  # swapped in by htmx, no page load
    assert west.url == url
    card = decision_card(west).inner_text()
    assert "غير معتمد" in card and "المنطقة الشرقية" in card
    assert "موافقون بشرط التحقق المشترك" in card
    assert not Decision.objects.get(id=decision.id).adopted
    assert west.get_attribute("html", "dir") == "rtl"

    # The east's head approves: adopted, and both see it.
    east = sign_in(browser, base, "east-head")
    east.goto(f"{base}/meetings/{meeting.reference}/")
    east.check(f"#d{decision.id}-f-position-0")
    east.check(f"#d{decision.id}-f-confirm")
    decision_card(east).locator("button[type=submit]").click()
    east.wait_for_selector("#decision-1.adopted")
    assert "Adopted" in decision_card(east).inner_text()
    assert decision_card(east).locator("input[name=position]").count() == 0
    west.reload()
    card = decision_card(west).inner_text()
    assert "معتمد" in card and "غير معتمد" not in card
    assert Decision.objects.get(id=decision.id).adopted

    screenshots(browser, base, meeting.reference)
    for page in (fac, west, east):
        page.context.close()


def screenshots(browser, base, reference):
    """The main pages, in both languages, wide and on a phone."""
    from ceasefire.agreements.models import Agreement

    SHOTS.mkdir(exist_ok=True)
    agreement = Agreement.objects.order_by("id").first()
    pages = {
        "dashboard": "/",
        "committee": "/mechanism/",
        "meetings": "/meetings/",
        "meeting": f"/meetings/{reference}/",
        "past-meeting": "/meetings/" + Meeting.objects.order_by("number").first().reference + "/",
        "agreement": f"/agreements/{agreement.id}/",
        "record": "/record/",
        "new-meeting": "/meetings/new/",
        "attendance": "/meetings/" + Meeting.objects.order_by("number").first().reference + "/attendance/",
    }
    for lang in ("en", "ar"):
        for size, viewport in (("wide", DESKTOP), ("phone", PHONE)):
            page = sign_in(browser, base, "facilitator", viewport)
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(SHOTS / f"{lang}-{size}-{name}.png"), full_page=True)
            # No page may be wider than the screen.
            for name, path in pages.items():
                page.goto(base + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{path} overflows by {overflow}px in {lang} at {viewport['width']}px"
            page.context.close()
        login = browser.new_context(viewport=PHONE, locale="en-US")
        login.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        p = login.new_page()
        p.goto(base + "/login/")
        p.screenshot(path=str(SHOTS / f"{lang}-phone-login.png"), full_page=True)
        login.close()
