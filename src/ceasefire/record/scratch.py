"""The process behind `replay --check`: replays an event file into the (empty) database that
DATABASE_URL names and writes the resulting state as JSON.

    python -m ceasefire.record.scratch EVENTS DUMP
"""

import base64
import json
import os
import sys
from pathlib import Path

import django

PROGRESS_EVERY = 1000


def main(events_path: str, dump_path: str) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from .log import project, store
    from .models import Head
    from .replay import dump

    call_command("migrate", verbosity=0, interactive=False)
    n = 0
    with transaction.atomic(), open(events_path) as f:
        for line in f:
            project(store(base64.b64decode(line)))
            n += 1
            if n % PROGRESS_EVERY == 0:
                print(f"replayed {n} events", file=sys.stderr, flush=True)
        Head.objects.filter(id=1).update(size=n)
    Path(dump_path).write_text(json.dumps(dump()))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    django.setup()
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:  # the parent reports it as the reason the check failed
        print(f"{type(e).__name__}: {e}")
        sys.exit(1)
