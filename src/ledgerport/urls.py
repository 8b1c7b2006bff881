from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("ledgerport.web.urls")),
    path("account/", include("ledgerport.identity.urls")),
    path("", include("ledgerport.ledger.urls")),
    path("", include("ledgerport.analysis.urls")),
    path("", include("ledgerport.connectors.urls")),
    path("", include("ledgerport.documents.urls")),
    path("", include("ledgerport.review.urls")),
    path("", include("ledgerport.portal.urls")),
    path("", include("ledgerport.taxpayments.urls")),
    # Public so the login page can switch language too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
