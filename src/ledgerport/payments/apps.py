from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "ledgerport.payments"
    label = "payments"
    verbose_name = _("Payment files")

    def ready(self) -> None:
        from . import cockpit

        cockpit.register()
