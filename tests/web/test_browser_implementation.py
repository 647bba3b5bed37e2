"""In Chromium, in Arabic on a phone: the three-month departure clause of 23 October 2020 gets an
assessment from each party, and they differ; they stand side by side. The facilitator puts forward
a third; each party approves it, and it becomes the committee's status, which observers read and
the dashboard shows as overdue (its deadline passed, its status below full).

Saves screenshots of each step, in Arabic and English, to screenshots/ for a person to look at."""

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from ceasefire.agreements import commands as agreements  # noqa: E402
from ceasefire.agreements.models import AgreedStatus, Assessment  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402

from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402, F401

pytestmark = BROWSER_TEST

CLAUSE = {
    "number": "2",
    "text_en": "All military units and armed groups leave the contact lines and return to their camps, simultaneously "
    "with the departure of all mercenaries and foreign fighters from Libyan territory.",
    "text_ar": "انسحاب جميع الوحدات العسكرية والمجموعات المسلحة من خطوط التماس وعودتها إلى معسكراتها، بالتزامن مع خروج "
    "جميع المرتزقة والمقاتلين الأجانب من الأراضي الليبية.",
    "category": "disengagement and foreign forces",
    "deadline_months": 3,
    "deadline_en": "3 months from signature",
    "deadline_ar": "3 أشهر من تاريخ التوقيع",
}


def in_arabic(page, base):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"implementation-{name}.png"), full_page=True)


