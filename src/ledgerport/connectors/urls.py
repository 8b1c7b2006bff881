from django.urls import path

from . import retry_views, views

app_name = "connectors"

urlpatterns = [
    path("companies/<int:company_id>/connections/<str:provider>/activate/", views.activate, name="activate"),
    path(
        "companies/<int:company_id>/activation-links/<int:link_id>/email/",
        views.email_link,
        name="email_link",
    ),
    path("companies/<int:company_id>/connections/<str:provider>/sync/", views.sync_panel, name="sync_panel"),
    path(
        "companies/<int:company_id>/connections/<str:provider>/sync/start/",
        views.sync_start,
        name="sync_start",
    ),
    path("companies/<int:company_id>/sync-runs/<int:sync_run_id>/", views.sync_run, name="sync_run"),
    path(
        "companies/<int:company_id>/sync-runs/<int:sync_run_id>/retry/",
        retry_views.sync_retry,
        name="sync_retry",
    ),
    path(
        "companies/<int:company_id>/fiscal-years/<int:fiscal_year_id>/sync/",
        views.sync_year,
        name="sync_year",
    ),
    path(
        "companies/<int:company_id>/fiscal-years/<int:fiscal_year_id>/sync/start/",
        views.sync_year_start,
        name="sync_year_start",
    ),
    path("connect/callback/<str:provider>/", views.callback, name="callback"),
    path(
        "connect/person-login/<str:provider>/return/", views.person_login_return, name="person_login_return"
    ),
    path("connect/<str:token>/", views.consent, name="consent"),
    path("connect/<str:token>/authorize/", views.authorize, name="authorize"),
    path("connect/<str:token>/verify/", views.verify, name="verify"),
    path(
        "companies/<int:company_id>/connections/<str:provider>/check/",
        views.ombud_check,
        name="ombud_check",
    ),
    path(
        "companies/<int:company_id>/connections/<str:settings_provider>/settings/",
        views.provider_settings,
        name="provider_settings",
    ),
    path(
        "companies/<int:company_id>/connections/<str:settings_provider>/settings/test/",
        views.provider_settings_test,
        name="provider_settings_test",
    ),
    path(
        "companies/<int:company_id>/connections/<str:settings_provider>/person-login/",
        views.person_login,
        name="person_login",
    ),
]
