from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "ledgerport.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from ledgerport.analysis.signals import tax_checks_computed
        from ledgerport.portal.notification_feed import FeedSource, register_source

        from . import cockpit, differences, notifications, selectors

        # The checks recomputed (after a sync): cases of differences no longer found are closed.
        tax_checks_computed.connect(differences.on_tax_checks_computed, dispatch_uid="cases-differences")
        cockpit.register()  # the client list's column and Översikt's panel (web/extensions.py)
        # The notifications page lists the case entries with the portal's own.
        register_source(
            FeedSource(
                key="cases",
                rank=selectors.CASES_RANK,
                items=selectors.feed_items,
                mark_all_read=notifications.case_notifications_all_read,
            )
        )
