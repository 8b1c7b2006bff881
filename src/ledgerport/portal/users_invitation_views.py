"""Accepting an invitation: public pages opened by the link in the mail (the token is the
capability; only its hash is stored).

With a personnummer: BankID identifies the person (identity's "verify" order, nobody logged in
by it), the answer must be the invited person; then the membership, the login. Without: choose a
password, then enrol a one-time code app (QR code drawn on the server, the secret as text) and
confirm with a code; the user, its device and the membership are created together. A person who
has an account already logs in to it and accepts."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_otp import login as otp_login

from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.identity import bankid_login, totp
from ledgerport.identity.forms import TOTPForm
from ledgerport.identity.logins import BANKID, PASSWORD_TOTP, login_as
from ledgerport.identity.models import normalize_email
from ledgerport.identity.qr_svg import qr_svg
from ledgerport.identity.selectors import user_by_email
from ledgerport.tenancy import invitations
from ledgerport.tenancy.invitations import InvitationError
from ledgerport.tenancy.models import Invitation
from ledgerport.tenancy.selectors import invitation_by_token

from .users_forms import PasswordForm
from .users_session import current_company_set

ENROL_KEY = "invitation_enrol"
ENROL_SECONDS = 900


def _closed_message(invitation: Invitation | None) -> str | None:
    if invitation is None or invitation.status == "revoked":
        return str(invitations.INVALID)
    if invitation.status == "accepted":
        return str(invitations.USED)
    if invitation.status == "expired":
        return str(invitations.EXPIRED)
    return None


def _closed(request: HttpRequest, invitation: Invitation | None, problem: str) -> HttpResponse:
    status = 404 if invitation is None else 410
    return render(request, "portal/users_invitation.html", {"problem": problem}, status=status)


def _accepted(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    invitation.refresh_from_db()
    audit_record(
        request=request,
        action=Action.INVITE,
        company=invitation.company,
        target=invitation,
        detail="accepted",
    )
    current_company_set(request, invitation.company)
    messages.success(request, _("Welcome to %(company)s.") % {"company": invitation.company.name})
    return redirect("web:home")


@login_not_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitation_by_token(token)
    if problem := _closed_message(found):
        return _closed(request, found, problem)
    assert found is not None
    context: dict[str, object] = {"invitation": found, "token": token}
    if found.has_personnummer:
        bankid_login.verify_require(request, found.personnummer_ciphertext)
        context["bankid_next"] = reverse("portal:invitation_bankid", kwargs={"token": token})
        return render(request, "portal/users_invitation.html", context)
    if user_by_email(found.email) is not None:
        signed_in_as_invitee = (
            request.user.is_authenticated and normalize_email(request.user.email) == found.email
        )
        if request.method == "POST" and signed_in_as_invitee:
            try:
                invitations.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
            except InvitationError as exc:
                return _closed(request, found, str(exc.message))
            return _accepted(request, found)
        context["existing"] = True
        context["signed_in_as_invitee"] = signed_in_as_invitee
        context["login_url"] = f"{reverse('identity:login')}?next={request.path}"
        return render(request, "portal/users_invitation.html", context)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[ENROL_KEY] = {
            "invitation": found.pk,
            "password": make_password(form.cleaned_data["password1"]),
            "key": totp.enrolment_key(),
            "since": time.time(),
        }
        return redirect("portal:invitation_code", token=token)
    context["form"] = form
    return render(request, "portal/users_invitation.html", context, status=400 if form.errors else 200)


@login_not_required
def invitation_code(request: HttpRequest, token: str) -> HttpResponse:
    """Step two without a personnummer: enrol the one-time code app and confirm a code."""
    found = invitation_by_token(token)
    if problem := _closed_message(found):
        return _closed(request, found, problem)
    assert found is not None
    enrol = request.session.get(ENROL_KEY)
    if (
        not isinstance(enrol, dict)
        or enrol.get("invitation") != found.pk
        or time.time() - float(enrol.get("since", 0)) > ENROL_SECONDS
    ):
        messages.error(request, _("Choose your password first (the step took too long or was skipped)."))
        return redirect("portal:invitation", token=token)
    key = str(enrol["key"])
    form = TOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.enrolment_code_valid(key, form.cleaned_data["token"]):
            try:
                device = invitations.invitation_accept_with_totp(
                    token=token, password_hash=str(enrol["password"]), totp_key_hex=key
                )
            except InvitationError as exc:
                request.session.pop(ENROL_KEY, None)
                return _closed(request, found, str(exc.message))
            request.session.pop(ENROL_KEY, None)
            login_as(request, device.user, PASSWORD_TOTP)
            otp_login(request, device)
            return _accepted(request, found)
        form.add_error("token", _("Wrong code. Enter the six digits the app shows now for Ledgerport."))
    uri = totp.enrolment_uri(found.email, key)
    context = {
        "invitation": found,
        "form": form,
        "qr": qr_svg(uri, _("QR code for your authenticator app")),
        "secret": totp.enrolment_secret(key),
    }
    return render(request, "portal/users_invitation_code.html", context, status=400 if form.errors else 200)


@login_not_required
@require_GET
def invitation_bankid(request: HttpRequest, token: str) -> HttpResponse:
    """Where BankID's "verify" order returns: the person it identified accepts."""
    found = invitation_by_token(token)
    if problem := _closed_message(found):
        return _closed(request, found, problem)
    assert found is not None
    person = bankid_login.verified_person(request)
    if person is None:
        messages.error(request, _("Identify yourself with BankID to accept the invitation."))
        return redirect("portal:invitation", token=token)
    bankid_login.verified_forget(request)
    try:
        user = invitations.invitation_accept_with_bankid(
            token=token, digest=person["digest"], ciphertext=person["ciphertext"], name=person["name"]
        )
    except InvitationError as exc:
        messages.error(request, str(exc.message))
        return redirect("portal:invitation", token=token)
    login_as(request, user, BANKID)
    return _accepted(request, found)
