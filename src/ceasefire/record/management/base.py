"""What every `ceasefire` command shares: short help, one-line errors, the database it acts on.

Lives in `record` (the lowest layer) so that both record's and the domain apps' commands can use it.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

# Django's own options stay accepted but out of our --help.
HIDDEN = {"--version", "--settings", "--pythonpath", "--traceback", "--no-color", "--force-color", "--skip-checks"}


def fail(message: str, code: int = 2) -> CommandError:
    """The error to raise: `ceasefire` prints it on one line and exits with `code`."""
    return CommandError(message, returncode=code)


def data_dir() -> str:
    return str(settings.DATA_DIR)


def using_database_url() -> bool:
    return bool(os.environ.get("DATABASE_URL"))


def database_description() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {s['NAME']}"
    host = s.get("HOST") or "localhost"
    return f"{connection.vendor} database {s['NAME']!r} at {host}:{s.get('PORT') or 'default port'}"


def data_dir_hint() -> str:
    """The --data-dir to repeat in a suggested command, when it matters."""
    if using_database_url():
        return ""
    default = os.path.abspath("ceasefire-data")
    return "" if data_dir() == default else f" --data-dir {data_dir()}"


def unapplied_migrations() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def require_migrated() -> None:
    """Stop with a clear message when the database is unreachable or not set up."""
    try:
        pending = unapplied_migrations()
    except DatabaseError as e:
        raise fail(f"cannot use the database ({database_description()}): {str(e).strip().splitlines()[0]}") from None
    if pending:
        raise fail(
            f"the database ({database_description()}) is not set up or not up to date "
            f"({pending} migrations to apply): run `ceasefire migrate{data_dir_hint()}` first"
        )


class Command(BaseCommand):
    suppressed_base_arguments = HIDDEN
    # Django's system checks import every URL and view (over a second): `ceasefire check` runs
    # them, with the deployment checks, and `serve` before it serves.
    requires_system_checks = ()

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Taken off the line by `ceasefire` itself before this parser runs; listed for --help.
        parser.add_argument(
            "--data-dir",
            metavar="DIR",
            help="the data folder: SQLite database unless DATABASE_URL is set, generated secret key (default ./ceasefire-data)",
        )
        return parser

    def say(self, text: str = "") -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def note(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()
