"""The second factor of a sign-in: a code from an authenticator app (TOTP, RFC 6238), or one of
ten single-use recovery codes, kept by django-otp.

Who must have one: whoever may sign for a party, and the facilitator, who signs for the mission.
That is every delegate, not only heads: a member may be designated to speak for its party, and
any delegate tasked to a joint team confirms its investigation and signs its findings for the
party. Monitors and observers never sign for a party (accounts.party_of); they may set one up, and
once they have, they are asked for it like anyone, until the secretariat removes it.

How a sign-in asks for it is the web's (web/two_factor.py); these are the rules and the devices.
The secret and the recovery codes are kept in the database as django-otp keeps them: whoever can
read the database can read them, as they can read the record.
"""

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ceasefire.errors import Invalid

from .models import Account, Role

ROLES = (Role.HEAD, Role.MEMBER, Role.FACILITATOR)
RECOVERY_CODES = 10
APP = "authenticator app"  # the devices' names, for whoever reads the tables
RECOVERY = "recovery codes"

# A code typed on an Arabic keyboard comes in Arabic-Indic (or Persian) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SIX = re.compile(r"[0-9]{6}")
_RECOVERY = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 5 random bytes in base32


def required(user) -> bool:
    """The account must sign in with a second factor: it may sign for a party or for the mission.
    Read through user.account, which the request then reuses for its actor."""
    try:
        return user.account.role in ROLES
    except Account.DoesNotExist:
        return False


def app(user):
    """The account's authenticator app, once confirmed with a code from it; else None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()


def owed(user) -> bool:
    """A sign-in to this account takes a second factor: it must have one, or has set one up."""
    return required(user) or app(user) is not None


def recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count()


def enrolment(user):
    """The authenticator app being set up: the same secret until it is confirmed, so that a page
    reloaded after the code was scanned still matches the app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP, confirmed=False)


def six_digits(value, field: str = "code") -> str:
    """The code an app shows: six digits, in any script, spaces allowed ("123 456")."""
    code = re.sub(r"\s", "", str(value or "")).translate(_DIGITS)
    if not code:
        raise Invalid(_("enter the 6-digit code your authenticator app shows"), field)
    if not _SIX.fullmatch(code):
        raise Invalid(_("the code from the app has 6 digits"), field)
    return code


def recovery_code(value, field: str = "recovery") -> str:
    """A recovery code as printed ("abcd-efgh"), in either case, with or without the hyphen."""
    code = re.sub(r"[\s\-‐-―]", "", str(value or "")).lower()
    if not code:
        raise Invalid(_("enter one of your recovery codes"), field)
    if not _RECOVERY.fullmatch(code):
        raise Invalid(_("a recovery code has 8 letters and digits, like abcd-efgh"), field)
    return code


def printed(code: str) -> str:
    """A recovery code as it is shown: two groups of four, easier to copy by hand."""
    return f"{code[:4]}-{code[4:]}"


def confirm(device, code: str) -> list[str] | None:
    """Confirm the app being set up with a code from it. Then it is the account's app (any other
    is removed) and the account gets fresh recovery codes, returned to be shown once. None if the
    code is not the app's."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
        if device is None or not device.verify_token(code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    with transaction.atomic():
        StaticDevice.objects.filter(user_id=user.pk).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
        codes = []
        while len(codes) < RECOVERY_CODES:
            token = StaticToken.random_token()
            if token not in codes:
                codes.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return [printed(c) for c in codes]


def verify(user, code: str, recovery: bool = False):
    """The device that accepts `code` (a normalised app code, or a recovery code, which is used
    up), else None. Verified under a row lock, so that one code is never accepted twice."""
    from django_otp import verify_token
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.filter(user_id=user.pk, confirmed=True).first() if recovery else app(user)
    if device is None:
        return None
    return verify_token(user, device.persistent_id, code)


def reset(user) -> tuple[int, int]:
    """Remove the account's second factor: its app (set up or half set up) and its recovery codes.
    It sets one up again at its next sign-in (if it must have one). Its sessions verified with the
    removed app count as signed out (django-otp finds their device gone). -> (apps, codes) removed."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        codes = recovery_codes_left(user)
        apps = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).count()
        TOTPDevice.objects.filter(user_id=user.pk).delete()
        StaticDevice.objects.filter(user_id=user.pk).delete()
    return apps, codes


def issuer(device=None) -> str:
    """The name the app lists the account under: the committee's (OTP_TOTP_ISSUER)."""
    from django.conf import settings

    from .models import Mechanism

    mechanism = Mechanism.current()
    name = (mechanism.name_en or mechanism.name_ar) if mechanism else "Ceasefire committee"
    return f"EXERCISE {name}" if settings.DEMO else name
