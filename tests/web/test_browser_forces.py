"""In Chromium, in Arabic at a phone's width: the east's head records a departure through the form,
the west's head asks for its verification, the joint team drafts its findings with the number it
counted, every side signs, and the departure shows verified in the withdrawal's progress chart.
Saves screenshots of the forces pages, in Arabic and English, to screenshots/."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.forces import commands  # noqa: E402
from ceasefire.forces.models import Departure  # noqa: E402
from ceasefire.incidents import commands as incidents  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.forces.steps import GROUP, TEAM  # noqa: E402
from tests.samples import INVESTIGATION  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def arabic(page):
    page.click("form.lang button")
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')


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
    east.screenshot(path=str(SHOTS / "forces-departure-ar-phone.png"), full_page=True)

    west = sign_in(browser, base, "west-head", viewport=PHONE)
    arabic(west)
    west.goto(f"{base}/departures/{departure.id}/")
    west.click(f"a[href='/departures/{departure.id}/verification/']")
    west.fill("#f-note", "يرجى العد عند البوابة")
    west.click("form.form button[type=submit]")
    west.wait_for_selector("text=ما يتحقق منه هذا البلاغ")
    [report] = incidents.verifications("departure", departure.id)

    incidents.triage(FACILITATOR, report.id, {"decision": "admissible"})
    incidents.task_team(FACILITATOR, report.id, {"team": TEAM})
    r = incidents.report_investigation(actors["west-member"], report.id, {**INVESTIGATION, "visited_on": "2021-11-12"})
    incidents.confirm_investigation(actors["east-member"], report.id, {"investigation": r.investigation.id})

    member = sign_in(browser, base, "west-member", viewport=PHONE)
    arabic(member)
    member.goto(f"{base}/reports/{report.reference}/findings/")
    member.fill("#f-f0-allegation", "غادر ٣٠٠ عبر القرضابية")
    member.check("#f-f0-result-1")  # no violation: the claim holds
    member.fill("#f-f0-count", "280")
    member.screenshot(path=str(SHOTS / "forces-findings-count-ar-phone.png"), full_page=True)
    member.click("form.findings-form .form-actions button.primary")
    member.wait_for_url(f"{base}/reports/{report.reference}/#findings")
    report.refresh_from_db()
    for who in ("west-member", "east-member"):
        incidents.sign_findings(actors[who], report.id, {"agrees": True, "draft": report.draft})
    incidents.sign_findings(FACILITATOR, report.id, {"agrees": True, "draft": report.draft})

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

    fac = sign_in(browser, base, "facilitator", viewport=DESKTOP)
    fac.goto(f"{base}/withdrawal/progress/")
    assert "280 verified in 1 of 1 departures claimed." in fac.inner_text("main")
    fac.screenshot(path=str(SHOTS / "forces-progress-en.png"), full_page=True)
    fac.goto(f"{base}/departures/{departure.id}/")
    assert "280 verified" in fac.inner_text("main")
    fac.screenshot(path=str(SHOTS / "forces-departure-en.png"), full_page=True)
