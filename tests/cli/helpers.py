"""Running the real `ceasefire` command in a subprocess, each time with a temporary --data-dir.

The commands use SQLite in their data folder whatever database the rest of the suite runs on:
DATABASE_URL and the other settings are taken out of their environment.
"""

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).with_name("ceasefire")
# The installed console script when there is one (as a user runs it), else the same entry point.
COMMAND = (
    [str(BIN)]
    if BIN.exists()
    else [sys.executable, "-c", "import sys; from ceasefire.cli import main; sys.exit(main())"]
)
SETTINGS = (
    "DATABASE_URL",
    "TEST_DATABASE_NAME",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "CEASEFIRE_DATA_DIR",
    "CEASEFIRE_DEMO",
    "CEASEFIRE_TRUSTED_PROXIES",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for Playwright; `check` rightly objects to it
)
DEMO_USERS = ["east-head", "east-member", "west-head", "west-member", "facilitator", "observer"]
# A generated password: four groups of five letters and digits.
PASSWORD = re.compile(r"\b[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}\b")


def postgresql_server() -> str:
    """The PostgreSQL server the tests that need one use, as a URL without a database: the one
    DATABASE_URL names, else postgres at 127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


_cwd: list[str] = []


def _default_cwd() -> str:
    """An empty folder to run in, so that a command without --data-dir never writes into the tree."""
    if not _cwd:
        _cwd.append(tempfile.mkdtemp(prefix="ceasefire-cli-"))
        atexit.register(shutil.rmtree, _cwd[0], True)
    return _cwd[0]


def ceasefire(*args, env=None, input=None, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        check=False,
        env=env or environment(),
        input=input,
        cwd=cwd or _default_cwd(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def no_traceback(run: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert "Traceback" not in run.stdout, run.stdout


@dataclass
class Demo:
    dir: Path
    first: subprocess.CompletedProcess

    def copy(self, to: Path) -> Path:
        shutil.copytree(self.dir, to)
        return to


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ceasefire demo` (or another serving command) in the background; its output, stdout and
    stderr together, is collected line by line."""

    def __init__(self, data: Path, *args: str, command: str = "demo", env: dict | None = None):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [*COMMAND, command, "--data-dir", str(data), "--port", str(self.port), *args],
            env=env or environment(),
            cwd=_default_cwd(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.process.poll() is not None:
                self._reader.join(5)
                raise AssertionError(f"demo exited with {self.process.returncode} before {text!r}:\n{self.output}")
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} after {timeout} s:\n{self.output}")

    def wait_until_listening(self, timeout: float = 30) -> None:
        self.wait_for("Serving on")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"nothing listens on {self.port}:\n{self.output}")

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C, as a person at the terminal would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        finally:
            self.stop()
        self._reader.join(5)
        return code

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
