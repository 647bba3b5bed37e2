"""`ceasefire keys generate`: a private key made on its holder's own machine.

    ceasefire keys generate --name NAME [--out FILE] [--log]

Writes the signer key to FILE (mode 0600; an existing file is never overwritten) and prints its
verifier key on stdout, alone on its line, for the holder to register (a witness key: `POST
/api/v1/mechanism/witness-keys`) or publish (the log key). By default a cosignature/v1 key, the
kind a party's witness cosigns with; `--log` makes an Ed25519 note key, the kind the committee's
log signs checkpoints with (CEASEFIRE_LOG_KEY_FILE).

Standard library, `cryptography` and note.py / keyfile.py only: no Django, no database, no data
folder. `cli.py` runs it before setting Django up.
"""

from __future__ import annotations

import argparse
import gettext as _gettext
import os
import re
import sys
from pathlib import Path

from . import keyfile, note

_LOCALE = Path(__file__).resolve().parent.parent / "locale"


def translator():
    """gettext for the commands that run without Django, from the project's own catalogues: Arabic
    when the shell's language is, as for the other commands (cli.py), else English."""
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    languages = ["ar"] if lang.startswith("ar") else ["en"]
    return _gettext.translation("django", localedir=str(_LOCALE), languages=languages, fallback=True).gettext


_ = translator()


def default_file(name: str) -> str:
    """NAME.key in the current folder, with whatever a file name should not hold made '_'."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") + ".key"


def generate(name: str, out: str | os.PathLike, log: bool = False) -> str:
    """Make a key named `name`, write its signer half to `out` (0600, never overwriting); -> its vkey.

    ValueError for a name a key cannot carry; FileExistsError if `out` exists.
    """
    skey, vkey = (note.generate_key if log else note.generate_cosigner_key)(name)
    keyfile.write(out, skey)
    return vkey


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ceasefire keys",
        description=_("Make a private key on this machine and print its verifier key."),
    )
    sub = p.add_subparsers(dest="action", metavar="generate", required=True)
    g = sub.add_parser(
        "generate",
        help=_("a new private key file, and its verifier key on stdout"),
        description=_(
            "Writes a new private key to FILE, readable by you only, and prints its verifier key on "
            "stdout. Keep the file secret and backed up: it cannot be made again. Register the "
            "verifier key of a witness key with the committee (its party's speaker does)."
        ),
    )
    g.add_argument("--name", required=True, help=_("the key's name: no spaces, no '+' (e.g. jmc-west-witness)"))
    g.add_argument("--out", metavar="FILE", help=_("where to write the private key (default: NAME.key here)"))
    g.add_argument(
        "--log",
        action="store_true",
        help=_("an Ed25519 log key, which signs checkpoints (default: a witness's cosignature/v1 key)"),
    )
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)  # exits 2 with the usage on a bad line
    out = args.out or default_file(args.name)
    try:
        vkey = generate(args.name, out, log=args.log)
    except ValueError as e:
        print(f"ceasefire keys: --name: {e}", file=sys.stderr)
        return 2
    except FileExistsError:
        print(
            _(
                "ceasefire keys: %(file)s exists already; a key file is never overwritten (a lost key cannot be made again)"
            )
            % {"file": out},
            file=sys.stderr,
        )
        return 2
    except OSError as e:
        print(f"ceasefire keys: {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    kind = _("log (Ed25519)") if args.log else _("witness (cosignature/v1)")
    print(
        _(
            "ceasefire keys: wrote the %(kind)s private key %(name)s to %(file)s (mode 600); keep it secret and backed up."
        )
        % {"kind": kind, "name": args.name, "file": out},
        file=sys.stderr,
    )
    what = _("Publish this verifier key") if args.log else _("Register this verifier key with the committee")
    print(f"ceasefire keys: {what}:", file=sys.stderr)
    print(vkey)
    return 0
