from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data `make run` seeds (`seed_demo`); nothing in the product imports it."""

    name = "ledgerport.demo"
    label = "demo"
