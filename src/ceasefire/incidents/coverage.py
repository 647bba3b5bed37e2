"""Coverage: where and when monitoring was possible, and where it was not. A count of reports means
little without it (an area nobody reached reports nothing), so every count is shown beside it
(incidents/stats.py).

Who records it, by the parity and claims principles:
- the mission (the facilitator, a monitor) records any of it, as the mission's own record;
- a party's delegate records its own party's deployments, and the access its party says it was
  denied or could not get: each is that party's claim (`claimed_by`), shown as such, never as the
  mission's;
- observers and the public record nothing.
A record stays with the parties until the facilitator shares it with observers or publishes it,
as with reports.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ceasefire import audience, days
from ceasefire import validate as v
from ceasefire.errors import Conflict, Forbidden, Invalid
from ceasefire.mechanism.accounts import PARTY_ROLES
from ceasefire.mechanism.commands import get, require_facilitator
from ceasefire.mechanism.models import Party, Role
from ceasefire.record.log import Actor, append, command, projects

from .models import Coverage, CoverageKind, Visibility

# A period longer than this is more likely a typo than a deployment; a year covers any mandate's
# reporting period, and days are counted one by one.
MAX_DAYS = 366


def recorder(actor: Actor | None) -> str | None:
    """Whose record the actor's coverage is: "" the mission's, a party code that party's claim,
    None when the actor may not record coverage."""
    if not actor:
        return None
    if actor.role in (Role.FACILITATOR, Role.MONITOR):
        return ""
    if actor.role in PARTY_ROLES and actor.party:
        return actor.party
    return None


def may_record(actor: Actor | None) -> bool:
    return recorder(actor) is not None


@command
def record_coverage(actor: Actor, data: dict) -> Coverage:
    claimed_by = recorder(actor)
    if claimed_by is None:
        raise Forbidden(_("Coverage is recorded by the facilitator, the monitors and the parties' delegations."))
    kind = v.choice(data.get("kind"), "kind", CoverageKind)
    area = v.bilingual(data, "area", max_length=200, required=True)
    starts = v.date(data.get("starts_on"), "starts_on", required=True)
    ends = v.date(data.get("ends_on"), "ends_on", required=True)
    if ends < starts:
        raise Invalid(_("must not be before starts_on"), "ends_on")
    if (ends - starts).days + 1 > MAX_DAYS:
        raise Invalid(_("a period is at most %(n)d days: record a longer one in parts") % {"n": MAX_DAYS}, "ends_on")
    if starts > days.latest_today():
        raise Invalid(_("is in the future: record what happened"), "starts_on")
    denied_by = v.text(data.get("denied_by"), "denied_by", max_length=32) or None
    if denied_by:
        if kind != CoverageKind.DENIED:
            raise Invalid(_("only access denied names who denied it"), "denied_by")
        get(Party, denied_by, "denied_by")
    source = v.bilingual(data, "source", max_length=300)
    note = v.bilingual(data, "note", max_length=5000)
    payload = {
        "kind": kind,
        **area,
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "claimed_by": claimed_by or None,
        "denied_by": denied_by,
        **source,
        **note,
    }
    event = append("coverage.recorded", payload, actor)
    return Coverage.objects.get(id=event.seq)


@command
def share_coverage(actor: Actor, coverage_id, data: dict) -> Coverage:
    """Share a coverage record with the observers, or publish it: the facilitator, as for reports."""
    require_facilitator(actor)
    c = get(Coverage, coverage_id, "coverage")
    visibility = v.choice(data.get("visibility"), "visibility", Visibility)
    if visibility == c.visibility:
        raise Conflict(_("nothing changes"), "visibility")
    append("coverage.visibility_set", {"coverage": c.id, "visibility": visibility}, actor)
    c.refresh_from_db()
    return c


@projects("coverage.recorded", audience="parties")  # a party's claim and the source stay with the parties until shared
def _recorded(event):
    p = event.payload
    Coverage.objects.create(
        id=event.seq,
        kind=p["kind"],
        area_ar=p["area_ar"],
        area_en=p["area_en"],
        starts_on=dt.date.fromisoformat(p["starts_on"]),
        ends_on=dt.date.fromisoformat(p["ends_on"]),
        claimed_by_id=p["claimed_by"],
        denied_by_id=p["denied_by"],
        source_ar=p["source_ar"],
        source_en=p["source_en"],
        note_ar=p["note_ar"],
        note_en=p["note_en"],
        recorded_by=event.account,
        recorded_at=event.time,
    )


@projects("coverage.visibility_set", audience="observers")  # as report.visibility_set
def _visibility(event):
    Coverage.objects.filter(id=event.payload["coverage"]).update(visibility=event.payload["visibility"])


# ---------------------------------------------------------------- reading


def visible(reader):
    """The coverage records the reader reads (ceasefire.audience): all for the parties' people and
    the facilitator, what was shared with them for observers, what was published for the public."""
    qs = Coverage.objects.select_related("claimed_by", "denied_by")
    return qs if audience.everything(reader) else qs.filter(visibility__in=audience.levels(reader))


@dataclass
class Line:
    """Of one area in one period, by one recorder: how many of the period's days it covers."""

    area: str
    kind: str
    claimed_by: Party | None  # None: the mission's own record
    days: int
    of: int
    records: list = field(default_factory=list)


@dataclass
class Summary:
    start: dt.date
    end: dt.date
    days: int
    lines: list[Line]
    everything: bool  # the reader reads every record (else only what was shared with them)


def summary(reader, start: dt.date, end: dt.date, area: str = "") -> Summary:
    """The coverage of [start, end] as the reader may read it: per area, kind and recorder, the
    days of the period the records cover (overlapping records counted once). `area`: only areas
    whose name contains it (until reports carry a district)."""
    qs = visible(reader).filter(starts_on__lte=end, ends_on__gte=start)
    if area:
        from django.db.models import Q

        qs = qs.filter(Q(area_ar__icontains=area) | Q(area_en__icontains=area))
    total = (end - start).days + 1
    groups: dict[tuple, tuple[set, list]] = {}
    for c in qs.order_by("starts_on", "id"):
        key = (c.text("area").casefold(), c.kind, c.claimed_by_id)
        days, records = groups.setdefault(key, (set(), []))
        first, last = max(c.starts_on, start), min(c.ends_on, end)
        days.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        records.append(c)
    lines = [
        Line(
            area=records[0].text("area"),
            kind=kind,
            claimed_by=records[0].claimed_by,
            days=len(days),
            of=total,
            records=records,
        )
        for (_area, kind, _party), (days, records) in sorted(
            groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
        )
    ]
    return Summary(start=start, end=end, days=total, lines=lines, everything=audience.everything(reader))


def sentence(line: Line) -> str:
    """One line of coverage in words, saying whose record it is."""
    n = {"area": line.area, "days": line.days, "of": line.of}
    if line.kind == CoverageKind.DEPLOYED:
        text = _("%(area)s: monitors reached it on %(days)d of %(of)d days") % n
    elif line.kind == CoverageKind.NO_ACCESS:
        text = _("%(area)s: no access on %(days)d of %(of)d days") % n
    else:
        text = _("%(area)s: access denied on %(days)d of %(of)d days") % n
    if line.claimed_by is not None:
        text += " " + _("(as %(party)s says: a claim)") % {"party": line.claimed_by.text("name")}
    return text


def sentences(s: Summary) -> list[str]:
    if not s.lines:
        return [
            _("No coverage recorded for this period.") if s.everything else _("No coverage shared for this period.")
        ]
    return [sentence(line) for line in s.lines]
