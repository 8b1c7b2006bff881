"""A tiny scripted "user" for the providers' login, company-picker and consent pages."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

REDIRECT_URI = "http://127.0.0.1:9999/callback"


def hidden(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no hidden field {name} in page"
    return unescape(m.group(1))


def form_action(html: str) -> str:
    m = re.search(r'<form method="post" action="([^"]+)"', html)
    assert m, "no form in page"
    return unescape(m.group(1))


class Browser:
    """Walks the provider login → company picker → consent pages like a user would."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=30)

    def start(self, authorize_path: str, params: dict[str, str]) -> httpx.Response:
        return self.http.get(f"{authorize_path}?{urlencode(params)}")

    def submit(self, page: httpx.Response, **fields: str) -> httpx.Response:
        data = {"req": hidden(page.text, "req"), **fields}
        return self.http.post(form_action(page.text), data=data)

    def consent_flow(
        self,
        authorize_path: str,
        params: dict[str, str],
        *,
        email: str,
        password: str,
        company: str | None = None,
        approve: bool = True,
    ) -> dict[str, list[str]]:
        page = self.start(authorize_path, params)
        assert page.status_code == 200, page.text
        page = self.submit(page, email=email, password=password)
        assert page.status_code == 200, page.text
        if 'name="company"' in page.text:
            assert company, "a company picker appeared"
            page = self.submit(page, company=company)
            assert page.status_code == 200, page.text
        assert 'id="approve"' in page.text, page.text
        redirect = self.submit(page, decision="approve" if approve else "deny")
        assert redirect.status_code == 302, redirect.text
        location = redirect.headers["location"]
        assert location.startswith(params.get("redirect_uri", REDIRECT_URI))
        return parse_qs(urlsplit(location).query)

    def close(self) -> None:
        self.http.close()
