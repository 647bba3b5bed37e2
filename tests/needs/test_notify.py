"""Mail when something starts needing someone: in their language, a kind and a link (never what
the record says), once per item and person, kept in the outbox until the mail server takes it."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from ceasefire.incidents import commands as reports
from ceasefire.needs import notify
from ceasefire.needs.models import Notified, Outbox, Preference
from tests.conftest import FACILITATOR
from tests.incidents.steps import file
from tests.needs.conftest import SECRET

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class Refusing:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def mailed(world, accounts, settings):
    """Everyone with an address: the heads in English and Arabic, the others in the default (Arabic)."""
    settings.EMAIL_BACKEND = LOCMEM
    for name, user in accounts.items():
        user.email = f"{name}@example.org"
        user.save()
    Preference.objects.create(user=accounts["west-head"], language="en")
    Preference.objects.create(user=accounts["east-head"], language="ar")
    return accounts


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_mail_in_the_persons_language_with_no_party_content(world, mailed):
    done = notify.send()
    assert done["failed"] == 0 and done["sent"] == done["queued"] > 0
    (west,) = to("west-head@example.org")
    (east,) = to("east-head@example.org")
    assert "new things need you" in west.subject and "A position on a decision" in west.body
    assert "يحتاج" in east.subject or "تحتاج" in east.subject
    assert "http://localhost:8000/meetings/" in west.body  # a link, not the text
    for m in mail.outbox:
        assert SECRET not in m.subject and SECRET not in m.body, m.to
        assert "Shelling" not in m.body and "Open the road" not in m.body
    assert not to("observer@example.org") and not to("un-monitor@example.org")


def test_told_once_per_item_and_person(world, mailed):
    notify.send()
    first = len(mail.outbox)
    assert notify.send()["queued"] == 0 and len(mail.outbox) == first
    r = file(world.actors)  # a new report: the secretariat is told of it alone
    again = notify.send()
    assert again["queued"] == 1 and len(mail.outbox) == first + 1
    assert mail.outbox[-1].to == ["facilitator@example.org"] and "reports/" in mail.outbox[-1].body
    assert Notified.objects.filter(key=f"triage:{r.id}").count() == 1


def test_a_failing_mail_server_loses_nothing(world, mailed, settings):
    settings.EMAIL_BACKEND = "tests.needs.test_notify.Refusing"
    now = timezone.now()
    done = notify.send(now)
    assert done["sent"] == 0 and done["failed"] == done["queued"] == done["waiting"] > 0
    waiting = Outbox.objects.filter(sent_at__isnull=True)
    assert all(m.attempts == 1 and "mail server is down" in m.last_error and m.next_attempt_at > now for m in waiting)
    assert notify.deliver(now) == (0, 0)  # not before its next attempt
    settings.EMAIL_BACKEND = LOCMEM
    sent, failed = notify.deliver(now + dt.timedelta(minutes=6))
    assert (sent, failed) == (done["queued"], 0) and not Outbox.objects.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == sent


def test_the_daily_digest(world, mailed, accounts):
    Preference.objects.filter(user=accounts["west-head"]).update(digest=True)
    now = timezone.now()
    notify.send(now)
    (digest,) = to("west-head@example.org")
    assert digest.subject.startswith("[ceasefire] Today's digest")
    reports.triage(FACILITATOR, file(world.actors).id, {"decision": "admissible"})
    west = world.actors["west-head"]
    from ceasefire.mechanism import commands as mechanism

    decision = mechanism.record_decision(FACILITATOR, world.meeting.id, {"text": "Another proposal"})
    done = mechanism.record_decision(FACILITATOR, world.meeting.id, {"text": "A third proposal"})
    notify.send(now + dt.timedelta(hours=2))
    assert len(to("west-head@example.org")) == 1  # its day has not come
    assert Notified.objects.filter(user=accounts["west-head"], key=f"position:{decision.id}", queued=False).exists()
    mechanism.take_position(west, done.id, {"position": "approve"})  # done before the digest goes
    notify.send(now + dt.timedelta(days=1, minutes=1))
    assert len(to("west-head@example.org")) == 2
    body = to("west-head@example.org")[-1].body
    assert f"#decision-{decision.number}" in body and f"#decision-{done.number}" not in body


def test_notify_command(world, mailed, capsys):
    from django.core.management import call_command

    call_command("notify", "send")
    assert "sent" in capsys.readouterr().out
    call_command("notify", "email", "observer", "")
    assert not type(mailed["observer"]).objects.get(username="observer").email


def test_the_demo_links_mail_to_the_port_it_serves(settings, monkeypatch):
    from ceasefire.cli.management import serving
    from ceasefire.cli.management.commands.demo import site_url

    monkeypatch.setenv("CEASEFIRE_SITE_URL", "")  # unset, as monkeypatch restores it after
    site_url(serving.url("127.0.0.1", 8765))
    assert notify.site_url("/withdrawal/") == "http://127.0.0.1:8765/withdrawal/"
    monkeypatch.setenv("CEASEFIRE_SITE_URL", "https://jmc.example")  # the operator's word stands
    settings.CEASEFIRE_SITE_URL = "https://jmc.example"
    site_url(serving.url("127.0.0.1", 9000))
    assert notify.site_url("/") == "https://jmc.example/"
