"""The VAT return contract (`providers.VatReturnFiling`) for Altinn: validate, submit, feedback.

Each call acts as the requesting person (their ID-porten login for the company's firm) and
raises PersonLoginRequired when there is none. A melding is carried by one Altinn instance:
its id is stored (`VatReturnInstance`, by company and the melding's SHA-256) as soon as Altinn
creates it, under the company row's lock, so two submits at once create one instance and a
submit that died half-way continues that instance when called again (the steps left are read
from the instance itself: `mva_client.submit_steps`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from django.db import transaction

from ledgerport.tenancy.models import Company

from ..http import ApiClient, ProviderError, ServerError, Unauthorized
from ..providers import PersonLoginRequired, VatReturnFeedback, VatReturnFiling, limiter_for
from . import mva_client, person_login
from .client import parse_error
from .conf import NAME
from .models import VatReturnInstance
from .mva_conf import mva_conf

# Feedback usually comes within seconds of the submission: wait that long, then let the caller
# poll `feedback`.
SUBMIT_POLLS = 4
POLL_WAIT = 0.5


class _Person:
    """The person's tokens for one call: ID-porten's for the validation service and the token
    exchange, the exchanged Altinn token for the app."""

    def __init__(self, company: Company, user: Any, next_url: str) -> None:
        self.login = person_login.login_url(company, next_url)
        self.user, self.firm_id = user, company.firm_id
        self.conf = mva_conf()
        self._altinn = ""

    def idporten_token(self, force_refresh: bool = False) -> str:
        return person_login.access_token(
            user=self.user, firm_id=self.firm_id, login=self.login, force_refresh=force_refresh
        )

    def _client(self, base_url: str, token: Any, refresh: Any) -> ApiClient:
        return ApiClient(
            base_url=base_url,
            token=token,
            parse_error=parse_error,
            acquire=limiter_for(NAME).acquire,
            rate_key=lambda path: NAME,
            on_unauthorized=refresh,
            headers={"Accept": "application/json"},
        )

    def idporten_api(self, base_url: str) -> ApiClient:
        return self._client(base_url, self.idporten_token, lambda: self.idporten_token(force_refresh=True))

    def altinn_token(self) -> str:
        if not self._altinn:
            api = self.idporten_api(self.conf.platform_url)
            try:
                self._altinn = mva_client.altinn_token(api, self.conf.platform_url)
            finally:
                api.close()
        return self._altinn

    def _exchange_again(self) -> None:
        self._altinn = ""
        self.idporten_token(force_refresh=True)

    def altinn_api(self) -> ApiClient:
        return self._client(self.conf.apps_url, self.altinn_token, self._exchange_again)


def _guarded(call: Any, login: str) -> Any:
    """A token the provider still refuses after a refresh means the login is not accepted; a
    host that cannot be reached (after the retries) is a provider error like any other."""
    try:
        return call()
    except Unauthorized:
        raise PersonLoginRequired(login) from None
    except httpx.TransportError as exc:
        raise ServerError(503, str(exc) or type(exc).__name__, "unreachable") from exc


def validate(company: Company, user: Any, melding_xml: bytes, next_url: str) -> bytes:
    person = _Person(company, user, next_url)
    _guarded(person.idporten_token, person.login)
    api = person.idporten_api(person.conf.validation_url)
    try:
        return bytes(
            _guarded(lambda: mva_client.validate(api, person.conf.validation_url, melding_xml), person.login)
        )
    finally:
        api.close()


def _record(company: Company, user: Any, sha: str, api: ApiClient, conf: Any) -> VatReturnInstance:
    """The melding's instance: found, or created at Altinn and stored in one locked step."""
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=company.pk).first()
        record = VatReturnInstance.objects.filter(company=company, melding_sha256=sha).first()
        if record is None:
            record = VatReturnInstance.objects.create(company=company, melding_sha256=sha, created_by=user)
        if not record.instance_id:
            instance = mva_client.instance_create(api, conf.apps_url, company.orgnr, conf.app)
            record.instance_id = str(instance["id"])
            record.instance_url = str(instance["selfLinks"]["apps"])
            record.save(update_fields=["instance_id", "instance_url", "updated_at"])
    return record


def _feedback(api: ApiClient, record: VatReturnInstance, polls: int) -> VatReturnFeedback:
    if not record.done and not mva_client.feedback_wait(
        api, record.instance_url, polls=polls, wait=POLL_WAIT
    ):
        return VatReturnFeedback(reference=record.instance_id, done=False)
    files = mva_client.feedback_files(api, mva_client.instance_get(api, record.instance_url))
    if not record.done:
        VatReturnInstance.objects.filter(pk=record.pk).update(done=True)
    return VatReturnFeedback(
        reference=record.instance_id,
        done=True,
        validation_xml=files.validation_xml,
        payment_xml=files.payment_xml,
        receipt_pdf=files.receipt_pdf,
    )


def submit(
    company: Company, user: Any, envelope_xml: bytes, melding_xml: bytes, next_url: str
) -> VatReturnFeedback:
    person = _Person(company, user, next_url)
    _guarded(person.idporten_token, person.login)  # no login: ask for it before anything is stored
    sha = hashlib.sha256(melding_xml).hexdigest()
    api = person.altinn_api()

    def run() -> VatReturnFeedback:
        record = _record(company, user, sha, api, person.conf)
        if not record.done:
            with transaction.atomic():
                # One caller at a time takes the instance on; the next finds it further along.
                VatReturnInstance.objects.select_for_update().filter(pk=record.pk).first()
                instance = mva_client.instance_get(api, record.instance_url)
                if mva_client.current_task(instance) in ("Utfylling", "Bekreftelse"):
                    mva_client.submit_steps(api, instance, envelope_xml, melding_xml)
        return _feedback(api, record, SUBMIT_POLLS)

    try:
        return _guarded(run, person.login)
    finally:
        api.close()


def feedback(company: Company, user: Any, reference: str, next_url: str) -> VatReturnFeedback:
    record = VatReturnInstance.objects.filter(company=company, instance_id=reference).first()
    if record is None:
        raise ProviderError(404, f"No VAT return was filed with reference {reference}.", "not_found")
    person = _Person(company, user, next_url)
    _guarded(person.idporten_token, person.login)
    api = person.altinn_api()
    try:
        return _guarded(lambda: _feedback(api, record, 1), person.login)
    finally:
        api.close()


FILING = VatReturnFiling(validate=validate, submit=submit, feedback=feedback)
