"""Reads for approvals and their signatures: the files a signature covers, and whether each
signature still matches them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .models import Case, CaseFile, CaseFileRole, CaseStatus
from .signing_models import CaseSignature

if TYPE_CHECKING:
    from ledgerport.identity.models import User


def approval_files(case: Case) -> list[dict[str, object]]:
    """The case's files for approval as a signature records them: id, name and SHA-256."""
    files = CaseFile.objects.filter(case=case, role=CaseFileRole.FOR_APPROVAL).select_related("document")
    return [{"case_file": f.pk, "name": f.file_name, "sha256": f.document.sha256} for f in files]


def _fingerprint(files: list[dict[str, object]]) -> set[tuple[object, object]]:
    return {(f["case_file"], f["sha256"]) for f in files}


@dataclass(frozen=True)
class SignatureView:
    signature: CaseSignature
    matches: bool  # False: a file was replaced (or removed) after signing


def signatures_of(*, user: User, case: Case) -> list[SignatureView]:
    """The case's signatures the user may see, each with whether the files still match."""
    current = _fingerprint(approval_files(case))
    signatures = CaseSignature.objects.for_user(user).filter(case=case).select_related("user")
    return [SignatureView(s, _fingerprint(s.file_hashes) == current) for s in signatures]


def has_matching_signature(case: Case) -> bool:
    current = _fingerprint(approval_files(case))
    return any(_fingerprint(s.file_hashes) == current for s in CaseSignature.objects.filter(case=case))


def may_sign(case: Case) -> bool:
    """A case is signed while it is not closed, has files for approval, and no signature covers
    the files as they are now (after the firm replaced one, it can be signed again)."""
    return (
        case.status != CaseStatus.CLOSED
        and CaseFile.objects.filter(case=case, role=CaseFileRole.FOR_APPROVAL).exists()
        and not has_matching_signature(case)
    )


def approval_case_files(*, user: User, case: Case) -> list[CaseFile]:
    """The case's files for approval the user may see, with their documents."""
    return list(
        CaseFile.objects.for_user(user)
        .filter(case=case, role=CaseFileRole.FOR_APPROVAL)
        .select_related("document")
    )
