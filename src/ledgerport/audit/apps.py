from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ledgerport.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from . import logins  # noqa: F401 - connects the login receiver
