from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConnectorsConfig(AppConfig):
    name = "ledgerport.connectors"
    label = "connectors"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        """Load every provider package (`<package>/provider.py` registers its spec); each
        provider's name becomes a ledger source."""
        from ledgerport.ledger import sources

        from . import providers

        for spec in providers.autodiscover():
            sources.register(spec.name, spec.display_name)
