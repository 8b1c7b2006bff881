from django.urls import path

from . import views

app_name = "review"

C = "companies/<int:company_id>"

urlpatterns = [
    path(f"{C}/analysis/review/", views.review_start, name="start"),
    path(f"{C}/analysis/review/years/<int:fiscal_year_id>/", views.review_card, name="card"),
    path(f"{C}/analysis/review/years/<int:fiscal_year_id>/mark/", views.review_mark, name="mark"),
]
