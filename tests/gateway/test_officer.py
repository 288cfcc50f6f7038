"""Officer page: token auth, consent filter, CSV export."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.gateway import officer, staff
from core.cultivation import store as cs
from core.db import create_schema, get_engine, session_scope
from core.enterprise import credit_code, throttle
from core.enterprise.models import Enterprise

A = credit_code.generate(seed=101)
B = credit_code.generate(seed=102)
TOKEN = "s3cret-officer-token"
GAPS = [
    {"item": 18, "label": "单次处罚", "verdict": "不达标", "dimension": "守法规范", "standard": "advanced"},
    {"item": 5, "label": "内部审计", "verdict": "基本达标", "dimension": "内部控制", "standard": "advanced"},
]


@pytest.fixture
def engine(tmp_path):
    eng = create_schema(get_engine(f"sqlite:///{tmp_path / 'officer.db'}"))
    with session_scope(eng) as s:
        s.add(Enterprise(code=A, name="甲示例贸易有限公司（演示数据）", credit_level="常规企业", sample="yes"))
        s.add(Enterprise(code=B, name="乙示例进出口有限公司（演示数据）", credit_level="常规企业"))
    # both under cultivation; only A consents. A's first task is overdue.
    cs.plan_from_gaps(A, GAPS, dt.date.today() - dt.timedelta(days=40), engine=eng)
    cs.plan_from_gaps(B, GAPS, dt.date.today(), engine=eng)
    cs.grant_consent(A, engine=eng)
    _add_assessments(eng)
    return eng


def _add_assessments(eng):
    from core.assessment.models import Assessment

    with session_scope(eng) as s:
        for total in (88, 93):
            s.add(
                Assessment(
                    enterprise_code=A,
                    standard="advanced",
                    rule_set="default",
                    status="completed",
                    result={"total": total},
                )
            )
        s.add(
            Assessment(
                enterprise_code=B, standard="advanced", rule_set="default", status="completed", result={"total": 77}
            )
        )


async def client_for(engine, **kw):
    app = web.Application()
    officer.add_routes(app, engine=engine, **kw)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def test_not_configured_returns_503(engine, monkeypatch):
    monkeypatch.delenv("OFFICER_TOKEN", raising=False)
    client = await client_for(engine)
    try:
        for path in ("/officer", "/officer/export.csv", "/officer/login"):
            r = await client.get(path, headers={"Authorization": "Bearer anything"})
            assert r.status == 503 and "officer access not configured" in await r.text()
        r = await client.post("/officer/login", data={"token": ""})
        assert r.status == 503
    finally:
        await client.close()


async def test_missing_and_wrong_token_401(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    client = await client_for(engine)
    try:
        r = await client.get("/officer")
        assert r.status == 401 and "<form" in await r.text()
        for path in ("/officer", "/officer/export.csv"):
            r = await client.get(path, headers={"Authorization": "Bearer wrong"})
            assert r.status == 401
            assert A not in await r.text()
        r = await client.get("/officer", cookies={officer.COOKIE: "123.deadbeef"})
        assert r.status == 401
        r = await client.post("/officer/login", data={"token": "wrong"}, allow_redirects=False)
        assert r.status == 401
    finally:
        await client.close()


async def test_right_token_sees_consenting_enterprise_only(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    client = await client_for(engine)
    try:
        r = await client.get("/officer", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status == 200
        text = await r.text()
        assert A in text and "甲示例" in text
        assert B not in text and "乙示例" not in text
        assert "<table" in text and 'scope="col"' in text and "<caption>" in text
        assert r.headers["Cache-Control"] == "no-store"
        assert "93" in text and "↑ +5" in text  # latest score and trend
        assert "advanced:18" in text  # the overdue task
    finally:
        await client.close()


async def test_login_form_sets_httponly_cookie(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    client = await client_for(engine)
    try:
        r = await client.get("/officer/login")
        assert r.status == 200 and 'type="password"' in await r.text()
        r = await client.post("/officer/login", data={"token": TOKEN}, allow_redirects=False)
        assert r.status == 303 and r.headers["Location"] == "/officer"
        set_cookie = r.headers["Set-Cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
        assert TOKEN not in set_cookie
        r = await client.get("/officer")  # cookie jar carries the session
        assert r.status == 200 and A in await r.text()
        # a changed token ends the session
        monkeypatch.setenv("OFFICER_TOKEN", TOKEN + "-rotated")
        r = await client.get("/officer")
        assert r.status == 401
    finally:
        await client.close()


async def test_csv_export(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    client = await client_for(engine)
    try:
        r = await client.get("/officer/export.csv", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/csv")
        assert "attachment" in r.headers["Content-Disposition"]
        body = (await r.read()).decode("utf-8-sig")
        lines = body.strip().splitlines()
        assert lines[0].startswith("code,name,sample,level")
        assert len(lines) == 2 and lines[1].startswith(A)
        assert B not in body
        assert ",1," in lines[1]  # one overdue task
    finally:
        await client.close()


async def test_revoked_consent_disappears(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    cs.revoke_consent(A, engine=engine)
    client = await client_for(engine)
    try:
        r = await client.get("/officer", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status == 200 and A not in await r.text()
    finally:
        await client.close()


LOCKOUT = throttle.Policy(free=2, base_seconds=60, cap_seconds=60)


async def test_failed_attempts_are_throttled(engine, monkeypatch):
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    client = await client_for(engine, failures=officer.FailureLimiter(LOCKOUT, engine=engine))
    try:
        for _ in range(3):
            assert (await client.get("/officer", headers={"Authorization": "Bearer nope"})).status == 401
        r = await client.get("/officer", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status == 429  # even the right token, once the budget is spent
    finally:
        await client.close()


async def test_lockout_is_per_client_behind_the_proxy_and_shared_by_replicas(engine, monkeypatch):
    """Finding 8: behind a proxy the lock-out is per real client (the address the
    proxy appended, not one the client wrote), and two gateway replicas share it."""
    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    kw = {"failures": officer.FailureLimiter(LOCKOUT, engine=engine), "trust_proxy": True}
    one, two = await client_for(engine, **kw), await client_for(engine, **kw)
    try:
        attacker = {"Authorization": "Bearer nope", "X-Forwarded-For": "10.0.0.9, 203.0.113.5"}
        for _ in range(3):
            assert (await one.get("/officer", headers=attacker)).status == 401
        # the attacker is locked out on the other replica too, whatever it claims to be
        spoof = {"Authorization": f"Bearer {TOKEN}", "X-Forwarded-For": "198.51.100.7, 203.0.113.5"}
        assert (await two.get("/officer", headers=spoof)).status == 429
        # another officer behind the same proxy is not
        officer_hdr = {"Authorization": f"Bearer {TOKEN}", "X-Forwarded-For": "203.0.113.77"}
        assert (await two.get("/officer", headers=officer_hdr)).status == 200
    finally:
        await one.close()
        await two.close()


def test_csv_cells_are_not_formulas():
    assert staff.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert staff.csv_cell(["a", "b"]) == "a;b"
    assert staff.csv_cell(None) == ""


def test_rows_show_scores_from_the_assessment_store(engine):
    rows = officer.officer_rows(engine)
    assert [r["code"] for r in rows] == [A]
    assert rows[0]["latest_score"] == 93 and "+5" in rows[0]["trend"]


async def test_gateway_mounts_officer_and_scoring_routes_with_its_config(monkeypatch, tmp_path):
    from bot.gateway.app import create_app
    from bot.gateway.config import GatewayConfig

    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'gw.db'}")  # failed logins are counted there
    app = create_app(GatewayConfig(rasa_url="http://127.0.0.1:5999", trust_proxy=True))
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        r = await client.post("/api/assessments/score", data="[]")
        assert r.status == 400 and "JSON object" in await r.text()
        # Behind the proxy (the gateway's trust_proxy), clients are told apart by X-Forwarded-For:
        # one client's failed logins lock out that client, not every officer behind the proxy.
        attacker = {"Authorization": "Bearer nope", "X-Forwarded-For": "203.0.113.7"}
        statuses = [(await client.get("/officer", headers=attacker)).status for _ in range(11)]
        assert statuses[0] == 401 and statuses[-1] == 429
        other = {"Authorization": "Bearer also-wrong", "X-Forwarded-For": "198.51.100.9"}
        assert (await client.get("/officer", headers=other)).status == 401
    finally:
        await client.close()


async def test_squatter_loses_the_enterprise_when_customs_reissues_the_key(engine, monkeypatch):
    """Finding 4: whoever typed a public code first holds a key, shown as not yet
    confirmed by customs; an officer re-issues the key to a verified contact,
    which voids the squatter's key and binding, and the real enterprise's new
    key works."""
    from core.enterprise import access, binding

    monkeypatch.setenv("OFFICER_TOKEN", TOKEN)
    fresh = credit_code.generate(seed=199)
    squatter_key = access.issue_key(fresh, "抢注者填的名字", engine=engine)
    assert binding.bind("squatter-chat", fresh, engine=engine)
    client = await client_for(engine)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    try:
        assert fresh not in await (await client.get("/officer", headers=auth)).text()  # no consent: not listed
        page = await (await client.get("/officer/keys", headers=auth)).text()
        row = page[page.index(fresh) :].split("</tr>")[0]
        assert "海关尚未确认" in row and "not yet confirmed by customs" in row
        r = await client.post(f"/officer/enterprises/{fresh}/reissue", data={"contact": ""}, headers=auth)
        assert r.status == 400  # no verified contact, no key
        r = await client.post(
            f"/officer/enterprises/{fresh}/reissue",
            data={"contact": "张三 021-12345678（已核验营业执照）"},
            headers=auth,
        )
        assert r.status == 200
        text = await r.text()
        new_key = access.key_candidates(text.split("new access key:")[1])[0]
        assert "1 bound conversation(s) lost access" in text
    finally:
        await client.close()
    assert binding.bound_code("squatter-chat", engine=engine) is None
    assert access.check(fresh, squatter_key, "squatter-chat", engine=engine).ok is False
    assert access.check(fresh, new_key, "real-enterprise", engine=engine).ok is True
    assert access.key_status(fresh, engine=engine)["confirmed"] is True
    # an officer can also confirm a genuine first claim
    other = credit_code.generate(seed=198)
    access.issue_key(other, "真企业", engine=engine)
    client = await client_for(engine)
    try:
        r = await client.post(f"/officer/enterprises/{other}/confirm", headers=auth, allow_redirects=False)
        assert r.status == 303 and r.headers["Location"] == "/officer/keys"
        assert (await client.get("/officer/keys")).status == 401
        assert (await client.post(f"/officer/enterprises/{other}/confirm", headers={})).status == 401
    finally:
        await client.close()
    assert access.key_status(other, engine=engine)["confirmed"] is True
