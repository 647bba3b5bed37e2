"""The record's own pages: one event with its proof of inclusion, the witnesses and their keys,
the explainer, and the witnesses' state on the dashboard."""

import base64
import html as html_lib
import re
import time

import pytest
from django.urls import reverse

from ceasefire.mechanism import commands
from ceasefire.mechanism.models import WitnessKey
from ceasefire.record import checkpoints, merkle, note, tree
from ceasefire.record.models import Event

from .a11y import problems
from .test_bad_input import field_error, refused

pytestmark = pytest.mark.django_db


def get(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def section(html, heading_id) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.find("</section>", start)]


def text(html) -> str:
    """The words of a fragment, tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def b64(h) -> str:
    return base64.b64encode(bytes(h)).decode()


def witness(actor, party, name):
    """A witness key made on the party's machine, its verifier key registered in the record."""
    skey, vkey = note.generate_cosigner_key(name)
    commands.register_witness_key(actor, {"party": party, "vkey": vkey})
    return skey, vkey


def cosign(cp, skey, vkey):
    """What the party's witness does once it has checked `cp`: cosign it and send the cosignature back."""
    body = note.parse_note(cp.note)[0]
    line = note.cosign(body, skey, int(time.time()))
    checkpoints.add_cosignatures(note.add_signatures(cp.note, [line]), [vkey])


# One event.


def test_an_event_shows_its_content_its_fingerprint_and_a_verified_inclusion(world, clients):
    seq = world["minutes_seq"]
    checkpoints.sign_now()  # as the server does every CHECKPOINT_EVERY_SECONDS
    html = get(clients["west-member"], reverse("event", args=[seq]))
    body = bytes(Event.objects.get(seq=seq).body)
    assert b64(merkle.leaf_hash(body)) in html
    assert "Opened at 10:00." in html  # the minutes, readable by the parties
    cp = checkpoints.latest()
    assert cp.size > seq
    inclusion = text(section(html, "h-inclusion"))
    assert "Verified." in inclusion and "Not verified" not in inclusion
    assert f"entry {seq} among the {cp.size} entries" in inclusion
    assert b64(cp.root) in html
    for h in tree.inclusion_proof(seq, cp.size):
        assert b64(h) in html
    assert checkpoints.log_vkey() in html
    assert "ceasefire record verify" in html
    assert f"/api/v1/record/proof/inclusion?index={seq}&amp;size={cp.size}" in html
    assert "/api/v1/record/checkpoint" in html
    assert reverse("record_explained") in html


def test_an_event_withheld_from_the_readers_audience_shows_only_its_fingerprint(world, clients):
    seq = world["minutes_seq"]
    checkpoints.sign_now()
    html = get(clients["observer"], reverse("event", args=[seq]))
    content = text(section(html, "h-content"))
    assert "Withheld from your audience." in content
    assert "Opened at 10:00." not in html and "meeting.minutes" not in html
    assert b64(merkle.leaf_hash(bytes(Event.objects.get(seq=seq).body))) in html
    assert "Verified." in text(section(html, "h-inclusion"))  # the proof does not need the content

    # The list withholds it too, and offers no filter that would single its type out.
    listing = get(clients["observer"], reverse("record") + "?page=1")
    assert "Opened at 10:00." not in listing
    assert 'value="meeting.minutes"' not in listing
    assert 'value="meeting.minutes"' in get(clients["west-member"], reverse("record"))


def test_an_event_newer_than_the_latest_checkpoint_says_so(world, actors, clients):
    signed = checkpoints.sign_now().size
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "One more item"})
    seq = Event.objects.order_by("-seq").first().seq
    html = get(clients["west-head"], reverse("event", args=[seq]))
    inclusion = text(section(html, "h-inclusion"))
    assert "This event is newer than the latest checkpoint" in inclusion
    assert f"first {signed} events" in inclusion
    assert "Verified." not in inclusion


