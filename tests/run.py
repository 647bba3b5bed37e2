"""Run the whole test suite on SQLite, then again on PostgreSQL when one is reachable.

    .venv/bin/python tests/run.py [PYTEST ARGUMENTS]

PostgreSQL is the one DATABASE_URL names, else postgres://postgres@127.0.0.1:5432/ceasefire; the
database is created when missing, and pytest-django makes its own test_<name> beside it. When
none is reachable the run says "SKIPPED PostgreSQL: <reason>", and with CI=true that is a failure.
The exit code is non-zero when either run fails. The last line printed is pytest's own closing
summary: that of the PostgreSQL run, or of a run that failed.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ceasefire"


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


def pytest(label: str, env: dict, args: list[str]) -> tuple[int, str]:
    """Run pytest with its output passed through; return its exit code and its last line."""
    print(f"\n===== ceasefire tests on {label} =====", flush=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    last = ""
    for line in process.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if line.strip():
            last = line.rstrip("\n")
    return process.wait(), last


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
    results = [("SQLite", *pytest("SQLite", sqlite_env, args))]
    if url is not None:
        results.append(("PostgreSQL", *pytest("PostgreSQL", {**os.environ, "DATABASE_URL": url}, args)))

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
