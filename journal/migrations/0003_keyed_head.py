import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models


def sign_head(apps, schema_editor):
    """The head gets its keyed hash, computed as journal.services.head_mac does."""
    Head = apps.get_model("journal", "Head")
    for head in Head.objects.all():
        payload = json.dumps(
            {"journal_head": head.last_seq, "last_hash": head.last_hash},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        head.mac = hmac.new(
            settings.JOURNAL_KEY.encode(), payload.encode(), hashlib.sha256
        ).hexdigest()
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("journal", "0002_head_row")]

    operations = [
        migrations.AddField(
            model_name="head",
            name="mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.RunPython(sign_head, migrations.RunPython.noop),
    ]
