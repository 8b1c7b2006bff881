"""The sandbox app itself: health, index, stubs and the /_control knobs, over real HTTP."""

from __future__ import annotations

import time


def test_health_index_and_stubs(api):
    health = api.get("/health").json()
    assert health["status"] == "ok"
    assert health["providers"] == ["fortnox", "spiris", "skatteverket", "altinn", "bankid"]
    index = api.get("/")
    assert index.status_code == 200
    for text in (
        "admin@exempelbolaget.se",
        "byra@demo-redovisning.se",
        "anna@nordljus.se",
        "556036-0793",
        "559141-9816",
    ):
        assert text in index.text
    for provider in ("fortnox", "spiris", "skatteverket", "altinn", "bankid"):
        assert api.get(f"/{provider}/health").json()["status"] == "ok"


def test_fail_next_requests_then_recover(sandbox, fortnox, spiris):
    sandbox.fail(2, provider="fortnox")
    r = fortnox.get("/3/companyinformation")
    assert r.status_code == 500 and r.json()["ErrorInformation"]["code"] == 1000003
    assert fortnox.get("/3/companyinformation").status_code == 500
    assert fortnox.get("/3/companyinformation").status_code == 200
    assert spiris.get("/v2/companysettings").status_code == 200
    sandbox.fail(1, status=503)
    assert spiris.get("/v2/companysettings").status_code == 503


def test_fail_token_endpoint(sandbox, api, fortnox, helpers):
    sandbox.fail(1, provider="fortnox", target="token", status=503)
    data = {"grant_type": "refresh_token", "refresh_token": fortnox.tokens["refresh_token"]}
    r = api.post("/fortnox/oauth-v1/token", data=data, auth=helpers.FORTNOX_CLIENT)
    assert r.status_code == 503
    # The failed call did not consume the refresh token.
    assert api.post("/fortnox/oauth-v1/token", data=data, auth=helpers.FORTNOX_CLIENT).status_code == 200


def test_latency(sandbox, fortnox):
    sandbox.latency(0.3, provider="fortnox")
    start = time.monotonic()
    assert fortnox.get("/3/companyinformation").status_code == 200
    assert time.monotonic() - start >= 0.3
    sandbox.latency(0)


def test_stats_count_requests_per_provider(sandbox, fortnox, spiris):
    sandbox.client.post("/_control/stats/reset")
    for _ in range(3):
        fortnox.get("/3/financialyears")
    spiris.get("/v2/fiscalyears")
    stats = sandbox.stats()
    assert stats["fortnox"]["api"] == 3 and stats["fortnox"]["api:financial_years"] == 3
    assert stats["fortnox"]["status_200"] == 3
    assert stats["spiris"]["api"] == 1


def test_revoke_grant_kills_refresh_and_access(sandbox, api, fortnox, helpers):
    sandbox.revoke("fortnox", company="556036-0793")
    r = api.post(
        "/fortnox/oauth-v1/token",
        data={"grant_type": "refresh_token", "refresh_token": fortnox.tokens["refresh_token"]},
        auth=helpers.FORTNOX_CLIENT,
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert fortnox.get("/3/companyinformation").status_code == 401
    grants = sandbox.client.get("/_control/grants", params={"provider": "fortnox"}).json()["grants"][
        "fortnox"
    ]
    assert grants and all(g["revoked"] for g in grants)


def test_ratelimit_knob_can_disable_and_restore(sandbox, fortnox):
    sandbox.ratelimit("fortnox", enabled=False)
    assert all(fortnox.get("/3/companyinformation").status_code == 200 for _ in range(40))
    sandbox.ratelimit("fortnox", default=True)
    statuses = [fortnox.get("/3/companyinformation").status_code for _ in range(26)]
    assert statuses[-1] == 429


def test_reset_restores_deterministic_data_and_forgets_grants(sandbox, fortnox, helpers, api):
    before = fortnox.get("/3/vouchers", params={"limit": 500}).json()
    sandbox.reset()
    assert fortnox.get("/3/vouchers").status_code == 401
    tokens = helpers.fortnox_tokens(sandbox, api)
    after = api.get(
        "/fortnox/3/vouchers",
        params={"limit": 500},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    ).json()
    assert before == after
    sandbox.reset(seed=2)
    tokens = helpers.fortnox_tokens(sandbox, api)
    other = api.get(
        "/fortnox/3/vouchers",
        params={"limit": 500},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    ).json()
    assert other != before


def test_scale_knob_seeds_5000_vouchers_and_3000_files(sandbox, fortnox):
    start = time.monotonic()
    result = sandbox.seed_company("556036-0793", vouchers=5000, files=3000)
    assert result["vouchers"] == 5000 and result["files"] == 3000
    assert time.monotonic() - start < 10
    sandbox.ratelimit("fortnox", enabled=False)
    total = 0
    for fy in fortnox.get("/3/financialyears").json()["FinancialYears"]:
        total += fortnox.get("/3/vouchers", params={"financialyear": fy["Id"], "limit": 1}).json()[
            "MetaInformation"
        ]["@TotalResources"]
    assert total == 5000
    files = fortnox.get("/3/voucherfileconnections", params={"limit": 1}).json()["MetaInformation"][
        "@TotalResources"
    ]
    files += fortnox.get("/3/supplierinvoicefileconnections", params={"limit": 1}).json()["MetaInformation"][
        "@TotalResources"
    ]
    assert files == 3000


def test_control_errors_are_json(sandbox):
    r = sandbox.client.post("/_control/expire", json={"provider": "nope"})
    assert r.status_code == 400 and "provider" in r.json()["error"]
    r = sandbox.client.post("/_control/seed", json={"company": "000000-0000"})
    assert r.status_code == 400
