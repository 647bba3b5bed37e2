"""A writer that never stops on its own, for the tests of a backup taken during writes.

    python tests/cli/backup_writer.py     (CEASEFIRE_DATA_DIR / DATABASE_URL name the database)

It records one meeting after another, each a command of its own, and prints `ID TITLE` once the
command has returned, i.e. once its transaction has committed: a printed line is an acknowledged
event. SIGTERM makes it finish the meeting in hand and exit 0.

`Writer` runs it from a test and collects what it acknowledged.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    django.setup()
    from ceasefire.mechanism import commands
    from ceasefire.record.log import Actor

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    facilitator = Actor("facilitator", role="facilitator")
    i = 0
    while not stopping:
        title = f"written during a backup {os.getpid()}-{i}"
        meeting = commands.record_meeting(
            facilitator, {"title": title, "starts_on": "2021-01-01", "city": "Sirte", "country": "Libya"}
        )
        print(meeting.id, title, flush=True)
        i += 1


class Writer:
    """The writer in a process of its own; `acknowledged` grows as it prints."""

    def __init__(self, env: dict):
        self.acknowledged: list[tuple[int, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            seq, title = line.rstrip("\n").split(" ", 1)
            self.acknowledged.append((int(seq), title))

    def wait_for(self, count: int, timeout: float = 120) -> None:
        """Until it has acknowledged `count` events in all (a condition, polled: no fixed sleep)."""
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            if self.process.poll() is not None:
                raise AssertionError(f"the writer exited with {self.process.returncode}:\n{self.process.stderr.read()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the writer acknowledged {len(self.acknowledged)} events in {timeout} s, not {count}"
                )
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self._reader.join(10)
        assert code == 0, self.process.stderr.read()


if __name__ == "__main__":
    main()
