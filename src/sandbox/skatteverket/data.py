"""What the simulated Skatteverket knows of a company: an injected scenario, else `scenario.py`'s,
derived from the very ledger the sandbox's accounting providers serve for that company (scaled by
`/_control/seed` or `--scale` too), so the tax account always mirrors the books a sync imports."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from sandbox.core.http import sandbox
from sandbox.demo import COMPANIES, company_by_ref
from sandbox.skatteverket.scenario import Scenario, scenario_for
from sandbox.skatteverket.store import SkatteverketStore


def store(request: Request) -> SkatteverketStore:
    return sandbox(request).skatteverket


def today(request: Request) -> date:
    return sandbox(request).clock.local_now().date()


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def scenario(request: Request, huvudman: str) -> Scenario | None:
    orgnr = huvudman[-10:]
    injected = store(request).scenarios.get(orgnr)
    if injected is not None:
        return injected
    company = company_by_ref(orgnr)
    if company is None:
        return None
    state = sandbox(request)
    ledger = state.ledger(company.key)
    on = today(request)
    derived = store(request).derived
    cached = derived.get(orgnr)
    if cached is not None and cached[0] is ledger and cached[1] == on:
        return cached[2]
    found = scenario_for(orgnr, seed=state.seed, today=on, ledger=ledger)
    assert found is not None  # a known company always has one
    derived[orgnr] = (ledger, on, found)
    return found


def company_name(request: Request, huvudman: str) -> str:
    orgnr = huvudman[-10:]
    for company in COMPANIES.values():
        if digits(company.orgnr) == orgnr:
            return company.name
    return f"Organisationsnummer {orgnr[:6]}-{orgnr[6:]}"
