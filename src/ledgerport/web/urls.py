from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<int:company_id>/", views.company_overview, name="company_overview"),
    path("companies/<int:company_id>/collect/", views.company_collect, name="company_collect"),
    path("companies/<int:company_id>/ledger/", views.company_ledger, name="company_ledger"),
    path("companies/<int:company_id>/analysis/", views.company_analysis, name="company_analysis"),
    path("companies/<int:company_id>/documents/", views.company_documents, name="company_documents"),
    path("companies/<int:company_id>/cases/", views.company_cases, name="company_cases"),
]
