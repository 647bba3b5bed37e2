"""The joint record as people check it: the list of events, one event with its proof of inclusion,
the witnesses and their keys, and a plain explanation of what all this proves.

Nothing here decides anything: proofs come from record.tree, verification from record.merkle,
who may read what from record.log and mechanism.permissions, key registration from the command.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from ceasefire.audience import entry_actor
from ceasefire.errors import Invalid
from ceasefire.mechanism import commands, permissions
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import Party, WitnessKey
from ceasefire.mechanism.witnesses import witnesses
from ceasefire.record import checkpoints, log, merkle, note, tree
from ceasefire.record.models import Checkpoint, Event

from .. import forms
from ..access import can_for
from ..templatetags.web import event_label
from .base import form_page

PER_PAGE = 50


def audience_of(request) -> str:
    return permissions.audience(actor_for(request.user))


# The list of events.


@login_required
def record(request):
    audience = audience_of(request)
    events = Event.objects.order_by("-seq")
    # Only the types this reader may read are offered as a filter: a filter on a withheld type
    # would tell which entries are of that type.
    # order_by(): without it the model's default ordering makes DISTINCT run over (type, seq).
    present = Event.objects.order_by().values_list("type", flat=True).distinct()
    types = sorted((t for t in present if log.readable(t, audience)), key=lambda t: (str(event_label(t)), t))
    chosen = request.GET.get("type", "")
    if chosen not in types:  # only a type the record holds reaches the database
        chosen = ""
    if chosen:
        events = events.filter(type=chosen)
    total = Event.objects.count()
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.readable = log.readable(event.type, audience)
        event.shown_actor = entry_actor(actor_for(request.user), event) if event.readable else ""
    context = {
        "section": "record",
        "page": page,
        "types": types,
        "chosen": chosen,
        "party_names": {p.code: p.text("name") for p in Party.objects.all()},
        "total": total,
        "shown": page.paginator.count if chosen else total,
    }
    return render(request, "web/record.html", context)


# One event and its proof.


def api_links(seq: int, size: int) -> list[tuple[str, str]]:
    """The API addresses (open without login) a reader can fetch to check the proof with their own tools.

    Found by the routes' names, which are their view functions' (api/routers/record.py); one that
    does not exist is left out rather than guessed.
    """
    wanted = [
        (_("The signed checkpoint, with its cosignatures"), "checkpoint", {}),
        (_("The proof that this event is in it"), "inclusion_proof", {"index": seq, "size": size}),
        (_("The event itself, as the record holds it"), "entries", {"start": seq, "end": seq + 1}),
        (_("The committee's log key"), "log_key", {}),
    ]
    out = []
    for label, name, query in wanted:
        if name == "inclusion_proof" and not size:  # no checkpoint covers the event yet: no proof
            continue
        try:
            url = reverse(f"api:{name}")
        except NoReverseMatch:
            continue
        out.append((label, url + ("?" + urlencode(query) if query else "")))
    return out


@dataclass
class Inclusion:
    """What the server found when it checked the event against the newest checkpoint."""

    checkpoint: Checkpoint | None
    proof: list[bytes] = field(default_factory=list)
    verified: bool = False
    signed: bool = False  # the checkpoint's note verifies against the log key
    problem: str = ""


def check_inclusion(seq: int, leaf: bytes) -> Inclusion:
    cp = checkpoints.current()
    if cp is None or seq >= cp.size:
        return Inclusion(cp)
    out = Inclusion(cp)
    try:
        out.proof = tree.inclusion_proof(seq, cp.size)
    except (ValueError, RuntimeError) as e:  # a damaged tree is shown as such, not as a 500
        out.problem = str(e)
        return out
    out.verified = merkle.verify_inclusion(leaf, seq, cp.size, out.proof, bytes(cp.root))
    try:
        parsed, _cosigners = note.verify_checkpoint(cp.note, checkpoints.log_vkey())
        out.signed = parsed.size == cp.size and parsed.root == bytes(cp.root)
    except ValueError as e:
        out.problem = str(e)
    return out


@login_required
def event(request, seq):
    ev = get_object_or_404(Event, seq=seq)
    audience = audience_of(request)
    leaf = merkle.leaf_hash(bytes(ev.body))
    inclusion = check_inclusion(ev.seq, leaf)
    cp = inclusion.checkpoint
    holders = witnesses()
    for h in holders:
        h.includes_event = h.covers(ev.seq)
        h.retired_includes_event = h.retired_covers(ev.seq)
        h.on_checkpoint = cp is not None and h.newest is not None and h.newest.size >= cp.size
    context = {
        "section": "record",
        "event": ev,
        "readable": log.readable(ev.type, audience),
        "actor": entry_actor(actor_for(request.user), ev),
        "leaf": leaf,
        "inclusion": inclusion,
        "checkpoint": cp,
        "served": checkpoints.served(cp) if cp else "",
        "pending": cp is None or ev.seq >= cp.size,
        "holders": holders,
        "api": api_links(ev.seq, cp.size if cp else 0),
        "log_vkey": checkpoints.log_vkey(),
        "party_names": {p.code: p.text("name") for p in Party.objects.all()},
        "newer": Event.objects.filter(seq=ev.seq + 1).exists(),
    }
    return render(request, "web/event.html", context)


@login_required
def explained(request):
    return render(request, "web/explained.html", {"section": "record", "log_vkey": checkpoints.log_vkey()})


# Witness keys.


def may_register(request, party: Party | None) -> bool:
    return can_for(request).register_witness_key(party.code if party else None)


@login_required
def witness_keys(request):
    holders = witnesses()
    for h in holders:
        h.may_register = may_register(request, h.party)
        h.form = forms.witness_key_form(id_prefix=f"{h.anchor}-") if h.may_register else None
        h.register_url = _register_url(h.party)
    context = {
        "section": "record",
        "holders": holders,
        "size": log.size(),
        "latest": checkpoints.latest(),
        "log_vkey": checkpoints.log_vkey(),
    }
    return render(request, "web/witnesses.html", context)


def _register_url(party):
    return reverse("witness_key_party", args=[party.code]) if party else reverse("witness_key_mission")


PRIVATE_PREFIX = "PRIVATE+KEY+"


def _pasted_private_key(data) -> bool:
    return (data.get("vkey") or "").strip().startswith(PRIVATE_PREFIX)


def _key_form(data=None):
    """The form, never holding a private key pasted by mistake: the page that says so must not
    send the secret back to the browser (its history, a proxy's cache, a screenshot)."""
    if data is not None and _pasted_private_key(data):
        data = data.copy()
        data["vkey"] = ""
    return forms.witness_key_form(data)


def _register(request, party: Party | None):
    code = party.code if party else ""
    keys = WitnessKey.objects.filter(party_id=code or None, retired_at__isnull=True)

    def call(actor, data):
        if _pasted_private_key(request.POST) and may_register(request, party):  # the role first, as elsewhere
            raise Invalid(
                _(
                    "This is the witness's private key: it must never leave its machine. Make a new key "
                    "there (this one has been seen), and paste its verifier key, the line without PRIVATE+KEY."
                ),
                "vkey",
            )
        return commands.register_witness_key(actor, {"party": code, "vkey": data.get("vkey", "")})

    return form_page(
        request,
        form_factory=_key_form,
        call=call,
        allowed=may_register(request, party),
        title=(
            _("Register the witness key of %(party)s") % {"party": party.text("name")}
            if party
            else _("Register the mission's witness key")
        ),
        intro=_(
            "Paste the verifier key that your witness printed when its key was made on your own machine. "
            "The private key never leaves that machine."
        ),
        back=reverse("witnesses"),
        success=lambda key: reverse("witnesses") + ("#witness-" + code if code else "#witness-mission"),
        done=_("The witness key has been registered."),
        section="record",
        template="web/witness_key_form.html",
        extra={"current_key": keys.first()},
    )


@login_required
def witness_key_party(request, code):
    return _register(request, get_object_or_404(Party, code=code))


@login_required
def witness_key_mission(request):
    return _register(request, None)
