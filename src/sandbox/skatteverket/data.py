"""What the simulated Skatteverket knows of a company: an injected scenario, else `scenario.py`."""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from sandbox.core.http import sandbox
from sandbox.demo import COMPANIES
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
    return scenario_for(orgnr, seed=sandbox(request).seed, today=today(request))


def company_name(request: Request, huvudman: str) -> str:
    orgnr = huvudman[-10:]
    for company in COMPANIES.values():
        if digits(company.orgnr) == orgnr:
            return company.name
    return f"Organisationsnummer {orgnr[:6]}-{orgnr[6:]}"
