"""The Norwegian demo company's a-melding for last month, as a draft ready to send: its payroll
summary (two employees of the sub-unit the sandbox knows, the Tax Administration's synthetic persons) read
through the CSV layout of docs/a-melding-csv.md, as a firm would import it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ledgerport.core.norway_fields import synthetic_persons_accepted
from ledgerport.employerreturns import services
from ledgerport.employerreturns.models import EmployerReturn
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company

SUMMARY = """\
# A-melding for Fjordlys Rådgivning AS, {month} (demo)
MELDING;923609016;{month};{payday}
VIRKSOMHET;973587102;generelleNaeringer;1;14,1
ARBEIDSFORHOLD;973587102;12838512311;Ingrid Fjellstad;A1;ordinaertArbeidsforhold;01.03.2021;;100;37,5;2431101;ikkeSkift
ARBEIDSFORHOLD;973587102;04919245730;Ola Nordmann;A1;ordinaertArbeidsforhold;15.08.2024;;80;37,5;3313101;ikkeSkift
INNTEKT;973587102;12838512311;A1;fastloenn;kontantytelse;ja;ja;58 500,00
INNTEKT;973587102;12838512311;A1;overtidsgodtgjoerelse;kontantytelse;ja;ja;3 412,50
FORSKUDDSTREKK;973587102;12838512311;19744
INNTEKT;973587102;04919245730;A1;fastloenn;kontantytelse;ja;ja;41200
INNTEKT;973587102;04919245730;A1;elektroniskKommunikasjon;naturalytelse;ja;ja;366
FORSKUDDSTREKK;973587102;04919245730;11639
"""


def seed_amelding(company: Company, user: User, today: dt.date | None = None) -> EmployerReturn | None:
    """Last month's return with the summary imported, unless the month has one already (or
    synthetic persons are refused: production)."""
    if not synthetic_persons_accepted():
        return None
    first = (today or timezone.localdate()).replace(day=1)
    last_month = first - dt.timedelta(days=1)
    month = last_month.strftime("%Y-%m")
    employer_return = services.return_open(company=company, month=month)
    if employer_return.summary_csv:
        return None
    summary = SUMMARY.format(month=month, payday=last_month.replace(day=20).strftime("%d.%m.%Y"))
    services.return_import_csv(employer_return=employer_return, data=summary.encode(), user=user)
    employer_return.refresh_from_db()
    return employer_return
