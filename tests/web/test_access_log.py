"""gunicorn, run for real with the logger class `make run` serves with (core/serve.py), never logs OAuth codes, tokens,
password-reset, activation or invitation links — not in the request line, the path, the query or the Referer."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ledgerport.core.serve import command

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
SECRETS = [
    "s3cr3t-code",
    "st4te-value",
    "r3set-t0ken",
    "Mw",
    "act1vation-t0ken",
    "acc3ss-t0ken",
    "inv1te-t0ken",
]
# Request line, path, query and Referer: every place a secret could reach the log.
FORMAT = '%(h)s "%(r)s" %(s)s path=%(U)s query=%(q)s ref="%(f)s" %({referer}i)s'


def web_line_options() -> list[str]:
    argv = command({})
    at = argv.index("--logger-class")
    return argv[at : at + 2]


def test_the_procfile_serves_through_serve_py():
    web = next(line for line in (REPO / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "-m ledgerport.core.serve" in web


def test_the_access_log_holds_no_secrets(tmp_path):
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            *(GUNICORN, "tests.web.echo_wsgi:app", "--bind", "127.0.0.1:0", "--workers", "1"),
            *("--access-logfile", str(log), "--access-logformat", FORMAT, *web_line_options()),
        ],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = None
        for line in server.stderr:
            if found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line):
                port = found.group(1)
                break
        assert port, "gunicorn did not start"
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base) as client:
            client.get("/connect/callback/fortnox/?code=s3cr3t-code&state=st4te-value")
            client.get("/account/password-reset/Mw/r3set-t0ken/")
            client.get("/connect/act1vation-t0ken/authorize/")
            client.get(
                "/companies/", headers={"Referer": f"{base}/account/password-reset/Mw/r3set-t0ken/?x=1"}
            )
            client.get("/api/?access_token=acc3ss-t0ken&page=2")
            client.get("/invitations/inv1te-t0ken/code/")
        for _ in range(50):
            if log.exists() and log.read_text().count("\n") >= 6:
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert text.count("\n") == 6, text
    for secret in SECRETS:
        assert secret not in text, (secret, text)
    # Still useful: paths and parameter names remain.
    assert "/connect/callback/fortnox/?code=[redacted]&state=[redacted]" in text
    assert "/account/password-reset/[redacted]/[redacted]/" in text
    assert "/connect/[redacted]/authorize/" in text
    assert "access_token=[redacted]&page=[redacted]" in text
    assert "/invitations/[redacted]/code/" in text
