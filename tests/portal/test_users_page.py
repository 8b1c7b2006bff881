"""The company's users page: who sees it, role changes and removals (audited), the last
signatory kept, and the company switcher for a person in several companies."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.tenancy.models import CompanyMembership
from ledgerport.tenancy.roles import CompanyRole
from tests.factories import CompanyFactory, UserFactory


def users_url(company):
    return reverse("portal:users", kwargs={"company_id": company.pk})


def role_url(company, membership):
    return reverse("portal:users_role", kwargs={"company_id": company.pk, "membership_id": membership.pk})


def remove_url(company, membership):
    return reverse("portal:users_remove", kwargs={"company_id": company.pk, "membership_id": membership.pk})


def membership(world, user, company=None):
    return CompanyMembership.objects.get(user=user, company=company or world.a1)


def test_firm_users_and_the_signatory_see_the_users_a_member_does_not(client, world):
    for user in (world.admin_a, world.accountant_a, world.signatory_a1):
        client.force_login(user)
        page = client.get(users_url(world.a1))
        body = page.content.decode()
        assert page.status_code == 200 and world.member_a1.email in body and world.signatory_a1.email in body
        assert "Bjud in en person" in body
        overview = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
        assert f'href="{users_url(world.a1)}"' in overview  # the "Användare" tab
    client.force_login(world.member_a1)
    assert client.get(users_url(world.a1)).status_code == 404
    overview = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert users_url(world.a1) not in overview


def test_a_signatory_changes_a_role_and_it_is_audited(client, world):
    client.force_login(world.signatory_a1)
    member = membership(world, world.member_a1)
    assert client.post(role_url(world.a1, member), {"role": "signatory"}).status_code == 302
    member.refresh_from_db()
    assert member.role == CompanyRole.SIGNATORY
    entry = AuditEntry.objects.get(action=Action.ROLE, company=world.a1)
    assert entry.user == world.signatory_a1 and entry.detail == "member -> signatory"
    assert entry.target_label == str(world.member_a1)


def test_a_client_cannot_take_away_the_last_signatory_a_firm_admin_can(client, world):
    signatory = membership(world, world.signatory_a1)
    for user in (world.signatory_a1, world.accountant_a):
        client.force_login(user)
        page = client.post(role_url(world.a1, signatory), {"role": "member"}, follow=True)
        assert "minst en firmatecknare" in page.content.decode()
        client.post(remove_url(world.a1, signatory))
        signatory.refresh_from_db()
        assert signatory.role == CompanyRole.SIGNATORY
    assert not AuditEntry.objects.filter(action=Action.ROLE).exists()
    client.force_login(world.admin_a)
    assert client.post(remove_url(world.a1, signatory)).status_code == 302
    assert not CompanyMembership.objects.filter(pk=signatory.pk).exists()
    assert AuditEntry.objects.get(action=Action.ROLE).detail == "signatory -> removed"


def test_with_two_signatories_one_may_go(client, world):
    member = membership(world, world.member_a1)
    member.role = CompanyRole.SIGNATORY
    member.save()
    client.force_login(world.signatory_a1)
    assert client.post(remove_url(world.a1, member)).status_code == 302
    assert not CompanyMembership.objects.filter(pk=member.pk).exists()
    # Now the only one left: removing oneself is refused.
    client.post(remove_url(world.a1, membership(world, world.signatory_a1)))
    assert CompanyMembership.objects.filter(user=world.signatory_a1, company=world.a1).exists()


def test_a_bad_role_is_refused_clearly(client, world):
    client.force_login(world.admin_a)
    member = membership(world, world.member_a1)
    page = client.post(role_url(world.a1, member), {"role": "owner"}, follow=True)
    assert "Välj en roll" in page.content.decode()
    member.refresh_from_db()
    assert member.role == CompanyRole.MEMBER


def test_a_membership_of_another_company_is_not_found(client, world):
    client.force_login(world.signatory_a1)
    foreign = membership(world, world.signatory_a2, world.a2)
    assert client.post(role_url(world.a1, foreign), {"role": "member"}).status_code == 404
    assert client.post(remove_url(world.a1, foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == CompanyRole.SIGNATORY


def test_a_person_in_several_companies_switches_between_them(client, world):
    third = CompanyFactory(firm=world.firm_b, name="Tredje Bolaget AB", orgnr="5566778899")
    for company in (world.a2, third):
        CompanyMembership.objects.create(company=company, user=world.member_a1, role=CompanyRole.MEMBER)
    client.force_login(world.member_a1)
    home = client.get(reverse("web:home"))
    body = home.content.decode()
    assert home.status_code == 200  # several companies, none chosen yet: the list
    for company in (world.a1, world.a2, third):
        assert company.name in body and reverse("portal:users_switch", args=[company.pk]) in body
    switched = client.post(reverse("portal:users_switch", args=[third.pk]))
    assert switched["Location"] == reverse("web:company_overview", args=[third.pk])
    assert client.get(reverse("web:home"))["Location"] == reverse("web:company_overview", args=[third.pk])
    page = client.get(reverse("web:company_overview", args=[world.a2.pk])).content.decode()
    assert 'data-testid="company-switcher"' in page and "Tredje Bolaget AB" in page
    # Only companies one belongs to: another client company of the same firm is not found.
    assert client.post(reverse("portal:users_switch", args=[world.b1.pk])).status_code == 404
    # Removed from the current company: home falls back to the list.
    CompanyMembership.objects.filter(company=third, user=world.member_a1).delete()
    assert client.get(reverse("web:home")).status_code == 200


def test_one_company_has_no_switcher(world):
    client = Client()
    client.force_login(world.signatory_a1)
    page = client.get(reverse("web:company_overview", args=[world.a1.pk])).content.decode()
    assert "company-switcher" not in page


def test_the_users_page_costs_the_same_however_many_users(client, world):
    client.force_login(world.accountant_a)
    url = users_url(world.a1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(15):
        CompanyMembership.objects.create(company=world.a1, user=UserFactory(), role="member")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_withdrawing_an_accepted_invitation_changes_nothing(client, world):
    from django.utils import timezone

    from ledgerport.tenancy.models import Invitation

    invitation = Invitation.objects.create(
        company=world.a1,
        email="klar@klient-ett.se",
        token_hash="h",
        expires_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    client.force_login(world.signatory_a1)
    url = reverse(
        "portal:users_invitation_revoke", kwargs={"company_id": world.a1.pk, "invitation_id": invitation.pk}
    )
    page = client.post(url, follow=True).content.decode()
    assert "redan antagits" in page
    invitation.refresh_from_db()
    assert invitation.revoked_at is None and not AuditEntry.objects.filter(detail="revoked").exists()
