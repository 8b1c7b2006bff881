"""Ledgerport: the platform a Nordic accounting firm runs its client work on.

Kept import-free so the pure libraries (`ledgerport.sie`, provider clients) load without
Django or Celery; the Celery app is bound in `ledgerport.core.apps`.
"""
