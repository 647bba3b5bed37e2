"""On PostgreSQL, each report's words and pairs of adjacent words in an indexed column of its own
(incidents.text_index, TOKENS_SQL), which a text search reads instead of checking LIKE on every
row the trigram index finds. Filled here for the reports already projected; kept by a trigger."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ceasefire.incidents import text_index

    text_index.install_tokens(schema_editor.connection)


def backwards(apps, schema_editor):
    from ceasefire.incidents import text_index

    text_index.uninstall_tokens(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_map_tally")]
    operations = [migrations.RunPython(forwards, backwards)]
