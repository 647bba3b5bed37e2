"""The military track's three goals, and what the record holds of each, as a reader may read it.

The goals are the ones the committee's members and hosts name (issue 10): sovereignty and foreign
forces, border security, and the withdrawal. A goal gathers the agreement's provisions by their
theme (Provision.category, free text the facilitator enters), so which themes belong to which goal
is said here and only here. Nothing is recomputed: a provision's standing is
agreements.implementation's, the withdrawal's progress is forces.queries.progress, a stage's
status forces.queries.stage_status, the layers zones.queries.layers; each reads through
ceasefire.audience.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ceasefire import audience
from ceasefire.agreements import implementation as rule
from ceasefire.agreements import queries as agreements
from ceasefire.agreements.models import Provision
from ceasefire.mechanism import parity

from . import queries, verification
from .models import Departure, Group, Plan, StageStatus

SOVEREIGNTY, BORDERS, WITHDRAWAL = "sovereignty", "borders", "withdrawal"


@dataclass(frozen=True)
class Goal:
    slug: str
    title: str
    themes: tuple[str, ...]  # Provision.category values, compared without case
    layer_kinds: tuple[str, ...] = field(default=())  # zones.models.Kind values


# In the order the committee names them. A theme may serve two goals: item 2 of the agreement of
# 23 October 2020 ties the pull-back from the lines to the foreign fighters' departure.
GOALS = {
    SOVEREIGNTY: Goal(
        SOVEREIGNTY,
        _("Sovereignty and foreign forces"),
        ("sovereignty", "disengagement and foreign forces", "foreign military training", "foreign forces"),
    ),
    BORDERS: Goal(BORDERS, _("Border security"), ("border security", "borders"), ("border_area", "crossings")),
    WITHDRAWAL: Goal(WITHDRAWAL, _("Withdrawal"), ("disengagement and foreign forces", "withdrawal")),
}


def disputed(impl: agreements.Implementation) -> bool | None:
    """Do the assessments put forward disagree: not yet the committee's, and either standing at
    different statuses (among themselves or from the committee's status), or objected to by a
    party? None for a reader who may not read assessments (ceasefire.audience)."""
    if impl.assessments is None:
        return None
    pending = impl.pending
    statuses = {a.status for a in pending} | ({impl.current.status} if impl.current and pending else set())
    objected = any(p.position == parity.OBJECT for a in pending for p in a.positions.all())
    return len(statuses) > 1 or objected


@dataclass
class Provisions:
    rows: list  # provisions, each with .impl (agreements.queries.implementation) and .disputed
    overdue: list
    disputed: list | None  # None: not the reader's to read
    agreed: list | None  # provisions with a status the committee agreed; None: likewise


def provisions(reader, goal: Goal, day=None) -> Provisions:
    day = day or agreements.today()
    themes = {t.lower() for t in goal.themes}
    qs = agreements.with_implementation(Provision.objects.all(), reader).order_by(
        "agreement__signed_on", "agreement_id", "order"
    )
    rows = [p for p in qs if p.category.strip().lower() in themes]
    for p in rows:
        p.impl = agreements.implementation(p, reader, day)
        p.disputed = disputed(p.impl)
    return Provisions(
        rows=rows,
        overdue=[p for p in rows if p.impl.standing.state == rule.OVERDUE],
        disputed=None if not audience.reads(reader, "assessment") else [p for p in rows if p.disputed],
        agreed=None if not audience.reads(reader, "agreed_status") else [p for p in rows if p.impl.current],
    )


def groups(reader) -> list[Group]:
    """The forces and groups registered; each with `.places`: where a party claims it is present,
    for readers of presence claims (the parties), else None."""
    found = list(audience.rows(reader, "force_group", Group.objects.order_by("id")))
    presence = audience.reads(reader, "presence")
    for g in found:
        g.places = sorted({p.text("place") for p in g.presence.all()}) if presence else None
    return found


def stages(reader) -> list[dict] | None:
    """Each plan's stages with their status as the reader may read it; None for a reader of none."""
    if not audience.reads(reader, "stage"):
        return None
    out = []
    for plan in Plan.objects.prefetch_related("stages"):
        rows = [{"stage": s, "status": queries.stage_status(reader, s)} for s in plan.stages.all()]
        done = [r for r in rows if r["status"] in (StageStatus.COMPLETE, StageStatus.IMBALANCE)]
        out.append({"plan": plan, "stages": rows, "complete": len(done)})
    return out


def awaiting(reader) -> list[Departure] | None:
    """The departures claimed that no concluded verification the reader may read has counted; each
    with `.verification`. None for a reader who may not read departures."""
    if not audience.reads(reader, "departure"):
        return None
    departures = list(Departure.objects.select_related("group").order_by("departed_on", "id"))
    found = verification.by_departure(departures, reader)
    out = []
    for d in departures:
        d.verification = found[d.id]
        if d.verification.verified is None:
            out.append(d)
    return out


def layers(reader, goal: Goal) -> list | None:
    """The committee's layers of the goal's kinds the reader reads (the parties: every version put
    forward; observers: binding ones); None when the goal has no layer or the reader reads none."""
    from ceasefire.zones import queries as zones

    if not goal.layer_kinds or not zones.reads_binding(reader):
        return None
    return [layer for layer in zones.layers(reader) if layer.kind in goal.layer_kinds]
