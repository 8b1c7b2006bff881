"""The same month published twice at once files one document."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from ledgerport.documents.models import ArchiveEntry
from ledgerport.ledger.services import ledger_import_sie
from ledgerport.taxpayments import services
from ledgerport.taxpayments.drafts import firm_draft
from ledgerport.taxpayments.models import ReportPublication, TaxPaymentSummary
from tests.analysis.test_key_figures import SIE
from tests.concurrency import at_once
from tests.factories import build_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def slow_filing(monkeypatch):
    """Both publishings have read "nothing published yet" before either files."""
    archive_file = services.archive_file

    def slow(**kwargs):
        found = archive_file(**kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "archive_file", slow)


def test_a_report_published_twice_at_once_is_filed_once(settings, tmp_path, slow_filing):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    ledger_import_sie(company=world.a1, stream=io.BytesIO(SIE.format(orgnr=world.a1.orgnr).encode("cp437")))

    def publish(user):
        return lambda: services.report_publish(company=world.a1, user=user, month=date(2025, 4, 1))

    results = at_once([publish(world.admin_a), publish(world.accountant_a)])
    assert all(isinstance(result, tuple) for result in results), results
    assert sorted(filed for _, filed in results) == [False, True]  # type: ignore[misc]
    assert ArchiveEntry.objects.filter(company=world.a1, area="reports", month=4).count() == 1
    assert ReportPublication.objects.count() == 1


def test_a_tax_payment_published_twice_at_once_is_filed_once(settings, tmp_path, slow_filing):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()

    def publish(user):
        draft = firm_draft(world.a2, date(2026, 11, 1), employer_contributions=Decimal("1000"))
        return lambda: services.tax_payment_publish(company=world.a2, user=user, draft=draft)

    results = at_once([publish(world.admin_a), publish(world.accountant_a)])
    assert sorted(type(result).__name__ for result in results) == ["PublishRefused", "TaxPaymentSummary"]
    assert TaxPaymentSummary.objects.count() == 1
    assert ArchiveEntry.objects.filter(company=world.a2).count() == 1
