from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.http import HttpRequest

from ledgerport import cli
from ledgerport.core.demo import CLIENT_USER, DEMO_PASSWORD, FIRM_USER, seed_demo
from ledgerport.identity.models import User
from ledgerport.tenancy.models import Company
from ledgerport.tenancy.orgnumbers import is_valid

LEDGERPORT = Path(sys.executable).with_name("ledgerport")


def test_seed_demo_is_idempotent_with_valid_org_numbers(db):
    seed_demo()
    seed_demo()
    companies = list(Company.objects.all())
    assert sorted(c.country for c in companies) == ["NO", "SE", "SE"]
    assert all(is_valid(c.country, c.orgnr) for c in companies)
    assert User.objects.count() == 2


def test_demo_logins_see_what_the_readme_promises(client, db):
    seed_demo()
    assert client.login(request=HttpRequest(), username=FIRM_USER, password=DEMO_PASSWORD)
    assert client.get("/companies/").content.decode().count('data-testid="company-row"') == 3
    client_user = User.objects.get(email=CLIENT_USER)
    assert [c.name for c in Company.objects.for_user(client_user)] == ["Exempelbolaget AB"]


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
