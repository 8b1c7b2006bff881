"""Voucher rows are keyed by (voucher, position) instead of a surrogate id.

Django cannot alter a primary key into a composite one in place, so the table is rebuilt:
the old one is renamed, the new one created from the model, the rows copied across.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "ledger_voucherrow"
COLUMNS = (
    "fiscal_year_id, voucher_id, account_id, kind, position, amount, quantity, transaction_date, "
    "period, text, signature, object_refs"
)


def rebuild(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(f"ALTER TABLE {quote(TABLE)} RENAME TO {quote(TABLE + '_old')}")
    if schema_editor.connection.vendor == "postgresql":  # constraint names are kept by a rename
        for name in ("pkey", "period_check", "position_check"):
            old = quote(f"{TABLE}_{name}")
            schema_editor.execute(
                f"ALTER TABLE {quote(TABLE + '_old')} RENAME CONSTRAINT {old} TO {quote(f'{TABLE}_old_{name}')}"
            )
    # Index names are global to the schema: free the one the new table is created with.
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote('ledger_row_year_account_month')}")
    schema_editor.create_model(apps.get_model("ledger", "VoucherRow"))
    schema_editor.execute(
        f"INSERT INTO {quote(TABLE)} ({COLUMNS}) SELECT {COLUMNS} FROM {quote(TABLE + '_old')}"
    )
    schema_editor.execute(f"DROP TABLE {quote(TABLE + '_old')}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="voucherrow", name="id"),
                migrations.AddField(
                    model_name="voucherrow",
                    name="pk",
                    field=models.CompositePrimaryKey(
                        "voucher_id",
                        "position",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                migrations.AlterField(
                    model_name="voucherrow",
                    name="voucher",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="ledger.voucher",
                    ),
                ),
            ],
        ),
        # After the state change, so that `apps` holds the new model.
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
