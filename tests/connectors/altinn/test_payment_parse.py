"""The betalingsinformasjon parses to the amount to the øre as a Decimal, its KID, due date and
account; the real example file included; anything else is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledgerport.connectors.altinn.mva_client import PAYMENT_NS, payment_parse

from .vat_helpers import EXAMPLES


def document(amount: str, kid: str, due: date) -> bytes:
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<betalingsinformasjon xmlns="{PAYMENT_NS}">
  <innsendingsreferanse>50123456/9d0e</innsendingsreferanse>
  <skattepliktig><organisasjonsnummer>923609016</organisasjonsnummer></skattepliktig>
  <skattleggingsperiode><periode><skattleggingsperiodeToMaaneder>mars-april</skattleggingsperiodeToMaaneder></periode><aar>2026</aar></skattleggingsperiode>
  <kundeidentifikasjonsnummer>{kid}</kundeidentifikasjonsnummer>
  <beloep>{amount}</beloep>
  <betaleTil>Skatteetaten</betaleTil>
  <betalingsfrist>{due.isoformat()}</betalingsfrist>
  <betalesTilKonto><norskKontonummer>12345678903</norskKontonummer></betalesTilKonto>
</betalingsinformasjon>""".encode()


def test_the_example_file_parses():
    payment = payment_parse((EXAMPLES / "feedback/betalingsinformasjon.xml").read_bytes())
    assert payment.amount == Decimal(0) and payment.kid == "99999999999999"
    assert payment.due == date(2021, 5, 21) and payment.account == "12345678903"
    assert payment.reference == "50267437/55604b08-1690-4a8d-bf6b-95c11dc40c58"


@given(
    amount=st.decimals(
        min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
    ),
    kid=st.from_regex(r"\A[0-9]{2,25}\Z"),
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_amount_kid_and_date_come_back_exactly(amount, kid, due):
    payment = payment_parse(document(str(amount), kid, due))
    assert payment.amount == amount and isinstance(payment.amount, Decimal)
    assert payment.kid == kid and payment.due == due


@pytest.mark.parametrize(
    "xml",
    [
        b"<valideringsresultat xmlns='no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1'/>",
        document("12", "123", date(2026, 6, 10)).replace(b"<beloep>12</beloep>", b""),
        document("12,50", "123", date(2026, 6, 10)),
    ],
    ids=["another-document", "no-amount", "comma-amount"],
)
def test_anything_else_is_refused(xml):
    with pytest.raises(ValueError):
        payment_parse(xml)
