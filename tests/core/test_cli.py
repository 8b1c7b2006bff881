from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from ledgerport import cli

LEDGERPORT = Path(sys.executable).with_name("ledgerport")


def test_cli_runs_management_commands(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo Redovisning AB" in out.getvalue()
    assert cli.main(["check"]) == 0


def test_installed_console_command_runs():
    result = subprocess.run([LEDGERPORT, "help"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert "seed_demo" in result.stdout


def test_no_missing_migrations(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deploy_checks_are_clean_in_the_production_profile():
    env = {**os.environ, "LEDGERPORT_PRODUCTION": "1", "SECRET_KEY": "k" * 64 + "-a-long-production-key"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' process only
    result = subprocess.run(
        [LEDGERPORT, "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
