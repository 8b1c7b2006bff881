from typing import Any

from django.core.management.base import BaseCommand

from ledgerport.demo.seed import (
    BANKID_PERSONNUMMER,
    BANKID_USER,
    CLIENT_USER,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    FIRM_USER,
    seed_demo,
)


class Command(BaseCommand):
    help = "Create the demo firm, companies and users (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        firm = seed_demo()
        self.stdout.write(f"Demo data ready: {firm.name}, {firm.companies.count()} companies.")
        self.stdout.write(f"  Firm user:   {FIRM_USER} / {DEMO_PASSWORD}")
        self.stdout.write(f"  Client user: {CLIENT_USER} / {DEMO_PASSWORD}, TOTP secret {DEMO_TOTP_SECRET}")
        self.stdout.write(
            f"  BankID user: {BANKID_USER}, personnummer {BANKID_PERSONNUMMER} (sandbox test app)"
        )
