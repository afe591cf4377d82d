from django.db import migrations


def create_head(apps, schema_editor):
    Head = apps.get_model("journal", "Head")
    Head.objects.get_or_create(pk=1)


def delete_head(apps, schema_editor):
    Head = apps.get_model("journal", "Head")
    Head.objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(create_head, delete_head)]
