"""A redraft racing a sign-off, for test_signoff_names_its_draft.py: in threads on PostgreSQL, in
processes on SQLite (`python -m tests.incidents.signoff_race setup|race FIRST N|check`, with
DATABASE_URL naming a database the processes share)."""

import json
import os
import sys
import time

if __name__ == "__main__":  # a process of its own: Django first
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    django.setup()

from ceasefire.errors import CommandError  # noqa: E402
from ceasefire.incidents import commands  # noqa: E402
from ceasefire.incidents.models import Report, SignOff  # noqa: E402
from ceasefire.record.models import Event  # noqa: E402

NO_VIOLATION = {"findings": [{"allegation": "Shelling by the east", "result": "no_violation"}]}
ATTRIBUTED = {"findings": [{"allegation": "Shelling by the east", "result": "violation", "attributed_to": "east"}]}
REQUESTS = 20


def setup(actors) -> tuple[int, int]:
    """A report whose "no violation" draft the west's member and the facilitator have signed: the
    east's member has read it, and its agreement would conclude it. -> (report id, that draft)."""
    from tests.conftest import FACILITATOR
    from tests.incidents import steps

    commands.adopt_default_typology(FACILITATOR)
    r = steps.advance(actors, steps.file(actors), "investigated")
    r = commands.draft_findings(actors["east-member"], r.id, NO_VIOLATION)
    steps.sign(actors["west-member"], r)
    steps.sign(FACILITATOR, r)
    return r.id, r.draft


def attempt(actors, i: int, report_id: int, read: int) -> str:
    """Request i: the west's member redrafts (even i: "violation attributed to the east"), or the
    east's member agrees to the draft it read (odd i), each a few milliseconds later than the
    last: most often a redraft is first, the case where an agreement must not carry over."""
    try:
        if i % 2:
            time.sleep(0.002 * i)
            commands.sign_findings(actors["east-member"], report_id, {"agrees": True, "draft": read})
        else:
            commands.draft_findings(actors["west-member"], report_id, ATTRIBUTED)
    except CommandError as e:
        return f"{e.status} {e.field}"
    return "ok"


def outcome(report_id: int) -> dict:
    """What the record holds: each sign-off's draft beside the draft before the sides when it was
    signed, and where the report ended."""
    current, signed = None, []
    for e in Event.objects.filter(type__in=("findings.drafted", "findings.signed")).order_by("seq"):
        if e.payload["report"] != report_id:
            continue
        if e.type == "findings.drafted":
            current = e.seq
        else:
            signed.append({"side": e.payload["side"], "named": e.payload["draft"], "before_the_sides": current})
    r = Report.objects.get(id=report_id)
    return {
        "signed": signed,
        "status": r.status,
        "draft": r.draft,
        "results": sorted(r.findings.values_list("result", flat=True)),
        "signoffs": sorted(SignOff.objects.filter(report=r).values_list("side", flat=True)),
    }


def _actors():
    from django.contrib.auth import get_user_model

    from ceasefire.mechanism.accounts import actor_for

    return {u.username: actor_for(u) for u in get_user_model().objects.all()}


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        from django.core.management import call_command

        from ceasefire.mechanism import commands as mechanism
        from ceasefire.mechanism.accounts import create_account
        from tests.conftest import FACILITATOR, PASSWORD, ROLES

        call_command("migrate", verbosity=0)
        mechanism.establish(
            FACILITATOR,
            {
                "name": "JMC",
                "parties": [
                    {"code": "west", "name": "W", "seats": 5},
                    {"code": "east", "name": "E", "seats": 5},
                ],
            },
        )
        for name, (role, party) in ROLES.items():
            create_account(name, PASSWORD, role, party)
        print(json.dumps(setup(_actors())))
    elif sys.argv[1] == "race":  # race FIRST N REPORT DRAFT: requests FIRST.. FIRST+N-1
        first, n, report_id, read = map(int, sys.argv[2:6])
        actors = _actors()
        print(json.dumps([attempt(actors, i, report_id, read) for i in range(first, first + n)]))
    elif sys.argv[1] == "outcome":
        print(json.dumps(outcome(int(sys.argv[2]))))
