"""The libya-2020 scenario: public facts only, each with its source, loaded through the commands."""

import datetime as dt

import pytest

from ceasefire import scenarios
from ceasefire.agreements.models import Agreement, Interpretation, Provision
from ceasefire.errors import Conflict, Invalid, NotFound
from ceasefire.mechanism import commands
from ceasefire.mechanism.models import (
    AgendaItem,
    Attendance,
    Decision,
    Mechanism,
    Meeting,
    Member,
    Party,
    Position,
    Suspension,
)
from ceasefire.record import replay
from ceasefire.record.log import Actor
from ceasefire.record.models import Event, Head
from tests import once

ACTOR = "scenario:libya-2020"


@once.fixture
def loaded(db):
    """The scenario loaded (the number of events appended): once for the tests that read it."""
    return scenarios.load("libya-2020")


def test_load_returns_the_number_of_events_appended(loaded):
    assert loaded > 0
    assert loaded == Event.objects.count() == Head.objects.get(id=1).size
    # Every event names the scenario as its actor: nothing was written around the commands.
    assert set(Event.objects.values_list("actor", flat=True)) == {ACTOR}
    assert Event.objects.order_by("seq").first().type == "mechanism.established"


def test_the_mechanism_and_its_parties(loaded):
    mechanism = Mechanism.objects.get()
    assert mechanism.name_ar and mechanism.name_en
    assert "5+5" in mechanism.name_ar and "5+5" in mechanism.name_en
    # February 2020: the day is not known, so no date is stored and the text says so.
    assert mechanism.established_on is None
    assert "February 2020" in mechanism.mandate_en and "فبراير 2020" in mechanism.mandate_ar
    assert "UNSMIL" in mechanism.facilitator_en and mechanism.facilitator_ar
    assert mechanism.source
    parties = list(Party.objects.order_by("order"))
    assert [p.code for p in parties] == ["west", "east"]
    assert [p.seats for p in parties] == [5, 5]
    assert all(p.name_ar and p.name_en for p in parties)


def test_no_member_is_invented(loaded):
    assert Member.objects.count() == 0
    assert Attendance.objects.count() == 0


def test_the_agreement_and_its_provisions(loaded):
    agreement = Agreement.objects.get()
    assert agreement.signed_on == dt.date(2020, 10, 23)
    assert agreement.title_ar == "اتفاق وقف إطلاق النار الدائم في جميع أنحاء ليبيا"
    assert agreement.place_en.startswith("Geneva") and agreement.place_ar.startswith("جنيف")
    assert "Williams" in agreement.witnesses_en and "ستيفاني وليامز" in agreement.witnesses_ar
    assert "5+5" in agreement.signatories_en
    # The caveat on numbering, in both languages, and the unnumbered exclusion.
    assert "4 general principles" in agreement.note_en and "12 items" in agreement.note_en
    assert "verified against the UN text" in agreement.note_en
    assert "أربعة مبادئ" in agreement.note_ar and "اثني عشر بندًا" in agreement.note_ar
    assert "الأمم المتحدة" in agreement.note_ar
    assert "Excludes UN-designated terrorist groups" in agreement.note_en

    principles = list(agreement.provisions.filter(kind="principle").order_by("order"))
    items = list(agreement.provisions.filter(kind="item").order_by("order"))
    assert [p.number for p in principles] == ["P1", "P2", "P3", "P4"]
    assert [p.number for p in items] == [str(n) for n in range(1, 13)]
    for p in principles + items:
        assert p.text_ar and p.text_en, p.number
        assert p.implementer_ar and p.implementer_en, p.number
        assert p.category, p.number
        assert "https://" in p.source or "http://" in p.source, p.number


