"""Logging a person in through the sandbox's ID-porten, and meldinger for Fjordlys, for the VAT
return tests."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from django.test import Client
from django.urls import reverse

from ledgerport.connectors.altinn.person_login import login_url

EXAMPLES = Path(__file__).resolve().parents[3] / "../shared/specs/no-mva-melding/examples"
ORGNR = "923609016"
SIGNER = "15838510075"  # Kari Fjellheim, Regnskapsfører med signeringsrett for Fjordlys
FILLER = "02899010070"  # Ola Brekke, Regnskapsmedarbeider (may fill in, not complete)
NO_ROLE = "27917410033"  # Sigrid Dahl, no role for Fjordlys


def melding(name: str = "mvakode3.xml", orgnr: str = ORGNR) -> bytes:
    """An example melding of Skatteetaten's, as Fjordlys's (or another organisation's)."""
    xml = (EXAMPLES / "melding" / name).read_text(encoding="utf-8")
    return re.sub(
        r"(<skattepliktig>\s*<organisasjonsnummer>)\d+(</organisasjonsnummer>)", rf"\g<1>{orgnr}\2", xml
    ).encode()


def envelope(orgnr: str = ORGNR) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mvaMeldingInnsending xmlns="no:skatteetaten:fastsetting:avgift:mva:mvameldinginnsending:v1.0">
  <norskIdentifikator><organisasjonsnummer>{orgnr}</organisasjonsnummer></norskIdentifikator>
  <skattleggingsperiode><periode><skattleggingsperiodeToMaaneder>januar-februar</skattleggingsperiodeToMaaneder></periode><aar>2022</aar></skattleggingsperiode>
  <meldingskategori>alminnelig</meldingskategori>
  <innsendingstype>komplett</innsendingstype>
  <opprettetAv>Ledgerport</opprettetAv>
  <vedlegg>
    <vedleggstype>mva-melding</vedleggstype>
    <kildegruppe>sluttbrukersystem</kildegruppe>
    <opprettetAv>Ledgerport</opprettetAv>
    <vedleggsfil><filnavn>mvamelding</filnavn><filekstensjon>xml</filekstensjon><filinnhold>mvamelding.xml</filinnhold></vedleggsfil>
  </vedlegg>
</mvaMeldingInnsending>""".encode()


def idporten_login(client: Client, company, pid: str = SIGNER, next_url: str = "/next/") -> httpx.Response:
    """The whole round trip: our login URL → the sandbox's ID-porten page → the person picked →
    back to our return URL. Returns our last answer (the redirect to `next_url`)."""
    start = client.get(login_url(company, next_url))
    assert start.status_code == 302, start.content
    page = httpx.get(start["Location"], timeout=10)
    assert page.status_code == 200, page.text
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    action = httpx.URL(start["Location"]).join("login")
    chosen = httpx.post(str(action), data={"request_id": request_id, "pid": pid}, timeout=10)
    assert chosen.status_code == 303, chosen.text
    back = urlsplit(chosen.headers["location"])
    assert back.path == reverse("connectors:person_login_return", args=["altinn"])
    return client.get(f"{back.path}?{back.query}")
