"""The demo's first start: migrates a SQLite database in the data folder, loads libya-2020 and
prints one account per role with a password, once."""

import re
import sqlite3

import argon2

from .helpers import DEMO_USERS, PASSWORD


def _rows(demo):
    """username -> (role, party, password) from the printed table."""
    rows = {}
    for line in demo.first.stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in DEMO_USERS:
            rows[cells[0]] = line
    return rows


def test_progress_is_printed(demo):
    out = demo.first.stdout
    assert "Migrating the database" in out
    assert "Loading scenario libya-2020" in out
    appended = [int(n) for n in re.findall(r"(\d+) events appended", out)]
    assert len(appended) == 2 and all(appended), out  # the scenario's, then the exercise reports'
    assert re.search(r"Filing 2 exercise reports, marked EXERCISE", out), out
    with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
        assert db.execute("select count(*) from record_event").fetchone()[0] == sum(appended)
        titles = [t for (t,) in db.execute("select title_en from incidents_report")]
        assert len(titles) == 2 and all(t.startswith("EXERCISE — ") for t in titles), titles
        assert db.execute("select count(*) from mechanism_mechanism").fetchone()[0] == 1


def test_one_account_per_role_with_a_password_printed_once(demo):
    rows = _rows(demo)
    assert sorted(rows) == sorted(DEMO_USERS)
    passwords = {name: PASSWORD.search(line).group(0) for name, line in rows.items()}
    assert len(set(passwords.values())) == 6
    assert "http://127.0.0.1:8000/" in demo.first.stdout
    # Each password appears once: in the table and nowhere else (not on stderr either).
    for password in passwords.values():
        assert demo.first.stdout.count(password) == 1
        assert password not in demo.first.stderr


def test_accounts_have_their_roles_and_parties(demo):
    with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
        accounts = {
            u: (r, p)
            for u, r, p in db.execute(
                "select u.username, a.role, a.party from auth_user u join mechanism_account a on a.user_id = u.id"
            )
        }
    assert accounts == {
        "east-head": ("head", "east"),
        "east-member": ("member", "east"),
        "west-head": ("head", "west"),
        "west-member": ("member", "west"),
        "facilitator": ("facilitator", ""),
        "observer": ("observer", ""),
    }


def test_the_printed_passwords_are_the_stored_ones(demo):
    rows = _rows(demo)
    with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
        stored = dict(db.execute("select username, password from auth_user"))
    hasher = argon2.PasswordHasher()
    for name, line in rows.items():
        algorithm, _, encoded = stored[name].partition("$")
        assert algorithm == "argon2", stored[name][:20]
        assert hasher.verify("$" + encoded, PASSWORD.search(line).group(0))
