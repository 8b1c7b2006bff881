"""Fortnox simulator over real HTTP: OAuth flow, API shapes, paging, errors, rate limit, SIE, files."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sandbox.demo import FISCAL_YEARS

PREV, CUR = FISCAL_YEARS

AUTH = "/fortnox/oauth-v1/auth"
TOKEN = "/fortnox/oauth-v1/token"


def _params(helpers, **extra: str) -> dict[str, str]:
    return {
        "client_id": "ledgerport-dev",
        "redirect_uri": helpers.REDIRECT_URI,
        "scope": helpers.FORTNOX_SCOPES,
        "state": "st-123",
        "access_type": "offline",
        "response_type": "code",
        **extra,
    }


def test_byra_user_full_code_flow_with_company_picker_and_refresh_rotation(browser, api, helpers):
    verifier, challenge = helpers.pkce_pair()
    params = _params(helpers, code_challenge=challenge, code_challenge_method="S256")
    page = browser.start(AUTH, params)
    assert "Logga in i Fortnox" in page.text
    picker = browser.submit(page, email="byra@demo-redovisning.se", password="fortnox-demo")
    assert "Välj företag" in picker.text
    for orgnr in ("556036-0793", "556614-3011", "556720-8847"):
        assert orgnr in picker.text
    consent = browser.submit(picker, company="fjallbacka")
    assert "Fjällbacka Bygg" in consent.text and "Godkänn" in consent.text
    assert 'data-scope="bookkeeping"' in consent.text
    redirect = browser.submit(consent, decision="approve")
    assert redirect.status_code == 302
    query = parse_qs(urlsplit(redirect.headers["location"]).query)
    assert query["state"] == ["st-123"]
    code = query["code"][0]

    # PKCE is verified when a challenge was sent.
    bad = api.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": helpers.REDIRECT_URI,
            "code_verifier": "x",
        },
        auth=helpers.FORTNOX_CLIENT,
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    r = api.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": helpers.REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert tokens["expires_in"] == 3600 and tokens["token_type"] == "bearer"
    assert set(tokens["scope"].split()) == set(helpers.FORTNOX_SCOPES.split())
    info = api.get(
        "/fortnox/3/companyinformation", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.json()["CompanyInformation"]["OrganizationNumber"] == "556614-3011"

    # The code is single use.
    again = api.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": helpers.REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=helpers.FORTNOX_CLIENT,
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_refresh_token_rotates_and_reuse_kills_the_grant(sandbox, api, helpers):
    tokens = helpers.fortnox_tokens(sandbox, api)
    first = tokens["refresh_token"]
    r = api.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first}, auth=helpers.FORTNOX_CLIENT
    )
    assert r.status_code == 200
    second = r.json()["refresh_token"]
    assert second != first
    new_access = r.json()["access_token"]
    assert (
        api.get(
            "/fortnox/3/companyinformation", headers={"Authorization": f"Bearer {new_access}"}
        ).status_code
        == 200
    )

    reuse = api.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": first}, auth=helpers.FORTNOX_CLIENT
    )
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    # Fortnox: a concurrent/duplicate refresh invalidates the whole grant, so the newest token dies too.
    dead = api.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": second}, auth=helpers.FORTNOX_CLIENT
    )
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"


def test_refresh_token_expires_after_45_days(sandbox, api, helpers):
    tokens = helpers.fortnox_tokens(sandbox, api)
    sandbox.advance_clock(44 * 86400)
    r = api.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r.status_code == 200
    sandbox.advance_clock(46 * 86400)
    r2 = api.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": r.json()["refresh_token"]},
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r2.status_code == 400 and "expired" in r2.json()["error_description"]


def test_token_endpoint_errors(api, sandbox, helpers):
    r = api.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": "x"}, auth=("ledgerport-dev", "wrong")
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    r = api.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": "x"})
    assert r.status_code == 401
    r = api.post(TOKEN, data={"grant_type": "password"}, auth=helpers.FORTNOX_CLIENT)
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    code = sandbox.authorize("fortnox", "admin@exempelbolaget.se", redirect_uri=helpers.REDIRECT_URI)["code"]
    r = api.post(
        TOKEN,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1/other"},
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_authorize_errors_and_denied_consent(browser, helpers, sandbox):
    unknown = browser.start(AUTH, _params(helpers, client_id="nope"))
    assert unknown.status_code == 400 and "ClientID supplied is invalid" in unknown.text
    sandbox.control(
        "clients",
        provider="fortnox",
        client_id="strict",
        client_secret="s",
        redirect_uris=["https://app.example/cb"],
    )
    mismatch = browser.start(AUTH, _params(helpers, client_id="strict"))
    assert mismatch.status_code == 400 and "redirect_uri" in mismatch.text
    bad_scope = browser.start(AUTH, _params(helpers, scope="bookkeeping nonsense"))
    assert bad_scope.status_code == 302
    assert parse_qs(urlsplit(bad_scope.headers["location"]).query)["error"] == ["invalid_scope"]

    page = browser.start(AUTH, _params(helpers))
    wrong = browser.submit(page, email="admin@exempelbolaget.se", password="wrong")
    assert wrong.status_code == 401 and "Fel e-postadress" in wrong.text
    query = browser.consent_flow(
        AUTH, _params(helpers), email="admin@exempelbolaget.se", password="fortnox-demo", approve=False
    )
    assert query["error"] == ["access_denied"] and query["state"] == ["st-123"]

    # Only system administrators may approve a service account.
    page = browser.start(AUTH, _params(helpers, account_type="service"))
    refused = browser.submit(page, email="ekonomi@exempelbolaget.se", password="fortnox-demo")
    assert refused.status_code == 403 and "systemadministrat" in refused.text


def test_service_account_client_credentials(sandbox, api, helpers):
    helpers.fortnox_tokens(sandbox, api, account_type="service")
    r = api.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        auth=helpers.FORTNOX_CLIENT,
        headers={"TenantId": "1170521"},
    )
    assert r.status_code == 200 and "refresh_token" not in r.json()
    r = api.post(
        TOKEN,
        data={"grant_type": "client_credentials"},
        auth=helpers.FORTNOX_CLIENT,
        headers={"TenantId": "1"},
    )
    assert r.status_code == 400


def test_vouchers_paging_and_detail_rows_balance(fortnox):
    years = fortnox.get("/3/financialyears").json()["FinancialYears"]
    assert [(y["FromDate"], y["ToDate"]) for y in years] == [
        (f"{PREV}-01-01", f"{PREV}-12-31"),
        (f"{CUR}-01-01", f"{CUR}-12-31"),
    ]
    fid = years[0]["Id"]
    first = fortnox.get("/3/vouchers", params={"financialyear": fid, "limit": 50}).json()
    meta = first["MetaInformation"]
    assert meta["@CurrentPage"] == 1 and meta["@TotalPages"] > 1
    seen = []
    for page in range(1, meta["@TotalPages"] + 1):
        body = fortnox.get("/3/vouchers", params={"financialyear": fid, "limit": 50, "page": page}).json()
        assert body["MetaInformation"]["@CurrentPage"] == page
        seen += [(v["VoucherSeries"], v["VoucherNumber"]) for v in body["Vouchers"]]
        assert all("VoucherRows" not in v for v in body["Vouchers"])
    assert len(seen) == meta["@TotalResources"] == len(set(seen))
    assert seen == sorted(seen)
    series, number = seen[0]
    detail = fortnox.get(f"/3/vouchers/{series}/{number}", params={"financialyear": fid}).json()["Voucher"]
    assert detail["Year"] == fid
    debit = sum(Decimal(str(r["Debit"])) for r in detail["VoucherRows"])
    credit = sum(Decimal(str(r["Credit"])) for r in detail["VoucherRows"])
    assert debit == credit > 0
    sublist = fortnox.get(f"/3/vouchers/sublist/{series}", params={"financialyear": fid}).json()
    assert {v["VoucherSeries"] for v in sublist["Vouchers"]} == {series}
    assert fortnox.get("/3/vouchers", params={"limit": 1000}).json()["MetaInformation"]["@TotalPages"] >= 1


def test_error_bodies_401_404_400(fortnox, api):
    r = api.get("/fortnox/3/vouchers")
    assert r.status_code == 401
    assert r.json() == {
        "ErrorInformation": {
            "error": 1,
            "message": "Kan inte logga in, access-token eller client-secret saknas(2).",
            "code": 2000311,
        }
    }
    r = api.get("/fortnox/3/vouchers", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and r.json()["ErrorInformation"]["code"] == 2000310
    r = fortnox.get("/3/vouchers/A/99999")
    assert r.status_code == 404 and r.json()["ErrorInformation"]["message"]
    r = fortnox.get("/3/vouchers", params={"limit": "abc"})
    assert r.status_code == 400 and r.json()["ErrorInformation"]["code"] == 2000588
    r = fortnox.get("/3/vouchers", headers={"Accept": "application/pdf"})
    assert r.json()["ErrorInformation"]["code"] == 1000030


def test_403_licence_module_scope_and_user_rights(sandbox, api, helpers):
    def get(tokens, path):
        return api.get(f"/fortnox{path}", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    no_licence = helpers.fortnox_tokens(sandbox, api, "byra@demo-redovisning.se", company="556881-2076")
    r = get(no_licence, "/3/companyinformation")
    assert r.status_code == 403 and r.json()["ErrorInformation"]["code"] == 2001103

    no_module = helpers.fortnox_tokens(sandbox, api, "byra@demo-redovisning.se", company="556944-5124")
    r = get(no_module, "/3/vouchers")
    assert r.status_code == 403 and r.json()["ErrorInformation"]["code"] == 2001101
    assert get(no_module, "/3/invoices").status_code == 200

    narrow = helpers.fortnox_tokens(sandbox, api, scope="companyinformation")
    r = get(narrow, "/3/vouchers")
    assert r.status_code == 403 and "scope" in r.json()["ErrorInformation"]["message"]

    limited = helpers.fortnox_tokens(sandbox, api, "ekonomi@exempelbolaget.se")
    assert get(limited, "/3/vouchers").status_code == 200
    r = get(limited, "/3/supplierinvoices")
    assert r.status_code == 403 and r.json()["ErrorInformation"]["code"] == 2003275


def test_rate_limit_25_per_5_seconds_per_token(fortnox):
    statuses = [fortnox.get("/3/companyinformation").status_code for _ in range(30)]
    assert statuses[:25] == [200] * 25
    assert 429 in statuses[25:]


def test_expired_access_token_gives_401_then_refresh_works(sandbox, fortnox, api, helpers):
    assert fortnox.get("/3/companyinformation").status_code == 200
    sandbox.expire("fortnox", access_token=fortnox.tokens["access_token"])
    r = fortnox.get("/3/companyinformation")
    assert r.status_code == 401 and r.json()["ErrorInformation"]["code"] == 2000310
    r = api.post(
        TOKEN,
        data={"grant_type": "refresh_token", "refresh_token": fortnox.tokens["refresh_token"]},
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r.status_code == 200


def _parse_sie(raw: bytes) -> tuple[dict[str, str], dict[tuple[str, int], list[tuple[int, Decimal]]]]:
    text = raw.decode("cp437")
    head: dict[str, str] = {}
    vouchers: dict[tuple[str, int], list[tuple[int, Decimal]]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#VER"):
            m = re.match(r'#VER "([^"]*)" "(\d+)"', line)
            assert m
            current = (m.group(1), int(m.group(2)))
            vouchers[current] = []
        elif line.startswith("#TRANS"):
            parts = line.split()
            assert current is not None
            vouchers[current].append((int(parts[1]), Decimal(parts[3])))
        elif line.startswith("#") and current is None:
            key, _, rest = line.partition(" ")
            head.setdefault(key, rest)
    return head, vouchers


def test_sie4_export_is_cp437_balanced_and_matches_the_vouchers_api(fortnox):
    fid = fortnox.get("/3/financialyears").json()["FinancialYears"][0]["Id"]
    r = fortnox.get("/3/sie/4", params={"financialyear": fid})
    assert r.status_code == 200
    assert "Sveavägen".encode("cp437") in r.content  # å/ä/ö in code page 437
    head, vouchers = _parse_sie(r.content)
    assert head["#FORMAT"] == "PC8" and head["#SIETYP"] == "4" and head["#ORGNR"] == "556036-0793"
    assert head["#RAR"].startswith(f"0 {PREV}0101 {PREV}1231")
    assert all(sum(a for _, a in rows) == 0 for rows in vouchers.values())
    listed = fortnox.get("/3/vouchers", params={"financialyear": fid, "limit": 500}).json()
    keys = {(v["VoucherSeries"], v["VoucherNumber"]) for v in listed["Vouchers"]}
    assert keys == set(vouchers)
    for key in sorted(keys)[:: max(1, len(keys) // 8)]:
        detail = fortnox.get(f"/3/vouchers/{key[0]}/{key[1]}", params={"financialyear": fid}).json()[
            "Voucher"
        ]
        api_rows = [
            (r["Account"], Decimal(str(r["Debit"])) - Decimal(str(r["Credit"])))
            for r in detail["VoucherRows"]
        ]
        assert api_rows == vouchers[key]


def test_files_download_as_valid_pdf_png_jpeg(fortnox):
    conns = fortnox.get("/3/voucherfileconnections", params={"limit": 500}).json()["VoucherFileConnections"]
    sups = fortnox.get("/3/supplierinvoicefileconnections", params={"limit": 500}).json()[
        "SupplierInvoiceFileConnections"
    ]
    assert conns and sups
    magic = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff"}
    seen = set()
    for conn in conns + sups:
        ext = conn["Name"].rsplit(".", 1)[1]
        if ext in seen:
            continue
        r = fortnox.get(f"/3/archive/{conn['FileId']}")
        assert r.status_code == 200
        assert r.content.startswith(magic[ext]), conn["Name"]
        seen.add(ext)
    assert seen == {"pdf", "png", "jpg"}
    # The same file through ?fileid= and via the folder listing (Id and ArchiveFileId).
    file_id = conns[0]["FileId"]
    assert (
        fortnox.get("/3/archive", params={"fileid": file_id}).content
        == fortnox.get(f"/3/archive/{file_id}").content
    )
    root = fortnox.get("/3/archive").json()["Folder"]
    folder = fortnox.get("/3/archive", params={"path": root["Folders"][0]["Name"]}).json()["Folder"]
    row = folder["Files"][0]
    assert (
        fortnox.get(f"/3/archive/{row['Id']}").content
        == fortnox.get("/3/archive", params={"fileid": row["ArchiveFileId"]}).content
    )
    assert len(fortnox.get(f"/3/archive/{row['Id']}").content) == row["Size"]
    # A voucher file connection points at an existing voucher.
    c = conns[0]
    v = fortnox.get(
        f"/3/vouchers/{c['VoucherSeries']}/{c['VoucherNumber']}", params={"financialyear": c["VoucherYear"]}
    )
    assert v.status_code == 200 and v.json()["Voucher"]["Description"] == c["VoucherDescription"]
    # Supplier invoice -> voucher link.
    si = fortnox.get(f"/3/supplierinvoices/{sups[0]['SupplierInvoiceNumber']}").json()["SupplierInvoice"]
    assert si["Vouchers"][0]["ReferenceType"] == "SUPPLIERINVOICE"


def test_invoice_preview_pdf_and_voucher_link(fortnox):
    invoices = fortnox.get("/3/invoices", params={"limit": 5}).json()["Invoices"]
    inv = invoices[0]
    pdf = fortnox.get(f"/3/invoices/{inv['DocumentNumber']}/preview")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    v = fortnox.get(
        f"/3/vouchers/{inv['VoucherSeries']}/{inv['VoucherNumber']}",
        params={"financialyear": inv["VoucherYear"]},
    )
    assert v.json()["Voucher"]["ReferenceNumber"] == inv["DocumentNumber"]


def test_lastmodified_returns_only_new_activity(sandbox, fortnox):
    assert fortnox.get("/3/companyinformation").status_code == 200  # builds the ledger "now"
    sandbox.advance_clock(60)
    state = sandbox.client.get("/_control/state").json()
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now_local = datetime.fromisoformat(state["now"]).astimezone(ZoneInfo("Europe/Stockholm"))
    since = now_local.strftime("%Y-%m-%d %H:%M")
    assert (
        fortnox.get("/3/vouchers", params={"lastmodified": since}).json()["MetaInformation"][
            "@TotalResources"
        ]
        == 0
    )
    sandbox.advance_clock(120)
    added = sandbox.add_activity("556036-0793", 3)["vouchers"]
    body = fortnox.get("/3/vouchers", params={"lastmodified": since}).json()
    assert {(v["VoucherSeries"], v["VoucherNumber"]) for v in body["Vouchers"]} == {
        (v["series"], v["number"]) for v in added
    }
