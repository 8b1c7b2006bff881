"""Writes for invoice review."""

from __future__ import annotations

from django.utils import timezone

from ledgerport.identity.models import User
from ledgerport.ledger.models import Voucher

from .models import VoucherReview


def voucher_review_mark(*, user: User, voucher: Voucher, status: str, comment: str = "") -> VoucherReview:
    """Record (or change) this user's verdict on the voucher."""
    review, _ = VoucherReview.objects.update_or_create(
        fiscal_year_id=voucher.fiscal_year_id,
        series=voucher.series,
        number=voucher.number,
        user=user,
        defaults={"status": status, "comment": comment.strip(), "updated_at": timezone.now()},
    )
    return review


def voucher_review_clear(*, user: User, voucher: Voucher) -> None:
    VoucherReview.objects.filter(
        fiscal_year_id=voucher.fiscal_year_id, series=voucher.series, number=voucher.number, user=user
    ).delete()