def test_deadlines_and_the_committee_role(loaded):
    by_number = {p.number: p for p in Provision.objects.all()}
    assert by_number["1"].deadline_en == "on signature"
    assert by_number["1"].due_on == dt.date(2020, 10, 23)
    assert by_number["2"].deadline_months == 3
    assert by_number["2"].deadline_en == "3 months from signature"
    assert by_number["2"].due_on == dt.date(2021, 1, 23)
    assert by_number["3"].deadline_en == "immediately, until a unified government takes office"
    assert by_number["10"].deadline_en == "urgent" and by_number["10"].due_on is None
    assert by_number["4"].committee_role == "implements"
    assert by_number["2"].committee_role == "monitors"
    assert by_number["12"].committee_role == "none"


def test_item_3s_deadline_depends_on_a_unified_government_and_no_status_is_invented(loaded):
    from ceasefire.agreements import implementation as rule
    from ceasefire.agreements import queries
    from ceasefire.agreements.models import Assessment, Condition

    [condition] = Condition.objects.all()
    assert condition.provision.number == "3" and condition.condition_en == "Until a unified government takes office"
    assert (
        condition.status == "unknown" and "reliefweb.int" in condition.source and "libyareview.com" in condition.source
    )
    found = queries.implementation(condition.provision, None, dt.date(2026, 1, 1))
    assert found.standing.state == rule.CONDITIONAL
    # No level of implementation is a public fact: the scenario puts forward no assessment.
    assert not Assessment.objects.exists()
    immediate = queries.implementation(Provision.objects.get(number="1"), "observers", dt.date(2026, 1, 1))
    assert immediate.standing.state == rule.DUE  # reached, not missed


def test_item_2_has_two_rival_readings(loaded):
    item_2 = Provision.objects.get(number="2")
    readings = list(item_2.interpretations.order_by("id"))
    assert len(readings) == 2
    assert readings[0].held_by_en == "UNSMIL" and "3 months from signature" in readings[0].reading_en
    assert "unified government" in readings[1].reading_en
    assert "reliefweb.int" in readings[0].source
    assert "asharq.com" in readings[1].source
    assert all(r.reading_ar and r.held_by_ar for r in readings)
    # Neither is a party's own: the facilitator recorded both, each held by a named source.
    assert all(r.recorded_by == "facilitator" and r.party_id is None for r in readings)
    assert Interpretation.objects.count() == 2


def test_the_meetings(loaded):
    meetings = list(Meeting.objects.order_by("starts_on"))
    assert len(meetings) >= 5
    for m in meetings:
        assert m.source and "http" in m.source, m.title_en
        assert m.city_ar and m.city_en and m.country_ar and m.country_en, m.title_en
        assert m.summary_ar and m.summary_en, m.title_en
        assert m.title_ar and m.title_en
    cities = [m.city_en for m in meetings]
    for city in ("Ghadames", "Geneva", "Cairo", "Paris", "Benghazi"):
        assert city in cities
    # Numbered in the order they happened.
    assert [m.number for m in meetings] == sorted(m.number for m in meetings)

    paris = Meeting.objects.get(city_en="Paris")
    assert (paris.starts_on, paris.ends_on) == (dt.date(2023, 7, 17), dt.date(2023, 7, 18))
    assert "Kagigi" in paris.received_by_en and "قجيجي" in paris.received_by_ar
    assert "military attaché" in paris.received_by_en
    assert "France" in paris.host_en
    assert "Al-Nadhouri" in paris.summary_en and "Al-Haddad" in paris.summary_en
    assert "Paul Soler" in paris.summary_en
    assert "libyareview.com/36150" in paris.source and "libyaalahrar.net" in paris.source
    assert paris.agenda.count() >= 3

    ghadames = Meeting.objects.get(city_en="Ghadames")
    assert (ghadames.starts_on, ghadames.ends_on) == (dt.date(2020, 11, 2), dt.date(2020, 11, 3))
    cairo = Meeting.objects.get(city_en="Cairo")
    assert cairo.ends_on == dt.date(2021, 11, 1)
    assert "Chad" in cairo.summary_en and "Niger" in cairo.summary_en and "Sudan" in cairo.summary_en
    benghazi = Meeting.objects.get(city_en="Benghazi")
    assert benghazi.starts_on == dt.date(2023, 7, 25)
    assert "atalayar.com" in benghazi.source
    action_plan = Meeting.objects.get(starts_on=dt.date(2021, 10, 8))
    assert action_plan.city_en == "Geneva"


