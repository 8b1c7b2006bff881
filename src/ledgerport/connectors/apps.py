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

        from . import cockpit, providers, scheduled  # noqa: F401 - scheduled registers its beat task

        for spec in providers.autodiscover():
            if spec.provides_ledger:
                sources.register(spec.name, spec.display_name)
        cockpit.register()  # the client list's columns and Översikt's panel (web/extensions.py)
