"""`celery --app ledgerport.celery`: the Celery application (defined in `core/celery_app.py`,
where the core app binds it without importing back up out of its package)."""

from ledgerport.core.celery_app import app

__all__ = ["app"]
