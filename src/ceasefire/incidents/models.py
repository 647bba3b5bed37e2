"""Reports of violations, the incidents they describe, and what the joint verification chain
made of them. A report is a claim from a source; only findings signed by every party (or a
decision of the committee) settle it. Every table here but the identity vault is a projection
of the record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceasefire.mechanism.models import AgendaItem, Bilingual, Decision, Party
from ceasefire.record.models import Projection

from . import chain


class Status(models.TextChoices):
    """Where a report stands in the verification chain (chain.py holds the rules)."""

    RECEIVED = chain.RECEIVED, _("Received")
    INQUIRY = chain.INQUIRY, _("Preliminary inquiry")
    TASKED = chain.TASKED, _("Tasked to a joint team")
    INVESTIGATED = chain.INVESTIGATED, _("Investigation reported")
    FINDINGS = chain.FINDINGS, _("Findings awaiting sign-off")
    DISPUTED = chain.DISPUTED, _("Disputed: before the committee")
    CONCLUDED = chain.CONCLUDED, _("Concluded")
    DUPLICATE = chain.DUPLICATE, _("Duplicate")
    OUTSIDE_MANDATE = chain.OUTSIDE_MANDATE, _("Outside the mandate")
    DISAGREEMENT = chain.DISAGREEMENT, _("Closed: disagreement recorded")


assert set(Status.values) == set(chain.STATUSES)


class Visibility(models.TextChoices):
    """Who reads a report: the parties always; observers and the public once the committee
    shares or publishes it."""

    PARTIES = "parties", _("The parties only")
    OBSERVERS = "observers", _("Shared with observers")
    PUBLIC = "public", _("Published")


class SourceType(models.TextChoices):
    DELEGATION = "delegation", _("A party's delegation")
    JOINT_TEAM = "joint_team", _("A joint monitoring team")
    UN_MONITOR = "un_monitor", _("A UN monitor")
    PUBLIC = "public", _("The public (hotline)")
    MEDIA = "media", _("Media")
    NGO = "ngo", _("An NGO")
    DATASET = "dataset", _("A dataset (imported)")


# Projections are never deleted but by replay, which empties every table; CASCADE between these
# tables lets it, where PROTECT would refuse the cycles (an incident and its reports, duplicates).


class Category(Bilingual, Projection):
    """One kind of violation in the mechanism's typology, with the ACLED event and sub-event type
    it corresponds to (for exchange with ACLED data) and the provisions it may breach."""

    code = models.SlugField(max_length=40, primary_key=True)
    group = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    name_ar = models.CharField(max_length=200, blank=True)
    name_en = models.CharField(max_length=200, blank=True)
    acled_event_type = models.CharField(max_length=60, blank=True)
    acled_sub_event_type = models.CharField(max_length=60, blank=True)
    provisions = models.JSONField(default=list)  # provision ids
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.code


class Incident(Bilingual, Projection):
    """One event on the ground, as the reports about it describe it. A report starts its own
    incident; a duplicate moves into the original's, and the incident it leaves empty is kept,
    pointing to the one it merged into."""

    id = models.BigIntegerField(primary_key=True)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField()
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="merged")
    related_report = models.ForeignKey(
        "Report", null=True, blank=True, on_delete=models.CASCADE, related_name="related_incidents"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="one_incident_number")]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"I-{self.year}-{self.number:04d}"


# The texts a search of the list looks in (queries.search), kept together in one normalised column.
SEARCHED = ("title_ar", "title_en", "narrative_ar", "narrative_en", "place_ar", "place_en", "alleged_unit")


def searchable(fields: dict) -> str:
    """A report's searched texts as a search compares them (ceasefire.text.normalise), one per
    line: the projector writes it with the report, so replay rebuilds it from the record."""
    from ceasefire.text import searchable as normalised

    return normalised(fields.get(name) for name in SEARCHED)


# The columns the list of reports filters on (queries.search), in the order its indexes hold them.
LISTED = ("status", "category", "alleged_party", "occurred_at", "latitude", "longitude", "visibility", "stage_since")


class MapTally(Projection):
    """Reports counted in a cell of the map at a zoom where a view holds many of them
    (mapping.TALLIED), by their sharing and category, with the sums of their coordinates: what a
    view of the whole country counts without reading a million reports. Written with the report
    (its filing, a change of its sharing); a key of its own content, so that replay makes the same."""

    key = models.CharField(max_length=80, primary_key=True)  # zoom:cell:visibility:category
    zoom = models.PositiveSmallIntegerField()
    cell = models.BigIntegerField()
    visibility = models.CharField(max_length=12)
    category = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    latitude_sum = models.FloatField(default=0)
    longitude_sum = models.FloatField(default=0)
    # Of `count`, those placed only near a place and only in a district (geo_precision 2 and 3):
    # a cluster says how precise its places are (mapping._cluster).
    near = models.PositiveIntegerField(default=0)
    district = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                # in the order of the clusters' GROUP BY (cell, category): SQLite sums the rows
                # as it reads them, without sorting them first
                fields=[
                    "zoom",
                    "cell",
                    "category",
                    "visibility",
                    "count",
                    "latitude_sum",
                    "longitude_sum",
                    "near",
                    "district",
                ],
                name="map_tally_cells",
            )
        ]


class Report(Bilingual, Projection):
    id = models.BigIntegerField(primary_key=True)  # seq of the filing event
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="reports")
    title_ar = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="reports")
    source_type = models.CharField(max_length=16, choices=SourceType.choices)
    source_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_ar = models.CharField(max_length=300, blank=True)  # how the source is described, never who
    source_en = models.CharField(max_length=300, blank=True)
    submitted_by = models.CharField(max_length=150)
    received_at = models.DateTimeField()  # report_list starts with it
    occurred_at = models.DateTimeField()  # in the list's indexes; an index of its own makes SQLite order whole rows
    time_known = models.BooleanField(default=False)  # False: the day only
    time_precision = models.PositiveSmallIntegerField()  # ACLED: 1 the day, 2 within a week, 3 within a month
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    geo_precision = models.PositiveSmallIntegerField(null=True, blank=True)  # ACLED: 1 exact, 2 nearby, 3 region
    place_ar = models.CharField(max_length=200, blank=True)
    place_en = models.CharField(max_length=200, blank=True)
    controlled_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    alleged_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    alleged_unit = models.CharField(max_length=300, blank=True)
    affected_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    narrative_ar = models.TextField(blank=True)
    narrative_en = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=chain.RECEIVED)
    stage_since = models.DateTimeField()
    triage_reason_ar = models.TextField(blank=True)
    triage_reason_en = models.TextField(blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="duplicates")
    related_report = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PARTIES)
    instructions_ar = models.TextField(blank=True)  # the team's, when tasked
    instructions_en = models.TextField(blank=True)
    team_due_on = models.DateField(null=True, blank=True)
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The record entry (seq) of the findings draft now before the sides: a sign-off names it.
    draft = models.BigIntegerField(null=True, blank=True)
    closing_note_ar = models.TextField(blank=True)
    closing_note_en = models.TextField(blank=True)
    # An imported report's id in its dataset ("acled:LBY1234"): importing it again changes nothing.
    # Nullable so that SQLite adds the column in place: a NOT NULL column with a default makes
    # Django rebuild the table, which drops the triggers of the text index (migration 0002).
    external_id = models.CharField(max_length=120, null=True, blank=True, db_index=True)
    # SEARCHED, normalised: what a text search matches, never shown (the texts above are).
    search_text = models.TextField(blank=True, default="")
    # What the report verifies when it is not an alleged violation (subjects.py): a departure of
    # foreign forces ("departure", its id)... Nullable for the same reason as external_id.
    subject_kind = models.CharField(max_length=20, null=True, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # The report's cell of the map's grid at every zoom (places/grid.py), from its coordinates;
    # None without them. Nullable for the same reason as external_id.
    map_cell = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="one_report_number")]
        # The list of reports, newest first, with any of its filters (bench/reports.py: 100,000
        # reports). Each index starts with what a filter fixes, then the list's order, then every
        # other filtered column, so that the database tests the filters inside the index, counts
        # from it alone, and reads only the rows of the page. report_list serves what no other
        # starts with: no filter, a box on the map, the observers' visibility, a deep page.
        indexes = [
            models.Index(fields=["received_at", "id", *LISTED], name="report_list"),
            models.Index(
                fields=["status", "received_at", "id", *(f for f in LISTED if f != "status")], name="report_status"
            ),
            models.Index(
                fields=["category", "received_at", "id", *(f for f in LISTED if f != "category")],
                name="report_category",
            ),
            models.Index(
                fields=["alleged_party", "received_at", "id", *(f for f in LISTED if f != "alleged_party")],
                name="report_alleged",
            ),
            # The map's clusters (incidents/mapping.py): the cells of a box are ranges of map_cell;
            # every column the clusters count or the list filters on follows, so that counting a
            # box reads this index alone (bench/map.py: a million reports).
            models.Index(fields=["map_cell", *LISTED, "geo_precision"], name="report_map"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"R-{self.year}-{self.number:04d}"

    @property
    def closed(self) -> bool:
        return self.status in chain.CLOSED

    def attributed_to(self) -> list[str]:
        """The parties the findings hold responsible for a violation: binding only once the report is
        concluded (every party signed, or the committee decided); before that, a draft's words."""
        if self.status != chain.CONCLUDED:
            return []
        return sorted({f.attributed_to_id for f in self.findings.all() if f.attributed_to_id})


