from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from ceasefire.mechanism import commands
from ceasefire.record import note
from ceasefire.record.models import Event, Head


@contextmanager
def refused(error, field=None):
    """The block raises `error` (naming `field`, when given) and leaves the record as it was."""
    before = (Event.objects.count(), Head.objects.get(id=1).size)
    with pytest.raises(error) as caught:
        yield caught
    if field is not None:
        assert caught.value.field == field, caught.value
    assert (Event.objects.count(), Head.objects.get(id=1).size) == before


def register_witnesses(actors, prefix: str = "jmc-") -> dict[str, tuple[str, str]]:
    """The western and eastern witnesses, each with a key of its own registered in the record by
    its party's head. -> party -> (signer key, verifier key)."""
    keys = {}
    for party in ("west", "east"):
        skey, vkey = note.generate_cosigner_key(f"{prefix}{party}-witness")
        commands.register_witness_key(actors[f"{party}-head"], {"party": party, "vkey": vkey})
        keys[party] = (skey, vkey)
    return keys


def hold(meeting, actor=None):
    """Record `meeting` as held with each party's quorum present, as a decision of it needs: the
    seated members already on the roster first, then made-up exercise members in vacant seats."""
    from ceasefire.mechanism.models import Member, Party
    from tests.conftest import FACILITATOR

    actor = actor or FACILITATOR
    present = set(meeting.attendance.values_list("member_id", flat=True))
    for party in Party.objects.order_by("order"):
        seated = list(Member.objects.filter(party=party, seat__isnull=False, tenure_end__isnull=True).order_by("seat"))
        vacant = sorted(set(range(1, party.seats + 1)) - {m.seat for m in seated})
        while len(seated) < party.quorum:
            seat = vacant.pop(0)
            seated.append(
                commands.appoint_member(
                    actor,
                    {
                        "name_latin": f"Exercise member {party.code} {seat} (made up)",
                        "role": "member",
                        "party": party.code,
                        "seat": seat,
                    },
                )
            )
        present |= {m.id for m in seated[: party.quorum]}
    return commands.record_attendance(actor, meeting.id, {"present": sorted(present)})


BACKEND = "django.contrib.auth.backends.ModelBackend"


def authenticator(user):
    """The account's authenticator app, set up (now, if it had none), as the owner's phone holds it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="the owner's phone", confirmed=True)


def app_code(device, fresh: bool = True) -> str:
    """The code the app shows now, computed as an app computes it (RFC 6238, django-otp's TOTP).
    A code is accepted once, and tests sign in faster than one 30-second step: `fresh` makes the
    device forget the step it last accepted, as if the next code had come up."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if fresh:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return str(TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()).zfill(device.digits)


def signed_in(client, user):
    """`client` signed in as `user` with every factor the account owes, as the sign-in pages leave
    a session: django's login, then django-otp's, with the account's app."""
    import django_otp

    from ceasefire.mechanism import second_factor

    client.force_login(user, backend=BACKEND)
    if second_factor.owed(user):
        session = client.session
        django_otp.login(SimpleNamespace(user=user, session=session), authenticator(user))
        session.save()
    return client
