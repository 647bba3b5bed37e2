"""The committee itself: parties, seats, members and their history, suspensions."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ceasefire.mechanism import commands
from ceasefire.mechanism.models import Mechanism, Member, Party

from .. import forms
from ..access import can_for
from .base import form_page
from .overview import delegations


@login_required
def mechanism(request):
    m = Mechanism.current()
    if m is None:
        return render(request, "web/mechanism.html", {"mechanism": None, "section": "mechanism"})
    parties = list(m.parties.order_by("order").prefetch_related("suspensions"))
    delegation_list, balanced = delegations(parties)
    can = can_for(request)
    for d in delegation_list:
        d["may_speak"] = can.speak_on_participation(d["party"])
    members = list(
        Member.objects.select_related("party", "predecessor").order_by(
            F("party__order").asc(nulls_last=True), F("seat").asc(nulls_last=True), "tenure_start", "id"
        )
    )
    successors = {m.predecessor_id: m for m in members if m.predecessor_id}
    for member in members:
        member.followed_by = successors.get(member.id)
    context = {
        "mechanism": m,
        "section": "mechanism",
        "delegations": delegation_list,
        "balanced": balanced,
        "others": [x for x in members if x.current and not (x.party_id and x.seat)],
        "history": members,
    }
    return render(request, "web/mechanism.html", context)


def _back():
    return reverse("mechanism")


@login_required
def member_new(request):
    return form_page(
        request,
        form_factory=forms.member_form,
        call=commands.appoint_member,
        allowed=can_for(request).facilitate,
        title=_("Appoint a member"),
        intro=_("A seat that is held must be filled by replacing its holder instead."),
        back=_back(),
        success=lambda m: reverse("mechanism") + f"#member-{m.id}",
        done=_("The member has been appointed."),
        section="mechanism",
    )


@login_required
def member_replace(request, pk):
    member = get_object_or_404(Member.objects.select_related("party"), pk=pk)

    def call(actor, data):
        on = data.pop("on", "")
        return commands.replace_member(actor, member.id, {"on": on, "successor": data})

    return form_page(
        request,
        form_factory=forms.replace_form,
        call=call,
        allowed=can_for(request).facilitate,
        unavailable="" if member.current else _("This member's tenure has already ended."),
        title=_("Replace %(name)s") % {"name": member.name},
        intro=_("The successor takes the same seat and role; the predecessor's tenure ends the same day."),
        back=_back(),
        success=lambda m: reverse("mechanism") + f"#member-{m.id}",
        done=_("The member has been replaced."),
        section="mechanism",
        extra={"member": member},
    )


@login_required
def member_end(request, pk):
    member = get_object_or_404(Member.objects.select_related("party"), pk=pk)
    return form_page(
        request,
        form_factory=forms.end_tenure_form,
        call=lambda actor, data: commands.end_tenure(actor, member.id, data),
        allowed=can_for(request).facilitate,
        unavailable="" if member.current else _("This member's tenure has already ended."),
        title=_("End the tenure of %(name)s") % {"name": member.name},
        intro=_("The seat becomes vacant. To seat a successor at once, replace the member instead."),
        back=_back(),
        success=lambda m: reverse("mechanism") + f"#member-{m.id}",
        done=_("The tenure has ended."),
        section="mechanism",
        extra={"member": member},
    )


@login_required
def party_suspend(request, code):
    party = get_object_or_404(Party, code=code)
    return form_page(
        request,
        form_factory=forms.suspend_form,
        call=lambda actor, data: commands.suspend_participation(actor, party.code, data),
        allowed=can_for(request).speak_on_participation(party),
        unavailable=_("This party's participation is already suspended.") if party.suspended else "",
        title=_("Suspend the participation of %(party)s") % {"party": party.text("name")},
        intro=_("The record goes on; decisions that need this party wait for its return."),
        back=_back(),
        success=lambda p: reverse("mechanism") + f"#party-{p.code}",
        done=_("The suspension has been recorded."),
        section="mechanism",
    )


@login_required
def party_resume(request, code):
    party = get_object_or_404(Party, code=code)
    return form_page(
        request,
        form_factory=forms.resume_form,
        call=lambda actor, data: commands.resume_participation(actor, party.code, data),
        allowed=can_for(request).speak_on_participation(party),
        unavailable="" if party.suspended else _("This party's participation is not suspended."),
        title=_("Resume the participation of %(party)s") % {"party": party.text("name")},
        back=_back(),
        success=lambda p: reverse("mechanism") + f"#party-{p.code}",
        done=_("The return has been recorded."),
        section="mechanism",
    )
