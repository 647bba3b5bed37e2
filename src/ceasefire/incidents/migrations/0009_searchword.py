"""The words of the reports' search column (models.SearchWord), so that a search drops the
spellings of a place that no report holds before asking the index; filled from the reports there."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from ceasefire.incidents.models import SearchWord as Current

    Report = apps.get_model("incidents", "Report")
    SearchWord = apps.get_model("incidents", "SearchWord")
    words: set[str] = set()
    for text in Report.objects.values_list("search_text", flat=True).iterator(chunk_size=2000):
        words.update(w.word for w in Current.of(text))
    SearchWord.objects.bulk_create((SearchWord(word=w) for w in sorted(words)), batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0008_report_search_trgm")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.CharField(max_length=100, primary_key=True, serialize=False))],
            options={"abstract": False},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
