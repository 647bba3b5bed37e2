"""Run the whole test suite on SQLite and, at the same time, on PostgreSQL when one is reachable.

    .venv/bin/python tests/run.py [PYTEST ARGUMENTS]

PostgreSQL is the one DATABASE_URL names, else postgres://postgres@127.0.0.1:5432/ceasefire; the
database is created when missing, and pytest-django makes its own test_<name> beside it. When
none is reachable the run says "SKIPPED PostgreSQL: <reason>", and with CI=true that is a failure.
The tests marked `own_database` (those of the `ceasefire` command, tests/cli, which runs on a
database of its own whichever the run is for) run in the SQLite run only. The two runs go side by side (each pytest is one process, and the machine has two cores): the
SQLite run's output streams as it comes, the PostgreSQL run's is kept in a file and printed whole
when it ends, so that the two never interleave. The exit code is non-zero when either run fails.
The last line printed is pytest's own closing summary: that of the PostgreSQL run, or of a run
that failed.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ceasefire"
NOTHING_LEFT = 5  # pytest's exit code when no test was selected


def shown(url: str) -> str:
    """The URL without its password, fit to print."""
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    return urlunsplit(parts)


def postgresql() -> tuple[str | None, str]:
    """(the database URL to test on, "") or (None, why not)."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    scheme = urlsplit(url).scheme
    if scheme not in ("postgres", "postgresql"):
        return None, f"DATABASE_URL is {scheme}://…, not PostgreSQL"
    try:
        import psycopg
    except ImportError:
        return None, "the psycopg package is not installed"
    name = urlsplit(url).path.lstrip("/") or "ceasefire"
    try:
        # Connect to the server's maintenance database and create ours when it is missing.
        with psycopg.connect(url, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as e:
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return None, f"cannot use {shown(url)}: {reason}"
    return url, ""


def start(env: dict, args: list[str], out, basetemp: Path) -> subprocess.Popen:
    # Each run its own temporary folder: pytest's numbered folders are tidied by age, and one run
    # must not tidy away the other's.
    if not any(a.startswith("--basetemp") for a in args):
        args = [*args, f"--basetemp={basetemp}"]
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )


def passed_through(label: str, lines) -> str:
    """Print the run's lines under its heading as they come; return its last non-empty line."""
    print(f"\n===== ceasefire tests on {label} =====", flush=True)
    last = ""
    for line in lines:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.strip():
            last = line.rstrip("\n")
    return last


def main(args: list[str]) -> int:
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    url, why_not = postgresql()
    if url is None:
        # Said first, so that pytest's summary stays the last line.
        if ci:
            print(f"FAILED PostgreSQL: {why_not} (CI=true: the PostgreSQL run is required)", flush=True)
        else:
            print(f"SKIPPED PostgreSQL: {why_not}", flush=True)
    else:
        print(f"PostgreSQL: {shown(url)}", flush=True)

    sqlite_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_NAME")}
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as kept,
        tempfile.TemporaryDirectory(prefix="ceasefire-tests-") as tmp,
    ):
        on_postgresql = None
        if url is not None:
            # The tests of the command itself use a database of their own, the same in both runs:
            # the SQLite run has them (unless the caller chose markers).
            pg_args = args if "-m" in args else [*args, "-m", "not own_database"]
            on_postgresql = start({**os.environ, "DATABASE_URL": url}, pg_args, kept, Path(tmp, "postgresql"))
        try:
            on_sqlite = start(sqlite_env, args, subprocess.PIPE, Path(tmp, "sqlite"))
            last = passed_through("SQLite", on_sqlite.stdout)
            results = [("SQLite", on_sqlite.wait(), last)]
            if on_postgresql is not None:
                code = on_postgresql.wait()
                if code == NOTHING_LEFT and "-m" not in args:
                    code = 0  # everything asked for was the command's own tests, run on SQLite above
                kept.seek(0)
                results.append(("PostgreSQL", code, passed_through("PostgreSQL", kept)))
        finally:
            if on_postgresql is not None and on_postgresql.poll() is None:
                on_postgresql.terminate()

    failed = [(label, code, last) for label, code, last in results if code != 0]
    if failed and failed[-1] != results[-1]:
        label, _code, last = failed[-1]
        print(f"The {label} run failed; its summary again:", flush=True)
        print(last, flush=True)
    if failed or (url is None and ci):
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