class SearchWord(Projection):
    """Every word of every report's search column (Report.search_text split at its spaces), kept
    with the reports. A whole-word term of a search (a place's Latin spelling, " sirt ") none of
    whose words is here is in no report, so the search drops it before asking the index: a place
    has a dozen spellings, most of them in no report, and PostgreSQL would check each against
    every report holding its trigrams."""

    MAX_LENGTH = 100  # a longer word is not kept, and a term holding one is never dropped

    word = models.CharField(max_length=MAX_LENGTH, primary_key=True)

    @classmethod
    def of(cls, search_text: str) -> list["SearchWord"]:
        return [cls(word=w) for w in sorted(set(search_text.split())) if len(w) <= cls.MAX_LENGTH]


class Casualty(Projection):
    """A count of people killed or injured, as a claim of the source that gave it."""

    KINDS = ("killed", "injured")
    GROUPS = ("civilian", "military", "unknown")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="casualties")
    kind = models.CharField(max_length=8)
    group = models.CharField(max_length=10)
    count = models.PositiveIntegerField()
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["report", "kind", "group"]


class StageTime(Projection):
    """The time a report entered and left a stage of the chain."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=20, choices=Status.choices)
    entered_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["report", "entered_at", "id"]


class StageTarget(Projection):
    """How many days a report should spend at most in a stage; chain.TARGET_DAYS where unset."""

    stage = models.CharField(max_length=20, primary_key=True, choices=Status.choices)
    days = models.PositiveSmallIntegerField()


class TeamMember(Projection):
    """A member of the joint verification team tasked with a report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="team")
    username = models.CharField(max_length=150)
    party = models.ForeignKey(
        Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the mission

    class Meta:
        ordering = ["report", "party", "username"]
        constraints = [models.UniqueConstraint(fields=["report", "username"], name="one_team_seat")]


class Investigation(Bilingual, Projection):
    """The joint team's investigation report: the team's only once a member of every party on the
    team has confirmed it (its confirmations); until then a member's draft, which a new one replaces."""

    ACCESS = (("granted", _("Access granted")), ("partial", _("Access partly denied")), ("denied", _("Access denied")))

    id = models.BigIntegerField(primary_key=True)
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="investigation")
    site_visited = models.BooleanField()
    visited_on = models.DateField(null=True, blank=True)
    access = models.CharField(max_length=8, choices=ACCESS)
    denied_by_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    denied_by_ar = models.CharField(max_length=300, blank=True)
    denied_by_en = models.CharField(max_length=300, blank=True)
    methods_ar = models.TextField(blank=True)
    methods_en = models.TextField(blank=True)
    evidence_ar = models.TextField(blank=True)
    evidence_en = models.TextField(blank=True)
    limitations_ar = models.TextField(blank=True)
    limitations_en = models.TextField(blank=True)
    submitted_by = models.CharField(max_length=150)
    submitted_at = models.DateTimeField()


