"""What the API and the pages read of the withdrawal, as each reader may read it."""

from ceasefire import audience
from ceasefire.agreements.queries import today

from . import verification, withdrawal
from .models import Departure, Group, Stage, StageStatus


def stage_status(reader, stage: Stage) -> str | None:
    """A stage's status as the reader may read it: the parties read each side's word (in progress);
    observers only whether the committee recorded it complete, and how; the public neither."""
    if audience.reads(reader, "stage", "sides"):
        return stage.status
    if audience.reads(reader, "stage", "completion"):
        return stage.status if stage.complete else StageStatus.PENDING
    return None


def progress(reader) -> dict | None:
    """Departures claimed and verified, per group and overall, over time; None for a reader who may
    not read departures. Verified counts only from verifications the reader may read."""
    rows = departed(reader)
    if rows is None:
        return None
    result = withdrawal.progress(rows, today())
    result["names"] = {g.id: g.text("name") for g in Group.objects.filter(id__in=result["groups"])}
    return result


def departed(reader) -> list[withdrawal.Departed] | None:
    """Every departure the reader may read, with what the monitors verified of it as the reader may
    read that (the progress page's rows and the situation report's); None for a reader who may not."""
    if not audience.reads(reader, "departure"):
        return None
    departures = list(Departure.objects.select_related("group"))
    found = verification.by_departure(departures, reader)
    return [
        withdrawal.Departed(
            d.group_id, d.departed_on, d.claimed, found[d.id].verified, d.claimed_by_id or withdrawal.MISSION
        )
        for d in departures
    ]


def claimant_names() -> dict[str, str]:
    """How a claimant is named: a party by its name, the mission (monitors, the facilitator) as such."""
    from django.utils.translation import gettext as _

    from ceasefire.mechanism.models import Party

    names = {p.code: p.text("name") for p in Party.objects.all()}
    names[withdrawal.MISSION] = _("The mission")
    return names


def claims_named(tally: withdrawal.Tally, names: dict | None = None) -> list[dict]:
    """A tally's claims as the pages show them: each claimant by name, side by side."""
    names = claimant_names() if names is None else names
    return [
        {"name": names.get(c.claimant, c.claimant), "claimed": c.claimed, "departures": c.departures}
        for c in tally.claims
    ]


def _tally(t: withdrawal.Tally) -> dict:
    return {
        "claims": [
            {"claimant": c.claimant or None, "claimed": c.claimed, "departures": c.departures} for c in t.claims
        ],
        "verified": t.verified,
        "departures": t.departures,
        "verified_departures": t.verified_departures,
    }


def progress_out(reader) -> dict:
    from django.utils.translation import gettext as _

    from ceasefire.errors import Forbidden

    result = progress(reader)
    if result is None:
        raise Forbidden(_("Departures are read by the parties and the observers."))
    return {
        "on": result["on"],
        "overall": _tally(result["overall"]),
        "groups": [
            {"group": g, "name": result["names"].get(g, ""), "tally": _tally(t)} for g, t in result["groups"].items()
        ],
        "over_time": [{"on": day, "tally": _tally(t)} for day, t in result["over_time"]],
    }
