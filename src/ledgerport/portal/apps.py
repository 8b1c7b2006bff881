from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client's secure place: the document archive, notifications and the company's users."""

    name = "ledgerport.portal"
    label = "portal"
    verbose_name = _("Client portal")

    def ready(self) -> None:
        from . import cockpit, notification_feed, notification_selectors, notifications

        cockpit.register()  # the client list's unseen-documents column and Översikt's panel (web/extensions.py)
        notification_feed.register_source(
            notification_feed.FeedSource(
                key="documents",
                rank=notification_selectors.DOCUMENTS_RANK,
                items=notification_selectors.feed_items,
                mark_all_read=notifications.notifications_all_read,
            )
        )
