"""Inviting a person to a client company and accepting: the mail through a real SMTP server,
hashed single-use links that expire and are replaced on resend, BankID or password + TOTP."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.identity import personnummer, services
from ledgerport.identity.models import User
from ledgerport.tenancy import invitations
from ledgerport.tenancy.invitation_mail import invitation_mail_send
from ledgerport.tenancy.invitations import InvitationError
from ledgerport.tenancy.models import CompanyMembership, Invitation
from ledgerport.tenancy.roles import CompanyRole
from tests.concurrency import at_once, needs_postgres

NEW_PASSWORD = "lagom-langt-losenord-42"
AGDA = "198501012382"


def invite(client, company, **fields):
    data = {"email": "ny@klient-ett.se", "full_name": "Nina Ny", "role": "member", "has_personnummer": "no"}
    data.update(fields)
    return client.post(reverse("portal:users_invite", kwargs={"company_id": company.pk}), data)


def code_for(client) -> str:
    key = client.session["invitation_enrol"]["key"]
    return f"{totp(bytes.fromhex(key)):06d}"


def path_of(link: str) -> str:
    return urlsplit(link).path


@pytest.fixture
def mail(smtp_inbox, eager_tasks, django_capture_on_commit_callbacks):
    """Run the on-commit mail task in the test (eagerly) and collect what the server got."""

    class Sent:
        box = smtp_inbox

        @staticmethod
        def invite(client, company, **fields):
            with django_capture_on_commit_callbacks(execute=True):
                response = invite(client, company, **fields)
            return response

    return Sent


def test_an_accountant_invites_a_client_without_personnummer_who_enrols_totp(client, world, mail):
    client.force_login(world.accountant_a)
    response = mail.invite(client, world.a1)
    assert response.status_code == 302
    [message] = mail.box.wait(1)
    assert message["To"] == "ny@klient-ett.se"
    assert "Alfa Klient Ett AB" in message["Subject"]
    link = mail.box.link(message)
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get(email="ny@klient-ett.se")
    # Only the hash of the link's token is stored.
    assert (
        invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        and token not in invitation.token_hash
    )
    assert AuditEntry.objects.filter(company=world.a1, action=Action.INVITE, user=world.accountant_a).exists()

    invitee = Client()
    page = invitee.get(path_of(link))
    assert page.status_code == 200 and "Steg 1 av 2" in page.content.decode()
    weak = invitee.post(path_of(link), {"password1": "kort", "password2": "kort"})
    assert weak.status_code == 400 and not User.objects.filter(email="ny@klient-ett.se").exists()
    step = invitee.post(path_of(link), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert step.status_code == 302 and step["Location"].endswith("/code/")
    enrol = invitee.get(step["Location"]).content.decode()
    assert "<svg" in enrol and 'data-testid="totp-secret"' in enrol
    wrong = invitee.post(step["Location"], {"token": "000000" if code_for(invitee) != "000000" else "111111"})
    assert wrong.status_code == 400 and not User.objects.filter(email="ny@klient-ett.se").exists()
    done = invitee.post(step["Location"], {"token": code_for(invitee)})
    assert done.status_code == 302

    user = User.objects.get(email="ny@klient-ett.se")
    assert user.no_swedish_personnummer and not user.has_personnummer and user.check_password(NEW_PASSWORD)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert CompanyMembership.objects.get(user=user).role == CompanyRole.MEMBER
    assert invitee.session["_auth_user_id"] == str(user.pk)
    assert invitee.get(reverse("web:home"))["Location"] == reverse("web:company_overview", args=[world.a1.pk])
    # Single use: the link now only says so.
    again = Client().get(path_of(link))
    assert again.status_code == 410 and "redan antagits" in again.content.decode()
    login = AuditEntry.objects.get(action=Action.LOGIN, user=user)
    assert login.company == world.a1 and login.detail == "password+totp"


def test_a_signatory_invites_and_resending_replaces_the_link(client, world, mail):
    client.force_login(world.signatory_a1)
    mail.invite(client, world.a1, role="signatory")
    first = mail.box.link(mail.box.wait(1)[0])
    invitation = Invitation.objects.get(email="ny@klient-ett.se")
    assert invitation.role == CompanyRole.SIGNATORY and invitation.invited_by == world.signatory_a1
    resend = reverse(
        "portal:users_invitation_resend", kwargs={"company_id": world.a1.pk, "invitation_id": invitation.pk}
    )
    assert client.post(resend).status_code == 302
    assert Invitation.objects.filter(email="ny@klient-ett.se").count() == 1
    assert Client().get(path_of(first)).status_code == 404  # the old link is dead at once
    # Inviting the same address again replaces the open invitation too (one row, a new link).
    mail.invite(client, world.a1, role="member")
    assert Invitation.objects.get(email="ny@klient-ett.se").role == CompanyRole.MEMBER


def test_resend_mails_a_new_link_that_works(
    client, world, smtp_inbox, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(world.signatory_a1)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world.a1)
    invitation = Invitation.objects.get(email="ny@klient-ett.se")
    old_hash = invitation.token_hash
    resend = reverse(
        "portal:users_invitation_resend", kwargs={"company_id": world.a1.pk, "invitation_id": invitation.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    first, second = smtp_inbox.wait(2)
    assert smtp_inbox.link(first) != smtp_inbox.link(second)
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert Client().get(path_of(smtp_inbox.link(first))).status_code == 404
    assert Client().get(path_of(smtp_inbox.link(second))).status_code == 200
    assert AuditEntry.objects.filter(action=Action.INVITE, detail="resent", company=world.a1).count() == 1


def test_a_mail_whose_link_was_replaced_before_sending_is_not_sent(world, smtp_inbox):
    invitation = invitations.invitation_create(
        company=world.a1,
        email="x@klient-ett.se",
        role="member",
        invited_by=world.admin_a,
        base_url="http://t/",
    )
    assert (
        invitation_mail_send(invitation_id=invitation.pk, link="http://t/invitations/stale-token/") is False
    )
    assert smtp_inbox.messages == []


def test_an_expired_or_withdrawn_link_says_so(client, world):
    client.force_login(world.admin_a)
    invite(client, world.a1)
    invitation = Invitation.objects.get(email="ny@klient-ett.se")
    token = "known-token"
    Invitation.objects.filter(pk=invitation.pk).update(
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    url = reverse("portal:invitation", kwargs={"token": token})
    expired = Client().get(url)
    assert expired.status_code == 410 and "har gått ut" in expired.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    withdraw = reverse(
        "portal:users_invitation_revoke", kwargs={"company_id": world.a1.pk, "invitation_id": invitation.pk}
    )
    assert client.post(withdraw).status_code == 302
    assert Client().get(url).status_code == 410
    assert Client().get(reverse("portal:invitation", kwargs={"token": "never-issued"})).status_code == 404


def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(client, world):
    client.force_login(world.accountant_a)
    bad = invite(client, world.a1, has_personnummer="yes", personnummer="19121212-1213")
    assert bad.status_code == 400 and "inte ett giltigt svenskt personnummer" in bad.content.decode()
    missing = invite(client, world.a1, has_personnummer="yes", personnummer="")
    assert missing.status_code == 400 and "Ange personnumret" in missing.content.decode()
    already = invite(client, world.a1, email=world.member_a1.email)
    assert already.status_code == 400 and "redan användare" in already.content.decode()
    assert not Invitation.objects.exists()


def test_a_personnummer_invitation_stores_it_encrypted_with_a_digest(client, world):
    client.force_login(world.accountant_a)
    invite(client, world.a1, has_personnummer="yes", personnummer="19850101-2382")
    invitation = Invitation.objects.get()
    assert AGDA not in invitation.personnummer_ciphertext
    assert personnummer.decrypt(invitation.personnummer_ciphertext) == AGDA
    assert invitation.personnummer_digest == personnummer.digest(AGDA)


def _pnr_invitation(world, number=AGDA, email="agda@klient-ett.se") -> tuple[Invitation, str]:
    invitation = invitations.invitation_create(
        company=world.a1,
        email=email,
        role="signatory",
        invited_by=world.admin_a,
        base_url="http://t/",
        number=number,
    )
    token = "agda-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    return invitation, token


def test_bankid_acceptance_must_be_the_invited_person(world):
    _invitation, token = _pnr_invitation(world)
    other = personnummer.digest("191212121212")
    with pytest.raises(InvitationError, match=r"annan person|another person"):
        invitations.invitation_accept_with_bankid(token=token, digest=other, ciphertext="x")
    user = invitations.invitation_accept_with_bankid(
        token=token,
        digest=personnummer.digest(AGDA),
        ciphertext=personnummer.encrypt(AGDA),
        name="Agda Testsson",
    )
    assert user.has_personnummer and not user.no_swedish_personnummer and not user.has_usable_password()
    assert CompanyMembership.objects.get(user=user, company=world.a1).role == CompanyRole.SIGNATORY
    with pytest.raises(InvitationError):
        invitations.invitation_accept_with_bankid(
            token=token, digest=personnummer.digest(AGDA), ciphertext="x"
        )


def test_an_existing_bankid_user_just_gains_the_membership(world):
    existing = services.user_set_personnummer(user=world.signatory_a2, number=AGDA)
    _invitation, token = _pnr_invitation(world, email="annan@adress.se")
    user = invitations.invitation_accept_with_bankid(
        token=token, digest=personnummer.digest(AGDA), ciphertext=personnummer.encrypt(AGDA)
    )
    assert user == existing
    assert set(CompanyMembership.objects.filter(user=user).values_list("company", flat=True)) == {
        world.a1.pk,
        world.a2.pk,
    }


def test_an_existing_password_user_logs_in_and_accepts(client, world):
    admin = Client()
    admin.force_login(world.admin_a)
    invite(admin, world.a2, email=world.member_a1.email)
    invitation = Invitation.objects.get()
    token = "member-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    url = reverse("portal:invitation", kwargs={"token": token})
    page = client.get(url).content.decode()
    assert "Logga in på det för att tacka ja" in page
    assert (
        client.post(url).status_code == 200
        and not CompanyMembership.objects.filter(company=world.a2, user=world.member_a1).exists()
    )
    client.force_login(world.member_a1)
    assert client.post(url).status_code == 302
    assert CompanyMembership.objects.filter(company=world.a2, user=world.member_a1).exists()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_accepts_of_one_invitation_at_once_create_one_membership():
    from tests.factories import build_world

    world = build_world()
    invitation = invitations.invitation_create(
        company=world.a1,
        email="samtidig@klient-ett.se",
        role="member",
        invited_by=world.admin_a,
        base_url="http://t/",
    )
    token = "race-token"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())

    def accept() -> None:
        invitations.invitation_accept_with_totp(token=token, password_hash="!", totp_key_hex="00" * 20)

    outcomes = [str(r) if isinstance(r, InvitationError) else "ok" for r in at_once([accept, accept])]
    assert outcomes.count("ok") == 1 and len(outcomes) == 2, outcomes
    assert str(invitations.USED) in outcomes  # the other was told, clearly
    assert (
        CompanyMembership.objects.filter(company=world.a1, user__email="samtidig@klient-ett.se").count() == 1
    )
    assert User.objects.filter(email="samtidig@klient-ett.se").count() == 1


def test_the_bankid_order_requires_the_invited_person_and_accepting_logs_them_in(world, settings, sandbox):
    settings.BANKID_API_URL = f"{sandbox.url}/bankid/rp/v6.0"
    _invitation, token = _pnr_invitation(world)
    invitee = Client()
    page = invitee.get(reverse("portal:invitation", kwargs={"token": token})).content.decode()
    assert "Tacka ja med BankID" in page
    back = reverse("portal:invitation_bankid", kwargs={"token": token})
    started = invitee.post(reverse("identity:bankid_start"), {"purpose": "verify", "next": back})
    assert started["Location"] == reverse("identity:bankid_wait")
    [order] = sandbox.client.get("/_control/bankid/orders").json()["orders"]
    assert order["requirement"] == {"personalNumber": AGDA}  # BankID lets only Agda answer
    assert order["userVisibleData"] == "Legitimera dig för Ledgerport"
    for body in ({"action": "choose", "personalNumber": AGDA}, {"action": "approve"}):
        assert (
            sandbox.client.post(
                "/_control/bankid/act", json={"orderRef": order["orderRef"], **body}
            ).status_code
            == 200
        )
    done = invitee.post(reverse("identity:bankid_collect"), headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == back
    assert "_auth_user_id" not in invitee.session  # identified, not logged in, until the invitation accepts
    accepted = invitee.get(back)
    assert accepted["Location"] == reverse("web:home")
    user = User.objects.get(email="agda@klient-ett.se")
    assert invitee.session["_auth_user_id"] == str(
        user.pk
    ) and user.personnummer_digest == personnummer.digest(AGDA)
    assert AuditEntry.objects.get(action=Action.LOGIN, user=user).detail == "bankid"
