import hashlib
import shutil
from pathlib import Path

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "Evidence files. `export REF OUT --as USERNAME` copies the evidence files of report REF "
        "(R-2026-0042) into the new folder OUT, with a SHA256SUMS manifest that `sha256sum -c SHA256SUMS` "
        "checks; each file's export is recorded in its chain of custody in the name of USERNAME."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        export = sub.add_parser("export", help="copy a report's evidence files, with their SHA-256, into a new folder")
        export.add_argument("ref", metavar="REF", help="the report's reference, e.g. R-2026-0042")
        export.add_argument("out", metavar="OUT", help="a folder that does not exist yet")
        export.add_argument("--as", dest="username", required=True, help="the account the export is recorded for")

    def handle(self, *args, action, ref, out, username, **options):
        from django.contrib.auth import get_user_model

        from ceasefire.incidents import commands, evidence, queries
        from ceasefire.incidents.models import Report
        from ceasefire.mechanism.accounts import actor_for
        from ceasefire.record import log

        require_migrated()
        user = get_user_model().objects.filter(username=username).first()
        actor = actor_for(user) if user else None
        if actor is None:
            raise fail(f"no account on the committee named {username!r} (ceasefire user list shows them)")
        match = queries.REFERENCE.match(ref.strip())
        report = Report.objects.filter(year=int(match.group(1)), number=int(match.group(2))).first() if match else None
        if report is None:
            raise fail(f"no report {ref!r} (a reference reads R-2026-0042)")
        target = Path(out)
        if target.exists():
            raise fail(f"{out} exists already: give a new folder")
        files = list(report.evidence.order_by("id"))
        if not files:
            self.note(f"{report.reference} has no evidence files; nothing exported")
            return
        target.mkdir(parents=True)
        try:
            lines = []
            for i, e in enumerate(files, 1):
                name = f"{e.id}-{e.name}"
                digest = _copy(evidence.path(e.sha256), target / name)
                if digest != e.sha256:
                    raise fail(
                        f"evidence {e.id} ({e.name}): the stored file no longer matches the SHA-256 in the record"
                    )
                lines.append(f"{e.sha256}  {name}\n")
                self.note(f"[{i}/{len(files)}] {name}")
            (target / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")
            with log.batch():  # the custody of every file, or of none
                for e in files:
                    commands.record_evidence_access(actor, e.id, "export")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self.say(
            f"{len(files)} evidence file(s) of {report.reference} exported to {target} (check: cd {target} && sha256sum -c SHA256SUMS)"
        )


def _copy(source: Path, dest: Path) -> str:
    digest = hashlib.sha256()
    with open(source, "rb") as src, open(dest, "xb") as out:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()
