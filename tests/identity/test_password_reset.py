"""Password reset by e-mail, sent over real SMTP to a local test server (aiosmtpd)."""

from __future__ import annotations

import re

from django.http import HttpRequest

from tests.factories import PASSWORD


def test_reset_link_arrives_by_smtp_and_sets_a_new_password(client, world, smtp_inbox):
    response = client.post("/account/password-reset/", {"email": "konsult@alfa.se"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert len(smtp_inbox.messages) == 1
    mail = smtp_inbox.messages[0]
    assert mail["To"] == "konsult@alfa.se"
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/account/password-reset/\S+/\S+/)", body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "ny-hemlig-fras-2026"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Lösenordet är sparat" in done.content.decode()
    assert client.login(request=HttpRequest(), username="konsult@alfa.se", password=new_password)
    assert not client.login(request=HttpRequest(), username="konsult@alfa.se", password=PASSWORD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, world, smtp_inbox):
    response = client.post("/account/password-reset/", {"email": "nobody@example.se"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert smtp_inbox.messages == []
