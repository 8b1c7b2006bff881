"""The authority's feedback files parsed into values; a broken one is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledgerport.mvamelding import FeedbackInvalid, parse_payment_info, parse_validation_result

from .test_examples import EXAMPLES

NS = "no:skatteetaten:fastsetting:avgift:mva:valideringsresultat:v1"


def test_payment_info_from_the_example():
    info = parse_payment_info((EXAMPLES / "feedback/betalingsinformasjon.xml").read_bytes())
    assert info.kid == "99999999999999"
    assert info.amount == Decimal(0)
    assert info.due_date == dt.date(2021, 5, 21)
    assert info.account == "12345678903"
    assert info.orgnr == "911158612"
    assert info.reference == "50267437/55604b08-1690-4a8d-bf6b-95c11dc40c58"


def test_validation_result_without_deviations():
    result = parse_validation_result((EXAMPLES / "feedback/valideringsresultat.xml").read_bytes())
    assert result.status == "ingen avvik" and result.ok and result.deviations == ()


def test_validation_result_with_deviations():
    xml = f"""<valideringsresultat xmlns="{NS}">
      <avvikVedMeldingslevering>ugyldig skattemelding</avvikVedMeldingslevering>
      <avvik><stiTilAvvik>/mvaMeldingDto/skattegrunnlagOgBeregnetSkatt/fastsattMerverdiavgift</stiTilAvvik>
        <mvaKode>3</mvaKode><xmlLinjenummer>17</xmlLinjenummer>
        <avviksinformasjon><begrunnelse>Summen stemmer ikke</begrunnelse><avvikstype>ugyldig skattemelding</avvikstype>
          <avvikKode>R001</avvikKode><regelDefinisjon>fastsatt = sum</regelDefinisjon></avviksinformasjon>
      </avvik></valideringsresultat>""".encode()
    result = parse_validation_result(xml)
    assert not result.ok
    (deviation,) = result.deviations
    assert deviation.line == 17 and deviation.code == "3"
    assert deviation.reasons == (("R001", "ugyldig skattemelding", "Summen stemmer ikke"),)


@pytest.mark.parametrize(
    "xml",
    [
        b"<valideringsresultat/>",
        f'<valideringsresultat xmlns="{NS}"><avvikVedMeldingslevering>kanskje</avvikVedMeldingslevering></valideringsresultat>'.encode(),
        b"not xml",
    ],
)
def test_a_broken_feedback_file_is_refused(xml):
    with pytest.raises(FeedbackInvalid):
        parse_validation_result(xml)
