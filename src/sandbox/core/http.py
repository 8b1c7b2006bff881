"""Small request helpers shared by the provider modules."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sandbox.core.state import SandboxState


class JSONResponse(Response):
    """JSON with non-ASCII kept as UTF-8 (the providers answer ``åäö`` unescaped)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sandbox(request: Request) -> SandboxState:
    return request.app.state.sandbox


async def counted(request: Request, provider: str, name: str, response: Awaitable[Response]) -> Response:
    """Await an API handler's response, counting the call and its status for `/_control/stats`."""
    counts = sandbox(request).providers[provider].counts
    counts["api"] += 1
    counts[f"api:{name}"] += 1
    answered = await response
    counts[f"status_{answered.status_code}"] += 1
    return answered


def basic_auth(request: Request) -> tuple[str | None, str | None]:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    try:
        raw = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = raw.partition(":")
    return (client_id, secret) if sep else (None, None)


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def query_ci(request: Request, *names: str) -> str | None:
    """A query parameter looked up case-insensitively (Fortnox accepts both financialYear and financialyear)."""
    wanted = {n.lower() for n in names}
    for key, value in request.query_params.multi_items():
        if key.lower() in wanted:
            return value
    return None
