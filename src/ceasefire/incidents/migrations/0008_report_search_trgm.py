"""On PostgreSQL, a GIN trigram index (pg_trgm) of the reports' search column, so that a text search
reads the rows holding the term's trigrams instead of every row (incidents.text_index). A role that
may not create the extension migrates on without it: the search gives the same answers, slower,
and `ceasefire check` says what to run."""

import sys

from django.db import migrations


def forwards(apps, schema_editor):
    from ceasefire.incidents import text_index

    why = text_index.install(schema_editor.connection)
    if why:
        sys.stderr.write(f"\n  warning: no trigram index for the text search of reports: {why}.\n"
                         f"  The search works, reading every report. To make it fast, {text_index.HOW}.\n")


def backwards(apps, schema_editor):
    from ceasefire.incidents import text_index

    text_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0007_report_subject_and_counted_findings")]
    operations = [migrations.RunPython(forwards, backwards)]
