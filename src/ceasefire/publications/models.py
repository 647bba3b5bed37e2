from django.db import models

from ceasefire.record.models import Projection


class Publication(Projection):
    """An entry the public reads, holding a copy of what the committee published (commands.copy
    says what each subject's copy holds). The original entries are untouched and stay with their
    audience: the observers read a decision adopted, the public only what was published of it."""

    DECISION, AGREED_STATUS = "decision", "agreed_status"

    id = models.BigIntegerField(primary_key=True)  # seq of the entry
    subject = models.CharField(max_length=20)  # DECISION or AGREED_STATUS
    subject_id = models.BigIntegerField()  # the row's own entry: a decision's or an agreed status's seq
    content = models.JSONField()  # the copy, as the entry holds it
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["subject", "subject_id"], name="published_once")]

    def __str__(self):
        return f"{self.subject} {self.subject_id}"
