"""Login throttling (django-axes): per account, case-insensitively; per account and address;
never per address alone; the address read through a configured number of trusted proxies."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/account/login/"


def login(client, email, password, **headers):
    return client.post(LOGIN, {"username": email, "password": password}, **headers)


def test_the_username_is_compared_case_insensitively(client, world):
    for email in ["konsult@alfa.se", "KONSULT@alfa.se", "Konsult@Alfa.SE", " konsult@ALFA.se"] * 3:
        login(client, email, "wrong")  # 12 failures of one account, spelt four ways
    assert login(client, "Konsult@Alfa.se", PASSWORD).status_code == 429
    assert login(client, "konsult@alfa.se", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"konsult@alfa.se"}


def test_a_locked_account_stays_locked_from_another_address(world):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(10):
        login(attacker, "konsult@alfa.se", "wrong")
    assert login(Client(REMOTE_ADDR="198.51.100.1"), "konsult@alfa.se", PASSWORD).status_code == 429


def test_one_attacker_behind_the_office_nat_does_not_lock_out_the_office(world):
    office = "192.0.2.10"  # everyone at the firm shares this address
    attacker = Client(REMOTE_ADDR=office)
    for email in ["konsult@alfa.se"] * 10 + [f"guess{i}@alfa.se" for i in range(30)]:
        login(attacker, email, "wrong")
    colleague = Client(REMOTE_ADDR=office)
    assert login(colleague, "admin@alfa.se", PASSWORD).status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(world, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    login(Client(REMOTE_ADDR="10.0.0.1"), "konsult@alfa.se", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_the_client_address_comes_through_the_trusted_proxies_only(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the left entry; our one proxy appended the address it really saw.
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    login(proxy, "konsult@alfa.se", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    login(proxy, "admin@alfa.se", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4, 10.0.0.2")
    assert AccessAttempt.objects.get(username="admin@alfa.se").ip_address == "198.51.100.4"
    # Fewer entries than proxies: the request did not come through them all; only the peer is known.
    login(proxy, "vd@klient-ett.se", "wrong", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert AccessAttempt.objects.get(username="vd@klient-ett.se").ip_address == "10.0.0.1"


def test_failures_per_account_and_address_are_counted_as_such(world):
    login(Client(REMOTE_ADDR="203.0.113.7"), "konsult@alfa.se", "wrong")
    login(Client(REMOTE_ADDR="203.0.113.8"), "konsult@alfa.se", "wrong")
    assert sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        ("konsult@alfa.se", "203.0.113.7", 1),
        ("konsult@alfa.se", "203.0.113.8", 1),
    ]