def test_decisions_are_adopted_according_to_their_sources_not_through_positions(loaded):
    decisions = list(Decision.objects.all())
    assert decisions
    for d in decisions:
        assert d.source and "http" in d.source
        assert d.adopted and d.adopted_through == "source", d.text_en
        assert d.adopted_source == d.source and d.adopted_on is None  # the sources give no day per point
    # Nobody's position is invented: no delegation's speaker is on record for them.
    assert Position.objects.count() == 0
    assert Event.objects.filter(type="decision.adopted").count() == len(decisions)
    assert not Event.objects.filter(type="decision.position_taken").exists()
    action_plan = Decision.objects.get(meeting__starts_on=dt.date(2021, 10, 8))
    assert "Action Plan" in action_plan.text_en
    # Decisions only where the sources report what was agreed: none for Paris or Benghazi.
    assert not Decision.objects.filter(meeting__city_en__in=["Paris", "Benghazi"]).exists()
    assert AgendaItem.objects.filter(meeting__city_en="Paris").exists()


def test_the_eastern_suspension_is_sourced_and_its_end_is_not_invented(loaded):
    suspension = Suspension.objects.get()
    assert suspension.party_id == "east"
    assert suspension.since == dt.date(2022, 4, 9)
    assert "marsad.ly" in suspension.source
    # No source gives the day the eastern members resumed: it is recorded as "no later than" the
    # first documented meeting with both regions, and the note says so.
    assert suspension.until == dt.date(2023, 7, 17)
    assert suspension.resumption_note_en.startswith("No later than this date")
    assert suspension.resumption_note_ar.startswith("في موعد لا يتجاوز هذا التاريخ")
    assert "libyaalahrar" in suspension.resumption_source
    assert not Party.objects.get(code="east").suspended


def test_the_actor_speaking_for_a_party_may_take_positions(db):
    # A scenario's head of delegation speaks for the party (the exercise's delegations do).
    from ceasefire.mechanism.accounts import speaks_for_party

    assert speaks_for_party(Actor(ACTOR, party="west", role="head"))
    assert not speaks_for_party(Actor(ACTOR, role="facilitator"))


def test_loading_twice_is_a_conflict_and_appends_nothing(loaded):
    before = Event.objects.count()
    with pytest.raises(Conflict):
        scenarios.load("libya-2020")
    assert Event.objects.count() == before == Head.objects.get(id=1).size
    assert Meeting.objects.count() == 6


def test_a_database_with_a_mechanism_already_is_a_conflict(db):
    commands.establish(
        Actor("facilitator", role="facilitator"),
        {
            "name_en": "Another committee",
            "parties": [{"code": "a", "name_en": "A", "seats": 1}, {"code": "b", "name_en": "B", "seats": 1}],
        },
    )
    with pytest.raises(Conflict):
        scenarios.load("libya-2020")
    assert list(Event.objects.values_list("type", flat=True)) == ["account.enrolled", "mechanism.established"]
    assert Mechanism.objects.get().name_en == "Another committee"


def test_an_unknown_scenario_is_not_found_and_lists_the_known_ones(db):
    with pytest.raises(NotFound) as e:
        scenarios.load("atlantis-1999")
    assert "atlantis-1999" in str(e.value)
    assert "libya-2020" in str(e.value)
    assert Event.objects.count() == 0


def test_a_failing_load_writes_nothing(db, monkeypatch):
    from ceasefire.scenarios import libya_2020

    bad = dict(libya_2020.MEETINGS_2023[-1])
    bad["meeting"] = {**bad["meeting"], "starts_on": "2023-07-26", "ends_on": "2023-07-25"}  # ends before it starts
    monkeypatch.setattr(libya_2020, "MEETINGS_2023", [libya_2020.MEETINGS_2023[0], bad])
    with pytest.raises(Invalid) as e:
        scenarios.load("libya-2020")
    assert e.value.field == "ends_on"
    assert Event.objects.count() == 0
    assert Head.objects.get(id=1).size == 0
    assert Mechanism.objects.count() == 0


