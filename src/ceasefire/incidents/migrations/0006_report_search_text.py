"""The reports' searched texts in one normalised column (models.searchable), which the SQLite
trigram index now covers instead of the texts as typed: a search compares normalised forms, so
that الجفره finds الجفرة on both databases."""

import importlib

from django.db import migrations, models

OLD = ("title_ar", "title_en", "narrative_ar", "narrative_en", "place_ar", "place_en", "alleged_unit")

SQLITE = [
    "DROP TRIGGER IF EXISTS report_text_insert",
    "DROP TRIGGER IF EXISTS report_text_delete",
    "DROP TRIGGER IF EXISTS report_text_update",
    "DROP TABLE IF EXISTS report_text",
    "CREATE VIRTUAL TABLE report_text USING fts5(search_text, content='incidents_report', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER report_text_insert AFTER INSERT ON incidents_report BEGIN INSERT INTO report_text(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER report_text_delete AFTER DELETE ON incidents_report BEGIN INSERT INTO report_text(report_text, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER report_text_update AFTER UPDATE OF search_text ON incidents_report BEGIN "
    "INSERT INTO report_text(report_text, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO report_text(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO report_text(report_text) VALUES ('rebuild')",
]


def fill(apps, schema_editor):
    """Reports projected before this column: their normalised texts, as the projector now writes
    them (a replay writes the same)."""
    from ceasefire.incidents.models import searchable

    Report = apps.get_model("incidents", "Report")
    for row in Report.objects.only("id", *OLD).iterator(chunk_size=2000):
        Report.objects.filter(id=row.id).update(search_text=searchable({f: getattr(row, f) for f in OLD}))
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def unfill(apps, schema_editor):
    """Back to 0005: the index over the texts as typed, as 0002 made it (before the column goes)."""
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE[:4] + importlib.import_module("ceasefire.incidents.migrations.0002_report_text").SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_report_external_id_and_dataset_source")]

    operations = [
        migrations.AddField(model_name="report", name="search_text", field=models.TextField(blank=True, default="")),
        migrations.RunPython(fill, unfill),
    ]
