"""Missing-person cases. A case holds when and where the person was last seen, the circumstances
and the source; who the person is lives only in the vault (`Identity`), the case holding its
commitment. A status (missing, located alive, found dead, released, closed) is a claim beside its
rivals, the committee's only when every party approves it (mechanism.consensus). Every table but
the vault is a projection of the record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.forces.models import Place
from ceasefire.incidents import vault
from ceasefire.mechanism import consensus, parity
from ceasefire.mechanism.models import Bilingual
from ceasefire.record.models import Projection


class Status(models.TextChoices):
    MISSING = "missing", _("Missing")
    LOCATED_ALIVE = "located_alive", _("Located alive")
    FOUND_DEAD = "found_dead", _("Found dead")
    RELEASED = "released", _("Released")
    CLOSED = "closed", _("Closed")


class Case(Bilingual, Projection, Place):
    id = models.BigIntegerField(primary_key=True)
    missing_since = models.DateField()
    circumstances_ar = models.TextField(blank=True)
    circumstances_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    commitment = models.CharField(max_length=64)  # to the person's identity, which only the vault holds
    opened_by = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the party whose delegation opened it; none for a monitor or the facilitator
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    @property
    def reference(self) -> str:
        return f"MP-{self.id}"


class StatusClaim(Bilingual, Projection):
    """A case's status as of a day, as one claimant claims it from its source. The committee's when
    every party approves it (`agreed`, stated by missing.status_agreed)."""

    id = models.BigIntegerField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=16, choices=Status.choices)
    as_of = models.DateField()
    exchange = models.BigIntegerField(null=True, blank=True)  # a release: the recorded exchange it came in
    note_ar = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    claimed_by = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # none: a monitor or the facilitator, for the mission
    proposed_by = models.CharField(max_length=150, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed = models.BooleanField(default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "-as_of", "-id"]

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
        constraints = [models.UniqueConstraint(fields=["claim", "party"], name="one_missing_position_per_party")]


class Identity(vault.Row):
    """Who a missing person is (missing.case_opened holds the commitment)."""
