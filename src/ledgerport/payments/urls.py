from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("companies/<int:company_id>/payment-files/", views.payment_file_list, name="list"),
    path("companies/<int:company_id>/payment-files/upload/", views.payment_file_upload, name="upload"),
    path(
        "companies/<int:company_id>/payment-files/<int:payment_file_id>/",
        views.payment_file_detail,
        name="detail",
    ),
    path(
        "companies/<int:company_id>/payment-files/<int:payment_file_id>/approve/",
        views.payment_file_approve,
        name="approve",
    ),
]
