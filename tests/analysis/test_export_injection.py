"""The xlsx export never turns outside text into a formula (CSV/formula injection): names and
texts from an imported SIE file beginning with =, +, -, @, tab or CR are stored as text;
amounts stay numbers."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from ledgerport.analysis import exports
from ledgerport.ledger.models import FiscalYear
from ledgerport.ledger.services import ledger_import_sie

HOSTILE = {
    "1930": '=HYPERLINK(\\"http://evil.example\\";\\"Klicka\\")',
    "3010": "+SUM(1;2)",
    "4010": "-2+3",
    "6110": "@SUM(A1)",
    "2440": "\tcmd",
}
SIE = f"""#FLAGGA 0
#SIETYP 4
#ORGNR 556036-0793
#FNAMN "Exempel AB"
#RAR 0 20240101 20241231
{"".join(f'#KONTO {number} "{name}"{chr(10)}' for number, name in HOSTILE.items())}#VER A 1 20240105 "=cmd|' /C calc'!A0" 20240105
{{
   #TRANS 1930 {{}} -125.50 20240105 "@SUM(1+1)*cmd"
   #TRANS 6110 {{}} 125.50 20240105 "+1+1"
}}
#VER A 2 20240106 "-10+20" 20240106
{{
   #TRANS 3010 {{}} -100.00
   #TRANS 4010 {{}} 60.00
   #TRANS 2440 {{}} 40.00
}}
"""


def test_hostile_sie_texts_are_written_as_text_never_as_formulas(world):
    company = world.a1
    ledger_import_sie(company=company, stream=io.BytesIO(SIE.encode("cp437")), file_name="=evil.se")
    fiscal_year = FiscalYear.objects.get(company=company)
    workbook = load_workbook(exports.xlsx(fiscal_year))
    texts, numbers = [], []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)  # text to Excel too
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                elif isinstance(cell.value, (int, float)):
                    numbers.append(cell.value)
    written = set(texts)
    assert "\tcmd" in written
    # The hostile strings are there, unchanged, as text.
    assert 'HYPERLINK("http://evil.example";"Klicka")' in " ".join(written)
    for text in ["+SUM(1;2)", "-2+3", "@SUM(A1)", "@SUM(1+1)*cmd", "+1+1", "-10+20"]:
        assert text in written, text
    # Amounts are still numbers.
    ledger = (
        list(workbook["General ledger"].iter_rows(values_only=True)) if "General ledger" in workbook else []
    )
    ledger = ledger or list(workbook.worksheets[-1].iter_rows(values_only=True))
    amounts = {row[5] for row in ledger[1:] if row[5] is not None}
    assert {Decimal(str(a)).quantize(Decimal("0.01")) for a in amounts} >= {
        Decimal("-125.50"),
        Decimal("125.50"),
        Decimal("-100.00"),
        Decimal("60.00"),
        Decimal("40.00"),
    }
    assert all(isinstance(a, (int, float)) for a in amounts)