def no_overflow(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def assess(page, base, provision, status_index, as_of, reasoning, evidence=""):
    """Put forward an assessment through the form, as a person would."""
    page.goto(f"{base}/provisions/{provision.id}/")
    page.click(f"a[href='/provisions/{provision.id}/assessments/new/']")
    page.check(f"#f-status-{status_index}")
    page.fill("#f-as-of", as_of)
    page.fill("#f-reasoning", reasoning)
    if evidence:
        page.fill("#f-evidence", evidence)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/provisions/{provision.id}/#assessment-*")


def position(page, assessment, index, reason=""):
    """Give the party's position on an assessment's card (htmx swaps the card in place)."""
    card = page.locator(f"#assessment-{assessment.id}")
    card.locator(f"#a{assessment.id}-f-position-{index}").check()
    if reason:
        card.locator(f"#a{assessment.id}-f-reason").fill(reason)
    card.locator(f"#a{assessment.id}-f-confirm").check()
    card.locator("button[type=submit]").click()


def test_the_three_month_clause_assessed_two_ways_then_agreed(live_server, actors, browser, settings):
    settings.DEMO = True
    agreement = agreements.record_agreement(
        FACILITATOR,
        {
            "title_en": "Agreement for a Complete and Permanent Ceasefire",
            "title_ar": "اتفاق وقف إطلاق النار الدائم",
            "signed_on": "2020-10-23",
            "place": "Geneva",
        },
    )
    clause = agreements.add_provision(FACILITATOR, agreement.id, CLAUSE)
    agreements.add_provision(
        FACILITATOR,
        agreement.id,
        {"number": "1", "text": "وقف فوري لإطلاق النار", "deadline_months": 0, "category": "ceasefire"},
    )
    base = live_server.url

    # Each party's head, in Arabic on a phone, puts forward its own assessment: they differ.
    east = sign_in(browser, base, "east-head", PHONE)
    in_arabic(east, base)
    assess(east, base, clause, 1, "2021-01-23", "عادت بعض الوحدات إلى معسكراتها.", "https://example.org/east-statement")
    assert 'dir="rtl"' in east.content() and "تقييم المنطقة الشرقية" in east.inner_text("main")
    west = sign_in(browser, base, "west-head", PHONE)
    in_arabic(west, base)
    assess(west, base, clause, 0, "2021-01-23", "لم يغادر أي من المرتزقة أو المقاتلين الأجانب.")
    east_one, west_one = Assessment.objects.order_by("id")
    main = west.inner_text("#assessments")
    assert "تقييم المنطقة الشرقية" in main and "تقييم المنطقة الغربية" in main  # side by side
    assert "1 · محدود" in main and "0 · لم يبدأ" in main
    assert main.count("ليس تقييم اللجنة بعد") == 2
    assert "لم تعتمد اللجنة أي حالة بعد." in west.inner_text("#committee-status")
    assert "فك الاشتباك والقوات الأجنبية" in west.inner_text("h1")  # the theme in Arabic too
    # the box to tick names the assessment's day in words: an ISO date would break at its hyphens
    assert "23 يناير 2021" in west.inner_text(f"#assessment-{east_one.id} .confirm")
    no_overflow(west)
    shot(west, "ar-phone-1-two-assessments")

    # The west objects to the east's, with its reason: the card changes in place.
    position(west, east_one, 1, "لا دليل على مغادرة أي مقاتل أجنبي")
    west.wait_for_selector(f"#assessment-{east_one.id} [role=status]")
    card = west.inner_text(f"#assessment-{east_one.id}")
    assert "اعتراض من المنطقة الغربية" in card and "لا دليل على مغادرة أي مقاتل أجنبي" in card
    assert not Assessment.objects.get(id=east_one.id).agreed

    # The facilitator puts forward a third reading of the facts, in Arabic too.
    fac = sign_in(browser, base, "facilitator", PHONE)
    in_arabic(fac, base)
    assess(fac, base, clause, 1, "2021-01-23", "عودة جزئية للوحدات؛ لا مغادرة للمرتزقة أو المقاتلين الأجانب.")
    agreed = Assessment.objects.order_by("-id").first()
    assert "تقييم الميسّر" in fac.inner_text(f"#assessment-{agreed.id}")

    # The west approves it: it waits for the east.
    west.goto(f"{base}/provisions/{clause.id}/")
    position(west, agreed, 0)
    west.wait_for_selector(f"#assessment-{agreed.id} [role=status]")
    assert "في انتظار: لم يُبدِ وفد المنطقة الشرقية موقفه" in west.inner_text(f"#assessment-{agreed.id}")
    assert not Assessment.objects.get(id=agreed.id).agreed
    shot(west, "ar-phone-2-waiting-for-the-east")

    # The east approves: every party has, and it is the committee's status. The page changes.
    east.goto(f"{base}/provisions/{clause.id}/")
    position(east, agreed, 0)
    east.wait_for_selector(
        "text=وافقت عليه جميع الأطراف: صار الآن حالة اللجنة."
    )  # the page is reloaded, with its message
    status = east.inner_text("#committee-status")
    assert "1 · محدود" in status and "عودة جزئية للوحدات" in status
    assert AgreedStatus.objects.get(assessment=agreed).status == "1"
    # its rivals still stand, unchanged, beside nothing of the committee's
    remaining = east.inner_text("#assessments")
    assert (
        "تقييم المنطقة الشرقية" in remaining
        and "تقييم المنطقة الغربية" in remaining
        and "تقييم الميسّر" not in remaining
    )
    assert "متأخر" in east.inner_text("#deadline")  # past its deadline, below full: overdue
    no_overflow(east)
    shot(east, "ar-phone-3-agreed")

    # An observer reads the committee's status, not the assessments nor who put them forward.
    observer = sign_in(browser, base, "observer", PHONE)
    in_arabic(observer, base)
    observer.goto(f"{base}/provisions/{clause.id}/")
    text = observer.inner_text("main")
    assert "1 · محدود" in text and "لم يغادر أي من المرتزقة" not in text and "east-head" not in text
    shot(observer, "ar-phone-4-observer")
    observer.goto(f"{base}/")
    deadlines = observer.inner_text("#h-deadlines >> xpath=..")
    assert "متأخر" in deadlines and "حلّ أجل المهلة" in deadlines  # the clause overdue; the immediate ceasefire only due
    no_overflow(observer)
    shot(observer, "ar-phone-5-dashboard")
    observer.goto(f"{base}/agreements/{agreement.id}/implementation/")
    assert observer.locator(".bar").count() >= 1 and "1 · محدود" in observer.inner_text("main")
    no_overflow(observer)
    shot(observer, "ar-phone-6-rollup")

    # The facilitator publishes the committee's status: anyone reads it on the public page, in Arabic, without a login.
    published = AgreedStatus.objects.get(assessment=agreed)
    fac.goto(f"{base}/provisions/{clause.id}/")
    fac.click(f"a[href='/publish/agreed_status/{published.id}/']")
    copy = fac.inner_text("#h-copy >> xpath=..")
    assert "عودة جزئية للوحدات" in copy and f"منسوخ من القيد رقم {published.id}" in copy
    no_overflow(fac)
    shot(fac, "ar-phone-7-publish")
    fac.locator("#f-confirm").check()
    fac.click("form.form button[type=submit]")
    fac.wait_for_url(f"{base}/provisions/{clause.id}/")
    assert "نُشر للعموم (القيد رقم" in fac.inner_text("#committee-status")
    anyone = browser.new_context(viewport=PHONE).new_page()
    anyone.goto(f"{base}/public/?lang=ar")
    row = anyone.inner_text(f"tr:has-text('{CLAUSE['text_ar'][:20]}')")
    assert "1 · محدود" in row and "23 يناير 2021" in row, row
    no_overflow(anyone)
    shot(anyone, "ar-phone-8-public")
    anyone.context.close()

    # The same pages in English, on a phone and wide, for a person to look at.
    for size, viewport in (("phone", PHONE), ("wide", DESKTOP)):
        page = sign_in(browser, base, "west-head", viewport)
        for name, path in (
            ("provision", f"/provisions/{clause.id}/"),
            ("rollup", f"/agreements/{agreement.id}/implementation/"),
            ("agreement", f"/agreements/{agreement.id}/"),
            ("dashboard", "/"),
        ):
            page.goto(base + path)
            no_overflow(page)
            shot(page, f"en-{size}-{name}")
        page.context.close()
    for page in (east, west, fac, observer):
        page.context.close()
