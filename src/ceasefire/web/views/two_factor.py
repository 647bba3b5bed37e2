"""The second step of signing in (a code from the app, or a recovery code), setting up the app,
recovery codes shown once, and the account's own page about its second factor.

The rules are in mechanism/second_factor.py, the session's side in web/two_factor.py. Every code
checked here, right or wrong, goes through the sign-in back-off first.
"""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ceasefire.errors import Invalid
from ceasefire.mechanism import second_factor

from .. import lockout, two_factor


def _wrong(recovery: bool) -> str:
    if recovery:
        return _("this is not one of your recovery codes, or it has been used already")
    return _(
        "this is not the code your app shows now: check that the phone sets its time automatically, and try the next code"
    )


def _check(request, user, field: str, parse, check):
    """Check one code of `user`'s: held by the back-off, refused when malformed (not counted: it
    cannot be right), else `check(code)`, whose None is a wrong code and counted.
    -> (result, None, errors) or (None, response, None) or (None, None, errors)."""
    wait = two_factor.held(request, user.get_username())
    if wait is not None:
        return None, wait, None
    try:
        code = parse(request.POST.get(field))
    except Invalid as e:
        return None, None, {field: e.message}
    result = check(code)
    if result is None:
        two_factor.failed(request, user.get_username())
        return None, None, {field: _wrong(field == "recovery")}
    return result, None, None


def _signed_in(request, user, device):
    """Both factors given on a pending sign-in: the session is signed in; a redirect onwards."""
    response = redirect(two_factor.finish(request, user, device))
    lockout.remember_this_device(request, response, user.get_username())
    return response


@never_cache
@sensitive_post_parameters("code", "recovery")
def code(request):
    """After the password: the code from the app, or a recovery code."""
    user = two_factor.pending(request)
    if user is None and request.user.is_authenticated:
        return redirect("dashboard")  # signed in already
    if user is None:
        messages.info(
            request, _("Sign in again: the time to give the code ran out, or the sign-in was not started here.")
        )
        return redirect("login")
    if second_factor.app(user) is None:
        if second_factor.required(user):
            return redirect("two_factor_set_up")
        return _signed_in(request, user, None)  # its app was removed meanwhile: nothing more is owed
    errors = {}
    if request.method == "POST":
        recovery = "recovery" in request.POST
        if recovery:
            parse, check = second_factor.recovery_code, lambda c: second_factor.verify(user, c, recovery=True)
        else:
            parse, check = second_factor.six_digits, lambda c: second_factor.verify(user, c)
        device, answer, errors = _check(request, user, "recovery" if recovery else "code", parse, check)
        if answer is not None:
            return answer
        if device is not None:
            response = _signed_in(request, user, device)
            if recovery:
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(n)d is left.",
                        "You signed in with a recovery code. %(n)d are left.",
                        left,
                    )
                    % {"n": left}
                    + " "
                    + _("If you have lost your phone, ask the secretariat to reset your second factor."),
                )
            return response
    context = {"errors": errors, "username": user.get_username(), "recovery_open": "recovery" in errors}
    return render(request, "web/sign_in_code.html", context, status=422 if errors else 200)


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    return qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=4).to_string(encoding="unicode")


@never_cache
@sensitive_post_parameters("code")
def set_up(request):
    """Setting up the app: at the first sign-in of an account that must have one (pending), or
    whenever an account that need not have one chooses to (signed in)."""
    signed_in = request.user.is_authenticated
    user = request.user if signed_in else two_factor.pending(request)
    if user is None:
        return redirect("login")
    if second_factor.app(user) is not None:
        return redirect("two_factor" if signed_in else "sign_in_code")
    device = second_factor.enrolment(user)
    errors = {}
    if request.method == "POST":
        codes, answer, errors = _check(
            request, user, "code", second_factor.six_digits, lambda c: second_factor.confirm(device, c)
        )
        if answer is not None:
            return answer
        if codes is not None:
            app = second_factor.app(user)
            if signed_in:
                two_factor.verified(request, app)
                response = redirect("recovery_codes")
                onwards = reverse("two_factor")
            else:
                onwards = two_factor.finish(request, user, app)
                response = redirect("recovery_codes")
                lockout.remember_this_device(request, response, user.get_username())
            two_factor.show_once(request, codes, onwards)
            return response
    secret = b32encode(device.bin_key).decode()
    context = {
        "errors": errors,
        "username": user.get_username(),
        "required": second_factor.required(user),
        "signed_in": signed_in,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": mark_safe(_qr_svg(device.config_url)),  # made here from our own URI, escaped by ElementTree
        "digits": device.digits,
        "step": device.step,
    }
    return render(request, "web/two_factor_set_up.html", context, status=422 if errors else 200)


@never_cache
@login_required
def recovery_codes(request):
    """The recovery codes just made, shown this once; after that, only how to make new ones."""
    codes, onwards = two_factor.take_shown(request)
    return render(request, "web/recovery_codes.html", {"codes": codes, "onwards": onwards or reverse("dashboard")})


@never_cache
@login_required
@sensitive_post_parameters("code")
def account(request):
    """The account's second factor: whether it is on, recovery codes left, new ones (with a code
    from the app, so that an unattended signed-in browser cannot mint them)."""
    user = request.user
    app = second_factor.app(user)
    errors = {}
    if request.method == "POST" and app is not None:
        device, answer, errors = _check(
            request, user, "code", second_factor.six_digits, lambda c: second_factor.verify(user, c)
        )
        if answer is not None:
            return answer
        if device is not None:
            two_factor.show_once(request, second_factor.new_recovery_codes(user), reverse("two_factor"))
            return redirect("recovery_codes")
    context = {
        "app": app,
        "required": second_factor.required(user),
        "left": second_factor.recovery_codes_left(user) if app else 0,
        "errors": errors,
        "section": "",
    }
    return render(request, "web/two_factor.html", context, status=422 if errors else 200)
