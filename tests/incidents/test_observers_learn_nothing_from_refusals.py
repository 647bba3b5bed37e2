"""An observer working a report's steps is refused before any lookup: the same 403 whether the
report (or recommendation) exists or not, at any stage."""

from ceasefire.errors import Forbidden
from ceasefire.incidents import commands
from tests.helpers import refused

from . import steps

MISSING = 10**9


def test_the_same_refusal_for_a_report_that_exists_and_one_that_does_not(actors, filed):
    observer = actors["observer"]
    r = steps.advance(actors, filed, "concluded")
    rec = r.recommendations.first()
    calls = [
        lambda pk: commands.report_investigation(observer, pk, {}),
        lambda pk: commands.draft_findings(observer, pk, {}),
        lambda pk: commands.confirm_investigation(observer, pk, {"investigation": pk}),
        lambda pk: commands.sign_findings(observer, pk, {"agrees": True, "draft": pk}),
    ]
    for call in calls:
        for pk in (r.id, MISSING):
            with refused(Forbidden):
                call(pk)
    for pk in (rec.id, MISSING):
        with refused(Forbidden):
            commands.set_recommendation_status(observer, pk, {"status": "in_progress"})
