from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0010_source_choices_from_registry"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="voucher",
            index=models.Index(fields=["fiscal_year", "series", "number"], name="ledger_voucher_year_key"),
        ),
    ]
