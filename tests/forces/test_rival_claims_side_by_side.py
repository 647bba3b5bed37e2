"""Rival claims of one departure stand side by side: progress shows what each claimant claims,
never one sum of them; verified stays one number."""

import datetime as dt

from ceasefire.forces import withdrawal

DAY = dt.date(2021, 11, 11)


def test_rival_claims_of_a_departure_are_never_summed():
    rows = [
        withdrawal.Departed(1, DAY, 120, None, "west"),
        withdrawal.Departed(1, DAY, 120, 100, "east"),
        withdrawal.Departed(1, DAY, 50, None, withdrawal.MISSION),
    ]
    t = withdrawal.tally(rows)
    assert [(c.claimant, c.claimed, c.departures) for c in t.claims] == [
        ("east", 120, 1),
        ("west", 120, 1),
        (withdrawal.MISSION, 50, 1),
    ]  # the mission last
    assert t.most_claimed == 120 and not hasattr(t, "claimed")
    assert (t.verified, t.departures, t.verified_departures) == (100, 3, 1)
    assert withdrawal.tally(rows, DAY - dt.timedelta(days=1)).claims == ()
