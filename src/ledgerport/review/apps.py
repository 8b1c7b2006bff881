from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """Invoice review: swipe through a year's vouchers that have documents."""

    name = "ledgerport.review"
    label = "review"
    verbose_name = _("Invoice review")
