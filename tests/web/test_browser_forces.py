"""In Chromium, in Arabic at a phone's width, every step through the pages: the east's head records
a departure through the form, the west's head asks for its verification, the facilitator triages it
and tasks a joint team of both parties' members, one member reports the visit and the other confirms
it, the team drafts its findings with the number it counted, every side signs (the confirmation
ticked, one of them with the keyboard only), and the departure shows verified in the withdrawal's
progress chart.
Saves screenshots of the forces pages, in Arabic and English, to screenshots/."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.forces import commands  # noqa: E402
from ceasefire.forces.models import Departure  # noqa: E402
from ceasefire.incidents import commands as incidents  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.forces.steps import GROUP, TEAM  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def arabic(page):
    page.click("form.lang button")
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')


def submit(page):
    page.click("main form.form button[type=submit].primary")


def sign(page, base, ref):
    """Agree to the findings on the sign-off page, ticking the confirmation that names the draft."""
    page.goto(f"{base}/reports/{ref}/sign/")
    page.check("#f-agrees-0")
    page.check("#f-confirm")
    submit(page)
    page.wait_for_url(f"{base}/reports/{ref}/#signoffs")


def no_overflow(page):
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def test_a_departure_is_reported_verified_and_counted_in_arabic_on_a_phone(live_server, actors, browser):
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url
    incidents.adopt_default_typology(FACILITATOR)
    group = commands.register_group(actors["west-head"], {**GROUP, "name_ar": "مقاتلون سوريون"})
    plan = commands.record_plan(
        FACILITATOR,
        {
            "title_en": "Action plan for the withdrawal",
            "title_ar": "خطة العمل لإخراج المرتزقة",
            "agreed_on": "2021-10-08",
            "source": "https://libya360.wordpress.com/2021/10/08/",
        },
    )
    stage = commands.add_stage(
        FACILITATOR,
        plan.id,
        {
            "title_ar": "الانسحاب إلى نقاط التجمع",
            "title_en": "Pull back to assembly points",
            "source": "https://www.libyaherald.com/2021/10/13/",
        },
    )
    commands.report_side(actors["west-head"], stage.id, {"complete": True, "as_of": "2021-12-01"})

    east = sign_in(browser, base, "east-head", viewport=PHONE)
    arabic(east)
    east.goto(f"{base}/forces/{group.id}/departures/new/")
    east.fill("#f-claimed", "300")
    east.fill("#f-departed-on", "2021-11-11")
    east.fill("#f-place", "icao:HLGD")
    east.check("#f-confidence-0")
    east.fill("#f-source", "أعضاء اللجنة من جانب القيادة العامة")
    east.click("form.form button[type=submit]")
    departure = Departure.objects.get()
    east.wait_for_url(f"{base}/departures/{departure.id}/")
    assert "ادعاء" in east.inner_text("main") and "قاعدة القرضابية الجوية" in east.inner_text("main")
    assert east.evaluate("document.querySelector('.coords').getClientRects().length") == 1  # one line
    east.screenshot(path=str(SHOTS / "forces-departure-ar-phone.png"), full_page=True)

    west = sign_in(browser, base, "west-head", viewport=PHONE)
    arabic(west)
    west.goto(f"{base}/departures/{departure.id}/")
    west.click(f"a[href='/departures/{departure.id}/verification/']")
    west.fill("#f-note", "يرجى العد عند البوابة")
    west.click("form.form button[type=submit]")
    west.wait_for_selector("text=ما يتحقق منه هذا البلاغ")
    [report] = incidents.verifications("departure", departure.id)
    ref = report.reference

    # The facilitator, in Arabic on a phone, triages it and tasks a joint team from both parties.
    fac = sign_in(browser, base, "facilitator", viewport=PHONE)
    arabic(fac)
    fac.goto(f"{base}/reports/{ref}/")
    fac.click(f"a[href='/reports/{ref}/triage/']")
    fac.check("#f-decision-0")  # admissible
    submit(fac)
    fac.wait_for_url(f"{base}/reports/{ref}/#timeline")
    fac.click(f"a[href='/reports/{ref}/team/']")
    for who in TEAM:
        fac.check(f"input[name=team][value={who}]")
    fac.fill("#f-instructions", "عدّ المغادرين عند بوابة القاعدة")
    fac.screenshot(path=str(SHOTS / "forces-team-ar-phone.png"), full_page=True)
    submit(fac)
    fac.wait_for_url(f"{base}/reports/{ref}/#team")

    # The team: west-member reports the visit, east-member confirms it, west-member drafts the count.
    member = sign_in(browser, base, "west-member", viewport=PHONE)
    arabic(member)
    member.goto(f"{base}/reports/{ref}/")
    member.click(f"a[href='/reports/{ref}/investigation/']")
    member.check("#f-site-visited-0")
    member.fill("#f-visited-on", "2021-11-12")
    member.check("#f-access-0")  # granted
    member.fill("#f-methods", "عدّ عند البوابة ومقابلة طاقم الطائرة")
    submit(member)
    member.wait_for_url(f"{base}/reports/{ref}/#investigation")
    other = sign_in(browser, base, "east-member", viewport=PHONE)
    arabic(other)
    other.goto(f"{base}/reports/{ref}/")
    other.click(f"a[href='/reports/{ref}/investigation/confirm/']")
    assert "عدّ عند البوابة" in other.inner_text("main")
    submit(other)
    other.wait_for_url(f"{base}/reports/{ref}/#investigation")

    member.goto(f"{base}/reports/{ref}/findings/")
    member.fill("#f-f0-allegation", "غادر ٣٠٠ عبر القرضابية")
    member.check("#f-f0-result-1")  # no violation: the claim holds
    member.fill("#f-f0-count", "280")
    member.screenshot(path=str(SHOTS / "forces-findings-count-ar-phone.png"), full_page=True)
    member.click("form.findings-form .form-actions button.primary")
    member.wait_for_url(f"{base}/reports/{ref}/#findings")

    # Each signs on its page, the confirmation ticked; east-member with the keyboard only.
    for page in (member, fac):
        sign(page, base, ref)
    other.goto(f"{base}/reports/{ref}/sign/")
    other.focus("#f-agrees-0")  # agrees
    other.keyboard.press("Space")
    other.focus("#f-confirm")
    other.keyboard.press("Space")
    assert other.is_checked("#f-confirm")
    other.screenshot(path=str(SHOTS / "forces-sign-ar-phone.png"), full_page=True)
    other.keyboard.press("Enter")
    other.wait_for_url(f"{base}/reports/{ref}/#signoffs")
    assert other.get_attribute("html", "dir") == "rtl"
    no_overflow(other)
    other.screenshot(path=str(SHOTS / "forces-verified-report-ar-phone.png"), full_page=True)
    other.goto(f"{base}/departures/{departure.id}/")
    assert "280" in other.inner_text("main")
    no_overflow(other)
    other.screenshot(path=str(SHOTS / "forces-departure-verified-ar-phone.png"), full_page=True)

    west.goto(f"{base}/withdrawal/progress/")
    main = west.inner_text("main")
    assert "تقدّم الانسحاب" in main and "تحقّق من 280" not in main
    assert "280" in main and "300" in main
    assert west.locator("svg.progress-bar rect.verified").first.get_attribute("width") in ("93.33", "93.33333")
    assert west.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )  # nothing wider than the phone
    west.screenshot(path=str(SHOTS / "forces-progress-ar-phone.png"), full_page=True)
    west.goto(f"{base}/withdrawal/")
    assert "مكتملة في جانب واحد فقط" in west.inner_text("main")
    west.screenshot(path=str(SHOTS / "forces-withdrawal-ar-phone.png"), full_page=True)
    west.goto(f"{base}/forces/{group.id}/")
    west.screenshot(path=str(SHOTS / "forces-group-ar-phone.png"), full_page=True)

    fac = sign_in(browser, base, "facilitator", viewport=DESKTOP)  # in English, wide
    fac.goto(f"{base}/withdrawal/progress/")
    assert "280 verified in 1 of 1 departures claimed." in fac.inner_text("main")
    fac.screenshot(path=str(SHOTS / "forces-progress-en.png"), full_page=True)
    fac.goto(f"{base}/departures/{departure.id}/")
    assert "280 verified" in fac.inner_text("main")
    fac.screenshot(path=str(SHOTS / "forces-departure-en.png"), full_page=True)
