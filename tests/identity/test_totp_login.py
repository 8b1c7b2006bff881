"""E-mail + password login: refused for users with a personnummer (BankID), a one-time code
(TOTP) for users without a Swedish personnummer, unchanged for the firm's staff."""

from __future__ import annotations

import time

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from ledgerport.identity import services
from ledgerport.identity.models import User
from tests.factories import PASSWORD

LOGIN = reverse("identity:login")
CODE = reverse("identity:login_totp")
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key


def login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"username": email, "password": password})


def code_now(offset=0):
    return f"{totp(bytes.fromhex(KEY), t0=0, step=30, digits=6, drift=offset):06d}"


def client_without_personnummer(world):
    user = User.objects.get(email="vd@klient-ett.se")
    user.no_swedish_personnummer = True
    user.save()
    services.user_set_totp(user=user, key_hex=KEY)
    return user


def test_a_user_with_a_personnummer_is_sent_to_bankid_only_after_the_right_password(client, world):
    user = User.objects.get(email="vd@klient-ett.se")
    services.user_set_personnummer(user=user, number="19121212-1212")
    wrong = login(client, user.email, "wrong").content.decode()
    assert "Fel e-postadress eller lösenord." in wrong and "BankID." not in wrong.split('role="alert"')[1]
    refused = login(client, user.email)
    assert refused.status_code == 200
    assert "Du har ett svenskt personnummer: logga in med BankID." in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_user_without_personnummer_logs_in_with_password_and_code(client, world):
    user = client_without_personnummer(world)
    response = login(client, user.email)
    assert response.status_code == 302 and response["Location"] == CODE
    assert "_auth_user_id" not in client.session  # not logged in between the two steps
    assert client.get(reverse("web:company_list")).status_code == 302
    page = client.get(CODE).content.decode()
    assert "Engångskod" in page and 'autocomplete="one-time-code"' in page
    before = client.session.session_key
    response = client.post(CODE, {"token": code_now()})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["otp_device_id"]
    assert client.session.session_key != before


def test_wrong_codes_are_refused_and_throttled(client, world):
    user = client_without_personnummer(world)
    login(client, user.email)
    wrong = "000000" if code_now() != "000000" else "111111"
    first = client.post(CODE, {"token": wrong}).content.decode()
    assert "Fel kod." in first
    second = client.post(CODE, {"token": code_now()}).content.decode()  # the right code, too soon
    assert "För många felaktiga koder." in second
    assert "_auth_user_id" not in client.session
    time.sleep(1.1)
    assert client.post(CODE, {"token": code_now()}).status_code == 302


def test_the_password_step_expires(client, world):
    user = client_without_personnummer(world)
    login(client, user.email)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=6)):
        response = client.post(CODE, {"token": code_now()}, follow=True)
    assert "Inloggningen tog för lång tid. Börja om." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_without_a_device_e_mail_login_is_refused(client, world):
    user = User.objects.get(email="vd@klient-ett.se")
    user.no_swedish_personnummer = True
    user.save()
    response = login(client, user.email).content.decode()
    assert "Ditt konto har ingen engångskod (TOTP) inställd" in response


def test_firm_staff_log_in_with_password_as_before(client, world):
    response = login(client, "konsult@alfa.se")
    assert response.status_code == 302 and response["Location"] != CODE
    assert client.session["_auth_user_id"]
