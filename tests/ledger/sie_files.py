"""Generated SIE 4 files of any size for the import tests (the sample files are small)."""

from __future__ import annotations

from pathlib import Path

from tests.ledger.conftest import VISMA_ORGNR


def write_sie(
    path: Path,
    *,
    vouchers: int,
    rows_per_voucher: int = 4,
    year: int = 2021,
    orgnr: str = VISMA_ORGNR,
    tag: str = "",
) -> Path:
    """A balanced ledger of `vouchers` vouchers with `rows_per_voucher` rows each, for year `year`."""
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        f"#ORGNR {orgnr}",
        '#FNAMN "Genererat AB"',
        f"#RAR 0 {year}0101 {year}1231",
        '#KONTO 1930 "Bank"',
        '#KONTO 3001 "Försäljning"',
        '#KONTO 2611 "Utgående moms"',
    ]
    half = rows_per_voucher // 2
    for number in range(1, vouchers + 1):
        month = number % 12 + 1
        lines.append(f'#VER A {number} {year}{month:02d}15 "Verifikation {tag}{number}"')
        lines.append("{")
        for position in range(half):
            lines.append(f"#TRANS 1930 {{}} {number % 997 + position}.25")
            lines.append(f"#TRANS 3001 {{}} -{number % 997 + position}.25")
        lines.append("}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    return path
