from django.db import connection, transaction

from ceasefire.record.management.base import Command as Base
from ceasefire.record.management.base import database_description, fail, require_migrated


class Command(Base):
    help = (
        "The database itself. `grant ROLE` (PostgreSQL) lets the role read the record's tables and "
        "append to them, move the head forward, and read and write every other table, and takes away "
        "anything more it had on the record: run it as the tables' owner after `ceasefire migrate`, "
        "then serve with a DATABASE_URL naming ROLE. `--print` prints the statements instead."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        grant = sub.add_parser(
            "grant",
            help="let the PostgreSQL role ROLE read and append to the record, and change nothing of it (run as the tables' owner)",
        )
        grant.add_argument("role", metavar="ROLE", help="the role the server will connect as; it must exist already")
        grant.add_argument(
            "--print", action="store_true", dest="print_only", help="print the SQL statements instead of running them"
        )

    def handle(self, *args, action, role, print_only=False, **options):
        from ceasefire.record import privileges

        if connection.vendor != "postgresql":
            raise fail(
                f"db grant is for PostgreSQL, and this database is {database_description()}: a SQLite database is "
                "a file, and whoever may write it (or its folder) may rewrite the record. Keep the data folder "
                "writable by the server's user alone."
            )
        if not privileges.ROLE_NAME.fullmatch(role) or role.lower() == "public":
            raise fail(
                f"ROLE: {role!r} is not a role name this command takes: letters, digits, '_', '$' and '-', "
                "starting with a letter or '_', at most 63 characters, and not PUBLIC"
            )
        require_migrated()
        statements = privileges.grants(role)
        if print_only:
            for statement in statements:
                self.say(f"{statement};")
            return

        try:
            before = privileges.standing(role)
        except privileges.NoSuchRole:
            raise fail(
                f"ROLE: there is no role {role!r} on this server. Create it first, as a superuser or a role with "
                f"CREATEROLE (psql: CREATE ROLE {connection.ops.quote_name(role)} LOGIN PASSWORD '…';), then run this again."
            ) from None
        if before.superuser:
            raise fail(
                f"ROLE: {role!r} is a superuser: it may do anything to the record, whatever is granted. "
                "Give the server a role of its own, without SUPERUSER."
            )
        if before.owns:
            raise fail(
                f"ROLE: {role!r} owns, or may act as the owner of, {privileges.summary(before.owns)}: an owner may drop "
                "the guard's triggers, whatever is granted. Give the server a role of its own, which owns none of the "
                "tables and is not a member of their owner's role; keep this one for `ceasefire migrate` and `db grant`."
            )

        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
            after = privileges.standing(role)
            # Granted to PUBLIC or to a role it belongs to, a privilege comes back whatever was revoked
            # from the role itself: nothing is kept then.
            if after.rewrites or after.lacks:  # raised inside the transaction: it rolls back
                wrong = []
                if after.rewrites:
                    wrong.append(
                        f"it still holds {privileges.summary(after.rewrites)} (granted to a role it belongs to?)"
                    )
                if after.lacks:
                    wrong.append(
                        f"it still lacks {privileges.summary(after.lacks)} (is {connection.settings_dict['USER'] or 'this role'} "
                        "the owner of the tables and of the database?)"
                    )
                raise fail(f"nothing granted to {role!r}: {'; and '.join(wrong)}")

        tables = len(privileges.application_tables())
        self.say(f"Granted to {role!r} on {database_description()}:")
        self.say(
            "  the record's tables (record_event, record_treenode, record_checkpoint, record_cosignature): read and append;"
        )
        self.say("  its head (record_head): read, and move forward (the guard refuses any other move);")
        self.say(f"  the {tables} other tables (projections, accounts, sessions, tokens ...): read and write.")
        self.say(
            f"{role!r} cannot UPDATE, DELETE or TRUNCATE the record's tables, nor drop or disable the guard's triggers. "
            "Serve with a DATABASE_URL naming it, and run this again after each `ceasefire migrate`."
        )
