"""`--data-dir DIR` is honoured wherever it stands on the line: the database and the secret key are
made there, and nothing lands in ./ceasefire-data."""

import sqlite3

from .helpers import ceasefire


def test_demo_creates_its_database_in_the_data_dir(demo):
    assert (demo.dir / "ceasefire.sqlite3").is_file()
    assert (demo.dir / "secret_key").is_file()
    assert (demo.dir / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner alone


def test_data_dir_anywhere_on_the_line(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    first = ceasefire("--data-dir", before, "migrate", "-v", "0", cwd=tmp_path)
    second = ceasefire("migrate", "-v", "0", f"--data-dir={after}", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    for data in (before, after):
        with sqlite3.connect(data / "ceasefire.sqlite3") as db:
            assert db.execute("select count(*) from django_migrations").fetchone()[0] > 0
    assert not (tmp_path / "ceasefire-data").exists()


def test_default_is_ceasefire_data_in_the_current_folder(tmp_path):
    run = ceasefire("user", "list", cwd=tmp_path)
    # Not migrated yet: told so in one line, naming the database and the way out.
    assert run.returncode == 2
    assert str(tmp_path / "ceasefire-data" / "ceasefire.sqlite3") in run.stderr
    assert "ceasefire migrate" in run.stderr
    assert "Traceback" not in run.stderr
