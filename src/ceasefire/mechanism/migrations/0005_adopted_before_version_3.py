from django.db import migrations


def through_positions(apps, schema_editor):
    """A decision adopted before the record stated adoptions (entries before version 3) was adopted
    by the projector when every party had approved it: through positions, as replay now says."""
    Decision = apps.get_model("mechanism", "Decision")
    Decision.objects.filter(adopted=True, adopted_through="").update(adopted_through="positions")


class Migration(migrations.Migration):

    dependencies = [
        ("mechanism", "0004_decision_adoption"),
    ]

    operations = [
        migrations.RunPython(through_positions, migrations.RunPython.noop),
    ]