def test_an_inclusion_that_does_not_verify_is_shown_as_such(world, clients, monkeypatch):
    checkpoints.sign_now()
    monkeypatch.setattr(tree, "inclusion_proof", lambda seq, size: [b"\x00" * 32] * 6)
    html = get(clients["observer"], reverse("event", args=[1]))
    inclusion = section(html, "h-inclusion")
    assert 'role="alert"' in inclusion and "Not verified." in text(inclusion)


def test_an_unknown_event_is_404(world, clients):
    assert clients["observer"].get(reverse("event", args=[999999])).status_code == 404


def test_the_witnesses_that_cosigned_are_named_on_the_event_page(world, actors, clients):
    west_skey, west_vkey = witness(actors["west-head"], "west", "west.example/witness")
    witness(actors["facilitator"], "", "unsmil.example/witness")  # registered, never cosigns
    cp = checkpoints.sign_now()
    cosign(cp, west_skey, west_vkey)
    html = get(clients["east-member"], reverse("event", args=[3]))
    rows = {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="witness-([a-z]+)">(.*?)</tr>', html, re.S)}
    assert "cosigned this checkpoint" in rows["west"]
    assert "no key registered" in rows["east"]
    assert "not yet cosigned" in rows["mission"]

    # A later checkpoint that the west has not cosigned yet: its earlier one still contains event 3.
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "Later"})
    checkpoints.sign_now()
    html = get(clients["east-member"], reverse("event", args=[3]))
    rows = {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="witness-([a-z]+)">(.*?)</tr>', html, re.S)}
    assert "cosigned a checkpoint that contains it" in rows["west"]
    assert f"of {cp.size} events" in rows["west"]


# The dashboard.


def test_the_dashboard_shows_how_far_each_witness_is_behind(world, actors, clients):
    west_skey, west_vkey = witness(actors["west-head"], "west", "west.example/witness")
    witness(actors["facilitator"], "", "unsmil.example/witness")
    cp = checkpoints.sign_now()
    cosign(cp, west_skey, west_vkey)
    html = section(get(clients["observer"], reverse("dashboard")), "h-witnesses")
    rows = {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="dash-witness-([a-z]+)">(.*?)</tr>', html, re.S)}
    # Its first cosignature is a starting point: nothing earlier was compared, so not "up to date".
    assert "first checkpoint" in rows["west"] and f"{cp.size} events" in rows["west"]
    assert "what came before it was not compared" in rows["west"] and "up to date" not in rows["west"]
    assert "no key registered" in rows["east"]
    assert "has never cosigned" in rows["mission"]
    assert reverse("record_explained") in html

    # Its second cosignature extends the first: now it is up to date, with no caveat.
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "Next"})
    cp = checkpoints.sign_now()
    cosign(cp, west_skey, west_vkey)
    html = section(get(clients["observer"], reverse("dashboard")), "h-witnesses")
    rows = {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="dash-witness-([a-z]+)">(.*?)</tr>', html, re.S)}
    assert "up to date" in rows["west"] and f"{cp.size} events" in rows["west"]
    assert "not compared" not in rows["west"]

    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "Another"})
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "And another"})
    html = section(get(clients["observer"], reverse("dashboard")), "h-witnesses")
    rows = {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="dash-witness-([a-z]+)">(.*?)</tr>', html, re.S)}
    assert "3 events behind" in rows["west"]  # the two, and the entry recording its cosignature before them


def test_the_dashboard_in_arabic_names_the_witness_states(world, clients):
    c = clients["observer"]
    c.cookies["django_language"] = "ar"
    html = section(get(c, reverse("dashboard")), "h-witnesses")
    assert "شهود السجل" in html and "لا يوجد مفتاح مسجّل" in html


# Witness keys.


def test_a_head_of_delegation_registers_its_witness_key_through_the_form(world, clients, events):
    page = get(clients["west-head"], reverse("witnesses"))
    url = reverse("witness_key_party", args=["west"])
    assert f'action="{url}"' in page
    assert reverse("witness_key_party", args=["east"]) not in page and reverse("witness_key_mission") not in page
    _, vkey = note.generate_cosigner_key("west.example/witness")
    before = events()
    response = clients["west-head"].post(url, {"vkey": vkey})
    assert response.status_code == 302 and response["Location"] == reverse("witnesses") + "#witness-west"
    assert events() == before + 1
    key = WitnessKey.objects.get(party_id="west")
    assert key.vkey == vkey and key.active and key.registered_by == "west-head"

    # A second key retires the first; both are listed.
    _, newer = note.generate_cosigner_key("west.example/witness")
    clients["west-head"].post(url, {"vkey": newer})
    page = section(get(clients["observer"], reverse("witnesses")), "h-witness-west")
    assert newer in page and vkey in page and "Retired keys" in page
    assert page.index(newer) < page.index("Retired keys") < page.index(vkey)


def test_a_bad_key_comes_back_with_the_error_next_to_the_field(world, clients, events):
    url = reverse("witness_key_party", args=["west"])
    html = refused(clients["west-head"], url, {"vkey": "not a key"}, events)
    assert "is not a verifier key" in field_error(html, "vkey")
    assert 'value="not a key"' in html
    assert problems(html) == []

    _, log_like = note.generate_key("log.example/other")
    html = refused(clients["west-head"], url, {"vkey": log_like}, events)
    assert "cosignature/v1" in field_error(html, "vkey")

    html = refused(clients["west-head"], url, {"vkey": ""}, events)
    field_error(html, "vkey")


def test_a_private_key_pasted_by_mistake_is_refused_and_not_sent_back(world, clients, events):
    skey, _ = note.generate_cosigner_key("west.example/witness")
    url = reverse("witness_key_party", args=["west"])
    html = refused(clients["west-head"], url, {"vkey": skey}, events)
    assert "private key" in field_error(html, "vkey")
    secret = skey.split("+", 4)[4]  # PRIVATE+KEY+name+hash+key: the key's base64 may hold a "+" itself
    assert skey not in html and secret not in html
    # Someone else's role still comes first, and the key is not echoed there either.
    html = refused(clients["east-head"], url, {"vkey": skey}, events, status=403)
    assert secret not in html


def test_the_mission_key_is_the_facilitators_and_a_party_key_its_speakers(world, clients, events):
    _, vkey = note.generate_cosigner_key("unsmil.example/witness")
    refused(clients["west-head"], reverse("witness_key_mission"), {"vkey": vkey}, events, status=403)
    refused(clients["facilitator"], reverse("witness_key_party", args=["west"]), {"vkey": vkey}, events, status=403)
    refused(clients["east-head"], reverse("witness_key_party", args=["west"]), {"vkey": vkey}, events, status=403)
    refused(clients["west-member"], reverse("witness_key_party", args=["west"]), {"vkey": vkey}, events, status=403)
    response = clients["facilitator"].post(reverse("witness_key_mission"), {"vkey": vkey})
    assert response.status_code == 302
    assert WitnessKey.objects.get(party__isnull=True).vkey == vkey
    page = get(clients["facilitator"], reverse("witnesses"))
    assert f'action="{reverse("witness_key_mission")}"' in page
    assert "Register a new key" in section(page, "h-witness-mission")


def test_an_unknown_party_has_no_key_form(world, clients):
    assert clients["west-head"].get(reverse("witness_key_party", args=["nowhere"])).status_code == 404


# The explainer.


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            ["What a cosignature does not prove", "a claim", "altered, removed or reordered", "only a starting point"],
        ),
        ("ar", ["ما لا يثبته التوقيع المشترك", "ادعاء", "ceasefire record verify"]),
    ],
)
def test_the_explainer_in_both_languages(world, clients, lang, words):
    c = clients["observer"]
    c.cookies["django_language"] = lang
    html = get(c, reverse("record_explained"))
    assert f'<html lang="{lang}"' in html
    for w in words:
        assert w in html, w
    assert checkpoints.log_vkey() in html


