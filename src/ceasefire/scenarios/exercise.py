"""Exercise reports for the demo: invented, and labelled so in their titles and narratives, in
both languages. They let a new user walk the verification chain on the demo's accounts. Places
are real (the coastal road around Sirte, the Abu Grein–Jufra road of the agreement's item 7);
the events are not. The demo's layers (the coastal road, the Sirte–Jufra area) are exercises too:
no public source gives the Sirte–Jufra area's outline."""

import datetime as dt

from ceasefire.incidents import commands as incidents
from ceasefire.mechanism import commands as mechanism
from ceasefire.mechanism.accounts import actor_for
from ceasefire.mechanism.models import Member, Party

EXERCISE_EN, EXERCISE_AR = "EXERCISE — ", "تمرين — "
NOTE_EN = " This report is invented for the demo; it describes no real event."
NOTE_AR = " هذا البلاغ مختلق لأغراض العرض التجريبي ولا يصف أي حدث حقيقي."


def _report(days_ago: int, title_en: str, title_ar: str, narrative_en: str, narrative_ar: str, **fields) -> dict:
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return {
        "title_en": EXERCISE_EN + title_en,
        "title_ar": EXERCISE_AR + title_ar,
        "narrative_en": narrative_en + NOTE_EN,
        "narrative_ar": narrative_ar + NOTE_AR,
        "occurred_at": day.isoformat(),
        **fields,
    }


def load(users: dict) -> int:
    """File the exercise reports as the demo's accounts (username -> User); return how many."""
    actors = {name: actor_for(user) for name, user in users.items()}
    facilitator = actors["facilitator"]
    shelling = incidents.file_report(
        actors["west-member"],
        _report(
            3,
            "Shelling reported east of Abu Grein",
            "بلاغ عن قصف شرق أبوقرين",
            "Residents reported several impacts near the Abu Grein–Jufra road in the early morning.",
            "أفاد سكان بسقوط عدة قذائف قرب طريق أبوقرين–الجفرة في الصباح الباكر.",
            category="shelling",
            latitude=31.44,
            longitude=15.27,
            geo_precision=2,
            place_en="Abu Grein",
            place_ar="أبوقرين",
            alleged_party="east",
            affected_party="west",
        ),
    )
    incidents.file_report(
        actors["east-member"],
        _report(
            1,
            "Convoy seen on the coastal road west of Sirte",
            "رتل عسكري على الطريق الساحلي غرب سرت",
            "A convoy of about ten armed vehicles was seen moving east on the coastal road.",
            "شوهد رتل من نحو عشر آليات مسلحة يتحرك شرقًا على الطريق الساحلي.",
            category="protected-road",
            place_en="Coastal road, west of Sirte",
            place_ar="الطريق الساحلي غرب سرت",
            alleged_party="west",
            affected_party="east",
        ),
    )
    load_layers(actors)
    incidents.triage(facilitator, shelling.id, {"decision": "admissible"})
    incidents.task_team(
        facilitator,
        shelling.id,
        {
            "team": ["west-member", "east-member"],
            "instructions_en": "Visit the site, examine the impacts, interview residents.",
            "instructions_ar": "زيارة الموقع وفحص آثار القذائف ومقابلة السكان.",
        },
    )
    return 2


# The towns the coastal road runs through, from Misrata to Sirte, at the gazetteer's coordinates
# (places/data, OpenStreetMap): the line between them is drawn straight, for the exercise.
COASTAL_ROAD = [
    [15.09058, 32.374592],
    [15.050086, 32.019867],
    [15.255014, 31.449735],
    [15.727385, 31.400402],
    [16.583621, 31.205962],
]
# No public source gives the outline of the Sirte–Jufra area: this one is invented, a box from the
# coast east of Abu Grein to south of Hun and Waddan, and named so.
AREA = [[15.4, 31.3], [15.4, 28.9], [17.2, 28.9], [17.2, 31.3], [15.4, 31.3]]
LAYER_NOTE_EN = "Drawn for the demo: no public source gives this outline; it binds nobody."
LAYER_SOURCE = "Exercise: drawn for the demo from the gazetteer's towns; not the committee's."
LAYER_NOTE_AR = "رُسمت لأغراض العرض التجريبي: لا يوجد مصدر علني يحدد هذا المخطط؛ ولا تُلزم أحداً."


