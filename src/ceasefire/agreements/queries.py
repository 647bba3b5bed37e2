"""The reads of implementation shared by the API and the pages: each asks the rule
(implementation.standing) through these, with what the reader may read (ceasefire.audience)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from ceasefire import audience
from ceasefire.days import today as today  # the committee's today, one rule (ceasefire/days.py)

from . import implementation as rule
from .models import AgreedStatus, Assessment, Condition, Provision


@dataclass
class Implementation:
    """How far a provision is implemented, as a reader may read it."""

    standing: rule.Standing
    current: AgreedStatus | None  # the committee's status as it stands
    history: list[AgreedStatus] | None  # every agreed status, newest first; None: not the reader's to read
    assessments: list[Assessment] | None  # every assessment put forward, newest first; None: likewise
    condition: Condition | None  # the event its deadline depends on, as it stands
    conditions: list[Condition]  # every recording of it, newest first

    @property
    def agreed(self) -> bool | None:
        return None if self.history is None else self.current is not None

    @property
    def pending(self) -> list[Assessment]:
        """The assessments not (yet) the committee's: they stand side by side."""
        return [a for a in self.assessments or () if not a.agreed]


def with_implementation(provisions, reader):
    """A queryset of provisions with what `implementation` reads, prefetched for the reader."""
    qs = provisions.select_related("agreement").prefetch_related(
        Prefetch("conditions", queryset=Condition.objects.order_by("-id"))
    )
    if audience.reads(reader, "agreed_status"):
        qs = qs.prefetch_related(Prefetch("agreed_statuses", queryset=AgreedStatus.objects.order_by("-as_of", "-id")))
    if audience.reads(reader, "assessment"):
        qs = qs.prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("party")
                .prefetch_related("positions")
                .order_by("-as_of", "-id"),
            )
        )
    return qs


def implementation(provision: Provision, reader, day: dt.date) -> Implementation:
    """The provision's standing on `day` (the rule in implementation.standing), its committee's
    status and history, and the assessments put forward, each as far as `reader` may read it."""
    # Worked out once per answer (the API's fields each ask), for this audience and day.
    cache = provision.__dict__.setdefault("_implementation", {})
    key = (audience.audience(reader), day)
    if key not in cache:
        history = None
        if audience.reads(reader, "agreed_status"):
            history = sorted(provision.agreed_statuses.all(), key=lambda a: (a.as_of, a.id), reverse=True)
        found = rule.status_on([rule.Agreed(a.as_of, a.id, a.status) for a in history or ()], day)
        current = next((a for a in history if a.id == found.seq), None) if found else None
        conditions = sorted(provision.conditions.all(), key=lambda c: c.id, reverse=True)
        condition = conditions[0] if conditions else None
        assessments = None
        if audience.reads(reader, "assessment"):
            assessments = sorted(provision.assessments.all(), key=lambda a: (a.as_of, a.id), reverse=True)
        cache[key] = Implementation(
            standing=rule.standing(
                provision.due_on, day, current.status if current else None, condition.status if condition else None
            ),
            current=current,
            history=history,
            assessments=assessments,
            condition=condition,
            conditions=conditions,
        )
    return cache[key]


@dataclass
class Rollup:
    """An agreement's implementation on each milestone day: overall and per theme."""

    days: list[dt.date]
    overall: list[rule.Share]  # one per day
    themes: list[tuple[str, list[rule.Share]]]  # (theme, one per day), in the agreement's order
    today: rule.Share


def rollup(agreement, day: dt.date) -> Rollup:
    """The share of the agreement's provisions at each level, as the committee's agreed statuses
    give it: on `day`, and at the end of each year since signature. Only for readers of the
    committee's statuses (the caller checks)."""
    provisions = list(agreement.provisions.order_by("order").values_list("id", "category"))
    histories: dict[int, list] = {}
    for pid, as_of, seq, status in AgreedStatus.objects.filter(provision__agreement=agreement).values_list(
        "provision_id", "as_of", "id", "status"
    ):
        histories.setdefault(pid, []).append(rule.Agreed(as_of, seq, status))
    first = agreement.signed_on or min((a.as_of for h in histories.values() for a in h), default=day)
    days = rule.milestones(first, day)
    overall, per_theme = [], {}
    for d in days:
        total, themes = rule.rollup(provisions, histories, d)
        overall.append(total)
        for theme, s in themes.items():
            per_theme.setdefault(theme, []).append(s)
    return Rollup(days=days, overall=overall, themes=list(per_theme.items()), today=overall[-1])
