from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("companies/<int:company_id>/documents/list/", views.document_list, name="list"),
    path(
        "companies/<int:company_id>/documents/<int:document_id>/provenance/",
        views.document_provenance,
        name="provenance",
    ),
    path(
        "companies/<int:company_id>/documents/<int:document_id>/content/",
        views.document_content,
        name="content",
    ),
]
