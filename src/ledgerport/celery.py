"""The Celery application; tasks are thin and call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")

app = Celery("ledgerport")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
