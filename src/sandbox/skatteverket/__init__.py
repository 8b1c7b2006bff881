"""Skatteverket simulated: token endpoint, ombudshantering v2, skattekonto v2, AGI
hantera redovisningsperiod v1, and the e-service pages a deep link opens (see README.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route


async def health(request: Request) -> Response:
    from sandbox.core.http import JSONResponse

    return JSONResponse({"provider": "skatteverket", "status": "ok", "implemented": True})


def routes() -> list[BaseRoute]:
    # Imported here: `sandbox.core.state` imports this package's store while it loads.
    from sandbox.skatteverket import api, eservice

    return [Route("/health", health), *api.routes(), *eservice.routes()]
