"""Portal II's demo for Exempelbolaget AB: an open case with a thread and a due date, a payroll
run awaiting attestation, a payment file awaiting approval, a published tax-payment summary and a
monthly report. Everything goes through the apps' own services (cases, mails, notifications and
archive entries as in real use), dated from today.

Idempotent per part: a company that already has a case of the demo's title, a payroll run, a
payment file, a tax-payment summary or a report publication gets none of that part added, so
running the seed again (today or on a later day) changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from ledgerport.cases.models import Case
from ledgerport.cases.services import case_create, case_message_add
from ledgerport.documents.upload_checks import check_upload
from ledgerport.identity.models import User
from ledgerport.payments.models import PaymentFile
from ledgerport.payments.services import payment_file_upload
from ledgerport.payroll.models import PayrollRun
from ledgerport.payroll.services import payroll_run_create
from ledgerport.taxpayments.drafts import due_date_of, firm_draft
from ledgerport.taxpayments.models import ReportPublication, TaxPaymentSummary
from ledgerport.taxpayments.services import report_file, tax_payment_publish
from ledgerport.tenancy.models import Company

from .archive_demo import simple_pdf

CASE_TITLE = "Underlag till bokslutet"


def _month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class _PdfUpload:
    """A PDF handed to a service as an upload (`documents.archive.Upload`)."""

    name: str | None
    size: int | None
    content: bytes

    def read(self) -> bytes:
        return self.content


def _pdf_upload(name: str, *lines: str) -> _PdfUpload:
    content = simple_pdf(*lines)
    return _PdfUpload(name, len(content), content)


def seed_portal(
    *, company: Company, firm_user: User, client_user: User, today: datetime.date | None = None
) -> None:
    """The demo client's Portal II data (see the module's text), in Swedish."""
    today = today or timezone.localdate()
    with translation.override("sv"):
        _case_with_thread(company, firm_user, client_user, today)
        _payroll_awaiting_attestation(company, firm_user, today)
        _payment_file_awaiting_approval(company, firm_user, today)
        _published_tax_payment(company, firm_user, today)
        _monthly_report(company, firm_user, today)


def _case_with_thread(company: Company, firm_user: User, client_user: User, today: datetime.date) -> None:
    if Case.objects.filter(company=company, title=CASE_TITLE).exists():
        return
    case = case_create(
        company=company,
        user=firm_user,
        title=CASE_TITLE,
        body="Hej! Skicka gärna kontoutdragen för december och kvittot på den nya datorn, "
        "så kan vi börja med bokslutet.",
        due_date=today + datetime.timedelta(days=10),
        recipients=[client_user],
    )
    statement = check_upload("Kontoutdrag december.pdf", simple_pdf("Kontoutdrag december", company.name))
    case_message_add(
        case=case,
        user=client_user,
        body="Här är kontoutdragen. Kvittot på datorn letar jag fortfarande efter.",
        by_firm=False,
        files=[statement],
    )
    case_message_add(
        case=case,
        user=firm_user,
        body="Tack! Då väntar vi bara på kvittot på datorn (12 495 kr, Datorbutiken).",
        by_firm=True,
    )


def _payroll_awaiting_attestation(company: Company, firm_user: User, today: datetime.date) -> None:
    if PayrollRun.objects.filter(company=company).exists():
        return
    period = _month_start(today, months_back=1)
    payout = _month_start(today).replace(day=25)
    if payout <= today:  # past this month's payday: next month's payout of this month's work
        period, payout = _month_start(today), (_month_start(today, months_back=-1)).replace(day=25)
    payroll_run_create(
        company=company,
        user=firm_user,
        period=period,
        payout_date=payout,
        payslips=[
            _pdf_upload(
                f"Preliminärt lönebesked {period:%Y-%m} Tolvan.pdf", "Tolvan Tolvansson", "32 400 kr"
            ),
            _pdf_upload(f"Preliminärt lönebesked {period:%Y-%m} Karin.pdf", "Karin Kund", "28 900 kr"),
        ],
        payout_list=[_pdf_upload(f"Utbetalningslista {period:%Y-%m}.pdf", "Summa netto: 46 520,00 kr")],
    )


# Two suppliers by bankgiro (OCR and invoice number) and one by a Swedish bank account.
_PAYMENTS = (
    ("Kontorsmaterial i Norden AB", "bankgiro", "1234566", "1249.50", None, "Faktura 4711"),
    ("Fjällkraft Energi AB", "bankgiro", "1234566", "3187.25", "4711000010", None),
    ("Revisionsbyrån Ek & Lind KB", "bank_account", "50001234560", "15000.00", None, "Faktura 2026-118"),
)


def payment_file_xml(company: Company, day: datetime.date) -> bytes:
    """A pain.001.001.03 file of the demo's three payments on `day`, debited from the company's
    account, as the firm's accounting program writes it."""
    transactions = []
    for number, (creditor, kind, account, amount, ocr, invoice) in enumerate(_PAYMENTS, start=1):
        if kind == "bankgiro":
            agent, scheme, account_id = "9900", "<Prtry>BGNR</Prtry>", account
        else:
            agent, scheme, account_id = account[:4], "<Cd>BBAN</Cd>", account
        remittance = (
            f"<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>{ocr}</Ref></CdtrRefInf></Strd>"
            if ocr
            else f"<Ustrd>{invoice}</Ustrd>"
        )
        transactions.append(
            f"<CdtTrfTxInf><PmtId><EndToEndId>DEMO-{number}</EndToEndId></PmtId>"
            f'<Amt><InstdAmt Ccy="SEK">{amount}</InstdAmt></Amt>'
            "<CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><Cd>SESBA</Cd></ClrSysId>"
            f"<MmbId>{agent}</MmbId></ClrSysMmbId></FinInstnId></CdtrAgt>"
            f"<Cdtr><Nm>{creditor.replace('&', '&amp;')}</Nm></Cdtr>"
            f"<CdtrAcct><Id><Othr><Id>{account_id}</Id><SchmeNm>{scheme}</SchmeNm></Othr></Id></CdtrAcct>"
            f"<RmtInf>{remittance}</RmtInf></CdtTrfTxInf>"
        )
    total = sum((Decimal(p[3]) for p in _PAYMENTS), Decimal("0"))
    count = len(_PAYMENTS)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">'
        f"<CstmrCdtTrfInitn><GrpHdr><MsgId>DEMO-{day:%Y%m%d}</MsgId>"
        f"<CreDtTm>{day:%Y-%m-%d}T09:00:00</CreDtTm><NbOfTxs>{count}</NbOfTxs><CtrlSum>{total}</CtrlSum>"
        "<InitgPty><Nm>Demo Redovisning AB</Nm></InitgPty></GrpHdr>"
        f"<PmtInf><PmtInfId>DEMO-1</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>{count}</NbOfTxs>"
        f"<CtrlSum>{total}</CtrlSum><PmtTpInf><SvcLvl><Cd>NURG</Cd></SvcLvl></PmtTpInf>"
        f"<ReqdExctnDt>{day.isoformat()}</ReqdExctnDt>"
        f"<Dbtr><Nm>{company.name}</Nm><Id><OrgId><Othr><Id>{company.orgnr}</Id>"
        "<SchmeNm><Cd>BANK</Cd></SchmeNm></Othr></OrgId></Id></Dbtr>"
        "<DbtrAcct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></DbtrAcct>"
        "<DbtrAgt><FinInstnId><BIC>ESSESESS</BIC></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>"
        f"{''.join(transactions)}</PmtInf></CstmrCdtTrfInitn></Document>\n"
    ).encode()


