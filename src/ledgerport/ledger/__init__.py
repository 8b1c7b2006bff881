"""The books: fiscal years, accounts, vouchers, rows and balances; SIE import and SIE 4 export.

Writes live in `services.py` (the SIE import in `importer.py`, its bulk loaders in
`loaders.py`, the upload job's run in `import_jobs.py`), reads in `selectors.py`, the BAS
chart's classes and groups in `bas.py`. What is computed from the books (statements, charts,
the xlsx export) is the `analysis` app; the ledger never imports it.
A provider sync imports through `services.ledger_import_sie(...)` with a SIE 4 byte
stream and its own `source`, exactly like an uploaded file.
"""
