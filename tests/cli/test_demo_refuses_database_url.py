"""The demo keeps its own SQLite database in the data folder: with DATABASE_URL set it says so and
stops, rather than filling a shared database with exercise data."""

from .helpers import ceasefire, environment, no_traceback


def test_demo_refuses_database_url(tmp_path):
    env = environment(DATABASE_URL="postgres://nobody@127.0.0.1:1/nowhere")
    run = ceasefire("demo", "--no-serve", "--data-dir", tmp_path / "data", env=env)
    assert run.returncode == 2
    no_traceback(run)
    assert "DATABASE_URL" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "ceasefire.sqlite3").exists()
