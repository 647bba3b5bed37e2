"""How each exchange event changes the tables, from the event's content alone.

Audiences: an exchange and the numbers claimed of it are read by observers too, with their sources
(exchanges are announced publicly, and the numbers are claims beside each other). That a person was
exchanged, even as a commitment, stays with the parties; their identity stays in the vault.
"""

import datetime as dt

from ceasefire.record.log import projects

from .models import Exchange, Numbers, Person


@projects("exchange.recorded", audience="observers")
def _exchange(event):
    p = dict(event.payload)
    p["happened_on"] = dt.date.fromisoformat(p["happened_on"])
    Exchange.objects.create(id=event.seq, recorded_at=event.time, **p)


@projects("exchange.numbers_claimed", audience="observers")
def _numbers(event):
    p = dict(event.payload)
    p["exchange_id"] = p.pop("exchange")
    p["claimed_by_id"] = p.pop("claimed_by")
    Numbers.objects.create(id=event.seq, recorded_at=event.time, **p)


@projects("exchange.person_recorded", audience="parties")
def _person(event):
    p = event.payload
    Person.objects.create(
        id=event.seq,
        exchange_id=p["exchange"],
        released_by_id=p["released_by"],
        commitment=p["commitment"],
        recorded_at=event.time,
    )
