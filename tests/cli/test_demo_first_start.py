"""The demo's first start: migrates a SQLite database in the data folder, loads libya-2020,
prints one account per role with a password, once, seats exercise members in every seat and
registers a witness key per party and the mission, each of which cosigns the whole record."""

import hashlib
import json
import re
import sqlite3
import stat

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
    # the scenario's, the accounts' enrollments, the exercise reports', the exercise members', the witness keys', the cosignatures'
    assert len(appended) == 6 and all(appended), out
    assert re.search(r"Filing 2 exercise reports, marked EXERCISE", out), out
    assert re.search(r"Seating 10 exercise members, marked EXERCISE", out), out
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


def test_every_seat_holds_an_exercise_member_and_the_delegates_accounts_are_named(demo):
    with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
        members = db.execute(
            "select party_id, seat, role, name_latin, name_ar, title_en from mechanism_member where tenure_end is null"
        ).fetchall()
        seats = dict(db.execute("select code, seats from mechanism_party"))
        quorum = dict(db.execute("select code, quorum from mechanism_party"))
    assert sorted((p, s) for p, s, *_ in members) == sorted((p, s) for p, n in seats.items() for s in range(1, n + 1))
    assert all(n >= quorum[p] for p, n in seats.items())  # quorum can be reached, and missed
    for party, seat, role, latin, arabic, title in members:
        assert latin.startswith("EXERCISE — ") and arabic.startswith("تمرين — "), (latin, arabic)
        assert role == ("head" if seat == 1 else "member")
        assert title == {1: "Played by the demo's head account", 2: "Played by the demo's member account"}.get(seat, "")


def test_each_witness_cosigned_the_whole_record_with_its_key_kept_in_the_data_folder(demo):
    with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
        keys = dict(
            db.execute("select coalesce(party_id, ''), vkey from mechanism_witnesskey where retired_at is null")
        )
        # what they cosigned: the whole record before the entries that keep their cosignatures
        events = db.execute("select count(*) from record_event where type <> 'checkpoint.cosigned'").fetchone()[0]
        cosigned = dict(db.execute("select name, max(checkpoint_id) from record_cosignature group by name"))
    assert sorted(keys) == ["", "east", "west"]
    assert cosigned == {vkey.split("+")[0]: events for vkey in keys.values()}, (cosigned, events)
    for holder in ("east", "west", "mission"):
        key = demo.dir / "witnesses" / holder / "witness.key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert (demo.dir / "witnesses" / holder / "state" / "checkpoint").exists()
        # It read as its party (or the mission), so its copy holds every entry in full.
        token = demo.dir / "witnesses" / holder / "token"
        assert stat.S_IMODE(token.stat().st_mode) == 0o600
        # ... with a token that may only read: a head's full token could take positions.
        digest = hashlib.sha256(token.read_text().strip().encode()).hexdigest()
        with sqlite3.connect(demo.dir / "ceasefire.sqlite3") as db:
            assert db.execute("select read_only from api_token where digest = ?", (digest,)).fetchall() == [(1,)]
        meta = json.loads((demo.dir / "witnesses" / holder / "state" / "entries.json").read_text())
        assert meta["audience"] == "parties", meta
        assert f"{holder} witness: cosigned checkpoint {events}" in demo.first.stdout
