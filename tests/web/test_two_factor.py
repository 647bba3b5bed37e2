"""Signing in with a second factor, through the pages: the first sign-in of an account that must
have one sets up the app (its key as text and as a QR code, a code to confirm, then ten recovery
codes shown once); later ones ask for a code after the password, or a recovery code, each good
once. A wrong code counts in the sign-in back-off like a wrong password, and until the second
factor is given the session reaches nothing (tests/web/test_two_factor_everywhere.py walks it all).
"""

import re
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.mechanism import second_factor
from tests.conftest import PASSWORD
from tests.helpers import app_code, authenticator, signed_in
from tests.web.backoff_helpers import checked, later, login, password_only, stopped, waits  # noqa: F401

pytestmark = pytest.mark.django_db

CODE = reverse("sign_in_code")
SET_UP = reverse("two_factor_set_up")


def english(**meta) -> Client:
    client = Client(**meta)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def reaches_nothing(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get("/api/v1/me").status_code == 401


def reaches_the_dashboard(client, username):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200 and username in response.content.decode()
    assert client.get("/api/v1/me").json()["username"] == username


def key_on(html: str) -> bytes:
    """The key the set-up page shows as text, as a person types it into the app."""
    text = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    return b32decode(text.replace(" ", ""))


def code_from(key: bytes, drift: int = 0) -> str:
    return str(TOTP(key, drift=drift).token()).zfill(6)


def wrong(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def test_the_first_sign_in_sets_up_the_app_and_shows_recovery_codes_once(accounts):
    client = english()
    response = password_only(client, "west-head", PASSWORD)
    assert response.status_code == 302 and response["Location"] == SET_UP
    reaches_nothing(client)

    page = client.get(SET_UP)
    html = page.content.decode()
    assert page.status_code == 200 and "Set up two-factor sign-in" in html
    assert 'role="img"' in html and "<svg" in html and "<path" in html  # the QR code, drawn on the server
    assert '<label for="id_code">' in html
    field = re.search(r"<input id=\"id_code\"[^>]*>", html).group(0)
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field and 'dir="ltr"' in field
    key = key_on(html)
    assert client.get(SET_UP).content.decode().count(html[html.index('class="secret"') :][:60]) == 1  # same key

    refused = client.post(SET_UP, {"code": wrong(code_from(key))})
    assert refused.status_code == 422
    assert "this is not the code your app shows now" in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    assert second_factor.app(accounts["west-head"]) is None
    reaches_nothing(client)

    response = client.post(SET_UP, {"code": code_from(key)})
    assert response.status_code == 302 and response["Location"] == reverse("recovery_codes")
    assert settings.LOGIN_DEVICE_COOKIE in response.cookies  # a whole sign-in: a known device now
    shown = client.get(reverse("recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", shown)
    assert len(set(codes)) == 10 and "shown only now" in shown
    assert 'href="/"' in shown  # onwards, once kept
    again = client.get(reverse("recovery_codes")).content.decode()
    assert not any(code in again for code in codes) and "shown only once" in again
    reaches_the_dashboard(client, "west-head")
    assert not AccessAttempt.objects.exists()  # the whole sign-in forgot the wrong code

    # Later sign-ins ask for the code after the password, the one after it here (each is good once).
    client.post(reverse("logout"))
    response = password_only(client, "west-head", PASSWORD)
    assert response.status_code == 302 and response["Location"] == CODE
    reaches_nothing(client)
    ask = client.get(CODE).content.decode()
    assert "Code from your app" in ask and "west-head" in ask and 'autocomplete="one-time-code"' in ask
    assert client.post(CODE, {"code": code_from(key)}).status_code == 422  # used already
    response = client.post(CODE, {"code": code_from(key, drift=1)})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    reaches_the_dashboard(client, "west-head")


def test_the_page_asked_for_is_where_the_sign_in_ends(accounts):
    client = english()
    authenticator(accounts["facilitator"])
    response = client.post(reverse("login"), {"username": "facilitator", "password": PASSWORD, "next": "/meetings/"})
    assert response["Location"] == CODE
    response = client.post(CODE, {"code": app_code(authenticator(accounts["facilitator"]))})
    assert response["Location"] == "/meetings/"


def test_wrong_codes_count_in_the_back_off_like_wrong_passwords(accounts, stopped):
    client = english()
    device = authenticator(accounts["east-head"])
    assert password_only(client, "east-head", PASSWORD)["Location"] == CODE
    for _ in range(3):
        assert client.post(CODE, {"code": wrong(app_code(device))}).status_code == 422
    assert checked() == 3
    # The right password again forgets none of them: only a whole sign-in does.
    assert password_only(client, "east-head", PASSWORD)["Location"] == CODE
    assert checked() == 3
    assert client.post(CODE, {"code": wrong(app_code(device))}).status_code == 422
    held = client.post(CODE, {"code": wrong(app_code(device))})
    assert waits(held) == 1 and "Account locked" in held.content.decode()
    # While it waits, even the right code is not checked, nor counted.
    code = app_code(device)
    assert waits(client.post(CODE, {"code": code})) == 1
    assert waits(client.post(CODE, {"recovery": "abcd-efgh"})) == 1
    assert checked() == 5 and TOTPDevice.objects.get(pk=device.pk).last_t == -1
    assert waits(password_only(client, "east-head", PASSWORD)) == 1  # nor the password
    later(1)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert checked() == 0


def test_a_wrong_code_is_named_and_a_malformed_one_not_counted(accounts):
    client = english()
    device = authenticator(accounts["west-member"])
    password_only(client, "west-member", PASSWORD)
    response = client.post(CODE, {"code": "12345"})
    html = response.content.decode()
    assert response.status_code == 422 and "the code from the app has 6 digits" in html
    assert 'href="#id_code"' in html and 'aria-invalid="true"' in html
    assert client.post(CODE, {"code": ""}).status_code == 422
    assert checked() == 0
    # A code typed on an Arabic keyboard is the same code.
    arabic = app_code(device).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.post(CODE, {"code": arabic})["Location"] == reverse("dashboard")


def test_a_recovery_code_signs_in_once(accounts):
    user = accounts["west-head"]
    authenticator(user)
    codes = second_factor.new_recovery_codes(user)
    client = english()
    password_only(client, "west-head", PASSWORD)
    response = client.post(CODE, {"recovery": codes[0].upper()}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert "You signed in with a recovery code. 9 are left." in html and "ask the secretariat" in html
    reaches_the_dashboard(client, "west-head")

    client.post(reverse("logout"))
    password_only(client, "west-head", PASSWORD)
    response = client.post(CODE, {"recovery": codes[0]})
    html = response.content.decode()
    assert response.status_code == 422 and "used already" in html
    assert re.search(r"<details class=\"recovery\" open>", html)  # the recovery form stays open
    assert checked() == 1  # counted, like a wrong password
    assert codes[0] not in AccessAttempt.objects.get().post_data  # and kept out of axes' tables
    reaches_nothing(client)
    assert client.post(CODE, {"recovery": codes[1].replace("-", "")})["Location"] == reverse("dashboard")


def test_a_session_signed_in_without_its_second_factor_reaches_nothing(accounts):
    client = english()
    client.force_login(accounts["facilitator"], backend="django.contrib.auth.backends.ModelBackend")
    reaches_nothing(client)
    assert '<a href="/two-factor/">' not in client.get(reverse("login")).content.decode()  # shown as nobody
    signed_in(client, accounts["facilitator"])
    reaches_the_dashboard(client, "facilitator")


def test_a_reset_signs_out_the_browsers_verified_with_the_app(accounts):
    client = signed_in(english(), accounts["east-member"])
    reaches_the_dashboard(client, "east-member")
    second_factor.reset(accounts["east-member"])
    reaches_nothing(client)
    assert login(english(), "east-member", PASSWORD)["Location"] == reverse("dashboard")  # helper: sets one up
    assert password_only(english(), "east-head", PASSWORD)["Location"] == SET_UP  # none yet: set it up


def test_the_wait_for_the_code_runs_out(accounts, settings):
    authenticator(accounts["west-head"])
    client = english()
    password_only(client, "west-head", PASSWORD)
    settings.SIGN_IN_PENDING_AGE = settings.SIGN_IN_PENDING_AGE * 0
    response = client.get(CODE, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login") and "Sign in again" in response.content.decode()
    assert client.get(SET_UP)["Location"] == reverse("login")


def test_a_new_password_ends_a_sign_in_waiting_for_its_code(accounts):
    device = authenticator(accounts["west-head"])
    client = english()
    password_only(client, "west-head", PASSWORD)
    user = accounts["west-head"]
    user.set_password(PASSWORD + " changed")
    user.save()
    assert client.post(CODE, {"code": app_code(device)})["Location"] == reverse("login")
    reaches_nothing(client)


def test_an_observer_may_set_one_up_and_is_then_asked_for_it(accounts):
    client = english()
    assert login(client, "observer", PASSWORD)["Location"] == reverse("dashboard")  # password alone
    page = client.get(reverse("two_factor")).content.decode()
    assert "Off: your account signs in with its password alone." in page
    html = client.get(SET_UP).content.decode()
    assert "Your role does not require it" not in html and "keeps your account safe" in html
    response = client.post(SET_UP, {"code": code_from(key_on(html))})
    assert response["Location"] == reverse("recovery_codes")
    assert len(re.findall(r"<li><code>", client.get(reverse("recovery_codes")).content.decode())) == 10
    reaches_the_dashboard(client, "observer")  # the session that set it up is verified by it
    assert "On: after the password" in client.get(reverse("two_factor")).content.decode()
    client.post(reverse("logout"))
    assert password_only(client, "observer", PASSWORD)["Location"] == CODE


def test_new_recovery_codes_take_a_code_from_the_app(accounts):
    user = accounts["facilitator"]
    old = second_factor.new_recovery_codes(user)
    client = signed_in(english(), user)
    device = authenticator(user)
    page = client.get(reverse("two_factor")).content.decode()
    assert "Recovery codes left" in page and ">10<" in page
    refused = client.post(reverse("two_factor"), {"code": wrong(app_code(device))})
    assert refused.status_code == 422 and checked() == 1
    assert second_factor.verify(user, second_factor.recovery_code(old[0]), recovery=True) is not None  # still good
    response = client.post(reverse("two_factor"), {"code": app_code(device)})
    assert response["Location"] == reverse("recovery_codes")
    new = re.findall(r"<li><code>([a-z2-7-]{9})</code></li>", client.get(reverse("recovery_codes")).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert second_factor.verify(user, second_factor.recovery_code(old[1]), recovery=True) is None


def test_the_pages_in_arabic(accounts):
    client = Client()  # Arabic is the default
    password_only(client, "east-head", PASSWORD)
    html = client.get(SET_UP).content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "إعداد" in html and "Set up" not in html
    authenticator(accounts["west-head"])
    other = Client()
    password_only(other, "west-head", PASSWORD)
    html = other.get(CODE).content.decode()
    assert '<html lang="ar" dir="rtl">' in html and "رمز" in html and "Code from your app" not in html
    html = other.post(CODE, {"code": "1"}).content.decode()
    assert "6 أرقام" in html


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_pages_are_well_formed_for_assistive_technology(accounts, lang):
    from tests.web.a11y import problems

    waiting = Client()
    waiting.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    password_only(waiting, "west-head", PASSWORD)
    pages = {"set-up": waiting.get(SET_UP), "set-up refused": waiting.post(SET_UP, {"code": "1"})}
    authenticator(accounts["east-head"])
    asked = Client()
    asked.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    password_only(asked, "east-head", PASSWORD)
    pages |= {"code": asked.get(CODE), "code refused": asked.post(CODE, {"recovery": "x"})}
    signed = signed_in(Client(), accounts["facilitator"])
    signed.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    pages["account"] = signed.get(reverse("two_factor"))
    pages["account refused"] = signed.post(reverse("two_factor"), {"code": "x"})
    pages["codes, gone"] = signed.get(reverse("recovery_codes"))
    for name, response in pages.items():
        html = response.content.decode()
        assert problems(html, signed_in=name.startswith(("account", "codes"))) == [], name
        if "refused" in name:
            assert response.status_code == 422 and 'role="alert"' in html and '<div aria-live="assertive">' in html, (
                name
            )
