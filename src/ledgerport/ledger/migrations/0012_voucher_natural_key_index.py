from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_voucher_fingerprint"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="voucher",
            index=models.Index(fields=["fiscal_year", "series", "number"], name="ledger_voucher_year_key"),
        ),
    ]
