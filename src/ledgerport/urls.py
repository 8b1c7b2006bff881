from django.urls import include, path

from ledgerport.identity.views import language_set

urlpatterns = [
    path("", include("ledgerport.web.urls")),
    path("account/", include("ledgerport.identity.urls")),
    path("", include("ledgerport.ledger.urls")),
    path("", include("ledgerport.analysis.urls")),
    path("", include("ledgerport.connectors.urls")),
    path("", include("ledgerport.documents.urls")),
    path("", include("ledgerport.review.urls")),
    path("", include("ledgerport.portal.urls")),
    path("", include("ledgerport.cases.urls")),
    path("", include("ledgerport.cases.signing_urls")),
    path("", include("ledgerport.payroll.urls")),
    path("", include("ledgerport.payments.urls")),
    path("", include("ledgerport.taxpayments.urls")),
    path("", include("ledgerport.employerreturns.urls")),
    path("", include("ledgerport.vatreturns.urls")),
    # Public so the login page can switch language too.
    path("i18n/setlang/", language_set, name="set_language"),
]
