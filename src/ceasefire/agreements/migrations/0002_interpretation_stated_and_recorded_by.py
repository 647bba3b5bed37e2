import django.db.models.deletion
from django.db import migrations, models


def from_the_record(apps, schema_editor):
    """Readings projected before this change: recorded by a party's speaker when the entry names a
    party (only a speaker's account has one), else by the facilitator, as replay derives it."""
    Interpretation = apps.get_model("agreements", "Interpretation")
    Event = apps.get_model("record", "Event")
    parties = dict(Event.objects.filter(seq__in=Interpretation.objects.values("id")).values_list("seq", "party"))
    for reading in Interpretation.objects.all():
        party = parties.get(reading.id) or ""
        reading.recorded_by = "party" if party else "facilitator"
        reading.party_id = party or None
        reading.save(update_fields=["recorded_by", "party"])


class Migration(migrations.Migration):

    dependencies = [
        ("agreements", "0001_initial"),
        ("mechanism", "0001_initial"),
        ("record", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="interpretation",
            name="party",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="interpretations", to="mechanism.party"
            ),
        ),
        migrations.AddField(
            model_name="interpretation",
            name="recorded_by",
            field=models.CharField(
                choices=[("facilitator", "the facilitator"), ("party", "the party's delegation")], default="facilitator", max_length=12
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_the_record, migrations.RunPython.noop),
    ]
