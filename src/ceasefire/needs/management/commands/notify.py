from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "Mail people what has started needing them. `send` finds what is new for each person with an "
        "address (told once per item), queues a mail for those who want one at once and a digest for "
        "those whose day has come, then sends the outbox; a mail the server refuses stays there and is "
        "tried again by a later run. Run it from cron every few minutes. `email USERNAME ADDRESS` sets an "
        "account's address; `status` counts the mail waiting."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.add_parser("send", help="find what is new, queue mail, send the outbox (retrying what failed)")
        email = sub.add_parser("email", help="set the address USERNAME is mailed at (empty: no mail)")
        email.add_argument("username", metavar="USERNAME")
        email.add_argument("address", metavar="ADDRESS")
        sub.add_parser("status", help="mail waiting in the outbox, and the last error")

    def handle(self, *args, action, username=None, address=None, **options):
        from ceasefire.needs import notify
        from ceasefire.needs.models import Outbox

        require_migrated()
        if action == "send":
            done = notify.send()
            self.stdout.write(
                f"queued {done['queued']}, sent {done['sent']}, failed {done['failed']} (to retry); {done['waiting']} waiting in the outbox"
            )
            return
        if action == "email":
            from django.contrib.auth import get_user_model
            from django.core.exceptions import ValidationError
            from django.core.validators import validate_email

            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise fail(f"no account named {username!r} (ceasefire user list shows them)")
            if address:
                try:
                    validate_email(address)
                except ValidationError:
                    raise fail(f"{address!r} is not an email address") from None
            user.email = address
            user.save(update_fields=["email"])
            self.stdout.write(f"{username} is mailed at {address}" if address else f"{username} gets no mail")
            return
        waiting = Outbox.objects.filter(sent_at__isnull=True)
        last = waiting.exclude(last_error="").order_by("-id").first()
        self.stdout.write(
            f"{waiting.count()} waiting in the outbox" + (f"; last error: {last.last_error}" if last else "")
        )