def load_layers(actors: dict) -> None:
    """Two exercise layers, each put forward by the western head and approved by the eastern head,
    binding from 60 days ago: the coastal road Misrata–Sirte (near within 2 km) and an invented
    Sirte–Jufra area. Marked EXERCISE in their names and notes, in both languages."""
    from ceasefire.zones import commands as zones

    since = (dt.date.today() - dt.timedelta(days=60)).isoformat()
    layers = [
        {
            "layer": "coastal-road",
            "kind": "protected_road",
            "within_km": 2,
            "name_en": EXERCISE_EN + "Coastal road Misrata–Sirte",
            "name_ar": EXERCISE_AR + "الطريق الساحلي مصراتة–سرت",
            "geojson": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name_en": "Misrata–Sirte", "name_ar": "مصراتة–سرت"},
                        "geometry": {"type": "LineString", "coordinates": COASTAL_ROAD},
                    }
                ],
            },
        },
        {
            "layer": "sirte-jufra",
            "kind": "demilitarised_area",
            "name_en": EXERCISE_EN + "Sirte–Jufra area (invented outline)",
            "name_ar": EXERCISE_AR + "منطقة سرت–الجفرة (مخطط مختلق)",
            "geojson": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name_en": "Sirte–Jufra", "name_ar": "سرت–الجفرة"},
                        "geometry": {"type": "Polygon", "coordinates": [AREA]},
                    }
                ],
            },
        },
    ]
    for layer in layers:
        version = zones.propose_version(
            actors["west-head"],
            {
                **layer,
                "effective_from": since,
                "note_en": LAYER_NOTE_EN,
                "note_ar": LAYER_NOTE_AR,
                "source": LAYER_SOURCE,
            },
        )
        zones.take_position(actors["east-head"], version.id, {"position": "approve"})


SIDES = {"east": ("Eastern", "الشرقي"), "west": ("Western", "الغربي")}
SOURCE = "Exercise: invented for the demo; not a real person."


def seat_members(facilitator, accounts: dict[str, str]) -> list[Member]:
    """Fill every vacant seat of a party that has nobody seated with an exercise member, marked as
    made up in both scripts, so that attendance and each party's quorum can be tried. The members
    of seats 1 (the head) and 2 are the ones the demo's accounts stand for (`accounts`: party ->
    [head username, member username]); their titles say which account, by its role."""
    seated = []
    start = (dt.date.today() - dt.timedelta(days=30)).isoformat()  # before the exercise reports
    for party in Party.objects.order_by("order"):
        if Member.objects.filter(party=party, tenure_end__isnull=True).exists():
            continue
        side_en, side_ar = SIDES.get(party.code, (party.code, party.code))
        played_by = accounts.get(party.code, [])
        for seat in range(1, party.seats + 1):
            head = seat == 1
            rank_en, rank_ar = ("Maj. Gen.", "اللواء") if head else ("Col.", "العقيد")
            account = played_by[seat - 1] if seat <= len(played_by) else ""
            seated.append(
                mechanism.appoint_member(
                    facilitator,
                    {
                        "name_latin": f"{EXERCISE_EN}{rank_en} {side_en} Delegate {seat}",
                        "name_ar": f"{EXERCISE_AR}{rank_ar} المندوب {side_ar} {seat}",
                        # which demo account plays the seat, by its role: observers never read a username
                        "title_en": (
                            ""
                            if not account
                            else "Played by the demo's head account"
                            if head
                            else "Played by the demo's member account"
                        ),
                        "title_ar": (
                            ""
                            if not account
                            else "يؤدّيه حساب رئيس الوفد في العرض"
                            if head
                            else "يؤدّيه حساب العضو في العرض"
                        ),
                        "role": "head" if head else "member",
                        "party": party.code,
                        "seat": seat,
                        "tenure_start": start,
                        "source": SOURCE,
                    },
                )
            )
    return seated
