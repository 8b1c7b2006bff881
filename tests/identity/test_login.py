"""Login, logout, throttling and password reset, through the real views."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

LOGIN = "/account/login/"


def login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_login_with_email_is_case_insensitive_and_lands_on_clients(client, world):
    response = login(client, "KONSULT@Alfa.se", PASSWORD)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:company_list")
    assert "Alfa Klient Ett AB" in response.content.decode()


def test_client_user_lands_on_their_company(client, world):
    response = login(client, "vd@klient-ett.se", PASSWORD)
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:company_overview", args=[world.a1.pk])


def test_wrong_password_shows_swedish_message(client, world):
    response = login(client, "konsult@alfa.se", "wrong")
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.content.decode()


def test_logout_requires_post_and_ends_the_session(client, world):
    client.force_login(world.accountant_a)
    assert client.get(reverse("identity:logout")).status_code == 405
    client.post(reverse("identity:logout"))
    response = client.get(reverse("web:company_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_ten_wrong_passwords_lock_the_account_until_the_cooloff_has_passed(client, world, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(9):
            assert login(client, "konsult@alfa.se", "wrong").status_code == 200
        locked = login(client, "konsult@alfa.se", "wrong")
        assert locked.status_code == 429
        text = locked.content.decode()
        assert "Kontot är låst" in text
        assert "15 minuter" in text
        # The right password does not help while the lock lasts.
        assert login(client, "konsult@alfa.se", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert login(client, "konsult@alfa.se", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert login(client, "konsult@alfa.se", PASSWORD).status_code == 302


def test_lockout_of_one_account_leaves_others_alone(client, world):
    for _ in range(10):
        login(client, "konsult@alfa.se", "wrong")
    other = login(client.__class__(REMOTE_ADDR="10.9.9.9"), "admin@alfa.se", PASSWORD)
    assert other.status_code == 302


@pytest.mark.parametrize("path", [LOGIN, "/account/password-reset/"])
def test_public_account_pages_render_in_swedish(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
