"""A URLconf with one deliberately unscoped view, for the test of the isolation test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ledgerport.tenancy.models import Company
from ledgerport.urls import urlpatterns as product_urlpatterns


def leaky_company_name(request: HttpRequest, company_id: int) -> HttpResponse:
    # The bug the matrix must catch: no for_user().
    return HttpResponse(Company.objects.get(pk=company_id).name)


urlpatterns = [*product_urlpatterns, path("leak/<int:company_id>/", leaky_company_name, name="leak")]
