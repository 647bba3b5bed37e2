"""In Chromium: the west's head registers its witness key through the form, working in Arabic; its
witness cosigns; an event's page then shows the inclusion verified and the west's cosignature, in
English and in Arabic; the explainer reads in both languages.

Saves screenshots of the record's pages, in both languages, wide and at a phone's width, to
screenshots/ (or $CEASEFIRE_SHOTS), and checks that none is wider than the screen.
"""

import os
import time

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_browser.py

from ceasefire.mechanism import commands  # noqa: E402
from ceasefire.mechanism.models import WitnessKey  # noqa: E402
from ceasefire.record import checkpoints, note  # noqa: E402

from .conftest import build_world  # noqa: E402
from .test_browser import BROWSER_TEST, DESKTOP, PHONE, SHOTS, browser, sign_in  # noqa: E402,F401

pytestmark = BROWSER_TEST


def in_language(page, base, lang):
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])


def test_a_witness_key_is_registered_and_an_event_shows_its_verified_inclusion(live_server, actors, browser, settings):
    settings.DEMO = True
    world = build_world(actors)
    base = live_server.url

    # The west's head, in Arabic, finds the witnesses page from the record and registers its key.
    west = sign_in(browser, base, "west-head")
    west.click("form.lang button")
    west.wait_for_selector('html[lang="ar"][dir="rtl"]')
    west.click("nav.main-nav >> text=السجل")
    west.click("nav.sub-nav >> text=الشهود والمفاتيح")
    field = "#witness-west-f-vkey"
    # A private key pasted by mistake comes back with the error next to the field, nothing registered.
    skey, vkey = note.generate_cosigner_key("jmc-west-witness")
    west.fill(field, skey)
    west.press(field, "Enter")
    west.wait_for_selector("#f-vkey[aria-invalid=true]")
    assert west.get_attribute("html", "dir") == "rtl"
    assert "المفتاح الخاص" in west.inner_text("#f-vkey-error")
    assert west.input_value("#f-vkey") == "" and skey not in west.content()  # the secret is not sent back
    assert west.evaluate("document.activeElement.id") == "error-summary"  # focus moved to the errors
    assert not WitnessKey.objects.exists()
    SHOTS.mkdir(parents=True, exist_ok=True)
    west.screenshot(path=str(SHOTS / "ar-wide-witness-key-refused.png"), full_page=True)
    # With the keyboard: into the field, the verifier key, Enter.
    west.focus("#f-vkey")
    west.keyboard.press("Control+A")
    west.keyboard.type(vkey)
    west.keyboard.press("Enter")
    west.wait_for_url(f"{base}/record/witnesses/#witness-west")
    assert "سُجّل مفتاح الشاهد." in west.inner_text("main")
    assert vkey in west.inner_text("#witness-west")
    assert WitnessKey.objects.get(party_id="west", retired_at__isnull=True).vkey == vkey

    # The server signs a checkpoint; the west's witness checks it and cosigns.
    cp = checkpoints.sign_now()
    line = note.cosign(note.parse_note(cp.note)[0], skey, int(time.time()))
    checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])

    # An event's page, in English: verified, and the west's witness has cosigned that checkpoint.
    seq = world["minutes_seq"]
    fac = sign_in(browser, base, "facilitator")
    fac.goto(f"{base}/record/")
    fac.click(f"#event-{seq} th a")
    fac.wait_for_url(f"{base}/record/events/{seq}/")
    assert fac.inner_text("#inclusion-result").startswith("Verified.")
    assert "cosigned this checkpoint" in fac.inner_text("#witness-west")
    assert "no key registered" in fac.inner_text("#witness-east")
    assert "Opened at 10:00." in fac.inner_text("main")

    # The same in Arabic, read by the west's head.
    west.goto(f"{base}/record/events/{seq}/")
    assert west.inner_text("#inclusion-result").startswith("تم التحقق.")
    assert "وقّع على نقطة التثبيت هذه" in west.inner_text("#witness-west")

    # An observer sees the proof of an event withheld from it, not its content.
    observer = sign_in(browser, base, "observer")
    observer.goto(f"{base}/record/events/{seq}/")
    assert "Withheld from your audience." in observer.inner_text("main")
    assert "Opened at 10:00." not in observer.inner_text("main")
    assert observer.inner_text("#inclusion-result").startswith("Verified.")

    # The explainer, from the event page, in both languages.
    fac.click("text=What a checkpoint and a cosignature prove, and what they do not")
    fac.wait_for_url(f"{base}/record/explained/")
    assert fac.inner_text("h1") == "How to check the record"
    assert "What a cosignature does not prove" in fac.inner_text("main")
    west.goto(f"{base}/record/explained/")
    assert west.inner_text("h1") == "كيف تتحقق من السجل"
    assert "ما لا يثبته التوقيع المشترك" in west.inner_text("main")

    # The west replaces its key: its state is then the new key's (no cosignature yet), the old key's
    # cosignature shown apart. The mission's witness cosigns once: its first checkpoint, a starting point.
    west.goto(f"{base}/record/witnesses/party/west/key/")
    assert "تسجيل مفتاح جديد يُوقف المفتاح الحالي." in west.inner_text("main")
    _, newer = note.generate_cosigner_key("jmc-west-witness-2")
    west.fill("#f-vkey", newer)
    west.press("#f-vkey", "Enter")
    west.wait_for_url(f"{base}/record/witnesses/#witness-west")
    assert "مفتاح جديد، لم يوقّع به بعد" in west.inner_text("#witness-west")
    m_skey, m_vkey = note.generate_cosigner_key("unsmil-witness")
    commands.register_witness_key(actors["facilitator"], {"party": "", "vkey": m_vkey})
    cp = checkpoints.sign_now()
    line = note.cosign(note.parse_note(cp.note)[0], m_skey, int(time.time()))
    checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [m_vkey])

    screenshots(browser, base, seq)
    for page in (west, fac, observer):
        page.context.close()


def screenshots(browser, base, seq):
    """The record's pages, in both languages, wide and on a phone; none wider than the screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "event": ("facilitator", f"/record/events/{seq}/"),
        "event-withheld": ("observer", f"/record/events/{seq}/"),
        "explained": ("observer", "/record/explained/"),
        "witnesses": ("west-head", "/record/witnesses/"),
        "witness-key-form": ("facilitator", "/record/witnesses/mission/key/"),
        "witness-key-form-replace": ("west-head", "/record/witnesses/party/west/key/"),
        "record-list": ("observer", "/record/"),
        "record-filtered": ("west-head", "/record/?type=member.appointed"),
        "dashboard-witnesses": ("observer", "/"),
    }
    for lang in ("en", "ar"):
        for size, viewport in (("wide", DESKTOP), ("phone", PHONE)):
            signed_in = {}
            for name, (username, path) in pages.items():
                if username not in signed_in:
                    signed_in[username] = sign_in(browser, base, username, viewport)
                    in_language(signed_in[username], base, lang)
                page = signed_in[username]
                page.goto(base + path)
                if name == "dashboard-witnesses":
                    page.locator("#h-witnesses").scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"{lang}-{size}-{name}.png"), full_page=True)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{path} overflows by {overflow}px in {lang} at {viewport['width']}px"
            for page in signed_in.values():
                page.context.close()
