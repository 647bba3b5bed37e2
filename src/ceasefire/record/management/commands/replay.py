import time

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import database_description, require_migrated


class Command(Base):
    help = (
        "Rebuild every projection from the joint record alone, in one transaction (interrupting it "
        "changes nothing). With --check, replay into a scratch database instead and compare: exit 0 "
        "when the projections match the record, 1 with the first difference otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the live projections with a replay of the record; change nothing",
        )

    def handle(self, *args, check=False, **options):
        from ceasefire.record.models import Event
        from ceasefire.record.replay import PROGRESS_EVERY, rebuild
        from ceasefire.record.replay import check as check_replay

        require_migrated()
        total = Event.objects.count()
        started = time.monotonic()
        if check:
            self.say(f"Replaying {total} events into a scratch database and comparing ({database_description()})…")
            result = check_replay()
            took = time.monotonic() - started
            if result.ok:
                self.say(
                    f"OK: {result.events} events checked in {took:.1f} s; the Merkle tree and the projections match the record."
                )
                return
            self.stderr.write(f"DIFFERENT: {result.events} events checked; first difference: {result.difference}")
            raise SystemExit(1)

        self.say(f"Rebuilding the projections from {total} events ({database_description()})…")
        if total >= PROGRESS_EVERY:
            self.say(f"  progress every {PROGRESS_EVERY} events")

        def progress(n):
            self.say(f"  {n}/{total} events ({100 * n // max(total, 1)}%)")

        n = rebuild(progress=progress)
        self.say(f"Rebuilt the projections from {n} events in {time.monotonic() - started:.1f} s.")
