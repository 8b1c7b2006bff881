from django.urls import path

from . import views

app_name = "payroll"

urlpatterns = [
    path("companies/<int:company_id>/payroll/", views.runs, name="runs"),
    path("companies/<int:company_id>/payroll/<int:run_id>/", views.run, name="run"),
    path("companies/<int:company_id>/payroll/<int:run_id>/final/", views.run_finish, name="run_finish"),
    path(
        "companies/<int:company_id>/payroll/<int:run_id>/replace/",
        views.run_file_replace,
        name="run_file_replace",
    ),
]
