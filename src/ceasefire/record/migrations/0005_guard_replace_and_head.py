# Written by hand: the guard (record/guard.py) grows two rules. On SQLite, an INSERT over an
# existing row (INSERT OR REPLACE, REPLACE) of the append-only tables is refused; and the head
# only moves forward, to the size the events reach, and is never deleted.

from django.db import migrations

from ceasefire.record import guard

VENDORS = ("sqlite", "postgresql")


def _supported(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in VENDORS:
        raise RuntimeError(
            f"the record's tables are guarded by triggers written for SQLite and PostgreSQL; "
            f"{vendor} is not supported"
        )


def install(apps, schema_editor):
    _supported(schema_editor)
    guard.install(schema_editor.connection, guard.TABLES)


def drop(apps, schema_editor):
    # Back to what 0004 left: the head unguarded (the REPLACE rules go with 0004's own reverse).
    _supported(schema_editor)
    guard.drop(schema_editor.connection, (guard.HEAD,))


class Migration(migrations.Migration):

    dependencies = [
        ("record", "0004_guard"),
    ]

    operations = [
        migrations.RunPython(install, drop, elidable=False),
    ]
