"""The a-melding through Altinn's system user: the registry's `EmployerReturnFiling` for
Norwegian companies (`provider.py` registers it). A Maskinporten token for the company's
system user with `skatteetaten:innrapporteringamelding`, then the API (`amelding_api.py`).
Skatteetaten's host is `ALTINN_AMELDING_URL`, by default the sandbox's `/skatteetaten/amelding`
next to the skattekort API."""

from __future__ import annotations

from typing import Any

import environ
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ledgerport.tenancy.models import Company

from ..http import ProviderError
from ..providers import EmployerReturnFiling, EmployerReturnReceipt
from . import amelding_api, client
from .conf import conf, signing_key, skatteetaten_url

_env = environ.Env()

# The API's errors people can act on, in words (research: authorities-and-identity.md §5.3).
MESSAGES = {
    "AMLD_1030": gettext_lazy("The authority takes the a-melding as JSON only."),
    "AMLD_1047": gettext_lazy("The authority answers the a-melding in JSON only."),
    "AMLD_1051": gettext_lazy("The organisation number in the address and in the a-melding differ."),
    "AMLD_1052": gettext_lazy("The month in the address and in the a-melding differ."),
    "AMLD_1062": gettext_lazy("The a-melding must be sent by the main unit, not a sub-unit."),
    "AMLD_1063": gettext_lazy(
        "The Altinn login has no system user for this company: approve Ledgerport's system user in Altinn."
    ),
    "AMLD_019": gettext_lazy(
        "This a-melding was sent before with other content; send it again as a new delivery."
    ),
    "AMLD_429": gettext_lazy("The authority is busy. Try again in a little while."),
    "invalid_authorization_details": gettext_lazy(
        "The company has not approved Ledgerport's system user in Altinn."
    ),
    "unreachable": gettext_lazy("Altinn could not be reached. Try again in a little while."),
}


def amelding_url() -> str:
    configured = conf().get("amelding_url") or _env.str("ALTINN_AMELDING_URL", default="")
    return str(configured).rstrip("/") if configured else skatteetaten_url() + "/amelding"


def _provider_error(exc: client.AltinnError) -> ProviderError:
    known = MESSAGES.get(exc.code)
    message = (
        str(known)
        if known
        else _("The authority answered with an error: %(code)s %(message)s")
        % {"code": exc.code, "message": exc.message}
    )
    return ProviderError(status=exc.status or 502, message=message, code=exc.code)


def _token(company: Company) -> str:
    key, kid = signing_key()
    urls = conf()
    return client.systemuser_token(
        token_url=urls["auth_url"],
        client_id=urls["client_id"],
        scope=amelding_api.SCOPE,
        orgnr=company.orgnr,
        key_pem=key,
        kid=kid,
    ).access_token


def receipt(shipment_id: str, message_id: str, feedback: dict[str, Any] | None) -> EmployerReturnReceipt:
    if feedback is None:
        return EmployerReturnReceipt(reference=shipment_id, message_id=message_id, done=False, accepted=False)
    return EmployerReturnReceipt(
        reference=shipment_id,
        message_id=str(feedback.get("meldingsId") or message_id),
        done=True,
        accepted=feedback.get("mottakstatus") == "mottatt",
        feedback=feedback,
    )


def submit(
    company: Company, month: str, leveranse: dict[str, Any], idempotency_key: str
) -> EmployerReturnReceipt:
    try:
        token = _token(company)
        sent = amelding_api.submit(
            api_url=amelding_url(),
            token=token,
            month=month,
            orgnr=company.orgnr,
            leveranse=leveranse,
            idempotency_key=idempotency_key,
        )
    except client.AltinnError as exc:
        raise _provider_error(exc) from exc
    return receipt(sent.shipment_id, sent.message_id, None)


def feedback(company: Company, reference: str) -> EmployerReturnReceipt:
    try:
        answer = amelding_api.feedback(api_url=amelding_url(), token=_token(company), shipment_id=reference)
    except client.AltinnError as exc:
        raise _provider_error(exc) from exc
    return receipt(reference, "", answer)


FILING = EmployerReturnFiling(submit=submit, feedback=feedback)
