"""A later start of the demo on the same folder makes no new passwords and loads nothing twice:
no new members, witness keys or cosignatures."""

import sqlite3

from .helpers import PASSWORD, ceasefire, no_traceback


def test_second_start_prints_no_password(demo, tmp_path):
    data = demo.copy(tmp_path / "data")
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        before = (
            db.execute("select count(*) from record_event").fetchone()[0],
            dict(db.execute("select username, password from auth_user")),
            db.execute("select count(*) from record_cosignature").fetchone()[0],
        )

    second = ceasefire("demo", "--no-serve", "--data-dir", data)

    assert second.returncode == 0, second.stderr
    no_traceback(second)
    assert not PASSWORD.search(second.stdout + second.stderr)
    assert "exist already" in second.stdout
    assert "ceasefire user password USERNAME" in second.stdout
    assert "not loading libya-2020 again" in second.stdout
    assert "Seating" not in second.stdout and "witness" not in second.stdout
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        after = (
            db.execute("select count(*) from record_event").fetchone()[0],
            dict(db.execute("select username, password from auth_user")),
            db.execute("select count(*) from record_cosignature").fetchone()[0],
        )
    assert after == before
