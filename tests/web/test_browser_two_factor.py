"""In Chromium on a phone, in Arabic: a head's first sign-in sets up the authenticator app (the key
read off the page as a person types it into the app, each code computed as the app computes it,
RFC 6238 with django-otp's TOTP), keeps the recovery codes and reaches the dashboard; the next
sign-in asks for the code after the password (typed in Arabic-Indic digits, as an Arabic keyboard
types them), and the one after takes a recovery code instead. Screenshots of each step, in Arabic
and in English, to screenshots/ (git-ignored); no page is wider than the phone.
"""

import os
from base64 import b32decode

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django_otp.oath import TOTP  # noqa: E402

from ceasefire.mechanism import second_factor  # noqa: E402
from tests.conftest import PASSWORD  # noqa: E402

from .test_browser import BROWSER_TEST, PHONE, SHOTS, browser  # noqa: E402,F401

pytestmark = BROWSER_TEST

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def code(key: bytes, drift: int = 0) -> str:
    return str(TOTP(key, drift=drift).token()).zfill(6)


def on_a_phone(browser, base, lang):
    context = browser.new_context(viewport=PHONE, locale="ar" if lang == "ar" else "en-US")
    context.set_default_timeout(15000)
    context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    return context.new_page()


def shot(page, name):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px"


def password(page, base, username):
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.form button[type=submit]")


def sign_out(page, base):
    page.click("form.logout button")
    page.wait_for_url(base + "/login/")


def test_a_head_sets_up_its_app_and_signs_in_with_it_in_arabic_on_a_phone(live_server, accounts, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = on_a_phone(browser, base, "ar")

    # First sign-in: the password, then setting up the app.
    password(page, base, "west-head")
    page.wait_for_url(base + "/two-factor/set-up/")
    assert page.get_attribute("html", "lang") == "ar" and page.get_attribute("html", "dir") == "rtl"
    assert "إعداد تسجيل الدخول بخطوتين" in page.inner_text("h1")
    assert page.locator(".qr[role=img] svg path").count() == 1
    field = page.locator("#id_code")
    assert field.get_attribute("inputmode") == "numeric" and field.get_attribute("autocomplete") == "one-time-code"
    assert page.locator("label[for=id_code]").inner_text() == "رمز التطبيق"
    shot(page, "ar-phone-2fa-set-up")
    key = b32decode(page.inner_text("code.secret").replace(" ", ""))

    page.fill("#id_code", f"{(int(code(key)) + 1) % 1_000_000:06d}")  # a slip of the finger
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # announced and focused
    assert field.get_attribute("aria-invalid") == "true"
    shot(page, "ar-phone-2fa-set-up-wrong-code")

    page.fill("#id_code", code(key))
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/two-factor/recovery-codes/")
    codes = page.locator("ol.codes code").all_inner_texts()
    assert len(set(codes)) == 10
    shot(page, "ar-phone-2fa-recovery-codes")
    page.click("main a.button")
    page.wait_for_url(base + "/")
    assert "west-head" in page.inner_text("header")
    sign_out(page, base)

    # The next sign-in asks for the code, the app's next one, typed with Arabic digits.
    password(page, base, "west-head")
    page.wait_for_url(base + "/login/code/")
    assert page.evaluate("document.activeElement.id") == "id_code"
    shot(page, "ar-phone-2fa-code")
    page.keyboard.type(code(key, drift=1).translate(ARABIC_DIGITS))
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    sign_out(page, base)

    # And one with a recovery code: the phone is lost.
    password(page, base, "west-head")
    page.wait_for_url(base + "/login/code/")
    page.click("details.recovery summary")
    page.fill("#id_recovery", codes[0])
    shot(page, "ar-phone-2fa-recovery")
    page.click("details.recovery button[type=submit]")
    page.wait_for_url(base + "/")
    assert "بقيت لديك 9 رموز" in page.inner_text("main")
    assert second_factor.recovery_codes_left(accounts["west-head"]) == 9
    shot(page, "ar-phone-2fa-signed-in-with-recovery")
    page.goto(base + "/two-factor/")
    assert "مُفعَّل" in page.inner_text("main")
    shot(page, "ar-phone-2fa-account")
    page.context.close()


def test_the_pages_in_english_on_a_phone(live_server, accounts, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = on_a_phone(browser, base, "en")
    password(page, base, "east-head")
    page.wait_for_url(base + "/two-factor/set-up/")
    shot(page, "en-phone-2fa-set-up")
    key = b32decode(page.inner_text("code.secret").replace(" ", ""))
    page.fill("#id_code", code(key))
    page.click("form.form button[type=submit]")
    page.wait_for_url(base + "/two-factor/recovery-codes/")
    shot(page, "en-phone-2fa-recovery-codes")
    page.goto(base + "/two-factor/")
    shot(page, "en-phone-2fa-account")
    sign_out(page, base)
    password(page, base, "east-head")
    page.wait_for_url(base + "/login/code/")
    page.click("details.recovery summary")
    shot(page, "en-phone-2fa-code")
    page.context.close()
