"""The company's users page ("Användare"), the company switcher and the audit log.

Who: the "invite" action (firm admins and accountants, and the company's signatories; not its
members) for the users page and its changes; "view" to switch to a company one belongs to;
"work" (the firm only) for the audit log. Every change is audited (INVITE, ROLE)."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ledgerport.audit import selectors as audit
from ledgerport.audit.models import Action
from ledgerport.audit.services import audit_record
from ledgerport.tenancy import invitations
from ledgerport.tenancy import selectors as tenancy
from ledgerport.tenancy.invitations import (
    InvitationError,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.roles import CompanyRole
from ledgerport.tenancy.services import MembershipError, membership_remove, membership_role_set
from ledgerport.web.decorators import company_view
from ledgerport.web.pages import company_page

from .users_forms import AuditFilterForm, InviteForm
from .users_session import current_company_set

INVITE = "invite"


def _users_page(request: HttpRequest, company: Company, form: InviteForm | None = None) -> HttpResponse:
    context = {
        "memberships": tenancy.memberships_of(company=company),
        "invitations": tenancy.invitations_open(company=company),
        "form": form or InviteForm(),
        "may_manage": tenancy.can(request.user, company, "manage"),
        "role_choices": CompanyRole.choices,
    }
    return company_page(request, company, "users", "portal/users.html", context)


@company_view(INVITE)
@require_GET
def users(request: HttpRequest, company: Company) -> HttpResponse:
    return _users_page(request, company)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@company_view(INVITE)
@require_POST
def users_invite(request: HttpRequest, company: Company) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_create(
                company=company,
                email=data["email"],
                role=data["role"],
                invited_by=request.user,  # type: ignore[arg-type]
                base_url=_base_url(request),
                full_name=data["full_name"],
                number=data["personnummer"],
                language=get_language() or "",
            )
        except InvitationError as exc:
            form.add_error(None, exc.message)
        else:
            audit_record(
                request=request, action=Action.INVITE, company=company, target=invitation, detail=data["role"]
            )
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("portal:users", company_id=company.pk)
    response = _users_page(request, company, form)
    response.status_code = 400
    return response


@company_view(INVITE)
@require_POST
def users_invitation_resend(request: HttpRequest, company: Company, invitation_id: int) -> HttpResponse:
    invitation = tenancy.invitation_get(company=company, pk=invitation_id)
    try:
        invitation = invitation_resend(
            invitation=invitation,
            invited_by=request.user,  # type: ignore[arg-type]
            base_url=_base_url(request),
            language=get_language() or "",
        )
    except InvitationError as exc:
        messages.error(request, exc.message)
    else:
        audit_record(
            request=request, action=Action.INVITE, company=company, target=invitation, detail="resent"
        )
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.") % {"email": invitation.email},
        )
    return redirect("portal:users", company_id=company.pk)


@company_view(INVITE)
@require_POST
def users_invitation_revoke(request: HttpRequest, company: Company, invitation_id: int) -> HttpResponse:
    invitation = tenancy.invitation_get(company=company, pk=invitation_id)
    if not invitation_revoke(invitation=invitation):
        messages.error(request, invitations.USED if invitation.accepted_at else invitations.INVALID)
        return redirect("portal:users", company_id=company.pk)
    audit_record(request=request, action=Action.INVITE, company=company, target=invitation, detail="revoked")
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect("portal:users", company_id=company.pk)


@company_view(INVITE)
@require_POST
def users_role(request: HttpRequest, company: Company, membership_id: int) -> HttpResponse:
    membership = tenancy.membership_get(company=company, pk=membership_id)
    before = membership.role
    try:
        membership_role_set(
            membership=membership,
            role=request.POST.get("role", ""),
            may_remove_last_signatory=tenancy.can(request.user, company, "manage"),
        )
    except MembershipError as exc:
        messages.error(request, str(exc))
    else:
        audit_record(
            request=request,
            action=Action.ROLE,
            company=company,
            target=membership.user,
            detail=f"{before} -> {membership.role}",
        )
        messages.success(request, _("The role of %(user)s was changed.") % {"user": membership.user})
    return redirect("portal:users", company_id=company.pk)


@company_view(INVITE)
@require_POST
def users_remove(request: HttpRequest, company: Company, membership_id: int) -> HttpResponse:
    membership = tenancy.membership_get(company=company, pk=membership_id)
    try:
        membership_remove(
            membership=membership, may_remove_last_signatory=tenancy.can(request.user, company, "manage")
        )
    except MembershipError as exc:
        messages.error(request, str(exc))
        return redirect("portal:users", company_id=company.pk)
    audit_record(
        request=request,
        action=Action.ROLE,
        company=company,
        target=membership.user,
        detail=f"{membership.role} -> removed",
    )
    messages.success(request, _("%(user)s no longer has access to the company.") % {"user": membership.user})
    if membership.user_id == request.user.pk:  # one removed oneself: the page is no longer theirs
        return redirect("web:home")
    return redirect("portal:users", company_id=company.pk)


@company_view("view")
@require_POST
def users_switch(request: HttpRequest, company: Company) -> HttpResponse:
    """Make this company the current one (kept in the session) and open it."""
    current_company_set(request, company)
    return redirect("web:company_overview", company_id=company.pk)


@company_view("work")
@require_GET
def users_audit(request: HttpRequest, company: Company) -> HttpResponse:
    """The company's audit log for the firm: filter by user, event and date; keyset pages."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    before = _cursor(request.GET.get("before", ""))
    entries, next_key = audit.audit_page(
        company=company,
        user_email=filters.get("user") or "",
        action=filters.get("action") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        before=before,
    )
    older = None
    if next_key is not None:
        query = request.GET.copy()
        query["before"] = f"{next_key[0].isoformat()}_{next_key[1]}"
        older = f"{reverse('portal:users_audit', kwargs={'company_id': company.pk})}?{query.urlencode()}"
    context = {"form": form, "entries": entries, "older": older, "paged": before is not None}
    return company_page(request, company, "audit", "portal/users_audit.html", context)


def _cursor(raw: str) -> tuple[datetime, int] | None:
    """`<ISO time>_<id>` of the last entry of the page before; anything else is ignored."""
    at_text, _sep, pk_text = raw.rpartition("_")
    if not pk_text.isascii() or not pk_text.isdigit() or len(pk_text) > 18:
        return None
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError:
        return None
    if timezone.is_naive(at):
        return None
    return at, int(pk_text)
