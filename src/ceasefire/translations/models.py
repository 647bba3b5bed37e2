from django.db import models

from ceasefire.record.models import Projection


class Translation(Projection):
    """A field of a row given in its other language, by whom. The row's own columns keep the
    original: a translation is shown as one, never as what the author wrote."""

    id = models.BigIntegerField(primary_key=True)  # seq of the entry
    subject = models.CharField(max_length=20)  # subjects.SUBJECTS
    subject_id = models.BigIntegerField()
    field = models.CharField(max_length=40)
    lang = models.CharField(max_length=2)  # the language it is in: "ar" or "en"
    text = models.TextField()
    # SHA-256 of the original it translates: the original may be replaced (minutes recorded again),
    # and a translation of the old one is then no translation of the new.
    of_sha256 = models.CharField(max_length=64)
    party = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the delegation that gave it; None the mission (facilitator, monitors)
    translated_by = models.CharField(max_length=150)  # the account: the parties' to read
    translated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["subject", "subject_id", "field", "lang"], name="translation_of_text")]

    def __str__(self):
        return f"{self.subject} {self.subject_id} {self.field} [{self.lang}]"
