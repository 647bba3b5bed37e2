"""In Chromium, in Arabic at a phone's width: the military track's withdrawal page reads right to
left, shows the stage and the departure awaiting verification, and nothing is wider than the phone.
Saves screenshots in Arabic and English to screenshots/."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.agreements import commands as agreements  # noqa: E402
from ceasefire.forces import commands  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.forces.steps import DEPARTURE, GROUP  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def test_the_withdrawal_goal_in_arabic_on_a_phone(live_server, actors, browser):
    SHOTS.mkdir(exist_ok=True)
    base = live_server.url
    a = agreements.record_agreement(
        FACILITATOR,
        {
            "title_en": "Ceasefire agreement",
            "title_ar": "اتفاق وقف إطلاق النار",
            "signed_on": "2020-10-23",
            "source": "UNSMIL",
        },
    )
    agreements.add_provision(
        FACILITATOR,
        a.id,
        {
            "number": "2",
            "category": "disengagement and foreign forces",
            "deadline_months": "3",
            "text_en": "All mercenaries and foreign fighters leave Libyan territory.",
            "text_ar": "خروج جميع المرتزقة والمقاتلين الأجانب من الأراضي الليبية.",
        },
    )
    group = commands.register_group(actors["west-head"], {**GROUP, "name_ar": "مقاتلون سوريون"})
    commands.claim_departure(actors["east-head"], group.id, DEPARTURE)
    plan = commands.record_plan(
        FACILITATOR, {"title_en": "Action plan", "title_ar": "خطة العمل", "agreed_on": "2021-10-08", "source": "[17]"}
    )
    stage = commands.add_stage(
        FACILITATOR,
        plan.id,
        {"title_ar": "الانسحاب إلى نقاط التجمع", "title_en": "Pull back to assembly points", "source": "[18]"},
    )
    commands.report_side(actors["west-head"], stage.id, {"complete": True, "as_of": "2021-12-01"})

    page = sign_in(browser, base, "east-head", viewport=PHONE)
    page.click("form.lang button")
    page.wait_for_selector('html[lang="ar"][dir="rtl"]')
    page.goto(f"{base}/track/withdrawal/")
    main = page.inner_text("main")
    assert "الانسحاب" in main and "الانسحاب إلى نقاط التجمع" in main and "بانتظار التحقق" in main
    assert "لم يُطلب التحقق بعد" in main and "مقاتلون سوريون" in main
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "track-withdrawal-ar-phone.png"), full_page=True)
    page.goto(f"{base}/track/")
    assert "المسار العسكري" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(SHOTS / "track-ar-phone.png"), full_page=True)

    english = sign_in(browser, base, "facilitator", viewport=DESKTOP)
    english.goto(f"{base}/track/withdrawal/")
    assert "Awaiting verification" in english.inner_text("main")
    english.screenshot(path=str(SHOTS / "track-withdrawal-en.png"), full_page=True)
