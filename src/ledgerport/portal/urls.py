from django.urls import URLPattern, URLResolver, path

from . import notifications_views, users_invitation_views, users_views
from .archive_urls import urlpatterns as archive_urlpatterns

app_name = "portal"

# The portal's pages: the document archive, notifications, the company's users.
urlpatterns: list[URLPattern | URLResolver] = [
    # The company's users, invitations, the company switcher and the audit log (users_*).
    path("companies/<int:company_id>/users/", users_views.users, name="users"),
    path("companies/<int:company_id>/users/invite/", users_views.users_invite, name="users_invite"),
    path(
        "companies/<int:company_id>/users/<int:membership_id>/role/",
        users_views.users_role,
        name="users_role",
    ),
    path(
        "companies/<int:company_id>/users/<int:membership_id>/remove/",
        users_views.users_remove,
        name="users_remove",
    ),
    path(
        "companies/<int:company_id>/invitations/<int:invitation_id>/resend/",
        users_views.users_invitation_resend,
        name="users_invitation_resend",
    ),
    path(
        "companies/<int:company_id>/invitations/<int:invitation_id>/withdraw/",
        users_views.users_invitation_revoke,
        name="users_invitation_revoke",
    ),
    path("companies/<int:company_id>/switch/", users_views.users_switch, name="users_switch"),
    path("companies/<int:company_id>/audit/", users_views.users_audit, name="users_audit"),
    path("invitations/<str:token>/", users_invitation_views.invitation, name="invitation"),
    path("invitations/<str:token>/code/", users_invitation_views.invitation_code, name="invitation_code"),
    path(
        "invitations/<str:token>/bankid/", users_invitation_views.invitation_bankid, name="invitation_bankid"
    ),
    # All of the person's notifications (the bell shows the latest).
    path("notifications/", notifications_views.notifications, name="notifications"),
    path("notifications/read/", notifications_views.notifications_read_all, name="notifications_read_all"),
    # The document archive and its notifications (archive_*).
    *archive_urlpatterns,
]
