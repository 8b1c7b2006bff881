"""`make bench-load --quick` end to end: set-up, profile, the production server, users, capacity."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="needs PostgreSQL"
    ),
]


def test_the_quick_load_bench_browses_every_page_without_errors():
    parts = urlsplit(DATABASE_URL)
    url = urlunsplit(parts._replace(path=f"{parts.path}_bench_load"))
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--quick"],
        env={**os.environ, "BENCH_LOAD_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for page in ("client list", "balance sheet", "income statement", "general ledger", "account page"):
        assert re.search(rf"^  {page}\s+[1-9]\d*\s+\d+\s+\d+\s+\d+\s+0$", out, re.M), out
    assert re.search(r"^  all\s+\d+\s+\d+\s+\d+\s+\d+\s+0$", out, re.M), out
    assert re.search(r"capacity   : [\d.]+ requests/s", out), out
    assert "cores, load average" in out
