"""Real foreign keys: a voucher to its fiscal year, a row to its voucher.

Before them, concurrent replacing imports could leave rows whose voucher or year was gone;
those orphans are deleted first, or the constraints could not be added.
"""

import django.db.models.deletion
from django.db import migrations, models


def delete_orphans(apps, schema_editor):
    quote = schema_editor.quote_name
    rows, vouchers, years = (quote(f"ledger_{name}") for name in ("voucherrow", "voucher", "fiscalyear"))
    schema_editor.execute(
        f"DELETE FROM {vouchers} WHERE NOT EXISTS (SELECT 1 FROM {years} y WHERE y.id = {vouchers}.fiscal_year_id)"
    )
    schema_editor.execute(
        f"DELETE FROM {rows} WHERE NOT EXISTS (SELECT 1 FROM {vouchers} v WHERE v.id = {rows}.voucher_id)"
        f" OR NOT EXISTS (SELECT 1 FROM {years} y WHERE y.id = {rows}.fiscal_year_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_voucherrow_composite_key"),
    ]

    operations = [
        migrations.RunPython(delete_orphans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="voucher",
            name="fiscal_year",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="vouchers",
                to="ledger.fiscalyear",
            ),
        ),
        migrations.AlterField(
            model_name="voucherrow",
            name="voucher",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rows",
                to="ledger.voucher",
            ),
        ),
    ]
