"""Mail that tells a person something has started needing them.

How "starts needing" is found: a sweep (`ceasefire notify send`, run from cron every few minutes)
collects each person's needs with the same rule as the dashboard (collect.py) and keeps the items
it has not told them of yet (Notified, one row per item and person: told once, however often it
runs). A sweep rather than a hook on every append: the committee appends a few dozen events a day
and has a few dozen accounts, so a sweep costs little, adds nothing to a command's transaction, and
also sees what time alone makes pressing. Mail carries what kind of thing needs the person and a
link to it, never its content: the address may sit outside the party (a personal mailbox), and the
link asks them to sign in.

Nothing is lost when mail fails: each mail is written to the outbox first, in the sweep's
transaction; delivery takes it from there and leaves it, with the error and a later attempt time,
when the backend refuses. Sending is at least once: a crash between the backend's acceptance and
the row's update sends that one mail again on the next run.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from ceasefire.mechanism.accounts import actor_for

from .collect import KINDS, collect
from .models import Notified, Outbox, Preference

DIGEST_EVERY = dt.timedelta(days=1)
RETRY_FIRST = dt.timedelta(minutes=5)
RETRY_MOST = dt.timedelta(hours=6)


def preference(user) -> Preference:
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user, language=settings.LANGUAGE_CODE)


def site_url(path: str) -> str:
    return settings.CEASEFIRE_SITE_URL.rstrip("/") + path


def compose(language: str, items: list[Notified], digest: bool) -> tuple[str, str]:
    """Subject and body in `language`: the kind of each item and its link, nothing of its content."""
    with override(language):
        n = len(items)
        if digest:
            subject = ngettext(
                "Today's digest: %(n)d new thing needs you", "Today's digest: %(n)d new things need you", n
            ) % {"n": n}
        else:
            subject = ngettext("%(n)d new thing needs you", "%(n)d new things need you", n) % {"n": n}
        lines = [
            _("Something on the joint committee's record now needs you. Sign in to see it:"),
            "",
            *(f"- {KINDS[item.kind]}: {site_url(item.path)}" for item in items),
            "",
            _("Everything that needs you: %(url)s") % {"url": site_url(reverse("needs"))},
            _("This mail says only what kind of thing needs you; what it says stays on the committee's site."),
            _("To get one mail a day instead, or to change its language: %(url)s")
            % {"url": site_url(reverse("needs"))},
        ]
        prefix = settings.EMAIL_SUBJECT_PREFIX
    return f"{prefix}{subject}", "\n".join(lines)


def _recipients():
    """The people with an address and an account on the committee."""
    User = get_user_model()
    return User.objects.filter(is_active=True, account__isnull=False).exclude(email="").order_by("id")


def sweep(now: dt.datetime | None = None) -> int:
    """Find what has started needing each person since the last sweep; queue a mail for those who
    want one at once, and a digest for those whose day has come. -> mails queued."""
    now = now or timezone.now()
    queued = 0
    for user in _recipients():
        with transaction.atomic():
            queued += _sweep_one(user, now)
    return queued


def _sweep_one(user, now: dt.datetime) -> int:
    pref = preference(user)
    actor = actor_for(user)
    needs = collect(actor).yours
    told = set(Notified.objects.filter(user=user).values_list("key", flat=True))
    rows = [
        Notified(user=user, key=n.key, kind=n.kind, path=n.path, at=now, queued=False)
        for n in needs
        if n.key not in told
    ]
    Notified.objects.bulk_create(rows, ignore_conflicts=True)
    # What a digest was to carry but was done before it went needs nobody now: it goes untold.
    current = {n.key for n in needs}
    waiting = [n for n in Notified.objects.filter(user=user, queued=False).order_by("at", "id") if n.key in current]
    Notified.objects.filter(user=user, queued=False).exclude(key__in=current).update(queued=True)
    if not waiting:
        return 0
    if pref.digest:
        if pref.digest_sent_at is not None and now - pref.digest_sent_at < DIGEST_EVERY:
            return 0
        pref.digest_sent_at = now
        pref.save()
    subject, body = compose(pref.language, waiting, pref.digest)
    Outbox.objects.create(user=user, to=user.email, subject=subject, body=body, created_at=now, next_attempt_at=now)
    Notified.objects.filter(id__in=[n.id for n in waiting]).update(queued=True)
    return 1


def deliver(now: dt.datetime | None = None) -> tuple[int, int]:
    """Send what the outbox holds and is due; a failure stays for a later attempt. -> (sent, failed)."""
    now = now or timezone.now()
    sent = failed = 0
    for mail in Outbox.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).order_by("id"):
        try:
            EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to]).send(fail_silently=False)
        except Exception as e:  # noqa: BLE001  (whatever the backend raises: SMTP, DNS, a timeout; kept, tried again later)
            mail.attempts += 1
            mail.last_error = f"{type(e).__name__}: {e}"[:2000]
            mail.next_attempt_at = now + min(RETRY_FIRST * 2 ** (mail.attempts - 1), RETRY_MOST)
            mail.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            failed += 1
            continue
        mail.attempts += 1
        mail.sent_at = now
        mail.last_error = ""
        mail.save(update_fields=["attempts", "sent_at", "last_error"])
        sent += 1
    return sent, failed


def send(now: dt.datetime | None = None) -> dict:
    """What `ceasefire notify send` does: sweep, then deliver."""
    queued = sweep(now)
    sent, failed = deliver(now)
    return {
        "queued": queued,
        "sent": sent,
        "failed": failed,
        "waiting": Outbox.objects.filter(sent_at__isnull=True).count(),
    }
