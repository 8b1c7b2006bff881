from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0003_syncrun_warnings"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="syncrun",
            name="worker",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="syncrun",
            name="attempts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="syncrun",
            index=models.Index(fields=["status"], name="connectors__status_c02bcb_idx"),
        ),
    ]
