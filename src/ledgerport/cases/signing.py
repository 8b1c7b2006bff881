"""Approvals signed with BankID (RP API `sign`), for any case with files for approval.

The order is driven by `identity/bankid_orders.py`, as the login's is: one order per browser
session, kept server-side (the QR secret never reaches the browser), polled by the waiting page. The visible text names
the case, the company and the SHA-256 of every file for approval; the order requires the
logged-in user's own personnummer, and completion checks it again. On completion the
signature, BankID's completion data and the hashes are stored with the case and the case is
approved, in one transaction that locks the case: completing the same order twice stores one
signature. If the files changed while the person signed, nothing is stored.

Who may attest how (decided, see docs/architecture.md "Approvals"): a user with a personnummer
attests by signing with BankID; a user without one (e-mail, password and one-time code) may
attest with the button when `CASES_ATTEST_WITHOUT_BANKID` is on (the default), audited as an
attestation without BankID.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.documents.services import documents_store
from ledgerport.documents.upload_checks import CheckedFile
from ledgerport.identity import bankid_messages as texts
from ledgerport.identity import personnummer
from ledgerport.identity.bankid.client import COMPLETE, FAILED
from ledgerport.identity.bankid_orders import Progress, SessionOrders, qr_text
from ledgerport.identity.throttling import client_ip

from .models import Case, CaseFile, CaseFileRole, CaseMessage, CaseStatus
from .services import CASE_SOURCE, CaseStateError, case_approve
from .signing_models import CaseSignature
from .signing_selectors import approval_files, may_sign

if TYPE_CHECKING:
    from ledgerport.identity.models import User

logger = logging.getLogger(__name__)

ORDER_KEY = "case_sign_order"

NO_PERSONNUMMER = _("Your account has no Swedish personal identity number, so you cannot sign with BankID.")
NOTHING_TO_SIGN = _("There is nothing to sign in this case now.")
WRONG_PERSON = _("The BankID used belongs to someone else than the logged-in user. Nothing was signed.")
FILES_CHANGED = _("The files changed while you were signing. Look at them again and sign anew.")
SIGN_ENDED = _("The signing has ended. Start again.")
SIGN_PROMPT = _("Enter your security code in the BankID app and select Sign.")
ATTEST_NEEDS_BANKID = _("Sign with BankID to attest.")
ATTEST_NOT_ALLOWED = _("Your accounting firm requires attestation with BankID.")


class SigningError(Exception):
    """Why a signature or an attestation was refused (a message for the user)."""


def visible_text(case: Case, files: list[dict[str, object]]) -> str:
    """What the person reads in the BankID app (simpleMarkdownV1) and signs."""
    company = case.company
    lines = [
        f"# {case.title}",
        gettext("%(company)s, %(orgnr)s") % {"company": company.name, "orgnr": company.orgnr},
        "",
        gettext("I approve these files:"),
    ]
    for f in files:
        lines += ["", f"+ {f['name']}", f"SHA-256: {f['sha256']}"]
    return "\n".join(lines)


def pending_message(hint: str) -> str:
    return str(SIGN_PROMPT if hint == "userSign" else texts.pending_message(hint))


# The same budget of starts per session as the BankID login (orders are not free).
ORDERS = SessionOrders(ORDER_KEY, "sign", pending=pending_message)


def sign_start(request: HttpRequest, *, case: Case, user: User) -> str | None:
    """Start a sign order for this session; None, or the message saying why not."""
    if not user.has_personnummer:
        return str(NO_PERSONNUMMER)
    if not may_sign(case):
        return str(NOTHING_TO_SIGN)
    files = approval_files(case)
    text = visible_text(case, files)
    return ORDERS.start(
        request,
        lambda bankid: bankid.sign(
            end_user_ip=client_ip(request),
            user_visible_data=text,
            user_non_visible_data=json.dumps({"case": case.pk, "files": files}, sort_keys=True),
            personal_number=personnummer.decrypt(user.personnummer_ciphertext),
            return_risk=True,
        ),
        case=case.pk,
        company=case.company_id,
        text=text,
        files=files,
    )


def sign_active(request: HttpRequest, case: Case) -> dict[str, object] | None:
    """This session's sign order for `case`, or None."""
    order = ORDERS.active(request)
    return order if order is not None and order.get("case") == case.pk else None


def sign_qr(request: HttpRequest, case: Case) -> str | None:
    order = sign_active(request, case)
    return None if order is None else qr_text(order)


def sign_cancel(request: HttpRequest) -> bool:
    return ORDERS.cancel(request)


