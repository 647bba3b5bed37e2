import sys
from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "Situation reports. `sitrep build --period 2026-11 --lang ar [--public | --audience A] OUT.pdf` writes a "
        "report's PDF, built from a checkpoint it signs first (the parties' version unless --public); "
        "`sitrep issue ... --as USERNAME OUT.pdf` builds it and enters its hash in the record (the facilitator); "
        "`sitrep verify REPORT.pdf BUNDLE` recomputes every figure from a bundle of the record."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("build", "issue"):
            p = sub.add_parser(name)
            p.add_argument("out", metavar="OUT.pdf", help="a file that does not exist yet")
            p.add_argument("--period", required=True, help="a month (2026-11) or two days (2026-11-01..2026-11-15)")
            p.add_argument("--lang", required=True, choices=("ar", "en"))
            who = p.add_mutually_exclusive_group()
            who.add_argument(
                "--public", action="store_true", help="the public version: only what the committee published"
            )
            who.add_argument("--audience", choices=("parties", "observers", "public"), default="parties")
            p.add_argument("--html", metavar="FILE", help="also write the HTML the PDF was rendered from")
            if name == "issue":
                p.add_argument("--as", dest="username", required=True, help="the facilitator's account")
        v = sub.add_parser("verify")
        v.add_argument("report", metavar="REPORT.pdf")
        v.add_argument("bundle", metavar="BUNDLE")

    def handle(self, *args, action, **options):
        if action == "verify":
            return self.verify(options["report"], options["bundle"])
        from django.utils.translation import override

        from ceasefire.errors import CommandError as Refused
        from ceasefire.sitrep import build as builder
        from ceasefire.sitrep.figures import parse_period

        require_migrated()
        out = Path(options["out"])
        if out.exists() or out.is_symlink():
            raise fail(f"{out} exists already: give a new file")
        if not out.parent.is_dir():
            raise fail(f"{out.parent} is not a folder")
        audience = "public" if options["public"] else options["audience"]
        actor = None
        if action == "issue":
            from ceasefire.mechanism.commands import require_facilitator

            actor = self.facilitator(options["username"])
            try:  # the refusal `issue` raises, asked before anything is built or written
                require_facilitator(actor)
            except Refused as e:
                raise fail(str(e.message)) from None
        try:
            with override(options["lang"]):
                period = parse_period(options["period"])
        except Refused as e:
            raise fail(f"--period: {e.message}") from None
        try:
            built = builder.build(audience, period, options["lang"])
        except Refused as e:
            raise fail(f"{e.field}: {e.message}" if getattr(e, "field", None) else str(e)) from None
        except builder.Unavailable as e:
            raise fail(f"cannot make the PDF: {e}") from None
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(built.pdf)
        tmp.replace(out)  # whole or not at all
        if options["html"]:
            Path(options["html"]).write_text(built.html, encoding="utf-8")
        size, root = built.sitrep.checkpoint
        self.stdout.write(
            f"{out}: {len(built.sitrep.figures)} figures for {audience}, {period.name}, in {options['lang']}; "
            f"checkpoint size={size} root={root}; sha256={built.sha256}"
        )
        if action == "issue":
            from ceasefire.sitrep.commands import issue
            from ceasefire.sitrep.store import keep

            try:
                issued = issue(
                    actor,
                    {
                        "period": period.name,
                        "language": options["lang"],
                        "audience": audience,
                        "size": size,
                        "root": root,
                        "sha256": built.sha256,
                    },
                )
            except Refused as e:
                raise fail(str(e.message)) from None
            keep(built.pdf)
            self.stdout.write(f"issued: record entry {issued.id} holds its hash")

    def facilitator(self, username):
        from django.contrib.auth import get_user_model

        from ceasefire.mechanism.accounts import actor_for

        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        return actor

    def verify(self, report, bundle):
        from ceasefire.sitrep.check import Failed, Unusable, verify

        try:
            verify(report, bundle, out=self.stdout, err=sys.stderr)
        except Unusable as e:
            raise fail(f"sitrep verify: {e}", 2) from None
        except Failed as e:
            raise fail(f"sitrep verify: FAILED: {e}", 1) from None
