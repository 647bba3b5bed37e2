"""Roads, border crossings and air routes, and the status of each over time. A route is recorded by
the facilitator from a source; a status (open, closed, restricted, with its conditions, who ordered
it and since when) is a claim a party or the facilitator puts forward, the committee's only once
every party approves it (mechanism.consensus). Rival claims stand side by side; nothing is
overwritten: the committee's statuses, each dated and sourced, are the route's history."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.mechanism import consensus, parity
from ceasefire.mechanism.models import Bilingual
from ceasefire.record.models import Projection


class Kind(models.TextChoices):
    ROAD = "road", _("Road")
    CROSSING = "crossing", _("Border crossing")
    AIR_ROUTE = "air_route", _("Air route")


class Neighbour(models.TextChoices):
    """Libya's neighbouring states, in the order its border runs from the north-west."""

    TUNISIA = "tunisia", _("Tunisia")
    ALGERIA = "algeria", _("Algeria")
    NIGER = "niger", _("Niger")
    CHAD = "chad", _("Chad")
    SUDAN = "sudan", _("Sudan")
    EGYPT = "egypt", _("Egypt")


# The neighbours whose liaison committees exchange data on foreign fighters with the committee
# (Cairo, November 2021 and February 2023: see the libya-2020 scenario's sources).
LIAISON = (Neighbour.CHAD, Neighbour.NIGER, Neighbour.SUDAN)


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    RESTRICTED = "restricted", _("Restricted")
    CLOSED = "closed", _("Closed")


class Route(Bilingual, Projection):
    """A road (through gazetteer places, in order), a border crossing (a place on the border with a
    neighbour) or an air route (between two airports)."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name_ar = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    # What reports call it ("the coastal road", "الطريق الساحلي"): a report naming one is on it.
    aliases = models.JSONField(default=list)
    places = models.JSONField(default=list)  # gazetteer ids, in order along the route
    neighbour = models.CharField(max_length=12, choices=Neighbour.choices, blank=True)
    layer = models.CharField(max_length=40, blank=True)  # a zones layer drawing it, if the committee has one
    within_km = models.FloatField()  # a report this near the line through its places is on it
    source = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "id"]

    @property
    def reference(self) -> str:
        return f"RT-{self.id}"


class StatusClaim(Bilingual, Projection):
    """A route's status since a day, as a party or the facilitator puts it forward: open, closed or
    restricted, its conditions, who ordered it, its source. The committee's when every party
    approves it (`agreed`, stated by route.status_agreed), or, for a status known only from public
    sources, when the facilitator records it as the committee's according to the source it cites."""

    POSITIONS, SOURCE = "positions", "source"

    id = models.BigIntegerField(primary_key=True)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="claims")
    party = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # who put it forward; none for the facilitator
    status = models.CharField(max_length=12, choices=Status.choices)
    since = models.DateField()
    conditions_ar = models.TextField(blank=True)
    conditions_en = models.TextField(blank=True)
    ordered_by_ar = models.CharField(max_length=300, blank=True)
    ordered_by_en = models.CharField(max_length=300, blank=True)
    source = models.TextField(blank=True)
    proposed_by = models.CharField(max_length=150, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed = models.BooleanField(default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_through = models.CharField(max_length=12, blank=True)  # positions, or source
    agreed_source = models.TextField(blank=True)  # the source that says the committee ordered it

    class Meta:
        ordering = ["route", "-since", "-id"]

    def waits(self, today) -> tuple[parity.Waiting, ...]:
        if self.agreed:
            return ()
        return consensus.waits(consensus.positions(self), today)

    @property
    def disputed(self) -> bool:
        return not self.agreed and any(p.position == parity.OBJECT for p in self.positions.all())


class StatusPosition(Bilingual, Projection):
    """A party's position on a status claim, given by whoever speaks for it. The latest counts."""

    claim = models.ForeignKey(StatusClaim, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey("mechanism.Party", on_delete=models.CASCADE, related_name="+")
    position = models.CharField(max_length=8, choices=[(p, p) for p in parity.POSITIONS])
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["party__order"]
        constraints = [models.UniqueConstraint(fields=["claim", "party"], name="one_route_position_per_party")]


class Shared(Projection):
    """An export the committee made for a neighbour's liaison committee: what it held, by its hash,
    for whom, at which checkpoint of the record (routes.data_shared)."""

    id = models.BigIntegerField(primary_key=True)
    recipient = models.CharField(max_length=12, choices=Neighbour.choices)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=8)
    checkpoint = models.PositiveBigIntegerField()  # the record's size when it was made
    root = models.CharField(max_length=64)  # the record's root hash at that size
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
