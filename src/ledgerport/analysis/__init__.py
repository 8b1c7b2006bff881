"""What is computed from the books: statements, the monthly chart, the xlsx export (the tax checks next).

Reads the ledger through `ledger.selectors` and `ledger.models`; the ledger never imports this app.
`statements.py` lays out a statement from `YearFigures`, `reports.py` picks its columns and
period, `charts.py` draws the monthly result, `exports.py` writes the workbook.
"""
