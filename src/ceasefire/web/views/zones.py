"""The committee's layers: their list, a version's page with every party's position, and the forms
to put a version forward and to give a party's position. What a reader sees is asked of
zones/queries.py (the audience policy): the parties every version, observers the binding ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceasefire.errors import CommandError, Invalid
from ceasefire.mechanism.models import Party
from ceasefire.zones import commands, geojson, queries
from ceasefire.zones.models import Kind, Layer

from .. import forms
from ..access import can_for
from .base import attempt, forbidden, form_page


def _layer_or_404(actor, code):
    try:
        return queries.layer(actor, code)
    except CommandError:
        raise Http404 from None


def _version_or_404(actor, code, number):
    try:
        return queries.version(actor, code, number)
    except CommandError:
        raise Http404 from None


@login_required
def layers(request):
    can = can_for(request)
    items = queries.layers(can.actor)
    for layer in items:
        # beside the binding version: the versions not binding, disputed or waiting (the parties')
        layer.pending = [v for v in layer.shown if not v.binding]
    context = {
        "section": "layers",
        "layers": items,
        "may_propose": commands.proposal_refusal(can.actor) is None,
        "reads_all": queries.reads_all(can.actor),
    }
    return render(request, "web/zones/list.html", context)


def version_context(version, can, form=None, saved=False):
    parties = list(Party.objects.order_by("order"))
    reads_all = queries.reads_all(can.actor)
    positions = {p.party_id: p for p in version.positions.all()} if reads_all else {}
    outcome = version.outcome()
    names = {p.code: p.text("name") for p in parties}
    mine = None
    if reads_all and commands.position_refusal(can.actor, version) is None:
        mine = form or forms.position_form(id_prefix=f"v{version.id}-", about=forms.about_layer_version(version))
        current = positions.get(can.actor.party)
        if form is None and current is not None:
            mine.initial = {"position": current.position}
    return {
        "version": version,
        "reads_all": reads_all,
        "rows": [{"party": p, "position": positions.get(p.code), "suspended": p.suspended} for p in parties],
        "waits": commands.waiting_for(version),
        "objected": [names[c] for c in outcome.objected_by] if reads_all else [],
        "position_form": mine,
        "saved": saved,
    }


@login_required
def layer(request, layer):
    found = _layer_or_404(can_for(request).actor, layer)
    if found.shown:
        return redirect("layer_version", found.code, (found.current or found.shown[0]).number)
    raise Http404


@login_required
def layer_version_by_id(request, pk):
    """A version named by its number in the record alone: what a mail links to, which must carry
    nothing of the content (a layer's code is a party's words)."""
    version = queries.versions(can_for(request).actor).filter(id=pk).first()
    if version is None:
        raise Http404
    return redirect("layer_version", version.layer_id, version.number)


@login_required
def layer_version(request, layer, number):
    can = can_for(request)
    found = _layer_or_404(can.actor, layer)
    version = _version_or_404(can.actor, layer, number)
    features = [
        {"names": f["properties"], "type": f["geometry"]["type"], "positions": _count(f["geometry"])}
        for f in version.geojson["features"]
    ]
    context = {
        "section": "layers",
        "layer": found,
        "others": [v for v in found.shown if v.id != version.id],
        "features": features,
        "bbox": geojson.bbox(version.geojson),
        "geojson_url": f"/api/v1/layers/{found.code}/versions/{version.number}",
        "may_propose": commands.proposal_refusal(can.actor) is None,
        **version_context(version, can),
    }
    return render(request, "web/zones/version.html", context)


def _count(g) -> int:
    def walk(c):
        return 1 if c and isinstance(c[0], (int, float)) else sum(walk(p) for p in c)

    if g["type"] == "GeometryCollection":
        return sum(_count(p) for p in g["geometries"])
    return walk(g["coordinates"])


def version_form(data=None, layer: Layer | None = None):
    fields = []
    if layer is None:
        fields += [
            forms.Field(
                "layer",
                _("Code of the layer"),
                required=True,
                lang="en",
                hint=_("Lower-case letters, digits and dashes, for example sirte-jufra."),
            ),
            forms.Field("kind", _("Kind"), kind="select", required=True, choices=[("", "—")] + list(Kind.choices)),
            forms.Field("name_ar", _("Name in Arabic"), lang="ar"),
            forms.Field("name_en", _("Name in English"), lang="en"),
        ]
    fields += [
        forms.Field(
            "geojson",
            _("GeoJSON"),
            kind="textarea",
            required=True,
            lang="en",
            rows=10,
            hint=_(
                "A FeatureCollection (RFC 7946), longitude first: polygons for an area, lines for a line, "
                "points for points. A feature may carry name_ar and name_en."
            ),
        ),
    ]
    if layer is None or layer.family != geojson.AREAS:
        fields.append(
            forms.Field(
                "within_km",
                _("Within (km)"),
                lang="en",
                hint=_("For a line or points: a report this near counts. 1 km if left empty."),
            )
        )
    fields += [
        forms.Field(
            "effective_from",
            _("Binds from"),
            kind="date",
            hint=_("The day it binds from once every party approves; empty: from that moment."),
        ),
        forms.Field("note", _("Note"), kind="textarea", bilingual=True, rows=2),
        forms._source(),
    ]
    return forms.Form(fields, data, submit=_("Put forward the version"))


def _propose(layer: Layer | None):
    def call(actor, data):
        data = dict(data)
        if layer is not None:
            data["layer"] = layer.code
        try:
            return commands.propose_version(actor, data)
        except Invalid as e:  # the form has one box for the GeoJSON: the fault's place goes in the message
            if e.field and e.field.startswith("geojson."):
                # the place isolated (FSI…PDI), so that it reads left to right inside Arabic
                raise Invalid(f"{e.message} \u2014 \u2068{e.field.removeprefix('geojson.')}\u2069", "geojson") from None
            raise

    return call


PROPOSAL_INTRO = gettext_lazy(
    "A version binds only when every party approves it. Your party's version is put forward in its name, with its approval."
)


@login_required
def layer_version_new(request):
    can = can_for(request)
    code = request.GET.get("layer") or ""  # the form posts back to its own address, ?layer= included
    existing = Layer.objects.filter(code=code).first() if code else None
    if existing is not None and not queries.reads_all(can.actor):
        existing = None
    title = _("New version of %(name)s") % {"name": existing.text("name")} if existing else _("Put forward a layer")
    return form_page(
        request,
        form_factory=lambda data: version_form(data, existing),
        call=_propose(existing),
        allowed=commands.proposal_refusal(can.actor) is None,
        title=title,
        intro="" if can.facilitate else str(PROPOSAL_INTRO),
        back=reverse("layers"),
        success=lambda v: reverse("layer_version", args=[v.layer_id, v.number]),
        done=_("The version has been put forward."),
        section="layers",
    )


@login_required
def layer_position(request, layer, number):
    can = can_for(request)
    if not queries.reads_all(can.actor):
        return forbidden(request)
    version = _version_or_404(can.actor, layer, number)
    url = reverse("layer_version", args=[layer, number])
    if request.method != "POST":
        return redirect(url)
    form = forms.position_form(request.POST, id_prefix=f"v{version.id}-", about=forms.about_layer_version(version))
    result, status = attempt(request, form, lambda actor, data: commands.take_position(actor, version.id, data))
    if status is None:
        messages.success(request, _("Your party's position has been recorded."))
        if result.binding:
            messages.success(request, _("Every party has approved it: this version binds now."))
        return redirect(url)
    found = _layer_or_404(can.actor, layer)
    context = {
        "section": "layers",
        "layer": found,
        "others": [v for v in found.shown if v.id != version.id],
        "features": [],
        "bbox": geojson.bbox(version.geojson),
        "geojson_url": f"/api/v1/layers/{found.code}/versions/{version.number}",
        **version_context(version, can, form=form),
    }
    if context["position_form"] is None:
        context["card_errors"] = [message for _id, _label, message in form.error_list()]
    return render(request, "web/zones/version.html", context, status=status)
