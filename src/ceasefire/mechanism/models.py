from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ceasefire.record.models import Projection

from . import parity


def in_language(obj, field: str) -> str:
    """The Arabic or English form of a text, whichever the reader's language is, else the other."""
    first, second = ("ar", "en") if (get_language() or "ar").startswith("ar") else ("en", "ar")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class Bilingual:
    """`obj.text("title")` and the like: the field in the reader's language."""

    def text(self, field: str) -> str:
        return in_language(self, field)


class Mechanism(Bilingual, Projection):
    """The committee: one per deployment."""

    id = models.BigIntegerField(primary_key=True)
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    established_on = models.DateField(null=True, blank=True)
    mandate_ar = models.TextField(blank=True)
    mandate_en = models.TextField(blank=True)
    facilitator_ar = models.CharField(max_length=200, blank=True)
    facilitator_en = models.CharField(max_length=200, blank=True)
    source = models.TextField(blank=True)

    def __str__(self):
        return self.name_en or self.name_ar

    @classmethod
    def current(cls):
        return cls.objects.order_by("id").first()

    def rules(self) -> parity.Rules:
        parties = list(self.parties.order_by("order"))
        return parity.Rules(
            seats={p.code: p.seats for p in parties},
            quorum={p.code: p.quorum for p in parties},
        )


class Party(Bilingual, Projection):
    """A party to the agreement, holding seats on the committee through its delegation."""

    code = models.SlugField(max_length=32, primary_key=True)
    mechanism = models.ForeignKey(Mechanism, on_delete=models.CASCADE, related_name="parties")
    order = models.PositiveSmallIntegerField()
    name_ar = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    seats = models.PositiveSmallIntegerField()
    quorum = models.PositiveSmallIntegerField()
    suspended_since = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name_en or self.name_ar

    @property
    def suspended(self) -> bool:
        return self.suspended_since is not None


class Suspension(Bilingual, Projection):
    """A party suspending its participation, and its return; the history stays."""

    id = models.BigIntegerField(primary_key=True)
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="suspensions")
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)
    source = models.TextField(blank=True)
    resumption_note_ar = models.TextField(blank=True)
    resumption_note_en = models.TextField(blank=True)
    resumption_source = models.TextField(blank=True)

    class Meta:
        ordering = ["-since"]

    @classmethod
    def parties_out(cls, first, last) -> set[str]:
        """The parties whose participation is suspended on any day from `first` to `last`: out from
        `since`, back on `until` (the day it resumed)."""
        out = cls.objects.filter(models.Q(until__isnull=True) | models.Q(until__gt=first), since__lte=last)
        return set(out.values_list("party_id", flat=True))


class Role(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    MEMBER = "member", _("Member")
    FACILITATOR = "facilitator", _("Facilitator")
    MONITOR = "monitor", _("Monitor")
    OBSERVER = "observer", _("Observer")


class Member(Bilingual, Projection):
    """A person on the committee. A replacement is a new member in the same seat; tenures keep the history."""

    id = models.BigIntegerField(primary_key=True)
    name_ar = models.CharField(max_length=200, blank=True)
    name_latin = models.CharField(max_length=200, blank=True)
    rank_ar = models.CharField(max_length=100, blank=True)
    rank_en = models.CharField(max_length=100, blank=True)
    title_ar = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE, related_name="members")
    seat = models.PositiveSmallIntegerField(null=True, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices)
    tenure_start = models.DateField(null=True, blank=True)
    tenure_end = models.DateField(null=True, blank=True)
    predecessor = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successor"
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["party__order", "seat", "tenure_start", "id"]

    def __str__(self):
        return self.name_latin or self.name_ar

    @property
    def name(self) -> str:
        ar = (get_language() or "ar").startswith("ar")
        return (self.name_ar or self.name_latin) if ar else (self.name_latin or self.name_ar)

    @property
    def current(self) -> bool:
        return self.tenure_end is None


class Meeting(Bilingual, Projection):
    id = models.BigIntegerField(primary_key=True)
    number = models.PositiveIntegerField(unique=True)
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    city_ar = models.CharField(max_length=100, blank=True)
    city_en = models.CharField(max_length=100, blank=True)
    country_ar = models.CharField(max_length=100, blank=True)
    country_en = models.CharField(max_length=100, blank=True)
    host_ar = models.TextField(blank=True)
    host_en = models.TextField(blank=True)
    received_by_ar = models.TextField(blank=True)
    received_by_en = models.TextField(blank=True)
    summary_ar = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    minutes_ar = models.TextField(blank=True)
    minutes_en = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-number"]

    def __str__(self):
        return f"M-{self.number}"

    @property
    def reference(self) -> str:
        return f"M-{self.starts_on.year}-{self.number:04d}"

    def present_per_party(self) -> dict[str, int]:
        """How many of each party's seats were held at this meeting by a member recorded present.
        Counted now, from the tenures as the record holds them now: a member whose tenure, as later
        corrected, did not overlap the meeting holds none of its seats, and a seat that changed
        hands during the meeting is one seat, whoever of its holders sat."""
        counts: dict[str, int] = {}
        # Only those who hold a party's seat count towards its quorum: not its monitors or observers.
        seated = self.attendance.filter(
            models.Q(member__tenure_start__isnull=True) | models.Q(member__tenure_start__lte=self.ends_on),
            models.Q(member__tenure_end__isnull=True) | models.Q(member__tenure_end__gte=self.starts_on),
            member__role__in=[Role.HEAD, Role.MEMBER],
            member__seat__isnull=False,
            member__party__isnull=False,
        )
        for party, _seat in seated.order_by().values_list("member__party", "member__seat").distinct():
            counts[party] = counts.get(party, 0) + 1
        return counts

    def quorum(self) -> parity.Quorum:
        return parity.quorum(Mechanism.current().rules(), self.present_per_party())


