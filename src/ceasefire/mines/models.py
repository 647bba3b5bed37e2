"""Mine action: contaminated areas and clearance reports on them. Every table is a projection of
the record. A clearance report is a claim (what was cleared, by whom it is claimed, its source)
until the chain verifies it (verification.py); rival reports stand side by side."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.forces.models import Place
from ceasefire.mechanism.models import Bilingual, Party
from ceasefire.record.models import Projection


class Cleared(models.TextChoices):
    PARTLY = "partly", _("Partly cleared")
    CLEARED = "cleared", _("Cleared")


class Area(Bilingual, Projection, Place):
    """An area contaminated by mines or explosive remnants of war: a place, or a named area."""

    id = models.BigIntegerField(primary_key=True)
    name_ar = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    description_ar = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    @property
    def reference(self) -> str:
        return f"MA-{self.id}"


class Clearance(Bilingual, Projection):
    """A report that an area was partly or wholly cleared by a day, as its claimant claims it."""

    id = models.BigIntegerField(primary_key=True)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="clearances")
    status = models.CharField(max_length=8, choices=Cleared.choices)
    as_of = models.DateField()
    extent_ar = models.TextField(blank=True)  # what the source says was cleared ("120 km, 7.5 t of ERW")
    extent_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    claimed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["area", "-as_of", "-id"]

    @property
    def reference(self) -> str:
        return f"MC-{self.id}"
