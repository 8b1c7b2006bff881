from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxPaymentsConfig(AppConfig):
    name = "ledgerport.taxpayments"
    label = "taxpayments"
    verbose_name = _("Tax payments and reports")
