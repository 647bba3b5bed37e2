import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory, override_settings

from ceasefire import settings as production
from ceasefire.errors import Conflict, Invalid
from ceasefire.mechanism.accounts import actor_for, create_account, speaks_for_party
from ceasefire.record.log import Actor
from tests.conftest import PASSWORD


def test_production_hashes_passwords_with_argon2():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_an_account_is_stored_with_an_argon2_hash_and_logs_in(mechanism):
    user = create_account("west-head", PASSWORD, "head", "west")
    assert user.password.startswith("argon2")
    request = RequestFactory().post("/login/")
    assert authenticate(request, username="west-head", password=PASSWORD) == user


def test_an_account_becomes_the_actor_the_record_names(accounts):
    assert actor_for(accounts["east-member"]) == Actor("east-member", "east", "member")
    assert actor_for(accounts["facilitator"]) == Actor("facilitator", "", "facilitator")


def test_heads_speak_for_their_party_members_only_when_designated(actors):
    assert speaks_for_party(actors["west-head"])
    assert not speaks_for_party(actors["west-member"])
    assert not speaks_for_party(actors["facilitator"])
    create_account("east-monitor", PASSWORD, "monitor", "east")
    assert not speaks_for_party(Actor("east-monitor", "east", "monitor"))


@pytest.mark.parametrize(
    "args, field",
    [
        (("x", PASSWORD, "general"), "role"),
        (("x", PASSWORD, "head"), "party"),
        (("x", PASSWORD, "member", "south"), "party"),
        (("x", "short", "observer"), "password"),
        (("", PASSWORD, "observer"), "username"),
        (("x", PASSWORD, "observer", "east"), "party"),
        (("x", PASSWORD, "facilitator", "west"), "party"),
        (("x", PASSWORD, "monitor", "west", True), "speaks_for_party"),
    ],
)
def test_a_bad_account_is_refused_naming_the_field(mechanism, args, field):
    with pytest.raises(Invalid) as caught:
        create_account(*args)
    assert caught.value.field == field


def test_usernames_are_unique(accounts):
    with pytest.raises(Conflict):
        create_account("observer", PASSWORD, "observer")
