"""Writes of the tax account and employer declarations: idempotent, atomic upserts.

A sync calls these with what it fetched; calling them again with the same data changes
nothing, and two calls at once for one company are serialised on the company's row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from cryptography.fernet import InvalidToken
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.core.write_lock import serialised_write
from ledgerport.identity import personnummer
from ledgerport.tenancy.models import Company

from .models import EmployerDeclaration, TaxAccountSnapshot, TaxAccountTransaction, TaxProfile, VatPeriod


@dataclass(frozen=True)
class TaxAccountRow:
    ident: str
    booked: date
    interest_date: date | None
    text: str
    amount: Decimal  # negative = debt
    due: date | None = None


@dataclass(frozen=True)
class DeclarationData:
    period: date  # first of the month
    employer_contributions: Decimal
    deducted_tax: Decimal
    individual_count: int
    receipt_id: str
    signed_by: str | None  # personnummer, stored encrypted
    signed_at: datetime | None


def _lock_company(company: Company) -> None:
    # Serialises two writers of one company's tax data on PostgreSQL (SQLite: `serialised_write`).
    Company.objects.select_for_update().filter(pk=company.pk).values_list("pk").first()


def _transaction(
    company: Company, row: TaxAccountRow, upcoming: bool, connection: Any, fetched_at: datetime
) -> TaxAccountTransaction:
    return TaxAccountTransaction(
        company=company,
        ident=row.ident,
        booked=row.booked,
        interest_date=row.interest_date,
        due=row.due,
        text=row.text,
        amount=row.amount,
        upcoming=upcoming,
        connection=connection,
        fetched_at=fetched_at,
    )


@serialised_write
def tax_account_store(
    company: Company,
    *,
    booked: Iterable[TaxAccountRow],
    upcoming: Iterable[TaxAccountRow],
    connection: Any = None,
    fetched_at: datetime | None = None,
) -> dict[str, int]:
    """Upsert the booked rows by their id and replace the upcoming ones. Returns counts."""
    fetched_at = fetched_at or timezone.now()
    _lock_company(company)
    existing = {t.ident: t for t in TaxAccountTransaction.objects.filter(company=company, upcoming=False)}
    fields = ("booked", "interest_date", "due", "text", "amount")
    created: list[TaxAccountTransaction] = []
    changed: list[TaxAccountTransaction] = []
    for row in booked:
        if not row.ident:
            raise ValueError(f"A booked tax-account row has no id: {row.booked} {row.text!r}")
        current = existing.get(row.ident)
        if current is None:
            created.append(_transaction(company, row, False, connection, fetched_at))
            existing[row.ident] = created[-1]
        elif any(getattr(current, f) != getattr(row, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(row, f))
            current.connection = connection
            current.fetched_at = fetched_at
            changed.append(current)
    TaxAccountTransaction.objects.bulk_create(created, batch_size=500)
    TaxAccountTransaction.objects.bulk_update(changed, [*fields, "connection", "fetched_at"], batch_size=500)
    TaxAccountTransaction.objects.filter(company=company, upcoming=True).delete()
    coming = [_transaction(company, row, True, connection, fetched_at) for row in upcoming]
    TaxAccountTransaction.objects.bulk_create(coming, batch_size=500)
    return {"created": len(created), "updated": len(changed), "upcoming": len(coming)}


@serialised_write
def tax_account_snapshot_store(
    company: Company,
    *,
    balance: Decimal,
    interest: Decimal,
    ocr: str,
    reconciled_on: date | None,
    updated_at_source: datetime | None,
    connection: Any = None,
    fetched_at: datetime | None = None,
) -> TaxAccountSnapshot:
    """Keep the latest balance (one row per company)."""
    _lock_company(company)
    snapshot, _created = TaxAccountSnapshot.objects.update_or_create(
        company=company,
        defaults={
            "balance": balance,
            "interest": interest,
            "ocr": ocr,
            "reconciled_on": reconciled_on,
            "updated_at_source": updated_at_source,
            "connection": connection,
            "fetched_at": fetched_at or timezone.now(),
        },
    )
    return snapshot


@serialised_write
def employer_declarations_store(
    company: Company,
    declarations: Iterable[DeclarationData],
    *,
    connection: Any = None,
    fetched_at: datetime | None = None,
) -> int:
    """Upsert one declaration per (company, period). Returns how many were written or changed."""
    fetched_at = fetched_at or timezone.now()
    _lock_company(company)
    existing = {d.period: d for d in EmployerDeclaration.objects.filter(company=company)}
    written = 0
    for data in declarations:
        if data.period.day != 1:
            raise ValueError(f"A declaration period is the first of a month, not {data.period}")
        current = existing.get(data.period)
        signed_by = _signed_by(current, data.signed_by)
        values = {
            "employer_contributions": data.employer_contributions,
            "deducted_tax": data.deducted_tax,
            "individual_count": data.individual_count,
            "receipt_id": data.receipt_id,
            "signed_by_ciphertext": signed_by,
            "signed_at": data.signed_at,
        }
        if current is not None and all(getattr(current, k) == v for k, v in values.items()):
            continue
        EmployerDeclaration.objects.update_or_create(
            company=company,
            period=data.period,
            defaults={**values, "connection": connection, "fetched_at": fetched_at},
        )
        written += 1
    return written


def _signed_by(current: EmployerDeclaration | None, number: str | None) -> str:
    """The ciphertext to keep: the stored one when it holds the same number (encryption is not
    deterministic, so re-encrypting would rewrite an unchanged row)."""
    if not number:
        return ""
    if current is not None and current.signed_by_ciphertext:
        with contextlib.suppress(InvalidToken):  # an undecryptable old value is replaced
            if personnummer.decrypt(current.signed_by_ciphertext) == personnummer.normalize(number):
                return current.signed_by_ciphertext
    return personnummer.encrypt(number)


class TaxProfileInvalid(ValueError):
    """The profile asked for cannot be (the message names the field)."""


@serialised_write
def tax_profile_set(
    company: Company,
    *,
    vat_period: str,
    large: bool,
    annual_vat_with_income_return: bool = True,
    user: Any = None,
) -> TaxProfile:
    """Record the company's VAT period and size (one row per company; the same values again
    change nothing). A large company (VAT taxable base over 40 MSEK) reports VAT monthly."""
    if vat_period not in VatPeriod.values:
        raise TaxProfileInvalid(_("VAT period: choose monthly, quarterly or annually."))
    if large and vat_period != VatPeriod.MONTHLY:
        raise TaxProfileInvalid(
            _("VAT period: a company with a VAT taxable base over 40 MSEK reports VAT monthly.")
        )
    _lock_company(company)
    values = {
        "vat_period": vat_period,
        "large": large,
        "annual_vat_with_income_return": annual_vat_with_income_return,
    }
    current = TaxProfile.objects.filter(company=company).first()
    if current is not None and all(getattr(current, k) == v for k, v in values.items()):
        return current
    profile, _created = TaxProfile.objects.update_or_create(
        company=company, defaults={**values, "updated_by": user, "updated_at": timezone.now()}
    )
    return profile
