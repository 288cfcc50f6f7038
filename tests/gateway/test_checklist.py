"""The checklist view's API (bot/gateway/checklist.py) on a real SQLite database: login with code
and key, the same store as the conversation, and the attacks a session must stop."""

import base64

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.gateway import assessment_api, checklist
from core.assessment import store
from core.db import create_schema, get_engine
from core.enterprise import access, credit_code

A = credit_code.generate(seed=301)
B = credit_code.generate(seed=302)


@pytest.fixture
async def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cl.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "reports"))
    create_schema(get_engine(url))
    keys = {c: access.issue_key(c, name) for c, name in ((A, "甲贸易有限公司"), (B, "乙公司"))}
    aid = store.start_or_resume(A, "甲贸易有限公司", "certified", mode="full")["id"]
    store.start_or_resume(B, "乙公司", "certified", mode="full")
    checklist._login_limiter._buckets.clear()
    app = web.Application()
    checklist.add_routes(app)
    assessment_api.add_routes(app)
    c = TestClient(TestServer(app))
    await c.start_server()
    yield c, keys, aid
    await c.close()


async def login(c, code, key):
    return await c.post("/api/assessment/login", json={"code": code, "key": key})


async def test_page_is_served_in_both_languages(env):
    c, _, _ = env
    r = await c.get("/assessment")
    assert (
        r.status == 200
        and 'lang="zh"' in await r.text()
        and "default-src 'self'" in r.headers["Content-Security-Policy"]
    )
    assert 'lang="en"' in await (await c.get("/assessment?lang=en")).text()
    assert (await c.get("/assessment.js")).status == 200


async def test_needs_code_and_key(env):
    c, keys, _ = env
    assert (await c.get("/api/assessment/state")).status == 401
    assert (await login(c, A, "AAAA-AAAA")).status == 401
    assert (await login(c, A, keys[B])).status == 401  # another enterprise's key
    r = await login(c, "123", keys[A])
    assert r.status == 400 and (await r.json())["field"] == "code"
    assert (await c.get("/api/assessment/state")).status == 401


async def test_answers_are_shared_with_the_conversation(env):
    c, keys, aid = env
    assert (await login(c, A, keys[A])).status == 200
    d = await (await c.get("/api/assessment/state")).json()
    assert d["enterprise"] == {"code": A, "name": "甲贸易有限公司"} and len(d["items"]) == 62
    assert d["items"][0]["plain"]["zh"] and d["items"][56]["choices"] == ["符合", "不适用"]
    # the conversation answered item 1; the page shows it
    store.record_answer(A, aid, 1, "达标", expected_item=1)
    d = await (await c.get("/api/assessment/state")).json()
    assert d["items"][0]["verdict"] == "达标" and d["assessment"]["answered"] == 1
    # the page answers item 40 and changes item 1; the conversation's open question stays at 2
    r = await c.post("/api/assessment/answer", json={"item": 40, "verdict": "不适用", "reason": "无自有车辆"})
    assert r.status == 200 and (await r.json())["item"]["reason"] == "无自有车辆"
    await c.post("/api/assessment/answer", json={"item": 1, "verdict": "基本达标"})
    assert store.get_answers(A, aid) == {1: "基本达标", 40: "不适用"}
    assert store.current_item(A, aid) == 2
    r = await c.post("/api/assessment/answer", json={"item": 57, "verdict": "基本达标"})
    assert r.status == 400 and (await r.json())["field"] == "verdict"
    r = await c.post("/api/assessment/answer", json={"item": 99, "verdict": "达标"})
    assert r.status == 400 and (await r.json())["field"] == "item"
    r = await c.post("/api/assessment/answer", data="item=1", headers={"Content-Type": "text/plain"})
    assert r.status == 415
    # result and report from the page
    for n in range(2, 57):
        if n != 40:
            store.record_answer(A, aid, n, "达标", move=False)
    r = await c.post("/api/assessment/result", json={"lang": "zh"})
    d = await r.json()
    assert r.status == 200 and d["total"] == 99 and d["passed"] is True and d["unanswered_additional"]
    pdf = await c.get(d["report_url"])
    assert pdf.status == 200 and (await pdf.read()).startswith(b"%PDF")


async def test_items_carry_their_english_texts(env):
    """The English page needs the English label, plain requirement, translation and 不适用 clause;
    the Chinese fields stay as they were."""
    from core.assessment import flow
    from core.standards import catalogue as std_mod

    c, keys, _ = env
    await login(c, A, keys[A])
    items = {i["number"]: i for i in (await (await c.get("/api/assessment/state")).json())["items"]}
    for n, row in items.items():
        it = std_mod.item("certified", n)
        assert row["label"] == it.label and row["requirement"] == it.requirement
        assert row["label_en"] == it.label_en and row["requirement_en"] == it.requirement_en
        assert row["plain"] == {"zh": flow.plain_requirement(it, "zh"), "en": flow.plain_requirement(it, "en")}
    assert items[5]["label_en"] == "Internal review of documents"
    assert items[5]["plain"]["en"].startswith("Define the workflow and review guidelines")
    assert items[62]["not_applicable_clause"] == "企业所属报关人员不足5人的不适用本项标准。"
    assert items[62]["not_applicable_clause_en"] == (
        "Not applicable to an enterprise with fewer than 5 customs declaration staff."
    )
    assert items[1]["not_applicable_clause_en"] is None


async def test_a_forged_or_stale_session_sees_nothing(env):
    c, keys, aid = env
    await login(c, A, keys[A])
    cookie = c.session.cookie_jar.filter_cookies(c.make_url("/"))[checklist.COOKIE].value
    # swap the enterprise in the cookie for B's: the signature no longer matches
    _, ts, sig = cookie.split(".")
    forged = base64.urlsafe_b64encode(B.encode()).decode().rstrip("=") + f".{ts}.{sig}"
    c.session.cookie_jar.update_cookies({checklist.COOKIE: forged})
    assert (await c.get("/api/assessment/state")).status == 401
    assert (await c.post("/api/assessment/answer", json={"item": 1, "verdict": "达标"})).status == 401
    assert store.get_answers(B, store.history(B)[0]["id"]) == {}
    # a new access key ends the sessions made with the old one
    c.session.cookie_jar.update_cookies({checklist.COOKIE: cookie})
    assert (await c.get("/api/assessment/state")).status == 200
    access.issue_key(A, replace=True)
    assert (await c.get("/api/assessment/state")).status == 401


async def test_logins_are_rate_limited(env):
    c, _, _ = env
    codes = [(await login(c, A, f"WRNG-KEY{i}")).status for i in range(8)]
    assert codes[:5] == [401] * 5 and 429 in codes[5:]


async def test_bodies_the_parser_rejects_get_400_and_big_ones_413(env):
    """Issue 12, finding 8 on the checklist API: never a 500 for a body."""
    c, _keys, _aid = env
    headers = {"Content-Type": "application/json"}
    for raw in (b"[" * 20_000 + b"]" * 20_000, b'{"code": ' + b"9" * 5000 + b"}", b"\xff\xfe", b"{"):
        r = await c.post("/api/assessment/login", data=raw, headers=headers)
        assert r.status == 400, (raw[:20], r.status)

    async def chunked():
        for _ in range(32):
            yield b" " * 65536

    r = await c.post("/api/assessment/login", data=chunked(), headers=headers)
    assert r.status == 413
