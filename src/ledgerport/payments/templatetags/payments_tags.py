"""`{% payment_file_summary case %}`: on a PAYMENT_FILE case's page (cases/, a lower app that
imports nothing of ours), the file's total and a link to its summary."""

from __future__ import annotations

from typing import Any

from django import template

from ledgerport.payments.models import PaymentFile

register = template.Library()


@register.inclusion_tag("payments/_case_summary.html", takes_context=True)
def payment_file_summary(context: dict[str, Any], case: Any) -> dict[str, Any]:
    # The case was read through the user's scope; its payment file belongs to the same company.
    payment_file = PaymentFile.objects.filter(case=case, company_id=case.company_id).first()
    return {"payment_file": payment_file, "company_id": case.company_id}
