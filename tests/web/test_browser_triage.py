"""In Chromium, on a phone, in Arabic: the facilitator opens the triage queue from the list of
reports, sees each report's likely duplicates with why, ticks three reports with the keyboard and
triages them as duplicates of one original in one action. Saves screenshots of the queue before
and after to screenshots/ (or $CEASEFIRE_SHOTS)."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.incidents import commands  # noqa: E402
from ceasefire.incidents.models import Report  # noqa: E402
from ceasefire.record.models import Event  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST

SHELLING = {
    "title": "قصف مدفعي على بوابة أبو قرين",
    "category": "shelling",
    "occurred_at": "2021-03-02T05:40+02:00",
    "latitude": 31.45,
    "longitude": 15.25,
    "geo_precision": 1,
    "place_ar": "أبو قرين",
    "narrative": "سقطت ثلاث قذائف مدفعية شرق البوابة فجراً.",
}


def test_the_facilitator_triages_three_reports_as_duplicates_of_one_in_one_action(live_server, actors, browser):
    commands.adopt_default_typology(FACILITATOR)
    original = commands.file_report(actors["west-member"], SHELLING)
    copies = [
        commands.file_report(actors[who], {**SHELLING, "title": title, "latitude": 31.45 + k / 100})
        for k, (who, title) in enumerate(
            (
                ("east-member", "قصف مدفعي على بوابه ابو قرين"),  # the same words, spelt otherwise
                ("west-head", "قصف على بوابة أبو قرين"),
                ("east-head", "قذائف مدفعية على أبو قرين"),
            ),
            1,
        )
    ]
    raid = commands.file_report(actors["west-member"], {**SHELLING, "category": "raid", "title": "مداهمة مزرعة"})
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    fac = sign_in(browser, base, "facilitator", PHONE)
    fac.context.add_cookies([{"name": "django_language", "value": "ar", "url": base}])
    fac.goto(base + "/reports/")
    fac.click("main a[href='/reports/triage/']")
    fac.wait_for_url(base + "/reports/triage/")
    assert fac.get_attribute("html", "dir") == "rtl"
    assert "بلاغات بانتظار الفرز" in fac.inner_text("h1")
    # the original's likely duplicates, with why, in Arabic
    first = fac.inner_text(f"#pending-{original.reference}")
    assert all(c.reference in first for c in copies) and raid.reference not in first
    assert "بينهما 1.1 كم" in first and "قد يتطابق وقتاهما" in first and "ورد بعده" in first
    assert "لم يُعثر على بلاغ مكرر محتمل." in fac.inner_text(f"#pending-{raid.reference}")

    # three boxes ticked with the keyboard, the decision and the original chosen, the box confirmed
    for r in copies:
        fac.focus(f"#f-reports-{r.id}")
        fac.keyboard.press("Space")
    fac.focus("#f-decision-0")  # duplicates of the original chosen below
    fac.keyboard.press("Space")
    fac.select_option("#f-duplicate-of", str(original.id))
    fac.fill("#f-reason", "البلاغات الثلاثة عن القصف نفسه")
    fac.check("#f-confirm")
    assert fac.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    fac.screenshot(path=str(SHOTS / "ar-phone-triage.png"), full_page=True)
    before = Event.objects.count()
    fac.click("main form.triage-form button[type=submit].primary")
    fac.wait_for_url(base + "/reports/triage/")

    assert "فُرزت 3 بلاغات." in fac.inner_text("main")
    assert Event.objects.count() == before + 3
    assert list(Event.objects.order_by("-seq").values_list("type", flat=True)[:3]) == ["report.triaged"] * 3
    for r in copies:
        r = Report.objects.get(id=r.id)
        assert (r.status, r.duplicate_of_id, r.triage_reason_ar) == (
            "duplicate",
            original.id,
            "البلاغات الثلاثة عن القصف نفسه",
        )
    # what is left awaits triage: the original and the raid
    left = fac.inner_text("ol.triage-queue")
    assert original.reference in left and raid.reference in left
    assert [fac.locator(f"#pending-{r.reference}").count() for r in copies] == [0, 0, 0]
    assert fac.locator("ol.triage-queue > li").count() == 2
    assert "فُرزت 3 بلاغات مكررةً له." in fac.inner_text(f"#pending-{original.reference}")
    fac.screenshot(path=str(SHOTS / "ar-phone-triage-done.png"), full_page=True)
