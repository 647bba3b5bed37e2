"""What needs a person now, and what needs their party: one list, asked by the dashboard, the
navigation's count, the API (GET /me/needs) and the mail (notify.py).

Each item is offered by the same refusal the command raises: a sign-off is listed for a person only
if `sign_refusal` would let them sign now, a position only if `position_refusal` would take it. An
item that waits for the person's party but that someone else of the party must do (the head's
position, the party's member on the team signing) is listed under the party. Through the audience
policy: a reader who does not read everything of the parties (an observer, the public) has nothing
listed, since each item is a party's business.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ceasefire import audience, days
from ceasefire.agreements import commands as agreement_commands
from ceasefire.agreements.models import Assessment
from ceasefire.incidents import chain, queries
from ceasefire.incidents import commands as report_commands
from ceasefire.incidents.models import Recommendation, RecommendationStatus, Report
from ceasefire.mechanism import commands as mechanism_commands
from ceasefire.mechanism import parity
from ceasefire.mechanism.models import ActionItem, ActionStatus, Decision
from ceasefire.mechanism.permissions import SEATED_ROLES, facilitates, may_update_action

# Each kind, most pressing first when two share a deadline; its label names the kind of thing only
# (what a mail may carry), never its content.
KINDS = {
    "sign": _("Findings to sign"),
    "confirm": _("An investigation report to confirm"),
    "investigate": _("A joint team's task: report the investigation"),
    "draft": _("A joint team's task: draft the findings"),
    "position": _("A position on a decision"),
    "assessment": _("A position on an implementation assessment"),
    "layer": _("A position on a version of a zone or line"),
    "imbalance": _("A position on an imbalance in the withdrawal"),
    "side": _("A side of a withdrawal stage to report"),
    "dispute": _("A dispute on a coming meeting's agenda"),
    "triage": _("A report to triage"),
    "task": _("A report waiting for its joint team"),
    "action": _("An action item your party owns"),
    "recommendation": _("A recommendation to your party"),
}
ORDER = {kind: i for i, kind in enumerate(KINDS)}
OPEN_ACTIONS = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
OPEN_RECOMMENDATIONS = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Need:
    kind: str
    key: str  # the item's identity: a person is told of each key once
    ref: str  # the reference people use (R-2026-0042, M-2026-0012 D-2): no content
    path: str  # where on the site it is done
    deadline: dt.date | None
    overdue: bool
    yours: bool  # the person may do it now; else their party waits for someone else of it
    title_ar: str = ""  # for the pages only, never for mail
    title_en: str = ""

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])

    def text(self, name: str) -> str:
        from ceasefire.mechanism.models import in_language

        return in_language(self, name)


@dataclass
class Needs:
    yours: list[Need] = field(default_factory=list)
    party: list[Need] = field(default_factory=list)
    acts: bool = True  # False: the reader (an observer, the public) has no part in the parties' business

    @property
    def count(self) -> int:
        return len(self.yours)


def _sorted(items: list[Need]) -> list[Need]:
    return sorted(items, key=lambda n: (n.deadline is None, n.deadline or dt.date.max, ORDER[n.kind], n.key))


class _Collector:
    def __init__(self, actor, today: dt.date):
        self.actor = actor
        self.today = today
        # A party's business waits on its seated delegates; a monitor acts for no party (party_of).
        self.party = actor.party if actor.party and actor.role in SEATED_ROLES else ""
        self.items: list[Need] = []
        self._targets = None

    def add(self, kind, key, ref, path, deadline, yours, awaits_party=False, title=None):
        if not (yours or awaits_party):
            return
        overdue = deadline is not None and deadline < self.today
        titles = {"title_ar": getattr(title, "title_ar", ""), "title_en": getattr(title, "title_en", "")}
        self.items.append(Need(kind, key, ref, path, deadline, overdue, bool(yours), **titles))

    def stage_due(self, r: Report) -> dt.date | None:
        if self._targets is None:
            self._targets = queries.targets()
        allowed = self._targets.get(r.status)
        # the deadline's day as the committee counts days (days.py), as today is
        return chain.due(r.stage_since, allowed).astimezone(days.zone()).date() if allowed else None

    # -------------------------------------------------------------- reports along the chain

    def reports(self):
        a, fac = self.actor, facilitates(self.actor)
        mine = Report.objects.filter(team__username=a.username)
        ours = Report.objects.filter(team__party=self.party) if self.party else Report.objects.none()
        chained = (mine | ours).filter(status__in=(chain.TASKED, chain.INVESTIGATED, chain.FINDINGS)).distinct()
        if fac:  # the facilitator signs every draft, and keeps the secretariat's steps
            chained = Report.objects.filter(status__in=(chain.RECEIVED, chain.INQUIRY, chain.FINDINGS))
        for r in chained.select_related("investigation").order_by("id"):
            self.report(r, fac)
        for r in (
            Report.objects.filter(status=chain.DISPUTED, agenda_item__meeting__ends_on__gte=self.today)
            .select_related("agenda_item__meeting")
            .order_by("id")
        ):
            self.dispute(r, fac)

    def report(self, r: Report, fac: bool):
        a, due = self.actor, self.stage_due(r)
        path = reverse("report", args=[r.reference])
        on_team = r.team.filter(username=a.username).exists()
        if r.status == chain.RECEIVED:
            self.add(
                "triage",
                f"triage:{r.id}",
                r.reference,
                path,
                due,
                report_commands.triage_refusal(a, r) is None,
                title=r,
            )
        elif r.status == chain.INQUIRY:
            self.add(
                "task", f"task:{r.id}", r.reference, path, due, report_commands.task_refusal(a, r) is None, title=r
            )
        elif r.status == chain.TASKED:
            deadline = r.team_due_on or due
            investigation = getattr(r, "investigation", None)
            if investigation is None:  # the team's task: one of them writes the investigation report
                yours = on_team and report_commands.investigate_refusal(a, r) is None
                ours = bool(self.party) and r.team.filter(party=self.party).exists()
                self.add("investigate", f"investigate:{r.id}", r.reference, path, deadline, yours, ours, title=r)
            else:  # written: every party on the team confirms it
                yours = report_commands.confirm_refusal(a, r) is None
                ours = self.party in chain.unconfirmed(
                    list(r.team.values_list("party", flat=True)),
                    investigation.confirmations.values_list("party", flat=True),
                )
                self.add(
                    "confirm", f"confirm:{r.id}:{investigation.id}", r.reference, path, deadline, yours, ours, title=r
                )
        elif r.status == chain.INVESTIGATED:
            yours = on_team and report_commands.draft_refusal(a, r) is None
            ours = bool(self.party) and r.team.filter(party=self.party).exists()
            self.add("draft", f"draft:{r.id}", r.reference, path, due, yours, ours, title=r)
        elif r.status == chain.FINDINGS:
            yours = report_commands.sign_refusal(a, r) is None
            ours = (
                bool(self.party)
                and not r.signoffs.filter(side=self.party).exists()
                and r.team.filter(party=self.party).exists()
            )
            self.add("sign", f"sign:{r.id}:{r.draft}", r.reference, path, due, yours, ours, title=r)

    def dispute(self, r: Report, fac: bool):
        """A dispute before a coming meeting: the facilitator puts a proposal to it (or settles, or
        records the disagreement); each party's speaker prepares its party's position."""
        a = self.actor
        if fac:
            yours = any(
                refuse(a, r) is None
                for refuse in (
                    report_commands.propose_refusal,
                    report_commands.settle_refusal,
                    report_commands.disagreement_refusal,
                )
            )
        else:
            yours = bool(self.party) and mechanism_commands.speaker_refusal(a) is None
        meeting = r.agenda_item.meeting
        path = reverse("report", args=[r.reference])
        self.add(
            "dispute",
            f"dispute:{r.id}:{r.agenda_item_id}",
            r.reference,
            path,
            meeting.starts_on,
            yours,
            bool(self.party),
            title=r,
        )

    # -------------------------------------------------------------- what the parties settle by consensus

    def decisions(self):
        if not self.party:
            return
        a = self.actor
        waiting = Decision.objects.filter(adopted=False).exclude(positions__party=self.party).select_related("meeting")
        for d in waiting.order_by("id"):
            if parity.Waiting(parity.NO_POSITION, self.party) not in d.waits(self.today):
                continue
            yours = mechanism_commands.position_refusal(a, d) is None
            path = reverse("meeting", args=[d.meeting.reference]) + f"#decision-{d.number}"
            ref = f"{d.meeting.reference} D-{d.number}"
            self.add("position", f"position:{d.id}", ref, path, d.meeting.ends_on, yours, True)

    def assessments(self):
        if not self.party:
            return
        a = self.actor
        for s in Assessment.objects.filter(agreed=False).exclude(positions__party=self.party).order_by("id"):
            if parity.Waiting(parity.NO_POSITION, self.party) not in s.waits(self.today):
                continue
            yours = agreement_commands.position_refusal(a, s) is None
            path = reverse("provision", args=[s.provision_id]) + f"#assessment-{s.id}"
            self.add("assessment", f"assessment:{s.id}", f"A-{s.id}", path, None, yours, True)

    def layer_versions(self):
        if not self.party:
            return
        from ceasefire.zones import commands as zone_commands
        from ceasefire.zones.models import LayerVersion

        waiting = (
            LayerVersion.objects.filter(binding=False).exclude(positions__party=self.party).select_related("layer")
        )
        for version in waiting.order_by("id"):
            if parity.Waiting(parity.NO_POSITION, self.party) not in version.waits(self.today):
                continue
            yours = zone_commands.position_refusal(self.actor, version) is None
            path = reverse("layer_version_by_id", args=[version.id])  # no party's words in a mailed link
            self.add("layer", f"layer:{version.id}", f"{version.layer_id} v{version.number}", path, None, yours, True)

    def withdrawal(self):
        """The withdrawal plan: an imbalance proposed on a stage that waits for the party's position
        (by `imbalance_waits`, the shared consensus), and a stage whose side of the party is
        not complete (by the stage's `waits`); each offered by the refusal its command raises."""
        if not self.party:
            return
        from ceasefire.forces import commands as forces
        from ceasefire.forces.models import Imbalance, Stage

        no_position = parity.Waiting(parity.NO_POSITION, self.party)
        waiting = (
            Imbalance.objects.filter(recorded=False)
            .exclude(positions__party=self.party)
            .select_related("stage")
            .prefetch_related("positions")
        )
        for imbalance in waiting.order_by("id"):
            stage = imbalance.stage
            if stage.complete or no_position not in forces.imbalance_waits(imbalance):
                continue
            yours = forces.imbalance_position_refusal(self.actor, imbalance) is None
            path = reverse("withdrawal") + f"#stage-{stage.id}"
            ref = f"S-{stage.id} I-{imbalance.id}"
            self.add("imbalance", f"imbalance:{imbalance.id}", ref, path, None, yours, True, title=stage)
        side_waits = parity.Waiting(parity.NOT_APPROVED, self.party)
        for stage in Stage.objects.prefetch_related("sides").order_by("plan", "order"):
            if side_waits not in forces.waits(stage) or forces.sequence_refusal(stage) is not None:
                continue  # done on the party's side, or not its turn yet: the plan is carried out in order
            yours = forces.side_refusal(self.actor, stage) is None
            path = reverse("withdrawal") + f"#stage-{stage.id}"
            self.add("side", f"side:{stage.id}", f"S-{stage.id}", path, None, yours, True, title=stage)

    # -------------------------------------------------------------- what a party owns

    def owned(self):
        if not self.party:
            return
        a = self.actor
        items = audience.rows(
            a, "action_item", ActionItem.objects.filter(owner_party=self.party, status__in=OPEN_ACTIONS)
        )
        for item in items.select_related("meeting").order_by("id"):
            path = reverse("meeting", args=[item.meeting.reference]) + f"#action-{item.id}"
            yours = may_update_action(a, item.owner_party_id)
            self.add(
                "action", f"action:{item.id}", f"{item.meeting.reference} #{item.id}", path, item.deadline, yours, True
            )
        recs = Recommendation.objects.filter(
            addressee_party=self.party, status__in=OPEN_RECOMMENDATIONS, report__status=chain.CONCLUDED
        ).select_related("report")
        for rec in recs.order_by("id"):
            path = reverse("report", args=[rec.report.reference]) + f"#recommendation-{rec.id}"
            yours = report_commands.recommendation_refusal(a, rec) is None
            self.add(
                "recommendation",
                f"recommendation:{rec.id}",
                rec.report.reference,
                path,
                rec.due_on,
                yours,
                True,
                title=rec.report,
            )


def collect(actor, today: dt.date | None = None) -> Needs:
    """What needs `actor` (yours) and what waits for their party from someone else of it (party),
    each most urgent first: by deadline, the overdue first, those without a deadline last."""
    if actor is None or not audience.everything(actor):
        return Needs(acts=False)
    from ceasefire.mechanism.models import Mechanism

    if Mechanism.current() is None:
        return Needs()
    c = _Collector(actor, today or mechanism_commands.today())
    c.reports()
    c.decisions()
    c.assessments()
    c.layer_versions()
    c.withdrawal()
    c.owned()
    return Needs(yours=_sorted([n for n in c.items if n.yours]), party=_sorted([n for n in c.items if not n.yours]))


CACHE_SECONDS = 300


def cached(actor) -> Needs:
    """`collect(actor)` for the pages and the API, kept until the record grows or the day turns:
    every item derives from the record's projections and today (the navigation asks on every page)."""
    if actor is None or not audience.everything(actor):
        return Needs(acts=False)
    from django.core.cache import cache

    from ceasefire.record.models import Event

    # The newest entry's hash names the record's state: a record rolled back and grown again differs.
    seq, body = Event.objects.order_by("-seq").values_list("seq", "body").first() or (-1, b"")
    today = mechanism_commands.today()
    state = hashlib.sha256(bytes(body)).hexdigest()[:32]
    key = f"needs:{actor.username}:{actor.role}:{actor.party}:{seq}:{state}:{today}"
    found = cache.get(key)
    if found is None:
        found = collect(actor, today)
        cache.set(key, found, CACHE_SECONDS)
    return found
