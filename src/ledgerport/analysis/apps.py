from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "ledgerport.analysis"
    label = "analysis"
    verbose_name = _("Analysis")

    def ready(self) -> None:
        from . import cockpit

        cockpit.register()  # the client list's light column and Översikt's panels (web/extensions.py)
