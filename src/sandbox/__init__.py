"""Ledgerport sandbox: a small web app that simulates the external providers.

Run with ``python -m sandbox --port 8001`` (or ``uvicorn sandbox.app:app``). The product never
imports this package and this package never imports the product.
"""
