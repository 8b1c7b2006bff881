"""Archive benchmark: the folder pages of a company with many documents, as a client sees them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_archive .venv/bin/python bench/archive.py \
        [--entries 50000] [--rounds 30]

Runs in the database DATABASE_URL names (migrated here; its archive rows are replaced). The
company gets `--entries` archive entries over five years, all areas and months; the client has
opened 80 % of them. Each folder level's page (root, year, area, month) is requested `--rounds`
times through Django's test client; the median and 95th percentile time and the queries per
page are printed with the load average. The dots cost one query per page, whatever the count.
Target: every page's median <= 100 ms at 50,000 entries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {  # no collectstatic for a bench: serve from the app folders
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)

    from ledgerport.documents.archive_folders import Area
    from ledgerport.documents.models import ArchiveEntry, Document, DocumentSeen, UploadBatch
    from ledgerport.identity.models import User
    from ledgerport.tenancy.models import Company, CompanyMembership, Firm, FirmMembership

    firm, _ = Firm.objects.get_or_create(name="Bench Redovisning AB")
    company = Company.objects.filter(firm=firm).first() or Company.objects.create(
        firm=firm, name="Bench Arkiv AB", orgnr="5560360793"
    )
    staff = User.objects.filter(email="bench-staff@example.se").first() or User.objects.create_user(
        email="bench-staff@example.se", password="x"
    )
    FirmMembership.objects.get_or_create(firm=firm, user=staff, defaults={"role": "accountant"})
    reader = User.objects.filter(email="bench-client@example.se").first() or User.objects.create_user(
        email="bench-client@example.se", password="x"
    )
    CompanyMembership.objects.get_or_create(company=company, user=reader, defaults={"role": "member"})

    if ArchiveEntry.objects.filter(company=company).count() != args.entries:
        print(f"seeding {args.entries} entries …", flush=True)
        with connection.cursor() as cursor:  # the retention guard refuses ORM deletes: bench data only
            for table in (DocumentSeen, ArchiveEntry, UploadBatch, Document):
                cursor.execute(f"DELETE FROM {table._meta.db_table}")  # noqa: S608
        batch = UploadBatch.objects.create(company=company, uploaded_by=staff, folder="2026/payroll/01")
        documents = Document.objects.bulk_create(
            [
                Document(
                    company=company,
                    sha256=f"{i:064x}",
                    file=f"documents/bench/{i}",
                    file_name=f"{i}.pdf",
                    content_type="application/pdf",
                    size=1000,
                )
                for i in range(args.entries)
            ],
            batch_size=5000,
        )
        areas = list(Area.values)
        entries = ArchiveEntry.objects.bulk_create(
            [
                ArchiveEntry(
                    company=company,
                    document=document,
                    batch=batch,
                    year=2022 + i % 5,
                    area=areas[(i // 5) % 4],
                    month=1 + (i // 20) % 12,
                    file_name=document.file_name,
                )
                for i, document in enumerate(documents)
            ],
            batch_size=5000,
        )
        DocumentSeen.objects.bulk_create(
            [DocumentSeen(user=reader, entry=entry) for i, entry in enumerate(entries) if i % 5],
            batch_size=5000,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    client.force_login(reader)
    pages = {
        "root": f"/companies/{company.pk}/documents/",
        "year": f"/companies/{company.pk}/archive/2026/",
        "area": f"/companies/{company.pk}/archive/2026/payroll/",
        "month": f"/companies/{company.pk}/archive/2026/payroll/03/",
    }
    print(f"{args.entries} entries, {args.rounds} rounds, load {os.getloadavg()[0]:.2f}")
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url  # warm
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(
            f"{name:6s} median {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
