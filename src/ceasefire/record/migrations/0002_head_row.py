from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("record", "Head").objects.get_or_create(id=1, defaults={"size": 0})


class Migration(migrations.Migration):
    dependencies = [("record", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
