"""`ceasefire user create`: a bad role, party or name is one line on stderr naming the value, exit 2;
a good one makes the account and prints a generated password (or takes one from stdin)."""

import sqlite3

import pytest

from .helpers import PASSWORD, ceasefire, no_traceback


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):
    return demo.copy(tmp_path_factory.mktemp("users") / "data")


def accounts(data):
    with sqlite3.connect(data / "ceasefire.sqlite3") as db:
        return {
            u: (r, p, bool(s))
            for u, r, p, s in db.execute(
                "select u.username, a.role, a.party, a.speaks_for_party from auth_user u "
                "join mechanism_account a on a.user_id = u.id"
            )
        }


def one_line_error(run, *named):
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    no_traceback(run)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    for text in named:
        assert text in lines[0], lines[0]


def test_bad_role_exits_2_naming_the_role(data):
    before = accounts(data)
    run = ceasefire("user", "create", "someone", "--role", "general", "--data-dir", data)
    one_line_error(run, "'general'", "role")
    assert accounts(data) == before


def test_unknown_party_is_named(data):
    run = ceasefire("user", "create", "someone", "--role", "member", "--party", "north", "--data-dir", data)
    one_line_error(run, "'north'", "party")
    assert "someone" not in accounts(data)


def test_existing_name_is_refused(data):
    run = ceasefire("user", "create", "west-head", "--role", "observer", "--data-dir", data)
    one_line_error(run, "'west-head'")


def test_generated_password_is_printed_on_the_last_line(data):
    run = ceasefire(
        "user", "create", "west-2", "--role", "member", "--party", "west", "--speaks-for-party", "--data-dir", data
    )
    assert run.returncode == 0, run.stderr
    assert PASSWORD.fullmatch(run.stdout.splitlines()[-1])
    assert accounts(data)["west-2"] == ("member", "west", True)


def test_password_from_stdin_is_checked_by_the_validators(data):
    weak = ceasefire(
        "user", "create", "monitor-1", "--role", "monitor", "--password-stdin", "--data-dir", data, input="12345\n"
    )
    one_line_error(weak, "password")
    assert "monitor-1" not in accounts(data)

    good = ceasefire(
        "user",
        "create",
        "monitor-1",
        "--role",
        "monitor",
        "--password-stdin",
        "--data-dir",
        data,
        input="a long and unusual passphrase 42\n",
    )
    assert good.returncode == 0, good.stderr
    assert "passphrase" not in good.stdout
    assert accounts(data)["monitor-1"] == ("monitor", "", False)


def test_user_list_shows_the_accounts(data):
    run = ceasefire("user", "list", "--data-dir", data)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split()[:3] == ["username", "role", "party"]
    rows = {line.split()[0]: line.split()[1:3] for line in lines[1:]}
    assert rows["east-head"] == ["head", "east"]
    assert rows["observer"] == ["observer", "-"]