def dash_rows(client):
    html = section(get(client, reverse("dashboard")), "h-witnesses")
    return {m.group(1): text(m.group(2)) for m in re.finditer(r'<tr id="dash-witness-([a-z]+)">(.*?)</tr>', html, re.S)}


def test_after_a_new_key_the_party_state_follows_the_new_key(world, actors, clients):
    old_skey, old_vkey = witness(actors["west-head"], "west", "west.example/witness")
    first = checkpoints.sign_now()
    cosign(first, old_skey, old_vkey)
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "Between"})
    cp = checkpoints.sign_now()
    cosign(cp, old_skey, old_vkey)
    assert "up to date" in dash_rows(clients["observer"])["west"]
    new_skey, new_vkey = witness(actors["west-head"], "west", "west.example/witness-2026")  # retires the first key

    # The old key's cosignatures are not the party's state: its new key has cosigned nothing.
    row = dash_rows(clients["observer"])["west"]
    assert "new key, not cosigned yet" in row
    assert "up to date" not in row and "behind" not in row
    assert f"retired key: {cp.size} events" in row  # shown apart, marked as retired
    page = text(section(get(clients["observer"], reverse("witnesses")), "h-witness-west"))
    assert "new key, not cosigned yet" in page and "up to date" not in page
    assert "not cosigned any checkpoint with its current key yet" in page
    assert f"Last cosigned with a retired key: a checkpoint of {cp.size} events" in page
    assert "Retired keys" in page and old_vkey in page
    checkpoints.sign_now()
    html = get(clients["east-member"], reverse("event", args=[3]))
    west = text(re.search(r'<tr id="witness-west">(.*?)</tr>', html, re.S).group(1))
    assert "new key, not cosigned yet" in west and "cosigned this checkpoint" not in west
    assert f"Its retired key cosigned a checkpoint of {cp.size} events that contains it" in west

    # Its new key's first cosignature: a starting point, said so plainly.
    latest = checkpoints.latest()
    cosign(latest, new_skey, new_vkey)
    row = dash_rows(clients["observer"])["west"]
    assert "first checkpoint" in row and "not compared" in row and "up to date" not in row
    assert f"{latest.size} events" in row
    html = get(clients["east-member"], reverse("event", args=[3]))
    west = text(re.search(r'<tr id="witness-west">(.*?)</tr>', html, re.S).group(1))
    assert "cosigned this checkpoint" in west and "not compared" in west

    # And its second: up to date.
    commands.add_agenda_item(actors["facilitator"], world["past"].id, {"title": "After"})
    cosign(checkpoints.sign_now(), new_skey, new_vkey)
    row = dash_rows(clients["observer"])["west"]
    assert "up to date" in row and "not compared" not in row


