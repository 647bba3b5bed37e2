"""In Chromium, the issue's "done when": a report travels the whole verification chain through the
pages. west-member files it from a phone; the facilitator triages it and tasks a team with
west-member and east-member; the team reports its investigation (written by one, confirmed by the
other party's member) and drafts a finding; west-member agrees and east-member, working in Arabic
on a phone with the keyboard, dissents with reasons; the finding appears on the next meeting's
agenda; the facilitator proposes a settlement, both heads approve it on the meeting page, the
facilitator settles, and the report shows "Concluded".

Saves screenshots of the list, the filing form and the report's page, on a phone, in Arabic and
English, to screenshots/ (or $CEASEFIRE_SHOTS), and checks that no page is wider than the screen.
"""

import datetime as dt
import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.incidents import commands  # noqa: E402
from ceasefire.incidents.models import Evidence, Report  # noqa: E402
from ceasefire.mechanism.models import Decision  # noqa: E402
from ceasefire.record import log  # noqa: E402
from ceasefire.web.views.base import today  # noqa: E402
from tests.conftest import FACILITATOR  # noqa: E402
from tests.helpers import hold  # noqa: E402

from .conftest import build_world  # noqa: E402
from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def submit(page):
    page.click("main form.form button[type=submit].primary")


def test_a_report_travels_the_whole_chain_through_the_pages(live_server, actors, browser, monkeypatch):
    world = build_world(actors)  # its next meeting, "Follow-up", is ten days ahead
    commands.adopt_default_typology(FACILITATOR)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()

    # west-member files the report from a phone.
    west = sign_in(browser, base, "west-member", PHONE)
    west.click("nav.main-nav >> text=Reports")
    west.click("main >> text=File the first report")
    west.fill("#f-title", "Shelling near Abu Qurayn")
    west.select_option("#f-category", "shelling")
    west.fill("#f-occurred-on", yesterday)
    west.fill("#f-occurred-time", "05:40")
    west.fill("#f-latitude", "31.45")
    west.fill("#f-longitude", "15.25")
    west.select_option("#f-geo-precision", "2")
    west.fill("#f-place", "أبو قرين")
    west.select_option("#f-alleged-party", "east")
    west.fill("#f-cas-injured-civilian", "2")
    west.fill("#f-cas-source", "Local clinic")
    west.fill("#f-narrative", "Three rounds of artillery fell 2 km east of the checkpoint.")
    west.fill("#f-identity-name", "Hamid the shepherd")
    submit(west)
    report = Report.objects.get(title_en="Shelling near Abu Qurayn")
    ref = report.reference
    west.wait_for_url(f"{base}/reports/{ref}/")
    assert "The report has been filed." in west.inner_text("main")
    assert "Received" in west.inner_text(".stage-line")
    assert report.place_ar == "أبو قرين" and report.time_known and report.casualties.get().count == 2
    assert west.locator(".next-steps").count() == 0  # nothing for west-member to do yet
    assert "Hamid" not in west.content()  # the vault is the facilitator's
    assert west.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    # A photo as evidence, from the report's page; downloading it is recorded before it is served.
    west.set_input_files("#ev-f-file", files=[{"name": "crater.png", "mimeType": "image/png", "buffer": PNG}])
    west.fill("#ev-f-description", "The crater, seen from the road")
    west.click("#evidence button[type=submit]")
    evidence = Evidence.objects.get(report=report)
    west.wait_for_url(f"{base}/reports/{ref}/#evidence-{evidence.id}")
    west.click(f"#evidence-{evidence.id} a")
    with west.expect_download() as download:
        west.click("button[value=download]")
    assert download.value.suggested_filename == "crater.png"
    assert open(download.value.path(), "rb").read() == PNG
    west.reload()
    assert "downloaded" in west.inner_text("#custody") and "west-member" in west.inner_text("#custody")
    west.screenshot(path=str(SHOTS / "en-phone-evidence.png"), full_page=True)

    # The facilitator triages it and tasks a joint team.
    fac = sign_in(browser, base, "facilitator")
    fac.goto(f"{base}/reports/{ref}/")
    fac.click("text=Open the vault")
    assert "Hamid the shepherd" in fac.inner_text("main")
    fac.screenshot(path=str(SHOTS / "en-wide-identities.png"), full_page=True)
    fac.goto(f"{base}/reports/{ref}/")
    fac.click("text=Triage the report")
    fac.check("#f-decision-0")  # admissible
    submit(fac)
    fac.wait_for_url(f"{base}/reports/{ref}/#timeline")
    assert "Preliminary inquiry" in fac.inner_text(".stage-line")
    fac.click("text=Task a joint team")
    assert "at least one member of every party" in fac.inner_text("main")
    fac.check("input[name=team][value=west-member]")
    submit(fac)  # one party only: refused, next to the field
    fac.wait_for_selector("#f-team .error")
    assert "every party" in fac.inner_text("#f-team .error")
    fac.check("input[name=team][value=east-member]")
    fac.fill("#f-instructions", "Visit the crater and the checkpoint.")
    submit(fac)
    fac.wait_for_url(f"{base}/reports/{ref}/#team")
    assert "Tasked to a joint team" in fac.inner_text(".stage-line")

    # The team: east-member reports the investigation, west-member confirms it and drafts the finding.
    east = sign_in(browser, base, "east-member")
    east.goto(f"{base}/reports/{ref}/")
    east.click("text=Report the investigation")
    east.check("#f-site-visited-0")
    east.fill("#f-visited-on", today().isoformat())
    east.check("#f-access-0")  # granted
    east.fill("#f-methods", "Crater analysis; interviews with the checkpoint's guards.")
    submit(east)
    east.wait_for_url(f"{base}/reports/{ref}/#investigation")
    assert "Tasked to a joint team" in east.inner_text(".stage-line")  # the west has not confirmed it yet

    # west-member confirms it: now it is the team's.
    west.goto(f"{base}/reports/{ref}/")
    west.click("text=Confirm the investigation report")
    assert "Crater analysis" in west.inner_text("main")
    submit(west)
    west.wait_for_url(f"{base}/reports/{ref}/#investigation")
    assert "Investigation reported" in west.inner_text(".stage-line")

    west.goto(f"{base}/reports/{ref}/")
    west.click("text=Draft the findings")
    west.fill("#f-f0-allegation", "Shelling by the east")
    west.check("#f-f0-result-0")  # violation
    west.select_option("#f-f0-attributed-to", "east")
    west.click("button[name=add][value=rec-0]")  # a second recommendation block, the draft kept
    west.wait_for_selector("#f-f0-r1-addressee-party")
    assert west.input_value("#f-f0-allegation") == "Shelling by the east"
    assert west.evaluate("document.activeElement.id") == "f-f0-r1-addressee-party"
    west.screenshot(path=str(SHOTS / "en-phone-findings-form.png"), full_page=True)
    west.select_option("#f-f0-r0-addressee-party", "east")
    west.fill("#f-f0-r0-text", "Withdraw the battery 20 km.")
    west.fill("#f-f0-r0-due-on", (today() + dt.timedelta(days=30)).isoformat())
    submit(west)
    west.wait_for_url(f"{base}/reports/{ref}/#findings")
    assert "Findings awaiting sign-off" in west.inner_text(".stage-line")
    assert "Withdraw the battery 20 km." in west.inner_text("#findings")

    # west-member agrees.
    west.click("text=Sign the findings, or dissent")
    west.check("#f-agrees-0")
    west.check("#f-confirm")
    submit(west)
    west.wait_for_url(f"{base}/reports/{ref}/#signoffs")
    assert "Agrees" in west.inner_text("#signoffs")

    # east-member dissents with reasons: in Arabic, on a phone, with the keyboard only.
    east.close()
    east = sign_in(browser, base, "east-member", PHONE)
    east.click("form.lang button")
    east.wait_for_selector('html[lang="ar"][dir="rtl"]')
    east.goto(f"{base}/reports/{ref}/sign/")
    east.screenshot(path=str(SHOTS / "ar-phone-sign.png"), full_page=True)
    east.focus("#f-agrees-1")  # dissent
    east.keyboard.press("Space")
    east.keyboard.press("Tab")
    east.keyboard.type("لا توجد حفرة في الموقع المذكور")
    east.keyboard.press("Tab")
    east.keyboard.press("Space")  # the confirmation naming the draft signed
    assert east.is_checked("#f-confirm")
    east.keyboard.press("Tab")
    east.keyboard.press("Enter")
    east.wait_for_url(f"{base}/reports/{ref}/#signoffs")
    assert east.get_attribute("html", "dir") == "rtl"
    assert "لا توجد حفرة في الموقع المذكور" in east.inner_text("#signoffs")
    assert east.locator(".stage-line .stage-disputed").count() == 1
    assert east.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    report.refresh_from_db()
    assert report.status == "disputed"

    # The finding is on the next meeting's agenda, linked to the report.
    meeting = world["upcoming"]
    assert report.agenda_item.meeting_id == meeting.id
    fac.goto(f"{base}/meetings/{meeting.reference}/")
    agenda = fac.inner_text("#agenda")
    assert f"Disputed findings on report {ref}" in agenda
    fac.click("#agenda >> text=Open the report")
    fac.wait_for_url(f"{base}/reports/{ref}/#findings")

    # The facilitator proposes a settlement; both heads approve it on the meeting page.
    fac.click("text=Propose a settlement")
    fac.fill("#f-text", "The committee upholds the finding; the east withdraws the battery.")
    submit(fac)
    decision = Decision.objects.get(meeting=meeting, text_en__startswith="The committee upholds")
    fac.wait_for_url(f"{base}/meetings/{meeting.reference}/#decision-{decision.number}")
    for head in ("west-head", "east-head"):
        page = sign_in(browser, base, head, PHONE)
        page.goto(f"{base}/meetings/{meeting.reference}/")
        page.check(f"#d{decision.id}-f-position-0")  # approve
        page.check(f"#d{decision.id}-f-confirm")
        page.locator(f"#decision-{decision.number} button[type=submit]").click()
        page.wait_for_selector(f"#decision-{decision.number} [role=status]")
        page.context.close()
    # Approved by both, the decision waits for its meeting to be held with each party's quorum.
    assert not Decision.objects.get(id=decision.id).adopted
    monkeypatch.setattr(log, "_clock", lambda: dt.datetime.combine(meeting.starts_on, dt.time(9), dt.UTC))
    hold(meeting)
    assert Decision.objects.get(id=decision.id).adopted

    # The facilitator settles: concluded.
    fac.goto(f"{base}/reports/{ref}/")
    fac.click("text=Settle by the committee's decision")
    fac.fill("#f-note", "Settled by the committee.")
    submit(fac)
    fac.wait_for_url(f"{base}/reports/{ref}/#committee")
    assert "Concluded" in fac.inner_text(".stage-line")
    assert "The report is concluded." in fac.inner_text("main")
    report.refresh_from_db()
    assert report.status == "concluded" and report.decision_id == decision.id
    stages = [s.stage for s in report.stages.all()]
    assert stages == ["received", "inquiry", "tasked", "investigated", "findings", "disputed", "concluded"]

    screenshots(browser, base, ref)
    for page in (fac, west, east):
        page.context.close()


def screenshots(browser, base, ref):
    """The list, the filing form and the report's page on a phone (and wide), in both languages."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "reports": "/reports/",
        "report-new": "/reports/new/",
        "report": f"/reports/{ref}/",
        "incidents": "/incidents/",
        "dashboard": "/",
        "evidence": f"/evidence/{Evidence.objects.get().id}/",
    }
    for lang in ("en", "ar"):
        for size, viewport in (("phone", PHONE), ("wide", DESKTOP)):
            page = sign_in(browser, base, "west-member", viewport)
            page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
            for name, path in pages.items():
                page.goto(base + path)
                page.screenshot(path=str(SHOTS / f"{lang}-{size}-{name}.png"), full_page=True)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{path} overflows by {overflow}px in {lang} at {viewport['width']}px"
            page.context.close()
