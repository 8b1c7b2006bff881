"""The company's ledger: fiscal years, accounts, vouchers, rows and balances; SIE import; reports.

Writes live in `services.py` (the SIE import in `importer.py`, its bulk loaders in
`loaders.py`), reads in `selectors.py`, the statement layout in `bas.py`.
A provider sync imports through `services.ledger_import_sie(...)` with a SIE 4 byte
stream and its own `source`, exactly like an uploaded file.
"""
