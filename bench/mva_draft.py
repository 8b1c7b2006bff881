"""The Norwegian VAT return's draft (`analysis.mva.term_draft`) on a large ledger: the demo
company's year written `--scale` times over as SAF-T and imported, then the median time to
compute one two-month term and the whole year, and the draft's difference against the VAT
accounts (0 is right).

    .venv/bin/python bench/mva_draft.py [--scale 72] [--rounds 5]

Uses a PostgreSQL database of its own (BENCH_MVA_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_mva), dropped and re-created each run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from client_list import _recreate  # noqa: E402 (after the path)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_mva"
YEAR = 2026


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=72, help="the demo year written this many times over")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    url = os.environ.get("BENCH_MVA_DATABASE_URL", DEFAULT_URL)
    _recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ["LEDGERPORT_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-mva-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledgerport.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ledgerport.analysis.mva import term_draft
    from ledgerport.demo import norway_demo
    from ledgerport.ledger.models import VoucherRow
    from ledgerport.ledger.saft_import import import_saft
    from ledgerport.mvamelding import ANNUAL, Term
    from ledgerport.tenancy import services as tenancy

    call_command("migrate", verbosity=0)
    firm = tenancy.firm_create(name="Bench Regnskap AS")
    company = tenancy.company_create(firm=firm, name=norway_demo.NAME, orgnr=norway_demo.ORGNR, country="NO")
    data = norway_demo.saft_file(YEAR, scale=args.scale)
    started = time.perf_counter()
    import_saft(company=company, stream=io.BytesIO(data), file_name="bench.xml")
    imported = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    rows = VoucherRow.objects.filter(fiscal_year__company=company).count()
    print(f"ledger: {rows} rows ({len(data) / 1e6:.1f} MB SAF-T, imported in {imported:.1f} s)")
    for label, term in (("one term (May–June)", Term(YEAR, 3)), ("the whole year", Term(YEAR, ANNUAL))):
        seconds = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            draft = term_draft(company, term)
            seconds.append(time.perf_counter() - started)
        print(
            f"{label}: median {statistics.median(seconds) * 1000:.0f} ms over {args.rounds} rounds, "
            f"{len(draft.lines)} lines, total {draft.total} kr, difference to the VAT accounts {draft.difference}"
        )


if __name__ == "__main__":
    main()
