import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.mechanism.models import Bilingual
from ceasefire.record.models import Projection


def add_months(d: dt.date, months: int) -> dt.date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


class Agreement(Bilingual, Projection):
    id = models.BigIntegerField(primary_key=True)
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    place_ar = models.CharField(max_length=200, blank=True)
    place_en = models.CharField(max_length=200, blank=True)
    signatories_ar = models.TextField(blank=True)
    signatories_en = models.TextField(blank=True)
    witnesses_ar = models.TextField(blank=True)
    witnesses_en = models.TextField(blank=True)
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    note_ar = models.TextField(blank=True)  # caveats on the text itself, such as uncertain numbering
    note_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_on", "id"]

    def __str__(self):
        return self.title_en or self.title_ar


class Kind(models.TextChoices):
    PRINCIPLE = "principle", _("Principle")
    ITEM = "item", _("Item")


class CommitteeRole(models.TextChoices):
    IMPLEMENTS = "implements", _("The committee implements it")
    MONITORS = "monitors", _("The committee monitors it")
    NONE = "none", _("Outside the committee's mandate")


class Provision(Bilingual, Projection):
    """One commitment of an agreement, with its deadline and who carries it out."""

    id = models.BigIntegerField(primary_key=True)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="provisions")
    order = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ITEM)
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    category = models.CharField(max_length=60, blank=True)
    deadline_on = models.DateField(null=True, blank=True)
    deadline_months = models.PositiveSmallIntegerField(null=True, blank=True)  # counted from signature
    deadline_ar = models.CharField(max_length=300, blank=True)  # as the text words it
    deadline_en = models.CharField(max_length=300, blank=True)
    implementer_ar = models.CharField(max_length=300, blank=True)
    implementer_en = models.CharField(max_length=300, blank=True)
    committee_role = models.CharField(max_length=12, choices=CommitteeRole.choices, default=CommitteeRole.MONITORS)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "order"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="one_provision_number")]

    def __str__(self):
        return f"{self.agreement} §{self.number}"

    @property
    def due_on(self) -> dt.date | None:
        """The deadline as a date: stated, or counted in months from signature."""
        if self.deadline_on:
            return self.deadline_on
        if self.deadline_months is not None and self.agreement.signed_on:
            return add_months(self.agreement.signed_on, self.deadline_months)
        return None


class Interpretation(Bilingual, Projection):
    """One reading of a provision, held by a party or a source; rival readings stand side by side.
    Who states it (`party`, or `held_by` for anyone else) and who recorded it (the party's own
    speaker or the facilitator) are both kept: a reading recorded in a party's name by the
    facilitator never passes for the party's own."""

    FACILITATOR, PARTY = "facilitator", "party"

    id = models.BigIntegerField(primary_key=True)
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="interpretations")
    party = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="interpretations"
    )  # the party that states it, if a party does
    recorded_by = models.CharField(max_length=12, choices=[(FACILITATOR, _("the facilitator")), (PARTY, _("the party's delegation"))])
    held_by_ar = models.CharField(max_length=300, blank=True)
    held_by_en = models.CharField(max_length=300, blank=True)
    reading_ar = models.TextField(blank=True)
    reading_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["provision", "id"]
