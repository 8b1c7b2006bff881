"""Skatteverket's half of a sync: the tax account and the employer declarations into `taxes`.

Read only. Idempotent: booked rows are upserted by Skatteverket's transaction id, upcoming rows
replaced, declarations upserted per period, each step in its own transaction; so a repeated
or resumed run (or two at once) ends with the same rows. The grant is checked first.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.taxes import services as taxes

from .. import ombud
from ..fiscal_years import two_latest_periods
from ..http import NotFound
from ..models import Connection
from ..sync_base import DataLog
from .client import SkatteverketClient

# How far back the tax account is read: Skatteverket answers at most 915 days back (research
# §1.4; `datumFrom` is the only bound, one call returns everything since). The checks cover the
# current fiscal year and the one before it, which together with the months before the earlier
# year's payments (its opening debt, a late payment) need all of that: two full years and the
# current one, so the sync asks for the whole history, a day inside the limit so that the
# authority's date and ours may differ by a day.
MAX_DAYS_BACK = 915
DAYS_BACK = MAX_DAYS_BACK - 1


def _months(start: date, end: date) -> list[str]:
    """YYYYMM of each month from start's to end's, inclusive."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class SkatteverketSync:
    """A data sync (`collect`), not a ledger one: `sync.py` calls `collect` and nothing else."""

    source = "skatteverket"

    def __init__(self, client: SkatteverketClient, log: DataLog, connection: Connection) -> None:
        self.client = client
        self.log = log
        self.connection = connection
        self.company = connection.company

    def close(self) -> None:
        self.client.close()

    def collect(self) -> None:
        ombud.sync_check(self.connection, self.client.api)  # a removed grant turns it red here
        today = timezone.localdate()
        since = today - timedelta(days=DAYS_BACK)
        orgnr = self.company.orgnr
        fetched_at = timezone.now()

        # Declarations: each month of the previous fiscal year and the current one so far.
        last_month = today.replace(day=1) - timedelta(days=1)
        periods = _months(max(since, two_latest_periods(self.company, today)[0][0]), last_month)
        steps = len(periods) + 1  # the tax account, then each month's declaration
        self.log.progress("data", 0, steps)
        balance = self.client.balance(orgnr)
        booked, upcoming = self.client.transactions(orgnr, since=since)
        taxes.tax_account_snapshot_store(
            self.company,
            balance=balance.balance,
            interest=balance.interest,
            ocr=balance.ocr,
            reconciled_on=balance.next_reconciliation,
            updated_at_source=balance.updated_at,
            connection=self.connection,
            fetched_at=fetched_at,
        )
        counts = taxes.tax_account_store(
            self.company,
            booked=[
                taxes.TaxAccountRow(t.ident, t.booked, t.interest_date, t.text, t.amount, t.due)
                for t in booked
            ],
            upcoming=[
                taxes.TaxAccountRow(t.ident, t.booked, t.interest_date, t.text, t.amount, t.due)
                for t in upcoming
            ],
            connection=self.connection,
            fetched_at=fetched_at,
        )
        self.log.line(
            _(
                "Tax account: balance %(balance)s kr, %(booked)s transactions (%(new)s new), %(upcoming)s upcoming."
            )
            % {
                "balance": balance.balance,
                "booked": len(booked),
                "new": counts["created"],
                "upcoming": len(upcoming),
            }
        )

        self.log.progress("data", 1, steps)
        declared = 0
        for done, period in enumerate(periods, start=1):
            self.log.checkpoint()
            receipts = self.client.receipts(orgnr, period)
            if receipts:
                receipt = max(receipts, key=lambda r: (r.signed_at is not None, r.signed_at))
                try:
                    summary = self.client.summary(orgnr, period)
                except NotFound:  # signed, summary not ready yet: the next sync fetches it
                    summary = None
                if summary is not None:
                    taxes.employer_declarations_store(
                        self.company,
                        [
                            taxes.DeclarationData(
                                period=date(int(period[:4]), int(period[4:]), 1),
                                employer_contributions=summary.employer_contributions,
                                deducted_tax=summary.deducted_tax,
                                individual_count=summary.individual_count or receipt.individual_count,
                                receipt_id=receipt.receipt_id,
                                signed_by=receipt.signed_by or None,
                                signed_at=receipt.signed_at,
                            )
                        ],
                        connection=self.connection,
                        fetched_at=fetched_at,
                    )
                    declared += 1
            self.log.progress("data", done + 1, steps)
        self.log.line(
            _("Employer declarations: %(declared)s of %(months)s months declared.")
            % {"declared": declared, "months": len(periods)}
        )
