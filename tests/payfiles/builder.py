"""pain.001.001.03 files as Swedish banks take them, built from plain values for the tests.

`realistic()` is a file a firm would upload: two debtor accounts, three payment dates and
creditors by bankgiro, plusgiro, Swedish account and IBAN, with OCR and invoice-number
references. The builder writes what each generator of the Swedish common interpretation
writes (bankgiro as BGNR with clearing member 9900, plusgiro 9960, a Swedish account with its
clearing number as ClrSysMmbId), so a test can break exactly one thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


@dataclass
class Tx:
    creditor: str
    kind: str  # bankgiro | plusgiro | bank_account | iban
    number: str
    amount: str
    ocr: str | None = None
    invoice: str | None = None
    clearing: str | None = None
    currency: str = "SEK"


@dataclass
class Batch:
    date: str
    txs: list[Tx]
    debtor_iban: str | None = "SE4550000000058398257466"
    debtor_bankgiro: str | None = None
    counts: bool = True  # write NbOfTxs and CtrlSum on the PmtInf too
    ctrl_sum: str | None = None


@dataclass
class File:
    batches: list[Batch]
    message_id: str = "LP-2026-0312-01"
    ctrl_sum: str | None = None  # None: the true sum
    nb_of_txs: str | None = None
    namespace: str = NAMESPACE
    extra: dict[str, str] = field(default_factory=dict)


def _sum(txs: list[Tx]) -> str:
    return str(sum((Decimal(tx.amount) for tx in txs), Decimal("0")))


def _account(tx: Tx) -> str:
    if tx.kind == "iban":
        return f"<CdtrAcct><Id><IBAN>{tx.number}</IBAN></Id></CdtrAcct>"
    scheme = {
        "bankgiro": "<SchmeNm><Prtry>BGNR</Prtry></SchmeNm>",
        "plusgiro": "<SchmeNm><Cd>BBAN</Cd></SchmeNm>",
        "bank_account": "<SchmeNm><Cd>BBAN</Cd></SchmeNm>",
    }[tx.kind]
    return f"<CdtrAcct><Id><Othr><Id>{tx.number}</Id>{scheme}</Othr></Id></CdtrAcct>"


def _agent(tx: Tx) -> str:
    member = {"bankgiro": "9900", "plusgiro": "9960", "bank_account": tx.clearing}.get(tx.kind)
    if member is None:
        return "<CdtrAgt><FinInstnId><BIC>DEUTDEFF</BIC></FinInstnId></CdtrAgt>" if tx.kind == "iban" else ""
    return (
        "<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>SESBA</Cd></ClrSysId>"
        f"<MmbId>{member}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
    )


def _remittance(tx: Tx) -> str:
    if tx.ocr is not None:
        return (
            "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{tx.ocr}</Ref></CdtrRefInf></Strd></RmtInf>"
        )
    if tx.invoice is not None:
        return f"<RmtInf><Ustrd>{escape(tx.invoice)}</Ustrd></RmtInf>"
    return ""


def _tx(tx: Tx, index: str) -> str:
    return (
        f"\n      <CdtTrfTxInf>\n        <PmtId><EndToEndId>E2E-{index}</EndToEndId></PmtId>"
        f'\n        <Amt><InstdAmt Ccy="{tx.currency}">{tx.amount}</InstdAmt></Amt>'
        f"\n        {_agent(tx)}\n        <Cdtr><Nm>{escape(tx.creditor)}</Nm></Cdtr>"
        f"\n        {_account(tx)}\n        {_remittance(tx)}\n      </CdtTrfTxInf>"
    )


def _debtor_account(batch: Batch) -> str:
    if batch.debtor_bankgiro:
        return (
            f"<DbtrAcct><Id><Othr><Id>{batch.debtor_bankgiro}</Id><SchmeNm><Prtry>BGNR</Prtry>"
            "</SchmeNm></Othr></Id><Ccy>SEK</Ccy></DbtrAcct>"
        )
    return f"<DbtrAcct><Id><IBAN>{batch.debtor_iban}</IBAN></Id><Ccy>SEK</Ccy></DbtrAcct>"


def _batch(batch: Batch, number: int) -> str:
    counts = (
        f"<NbOfTxs>{len(batch.txs)}</NbOfTxs><CtrlSum>{batch.ctrl_sum or _sum(batch.txs)}</CtrlSum>"
        if batch.counts
        else ""
    )
    txs = "".join(_tx(tx, f"{number}-{i + 1}") for i, tx in enumerate(batch.txs))
    return (
        f"\n    <PmtInf>\n      <PmtInfId>PMT-{number}</PmtInfId><PmtMtd>TRF</PmtMtd>{counts}"
        "\n      <PmtTpInf><SvcLvl><Cd>NURG</Cd></SvcLvl></PmtTpInf>"
        f"\n      <ReqdExctnDt>{batch.date}</ReqdExctnDt>"
        "\n      <Dbtr><Nm>Exempelbolaget AB</Nm><Id><OrgId><Othr><Id>5560360793</Id>"
        "<SchmeNm><Cd>BANK</Cd></SchmeNm></Othr></OrgId></Id></Dbtr>"
        f"\n      {_debtor_account(batch)}"
        "\n      <DbtrAgt><FinInstnId><BIC>ESSESESS</BIC></FinInstnId></DbtrAgt>"
        f"\n      <ChrgBr>SLEV</ChrgBr>{txs}\n    </PmtInf>"
    )


def build(file: File) -> bytes:
    txs = [tx for batch in file.batches for tx in batch.txs]
    ctrl_sum = file.ctrl_sum if file.ctrl_sum is not None else _sum(txs)
    nb = file.nb_of_txs if file.nb_of_txs is not None else str(len(txs))
    batches = "".join(_batch(batch, i + 1) for i, batch in enumerate(file.batches))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{file.namespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        "  <CstmrCdtTrfInitn>\n"
        f"    <GrpHdr>\n      <MsgId>{file.message_id}</MsgId><CreDtTm>2026-03-10T09:15:00</CreDtTm>"
        f"\n      <NbOfTxs>{nb}</NbOfTxs><CtrlSum>{ctrl_sum}</CtrlSum>"
        "\n      <InitgPty><Nm>Demo Redovisning AB</Nm></InitgPty>\n    </GrpHdr>"
        f"{batches}\n  </CstmrCdtTrfInitn>\n</Document>\n"
    ).encode()


# Valid numbers (check digits computed by the rules in ledgerport.payfiles.accounts).
SKATTEVERKET_BG = "50501055"
TAX_OCR = "1655603607938"  # 16 + org number + Luhn digit
SUPPLIER_BG = "1234566"
SUPPLIER_PG = "4789202"
SEB = ("5000", "1234560")  # type 1, comment 1
HANDELSBANKEN = ("6000", "123456789")  # type 2, comment 2 (mod 11)
SWEDBANK = ("83279", "1234567897")  # type 2, comment 3 (five-digit clearing)
SE_IBAN = "SE4550000000058398257466"
DE_IBAN = "DE89370400440532013000"
DEBTOR_BG = "73540122"


def realistic_file() -> File:
    return File(
        batches=[
            Batch(
                date="2026-03-12",
                txs=[
                    Tx("Skatteverket", "bankgiro", SKATTEVERKET_BG, "48215.00", ocr=TAX_OCR),
                    Tx(
                        "Kontorsmaterial i Norden AB",
                        "bankgiro",
                        SUPPLIER_BG,
                        "1249.50",
                        invoice="Faktura 4711",
                    ),
                    Tx("Fjällkraft Energi AB", "plusgiro", SUPPLIER_PG, "3187.25", ocr="4711000010"),
                ],
            ),
            Batch(
                date="2026-03-25",
                txs=[
                    Tx(
                        "Revisionsbyrån Ek & Lind KB",
                        "bank_account",
                        SEB[0] + SEB[1],
                        "15000.00",
                        invoice="Faktura 2026-118",
                        clearing=SEB[0],
                    ),
                    Tx(
                        "Hyresvärden i Umeå AB",
                        "bank_account",
                        HANDELSBANKEN[1],
                        "22500.00",
                        invoice="Hyra april 2026",
                        clearing=HANDELSBANKEN[0],
                    ),
                ],
            ),
            Batch(
                date="2026-03-31",
                debtor_iban=None,
                debtor_bankgiro=DEBTOR_BG,
                txs=[
                    Tx(
                        "Verkstaden Öst AB",
                        "bank_account",
                        SWEDBANK[1],
                        "812.40",
                        invoice="Faktura 90311",
                        clearing=SWEDBANK[0],
                    ),
                    Tx("Nordisk Molntjänst AB", "iban", SE_IBAN, "599.00", invoice="INV-2026-03-0042"),
                    Tx("Bürobedarf Berlin GmbH", "iban", DE_IBAN, "1450.00", invoice="RE-88812"),
                ],
            ),
        ]
    )


def realistic() -> bytes:
    return build(realistic_file())
