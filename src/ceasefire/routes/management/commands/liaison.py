from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "What the committee shares with a neighbour's liaison committee (Chad, Niger, Sudan). "
        "`export --to chad|niger|sudan [--format json|csv] --out FILE --as USERNAME` writes only what the committee "
        "agreed and shares with observers (docs/liaison-export.md) and records the export in the record "
        "(routes.data_shared: the file's SHA-256, the recipient, the checkpoint). The facilitator's account only."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        exp = sub.add_parser("export", help="write the export for a neighbour's liaison committee and record it")
        exp.add_argument("--to", dest="recipient", required=True, help="chad, niger or sudan")
        exp.add_argument("--format", default="json", help="json (default) or csv")
        exp.add_argument("--out", required=True, help="a new file")
        exp.add_argument("--as", dest="username", required=True, help="the facilitator's account")

    def handle(self, *args, action, username, recipient, format, out, **options):
        from django.contrib.auth import get_user_model

        from ceasefire.mechanism.accounts import actor_for
        from ceasefire.routes import share

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        target = Path(out)
        if target.exists():
            raise fail(f"{out} exists already: give a new file")
        blob, shared = share.share(actor, {"recipient": recipient, "format": format})
        target.write_bytes(blob)
        self.say(f"{out}: sha256 {shared.sha256}, for {shared.recipient}, at checkpoint {shared.checkpoint} (recorded)")
