"""Who must sign in with a second factor, and the devices behind it: an app set up with the same
secret until a code from it confirms it, ten recovery codes each good once, a code accepted once,
and a reset that removes it all."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.errors import Invalid
from ceasefire.mechanism import second_factor
from ceasefire.mechanism.accounts import create_account
from tests.conftest import PASSWORD
from tests.helpers import app_code, authenticator


def code_of(device, drift=0) -> str:
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, drift).token()).zfill(6)


def test_whoever_may_sign_for_a_party_or_the_mission_must_have_one(accounts):
    # heads and members (a member on a joint team signs its findings for the party), the facilitator
    must = {name for name, user in accounts.items() if second_factor.required(user)}
    assert must == {"west-head", "west-member", "east-head", "east-member", "facilitator"}
    designated = create_account("west-2", PASSWORD, "member", "west", speaks_for_party=True)
    monitor = create_account("un-monitor", PASSWORD, "monitor")
    assert second_factor.required(designated) and not second_factor.required(monitor)
    # A monitor or observer owes one only once it has chosen to set one up.
    assert not second_factor.owed(accounts["observer"])
    authenticator(accounts["observer"])
    assert second_factor.owed(accounts["observer"])


def test_the_app_keeps_its_secret_until_a_code_from_it_confirms_it(accounts):
    user = accounts["west-head"]
    device = second_factor.enrolment(user)
    assert second_factor.enrolment(user).pk == device.pk  # a page reloaded after scanning still matches
    assert second_factor.app(user) is None
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    assert second_factor.confirm(device, wrong) is None
    assert second_factor.app(user) is None and not StaticToken.objects.exists()
    codes = second_factor.confirm(device, code_of(device))
    assert second_factor.app(user).pk == device.pk
    assert len(codes) == len(set(codes)) == 10 and all(len(c) == 9 and c[4] == "-" for c in codes)
    assert second_factor.recovery_codes_left(user) == 10
    # the key the page shows as text is the device's
    assert b32decode(device.config_url.split("secret=")[1].split("&")[0]) == device.bin_key


def test_an_app_set_up_again_replaces_the_first(accounts):
    user = accounts["facilitator"]
    first = authenticator(user)
    TOTPDevice.objects.filter(pk=first.pk).update(confirmed=False)  # as if it were being set up
    second = TOTPDevice.objects.create(user=user, name="new phone", confirmed=False)
    assert second_factor.confirm(second, code_of(second))
    assert list(TOTPDevice.objects.filter(user=user)) == [second]


def test_a_code_is_accepted_once(accounts):
    user = accounts["east-head"]
    device = authenticator(user)
    code = app_code(device)
    assert second_factor.verify(user, code) is not None
    assert second_factor.verify(user, code) is None
    assert second_factor.verify(user, code_of(device, drift=1)) is not None  # the next one is


def test_each_recovery_code_works_once(accounts):
    user = accounts["east-member"]
    authenticator(user)
    codes = second_factor.new_recovery_codes(user)
    first = second_factor.recovery_code(codes[0].upper())  # as typed: any case, with the hyphen
    assert second_factor.verify(user, first, recovery=True) is not None
    assert second_factor.verify(user, first, recovery=True) is None
    assert second_factor.recovery_codes_left(user) == 9
    # new codes: the old ones stop working
    second_factor.new_recovery_codes(user)
    assert second_factor.verify(user, second_factor.recovery_code(codes[1]), recovery=True) is None
    # an app code is not a recovery code, nor the other way round
    assert second_factor.verify(accounts["observer"], first, recovery=True) is None


@pytest.mark.parametrize(
    "typed, code",
    [("123456", "123456"), (" 123 456 ", "123456"), ("١٢٣٤٥٦", "123456"), ("۱۲۳۴۵۶", "123456")],
)
def test_a_code_as_phones_type_it(typed, code):
    assert second_factor.six_digits(typed) == code


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "١٢٣"])
def test_a_code_that_cannot_be_one_names_the_field(typed):
    with pytest.raises(Invalid) as caught:
        second_factor.six_digits(typed)
    assert caught.value.field == "code"


@pytest.mark.parametrize("typed", ["", "abcd-efg", "abcd-efgh1", "abcd-efg0"])
def test_a_recovery_code_that_cannot_be_one_names_the_field(typed):
    with pytest.raises(Invalid) as caught:
        second_factor.recovery_code(typed)
    assert caught.value.field == "recovery"


def test_a_reset_removes_the_app_half_set_up_ones_and_the_recovery_codes(accounts):
    user = accounts["west-member"]
    authenticator(user)
    second_factor.new_recovery_codes(user)
    TOTPDevice.objects.create(user=user, name="half set up", confirmed=False)
    other = authenticator(accounts["east-member"])
    assert second_factor.reset(user) == (1, 10)
    assert not TOTPDevice.objects.filter(user=user).exists() and second_factor.recovery_codes_left(user) == 0
    assert second_factor.required(user) and second_factor.owed(user)  # it sets one up again
    assert second_factor.app(accounts["east-member"]) == other  # nobody else's
    assert second_factor.reset(user) == (0, 0)
