import os
import tempfile
from pathlib import Path

from ceasefire.errors import CommandError as RecordRefused
from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import fail, require_migrated


class Command(Base):
    help = (
        "The joint record's checkpoints and bundles. `checkpoint` signs a checkpoint of the whole record "
        "now and prints it; `export OUT` writes a bundle that anyone can verify offline; `verify BUNDLE` "
        "checks one (the same as `python -m ceasefire.record.verify`, which needs no database)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        sub.add_parser(
            "checkpoint", help="sign a checkpoint of the whole record now and print it with its cosignatures"
        )
        export = sub.add_parser("export", help="write a bundle of the record to OUT (refuses to overwrite)")
        export.add_argument("out", metavar="OUT")
        export.add_argument(
            "--audience",
            choices=["public", "observers", "parties"],
            default="public",
            help="who the bundle is for: entries they may not read are carried as leaf hashes only (default public)",
        )
        export.add_argument(
            "--all-checkpoints",
            action="store_true",
            help="carry every checkpoint, not only the newest and each witness's newest cosigned one (slower to verify)",
        )
        verify = sub.add_parser("verify", help="check a bundle offline: entries, tree, checkpoints, cosignatures")
        verify.add_argument("bundle", metavar="BUNDLE")
        verify.add_argument(
            "--trust", metavar="VKEYS_FILE", help="use only these verifier keys, one per line, not the bundle's own"
        )
        verify.add_argument(
            "--since", metavar="CHECKPOINT_FILE", help="a checkpoint trusted earlier: the bundle must extend it"
        )
        verify.add_argument(
            "--jobs", metavar="N", help="worker processes for the entries (default: one per CPU; 1: none)"
        )
        verify.add_argument(
            "--accounts",
            action="store_true",
            help="a bundle for the parties: also open every entry's commitment to its account",
        )

    def handle(self, *args, action, **options):
        if action == "verify":  # needs no database: the bundle is all there is
            from ceasefire.record import verify

            argv = [options["bundle"]]
            for name in ("trust", "since", "jobs"):
                if options[name]:
                    argv += [f"--{name}", options[name]]
            if options["accounts"]:
                argv.append("--accounts")
            code = verify.main(argv)
            if code:
                raise SystemExit(code)
            return
        require_migrated()
        if action == "checkpoint":
            from ceasefire.record import checkpoints

            cp = checkpoints.sign_now()
            self.stdout.write(checkpoints.served(cp), ending="")
            return
        self.export(Path(options["out"]), options["audience"], options["all_checkpoints"])

    def export(self, out: Path, audience: str, all_checkpoints: bool) -> None:
        from ceasefire.record import bundle

        if out.exists() or out.is_symlink():
            raise fail(f"{out} exists already; choose another name (a bundle is never overwritten)")
        if not out.parent.is_dir():
            raise fail(f"no folder {out.parent} to write {out.name} in")
        # Written beside OUT under a temporary name, then given its name: an interrupted export
        # leaves no half bundle that someone might take for a whole one.
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        os.close(fd)
        try:
            self.note(f"exporting the record for the audience {audience!r} to {out} …")

            def progress(done, total):
                self.note(f"  {done:,} / {total:,} entries")

            result = bundle.export(tmp, audience, progress=progress, all_checkpoints=all_checkpoints)
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, out)  # fails if OUT appeared meanwhile: still never overwritten
            except FileExistsError:
                raise fail(f"{out} exists already; choose another name (a bundle is never overwritten)") from None
            except OSError:  # a file system without hard links
                if out.exists():
                    raise fail(f"{out} exists already; choose another name (a bundle is never overwritten)") from None
                os.rename(tmp, out)
        except OSError as e:
            raise fail(f"cannot write {out}: {e.strerror or e}") from None
        except (ValueError, RuntimeError, RecordRefused) as e:  # the record or its tree is damaged: say where, once
            raise fail(f"cannot export the record: {e}") from None
        finally:
            Path(tmp).unlink(missing_ok=True)
        self.say(
            f"wrote {out}: {result.size:,} entries ({result.readable:,} readable, {result.withheld:,} as leaf hashes only), "
            f"{result.checkpoints:,} checkpoints, {result.witness_keys} witness keys"
        )
        self.say(f"check it with: ceasefire record verify {out}   (or python -m ceasefire.record.verify {out})")