class Confirmation(Projection):
    """A party's member on the team confirming the investigation report (entry `investigation`)
    as the team's. The member who wrote it confirms it for its party by writing it."""

    id = models.BigIntegerField(primary_key=True)  # seq of the confirming (or writing) entry
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="confirmations")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    username = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["investigation", "party"], name="one_confirmation_per_party")]


class Finding(Bilingual, Projection):
    """The team's finding on one allegation. Binding only once every party and the facilitator
    have signed (or the committee has decided)."""

    RESULTS = (
        ("violation", _("Violation")),
        ("no_violation", _("No violation")),
        ("insufficient", _("Insufficient evidence")),
    )

    id = models.BigIntegerField(primary_key=True)  # seq of the drafting event × 100 + its index
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    allegation_ar = models.TextField(blank=True)
    allegation_en = models.TextField(blank=True)
    result = models.CharField(max_length=12, choices=RESULTS)
    attributed_to = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attributed_unit = models.CharField(max_length=300, blank=True)
    provisions = models.JSONField(default=list)
    reasoning_ar = models.TextField(blank=True)
    reasoning_en = models.TextField(blank=True)
    # How many people the team counted, on a report with a subject (a departure's verified number).
    count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    IGNORED = "ignored", _("Ignored")


class Recommendation(Bilingual, Projection):
    """Who should do what, by when, following a finding; tracked to closure."""

    id = models.BigIntegerField(primary_key=True)  # seq of the drafting event × 100 + its index
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="recommendations")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations")
    addressee_party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    addressee_ar = models.CharField(max_length=300, blank=True)
    addressee_en = models.CharField(max_length=300, blank=True)
    text_ar = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    status_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]


