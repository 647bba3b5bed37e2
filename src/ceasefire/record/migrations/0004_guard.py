# Written by hand: the database guard (record/guard.py) on the record's tables.

from django.db import migrations

from ceasefire.record import guard

# The tables as they stood at this migration: a later one that guards another table installs
# the guard on it itself, so that this one keeps doing what it did.
TABLES = ("record_event", "record_treenode", "record_checkpoint", "record_cosignature")
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
    guard.install(schema_editor.connection, TABLES)


def drop(apps, schema_editor):
    _supported(schema_editor)
    guard.drop(schema_editor.connection, TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ("record", "0003_checkpoints"),
    ]

    operations = [
        migrations.RunPython(install, drop, elidable=False),
    ]