def sign_collect(request: HttpRequest, *, case: Case, user: User) -> Progress:
    """Ask BankID about this session's order; on completion store the signature."""
    order = sign_active(request, case)
    if order is None:
        return Progress(str(SIGN_ENDED), "error", done=True)
    result = ORDERS.collect(request, order)
    if isinstance(result, Progress):
        return result
    try:
        signature_complete(
            case=case,
            user=user,
            order_ref=str(order["ref"]),
            text=str(order["text"]),
            files=list(order["files"]),  # type: ignore[call-overload]
            completion_data=result.completion_data,
            request=request,
        )
    except (SigningError, CaseStateError) as err:
        return Progress(str(err), FAILED, done=True)
    return Progress("", COMPLETE, done=True, user=user)


def _without_number(completion: dict[str, object]) -> dict[str, object]:
    """BankID's completion data as returned, the personnummer left out (stored encrypted)."""
    kept = dict(completion)
    person = kept.get("user")
    if isinstance(person, dict):
        kept["user"] = {k: v for k, v in person.items() if k != "personalNumber"}
    return kept


@transaction.atomic
def signature_complete(
    *,
    case: Case,
    user: User,
    order_ref: str,
    text: str,
    files: list[dict[str, object]],
    completion_data: dict[str, object],
    request: HttpRequest | None = None,
) -> CaseSignature:
    """Store a completed BankID signature and approve the case (idempotent per order)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    done = CaseSignature.objects.filter(order_ref=order_ref).first()
    if done is not None:
        return done
    if case.status == CaseStatus.CLOSED:
        raise CaseStateError("the case is closed")
    person = completion_data.get("user")
    number = str(person.get("personalNumber", "")) if isinstance(person, dict) else ""
    try:
        number_digest = personnummer.digest(number)
    except ValueError:
        number_digest = ""
    if not user.personnummer_digest or number_digest != user.personnummer_digest:
        logger.warning("BankID signature by another person refused, order %s", order_ref)
        raise SigningError(str(WRONG_PERSON))
    if completion_data.get("risk") == "high":
        raise SigningError(str(texts.RISK_REFUSED))
    if approval_files(case) != files:
        raise SigningError(str(FILES_CHANGED))
    signature = CaseSignature.objects.create(
        case=case,
        user=user,
        order_ref=order_ref,
        signer_name=str(person.get("name", "")) if isinstance(person, dict) else "",
        personnummer_ciphertext=personnummer.encrypt(number),
        personnummer_digest=number_digest,
        user_visible_data=text,
        file_hashes=files,
        completion_data=_without_number(completion_data),
        signature=str(completion_data.get("signature", "")),
        ocsp_response=str(completion_data.get("ocspResponse", "")),
    )
    audit_record(
        request=request, action=Action.ATTEST, company=case.company, target=case, user=user, detail="BankID"
    )
    case_approve(case=case, user=user, request=request)
    return signature


def attest_without_bankid(*, case: Case, user: User, request: HttpRequest | None = None) -> Case:
    """The "Attestera" button of a user who cannot use BankID (see the module's note)."""
    if user.has_personnummer:
        raise SigningError(str(ATTEST_NEEDS_BANKID))
    if not settings.CASES_ATTEST_WITHOUT_BANKID:
        raise SigningError(str(ATTEST_NOT_ALLOWED))
    if not CaseFile.objects.filter(case=case, role=CaseFileRole.FOR_APPROVAL).exists():
        raise SigningError(str(NOTHING_TO_SIGN))
    audit_record(
        request=request,
        action=Action.ATTEST,
        company=case.company,
        target=case,
        user=user,
        detail="without BankID",
    )
    return case_approve(case=case, user=user, request=request)


@transaction.atomic
def approval_file_replace(
    *, case_file: CaseFile, user: User, file: CheckedFile, request: HttpRequest | None = None
) -> CaseFile:
    """The firm replaces a file for approval; a signature over the old one no longer matches
    (and the case may be signed again). Noted in the thread, so the client sees why."""
    case = Case.objects.select_for_update().get(pk=case_file.case_id)
    if case.status == CaseStatus.CLOSED:
        raise CaseStateError("the case is closed")
    if case_file.role != CaseFileRole.FOR_APPROVAL:
        raise ValueError("only a file for approval is replaced")
    external_id = f"{case.pk}/{case_file.pk}/{int(time.time() * 1000)}"
    stored = documents_store(
        company=case.company,
        source=CASE_SOURCE,
        files=[(external_id, file.name, file.content)],
        uploaded_by=user,
        content_types={hashlib.sha256(file.content).hexdigest(): file.content_type},
    )
    old_name = case_file.file_name
    CaseFile.objects.filter(pk=case_file.pk).update(document=stored[external_id], file_name=file.name)
    CaseMessage.objects.create(
        case=case,
        author=user,
        by_firm=True,
        body=gettext("%(old)s was replaced by %(new)s.") % {"old": old_name, "new": file.name},
    )
    audit_record(request=request, action=Action.UPLOAD, company=case.company, target=case, user=user)
    case_file.refresh_from_db()
    return case_file