class SignOff(Bilingual, Projection):
    """A party's member on the team, or the facilitator (side ""), agreeing with the findings or
    dissenting with reasons. A new draft of the findings clears them."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="signoffs")
    side = models.CharField(max_length=32)  # a party code, or "" for the facilitator
    username = models.CharField(max_length=150)
    agrees = models.BooleanField()
    reasons_ar = models.TextField(blank=True)
    reasons_en = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["report", "at"]
        constraints = [models.UniqueConstraint(fields=["report", "side"], name="one_signoff_per_side")]


class Evidence(Bilingual, Projection):
    """A file attached to a report. Its SHA-256 is in the record from the upload on; the bytes
    live in the evidence store (DATA_DIR/evidence), never where the web server serves files."""

    id = models.BigIntegerField(primary_key=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=100)
    name = models.CharField(max_length=255)
    description_ar = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "id"]


class EvidenceAccess(Projection):
    """Chain of custody: each view, download or export of an evidence file, and by whom."""

    id = models.BigIntegerField(primary_key=True)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="accesses")
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10)
    at = models.DateTimeField()

    class Meta:
        ordering = ["evidence", "id"]


class IdentityCommitment(Projection):
    """What the record knows of a protected identity: that one exists for this report, and its
    commitment. `erased` once the vault's row has been destroyed."""

    id = models.BigIntegerField(primary_key=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identities")
    commitment = models.CharField(max_length=64, unique=True)
    relation = models.CharField(max_length=10)  # "source" or "witness"
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "id"]


class ProtectedIdentity(models.Model):
    """The identity of a report's source or witness: the vault, apart from the record and its
    projections (replay never touches it), read by the facilitator only. The record carries only
    `commitment` = SHA-256(salt ‖ canonical identity). Erasing the row leaves the record whole."""

    report_id = models.BigIntegerField(db_index=True)  # not a foreign key: replay rebuilds reports
    commitment = models.CharField(max_length=64, unique=True)
    salt = models.CharField(max_length=64)
    identity = models.JSONField()
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"identity behind report {self.report_id}"


class CoverageKind(models.TextChoices):
    """What the committee records of where and when monitoring was possible: a count of reports is
    read beside it, since an area nobody could reach reports nothing."""

    DEPLOYED = "deployed", _("Monitors or a joint team deployed")
    NO_ACCESS = "no_access", _("No access")
    DENIED = "denied", _("Access denied")


class Coverage(Bilingual, Projection):
    """A deployment of monitors or a joint team to an area for a period, or an area and period
    without access. Recorded by the mission (the facilitator, a monitor: `claimed_by` None) or by
    a party's delegation (`claimed_by` its party): a party's record is that party's claim, and is
    shown as such. The area is text until reports carry a district (see incidents/stats.py)."""

    id = models.BigIntegerField(primary_key=True)  # seq of the recording event
    kind = models.CharField(max_length=10, choices=CoverageKind.choices)
    area_ar = models.CharField(max_length=200, blank=True)
    area_en = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()  # included
    claimed_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    denied_by = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_ar = models.CharField(max_length=300, blank=True)  # how the source is described: the parties'
    source_en = models.CharField(max_length=300, blank=True)
    note_ar = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField()
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PARTIES)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="coverage_period")]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