def _payment_file_awaiting_approval(company: Company, firm_user: User, today: datetime.date) -> None:
    if PaymentFile.objects.filter(company=company).exists():
        return
    day = today + datetime.timedelta(days=5)
    payment_file_upload(
        company=company,
        user=firm_user,
        name=f"Leverantörsbetalningar {day:%Y-%m-%d}.xml",
        content=payment_file_xml(company, day),
    )


def _published_tax_payment(company: Company, firm_user: User, today: datetime.date) -> None:
    """The month whose payment is due next (this month's until its due date has passed)."""
    if TaxPaymentSummary.objects.filter(company=company).exists():
        return
    month = _month_start(today)
    if due_date_of(company, month) < today:
        month = _month_start(today, months_back=-1)
    draft = firm_draft(
        company,
        month,
        employer_contributions=Decimal("19132.80"),
        deducted_tax=Decimal("17850.00"),
        vat=Decimal("24375.00"),
    )
    tax_payment_publish(company=company, user=firm_user, draft=draft)


def _monthly_report(company: Company, firm_user: User, today: datetime.date) -> None:
    """Last month's balance and income report. The demo has no books to generate it from, so it
    files a stand-in PDF through the same publication as a generated one."""
    if ReportPublication.objects.filter(company=company).exists():
        return
    month = _month_start(today, months_back=1)
    content = simple_pdf(
        f"Balans- och resultatrapport {month:%Y-%m}",
        company.name,
        "Nettoomsättning: 412 800,00 kr",
        "Resultat: 61 940,00 kr",
    )
    report_file(company=company, user=firm_user, month=month, content=content)
