"""Skatteverket simulated: token endpoint, ombudshantering v2, skattekonto v2, AGI
hantera redovisningsperiod v1, and the e-service pages a deep link opens (see README.md)."""

from __future__ import annotations

from starlette.routing import BaseRoute


def routes() -> list[BaseRoute]:
    # Imported here: `sandbox.core.state` imports this package's store while it loads.
    from sandbox.skatteverket import api, eservice

    return [*api.routes(), *eservice.routes()]
