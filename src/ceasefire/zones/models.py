from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.mechanism import consensus, parity
from ceasefire.mechanism.models import Bilingual
from ceasefire.record.models import Projection

from . import geojson


class Kind(models.TextChoices):
    CONTACT_LINE = "contact_line", _("Contact line")
    DEMILITARISED_AREA = "demilitarised_area", _("Demilitarised area")
    PROTECTED_ROAD = "protected_road", _("Protected road")
    BUFFER_ZONE = "buffer_zone", _("Buffer zone")
    ASSEMBLY_POINTS = "assembly_points", _("Assembly points")
    BORDER_AREA = "border_area", _("Border area")
    CROSSINGS = "crossings", _("Crossings")


# What each kind is drawn with: an area is inside or not; a line or a point is near or not.
FAMILY = {
    Kind.CONTACT_LINE: geojson.LINES,
    Kind.DEMILITARISED_AREA: geojson.AREAS,
    Kind.PROTECTED_ROAD: geojson.LINES,
    Kind.BUFFER_ZONE: geojson.AREAS,
    Kind.ASSEMBLY_POINTS: geojson.POINTS,
    Kind.BORDER_AREA: geojson.AREAS,
    Kind.CROSSINGS: geojson.POINTS,
}


class Layer(Bilingual, Projection):
    """One of the committee's layers, named by its first version; its versions carry what it draws."""

    code = models.SlugField(max_length=40, primary_key=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    name_ar = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def family(self) -> str:
        return FAMILY[self.kind]


class LayerVersion(Bilingual, Projection):
    """A version of a layer as a party or the facilitator put it forward. It binds only when every
    party approves it (mechanism.consensus, the rule of parity.consensus_waits), from the moment the
    record says so (`binding_since`: the day it names, or the entry's own time); until then it stands
    beside the binding one, disputed when a party objects."""

    id = models.BigIntegerField(primary_key=True)  # seq of the proposal
    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    geojson = models.JSONField()  # a FeatureCollection, as zones.geojson checked and kept it
    within_km = models.FloatField(null=True, blank=True)  # a line or point: how near counts
    effective_from = models.DateField(null=True, blank=True)  # the day it binds from, if the proposal names one
    note_ar = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    party = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="layer_versions"
    )  # the party that put it forward; none for the facilitator
    proposed_by = models.CharField(max_length=150, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    binding = models.BooleanField(default=False)
    binding_since = models.DateTimeField(null=True, blank=True)
    bound_at = models.DateTimeField(null=True, blank=True)  # when the record stated it binding

    class Meta:
        ordering = ["layer", "-number"]
        constraints = [models.UniqueConstraint(fields=["layer", "number"], name="one_layer_version_number")]

    def __str__(self):
        return f"{self.layer_id} v{self.number}"

    def waits(self, today) -> tuple[parity.Waiting, ...]:
        """What it waits for before it binds; nothing once it binds."""
        if self.binding:
            return ()
        return consensus.waits(consensus.positions(self), today)

    def outcome(self) -> parity.Outcome:
        return consensus.outcome(consensus.positions(self))

    @property
    def disputed(self) -> bool:
        """Not binding, and a party objects to it."""
        return not self.binding and any(p.position == parity.OBJECT for p in self.positions.all())


class LayerPosition(Bilingual, Projection):
    """A party's position on a version of a layer, given by whoever speaks for it. The latest counts."""

    version = models.ForeignKey(LayerVersion, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey("mechanism.Party", on_delete=models.CASCADE, related_name="layer_positions")
    position = models.CharField(max_length=8, choices=[(p, p) for p in parity.POSITIONS])
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["party__order"]
        constraints = [models.UniqueConstraint(fields=["version", "party"], name="one_layer_position_per_party")]