def test_the_arabic_witness_states_after_a_new_key(world, actors, clients):
    old_skey, old_vkey = witness(actors["west-head"], "west", "west.example/witness")
    cosign(checkpoints.sign_now(), old_skey, old_vkey)
    c = clients["observer"]
    c.cookies["django_language"] = "ar"
    assert "أول نقطة تثبيت" in dash_rows(c)["west"]
    witness(actors["west-head"], "west", "west.example/witness-2026")
    row = dash_rows(c)["west"]
    assert "مفتاح جديد، لم يوقّع به بعد" in row and "المفتاح السابق" in row


# The list of events.


def options(html) -> list[str]:
    select = re.search(r'<select id="f-type".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_type_filter_offers_each_type_once_sorted_by_its_label(world, clients):
    values = options(get(clients["west-member"], reverse("record")))
    assert values[0] == ""  # all types
    types = values[1:]
    assert len(types) == len(set(types)), types
    assert set(types) == set(Event.objects.values_list("type", flat=True))
    from ceasefire.web.templatetags.web import event_label

    labels = [str(event_label(t)) for t in types]
    assert labels == sorted(labels)
    # In Arabic too, by the Arabic label.
    c = clients["west-member"]
    c.cookies["django_language"] = "ar"
    ar_types = options(get(c, reverse("record")))[1:]
    assert len(ar_types) == len(set(ar_types)) == len(types)


def test_a_filtered_record_counts_what_it_shows_and_offers_the_whole(world, clients):
    total = Event.objects.count()
    n = Event.objects.filter(type="meeting.recorded").count()
    assert 1 < n < total
    html = get(clients["west-member"], reverse("record") + "?type=meeting.recorded")
    intro = text(re.search(r'<p class="intro">(.*?)</p>', html, re.S).group(1))
    assert f"{n} of {total} events, of type «Meeting recorded», newest first." in intro
    assert f'<a href="{reverse("record")}">Show all events</a>' in html
    intro = text(
        re.search(r'<p class="intro">(.*?)</p>', get(clients["west-member"], reverse("record")), re.S).group(1)
    )
    assert f"{total} events, newest first." in intro and "Show all" not in intro


def test_the_lists_toggles_and_links_name_their_event(world, clients):
    html = get(clients["observer"], reverse("record"))
    seq = world["minutes_seq"]
    row = re.search(rf'<tr id="event-{seq}">(.*?)</tr>', html, re.S).group(1)
    # Withheld: no promise of a fingerprint the row does not show; the proof's link names the event.
    assert "only its fingerprint is shown" not in html
    assert "Open its proof to see its fingerprint." in text(row)
    link = re.search(r'<a href="[^"]+">(.*?)</a>', row.split("</th>", 1)[1], re.S).group(1)
    assert text(link) == f"Its proof (event {seq})"
    readable = re.search(r'<tr id="event-(\d+)">((?:(?!</tr>).)*<summary>.*?</summary>)', html, re.S)
    summary = re.search(r"<summary>(.*?)</summary>", readable.group(2), re.S).group(1)
    assert text(summary) == f"Show the content of event {readable.group(1)}"
    assert '<span class="vh">' in summary
    assert problems(html) == []


# Small wording.


def test_the_mission_is_named_without_nested_brackets(world, clients):
    from ceasefire.mechanism.models import Mechanism

    Mechanism.objects.update(facilitator_en="United Nations Support Mission in Libya (UNSMIL)")
    page = get(clients["observer"], reverse("witnesses"))
    heading = " ".join(re.sub(r"<[^>]+>", "", section(page, "h-witness-mission").split("</h2>")[0]).split())
    assert "The mission: United Nations Support Mission in Libya (UNSMIL)" in heading
    assert "(United Nations" not in text(page)


def test_the_event_page_in_arabic_names_the_fingerprint_plainly(world, clients):
    checkpoints.sign_now()
    c = clients["west-member"]
    c.cookies["django_language"] = "ar"
    html = get(c, reverse("event", args=[world["minutes_seq"]]))
    assert "تجزئة الورقة" not in html and "بصمة الحدث" in html
    assert "القيد" not in text(section(html, "h-inclusion"))
    assert "حدثاً" not in html


def test_the_key_form_warns_only_when_a_key_would_be_retired(world, actors, clients):
    url = reverse("witness_key_party", args=["west"])
    warning = "Registering a new key retires the current one."
    html = get(clients["west-head"], url)
    assert warning not in html and "replaces the current" not in html
    assert warning not in section(get(clients["west-head"], reverse("witnesses")), "h-witness-west")
    witness(actors["west-head"], "west", "west.example/witness")
    html = get(clients["west-head"], url)
    assert warning in html and "its cosignatures will be refused" in text(html)
    assert html.index(warning) < html.index('name="vkey"')
    assert warning in section(get(clients["west-head"], reverse("witnesses")), "h-witness-west")
    c = clients["west-head"]
    c.cookies["django_language"] = "ar"
    assert "تسجيل مفتاح جديد يُوقف المفتاح الحالي." in get(c, url)
