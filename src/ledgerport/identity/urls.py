from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_totp, name="login_totp"),
    path("login/bankid/", views.bankid_start, name="bankid_start"),
    path("login/bankid/wait/", views.bankid_wait, name="bankid_wait"),
    path("login/bankid/qr/", views.bankid_qr, name="bankid_qr"),
    path("login/bankid/collect/", views.bankid_collect, name="bankid_collect"),
    path("login/bankid/cancel/", views.bankid_cancel, name="bankid_cancel"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
