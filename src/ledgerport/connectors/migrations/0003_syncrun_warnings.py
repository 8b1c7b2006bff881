from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("connectors", "0002_syncrun_timings"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrun",
            name="warnings",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
