"""gunicorn's access log without secrets (`--logger-class ledgerport.core.accesslog.ScrubbingLogger`).

The log must never hold an OAuth code or state, a token, a password-reset link or an
activation link, an invitation link: every query value is replaced, and the secret path segments too. Pure (no
Django): gunicorn's master process loads it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Capabilities in paths: /account/password-reset/<uidb64>/<token>/, /connect/<token>/… and
# invitation links /invitations/<token>/….
SECRET_PATHS = [
    re.compile(r"^(?P<head>/account/password-reset/)(?!sent/|done/)[^/]+/[^/]+(?P<tail>/.*)?$"),
    re.compile(r"^(?P<head>/connect/)(?!callback/)[^/]+(?P<tail>/.*)?$"),
    re.compile(r"^(?P<head>/invitations/)[^/]+(?P<tail>/.*)?$"),
]


def scrub_query(query: str) -> str:
    """Keep the parameter names, drop every value (`code=…&state=…` → `code=[redacted]&…`)."""
    if not query:
        return query
    parts = []
    for pair in query.split("&"):
        name, sep, _value = pair.partition("=")
        parts.append(f"{name}={REDACTED}" if sep else name)
    return "&".join(parts)


def scrub_path(path: str) -> str:
    for pattern in SECRET_PATHS:
        match = pattern.match(path)
        if match:
            segments = 2 if "password-reset" in match["head"] else 1
            return match["head"] + "/".join([REDACTED] * segments) + (match["tail"] or "")
    return path


def scrub_target(target: str) -> str:
    """A request target or URL (absolute or not) with its secrets replaced."""
    if not target or target == "-":
        return target
    parts = urlsplit(target)
    return urlunsplit(parts._replace(path=scrub_path(parts.path), query=scrub_query(parts.query)))


class ScrubbingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = "{} {} {}".format(
            environ["REQUEST_METHOD"], scrub_target(environ.get("RAW_URI", "")), environ["SERVER_PROTOCOL"]
        )
        atoms["U"] = scrub_path(environ.get("PATH_INFO") or "")
        atoms["q"] = scrub_query(environ.get("QUERY_STRING") or "")
        atoms["f"] = scrub_target(environ.get("HTTP_REFERER", "-"))
        for key in ("{referer}i", "{http_referer}e", "{raw_uri}e", "{request_uri}e"):
            if key in atoms:
                atoms[key] = scrub_target(str(atoms[key]))
        for key in ("{query_string}e",):
            if key in atoms:
                atoms[key] = scrub_query(str(atoms[key]))
        if "{path_info}e" in atoms:
            atoms["{path_info}e"] = scrub_path(str(atoms["{path_info}e"]))
        return atoms
