from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VatReturnsConfig(AppConfig):
    name = "ledgerport.vatreturns"
    label = "vatreturns"
    verbose_name = _("VAT returns (Norway)")
