import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0005_move_award_and_contracts"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="sender",
            field=models.CharField(default="", max_length=200, verbose_name="sender"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="question",
            name="sender_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="sender's e-mail"),
        ),
        migrations.AddField(
            model_name="question",
            name="lot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="procurement.lot",
                verbose_name="lot",
            ),
        ),
        migrations.AddField(
            model_name="tenderdocument",
            name="change_reason",
            field=models.TextField(blank=True, verbose_name="reason for the change"),
        ),
    ]
