"""SIE 4 (type 4E, "PC8" = IBM code page 437) export of a demo ledger."""

from __future__ import annotations

from datetime import datetime

from sandbox.core.clock import STOCKHOLM
from sandbox.core.ledger import ACCOUNTS, Ledger, decimal_str


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def sie4(ledger: Ledger, year: int, *, program: str, generated: datetime, sie_type: int = 4) -> bytes:
    company = ledger.company
    fy = ledger.year(year)
    assert fy is not None
    previous = ledger.year(year - 1)
    out = [
        "#FLAGGA 0",
        f"#PROGRAM {_q(program)} {_q('3.0')}",
        "#FORMAT PC8",
        f"#GEN {generated:%Y%m%d}",
        f"#SIETYP {sie_type}",
        f"#FNR {company.database_number}",
        f"#ORGNR {company.orgnr}",
        f"#FNAMN {_q(company.name)}",
        f"#ADRESS {_q(company.name)} {_q(company.address)} {_q(company.zip_code + ' ' + company.city)} {_q('')}",
        f"#RAR 0 {fy.start:%Y%m%d} {fy.end:%Y%m%d}",
    ]
    if previous:
        out.append(f"#RAR -1 {previous.start:%Y%m%d} {previous.end:%Y%m%d}")
    out.append("#KPTYP BAS2014")
    for account in ledger.accounts_used():
        out.append(f"#KONTO {account} {_q(ACCOUNTS.get(account, str(account)))}")
    for offset, y in ((0, fy), (-1, previous)):
        if y is None:
            continue
        ib, ub, res = ledger.balances(y.year)
        for account in sorted(ib):
            if ib[account]:
                out.append(f"#IB {offset} {account} {decimal_str(ib[account])}")
        for account in sorted(ub):
            if ub[account]:
                out.append(f"#UB {offset} {account} {decimal_str(ub[account])}")
        for account in sorted(res):
            if res[account]:
                out.append(f"#RES {offset} {account} {decimal_str(res[account])}")
    if sie_type == 4:
        for v in ledger.vouchers_in(year):
            out.append(
                f"#VER {_q(v.series)} {_q(str(v.number))} {v.date:%Y%m%d} {_q(v.text)} "
                f"{v.created.astimezone(STOCKHOLM):%Y%m%d}"
            )
            out.append("{")
            for r in v.rows:
                amount = r.debit - r.credit
                out.append(f"   #TRANS {r.account} {{}} {decimal_str(amount)} {v.date:%Y%m%d} {_q(r.text)}")
            out.append("}")
    return ("\r\n".join(out) + "\r\n").encode("cp437", errors="replace")
