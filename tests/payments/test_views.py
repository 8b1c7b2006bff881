"""The payment-file pages: the firm uploads, the client reads the summary and marks it
approved in the bank, the firm sees who and when."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledgerport.audit.models import Action, AuditEntry
from ledgerport.payments.models import PaymentFile
from tests.payfiles.builder import realistic

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def logged_in(client, user):
    client.force_login(user)
    return client


def upload(client, company, content: bytes, name: str = "betalfil.xml"):
    url = reverse("payments:upload", args=[company.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, "text/xml")}, follow=True)


def test_the_firm_uploads_and_the_signatory_approves(client, world):
    page = upload(logged_in(client, world.accountant_a), world.a1, realistic())
    payment_file = PaymentFile.objects.get(company=world.a1)
    assert page.redirect_chain[-1][0] == reverse("payments:detail", args=[world.a1.pk, payment_file.pk])
    body = page.content.decode()
    assert f"93{NBSP}013,15 SEK" in body
    assert "approve-payment-file" not in body  # the firm does not approve for the client

    client.force_login(world.signatory_a1)
    detail = reverse("payments:detail", args=[world.a1.pk, payment_file.pk])
    body = client.get(detail).content.decode()
    for text in (
        "Skatteverket",
        "5050-1055",
        "1655603607938",
        "2026-03-12",
        f"48{NBSP}215,00",
        "Faktura 4711",
    ):
        assert text in body
    assert "Hyresvärden i Umeå AB" in body and "DE89 3704 0044 0532 0130 00" in body
    assert 'data-testid="approve-payment-file"' in body
    answer = client.post(reverse("payments:approve", args=[world.a1.pk, payment_file.pk]), follow=True)
    assert "approve-payment-file" not in answer.content.decode()
    assert AuditEntry.objects.filter(company=world.a1, action=Action.VIEW, user=world.signatory_a1).exists()

    client.force_login(world.accountant_a)
    body = client.get(detail).content.decode()
    assert "vd@klient-ett.se" in body or (world.signatory_a1.full_name or "") in body
    listing = client.get(reverse("payments:list", args=[world.a1.pk])).content.decode()
    assert "betalfil.xml" in listing


def test_a_member_sees_the_summary_but_may_not_approve(client, world):
    upload(logged_in(client, world.accountant_a), world.a1, realistic())
    payment_file = PaymentFile.objects.get(company=world.a1)
    client.force_login(world.member_a1)
    body = client.get(reverse("payments:detail", args=[world.a1.pk, payment_file.pk])).content.decode()
    assert "Skatteverket" in body and "approve-payment-file" not in body
    refused = client.post(reverse("payments:approve", args=[world.a1.pk, payment_file.pk]))
    assert refused.status_code == 404
    payment_file.refresh_from_db()
    assert payment_file.approved_at is None


def test_a_malformed_file_is_refused_on_the_page_naming_the_element(client, world):
    page = upload(
        logged_in(client, world.accountant_a), world.a1, realistic().replace(b"93013.15", b"93013.16")
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "/Document/CstmrCdtTrfInitn/GrpHdr/CtrlSum (rad 6)" in body
    assert "CtrlSum anger 93013.16 men betalningarna summerar till 93013.15" in body
    assert not PaymentFile.objects.exists()


def test_an_upload_without_a_file_or_of_garbage_never_fails(client, world):
    logged_in(client, world.accountant_a)
    page = client.post(reverse("payments:upload", args=[world.a1.pk]), follow=True)
    assert page.status_code == 200 and not PaymentFile.objects.exists()
    page = upload(client, world.a1, b"\x00\x01\x02" * 100, name="x.bin")
    assert page.status_code == 200 and not PaymentFile.objects.exists()


def test_the_overview_card_lists_the_files_waiting_and_hides_when_a_client_has_none(client, world):
    overview = reverse("web:company_overview", args=[world.a1.pk])
    body = logged_in(client, world.accountant_a).get(overview).content.decode()
    assert 'data-testid="overview-payment-files"' in body
    assert reverse("payments:list", args=[world.a1.pk]) in body
    client.force_login(world.signatory_a1)
    assert 'data-testid="overview-payment-files"' not in client.get(overview).content.decode()

    client.force_login(world.accountant_a)
    upload(client, world.a1, realistic())
    payment_file = PaymentFile.objects.get(company=world.a1)
    client.force_login(world.signatory_a1)
    body = client.get(overview).content.decode()
    assert reverse("payments:detail", args=[world.a1.pk, payment_file.pk]) in body
    assert f"93{NBSP}013,15" in body
    client.post(reverse("payments:approve", args=[world.a1.pk, payment_file.pk]))
    assert 'data-testid="overview-payment-files"' not in client.get(overview).content.decode()


def test_a_case_page_shows_its_payment_file_through_the_template_tag(world):
    from django.template import Context, Template

    from ledgerport.payments import services

    payment_file = services.payment_file_upload(
        company=world.a1, user=world.accountant_a, name="a.xml", content=realistic()
    )
    html = Template("{% load payments_tags %}{% payment_file_summary case %}").render(
        Context({"case": payment_file.case})
    )
    assert reverse("payments:detail", args=[world.a1.pk, payment_file.pk]) in html
    assert f"93{NBSP}013,15" in html
    assert "Betalningar: 8" in payment_file.case.body and f"93{NBSP}013,15" in payment_file.case.body


def test_an_lb_file_is_uploaded_and_summarised_too(client, world):
    from tests.payfiles.lb_builder import realistic_lb

    page = upload(logged_in(client, world.accountant_a), world.a1, realistic_lb(), name="lb.txt")
    body = page.content.decode()
    assert f"Summa: <strong>71{NBSP}964,50 SEK</strong>" in body
    assert "5050-1055" in body and "5000 1234560" in body and "—" in body  # LB carries no names
    assert PaymentFile.objects.get(company=world.a1).number_of_transactions == 3
