"""The provider registry: no code outside a provider's package names a provider, and a new
provider is one package that registers itself."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from ledgerport.connectors import clients, messages, providers
from ledgerport.connectors.http import ProviderError
from ledgerport.connectors.models import ActivationLink, Connection
from ledgerport.ledger import sources

SRC = Path(providers.__file__).resolve().parents[1]  # src/ledgerport
PROVIDER_PACKAGES = {spec.name for spec in providers.all()}
NAMES = re.compile("|".join(PROVIDER_PACKAGES), re.IGNORECASE)


def _scanned() -> list[Path]:
    skip_dirs = {"migrations", "locale", "__pycache__"}
    files = []
    for path in SRC.rglob("*"):
        relative = path.relative_to(SRC)
        if not path.is_file() or skip_dirs & set(relative.parts):
            continue
        if (
            relative.parts[0] == "connectors"
            and len(relative.parts) > 2
            and relative.parts[1] in PROVIDER_PACKAGES
        ):
            continue  # the provider's own package
        if path.suffix in {".so", ".mo", ".pyc", ".png", ".ico", ".woff2"}:
            continue
        files.append(path)
    return files


def test_the_providers_are_the_packages_that_registered():
    packages = {p.parent.name for p in (SRC / "connectors").glob("*/provider.py")}
    assert PROVIDER_PACKAGES == packages == {"altinn", "fortnox", "skatteverket", "spiris"}


def test_no_code_outside_a_provider_package_names_a_provider():
    hits = []
    for path in _scanned():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if NAMES.search(line):
                hits.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert len(_scanned()) > 100  # the scan looks at the whole product
    assert not hits, "\n".join(hits)


def test_the_scan_finds_a_name(tmp_path):
    """The scan above could not fail if its pattern matched nothing."""
    assert NAMES.search("see the Fortnox docs") and NAMES.search("# SPIRIS limits")


def test_a_new_provider_package_appears_on_the_connections_page(client, world, acme):
    client.force_login(world.accountant_a)
    body = client.get(reverse("web:company_collect", args=[world.a1.pk])).content.decode()
    assert 'data-testid="provider-acme"' in body and "Acme Books" in body
    assert 'data-testid="provider-fortnox"' in body  # the others are still there
    response = client.post(reverse("connectors:activate", args=[world.a1.pk, "acme"]))
    assert response.status_code == 200
    assert Connection.objects.get(company=world.a1).provider == "acme"
    link = ActivationLink.objects.get(company=world.a1, provider="acme")
    consent = client.get(reverse("connectors:consent", args=[link.token]))
    assert consent.status_code == 200 and "Every voucher" in consent.content.decode()


def test_a_new_provider_gets_choices_messages_and_sources(acme):
    assert ("acme", "Acme Books") in providers.choices()
    assert ("acme", "Acme Books") in Connection._meta.get_field("provider").choices
    assert sources.label("acme") == "Acme Books"
    error = ProviderError(418, "I'm a teapot", "418")
    assert messages.describe("acme", error) == "Acme Books is a teapot today."
    assert "acme" not in providers.sync_names()  # no sync entry point: consent only
    assert acme.conf["api_url"].endswith("/acme")


def test_an_unknown_provider_is_not_found(client, world):
    client.force_login(world.accountant_a)
    assert client.post(reverse("connectors:activate", args=[world.a1.pk, "acme"])).status_code == 404


def test_the_client_factory_and_error_parser_come_from_the_spec(world, settings):
    settings.PROVIDERS = {"spiris": {"api_url": "http://api.test/spiris"}}
    connection = Connection.objects.create(company=world.a1, provider="spiris")
    client = clients.provider_client(connection)
    try:
        spec = providers.get("spiris")
        assert isinstance(client, spec.client)  # type: ignore[arg-type]
        assert client.api.base_url == "http://api.test/spiris"
        assert client.api.parse_error is spec.parse_error
    finally:
        client.close()


def test_base_urls_come_from_the_environment_through_the_spec(monkeypatch, settings):
    spec = providers.get("fortnox")
    monkeypatch.delenv("FORTNOX_API_URL", raising=False)
    assert spec.conf["api_url"] == settings.SANDBOX_URL + "/fortnox"
    monkeypatch.setenv("FORTNOX_API_URL", "https://api.example.test/")
    monkeypatch.setenv("FORTNOX_CLIENT_ID", "prod-client")
    assert spec.conf["api_url"] == "https://api.example.test"
    assert spec.conf["client_id"] == "prod-client"
