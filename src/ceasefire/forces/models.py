"""The register of foreign forces and groups, their presence and strength as claims, the
withdrawal plan and its stages, and departures. Every table here but the vault of informants is a
projection of the record. Numbers are claims: each carries who claims it, its source, its date and
how confident the source is; rival claims are kept side by side, never merged."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.incidents import vault
from ceasefire.mechanism.models import Bilingual, Party
from ceasefire.record.models import Projection


class GroupKind(models.TextChoices):
    STATE_FORCE = "state_force", _("Foreign state force")
    PMC = "pmc", _("Private military company")
    MERCENARIES = "mercenaries", _("Mercenary group")
    FOREIGN_FIGHTERS = "foreign_fighters", _("Foreign fighters")


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Group(Bilingual, Projection):
    """A force or group said to be present. Its affiliation and sponsor are claims of whoever
    registered it, with their source."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    name_ar = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    origin_ar = models.CharField(max_length=200, blank=True)  # the state, or the fighters' country of origin
    origin_en = models.CharField(max_length=200, blank=True)
    affiliation_ar = models.CharField(max_length=300, blank=True)  # claimed: whom it fights with
    affiliation_en = models.CharField(max_length=300, blank=True)
    sponsor_ar = models.CharField(max_length=300, blank=True)  # claimed: who pays or sends it
    sponsor_en = models.CharField(max_length=300, blank=True)
    source = models.TextField(blank=True)
    claimed_by = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the mission
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    @property
    def reference(self) -> str:
        return f"G-{self.id}"


class Place(models.Model):
    """A place as a claim names it: the gazetteer's id (places/) when it has one, its names, its
    coordinates. Abstract: presence claims and departures each carry one."""

    place_id = models.CharField(max_length=40, blank=True)
    place_ar = models.CharField(max_length=200, blank=True)
    place_en = models.CharField(max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class Presence(Bilingual, Projection, Place):
    """A claim that a group is at a place for a period, in a strength given as low / best / high,
    with its source, the day it speaks of and the source's confidence. Never merged with a rival."""

    id = models.BigIntegerField(primary_key=True)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="presence")
    from_on = models.DateField()
    until_on = models.DateField(null=True, blank=True)  # None: still there, as far as the claim says
    low = models.PositiveIntegerField(null=True, blank=True)
    best = models.PositiveIntegerField(null=True, blank=True)
    high = models.PositiveIntegerField(null=True, blank=True)
    as_of = models.DateField()  # the day the strength is claimed for
    confidence = models.CharField(max_length=8, choices=Confidence.choices)
    source = models.TextField(blank=True)
    source_commitment = models.CharField(max_length=64, null=True, blank=True)  # an informant in the vault
    claimed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["group", "-as_of", "id"]


class Plan(Bilingual, Projection):
    """A withdrawal plan the committee agreed (the Geneva action plan of 8 October 2021)."""

    id = models.BigIntegerField(primary_key=True)
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    principles_ar = models.TextField(blank=True)  # "gradual, balanced, synchronised and sequenced"
    principles_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]


class StageStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    IN_PROGRESS = "in_progress", _("Complete on one side only")
    COMPLETE = "complete", _("Complete on every side")
    IMBALANCE = "imbalance", _("Complete: imbalance recorded by the committee")


class Stage(Bilingual, Projection):
    """A stage of a plan, with its conditions. Complete only when complete on every side, or when
    the committee recorded the imbalance by consensus: the record states which (stage_completed)."""

    id = models.BigIntegerField(primary_key=True)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    conditions_ar = models.TextField(blank=True)
    conditions_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=StageStatus.choices, default=StageStatus.PENDING)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]

    @property
    def complete(self) -> bool:
        return self.status in (StageStatus.COMPLETE, StageStatus.IMBALANCE)


class StageSide(Bilingual, Projection):
    """A party's word on its own side of a stage: complete (as of a day, with its source) or not.
    The latest counts until the stage is complete."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="sides")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    complete = models.BooleanField()
    as_of = models.DateField()
    note_ar = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["stage", "party__order"]
        constraints = [models.UniqueConstraint(fields=["stage", "party"], name="one_side_per_party")]


class Imbalance(Bilingual, Projection):
    """A proposal that the committee record a stage complete although it is not complete on every
    side, saying what the imbalance is. Recorded only when every party approves."""

    id = models.BigIntegerField(primary_key=True)
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="imbalances")
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who proposed; None the facilitator
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    proposed_by = models.CharField(max_length=150)
    proposed_at = models.DateTimeField()
    recorded = models.BooleanField(default=False)

    class Meta:
        ordering = ["stage", "id"]


class ImbalancePosition(Bilingual, Projection):
    imbalance = models.ForeignKey(Imbalance, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=8)
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["imbalance", "party__order"]
        constraints = [models.UniqueConstraint(fields=["imbalance", "party"], name="one_imbalance_position_per_party")]


class Departure(Bilingual, Projection, Place):
    """A departure of a group's people, as claimed: how many, through which exit point, on which
    day, by whom and on what source. Its verification is a report of the chain whose subject is
    this departure (incidents/subjects.py); the verified number is the concluded findings' count."""

    id = models.BigIntegerField(primary_key=True)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="departures")
    claimed = models.PositiveIntegerField()
    departed_on = models.DateField()
    destination_ar = models.CharField(max_length=200, blank=True)
    destination_en = models.CharField(max_length=200, blank=True)
    confidence = models.CharField(max_length=8, choices=Confidence.choices)
    source = models.TextField(blank=True)
    source_commitment = models.CharField(max_length=64, null=True, blank=True)
    claimed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-departed_on", "-id"]

    @property
    def reference(self) -> str:
        return f"D-{self.id}"


class Informant(vault.Row):
    """Who gave a claim of presence or departure (the claim's entry); the record holds only the
    commitment (incidents/vault.py)."""
