"""From a login to the actor the record names."""

from ceasefire.record import log
from ceasefire.record.log import Actor

from .models import Account, Role

# The roles that sit for a party. A monitor may come from a party's ranks (its account says which),
# but it works for the joint mechanism: it never counts for, signs for or speaks for a party.
PARTY_ROLES = (Role.HEAD, Role.MEMBER)


def party_of(account: Account) -> str:
    """The party an account acts for: a delegate's party; "" for everyone else, monitors included."""
    return account.party if account.role in PARTY_ROLES else ""


def actor_for(user) -> Actor | None:
    """The actor for an authenticated user with an account on the committee, else None."""
    if not user or not user.is_authenticated:
        return None
    try:
        account = user.account
    except Account.DoesNotExist:
        return None
    return Actor(username=user.username, party=party_of(account), role=account.role)


def speaks_for_party(actor: Actor) -> bool:
    """The head of a delegation, or whoever the party has designated, speaks for it."""
    if not actor.party:
        return False
    if actor.role not in PARTY_ROLES:  # a monitor or observer never speaks for a party
        return False
    if actor.role == Role.HEAD:
        return True
    return Account.objects.filter(user__username=actor.username, party=actor.party, speaks_for_party=True).exists()


def create_account(username: str, password: str | None, role: str, party: str = "", speaks_for_party: bool = False):
    """A login with its role on the committee. The password is checked against the validators."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.db import transaction

    from ceasefire import validate as v
    from ceasefire.errors import Conflict, Invalid

    from .models import Party

    User = get_user_model()
    username = v.text(username, "username", max_length=150, required=True)
    role = v.choice(role, "role", Role)
    if role in (Role.HEAD, Role.MEMBER) and not party:
        raise Invalid("a head of delegation or member account belongs to a party", "party")
    if party and role in (Role.FACILITATOR, Role.OBSERVER):
        raise Invalid("a facilitator or observer account belongs to no party", "party")
    if speaks_for_party and role not in (Role.HEAD, Role.MEMBER):
        raise Invalid("only a delegate may be designated to speak for a party", "speaks_for_party")
    if party and not Party.objects.filter(code=party).exists():
        raise Invalid(f"no party with code {party!r}", "party")
    if User.objects.filter(username=username).exists():
        raise Conflict(f"an account named {username!r} exists already", "username")
    user = User(username=username)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except Exception as e:  # ValidationError: name the field
            raise Invalid(" ".join(getattr(e, "messages", [str(e)])), "password") from None
        user.set_password(password)
    with transaction.atomic():
        user.save()
        account = Account.objects.create(user=user, role=role, party=party, speaks_for_party=speaks_for_party)
        # Enrolled now, so that the parties' record tells who the account is before it first acts.
        log.enroll(Actor(username=username, party=party_of(account), role=role))
    return user
