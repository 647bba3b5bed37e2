"""`ceasefire token create USERNAME` prints a new API token alone on its last line of stdout, and
works beside a running demo: the token authenticates against that demo's API at once."""

import json
import re
import urllib.error
import urllib.request

from .helpers import ceasefire, no_traceback

TOKEN = re.compile(r"^cf_[A-Za-z0-9_-]{40,}$")


def me(server, token):
    request = urllib.request.Request(server.url + "api/v1/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def test_token_on_the_last_line_authenticates_against_the_running_demo(server):
    run = ceasefire("token", "create", "west-head", "--name", "test script", "--data-dir", server.data)
    assert run.returncode == 0, run.stderr
    token = run.stdout.rstrip("\n").splitlines()[-1]
    assert TOKEN.match(token), run.stdout
    # A token needs no second factor; for an account that may sign for a party, it says so.
    assert "This token acts for west-head without a second factor" in run.stderr

    status, body = me(server, token)
    assert status == 200, body
    assert body["username"] == "west-head"
    assert body["party"] == "west"


def test_each_token_is_new_and_a_wrong_one_is_refused(server):
    first = ceasefire("--data-dir", server.data, "token", "create", "observer").stdout.splitlines()[-1]
    second = ceasefire("token", "create", "observer", f"--data-dir={server.data}").stdout.splitlines()[-1]
    assert first != second
    assert me(server, first)[0] == me(server, second)[0] == 200
    assert me(server, first[:-2] + "xx")[0] == 401


def test_unknown_user_is_named_in_one_line(server):
    run = ceasefire("token", "create", "nobody-here", "--data-dir", server.data)
    assert run.returncode == 2
    no_traceback(run)
    assert run.stdout == ""
    assert run.stderr.strip().count("\n") == 0
    assert "'nobody-here'" in run.stderr


def test_a_revoked_token_no_longer_authenticates(server):
    token = ceasefire(
        "token", "create", "east-head", "--name", "to-revoke", "--data-dir", server.data
    ).stdout.splitlines()[-1]
    assert me(server, token)[0] == 200
    listed = ceasefire("token", "list", "east-head", "--data-dir", server.data)
    assert listed.returncode == 0 and "to-revoke" in listed.stdout
    revoked = ceasefire("token", "revoke", "east-head", "--name", "to-revoke", "--data-dir", server.data)
    assert revoked.returncode == 0 and "revoked 1 token" in revoked.stdout
    assert me(server, token)[0] == 401


def test_a_read_only_token_reads_and_may_not_write(server):
    run = ceasefire("token", "create", "west-head", "--name", "west witness", "--read-only", "--data-dir", server.data)
    assert run.returncode == 0, run.stderr
    assert "Read-only API token for west-head" in run.stderr and "second factor" not in run.stderr
    token = run.stdout.splitlines()[-1]
    assert TOKEN.match(token), run.stdout
    status, body = me(server, token)
    assert status == 200 and body["username"] == "west-head"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en"}
    request = urllib.request.Request(server.url + "api/v1/meetings", data=b"{}", method="POST", headers=headers)
    try:
        urllib.request.urlopen(request, timeout=20)
        raise AssertionError("a read-only token wrote")
    except urllib.error.HTTPError as e:
        assert e.code == 403
        assert "The token 'west witness' is read-only" in json.loads(e.read())["detail"][0]["message"]
    listed = ceasefire("token", "list", "west-head", "--data-dir", server.data).stdout
    assert "west witness\tread-only\t" in listed
