"""A committee with some history, and test clients signed in as each role."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from ceasefire.agreements import commands as agreements
from ceasefire.mechanism import commands
from ceasefire.record.models import Event
from ceasefire.web.views.base import today
from tests import once
from tests.conftest import ROLES
from tests.helpers import signed_in

TODAY = today()  # the committee's date, as the pages compute it, not the server's


def iso(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


@once.fixture
def world(actors):
    return build_world(actors)


def build_world(actors):
    """Members in both delegations (one replaced), a past meeting with a decision adopted and one
    pending, an upcoming meeting, action items (one overdue), an agreement with rival readings and
    deadlines passed and near, and a suspension that ended."""
    fac = actors["facilitator"]
    members = {}
    for party, names in {
        "west": ["عبد الله الغربي", "Salem West", "Omar West", "Hadi West", "Nuri West"],
        "east": ["خالد الشرقي", "Faraj East", "Musa East", "Adel East", "Ali East"],
    }.items():
        for seat, name in enumerate(names, start=1):
            field = "name_ar" if seat == 1 else "name_latin"
            members[(party, seat)] = commands.appoint_member(
                fac,
                {
                    field: name,
                    "role": "head" if seat == 1 else "member",
                    "party": party,
                    "seat": seat,
                    "tenure_start": "2020-02-01",
                    "rank": "لواء" if seat == 1 else "Colonel",
                    "source": "https://example.org/jmc-members",
                },
            )
    successor = commands.replace_member(
        fac, members[("east", 5)].id, {"on": "2021-03-01", "successor": {"name_latin": "Younis East"}}
    )
    monitor = commands.appoint_member(fac, {"name_latin": "Anna Monitor", "role": "monitor"})
    commands.suspend_participation(
        fac, "east", {"since": "2022-01-10", "reason": "Dispute over salaries", "source": "press statement"}
    )
    commands.resume_participation(fac, "east", {"on": "2022-02-01"})

    past = commands.record_meeting(
        fac,
        {
            "title": "الاجتماع الرابع",
            "title_en": "Fourth round",
            "starts_on": "2020-10-19",
            "ends_on": "2020-10-23",
            "city": "Geneva",
            "city_ar": "جنيف",
            "country": "Switzerland",
            "host": "UNSMIL",
            "received_by": "Acting Special Representative",
            "summary": "The parties signed a permanent ceasefire.",
            "source": "https://unsmil.unmissions.org/",
        },
    )
    present = [m.id for (party, seat), m in members.items() if seat <= 3]
    commands.record_attendance(fac, past.id, {"present": present})
    commands.add_agenda_item(fac, past.id, {"title": "Ceasefire agreement"})
    adopted = commands.record_decision(fac, past.id, {"text": "Sign the ceasefire agreement.", "source": "text"})
    pending = commands.record_decision(fac, past.id, {"text": "فتح الطريق الساحلي"})
    commands.take_position(actors["west-head"], adopted.id, {"position": "approve"})
    commands.take_position(actors["east-head"], adopted.id, {"position": "approve"})
    commands.take_position(actors["east-head"], pending.id, {"position": "object", "reason": "Not yet"})
    commands.record_minutes(fac, past.id, {"minutes_en": "Opened at 10:00.\n\nSigned at 12:00."})
    overdue = commands.add_action_item(
        fac, past.id, {"text": "Exchange prisoners", "owner_party": "west", "deadline": iso(-5), "decision": adopted.id}
    )
    later = commands.add_action_item(fac, past.id, {"text": "Open the coastal road", "owner": "Joint engineering team"})
    upcoming = commands.record_meeting(
        fac, {"title": "Follow-up", "starts_on": iso(10), "city": "Sirte", "country": "Libya"}
    )

    agreement = agreements.record_agreement(
        fac,
        {
            "title": "Agreement for a Complete and Permanent Ceasefire",
            "title_ar": "اتفاق وقف إطلاق النار الدائم",
            "signed_on": "2020-10-23",
            "place": "Geneva",
            "signatories": "The 5+5 Joint Military Commission",
            "text": "First...\n\nSecond...",
            "note": "Numbering differs between versions.",
            "source": "https://example.org/ceasefire-text",
        },
    )
    principle = agreements.add_provision(
        fac, agreement.id, {"number": "P1", "kind": "principle", "text": "Libya's sovereignty."}
    )
    withdrawal = agreements.add_provision(
        fac,
        agreement.id,
        {
            "number": "2",
            "text": "All mercenaries and foreign fighters shall leave Libyan territory.",
            "deadline_months": "3",
            "deadline": "within three months of signature",
            "deadline_ar": "خلال ثلاثة أشهر من التوقيع",
            "implementer": "The parties",
            "committee_role": "monitors",
        },
    )
    near = agreements.add_provision(
        fac, agreement.id, {"number": "3", "text": "Exchange of detainees.", "deadline_on": iso(12), "deadline": "soon"}
    )
    agreements.add_interpretation(
        actors["west-head"], withdrawal.id, {"reading": "All foreign forces, including trainers."}
    )
    agreements.add_interpretation(actors["east-head"], withdrawal.id, {"reading": "Mercenaries only."})
    # how far the withdrawal is implemented: the committee's status (every party approved it), and a
    # later assessment of the eastern delegation's that the western one has not approved
    agreed = agreements.propose_assessment(
        fac,
        withdrawal.id,
        {"status": 1, "as_of": "2021-01-23", "reasoning": "Some units returned; no departures.", "source": "UNSMIL"},
    )
    for head in ("west-head", "east-head"):
        agreements.take_position(actors[head], agreed.id, {"position": "approve"})
    assessment = agreements.propose_assessment(
        actors["east-head"],
        withdrawal.id,
        {
            "status": 2,
            "as_of": "2022-01-01",
            "reasoning": "Most units are back in their camps.",
            "evidence": ["https://example.org/camps"],
        },
    )
    events = Event.objects.order_by("seq")
    return {
        "minutes_seq": events.filter(type="meeting.minutes").values_list("seq", flat=True).first(),
        "last_seq": events.values_list("seq", flat=True).last(),
        "members": members,
        "successor": successor,
        "monitor": monitor,
        "past": past,
        "upcoming": upcoming,
        "adopted": adopted,
        "pending": pending,
        "overdue": overdue,
        "later": later,
        "agreement": agreement,
        "principle": principle,
        "withdrawal": withdrawal,
        "near": near,
        "assessment": assessment,
    }


@once.fixture
def signed_in_sessions(accounts):
    """username -> the key of a session signed in as that account with every factor it owes
    (helpers.signed_in), made once per module: signing in six accounts cost a web test more than
    its own requests."""
    out = {}
    for name in ROLES:
        c = Client()
        signed_in(c, accounts[name])
        out[name] = c.cookies[settings.SESSION_COOKIE_NAME].value
    return out


@pytest.fixture
def clients(accounts, signed_in_sessions):
    """username -> a test client signed in as that account, working in English: a new client for
    each test, holding the account's session (whose row each test gets as the module made it)."""
    out = {}
    for name in ROLES:
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        c.cookies[settings.SESSION_COOKIE_NAME] = signed_in_sessions[name]
        out[name] = c
    return out


@pytest.fixture
def events():
    """How many events the record holds now."""
    return lambda: Event.objects.count()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # The browser tests share one Chromium while they follow one another (tests/web/chromium.py).
    yield
    from tests.web import chromium

    chromium.stop_unless_wanted(nextitem)