def test_every_source_names_an_address(db):
    from ceasefire.scenarios import libya_2020

    for key, text in libya_2020.SOURCES.items():
        assert "http://" in text or "https://" in text, key


def test_replay_rebuilds_the_same_state(loaded):
    result = replay.check(progress=None)
    assert result.events == loaded
    assert result.ok, result.difference


def test_the_action_plan_of_8_october_2021_and_its_leaked_stages_each_with_its_source(loaded):
    from ceasefire.forces.models import Plan, Stage

    [plan] = Plan.objects.all()
    assert plan.agreed_on.isoformat() == "2021-10-08" and "libya360.wordpress.com/2021/10/08" in plan.source
    stages = list(Stage.objects.order_by("order"))
    assert [s.title_en for s in stages] == [
        "Pull back to assembly points in two cities",
        "International observers join the Libyan observers",
        "Count the real numbers",
        "Departure in timetabled batches",
    ]
    for s in stages:
        assert "libyaherald.com/2021/10/13" in s.source and s.title_ar and "not an official text" in s.conditions_en
        assert s.status == "pending" and not s.sides.exists()  # no status is invented


def test_the_coastal_road_reopened_on_30_july_2021_with_its_conditions_per_its_source(loaded):
    from ceasefire.routes import queries
    from ceasefire.routes.models import Route, StatusClaim, StatusPosition

    road, shwerif = Route.objects.order_by("id")
    # the other road the agreement names: recorded, and with no status, since no source gives one
    assert shwerif.places == ["osm:n1193620130", "osm:n260716549"] and not shwerif.claims.exists()
    assert road.name_en == "Coastal road Misrata–Sirte" and road.name_ar
    assert road.places == ["osm:n5431087789", "osm:n1185649367", "osm:n299616414"]  # Misrata, Abu Grein, Sirte
    [claim] = StatusClaim.objects.all()
    assert (claim.status, claim.since.isoformat(), claim.party_id) == ("open", "2021-07-30", None)
    assert "No military convoys" in claim.conditions_en and "Thirty Gate" in claim.conditions_en
    assert "Security Arrangements Committee" in claim.ordered_by_en and claim.conditions_ar and claim.ordered_by_ar
    assert "almarsad.co/en/2021/07/30" in claim.source
    # the committee's according to its source, not through positions nobody recorded
    assert claim.agreed and claim.agreed_through == "source" and "almarsad.co" in claim.agreed_source
    assert not StatusPosition.objects.exists()
    assert queries.current("observers", road) == claim
    assert queries.current("observers", road, dt.date(2021, 7, 29)) is None


def test_the_first_detainee_exchanges_with_rival_numbers_each_from_its_source(loaded):
    from ceasefire.exchanges.models import Exchange, Numbers, Person

    first, second = Exchange.objects.order_by("happened_on")
    assert (first.happened_on.isoformat(), first.place_en) == ("2020-12-25", "Al Shwayrif")
    assert not first.mediators_en and not first.mediators_ar  # no source names them
    assert [(n.released, n.total) for n in first.numbers.order_by("id")] == [({"west": 33, "east": 15}, None), ({}, 48)]
    assert second.happened_on.isoformat() == "2021-01-06" and [n.total for n in second.numbers.all()] == [35, 35]
    assert all("http" in n.source for n in Numbers.objects.all())
    assert not Person.objects.exists()  # nobody is named


def test_the_coastal_roads_demining_each_figure_with_its_source(loaded):
    from ceasefire.mines.models import Area, Clearance

    [area] = Area.objects.all()
    assert "3 tons" in area.description_en and "120 km" in area.description_en and area.description_ar
    [clearance] = Clearance.objects.all()
    assert (clearance.status, clearance.as_of.isoformat()) == ("partly", "2021-07-14")
    assert "agenzianova.com" in clearance.source and clearance.extent_ar
