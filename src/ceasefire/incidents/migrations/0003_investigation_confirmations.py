"""A sign-off names its draft (Report.draft); the investigation report is the team's once every
party on the team has confirmed it (Confirmation)."""

import django.db.models.deletion
from django.db import migrations, models


def drafts(apps, schema_editor):
    """The draft before the sides of each report drafted already: a finding's id is its draft's seq × 100 + i."""
    Report = apps.get_model("incidents", "Report")
    Finding = apps.get_model("incidents", "Finding")
    for report_id, first in Finding.objects.values_list("report_id", "id").order_by("report_id", "id"):
        Report.objects.filter(id=report_id, draft__isnull=True).update(draft=first // 100)


class Migration(migrations.Migration):

    dependencies = [
        ('incidents', '0002_report_text'),
        ('mechanism', '0003_witness_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='draft',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(drafts, migrations.RunPython.noop),
        migrations.CreateModel(
            name='Confirmation',
            fields=[
                ('id', models.BigIntegerField(primary_key=True, serialize=False)),
                ('username', models.CharField(max_length=150)),
                ('at', models.DateTimeField()),
                ('investigation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='confirmations', to='incidents.investigation')),
                ('party', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mechanism.party')),
            ],
            options={
                'ordering': ['id'],
                'constraints': [models.UniqueConstraint(fields=('investigation', 'party'), name='one_confirmation_per_party')],
            },
        ),
    ]
