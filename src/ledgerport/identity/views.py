"""Login, logout and password reset: Django's auth views with our templates and texts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy

from .forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "identity/password_reset_form.html"
    email_template_name = "identity/password_reset_email.txt"
    subject_template_name = "identity/password_reset_subject.txt"
    success_url = reverse_lazy("identity:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "identity/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "identity/password_reset_confirm.html"
    success_url = reverse_lazy("identity:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "identity/password_reset_complete.html"


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any) -> HttpResponse:
    """django-axes' lockout answer: a clear message with the wait, status 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "identity/locked_out.html", context, status=429)
