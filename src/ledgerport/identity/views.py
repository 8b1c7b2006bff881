"""Login (BankID; e-mail + password, with a one-time code for users without a Swedish
personnummer), logout and password reset: Django's auth views with our templates and texts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from . import bankid_login, bankid_messages, logins, services, totp
from .bankid import autostart_url
from .forms import EmailAuthenticationForm, TOTPForm
from .qr_svg import qr_svg

BANKID_NEXT_KEY = "bankid_next"


class LoginView(auth_views.LoginView):
    template_name = "identity/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if totp.needs_second_factor(user):
            totp.pending_set(self.request, user, self.get_success_url())
            return redirect("identity:login_totp")
        logins.mark_method(self.request, logins.PASSWORD)
        response = super().form_valid(form)
        self.request.session[logins.METHOD_SESSION_KEY] = logins.PASSWORD
        return response


@login_not_required
def login_totp(request: HttpRequest) -> HttpResponse:
    """Step two of e-mail login: the one-time code from the user's authenticator app."""
    user = totp.pending_user(request)
    if user is None:
        messages.error(request, _("The login took too long. Start again."))
        return redirect("identity:login")
    form = TOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, wait = totp.verify(request, user, form.cleaned_data["token"])
        if ok:
            return HttpResponseRedirect(_safe_next(request, totp.pending_next(request)))
        if wait:
            form.add_error(
                "token",
                _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": wait},
            )
        else:
            form.add_error("token", _("Wrong code. Enter the six digits your authenticator app shows now."))
    return render(request, "identity/login_totp.html", {"form": form})


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@require_POST
def bankid_start(request: HttpRequest) -> HttpResponse:
    purpose = request.POST.get("purpose", "login")
    problem = bankid_login.order_start(request, purpose=purpose)
    if problem:
        messages.error(request, problem)
        if purpose == bankid_login.VERIFY:  # back to the page that asked (an invitation)
            return HttpResponseRedirect(_safe_next(request, request.POST.get("next", "")))
        return redirect("identity:login")
    request.session[BANKID_NEXT_KEY] = request.POST.get("next", "")
    return redirect("identity:bankid_wait")


@login_not_required
@require_GET
def bankid_wait(request: HttpRequest) -> HttpResponse:
    order = bankid_login.order_active(request)
    if order is None:
        return redirect("identity:login")
    content = bankid_login.order_qr(request) or ""
    context = {
        "autostart_url": autostart_url(str(order["auto"])),
        "qr": {"content": content, "svg": _qr_svg(content)},
        "message": bankid_messages.pending_message(str(order["hint"])),
        "verify": order.get("purpose") == bankid_login.VERIFY,
    }
    return render(request, "identity/bankid_wait.html", context)


@login_not_required
@require_GET
def bankid_qr(request: HttpRequest) -> HttpResponse:
    """The QR code as it is this second (htmx swaps it in every second)."""
    content = bankid_login.order_qr(request)
    if content is None:  # no order (any more): htmx stops asking; nothing to show
        return HttpResponseStopPolling("", content_type="text/plain")
    return render(request, "identity/_bankid_qr.html", {"qr": {"content": content, "svg": _qr_svg(content)}})


@login_not_required
@require_POST
def bankid_collect(request: HttpRequest) -> HttpResponse:
    """Polled every two seconds by the waiting page: the hintCode's message, or the login."""
    progress = bankid_login.order_collect(request)
    if progress.status == "complete":
        return HttpResponseClientRedirect(_safe_next(request, request.session.pop(BANKID_NEXT_KEY, "")))
    response = render(request, "identity/_bankid_status.html", {"progress": progress})
    if progress.done:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@login_not_required
@require_POST
def bankid_cancel(request: HttpRequest) -> HttpResponse:
    order = bankid_login.order_active(request) or {}
    if bankid_login.order_cancel(request):
        messages.info(request, str(bankid_messages.USER_CANCELLED))
    if order.get("purpose") == bankid_login.VERIFY:  # back to the page that asked (an invitation)
        return HttpResponseRedirect(_safe_next(request, request.session.pop(BANKID_NEXT_KEY, "")))
    return redirect("identity:login")


def _qr_svg(content: str) -> str:
    return qr_svg(content, _("BankID QR code"))


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


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a logged-in user's choice is also kept for their mail."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
