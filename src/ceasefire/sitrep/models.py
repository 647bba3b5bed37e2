from django.db import models

from ceasefire.record.models import Projection


class Issued(Projection):
    """A situation report the facilitator issued: the record holds its hash, so anyone holding the
    PDF can show it is the one issued (SHA-256 of its bytes), and the checkpoint it was built from."""

    id = models.BigIntegerField(primary_key=True)  # seq of the sitrep.issued entry
    period = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()
    language = models.CharField(max_length=5)
    audience = models.CharField(max_length=12)  # whom it was built for: parties, observers or public
    size = models.BigIntegerField()  # the checkpoint it was built from
    root = models.CharField(max_length=64)  # base64
    sha256 = models.CharField(max_length=64)
    issued_by = models.CharField(max_length=150)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
