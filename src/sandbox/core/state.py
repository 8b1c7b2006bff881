"""The sandbox's in-memory state: per-provider OAuth stores, knobs, counters and lazily built ledgers.

Handlers are ``async`` and never await while mutating, so one uvicorn process (one event loop)
needs no further locking; the lock only guards ledger construction against the threadpool.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections import Counter, deque
from dataclasses import dataclass, field

from sandbox.core.clock import Clock
from sandbox.core.ledger import Ledger
from sandbox.core.oauth import Client, OAuthStore
from sandbox.demo import COMPANIES
from sandbox.skatteverket.store import RATE_LIMIT as SKATTEVERKET_RATE_LIMIT
from sandbox.skatteverket.store import SkatteverketStore

DAY = 86400

# Demo OAuth clients registered at start (and after every reset). Their redirect_uris are empty,
# which means "any http(s) URI on a loopback host"; register strict clients via /_control/clients.
DEFAULT_CLIENTS = {
    "fortnox": Client("ledgerport-dev", "fortnox-dev-secret"),
    "spiris": Client("ledgerport-dev", "spiris-dev-secret"),
}

ALTINN_RATE_LIMIT = 20  # requests per second and token (Altinn's apps and platform)

PROVIDERS = ("fortnox", "spiris", "skatteverket", "altinn", "bankid")


@dataclass
class RateLimit:
    limit: int
    window: float


@dataclass
class ProviderRuntime:
    name: str
    oauth: OAuthStore | None
    rate_limit: RateLimit | None
    default_rate_limit: RateLimit | None
    latency: float = 0.0
    fail_next: int = 0
    fail_status: int = 500
    fail_token_next: int = 0
    fail_token_status: int = 503
    counts: Counter[str] = field(default_factory=Counter)
    windows: dict[tuple[str, ...], deque[float]] = field(default_factory=dict)

    def hit(self, key: tuple[str, ...], now: float) -> float | None:
        """Record a request under ``key``; seconds to wait if the sliding window is full."""
        if self.rate_limit is None:
            return None
        window = self.windows.setdefault(key, deque())
        while window and window[0] <= now - self.rate_limit.window:
            window.popleft()
        if len(window) >= self.rate_limit.limit:
            return max(0.0, window[0] + self.rate_limit.window - now)
        window.append(now)
        return None

    async def pre_request(self) -> int | None:
        """Apply latency and the fail-next knob; returns a status to fail with, if any."""
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.fail_status
        return None

    def token_failure(self) -> int | None:
        """The fail knob for the OAuth token endpoint (target="token")."""
        if self.fail_token_next > 0:
            self.fail_token_next -= 1
            return self.fail_token_status
        return None


class SandboxState:
    def __init__(
        self, *, seed: int = 1, clock: Clock | None = None, scale: dict[str, tuple[int, int]] | None = None
    ):
        self.clock = clock or Clock()
        self._initial_scale = dict(scale or {})
        self._lock = threading.RLock()
        self.secret = secrets.token_bytes(32)  # signs JWTs and temporary file URLs
        self.reset(seed)

    def reset(self, seed: int | None = None) -> None:
        with self._lock:
            if seed is not None:
                self.seed = seed
            self.scale: dict[str, tuple[int, int]] = dict(self._initial_scale)
            self.ledgers: dict[str, Ledger] = {}
            # Per-provider stores that are not OAuth (e.g. BankID's orders), keyed by provider.
            self.stores: dict[str, object] = {}
            self.clock.offset = 0.0
            self.providers = {
                "fortnox": ProviderRuntime(
                    "fortnox",
                    OAuthStore(
                        "fortnox",
                        issuer="sandbox-fortnox",
                        refresh_ttl=45 * DAY,
                        code_ttl=600,
                        jwt_key=self.secret,
                    ),
                    RateLimit(25, 5.0),
                    RateLimit(25, 5.0),
                ),
                "spiris": ProviderRuntime(
                    "spiris",
                    OAuthStore(
                        "spiris",
                        issuer="sandbox-spiris-identity",
                        refresh_ttl=None,
                        code_ttl=300,
                        jwt_key=self.secret,
                    ),
                    RateLimit(600, 60.0),
                    RateLimit(600, 60.0),
                ),
            }
            skatteverket_limit = RateLimit(SKATTEVERKET_RATE_LIMIT, 1.0)
            self.providers["skatteverket"] = ProviderRuntime(
                "skatteverket", None, skatteverket_limit, skatteverket_limit
            )
            self.skatteverket = SkatteverketStore()
            # Altinn publishes no limit; this one (per token) makes a client meet 429s.
            altinn_limit = RateLimit(ALTINN_RATE_LIMIT, 1.0)
            self.providers["altinn"] = ProviderRuntime("altinn", None, altinn_limit, altinn_limit)
            self.providers["bankid"] = ProviderRuntime("bankid", None, None, None)
            for name, client in DEFAULT_CLIENTS.items():
                store = self.providers[name].oauth
                assert store is not None
                store.clients[client.client_id] = Client(client.client_id, client.client_secret)

    def oauth(self, provider: str) -> OAuthStore:
        store = self.providers[provider].oauth
        assert store is not None
        return store

    def ledger(self, company_key: str) -> Ledger:
        with self._lock:
            ledger = self.ledgers.get(company_key)
            if ledger is None:
                company = COMPANIES[company_key]
                n_vouchers, n_files = self.scale.get(company_key, (company.vouchers, company.files))
                ledger = Ledger(company, self.seed, n_vouchers, n_files, as_of=self.clock.now())
                self.ledgers[company_key] = ledger
            return ledger

    def set_scale(self, company_key: str, vouchers: int, files: int) -> None:
        with self._lock:
            self.scale[company_key] = (vouchers, files)
            self.ledgers.pop(company_key, None)

    def stats(self) -> dict[str, object]:
        return {name: dict(rt.counts) for name, rt in self.providers.items()}
