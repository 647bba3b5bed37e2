"""A separate process writing to the record, for test_concurrent_append.py.

    python -m tests.record.append_worker setup|append N [BATCH]|report|root

with DATABASE_URL naming a real database shared by all workers.
"""

import contextlib
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from ceasefire.mechanism import commands  # noqa: E402
from ceasefire.mechanism.models import Meeting  # noqa: E402
from ceasefire.record.log import Actor  # noqa: E402
from ceasefire.record.models import Event, Head  # noqa: E402

FACILITATOR = Actor("facilitator", role="facilitator")

if sys.argv[1] == "setup":
    call_command("migrate", verbosity=0)
    commands.establish(
        FACILITATOR,
        {
            "name": "JMC",
            "parties": [{"code": "west", "name": "W", "seats": 5}, {"code": "east", "name": "E", "seats": 5}],
        },
    )
elif sys.argv[1] == "append":  # append N [B]: N meetings, one command at a time or in batches of B
    from ceasefire.record import log

    n, size = int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for start in range(0, n, size):
        with log.batch() if size > 1 else contextlib.nullcontext():
            for i in range(start, min(start + size, n)):
                commands.record_meeting(
                    FACILITATOR,
                    {"title": f"{os.getpid()}-{i}", "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"},
                )
elif sys.argv[1] == "report":
    print(
        json.dumps(
            {
                "seqs": list(Event.objects.order_by("seq").values_list("seq", flat=True)),
                "head": Head.objects.get(id=1).size,
                "numbers": sorted(Meeting.objects.values_list("number", flat=True)),
                "titles": Meeting.objects.count(),
            }
        )
    )
elif sys.argv[1] == "root":  # the stored Merkle tree against the bodies (test_tree_concurrent.py)
    from ceasefire.record import merkle, tree

    bodies = [bytes(b) for b in Event.objects.order_by("seq").values_list("body", flat=True)]
    print(
        json.dumps(
            {
                "size": tree.size(),
                "root": tree.root(len(bodies)).hex(),
                "expected": merkle.root_hash(bodies).hex(),
                "check": tree.check(),
            }
        )
    )
