from django.conf import settings
from django.db import models
from django.utils import timezone


class Token(models.Model):
    """A bearer token for scripts. Only the SHA-256 of the token is kept: a leaked table is no key.

    Not part of the record (like Account): a token names who acts, the record names the actor.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)  # hex SHA-256 of the token
    read_only = models.BooleanField(default=False)  # reads only (a witness): every write refused
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"{'read-only ' if self.read_only else ''}token {self.name or self.id} of {self.user}"
