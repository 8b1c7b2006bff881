"""A Norwegian company of firm A with the demo ledger, and a stand-in for the registry's VAT
return filing (the provider's own lands with the Altinn package: the end-to-end test with the
sandbox is written when both are merged). The stand-in answers with Skatteetaten's example
feedback files and records what it was given."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ledgerport.connectors import providers
from ledgerport.demo import norway_demo
from ledgerport.ledger.saft_import import import_saft
from tests.factories import CompanyFactory

FEEDBACK = Path("/work/shared/specs/no-mva-melding/examples/feedback")
if not FEEDBACK.exists():
    FEEDBACK = Path(__file__).resolve().parents[3] / "shared/specs/no-mva-melding/examples/feedback"
VALID = (FEEDBACK / "valideringsresultat.xml").read_bytes()
PAYMENT = (FEEDBACK / "betalingsinformasjon.xml").read_bytes()
INVALID = b"""<valideringsresultat xmlns="no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1">
<avvikVedMeldingslevering>ugyldig skattemelding</avvikVedMeldingslevering>
<avvik><stiTilAvvik>/mvaMeldingDto/skattepliktig</stiTilAvvik><avviksinformasjon>
<begrunnelse>Ikke registrert i Merverdiavgiftsregisteret</begrunnelse><avvikstype>ugyldig skattemelding</avvikstype>
<avvikKode>R001</avvikKode><regelDefinisjon>registrert</regelDefinisjon></avviksinformasjon></avvik></valideringsresultat>"""


@dataclass
class Boundary:
    """What the registry's filing was asked, and what it answers next."""

    calls: list[tuple[str, Any]] = field(default_factory=list)
    validation: bytes = VALID
    done: bool = True
    login_url: str = ""  # set: every call raises PersonLoginRequired

    def _login(self) -> None:
        if self.login_url:
            raise providers.PersonLoginRequired(self.login_url)

    def validate(self, company, user, melding, next_url):
        self._login()
        self.calls.append(("validate", (company.pk, user.pk, melding, next_url)))
        return self.validation

    def _feedback(self) -> providers.VatReturnFeedback:
        if not self.done:
            return providers.VatReturnFeedback(reference="50267437/instance-1", done=False)
        return providers.VatReturnFeedback(
            reference="50267437/instance-1",
            done=True,
            validation_xml=VALID,
            payment_xml=PAYMENT,
            receipt_pdf=b"%PDF-1.4 kvittering",
        )

    def submit(self, company, user, envelope, melding, next_url):
        self._login()
        self.calls.append(("submit", (company.pk, user.pk, envelope, melding, next_url)))
        return self._feedback()

    def feedback(self, company, user, reference, next_url):
        self._login()
        self.calls.append(("feedback", (company.pk, reference)))
        return self._feedback()

    def filing(self) -> providers.VatReturnFiling:
        return providers.VatReturnFiling(validate=self.validate, submit=self.submit, feedback=self.feedback)


@pytest.fixture
def boundary(monkeypatch):
    found = Boundary()
    monkeypatch.setattr(
        providers, "vat_return_filing", lambda country: found.filing() if country == "NO" else None
    )
    return found


@pytest.fixture
def no_filing(monkeypatch):
    monkeypatch.setattr(providers, "vat_return_filing", lambda country: None)


def fjordlys(firm, orgnr: str = norway_demo.ORGNR):
    company = CompanyFactory(firm=firm, name=norway_demo.NAME, country="NO", orgnr=orgnr)
    import_saft(company=company, stream=io.BytesIO(norway_demo.saft_file(2026)), file_name="fjordlys.xml")
    return company


@pytest.fixture
def norwegian(world):
    return fjordlys(world.firm_a)
