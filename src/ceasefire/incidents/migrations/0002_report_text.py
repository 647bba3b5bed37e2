"""A trigram full-text index of the reports' texts on SQLite (FTS5), kept by triggers."""

from django.db import migrations

COLUMNS = ("title_ar", "title_en", "narrative_ar", "narrative_en", "place_ar", "place_en", "alleged_unit")
C = ", ".join(COLUMNS)
NEW = ", ".join(f"new.{c}" for c in COLUMNS)
OLD = ", ".join(f"old.{c}" for c in COLUMNS)
SQLITE = [
    f"CREATE VIRTUAL TABLE report_text USING fts5({C}, content='incidents_report', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER report_text_insert AFTER INSERT ON incidents_report BEGIN INSERT INTO report_text(rowid, {C}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER report_text_delete AFTER DELETE ON incidents_report BEGIN INSERT INTO report_text(report_text, rowid, {C}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER report_text_update AFTER UPDATE OF {C} ON incidents_report BEGIN "
    f"INSERT INTO report_text(report_text, rowid, {C}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO report_text(rowid, {C}) VALUES (new.id, {NEW}); END",
    "INSERT INTO report_text(report_text) VALUES ('rebuild')",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
