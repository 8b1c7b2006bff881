"""Spiris simulator over real HTTP: Visma Connect flow, API v2 shapes, paging, $filter, errors, files."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sandbox.demo import FISCAL_YEARS

PREV, CUR = FISCAL_YEARS

AUTHORIZE = "/spiris/identity/connect/authorize"
TOKEN = "/spiris/identity/connect/token"


def _params(helpers, **extra: str) -> dict[str, str]:
    return {
        "client_id": "ledgerport-dev",
        "redirect_uri": helpers.REDIRECT_URI,
        "scope": helpers.SPIRIS_SCOPES,
        "state": "s-42",
        "response_type": "code",
        "prompt": "login",
        "acr_values": "service:44643EB1-3F76-4C1C-A672-402AE8085934 forceselectcompany:true",
        **extra,
    }


def test_consultant_picks_company_consents_and_refresh_rotates(browser, api, helpers):
    verifier, challenge = helpers.pkce_pair()
    params = _params(helpers, code_challenge=challenge, code_challenge_method="S256")
    page = browser.start(AUTHORIZE, params)
    assert "Logga in på Spiris" in page.text
    picker = browser.submit(page, email="konsult@demo-redovisning.se", password="spiris-demo")
    assert "Välj företag" in picker.text and "559141-9816" in picker.text and "559012-4557" in picker.text
    consent = browser.submit(picker, company="havsorn")
    assert "Havsörn Design AB" in consent.text and 'data-scope="ea:accounting_readonly"' in consent.text
    redirect = browser.submit(consent, decision="approve")
    query = parse_qs(urlsplit(redirect.headers["location"]).query)
    assert query["state"] == ["s-42"]
    r = api.post(
        TOKEN,
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": helpers.REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=helpers.SPIRIS_CLIENT,
    )
    assert r.status_code == 200, r.text
    tokens = r.json()
    assert tokens["expires_in"] == 3600 and tokens["token_type"] == "Bearer" and tokens["refresh_token"]
    settings = api.get(
        "/spiris/v2/companysettings", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert settings.json()["CorporateIdentityNumber"] == "559012-4557"

    # Rotating refresh token (client credentials in the form body work too).
    form = {
        "grant_type": "refresh_token",
        "client_id": "ledgerport-dev",
        "client_secret": "spiris-dev-secret",
    }
    r1 = api.post(TOKEN, data={**form, "refresh_token": tokens["refresh_token"]})
    assert r1.status_code == 200 and r1.json()["refresh_token"] != tokens["refresh_token"]
    old = api.post(TOKEN, data={**form, "refresh_token": tokens["refresh_token"]})
    assert old.status_code == 400 and old.json()["error"] == "invalid_grant"
    # Unlike Fortnox, reusing an old token does not kill the newest one.
    r2 = api.post(TOKEN, data={**form, "refresh_token": r1.json()["refresh_token"]})
    assert r2.status_code == 200


def test_single_company_user_skips_picker_without_forceselectcompany(browser, helpers):
    params = _params(helpers)
    del params["acr_values"]
    query = browser.consent_flow(AUTHORIZE, params, email="anna@nordljus.se", password="spiris-demo")
    assert "code" in query


def test_authorize_and_token_errors(browser, api, helpers):
    assert browser.start(AUTHORIZE, _params(helpers, client_id="nope")).status_code == 400
    assert (
        browser.start(AUTHORIZE, _params(helpers, redirect_uri="https://evil.example/cb")).status_code == 400
    )
    r = browser.start(AUTHORIZE, _params(helpers, scope="offline_access ea:accounting"))
    assert parse_qs(urlsplit(r.headers["location"]).query)["error"] == ["invalid_scope"]
    denied = browser.consent_flow(
        AUTHORIZE,
        _params(helpers),
        email="anna@nordljus.se",
        password="spiris-demo",
        company="nordljus",
        approve=False,
    )
    assert denied["error"] == ["access_denied"]
    r = api.post(
        TOKEN, data={"grant_type": "refresh_token", "refresh_token": "x"}, auth=("ledgerport-dev", "bad")
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_client"
    r = api.post(TOKEN, json={"grant_type": "refresh_token"}, auth=helpers.SPIRIS_CLIENT)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


def test_no_refresh_token_without_offline_access(sandbox, api, helpers):
    tokens = helpers.spiris_tokens(sandbox, api, scope="ea:api ea:accounting_readonly")
    assert "refresh_token" not in tokens


def test_vouchers_paging_rows_balance_and_link_header(spiris):
    years = spiris.get("/v2/fiscalyears").json()["Data"]
    assert [y["StartDate"] for y in years] == [f"{PREV}-01-01T00:00:00", f"{CUR}-01-01T00:00:00"]
    fy = years[0]["Id"]
    first = spiris.get(f"/v2/vouchers/{fy}", params={"$pagesize": 40})
    meta = first.json()["Meta"]
    assert meta["PageSize"] == 40 and meta["TotalNumberOfPages"] > 1 and meta["ServerTimeUtc"].endswith("Z")
    assert 'rel="next"' in first.headers["link"]
    ids = []
    for page in range(1, meta["TotalNumberOfPages"] + 1):
        data = spiris.get(f"/v2/vouchers/{fy}", params={"$pagesize": 40, "$page": page}).json()["Data"]
        for v in data:
            debit = sum(Decimal(str(r["DebitAmount"])) for r in v["Rows"])
            credit = sum(Decimal(str(r["CreditAmount"])) for r in v["Rows"])
            assert debit == credit > 0
            assert v["VoucherDate"].startswith(f"{PREV}-")
            ids.append(v["Id"])
    assert len(ids) == meta["TotalNumberOfResults"] == len(set(ids))
    one = spiris.get(f"/v2/vouchers/{fy}/{ids[0]}")
    assert one.status_code == 200 and one.json()["Id"] == ids[0]
    assert spiris.get("/v2/vouchers", params={"$pagesize": 5000}).json()["Meta"]["PageSize"] == 1000


def test_odata_filter(spiris):
    all_current = spiris.get(
        "/v2/vouchers", params={"$filter": f"year(VoucherDate) eq {CUR}", "$pagesize": 1000}
    ).json()
    assert all(v["VoucherDate"].startswith(f"{CUR}-") for v in all_current["Data"])
    march = spiris.get(
        "/v2/vouchers",
        params={"$filter": f"year(VoucherDate) eq {CUR} and month(VoucherDate) eq 3", "$pagesize": 1000},
    ).json()
    assert march["Data"] and all(v["VoucherDate"].startswith(f"{CUR}-03") for v in march["Data"])
    since = spiris.get(
        "/v2/vouchers", params={"$filter": f"ModifiedUtc gt {CUR}-06-01T00:00:00Z", "$pagesize": 1000}
    ).json()
    assert all(v["ModifiedUtc"] > f"{CUR}-06-01T00:00:00Z" for v in since["Data"])
    bad = spiris.get("/v2/vouchers", params={"$filter": "Nonsense("})
    assert bad.status_code == 400 and bad.json()["ErrorCode"] and bad.json()["ErrorId"]


def test_attachments_temporary_urls_download_and_expire(sandbox, spiris, api):
    data = spiris.get("/v2/attachments", params={"$pagesize": 1000}).json()["Data"]
    magic = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
    seen = {}
    for att in data:
        if att["ContentType"] in seen:
            continue
        r = api.get(att["TemporaryUrl"])  # pre-signed: no bearer token
        assert r.status_code == 200 and r.content.startswith(magic[att["ContentType"]])
        seen[att["ContentType"]] = att
    assert set(seen) == set(magic)
    # Links: voucher attachments and supplier-invoice attachments.
    vouchers = spiris.get("/v2/vouchers", params={"$pagesize": 1000}).json()["Data"]
    linked = {a for v in vouchers for a in v["Attachments"]["AttachmentIds"]}
    sis = spiris.get("/v2/supplierinvoices", params={"$pagesize": 1000}).json()["Data"]
    linked |= {a for s in sis for a in s["Attachments"]}
    matched = {a["Id"] for a in data if a["AttachmentStatus"] == 0}
    assert matched == linked
    unmatched = spiris.get("/v2/attachments", params={"includeMatched": "false"}).json()["Data"]
    assert unmatched and all(a["AttachmentStatus"] == 1 for a in unmatched)
    no_url = spiris.get("/v2/attachments", params={"includeTemporaryUrl": "false", "$pagesize": 1}).json()[
        "Data"
    ][0]
    assert no_url["TemporaryUrl"] is None
    url = spiris.get(f"/v2/attachments/{data[0]['Id']}").json()["TemporaryUrl"]
    sandbox.advance_clock(11 * 60)
    expired = api.get(url)
    assert expired.status_code == 403 and b"AuthenticationFailed" in expired.content


def test_customer_invoice_pdf_url(spiris, api):
    inv = spiris.get("/v2/customerinvoices", params={"$pagesize": 1}).json()["Data"][0]
    url = spiris.get(f"/v2/customerinvoices/{inv['Id']}/pdf").json()["Url"]
    pdf = api.get(url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert f"Faktura {inv['InvoiceNumber']}".encode() in pdf.content
    v = spiris.get("/v2/vouchers", params={"$pagesize": 1000}).json()["Data"]
    assert inv["VoucherId"] in {x["Id"] for x in v}


def test_errors_401_403_404(sandbox, api, spiris, helpers):
    r = api.get("/spiris/v2/vouchers")
    assert r.status_code == 401 and "WWW-Authenticate" in r.headers
    sandbox.expire("spiris", company="559141-9816")
    assert spiris.get("/v2/vouchers").status_code == 401

    def get(tokens, path):
        return api.get(f"/spiris{path}", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    limited = helpers.spiris_tokens(sandbox, api, "erik@nordljus.se")
    r = get(limited, "/v2/vouchers")
    assert (
        r.status_code == 403
        and r.json()["ErrorCode"] == 4002
        and "Fullständig" in r.json()["DeveloperErrorMessage"]
    )
    no_bookkeeping = helpers.spiris_tokens(sandbox, api, "konsult@demo-redovisning.se", company="559315-0492")
    r = get(no_bookkeeping, "/v2/vouchers")
    assert r.status_code == 403 and "bookkeeping" in r.json()["DeveloperErrorMessage"]
    assert get(no_bookkeeping, "/v2/customerinvoices").status_code == 200
    no_api = helpers.spiris_tokens(sandbox, api, "konsult@demo-redovisning.se", company="556478-2109")
    r = get(no_api, "/v2/companysettings")
    assert r.status_code == 403 and "api_standard" in r.json()["DeveloperErrorMessage"]
    accounting_only = helpers.spiris_tokens(
        sandbox, api, scope="ea:api offline_access ea:accounting_readonly"
    )
    assert (
        get(accounting_only, "/v2/companysettings").status_code == 403
    )  # company settings need a sales scope
    ok = helpers.spiris_tokens(sandbox, api)
    fy = get(ok, "/v2/fiscalyears").json()["Data"][0]["Id"]
    r = get(ok, f"/v2/vouchers/{fy}/00000000-0000-4000-8000-000000000000")
    assert r.status_code == 404 and r.json()["ErrorId"]


def test_rate_limit_per_client_and_url(sandbox, spiris):
    sandbox.ratelimit("spiris", limit=10, window=60)
    statuses = [spiris.get("/v2/companysettings").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    r = spiris.get("/v2/companysettings")
    assert r.json()["ErrorCode"] == 4010 and "Try again in" in r.json()["DeveloperErrorMessage"]
    assert spiris.get("/v2/fiscalyears").status_code == 200  # another URL has its own budget
