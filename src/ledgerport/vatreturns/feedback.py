"""Taking in the authority's feedback on a submitted return (also the poll task's half), and
the provider through which returns are filed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.connectors import providers
from ledgerport.core.write_lock import write_transaction
from ledgerport.mvamelding import FeedbackInvalid, parse_payment_info, parse_validation_result

from .models import State, VatReturn

COUNTRY = "NO"


class VatReturnRefused(Exception):
    """The action is not possible in the return's state (the message says why, for people)."""


class NoFiling(VatReturnRefused):
    """No provider files Norwegian VAT returns (none registered, or not configured)."""


def filing() -> providers.VatReturnFiling:
    found = providers.vat_return_filing(COUNTRY)
    if found is None:
        raise NoFiling(
            _(
                "No connection files VAT returns for Norwegian companies yet: set up the connection to the Tax Administration under Load data."
            )
        )
    return found


def deviations(result: Any) -> list[dict[str, Any]]:
    return [
        {"path": d.path, "code": d.code, "line": d.line, "reasons": [list(r) for r in d.reasons]}
        for d in result.deviations
    ]


def apply_feedback(vat_return: VatReturn, feedback: providers.VatReturnFeedback) -> None:
    """Take in the feedback (idempotent: the same feedback twice changes nothing more)."""
    if not feedback.done:
        return
    note = ""
    if feedback.validation_xml:
        try:
            result = parse_validation_result(feedback.validation_xml)
        except FeedbackInvalid as exc:
            note = f"validation result unreadable: {exc}"[:200]
        else:
            vat_return.validation_xml = feedback.validation_xml.decode()
            vat_return.validation_status = result.status
            vat_return.validation_deviations = deviations(result)
            vat_return.state = State.ACCEPTED if result.ok else State.REJECTED
    else:
        vat_return.state = State.ACCEPTED  # done without remarks
    if feedback.payment_xml:
        try:
            payment = parse_payment_info(feedback.payment_xml)
        except FeedbackInvalid as exc:
            note = f"payment information unreadable: {exc}"[:200]
        else:
            vat_return.payment_xml = feedback.payment_xml.decode()
            vat_return.payment_kid = payment.kid
            vat_return.payment_amount = payment.amount
            vat_return.payment_due = payment.due_date
            vat_return.payment_account = payment.account
    if feedback.receipt_pdf:
        vat_return.receipt_pdf = feedback.receipt_pdf
    vat_return.feedback_at = timezone.now()
    vat_return.feedback_note = note


def feedback_fetch(*, vat_return: VatReturn, user: Any, next_url: str) -> VatReturn:
    """Ask the authority for the feedback of a submitted return and store it (once done).
    Idempotent: a return no longer waiting is returned as it is."""
    if vat_return.state != State.SUBMITTED:
        return vat_return
    feedback = filing().feedback(vat_return.company, user, vat_return.authority_reference, next_url)
    with write_transaction():
        current = VatReturn.objects.select_for_update().filter(pk=vat_return.pk).first()
        if current is None or current.state != State.SUBMITTED:
            return current or vat_return
        apply_feedback(current, feedback)
        current.save()
    return current


def feedback_note(*, vat_return: VatReturn, note: str) -> None:
    VatReturn.objects.filter(pk=vat_return.pk, state=State.SUBMITTED).update(feedback_note=note[:200])
