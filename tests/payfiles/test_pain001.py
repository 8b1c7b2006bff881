"""pain.001.001.03 files as Swedish banks take them are summarised; malformed ones are
refused naming the element and the reason."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerport.payfiles import AccountKind, PaymentFileRefused, ReferenceKind, read_pain001

from .builder import (
    DE_IBAN,
    SE_IBAN,
    SUPPLIER_BG,
    TAX_OCR,
    Batch,
    File,
    Tx,
    build,
    realistic,
    realistic_file,
)

FILES = Path(__file__).with_name("files")


def refused(data: bytes) -> list[str]:
    with pytest.raises(PaymentFileRefused) as caught:
        read_pain001(data)
    assert caught.value.problems
    return [str(problem) for problem in caught.value.problems]


def test_a_realistic_file_is_summarised_with_totals_equal_to_its_control_sum():
    summary = read_pain001(realistic())
    assert summary.control_sum == summary.total == Decimal("93013.15")
    assert summary.number_of_transactions == len(summary.payments) == 8
    assert [b.date for b in summary.batches] == [
        datetime.date(2026, 3, 12),
        datetime.date(2026, 3, 25),
        datetime.date(2026, 3, 31),
    ]
    assert {b.debtor_account.formatted for b in summary.batches} == {
        "SE45 5000 0000 0583 9825 7466",
        "7354-0122",
    }
    assert [b.total for b in summary.batches] == [
        Decimal("52651.75"),
        Decimal("37500.00"),
        Decimal("2861.40"),
    ]
    kinds = [(p.account.kind, p.account.formatted) for p in summary.payments]
    assert kinds == [
        (AccountKind.BANKGIRO, "5050-1055"),
        (AccountKind.BANKGIRO, "123-4566"),
        (AccountKind.PLUSGIRO, "47 89 20-2"),
        (AccountKind.BANK_ACCOUNT, "5000 1234560"),
        (AccountKind.BANK_ACCOUNT, "6000 123456789"),
        (AccountKind.BANK_ACCOUNT, "8327-9 1234567897"),
        (AccountKind.IBAN, "SE45 5000 0000 0583 9825 7466"),
        (AccountKind.IBAN, "DE89 3704 0044 0532 0130 00"),
    ]
    first = summary.payments[0]
    assert (first.creditor, first.reference.kind, first.reference.value) == (
        "Skatteverket",
        ReferenceKind.OCR,
        TAX_OCR,
    )
    assert (summary.payments[1].reference.kind, summary.payments[1].reference.value) == (
        ReferenceKind.INVOICE,
        "Faktura 4711",
    )
    assert all(isinstance(p.amount, Decimal) and p.amount.as_tuple().exponent == -2 for p in summary.payments)


def test_the_stored_test_files_are_the_builders():
    assert (FILES / "realistic.xml").read_bytes() == realistic()
    for path in FILES.glob("bad-*.xml"):
        assert refused(path.read_bytes()), path


def test_a_wrong_namespace_is_refused():
    file = realistic_file()
    file.namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
    (problem,) = refused(build(file))
    assert problem.startswith("/Document (line 2): the root must be Document in namespace")
    assert "pain.001.001.09" in problem


def test_no_namespace_is_refused():
    data = realistic().replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"', b"")
    assert "found no namespace" in refused(data)[0]


def test_a_missing_element_is_named():
    data = realistic().replace(b"<PmtMtd>TRF</PmtMtd>", b"", 1)
    (problem,) = refused(data)
    assert problem == (
        "/Document/CstmrCdtTrfInitn/PmtInf[1]/NbOfTxs (line 10):"
        " PmtMtd is missing before NbOfTxs (or NbOfTxs is out of place)"
    )


def test_a_missing_last_element_is_named_in_its_parent():
    data = realistic().replace(b"<InitgPty><Nm>Demo Redovisning AB</Nm></InitgPty>", b"")
    (problem,) = refused(data)
    assert problem.startswith("/Document/CstmrCdtTrfInitn/GrpHdr (line 4):")
    assert "InitgPty is missing in GrpHdr" in problem


def test_a_missing_creditor_name_is_refused():
    data = realistic().replace(b"<Cdtr><Nm>Skatteverket</Nm></Cdtr>", b"")
    (problem,) = refused(data)
    assert problem.startswith("/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1] (line")
    assert "Cdtr/Nm is missing" in problem


def test_a_bad_iban_is_refused():
    data = realistic().replace(DE_IBAN.encode(), b"DE89370400440532013001")
    (problem,) = refused(data)
    assert problem.startswith("/Document/CstmrCdtTrfInitn/PmtInf[3]/CdtTrfTxInf[3]/CdtrAcct/Id/IBAN (line")
    assert "IBAN 'DE89370400440532013001' is not valid" in problem


def test_a_bad_bankgiro_check_digit_is_refused():
    data = realistic().replace(f"<Id>{SUPPLIER_BG}</Id>".encode(), b"<Id>1234567</Id>")
    (problem,) = refused(data)
    assert problem.startswith("/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[2]/CdtrAcct/Id/Othr/Id (line")
    assert "bankgiro number '1234567' has a wrong check digit" in problem


def test_bad_plusgiro_account_and_ocr_check_digits_are_refused():
    file = File(
        batches=[
            Batch(
                date="2026-04-01",
                txs=[
                    Tx("A", "plusgiro", "4789203", "1.00", invoice="1"),
                    Tx("B", "bank_account", "50001234561", "1.00", invoice="2", clearing="5000"),
                    Tx("C", "bank_account", "123456788", "1.00", invoice="3", clearing="6000"),
                    Tx("D", "bankgiro", SUPPLIER_BG, "1.00", ocr="4711000011"),
                    Tx("E", "bank_account", "1234567", "1.00", invoice="5", clearing="9990"),
                ],
            )
        ]
    )
    problems = refused(build(file))
    assert len(problems) == 5
    assert "plusgiro number '4789203' has a wrong check digit" in problems[0]
    assert "account number 1234561 at clearing 5000 has a wrong check digit" in problems[1]
    assert "account number 123456788 at clearing 6000" in problems[2]
    assert "OCR number '4711000011' has a wrong check digit" in problems[3]
    assert "CdtTrfTxInf[4]/RmtInf/Strd/CdtrRefInf/Ref" in problems[3]
    assert "clearing number 9990 is not a Swedish bank's" in problems[4]


def test_an_amount_with_three_decimals_is_refused():
    file = realistic_file()
    file.batches[1].txs[0].amount = "15000.005"
    file.batches[1].ctrl_sum = "37500.005"
    file.ctrl_sum = "93013.155"
    (problem,) = refused(build(file))
    assert problem.startswith("/Document/CstmrCdtTrfInitn/PmtInf[2]/CdtTrfTxInf[1]/Amt/InstdAmt (line")
    assert problem.endswith("amount 15000.005 has more than two decimals")


def test_a_control_sum_that_does_not_add_up_is_refused():
    file = realistic_file()
    file.ctrl_sum = "93013.16"
    (problem,) = refused(build(file))
    assert problem == (
        "/Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum (line 6): CtrlSum says 93013.16 but the payments add up to 93013.15"
    )


def test_a_payment_information_control_sum_and_counts_are_checked():
    file = realistic_file()
    file.batches[0].ctrl_sum = "1.00"
    file.nb_of_txs = "9"
    problems = refused(build(file))
    assert any("PmtInf[1]/CtrlSum" in p and "add up to 52651.75" in p for p in problems)
    assert any("GrpHdr/NbOfTxs" in p and "NbOfTxs says 9 but the file has 8 payments" in p for p in problems)


def test_a_missing_control_sum_is_refused():
    data = realistic().replace(b"<CtrlSum>93013.15</CtrlSum>", b"")
    (problem,) = refused(data)
    assert problem.startswith("/Document/CstmrCdtTrfInitn/GrpHdr (line 4): CtrlSum is missing")


def test_not_xml_a_doctype_and_entities_are_refused():
    assert refused(b"")[0].startswith("/ (line 1): not well-formed XML")
    assert refused(b"\xff\xfe garbage")[0].startswith("/")
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">&b;</Document>'
    )
    assert "DOCTYPE" in refused(bomb)[0]


def test_a_debtor_account_without_bankgiro_scheme_is_refused():
    data = realistic().replace(
        b"<Prtry>BGNR</Prtry></SchmeNm></Othr></Id><Ccy>", b"<Prtry>XX</Prtry></SchmeNm></Othr></Id><Ccy>"
    )
    (problem,) = refused(data)
    assert "PmtInf[3]/DbtrAcct/Id/Othr/Id" in problem and "IBAN or a bankgiro" in problem


def test_only_valid_files_pass_with_a_swedish_iban_payee_too():
    file = File(batches=[Batch(date="2026-05-04", txs=[Tx("X AB", "iban", SE_IBAN, "10", invoice="7")])])
    summary = read_pain001(build(file))
    assert summary.payments[0].amount == Decimal("10.00")
    assert summary.control_sum == Decimal("10")
