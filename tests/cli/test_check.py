"""`ceasefire check` lists, item by item, what production still lacks, and exits 1 on the demo's
defaults; with a production environment it passes."""

import re
import secrets
import shlex
import sqlite3

from .helpers import ceasefire, environment, no_traceback


def items(run) -> dict[str, str]:
    """name -> level, from lines like '  PROBLEM  SECRET_KEY  not set ...'."""
    found = {}
    for line in run.stdout.splitlines():
        cells = line.split()
        if len(cells) >= 2 and cells[0] in ("ok", "warning", "PROBLEM"):
            found[cells[1]] = cells[0]
    return found


def test_demo_defaults_are_not_ready(demo):
    run = ceasefire("check", "--data-dir", demo.dir)
    assert run.returncode == 1, run.stdout + run.stderr
    no_traceback(run)
    found = items(run)
    assert found["SECRET_KEY"] == "PROBLEM"
    assert found["ALLOWED_HOSTS"] == "PROBLEM"
    assert found["DEBUG"] == "ok"  # off by default: listed, and fine
    assert found["SECURE_COOKIES"] == "PROBLEM"
    assert found["SECURE_SSL_REDIRECT"] == "PROBLEM"
    assert found["DATABASE_URL"] == "warning"  # SQLite: fine for one machine, said anyway
    assert found["record-guard"] == "ok"  # the migrations installed it
    # On SQLite no database role stands between the server and the record: the file's permissions do.
    assert found["database-file"] == "warning"
    assert "the file's permissions are the only protection" in run.stdout
    assert "database-role" not in found
    assert "not ready for production" in run.stdout


def test_debug_on_is_a_problem(demo):
    run = ceasefire("check", "--data-dir", demo.dir, env=environment(DEBUG="true"))
    assert run.returncode == 1
    assert items(run)["DEBUG"] == "PROBLEM"


def test_a_production_environment_passes(demo):
    env = environment(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="jmc.example.org",
        SECURE_COOKIES="true",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="3600",
    )
    run = ceasefire("check", "--data-dir", demo.dir, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    found = items(run)
    assert "PROBLEM" not in found.values(), run.stdout
    assert found["SECRET_KEY"] == found["DEBUG"] == found["ALLOWED_HOSTS"] == "ok"
    assert "ready for production" in run.stdout


def test_a_database_file_anyone_may_write_is_a_problem(demo, tmp_path):
    data = demo.copy(tmp_path / "data")
    data.chmod(0o777)  # every user of the machine may replace the file, or drop the guard's triggers
    run = ceasefire("check", "--data-dir", data)
    assert items(run)["database-file"] == "PROBLEM", run.stdout
    assert f"{data} may be written by every user of this machine (chmod o-w)" in run.stdout


def test_a_dropped_guard_is_a_problem_and_the_advice_puts_it_back(demo, tmp_path):
    data = demo.copy(tmp_path / "data")
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        db.execute("drop trigger record_event_no_delete")  # what an administrator's shell can do
    run = ceasefire("check", "--data-dir", data)
    assert run.returncode == 1, run.stdout + run.stderr
    no_traceback(run)
    assert items(run)["record-guard"] == "PROBLEM"
    assert "missing for DELETE of record_event: someone dropped or disabled the triggers" in run.stdout
    assert f"ceasefire replay --check --data-dir {data}" in run.stdout
    advice = re.search(r"put the guard back with `([^`]+)`", run.stdout).group(1)
    words = shlex.split(advice)
    assert words[0] == "ceasefire"
    fixed = ceasefire(*words[1:])
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert items(ceasefire("check", "--data-dir", data))["record-guard"] == "ok"


def test_a_proxy_in_front_without_trusted_proxies_is_a_warning(demo):
    behind = environment(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    run = ceasefire("check", "--data-dir", demo.dir, env=behind)
    assert items(run)["CEASEFIRE_TRUSTED_PROXIES"] == "warning", run.stdout
    assert "every sign-in seems to come from the proxy's address" in run.stdout
    run = ceasefire(
        "check", "--data-dir", demo.dir, env={**behind, "CEASEFIRE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}
    )
    assert items(run)["CEASEFIRE_TRUSTED_PROXIES"] == "ok"
    assert "127.0.0.1/32, 10.0.0.0/8" in run.stdout
