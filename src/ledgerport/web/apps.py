from django.apps import AppConfig


class WebConfig(AppConfig):
    """The UI shell: layout, firm client list, company page with its tabs."""

    name = "ledgerport.web"
    label = "web"
