import calendar
import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.mechanism import consensus, parity
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


# The themes provisions are grouped by, as the scenarios and the track's goals (forces/track.py)
# write them: a provision's category is free text, and one of these is shown in the reader's
# language; any other is shown as written.
THEMES = {
    "armed groups and reintegration": _("armed groups and reintegration"),
    "ceasefire": _("ceasefire"),
    "counter-terrorism": _("counter-terrorism"),
    "detainees": _("detainees"),
    "disengagement and foreign forces": _("disengagement and foreign forces"),
    "foreign forces": _("foreign forces"),
    "foreign military training": _("foreign military training"),
    "freedom of movement": _("freedom of movement"),
    "human rights": _("human rights"),
    "international endorsement": _("international endorsement"),
    "media and hate speech": _("media and hate speech"),
    "monitoring and verification": _("monitoring and verification"),
    "oil facilities": _("oil facilities"),
    "security arrangements": _("security arrangements"),
    "sovereignty": _("sovereignty"),
    "withdrawal": _("withdrawal"),
}


def theme_label(category: str) -> str:
    return str(THEMES.get(category, category))


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
    def theme(self) -> str:
        return theme_label(self.category)

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
    recorded_by = models.CharField(
        max_length=12, choices=[(FACILITATOR, _("the facilitator")), (PARTY, _("the party's delegation"))]
    )
    held_by_ar = models.CharField(max_length=300, blank=True)
    held_by_en = models.CharField(max_length=300, blank=True)
    reading_ar = models.TextField(blank=True)
    reading_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["provision", "id"]


class Status(models.TextChoices):
    """How far a provision is implemented, on the Peace Accords Matrix's scale (0 to 3), with its
    two other states: a provision not yet due, and one whose implementation was reversed."""

    NOT_INITIATED = "0", _("Not initiated")
    MINIMAL = "1", _("Minimal")
    INTERMEDIATE = "2", _("Intermediate")
    FULL = "3", _("Full")
    NOT_YET_DUE = "not_yet_due", _("Not yet due")
    REVERSED = "reversed", _("Reversed")


def status_label(status: str) -> str:
    """ "3 · Full", "Not yet due": a status as the pages name it, with its number on the scale."""
    try:
        label = str(Status(status).label)
    except ValueError:
        return status
    return f"{status} · {label}" if level(status) is not None else label


def level(status: str) -> int | None:
    """The scale's number (0 to 3) of a status; None for "not yet due" and "reversed"."""
    return int(status) if status in ("0", "1", "2", "3") else None


class Assessment(Bilingual, Projection):
    """How far a provision is implemented as of a day, as a party or the facilitator puts it
    forward. It becomes the committee's only when every party approves it (`agreed`), by the same
    consensus rule as a decision; until then, rival assessments stand side by side."""

    id = models.BigIntegerField(primary_key=True)
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="assessments")
    party = models.ForeignKey(
        "mechanism.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )  # the party that puts it forward; none for the facilitator
    status = models.CharField(max_length=12, choices=Status.choices)
    as_of = models.DateField()
    reasoning_ar = models.TextField(blank=True)
    reasoning_en = models.TextField(blank=True)
    evidence = models.JSONField(default=list)  # links
    source = models.TextField(blank=True)
    proposed_by = models.CharField(max_length=150)
    proposed_at = models.DateTimeField()
    agreed = models.BooleanField(default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provision", "-as_of", "id"]

    def __str__(self):
        return f"{self.provision} A-{self.id}"

    @property
    def level(self) -> int | None:
        return level(self.status)

    def outcome(self) -> parity.Outcome:
        return consensus.outcome(consensus.positions(self))

    def waits(self, today) -> tuple[parity.Waiting, ...]:
        """What it waits for before it is the committee's (parity.consensus_waits) as of `today`:
        every party's approval, none of them suspended; nothing once agreed."""
        if self.agreed:
            return ()
        return consensus.waits(consensus.positions(self), today)


class AssessmentPosition(Bilingual, Projection):
    """A party's position on an assessment, given by whoever speaks for it. The latest one counts."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey("mechanism.Party", on_delete=models.CASCADE, related_name="assessment_positions")
    position = models.CharField(max_length=8, choices=[(p, p) for p in parity.POSITIONS])
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["party__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "party"], name="one_assessment_position_per_party")
        ]


class AgreedStatus(Bilingual, Projection):
    """The committee's status of a provision as of a day: an assessment every party approved, as
    the record states it (assessment.agreed). Each is kept: together they are the provision's dated,
    sourced history; the newest as of a day is its status on that day."""

    id = models.BigIntegerField(primary_key=True)  # seq of the assessment.agreed entry
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="agreed_statuses")
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="agreed_status")
    status = models.CharField(max_length=12, choices=Status.choices)
    as_of = models.DateField()
    reasoning_ar = models.TextField(blank=True)
    reasoning_en = models.TextField(blank=True)
    evidence = models.JSONField(default=list)
    source = models.TextField(blank=True)
    agreed_at = models.DateTimeField()

    class Meta:
        ordering = ["provision", "-as_of", "-id"]

    @property
    def level(self) -> int | None:
        return level(self.status)


class ConditionStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not known")
    NOT_MET = "not_met", _("Not met")
    MET = "met", _("Met")
    DISPUTED = "disputed", _("Disputed")


class Condition(Bilingual, Projection):
    """The event a provision's deadline depends on ("until a unified government takes office") and
    that event's status, as the facilitator records it with its source. Each recording is kept; the
    newest is the condition as it stands."""

    id = models.BigIntegerField(primary_key=True)
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="conditions")
    condition_ar = models.TextField(blank=True)
    condition_en = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=ConditionStatus.choices)
    as_of = models.DateField(null=True, blank=True)  # the day the status is known as of (met on, for met)
    source = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["provision", "-id"]
