"""`python -m ceasefire.record.verify` runs with nothing but the standard library and `cryptography`:
in a process where importing Django, rfc8785, ninja or pydantic is impossible, it still verifies a
bundle, and still names a tampered entry."""

import subprocess
import sys

from .test_bundle_helpers import Edit, export, record  # noqa: F401 (fixture)

BLOCKED = ("django", "rfc8785", "ninja", "pydantic", "psycopg", "dj_database_url")

# Setting sys.modules[name] = None makes `import name` raise ImportError, for the package and, since
# a submodule's import starts with its package, for everything in it.
RUN = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None
import runpy
sys.argv = ["verify", *{args!r}]
try:
    runpy.run_module("ceasefire.record.verify", run_name="__main__", alter_sys=True)
finally:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {blocked!r} and sys.modules[m] is not None)
    print("loaded:", loaded, file=sys.stderr)
"""


def verify_alone(*args: str) -> subprocess.CompletedProcess:
    code = RUN.format(blocked=BLOCKED, args=list(map(str, args)))
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}  # no DJANGO_SETTINGS_MODULE, no DATABASE_URL
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def test_the_verifier_runs_without_django(record, tmp_path):
    run = verify_alone(export(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK: ")
    assert "loaded: []" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_verifier_names_a_tampered_entry_without_django(record, tmp_path):
    path = export(tmp_path, "public")
    edit = Edit.read(path)
    i = [j for j in edit.readable() if b'"facilitator"' in edit.entries[j]][-1]
    edit.entries[i] = edit.entries[i].replace(b'"facilitator"', b'"facilitatoR"')
    edit.write(path)
    run = verify_alone(path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"FAILED: {path}: entry {i}: its bytes do not match the leaf hash the tree recorded" in run.stderr
    assert "Traceback" not in run.stderr


def test_usage_errors_exit_2_without_django(tmp_path):
    run = verify_alone(tmp_path / "no-such.bundle")
    assert run.returncode == 2 and "cannot read" in run.stderr
    run = verify_alone()
    assert run.returncode == 2 and "usage:" in run.stderr
