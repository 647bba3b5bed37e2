"""The military track: an overview of its three goals and a page per goal, gathered from what the
record already holds (ceasefire.forces.track says which). Thin views."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ceasefire.agreements.queries import today
from ceasefire.forces import queries as forces
from ceasefire.forces import track

from ..access import can_for
from .agreements import sees

SECTION = "track"


@login_required
def overview(request):
    actor = can_for(request).actor
    day = today()
    goals = [{"goal": g, "provisions": track.provisions(actor, g, day)} for g in track.GOALS.values()]
    progress = forces.progress(actor)
    context = {
        "section": SECTION,
        "goals": goals,
        "goal_list": track.GOALS.values(),
        "progress": progress["overall"] if progress else None,
        "claims": forces.claims_named(progress["overall"]) if progress else [],
        "groups": len(track.groups(actor)),
        "sees": sees(actor),
    }
    return render(request, "web/track/overview.html", context)


@login_required
def goal(request, goal):
    found = track.GOALS.get(goal)
    if found is None:
        raise Http404
    actor = can_for(request).actor
    context = {
        "section": SECTION,
        "goal": found,
        "goal_list": track.GOALS.values(),
        "provisions": track.provisions(actor, found),
        "sees": sees(actor),
    }
    if found.slug == track.SOVEREIGNTY:
        context["groups"] = track.groups(actor)
    if found.slug == track.WITHDRAWAL:
        context["plans"] = track.stages(actor)
        context["progress"] = progress = forces.progress(actor)
        context["claims"] = forces.claims_named(progress["overall"]) if progress else []
        context["awaiting"] = track.awaiting(actor)
    if found.slug == track.BORDERS:
        from ceasefire import audience
        from ceasefire.routes import queries as routes
        from ceasefire.routes.models import Route

        rows = list(Route.objects.all())
        for r in rows:
            r.current = routes.current(actor, r)
            pending = routes.pending(actor, r)
            r.disputed = bool(pending) and any(c.disputed for c in pending)
        context["routes"] = rows
        context["reads_route_status"] = audience.reads(actor, "route_status", "agreed")
    if found.layer_kinds:
        context["layers"] = track.layers(actor, found)
    return render(request, "web/track/goal.html", context)
