"""Writes for the Altinn settings: save them, and "Test innlogging".

Saving locks the company's row, so two saves at once leave one settings row with one of the
two versions whole. The test calls Altinn (or Maskinporten) outside any transaction and then
stores its result, and the Altinn connection's status on the "Load data" page with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledgerport.tenancy.models import Company

from .. import vault
from ..models import Connection, ConnectionStatus, ProviderSettings
from . import client
from .conf import NAME, SCOPES, conf, signing_key
from .forms import AltinnMethod


def settings_save(*, user: Any, company: Company, data: dict[str, Any]) -> ProviderSettings:
    """Store the form's cleaned data; an empty password keeps the stored one."""
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        record = ProviderSettings.objects.filter(company=company, provider=NAME).first() or ProviderSettings(
            company=company, provider=NAME
        )
        record.method = data["method"]
        record.account_id = data.get("system_id") or ""  # the data system's ID
        if data.get("password"):
            record.secret_ciphertext = vault.seal(data["password"])
        record.language = data["language"]
        record.contact_email = data["contact_email"]
        record.contact_phone = data["contact_mobile"]
        record.updated_by = user
        # A test of other settings says nothing about these.
        record.tested_at = None
        record.test_ok = None
        record.test_message = ""
        record.save()
    return record


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str


def _test_data_system(record: ProviderSettings) -> TestResult:
    if not record.account_id or not record.has_secret:
        return TestResult(False, _("Enter the data system ID and password and save them first."))
    found = client.datasystem_check(conf()["api_url"], record.account_id)
    if found is None:
        return TestResult(
            False,
            _(
                "Altinn does not know the data system ID %(id)s. Check the ID under Profile › "
                "Advanced settings in Altinn."
            )
            % {"id": record.account_id},
        )
    return TestResult(
        True,
        _(
            "Altinn knows the data system ID %(id)s (%(name)s). Only the ID's validity was "
            "checked, not whether the ID and password belong to this company: check that "
            "yourself in Altinn."
        )
        % {"id": found.system_id, "name": found.name or found.system_type},
    )


def _test_system_user(company: Company) -> TestResult:
    key, kid = signing_key()
    urls = conf()
    try:
        token = client.systemuser_token(
            token_url=urls["auth_url"],
            client_id=urls["client_id"],
            scope=SCOPES,
            orgnr=company.orgnr,
            key_pem=key,
            kid=kid,
        )
    except client.AltinnError as exc:
        if exc.code == "unreachable":
            raise
        if exc.code == "invalid_authorization_details":
            return TestResult(
                False,
                _(
                    "Maskinporten found no system user of ours approved for %(orgnr)s. Someone with "
                    "the Access manager role in the company approves our request in Altinn "
                    "(or the firm adds the company to its client system user)."
                )
                % {"orgnr": company.orgnr_display},
            )
        raise
    return TestResult(
        True,
        _("The company's system user is approved: Maskinporten issued a token for %(orgnr)s.")
        % {"orgnr": company.orgnr_display}
        + (f" (ID {token.systemuser_id})" if token.systemuser_id else ""),
    )


def login_test(*, company: Company, record: ProviderSettings) -> TestResult:
    """ "Test innlogging" for the saved settings; the result is stored with them."""
    try:
        if record.method == AltinnMethod.DATA_SYSTEM:
            result = _test_data_system(record)
        else:
            result = _test_system_user(company)
    except client.AltinnError as exc:
        if exc.code == "unreachable":
            result = TestResult(False, _("Altinn could not be reached. Try again in a little while."))
        else:
            result = TestResult(
                False,
                _("Altinn answered with an error: %(code)s %(message)s")
                % {"code": exc.code, "message": exc.message},
            )
    with transaction.atomic():
        ProviderSettings.objects.filter(pk=record.pk).update(
            tested_at=timezone.now(), test_ok=result.ok, test_message=result.message
        )
        Connection.objects.update_or_create(
            company=company,
            provider=NAME,
            defaults={
                "status": ConnectionStatus.ACTIVE if result.ok else ConnectionStatus.ERROR,
                "status_message": "" if result.ok else result.message,
                "external_orgnr": company.orgnr,
            },
        )
    return result
