"""skatteverket simulator (stub: only a health endpoint so far)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sandbox.core.http import JSONResponse


async def health(request: Request) -> Response:
    return JSONResponse({"provider": "skatteverket", "status": "ok", "implemented": False})


def routes() -> list[Route]:
    return [Route("/health", health)]
