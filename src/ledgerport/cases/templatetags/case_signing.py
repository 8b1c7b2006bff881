"""`{% case_approval case %}`: the files for approval, the signatures and the attest/sign
buttons of a case, for any page that shows the case (the case page renders it)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from ledgerport.tenancy.selectors import can

from ..models import CaseKind
from ..signing_selectors import approval_case_files, may_sign, signatures_of

register = template.Library()


@register.inclusion_tag("cases/_approval.html", takes_context=True)
def case_approval(context: template.Context, case: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    files = approval_case_files(user=user, case=case)
    approver = can(user, case.company, "approve")
    signable = approver and may_sign(case)
    return {
        "case": case,
        "company": case.company,
        "csrf_token": context.get("csrf_token"),
        "files": files,
        "signatures": signatures_of(user=user, case=case),
        "shown": bool(files) or case.kind in (CaseKind.PAYROLL, CaseKind.PAYMENT_FILE),
        "may_sign": signable and user.has_personnummer,
        "may_attest": signable and not user.has_personnummer and settings.CASES_ATTEST_WITHOUT_BANKID,
        "needs_bankid": signable and not user.has_personnummer and not settings.CASES_ATTEST_WITHOUT_BANKID,
        "may_answer": case.status != "closed",
    }
