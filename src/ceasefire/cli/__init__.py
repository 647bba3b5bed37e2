"""The `ceasefire` command: a thin front to the project's Django management commands.

    ceasefire [--data-dir DIR] COMMAND [ARGS]

`--data-dir` may stand anywhere on the line. It names the folder that holds the SQLite database
(unless DATABASE_URL is set) and the generated secret key; the default is ./ceasefire-data.
"""

import os
import sys

DEFAULT_DATA_DIR = "ceasefire-data"

# name -> (app whose management/commands holds it, its module name there, one line of help)
COMMANDS = {
    "demo": (
        "ceasefire.cli",
        "demo",
        "set up a demo (SQLite in the data folder, libya-2020, one account per role) and serve it",
    ),
    "serve": ("ceasefire.cli", "serve", "serve the web UI and the API with gunicorn (production)"),
    "migrate": ("django.core", "migrate", "create or update the database tables"),
    "check": (
        "ceasefire.cli",
        "productioncheck",
        "say what is missing or unsafe for production; exit 1 if anything is",
    ),
    "user": (
        "ceasefire.cli",
        "user",
        "accounts: user create USERNAME --role ROLE | user list | user password USERNAME | user reset-2fa USERNAME",
    ),
    "token": (
        "ceasefire.cli",
        "token",
        "API tokens: token create USERNAME [--name NAME] (the token is the last line)",
    ),
    "replay": (
        "ceasefire.record",
        "replay",
        "rebuild the projections from the record; --check compares without changing",
    ),
    "db": (
        "ceasefire.record",
        "db",
        "db grant ROLE [--print]: let a PostgreSQL role read and append to the record and change nothing of it",
    ),
    "backup": (
        "ceasefire.record",
        "backup",
        "backup OUT: a consistent copy of the database, the keys and the evidence, with a manifest of hashes",
    ),
    "restore": (
        "ceasefire.record",
        "restore",
        "restore IN [--replace]: check a backup, restore it into an empty target, then replay --check and verify",
    ),
    "scenario": ("ceasefire.cli", "scenario", "scenario list | scenario load NAME"),
    "notify": (
        "ceasefire.needs",
        "notify",
        "notify send (from cron: mail what newly needs each person, retry what failed) | notify email USERNAME ADDRESS | notify status",
    ),
    "evidence": (
        "ceasefire.incidents",
        "evidence",
        "evidence export REF OUT --as USERNAME: a report's evidence files with a SHA256SUMS manifest",
    ),
    "export": (
        "ceasefire.incidents",
        "export",
        "export --format acled|ucdp|hxl|geojson|xlsx --out FILE --as USERNAME [filters]: the reports USERNAME may read",
    ),
    "import": (
        "ceasefire.incidents",
        "importdata",
        "import acled|ucdp FILE | import csv|xlsx FILE --mapping MAP.json [--sheet NAME] --as USERNAME [--dry-run] [--skip-bad REJECTS.csv] [--batch N]: a dataset's rows as reports from a dataset",
    ),
    "sitrep": (
        "ceasefire.sitrep",
        "sitrep",
        "sitrep build --period 2026-11 --lang ar [--public] OUT.pdf | sitrep issue ... --as USERNAME | sitrep verify REPORT.pdf BUNDLE",
    ),
    "layer": (
        "ceasefire.zones",
        "layer",
        "layer import FILE --as USERNAME [--layer CODE] | layer export CODE --as USERNAME [--version N] [--out FILE]: the committee's layers as GeoJSON",
    ),
    "liaison": (
        "ceasefire.routes",
        "liaison",
        "liaison export --to chad|niger|sudan [--format json|csv] --out FILE --as USERNAME: what the committee shares with a neighbour's liaison committee, recorded",
    ),
    "record": (
        "ceasefire.record",
        "record",
        "record checkpoint | record export OUT [--audience A] | record verify BUNDLE [--trust F] [--since F]",
    ),
    "witness": (
        None,
        None,
        "a party's auditing witness: witness --server URL --key KEYFILE --state DIR [--token-file F] [--audit-all]",
    ),
    "keys": (None, None, "keys generate --name NAME [--out FILE] [--log]: a private key file and its verifier key"),
    "manage": (None, None, "run any Django management command (ceasefire manage help lists them)"),
}

# Commands a party runs on its own machine: plain functions, standard library and `cryptography`
# only, run before Django is set up. They need no database and create no data folder.
PLAIN = {"witness": "ceasefire.record.witness", "keys": "ceasefire.record.keys"}

USAGE = "usage: ceasefire [--data-dir DIR] COMMAND [ARGS]   (ceasefire COMMAND --help for its options)"


