from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "API tokens. `create` prints a new token once, alone on the last line of standard output; "
        "only its hash is kept. Send it as `Authorization: Bearer TOKEN`. A `--read-only` token (a "
        "witness's) reads what its account may read and is refused any write. `list` shows an account's "
        "tokens, `revoke` deletes them (all, or those with --name)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = sub.add_parser("create", help="make a new token for USERNAME")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--name", default="", help="what the token is for, e.g. the script that uses it")
        create.add_argument(
            "--read-only",
            action="store_true",
            help="the token may read (GET) and nothing else: for a witness, or any script that only reads",
        )
        listing = sub.add_parser("list", help="USERNAME's tokens: name, read-only or read-write, created, last used")
        listing.add_argument("username", metavar="USERNAME")
        revoke = sub.add_parser("revoke", help="delete USERNAME's tokens (only those named --name, if given)")
        revoke.add_argument("username", metavar="USERNAME")
        revoke.add_argument("--name", default=None, help="revoke only the tokens with this name")

    def handle(self, *args, action, username, name=None, read_only=False, **options):
        from django.contrib.auth import get_user_model

        from ceasefire.api.models import Token
        from ceasefire.api.tokens import create_token, revoke_tokens
        from ceasefire.mechanism.second_factor import required

        require_migrated()
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise fail(f"no account named {username!r} (ceasefire user list shows them)") from None
        if action == "list":
            rows = Token.objects.filter(user=user).order_by("created")
            for t in rows:
                self.say(
                    f"{t.name or '-'}\t{'read-only' if t.read_only else 'read-write'}\tcreated {t.created:%Y-%m-%d %H:%M}\tlast used {t.last_used or 'never'}"
                )
            if not rows:
                self.note(f"{username} has no API tokens")
            return
        if action == "revoke":
            n = revoke_tokens(user, name)
            self.say(f"revoked {n} token(s) of {username}{f' named {name!r}' if name is not None else ''}")
            return
        if not user.is_active:
            raise fail(f"the account {username!r} is disabled")
        token = create_token(user, name or "", read_only=read_only)
        if required(user) and not read_only:
            # A token is a credential of its own: made only here, by whoever runs the server (who
            # could as well remove the account's second factor), never typed into a page, and
            # revocable. It needs no second factor, so say plainly what it is.
            self.note(
                f"This token acts for {username} without a second factor, as this account may sign for a "
                "party or for the mission: keep it like a key, or make it --read-only if its script only reads."
            )
        self.note(
            f"{'Read-only API' if read_only else 'API'} token for {username}{f' ({name})' if name else ''}; shown only now:"
        )
        self.say(token)
