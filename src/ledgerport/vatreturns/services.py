"""Writing VAT returns: compute (or recompute) a term's draft, validate it locally and with the
authority, submit it, and take in the authority's feedback. The authority is reached only
through the provider registry's `VatReturnFiling` (connectors/providers.py)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledgerport.analysis import mva
from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.core.write_lock import serialised_write, write_transaction
from ledgerport.mvamelding import (
    Envelope,
    FeedbackInvalid,
    Melding,
    Term,
    build_envelope,
    build_melding,
    parse_validation_result,
    validate,
)
from ledgerport.tenancy.models import Company

from .feedback import COUNTRY, VatReturnRefused, apply_feedback, deviations, filing
from .models import State, VatReturn
from .tasks import feedback_poll

SYSTEM_VERSION = "1"


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _line_dict(line: mva.DraftLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "own_code": line.own_code,
        "description": line.description,
        "kind": line.kind,
        "base": _amount(line.base),
        "rate": line.rate,
        "vat": _amount(line.vat),
        "vat_computed": line.vat_computed,
    }


@serialised_write
def draft_compute(*, company: Company, user: Any, term: Term) -> VatReturn:
    """Compute the term's draft and store it (recomputing an unsent one). The company's row is
    locked first, so two at once make one return and the second recomputes after the first."""
    if company.country != COUNTRY:
        raise VatReturnRefused(_("VAT returns (mva-melding) are for Norwegian companies."))
    Company.objects.select_for_update().filter(pk=company.pk).first()
    vat_return = VatReturn.objects.filter(company=company, year=term.year, term=term.number).first()
    if vat_return is not None and vat_return.locked:
        raise VatReturnRefused(_("The return has been submitted and is no longer recomputed."))
    draft = mva.term_draft(company, term)
    reference = f"ledgerport-{uuid.uuid4()}"
    melding = Melding(
        orgnr=company.orgnr,
        year=term.year,
        period=term.period,
        lines=draft.melding_lines(),
        reference=reference,
        system_version=SYSTEM_VERSION,
    )
    xml = build_melding(melding)
    values = {
        "state": State.DRAFT,
        "lines": [_line_dict(line) for line in draft.lines],
        "total": draft.total,
        "ledger_total": draft.ledger_total,
        "reconciliation": [
            {"account": a.account, "amount": f"{a.amount:f}", "uncoded": f"{a.uncoded:f}"}
            for a in draft.accounts
        ],
        "unmapped": [[code, f"{amount:f}"] for code, amount in draft.unmapped],
        "problems": [
            {"line": p.line, "path": p.path, "reason": p.reason, "rule": p.rule} for p in validate(xml)
        ],
        "reference": reference,
        "melding_xml": xml.decode(),
        "computed_by": user,
        "computed_at": timezone.now(),
        # A new computation is a new melding: an earlier validation no longer speaks for it.
        "validation_xml": "",
        "validation_status": "",
        "validation_deviations": [],
        "validated_by": None,
        "validated_at": None,
    }
    if vat_return is None:
        return VatReturn.objects.create(company=company, year=term.year, term=term.number, **values)
    for name, value in values.items():
        setattr(vat_return, name, value)
    vat_return.save()
    return vat_return


def _locked(vat_return: VatReturn) -> VatReturn:
    found = VatReturn.objects.select_for_update().filter(pk=vat_return.pk).first()
    if found is None:
        raise VatReturnRefused(_("The return no longer exists."))
    return found


def validate_with_authority(*, vat_return: VatReturn, user: Any, next_url: str) -> VatReturn:
    """Have the authority's service validate the stored melding. Raises PersonLoginRequired
    (send the user to its login_url), ProviderError, VatReturnRefused."""
    if vat_return.locked:
        raise VatReturnRefused(_("The return has been submitted."))
    if vat_return.problems:
        raise VatReturnRefused(_("The draft has validation errors: correct the ledger and compute again."))
    answer = filing().validate(vat_return.company, user, vat_return.melding_xml.encode(), next_url)
    try:
        result = parse_validation_result(answer)
    except FeedbackInvalid as exc:
        raise VatReturnRefused(
            _("The Tax Administration's answer could not be read: %(error)s") % {"error": exc}
        ) from None
    with write_transaction():
        current = _locked(vat_return)
        if current.locked or current.reference != vat_return.reference:
            raise VatReturnRefused(_("The return changed meanwhile: look again."))
        current.validation_xml = answer.decode()
        current.validation_status = result.status
        current.validation_deviations = deviations(result)
        current.validated_by = user
        current.validated_at = timezone.now()
        current.state = State.VALIDATED if result.ok else State.DRAFT
        current.save()
    return current


def submit(*, vat_return: VatReturn, user: Any, next_url: str, request: Any = None) -> VatReturn:
    """Submit the validated melding with its envelope. The return's row is locked across the
    call, so two submits at once file once: the second finds it submitted. Raises
    PersonLoginRequired, ProviderError, VatReturnRefused."""
    with write_transaction():
        current = _locked(vat_return)
        if current.locked:
            raise VatReturnRefused(_("The return has already been submitted."))
        if current.state != State.VALIDATED:
            raise VatReturnRefused(_("Validate the return with the Tax Administration before submitting it."))
        term = Term(current.year, current.term)
        now = timezone.now()
        envelope = build_envelope(
            Envelope(
                orgnr=current.company.orgnr,
                year=current.year,
                period=term.period,
                created_by=getattr(user, "full_name", "") or getattr(user, "email", "") or "Ledgerport",
                created_at=now,
            )
        )
        feedback = filing().submit(current.company, user, envelope, current.melding_xml.encode(), next_url)
        current.envelope_xml = envelope.decode()
        current.authority_reference = feedback.reference
        current.submitted_by = user
        current.submitted_at = now
        current.state = State.SUBMITTED
        apply_feedback(current, feedback)
        current.save()
        audit_record(
            request=request,
            user=user,
            action=Action.FILE,
            company=current.company,
            target=current,
            detail=f"mva-melding {term.label}: {feedback.reference}",
        )
        if not feedback.done:
            transaction.on_commit(lambda: feedback_poll.delay(current.pk))
    return current
