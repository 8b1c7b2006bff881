"""The embedded default under load: logging in and browsing while a large import runs on SQLite.

Everything runs as it does under `make run`: a SQLite file in WAL mode, gunicorn serving it,
the import in another process (`ledgerport sie import --replace`). Nothing may answer 5xx,
and no request may wait long for the import's write lock.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.ledger.sie_files import write_sie

BIN = Path(sys.executable).parent
ORGNR = "5560360793"
SETUP = """
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Firm, FirmMembership
from ledgerport.tenancy.services import company_create
firm = Firm.objects.create(name="Byrån AB")
user = User.objects.create_user(email="anna@byran.se", password="lösenord-som-räcker")
FirmMembership.objects.create(firm=firm, user=user, role="admin")
print(company_create(firm=firm, name="Exempelbolaget AB", orgnr="{orgnr}").pk)
"""
COUNTS = """
from ledgerport.ledger.models import FiscalYear, Voucher, VoucherRow
print("counts", Voucher.objects.count(), VoucherRow.objects.count(), FiscalYear.all_objects.count(), FiscalYear.objects.count())
"""
SLOW = 10.0  # seconds a request may wait (half the busy timeout; the import alone took ~40 s here)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(env, *args):
    done = subprocess.run(
        [str(BIN / "ledgerport"), *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def embedded(tmp_path):
    env = {
        **os.environ,
        "LEDGERPORT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'ledgerport.sqlite3'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'var' / 'broker.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ledgerport.settings",
    }
    (tmp_path / "var").mkdir()
    _run(env, "migrate", "--no-input")
    _run(env, "collectstatic", "--no-input", "--verbosity", "0")
    company_id = int(_run(env, "shell", "-c", SETUP.format(orgnr=ORGNR)).split()[-1])
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ledgerport.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _try in range(100):
        try:
            httpx.get(f"{base}/health/", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield env, base, company_id
    server.terminate()
    server.wait(timeout=10)


def _login(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
    page = client.get("/account/login/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, (page.status_code, page.text[:500])
    token = found.group(1)
    response = client.post(
        "/account/login/",
        data={"csrfmiddlewaretoken": token, "username": "anna@byran.se", "password": "lösenord-som-räcker"},
        headers={"Referer": f"{base}/account/login/"},
    )
    client.last_status = response.status_code  # type: ignore[attr-defined]
    return client


def test_login_and_pages_answer_quickly_while_a_large_import_runs(embedded, tmp_path):
    env, base, company_id = embedded
    small = write_sie(tmp_path / "small.se", vouchers=500, orgnr=ORGNR)
    large = write_sie(tmp_path / "large.se", vouchers=60_000, orgnr=ORGNR)  # 240,000 rows
    _run(env, "sie", "import", ORGNR, str(small))
    pages = [
        "/",
        f"/companies/{company_id}/",
        f"/companies/{company_id}/collect/",
        f"/companies/{company_id}/ledger/",
        f"/companies/{company_id}/analysis/",
    ]
    importer = subprocess.Popen(
        [str(BIN / "ledgerport"), "sie", "import", ORGNR, str(large), "--replace"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    answers: list[tuple[str, int, float]] = []
    try:
        while importer.poll() is None:
            began = time.monotonic()
            client = _login(base)
            answers.append(("login", client.last_status, time.monotonic() - began))  # type: ignore[attr-defined]
            for path in pages:
                began = time.monotonic()
                answers.append((path, client.get(path).status_code, time.monotonic() - began))
            client.close()
    finally:
        _out, err = importer.communicate(timeout=600)
    assert importer.returncode == 0, err[-3000:]
    assert len(answers) >= 2 * (len(pages) + 1), "the import ended before the pages were browsed"
    assert [a for a in answers if a[1] >= 500] == []
    assert [a for a in answers if a[1] != 200] == []
    assert [a for a in answers if a[2] > SLOW] == [], answers
    # The ledger is exactly the new file, and no hidden copy is left behind.
    counts = _run(env, "shell", "-c", COUNTS).split("counts")[-1].split()
    assert counts == ["60000", "240000", "1", "1"]
