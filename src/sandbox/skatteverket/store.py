"""The simulated Skatteverket's state: tokens, ombud grants, deep links, e-service sessions.

Also the roles `/roller` offers, the test persons of the BankID-style login and the scenarios
tests inject (`/_control/skatteverket/scenario`), which take precedence over `scenario.py`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sandbox.skatteverket.scenario import Scenario

TOKEN_TTL = 3600
DEEP_LINK_DAYS = 21  # a djuplänk is valid three weeks
RATE_LIMIT = 4  # requests per second per API consumer (observed)

DEV_CLIENT_ID = "ledgerport-dev"
DEV_CLIENT_SECRET = "skatteverket-dev-secret"

# The ombud a sandbox client acts as: the platform's own organisation.
OMBUD_NAME = "Ledgerport AB"
OMBUD_ORGNR = "165567001234"

# Role codes and descriptions as `/roller` lists them (the product must read them from there).
ROLES = {
    "SKAKLAS": "Skattekonto, bara läsbehörighet",
    "SKAKONT": "Skattekonto",
    "AGDREG": "Registerombud arbetsgivardeklaration",
    "AGDDEKL": "Deklarationsombud arbetsgivardeklaration",
    "MOMSDEKL": "Momsdeklaration, ombud",
    "JURLAS": "Juridiskt läsombud",
}


@dataclass(frozen=True)
class Person:
    personnummer: str  # 12 digits
    name: str
    signatory: bool  # firmatecknare of every sandbox company (else of none)


PERSONS = (
    Person("191212121212", "Tolvan Tolvansson", True),
    Person("198112189876", "Anna Firmatecknare", True),
    Person("197802022389", "Bertil Anställd", False),
)


@dataclass
class Grant:
    huvudman: str  # 16 + orgnr
    role: str
    valid_from: date
    valid_to: date | None
    signed_by: str


@dataclass
class DeepLink:
    token: str
    huvudman: str
    roles: list[str]
    expires: float
    used: bool = False


@dataclass
class SkatteverketStore:
    tokens: dict[str, tuple[str, float, str]] = field(default_factory=dict)  # token -> client, expiry, scope
    grants: list[Grant] = field(default_factory=list)
    deep_links: dict[str, DeepLink] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # session id -> personnummer
    scenarios: dict[str, Scenario] = field(default_factory=dict)  # 10-digit orgnr -> scenario
    # Scenarios derived from the sandbox's ledgers: orgnr -> (the ledger, today, the scenario).
    # Kept while the sandbox holds the same ledger object (a rescale builds a new one).
    derived: dict[str, tuple[object, date, Scenario]] = field(default_factory=dict)

    def issue_token(self, client_id: str, scope: str, now: float) -> str:
        token = secrets.token_urlsafe(32)
        self.tokens[token] = (client_id, now + TOKEN_TTL, scope)
        return token

    def roles_of(self, huvudman: str, on: date) -> set[str]:
        return {
            g.role
            for g in self.grants
            if g.huvudman == huvudman and g.valid_from <= on and (g.valid_to is None or on <= g.valid_to)
        }
