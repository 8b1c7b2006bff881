"""Invitations of people to a client company: create (or resend), send, accept.

A link is a random token; only its SHA-256 is stored, so the database alone opens nothing.
It works once and for `INVITATION_DAYS` days; resending (or inviting the same address again)
draws a new token, which kills the old link. Accepting locks the invitation row, so two
accepts of one link at once give one membership and a clear "already used" to the other.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ledgerport.identity import personnummer
from ledgerport.identity.models import User, normalize_email
from ledgerport.identity.selectors import user_by_digest, user_by_email
from ledgerport.identity.services import user_create_client, user_set_totp

from .invitation_mail import INVITATION_DAYS, token_hash
from .models import Company, CompanyMembership, Invitation
from .roles import CompanyRole
from .tasks import invitation_send

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # a dev dependency: types only


class InvitationError(Exception):
    """Why an invitation cannot be made or accepted; the message is for the user."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


INVALID = _("This invitation link is not valid. Ask for a new invitation.")
EXPIRED = _("This invitation has expired. Ask the person who invited you to send it again.")
USED = _("This invitation has already been accepted. Log in as usual.")
WRONG_PERSON = _("This invitation is for another person. BankID identified someone else.")
EMAIL_TAKEN = _("An account with this e-mail address already exists. Log in to it to accept the invitation.")
NEEDS_BANKID = _("This invitation is accepted with BankID.")
NEEDS_PASSWORD = _("This invitation is accepted with a password and a one-time code, not BankID.")


def invitation_link(token: str, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("portal:invitation", kwargs={"token": token})


def invitation_create(
    *,
    company: Company,
    email: str,
    role: str,
    invited_by: User,
    base_url: str,
    full_name: str = "",
    number: str = "",
    language: str = "",
) -> Invitation:
    """Invite `email` to `company` (or replace the open invitation it has: a new link) and
    send the mail once the transaction commits. `number`: the person's personnummer, if any."""
    email = normalize_email(email)
    if role not in CompanyRole.values:
        raise InvitationError(_("Choose a role."))
    ciphertext = digest = ""
    if number.strip():
        try:
            ciphertext, digest = personnummer.encrypt(number), personnummer.digest(number)
        except (ValidationError, ValueError) as exc:  # stdnum's ValidationError is a ValueError
            raise InvitationError(_("Personal identity number: not a valid Swedish personnummer.")) from exc
    if CompanyMembership.objects.filter(company=company, user__email=email).exists():
        raise InvitationError(_("%(email)s is already a user of this company.") % {"email": email})
    token = secrets.token_urlsafe(32)
    fields = {
        "role": role,
        "full_name": full_name.strip(),
        "personnummer_ciphertext": ciphertext,
        "personnummer_digest": digest,
        "token_hash": token_hash(token),
        "invited_by": invited_by,
        "sent_at": timezone.now(),
        "expires_at": timezone.now() + timedelta(days=INVITATION_DAYS),
    }
    for _attempt in range(2):  # a concurrent invite of the same address: the second updates it
        try:
            with transaction.atomic():
                invitation = _open_invitation(company, email, lock=True)
                if invitation is None:
                    invitation = Invitation.objects.create(company=company, email=email, **fields)
                else:
                    for name, value in fields.items():
                        setattr(invitation, name, value)
                    invitation.save()
                _send_on_commit(invitation, token, base_url, language)
                return invitation
        except IntegrityError:
            continue
    raise InvitationError(_("The invitation could not be saved. Try again."))


def invitation_resend(
    *, invitation: Invitation, invited_by: User, base_url: str, language: str = ""
) -> Invitation:
    """A new link (the old one stops working) and seven more days, mailed again."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationError(USED if invitation.accepted_at else INVALID)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvitationError(USED)
        locked.token_hash = token_hash(token)
        locked.sent_at = timezone.now()
        locked.expires_at = locked.sent_at + timedelta(days=INVITATION_DAYS)
        locked.invited_by = invited_by
        locked.save(update_fields=["token_hash", "sent_at", "expires_at", "invited_by"])
        _send_on_commit(locked, token, base_url, language)
    return locked


def invitation_revoke(*, invitation: Invitation) -> bool:
    """Withdraw an open invitation (its link stops working); False when it was closed already."""
    closed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True)
    return bool(closed.update(revoked_at=timezone.now()))


def _open_invitation(company: Company, email: str, *, lock: bool) -> Invitation | None:
    invitations = Invitation.objects.filter(
        company=company, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    return (invitations.select_for_update() if lock else invitations).first()


def _send_on_commit(invitation: Invitation, token: str, base_url: str, language: str) -> None:
    link = invitation_link(token, base_url)
    transaction.on_commit(lambda: invitation_send.delay(invitation.pk, link, language))


def _locked(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("company")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationError(INVALID)
    if invitation.accepted_at is not None:
        raise InvitationError(USED)
    if invitation.expires_at <= timezone.now():
        raise InvitationError(EXPIRED)
    return invitation


def _join(invitation: Invitation, user: User) -> CompanyMembership:
    """The membership (an existing one is kept as it is) and the invitation closed."""
    membership, _created = CompanyMembership.objects.get_or_create(
        company=invitation.company, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> CompanyMembership:
    """An existing, logged-in user accepts: by e-mail address, or by personnummer for a
    BankID invitation (the person BankID identified)."""
    invitation = _locked(token)
    if invitation.has_personnummer:
        if user.personnummer_digest != invitation.personnummer_digest:
            raise InvitationError(WRONG_PERSON)
    elif normalize_email(user.email) != invitation.email:
        raise InvitationError(_("This invitation was sent to another e-mail address."))
    return _join(invitation, user)


@transaction.atomic
def invitation_accept_with_totp(*, token: str, password_hash: str, totp_key_hex: str) -> TOTPDevice:
    """A new user without a Swedish personnummer: the password (hashed already) and the
    confirmed one-time code device (returned; its `user` is the new user), created together
    with the membership or not at all."""
    invitation = _locked(token)
    if invitation.has_personnummer:
        raise InvitationError(NEEDS_BANKID)
    if user_by_email(invitation.email) is not None:
        raise InvitationError(EMAIL_TAKEN)
    user = user_create_client(
        email=invitation.email, full_name=invitation.full_name, password_hash=password_hash
    )
    device = user_set_totp(user=user, key_hex=totp_key_hex)
    _join(invitation, user)
    return device


@transaction.atomic
def invitation_accept_with_bankid(*, token: str, digest: str, ciphertext: str, name: str = "") -> User:
    """BankID identified the person (`digest`, `ciphertext` of the personnummer it answered);
    it must be the invited one. An existing user gains the membership, else one is created."""
    invitation = _locked(token)
    if not invitation.has_personnummer:
        raise InvitationError(NEEDS_PASSWORD)
    if digest != invitation.personnummer_digest:
        raise InvitationError(WRONG_PERSON)
    user = user_by_digest(digest)
    if user is None:
        if user_by_email(invitation.email) is not None:
            raise InvitationError(EMAIL_TAKEN)
        user = user_create_client(
            email=invitation.email,
            full_name=invitation.full_name or name,
            personnummer_ciphertext=ciphertext,
            personnummer_digest=digest,
        )
    _join(invitation, user)
    return user