def _help() -> str:
    width = max(map(len, COMMANDS))
    lines = [
        USAGE,
        "",
        "The joint record of a ceasefire committee. Commands:",
        "",
        *(f"  {name:<{width}}  {text}" for name, (_app, _mod, text) in COMMANDS.items()),
        "",
        "Options for every command:",
        "  --data-dir DIR  the data folder: SQLite database (unless DATABASE_URL is set) and",
        f"                  generated secret key (default ./{DEFAULT_DATA_DIR})",
        "",
        "Settings are environment variables (DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS ...): see README.md.",
    ]
    return "\n".join(lines)


def take_data_dir(argv: list[str]) -> tuple[str | None, list[str]]:
    """Remove `--data-dir DIR` / `--data-dir=DIR` from anywhere in argv (the last one wins)."""
    data_dir, rest, i = None, [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":  # everything after it is an argument, never our option
            rest.extend(argv[i:])
            break
        if arg == "--data-dir":
            if i + 1 >= len(argv) or not argv[i + 1]:
                raise ValueError("--data-dir needs a folder")
            data_dir = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--data-dir="):
            data_dir = arg.split("=", 1)[1]
            if not data_dir:
                raise ValueError("--data-dir needs a folder")
            i += 1
            continue
        rest.append(arg)
        i += 1
    return data_dir, rest


def _fail(message: str, code: int = 2) -> int:
    print(f"ceasefire: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True, errors="replace")  # progress shows at once, even in a pipe
    try:
        data_dir, argv = take_data_dir(argv)
    except ValueError as e:
        return _fail(str(e))
    if not argv or argv[0] in ("-h", "--help", "help"):
        if len(argv) > 1 and argv[0] == "help":
            argv = [argv[1], "--help"]
        else:
            print(_help())
            return 0 if argv else 2
    if argv[0] == "--version":
        from importlib.metadata import version

        print(f"ceasefire {version('ceasefire')}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        return _fail(f"unknown command {name!r} (ceasefire --help lists the commands)")
    if name in PLAIN:
        return _run_plain(name, rest)

    os.environ["CEASEFIRE_DATA_DIR"] = os.path.abspath(
        data_dir or os.environ.get("CEASEFIRE_DATA_DIR") or DEFAULT_DATA_DIR
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "ceasefire.settings"
    if name == "demo":
        os.environ["CEASEFIRE_DEMO"] = "true"  # the exercise banner, before settings are read

    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except (ImproperlyConfigured, OSError, ValueError) as e:  # a bad setting, an unwritable data folder
        return _fail(f"cannot start: {type(e).__name__}: {e}")

    if name == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ceasefire manage", *rest])
        return 0
    return _run(name, rest)


def _run_plain(name: str, rest: list[str]) -> int:
    import importlib

    module = importlib.import_module(PLAIN[name])
    try:
        return module.main(rest)
    except SystemExit as e:  # argparse: --help (0) or a bad command line (2, usage printed)
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    except KeyboardInterrupt:
        print(f"\nceasefire {name}: interrupted", file=sys.stderr)
        return 130


def _run(name: str, rest: list[str]) -> int:
    from django.core.management import load_command_class
    from django.core.management.base import CommandError
    from django.db import DatabaseError, connections
    from django.utils import translation

    from ceasefire import errors
    from ceasefire.record import privileges

    # The command line speaks English unless the shell's language is Arabic.
    lang = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    translation.activate("ar" if lang.startswith("ar") else "en")

    app, module, _text = COMMANDS[name]
    command = load_command_class(app, module)
    command._called_from_command_line = True  # argparse errors: usage and exit 2
    parser = command.create_parser("ceasefire", name)
    options = vars(parser.parse_args(rest))
    args = options.pop("args", ())
    try:
        command.execute(*args, **options)
    except errors.CommandError as e:
        for field, message in e.errors:
            print(f"ceasefire {name}: {field + ': ' if field else ''}{message}", file=sys.stderr)
        return 2
    except CommandError as e:
        text = str(e)
        print(text if "\n" in text else f"ceasefire {name}: {text}", file=sys.stderr)
        return e.returncode
    except DatabaseError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        print(f"ceasefire {name}: database error: {first}", file=sys.stderr)
        if privileges.insufficient_privilege(e):
            # Most likely the server's own role, which may not change the tables (README).
            role = connections["default"].settings_dict.get("USER") or "this role"
            print(
                f"ceasefire {name}: the database role {role!r} may not do this. Run the command with a DATABASE_URL "
                "naming a role that may: the tables' owner for `migrate` and `db grant`, a role that may create "
                'databases for `replay --check` (README: "Running the server with a role that cannot rewrite the record").',
                file=sys.stderr,
            )
        return 2
    except KeyboardInterrupt:
        print(f"\nceasefire {name}: interrupted", file=sys.stderr)
        return 130
    finally:
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
