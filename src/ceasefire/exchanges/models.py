"""Detainee exchanges and the numbers claimed of them. Every table here but the vault of people is
a projection of the record. Numbers are claims: each carries who claims it and its source; rival
claims stand side by side, never merged. The number verified is the concluded findings' count of
the exchange's verification through the chain (verification.py)."""

from django.db import models

from ceasefire.forces.models import Place
from ceasefire.incidents import vault
from ceasefire.mechanism.models import Bilingual, Party
from ceasefire.record.models import Projection


class Exchange(Bilingual, Projection, Place):
    id = models.BigIntegerField(primary_key=True)
    happened_on = models.DateField()
    mediators_ar = models.CharField(max_length=300, blank=True)  # elders, the ICRC, the Red Crescent...
    mediators_en = models.CharField(max_length=300, blank=True)
    source = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_on", "-id"]

    @property
    def reference(self) -> str:
        return f"X-{self.id}"


class Numbers(Projection):
    """How many each side released in an exchange, as one claimant claims it, with its source; or
    only the total, when that is all the source gives."""

    id = models.BigIntegerField(primary_key=True)
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="numbers")
    released = models.JSONField(default=dict)  # party code -> how many that side released
    total = models.PositiveIntegerField(null=True, blank=True)
    source = models.TextField(blank=True)
    claimed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["exchange", "id"]


class Person(Projection):
    """A person exchanged, as the record holds them: the side that released them and a commitment
    to their identity, which only the vault holds."""

    id = models.BigIntegerField(primary_key=True)
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="people")
    released_by = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    commitment = models.CharField(max_length=64)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["exchange", "id"]


class Identity(vault.Row):
    """Who a person exchanged is (exchange.person_recorded holds the commitment)."""
