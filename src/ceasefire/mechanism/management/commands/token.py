from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "Make an API token for an account. The token is printed once, alone on the last line of "
        "standard output; only its hash is kept. Send it as `Authorization: Bearer TOKEN`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        create = sub.add_parser("create", help="make a new token for USERNAME")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument("--name", default="", help="what the token is for, e.g. the script that uses it")

    def handle(self, *args, action, username, name="", **options):
        from django.contrib.auth import get_user_model

        from ceasefire.api.tokens import create_token

        require_migrated()
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise fail(f"no account named {username!r} (ceasefire user list shows them)") from None
        if not user.is_active:
            raise fail(f"the account {username!r} is disabled")
        token = create_token(user, name)
        self.note(f"API token for {username}{f' ({name})' if name else ''}; shown only now:")
        self.say(token)
