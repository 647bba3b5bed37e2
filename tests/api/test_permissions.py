"""Who may do what, endpoint by endpoint and role by role.

Every role with an account reads every list and every row its audience may read (ceasefire.audience:
an action item is the parties', a 404 for observers); nobody without credentials reads anything but what
anyone may check the record with (PUBLIC_READS); a write is allowed to exactly the roles its
command allows, and a refused write leaves the record as it was.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ceasefire.api.tokens import create_token
from tests.conftest import ROLES

from .conftest import Api, assert_error, events
from .endpoints import PUBLIC_READS, READS, WRITES, fill

EVERYONE = list(ROLES)
# A row of the parties' audience, as observers read it: it does not exist for them.
PARTIES_ONLY_ROWS = {("/action-items/{item}", "observer")}


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("path", READS)
def test_every_role_reads_what_its_audience_may(api, committee, path, who):
    before = events()
    r = api(who).get(fill(path, committee))
    if (path, who) in PARTIES_ONLY_ROWS:
        assert_error(r, 404)
    else:
        assert r.status_code == 200, r.content
        assert r["Content-Type"].startswith("application/json")
        assert r.json() not in (None, "")
    assert events() == before  # reading writes nothing


@pytest.mark.parametrize("who", [None, *EVERYONE])
@pytest.mark.parametrize("path", list(PUBLIC_READS))
def test_anyone_reads_what_checks_the_record(api, committee, path, who, settings):
    settings.CHECKPOINT_EVERY_SECONDS = 1_000_000  # so that reading the checkpoint signs none
    before = events()
    r = api(who).get(fill(path, committee))
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith(PUBLIC_READS[path])
    assert r.content
    assert events() == before


@pytest.mark.parametrize("path", list(PUBLIC_READS))
def test_a_wrong_token_is_refused_even_where_none_is_needed(committee, path):
    assert_error(Api(Client(), "not-a-token").get(fill(path, committee)), 401, None)


@pytest.mark.parametrize("path", READS)
def test_nobody_reads_without_credentials(api, committee, path):
    r = api(None).get(fill(path, committee))
    assert_error(r, 401, None)
    assert r["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_is_allowed_to_exactly_the_roles_its_command_allows(api, actors, committee, write, who):
    path, body, allowed, prepare = WRITES[write]
    if prepare:
        prepare(actors, committee)
    before = events()
    r = api(who).post(fill(path, committee), body)
    if who in allowed:
        assert r.status_code == allowed[who], r.content
        assert events() == before + 1  # one command, one event
        assert isinstance(r.json(), dict)
        if allowed[who] == 201:
            assert isinstance(r.json()["id"], int)
    else:
        assert_error(r, 403, None)
        assert events() == before


@pytest.mark.parametrize("write", list(WRITES))
def test_no_write_without_credentials(api, actors, committee, write):
    path, body, _allowed, prepare = WRITES[write]
    if prepare:
        prepare(actors, committee)
    before = events()
    assert_error(api(None).post(fill(path, committee), body), 401, None)
    assert_error(Api(Client(), "not-a-token").post(fill(path, committee), body), 401, None)
    assert events() == before


@pytest.fixture
def stranger(db):
    """A login with no account on the committee."""
    user = get_user_model().objects.create_user("stranger", password=None)
    return Api(Client(), create_token(user))


@pytest.mark.parametrize("path", READS)
def test_a_login_without_an_account_reads_nothing(stranger, committee, path):
    assert_error(stranger.get(fill(path, committee)), 403, None)


@pytest.mark.parametrize("path", list(PUBLIC_READS))
def test_a_login_without_an_account_reads_what_the_public_reads(stranger, committee, path):
    assert stranger.get(fill(path, committee)).status_code == 200


@pytest.mark.parametrize("write", list(WRITES))
def test_a_login_without_an_account_writes_nothing(stranger, actors, committee, write):
    path, body, _allowed, prepare = WRITES[write]
    if prepare:
        prepare(actors, committee)
    before = events()
    assert_error(stranger.post(fill(path, committee), body), 403, None)
    assert events() == before
