"""``/_control/skatteverket/*``: inject a company's scenario, list, add and remove ombud grants."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sandbox.skatteverket.data import digits, store, today
from sandbox.skatteverket.scenario import EmployerDeclaration, Scenario, TaxAccountTransaction
from sandbox.skatteverket.store import ROLES, Grant

DEFAULT_ROLES = ("SKAKLAS", "AGDREG")


class Invalid(ValueError):
    pass


def _huvudman(data: dict[str, Any]) -> str:
    number = digits(str(data.get("company", "")))
    if len(number) == 10:
        number = "16" + number
    if len(number) != 12:
        raise Invalid("company must be an org number")
    return number


def _transaction(row: dict[str, Any]) -> TaxAccountTransaction:
    try:
        return TaxAccountTransaction(
            ident=str(row.get("ident", "")),
            booked=date.fromisoformat(row["booked"]),
            interest_date=date.fromisoformat(row.get("interest_date") or row["booked"]),
            text=str(row["text"]),
            amount=Decimal(str(row["amount"])),
            due=date.fromisoformat(row["due"]) if row.get("due") else None,
        )
    except (KeyError, ValueError, InvalidOperation) as err:
        raise Invalid(f"bad transaction {row!r}: {err}") from None


def _declaration(row: dict[str, Any]) -> EmployerDeclaration:
    try:
        return EmployerDeclaration(
            period=str(row["period"]),
            employer_contributions=Decimal(str(row["employer_contributions"])),
            deducted_tax=Decimal(str(row["deducted_tax"])),
            individual_count=int(row.get("individual_count", 1)),
            signed_by=str(row.get("signed_by", "191212121212")),
            signed_at=datetime.fromisoformat(row.get("signed_at", "2026-01-01T08:00:00+00:00")),
            receipt_id=str(row.get("receipt_id", f"kvittens-{row['period']}")),
        )
    except (KeyError, ValueError, InvalidOperation) as err:
        raise Invalid(f"bad declaration {row!r}: {err}") from None


def set_scenario(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """A company's tax account and declarations (replacing scenario.py's for that company)."""
    orgnr = _huvudman(data)[2:]
    scenario = Scenario(
        orgnr=orgnr,
        ocr=str(data.get("ocr", "")),
        booked=tuple(_transaction(r) for r in data.get("booked", [])),
        upcoming=tuple(_transaction(r) for r in data.get("upcoming", [])),
        declarations=tuple(_declaration(r) for r in data.get("declarations", [])),
    )
    store(request).scenarios[orgnr] = scenario
    return {
        "ok": True,
        "orgnr": orgnr,
        "booked": len(scenario.booked),
        "declarations": len(scenario.declarations),
    }


def add_grants(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    huvudman = _huvudman(data)
    roles = list(data.get("roles") or DEFAULT_ROLES)
    if any(r not in ROLES for r in roles):
        raise Invalid(f"roles must be among {', '.join(ROLES)}")
    st = store(request)
    st.grants = [g for g in st.grants if not (g.huvudman == huvudman and g.role in roles)]
    st.grants.extend(Grant(huvudman, role, today(request), None, "control") for role in roles)
    return {"ok": True, "added": roles}


def remove_grants(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """What the company does on Skatteverket's site to remove the ombud (all roles, or `roles`)."""
    huvudman = _huvudman(data)
    roles = data.get("roles")
    st = store(request)
    before = len(st.grants)
    st.grants = [g for g in st.grants if not (g.huvudman == huvudman and (roles is None or g.role in roles))]
    return {"ok": True, "removed": before - len(st.grants)}


def list_grants(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "grants": [
            {
                "huvudman": g.huvudman,
                "roll": g.role,
                "giltigFrom": g.valid_from.isoformat(),
                "signedBy": g.signed_by,
            }
            for g in store(request).grants
        ]
    }


def routes(control: Any, error: type[Exception]) -> list[Route]:
    """`control` wraps a handler as the other knobs are (JSON body, 400 on `error`)."""

    def wrap(handler: Any) -> Any:
        async def run(request: Request, data: dict[str, Any]) -> dict[str, Any]:
            try:
                return handler(request, data)
            except Invalid as err:
                raise error(str(err)) from None

        run.__name__ = handler.__name__
        return control(run)

    return [
        Route("/skatteverket/scenario", wrap(set_scenario), methods=["POST"]),
        Route("/skatteverket/grants", wrap(list_grants), methods=["GET"]),
        Route("/skatteverket/grants/add", wrap(add_grants), methods=["POST"]),
        Route("/skatteverket/grants/remove", wrap(remove_grants), methods=["POST"]),
    ]
