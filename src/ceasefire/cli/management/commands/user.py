import sys

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated

from .demo import new_password


def _read_password() -> str:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise fail("--password-stdin: no password on standard input")
    return password


class Command(Base):
    help = (
        "Accounts on the committee: create one, list them, set a new password, or remove an account's "
        "second factor (reset-2fa) so that it sets one up again at its next sign-in."
    )

    def add_arguments(self, parser):
        from ceasefire.mechanism.models import Role

        roles = ", ".join(Role.values)
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

        create = sub.add_parser(
            "create",
            help="make an account; a password is generated and printed unless --password-stdin",
            description="Make an account. Without --password-stdin a password is generated and printed once.",
        )
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--role", required=True, help=f"one of: {roles}")
        create.add_argument("--party", default="", help="the party code (required for head and member), e.g. east")
        create.add_argument(
            "--speaks-for-party",
            action="store_true",
            help="this account may give its party's positions (a head of delegation always may)",
        )
        create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

        sub.add_parser("list", help="every account with its role and party")

        password = sub.add_parser(
            "password",
            help="set a new password (generated and printed unless --password-stdin); also lifts a lockout",
        )
        password.add_argument("username", metavar="USERNAME")
        password.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

        reset = sub.add_parser(
            "reset-2fa",
            help="remove the account's authenticator app and recovery codes (a lost phone); also lifts a lockout",
            description=(
                "Remove the account's second factor: its authenticator app and its recovery codes. Its "
                "browsers signed in with that app are signed out. An account that must have a second factor "
                "(head, member, facilitator) sets one up again at its next sign-in."
            ),
        )
        reset.add_argument("username", metavar="USERNAME")

    def handle(self, *args, action, **options):
        require_migrated()
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _create(self, username, role, party, speaks_for_party, password_stdin, **options):
        from ceasefire.mechanism.accounts import create_account
        from ceasefire.mechanism.models import Role

        if role not in Role.values:
            raise fail(f"unknown role {role!r} (roles: {', '.join(Role.values)})")
        generated = not password_stdin
        password = new_password() if generated else _read_password()
        create_account(username, password, role, party, speaks_for_party=speaks_for_party)
        self.say(f"Created account {username} ({role}{', party ' + party if party else ''}).")
        if generated:
            self.say("Its password, shown only now:")
            self.say(password)

    def _list(self, **options):
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from ceasefire.mechanism.second_factor import ROLES

        with_app = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
        rows = [("username", "role", "party", "speaks", "2fa", "active", "last login")]
        for user in get_user_model().objects.select_related("account").order_by("username"):
            account = getattr(user, "account", None)
            required = account is not None and account.role in ROLES
            rows.append(
                (
                    user.username,
                    account.role if account else "(no account)",
                    (account.party if account else "") or "-",
                    "yes" if account and (account.speaks_for_party or account.role == "head") else "",
                    "yes" if user.pk in with_app else ("at next sign-in" if required else "no"),
                    "yes" if user.is_active else "no",
                    user.last_login.strftime("%Y-%m-%d %H:%M UTC") if user.last_login else "never",
                )
            )
        if len(rows) == 1:
            self.say("No accounts yet: `ceasefire user create USERNAME --role ROLE` makes one.")
            return
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())

    def _password(self, username, password_stdin, **options):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise fail(f"no account named {username!r} (ceasefire user list shows them)") from None
        generated = not password_stdin
        password = new_password() if generated else _read_password()
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise fail(f"password: {' '.join(e.messages)}") from None
        user.set_password(password)
        user.save(update_fields=["password"])
        # A forgotten password often comes with a lockout: lift it too.
        from axes.utils import reset

        reset(username=username)
        self.say(f"New password set for {username}.")
        if generated:
            self.say("It is shown only now:")
            self.say(password)

    def _reset_2fa(self, username, **options):
        from axes.utils import reset
        from django.contrib.auth import get_user_model

        from ceasefire.mechanism import second_factor

        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise fail(f"no account named {username!r} (ceasefire user list shows them)") from None
        apps, codes = second_factor.reset(user)
        # Whoever lost a phone has often tried codes that failed: lift that wait too.
        reset(username=username)
        if apps:
            self.say(
                f"Removed the second factor of {username}: its authenticator app and {codes} unused recovery code(s)."
            )
        else:
            self.say(f"{username} had no second factor set up; nothing removed.")
        if second_factor.required(user):
            self.say("It sets up an authenticator app again at its next sign-in.")
        else:
            self.say("It signs in with its password alone, unless it sets up two-factor sign-in again.")
