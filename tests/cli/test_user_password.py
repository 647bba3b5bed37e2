"""`ceasefire user password USERNAME` sets a new password (the demo's way back to an account)."""

import sqlite3

from .helpers import PASSWORD, ceasefire, no_traceback


def stored(data, username):
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return db.execute("select password from auth_user where username = ?", [username]).fetchone()[0]


def test_new_password_is_printed_and_stored(demo, tmp_path):
    data = demo.copy(tmp_path / "data")
    before = stored(data, "east-member")
    run = ceasefire("user", "password", "east-member", "--data-dir", data)
    assert run.returncode == 0, run.stderr
    password = run.stdout.splitlines()[-1]
    assert PASSWORD.fullmatch(password)
    assert password not in demo.first.stdout
    assert stored(data, "east-member") != before


def test_unknown_user_exits_2(demo, tmp_path):
    run = ceasefire("user", "password", "ghost", "--data-dir", demo.dir)
    assert run.returncode == 2
    no_traceback(run)
    assert "'ghost'" in run.stderr
