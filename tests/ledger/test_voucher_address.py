"""A voucher's address is its fiscal year, series and number: bookmarks, links in notes and
e-mails open the same voucher after a replacing import gives every voucher a new row id."""

from __future__ import annotations

from django.urls import reverse

from ledgerport.ledger.models import Voucher
from ledgerport.ledger.services import ledger_import_sie
from tests.ledger.conftest import VISMA


def _import(company, *, replace: bool) -> None:
    with VISMA.open("rb") as stream:
        ledger_import_sie(company=company, stream=stream, file_name=VISMA.name, replace=replace)


def test_a_bookmarked_voucher_url_opens_the_same_voucher_after_a_replacing_import(
    client, world, visma_company
):
    _import(visma_company, replace=False)
    client.force_login(world.accountant_a)
    voucher = Voucher.objects.filter(fiscal_year__company=visma_company).order_by("date", "id")[3]
    args = [visma_company.pk, voucher.fiscal_year.start, voucher.series, voucher.number]
    bookmark = reverse("ledger:voucher", args=args)
    assert f"/{voucher.fiscal_year.start:%Y-%m-%d}/vouchers/{voucher.series}/{voucher.number}/" in bookmark
    before = client.get(bookmark)
    assert before.status_code == 200
    assert voucher.text in before.content.decode()
    # An address by row id (made before this change) still leads there, to the lasting address.
    old = client.get(reverse("ledger:voucher_by_id", args=[visma_company.pk, voucher.pk]))
    assert (old.status_code, old["Location"]) == (301, bookmark)

    # Vouchers stored before fingerprints existed: the import replaces them all (the same file
    # would otherwise keep every voucher as it is, ledger/reimport.py).
    Voucher.objects.filter(fiscal_year__company=visma_company).update(fingerprint=None)
    _import(visma_company, replace=True)
    again = Voucher.objects.get(
        fiscal_year__company=visma_company, series=voucher.series, number=voucher.number
    )
    assert again.pk != voucher.pk  # the import replaced the rows
    after = client.get(bookmark)
    assert after.status_code == 200
    body = after.content.decode()
    assert voucher.text in body and f"{voucher.series} {voucher.number}" in body
    assert client.get(reverse("ledger:voucher_by_id", args=[visma_company.pk, voucher.pk])).status_code == 404


def test_the_account_page_links_vouchers_by_their_lasting_address(client, world, visma_company):
    _import(visma_company, replace=False)
    client.force_login(world.accountant_a)
    voucher = Voucher.objects.filter(fiscal_year__company=visma_company).order_by("date", "id").first()
    row = voucher.rows.select_related("account").first()
    body = client.get(reverse("ledger:account", args=[visma_company.pk, row.account.pk])).content.decode()
    args = [visma_company.pk, voucher.fiscal_year.start, voucher.series, voucher.number]
    assert f'href="{reverse("ledger:voucher", args=args)}?account={row.account.pk}"' in body


def test_an_unknown_or_malformed_voucher_address_is_not_found(client, world, visma_company):
    _import(visma_company, replace=False)
    client.force_login(world.accountant_a)
    base = f"/companies/{visma_company.pk}/ledger"
    for path in ("2099-01-01/vouchers/A/1/", "2023-13-45/vouchers/A/1/", "2023-01-01/vouchers/ZZ/999999/"):
        assert client.get(f"{base}/{path}").status_code == 404, path


def test_a_voucher_without_series_has_an_address_too(client, world):
    from tests.ledger.factories import ledger_objects

    small = ledger_objects(world.a1)
    Voucher.objects.filter(pk=small.voucher.pk).update(series="")
    url = reverse("ledger:voucher", args=[world.a1.pk, small.fiscal_year.start, "", small.voucher.number])
    assert url.endswith(f"/vouchers/-/{small.voucher.number}/")
    client.force_login(world.accountant_a)
    response = client.get(url)
    assert response.status_code == 200 and small.voucher.text in response.content.decode()
