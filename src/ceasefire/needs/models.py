"""Who wants mail, what each person has been told about, and the mail not yet sent. Not part of
the record: nothing here is a claim, and replay leaves it alone."""

from django.conf import settings
from django.db import models


class Preference(models.Model):
    """How a person hears of what needs them: at once or in a daily digest, and in which language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_preference")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    digest = models.BooleanField(default=False)  # one mail a day instead of one per sweep
    digest_sent_at = models.DateTimeField(null=True, blank=True)


class Notified(models.Model):
    """One item (a need's key) a person has been told about, or will be in their next digest:
    each item is told once to each person, however often the sweep runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    path = models.CharField(max_length=300)
    at = models.DateTimeField()
    queued = models.BooleanField(default=False)  # in a mail of the outbox (a digest's items wait until it goes)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_item")]


class Outbox(models.Model):
    """A mail to send. It stays until the mail backend has taken it: a failure is retried later,
    nothing is dropped. It holds what kind of thing needs the person and a link, never the content."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "next_attempt_at"], name="outbox_due")]