class Attendance(Projection):
    """A member present at a meeting; a seat with no row was not represented."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]


class AgendaItem(Bilingual, Projection):
    id = models.BigIntegerField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    number = models.PositiveSmallIntegerField()
    title_ar = models.TextField(blank=True)
    title_en = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_agenda_number")]


class Decision(Bilingual, Projection):
    """A proposal before the committee. Its adoption is a fact the record states (decision.adopted):
    through the parties' positions at a meeting held with each party's quorum (parity.waiting_for),
    or, for a decision known only from public sources, according to a cited source."""

    POSITIONS, SOURCE = "positions", "source"

    id = models.BigIntegerField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField()
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    adopted = models.BooleanField(default=False)
    adopted_at = models.DateTimeField(null=True, blank=True)  # when the record says so
    adopted_through = models.CharField(max_length=10, blank=True)  # POSITIONS or SOURCE
    adopted_source = models.TextField(blank=True)  # the source a sourced adoption cites
    adopted_on = models.DateField(null=True, blank=True)  # the day that source gives, if it gives one
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_decision_number")]

    @property
    def adopted_per_source(self) -> bool:
        return self.adopted_through == self.SOURCE

    @property
    def adopted_through_positions(self) -> bool:
        """Adopted by the parties themselves: what binds them (a settlement, for one)."""
        return self.adopted and self.adopted_through == self.POSITIONS

    def waits(self, today) -> tuple[parity.Waiting, ...]:
        """What it waits for before it is adopted (parity.waiting_for) as of `today`; nothing once adopted."""
        if self.adopted:
            return ()
        meeting = self.meeting
        return parity.waiting_for(
            Mechanism.current().rules(),
            {p.party_id: p.position for p in self.positions.all()},
            meeting.present_per_party(),
            held=meeting.starts_on <= today,
            # A party out on a day of the meeting did not sit at it, and one out today cannot agree
            # to anything now: what needs its approval waits.
            suspended=Suspension.parties_out(meeting.starts_on, meeting.ends_on) | Suspension.parties_out(today, today),
        )

    def __str__(self):
        return f"{self.meeting}/D-{self.number}"

    def outcome(self) -> parity.Outcome:
        mechanism = Mechanism.current()
        parties = list(mechanism.parties.order_by("order"))
        return parity.outcome(
            [p.code for p in parties],
            {p.party_id: p.position for p in self.positions.all()},
            suspended=[p.code for p in parties if p.suspended],
        )


class Position(Bilingual, Projection):
    """A party's position on a decision, given by whoever speaks for it. The latest one counts."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="positions")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="positions")
    position = models.CharField(max_length=8, choices=[(p, p) for p in parity.POSITIONS])
    given_by = models.CharField(max_length=150)
    given_at = models.DateTimeField()
    reason_ar = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["party__order"]
        constraints = [models.UniqueConstraint(fields=["decision", "party"], name="one_position_per_party")]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(Bilingual, Projection):
    id = models.BigIntegerField(primary_key=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items")
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    owner_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items")
    owner_ar = models.CharField(max_length=200, blank=True)
    owner_en = models.CharField(max_length=200, blank=True)
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.TextField(blank=True)

    class Meta:
        ordering = ["deadline", "id"]

    def overdue_on(self, day) -> bool:
        """Still open with its deadline passed, as of `day` (the committee's date)."""
        return bool(
            self.deadline and self.deadline < day and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        )


class WitnessKey(Projection):
    """A witness's verifier key, registered in the record by the party that holds it (or, with no
    party, by the facilitator for the mission's own witness). The private key never leaves the
    holder's machine. Registering a new key retires the holder's previous one; retired keys stay
    listed, since the cosignatures they made before remain checkable."""

    id = models.BigIntegerField(primary_key=True)  # seq of the registering event
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="witness_keys")
    name = models.CharField(max_length=255)
    key_id = models.CharField(max_length=8)
    vkey = models.TextField()
    registered_by = models.CharField(max_length=150)
    registered_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.vkey

    @property
    def active(self) -> bool:
        return self.retired_at is None


class Account(models.Model):
    """What a login may do on the committee. Not part of the record: the record names the actor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=16, choices=Role.choices)
    party = models.CharField(max_length=32, blank=True)  # a party code; a code, not a key, survives replay
    speaks_for_party = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.user.username} ({self.role}{', ' + self.party if self.party else ''})"
