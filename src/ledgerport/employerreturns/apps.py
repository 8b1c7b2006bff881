from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployerReturnsConfig(AppConfig):
    name = "ledgerport.employerreturns"
    label = "employerreturns"
    verbose_name = _("Employer returns")
