"""Altinn's and Maskinporten's state in the sandbox, seeded for the Norwegian demo company
(Fjordlys Rådgivning AS, 923609016): one registered Altinn 2 data system and one approved
Altinn 3 system user of the product's development Maskinporten client."""

from __future__ import annotations

from dataclasses import dataclass, field

DEV_CLIENT_ID = "ledgerport-dev"
# The public half of the product's development key (connectors/altinn/dev_maskinporten_key.pem).
DEV_CLIENT_JWK = {
    "kty": "RSA",
    "kid": "ledgerport-dev-1",
    "e": "AQAB",
    "n": "wchi6MRDkrS6eNTME1AgLsQw0rvaaV4z3d-I-JPvKmQINBwebAAfEEcWzpsrcTyCc20GqbKogm29p0RaaQFudnqFgrUpCt0dr09e1HPT6-dBLiCZPWAGHSfdGyrM1v99j0-XpLkjAC0IKG3imzKtiwQe9Ds0kupJfOYPdF3Egx9-PlDucOot0KwtXAHwLXjMoBTNVPCbE78TV42dNpe5Jh1AONlPJkH5jB6jn6PKOvtOpHT_KWXSw_kIXrQNOObeffsSrDDr3BE7t5XvKvKs4_eiGkFHNNd-GASaOrHFqiky2xG4ajw517LbfJz1t5UQDHge3vNu0BJLF9U9q2hMMw",
}
# Scopes the development client has been granted.
DEV_CLIENT_SCOPES = frozenset(
    {
        "skatteetaten:innrapporteringamelding",
        "skatteetaten:skattekorttilarbeidsgiver",
        "skatteetaten:forskudd",
        "altinn:instances.read",
        "altinn:instances.write",
    }
)


@dataclass(frozen=True)
class DataSystem:
    system_id: str
    name: str
    system_type: str
    orgnr: str  # the reportee it was registered for (never told to a vendor)
    password: str


@dataclass
class MaskinportenClient:
    client_id: str
    keys: dict[str, dict[str, str]]  # kid -> public JWK
    scopes: frozenset[str]


DEMO_DATASYSTEMS = (DataSystem("41975", "Ledgerport regnskap", "Ledgerport", "923609016", "Fjordlys2026"),)
# (client id, orgnr) -> the approved system user's id
DEMO_SYSTEM_USERS = {(DEV_CLIENT_ID, "923609016"): "d7f3b8a2-5c41-4e0a-9f6b-1a2b3c4d5e6f"}


@dataclass(frozen=True)
class IssuedToken:
    client_id: str
    scopes: frozenset[str]
    orgnr: str  # the system user's organisation ("" without one)
    expires: float


@dataclass
class AltinnStore:
    datasystems: dict[str, DataSystem] = field(default_factory=dict)
    clients: dict[str, MaskinportenClient] = field(default_factory=dict)
    system_users: dict[tuple[str, str], str] = field(default_factory=dict)
    used_jti: dict[str, float] = field(default_factory=dict)  # jti -> its expiry
    tokens: dict[str, IssuedToken] = field(default_factory=dict)  # issued Maskinporten tokens

    @classmethod
    def seeded(cls) -> AltinnStore:
        store = cls()
        store.datasystems = {d.system_id: d for d in DEMO_DATASYSTEMS}
        store.clients = {
            DEV_CLIENT_ID: MaskinportenClient(
                DEV_CLIENT_ID, {DEV_CLIENT_JWK["kid"]: DEV_CLIENT_JWK}, DEV_CLIENT_SCOPES
            )
        }
        store.system_users = dict(DEMO_SYSTEM_USERS)
        return store

    def seen_jti(self, jti: str, expires: float, now: float) -> bool:
        """Whether the assertion's id was used before (Maskinporten refuses a replay)."""
        self.used_jti = {k: v for k, v in self.used_jti.items() if v > now}
        if jti in self.used_jti:
            return True
        self.used_jti[jti] = expires
        return False
