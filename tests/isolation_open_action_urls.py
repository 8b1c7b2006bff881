"""A URLconf with an action open to every role of the company, for the test of the matrix.

Both views are scoped (no other firm reaches them), yet a client user may start the firm's
work: the matrix must catch that per role, and a page that offers the firm's buttons."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from ledgerport.connectors import services
from ledgerport.tenancy.models import Company
from ledgerport.urls import urlpatterns as product_urlpatterns
from ledgerport.web.decorators import company_view


@require_POST
@company_view("view")  # the bug the matrix must catch: "view" where creating a link needs "work"
def open_activation(request: HttpRequest, company: Company) -> HttpResponse:
    link = services.activation_link_create(user=request.user, company=company, provider="fortnox")
    return HttpResponse(services.activation_link_url(link))


@company_view("view")
def page_with_firm_buttons(request: HttpRequest, company: Company) -> HttpResponse:
    url = reverse("connectors:sync_start", args=[company.pk, "fortnox"])
    return HttpResponse(f'<form hx-post="{url}"><button>Synka</button></form>')


urlpatterns = [
    *product_urlpatterns,
    path("open/<int:company_id>/activate/", open_activation, name="open_activation"),
    path("open/<int:company_id>/page/", page_with_firm_buttons, name="page_with_firm_buttons"),
]
