"""Officer and editor areas on the real gateway app with a real (SQLite) database:
separate roles, audit log, cases answered and delivered (WeChat push through the
stand-in API; web sessions only to their own session), review page, cohort view
and its CSVs."""

from __future__ import annotations

import csv
import io
import json

import pytest
import pytest_asyncio

from core.audit import store as audit
from core.cases import store as cases
from core.cohort.demo import load_demo_cohort
from core.db import create_schema, get_engine
from core.feedback import store as fb
from core.knowledge.loader import load_knowledge
from tests.channels.wechat_standins import close_env, make_env

OFFICER = "officer-token-123456"
EDITOR = "editor-token-654321"


@pytest_asyncio.fixture
async def env(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'gw.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("OFFICER_TOKEN", OFFICER)
    monkeypatch.setenv("EDITOR_TOKEN", EDITOR)
    engine = create_schema(get_engine(url))
    load_knowledge(engine=engine)
    e = await make_env(aes=False)
    e.engine = engine
    yield e
    await close_env(e)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def test_roles_are_separate_and_audited(env):
    c = env.client
    assert (await c.get("/officer/cases", headers=auth(OFFICER))).status == 200
    assert (await c.get("/review", headers=auth(EDITOR))).status == 200
    # an editor token never opens officer pages, nor the other way round
    for path in ("/officer", "/officer/cases", "/officer/cohort", "/officer/cohort.csv", "/officer/audit"):
        r = await c.get(path, headers=auth(EDITOR))
        assert r.status == 401, path
    assert (await c.get("/review", headers=auth(OFFICER))).status == 401
    assert (await c.get("/review")).status == 401
    # an officer session cookie does not open the review page
    r = await c.post("/officer/login", data={"token": OFFICER}, allow_redirects=False)
    assert r.status == 303
    cookie = r.cookies["officer_session"].value
    r = await c.get("/review", cookies={"editor_session": cookie})
    assert r.status == 401
    entries = audit.recent(50, engine=env.engine)
    actions = {(e["role"], e["action"], e["outcome"]) for e in entries}
    assert ("officer", "view_cases", "200") in actions and ("editor", "view_review", "200") in actions
    assert ("officer", "auth", "wrong_token") in actions and ("officer", "GET /officer", "401 wrong") in actions
    assert any(a[:2] == ("officer", "POST /officer/login") and a[2].startswith("303") for a in actions)


async def test_same_token_for_both_roles_disables_the_editor(env, monkeypatch):
    monkeypatch.setenv("EDITOR_TOKEN", OFFICER)
    r = await env.client.get("/review", headers=auth(OFFICER))
    assert r.status == 503 and "editor access not configured" in await r.text()


async def test_wechat_case_answer_is_pushed_to_that_user_only(env):
    c, _ = cases.open_case("wechat_mp:openid-alice", "报关单填错了怎么改？", channel="wechat_mp", engine=env.engine)
    other, _ = cases.open_case("wechat_mp:openid-bob", "另一个问题", channel="wechat_mp", engine=env.engine)
    page = await (await env.client.get("/officer/cases", headers=auth(OFFICER))).text()
    assert c["number"] in page and "报关单填错了怎么改？" in page
    r = await env.client.post(
        f"/officer/cases/{c['id']}/answer",
        data={"answer": "请向申报地海关提交报关单修改申请。"},
        headers=auth(OFFICER),
        allow_redirects=False,
    )
    assert r.status == 303 and "answered" in r.headers["Location"]
    sent = await env.wait_sent(1)
    assert len(sent) == 1 and sent[0]["touser"] == "openid-alice"
    assert c["number"] in sent[0]["text"]["content"] and "报关单修改申请" in sent[0]["text"]["content"]
    got = cases.get_case(c["id"], engine=env.engine)
    assert got["status"] == "answered" and got["delivered_via"] == "wechat_mp"
    assert cases.get_case(other["id"], engine=env.engine)["status"] == "open"
    # an empty answer is refused with a message, nothing sent
    r = await env.client.post(f"/officer/cases/{other['id']}/answer", data={"answer": " "}, headers=auth(OFFICER))
    assert r.status == 400 and "empty" in await r.text()
    assert len(env.api.sent) == 1
    # close it
    r = await env.client.post(f"/officer/cases/{c['id']}/close", headers=auth(OFFICER), allow_redirects=False)
    assert r.status == 303 and cases.get_case(c["id"], engine=env.engine)["status"] == "closed"
    assert any(
        e["action"] == "deliver_case_answer" and e["outcome"] == "pushed" for e in audit.recent(engine=env.engine)
    )


async def test_web_case_answer_only_to_its_session(env):
    c, token = cases.open_case("sess-A", "ERP 系统要求是什么", channel="web", engine=env.engine)
    cases.answer_case(c["id"], "见标准第23项。", engine=env.engine)
    from bot.channels import session_token
    from tests.channels.wechat_standins import SESSION_SECRET

    def signed(sender: str) -> str:
        return session_token.sign(sender, SESSION_SECRET.encode())

    poll = "/api/cases/session"
    # the attack: another session, an unsigned or forged id, the case number, or a malformed body get nothing
    r = await env.client.post(poll, json={"session_id": signed("sess-B")})
    assert r.status == 200 and (await r.json())["answers"] == []
    for forged in ("sess-A", signed("sess-A")[:-1] + "x", c["number"], str(c["id"])):
        r = await env.client.post(poll, json={"session_id": forged})
        assert r.status == 403 and "answers" not in await r.json()
    assert (await env.client.post(poll, data="not json")).status == 400
    assert (await env.client.post(poll, json={"session_id": ""})).status == 400
    body = json.dumps({"session_id": signed("sess-A")})
    r = await env.client.post(poll, data=body, headers={"Content-Type": "text/plain"})
    answers = (await r.json())["answers"]
    assert len(answers) == 1 and "见标准第23项。" in answers[0]["text"] and answers[0]["number"] == c["number"]
    # the case page: only with the token given to the conversation
    r = await env.client.get(f"/case/{token}")
    assert r.status == 200 and "见标准第23项。" in await r.text()
    r = await env.client.get("/case/" + "A" * 24)
    assert r.status == 404 and "见标准" not in await r.text()


async def test_review_page_groups_and_exports(env):
    for i, q in enumerate(["失信企业怎么修复信用", "失信了怎样才能修复信用", "今天天气怎么样"]):
        fb.record_answer(f"s{i}", q, "not_found" if i != 1 else "suggestions", engine=env.engine)
    aid = fb.record_answer("s9", "被列为失信企业后怎么修复", "answer", entry_ids=["x"], engine=env.engine)
    fb.record_feedback(aid, "s9", rating="down", reason="off_topic", engine=env.engine)
    c, _ = cases.open_case("sess-1", "AEO 证书丢了怎么办", engine=env.engine)
    cases.answer_case(c["id"], "可向主管海关申请补发。", engine=env.engine)
    r = await env.client.get("/review", headers=auth(EDITOR))
    text = await r.text()
    import re

    counts = sorted(re.findall(r"（(\d+) 次 / times）", text))
    assert r.status == 200 and counts == ["1", "3"], (counts, re.findall(r"<h2 id=\"g-[^>]*>([^<]*)", text))
    assert "答非所问 1" in text and "/review/entry/" in text

    export = re.search(r'href="(/review/groups/[^"]+/dev_questions.yml)"', text).group(1)
    r = await env.client.get(export, headers=auth(EDITOR))
    assert r.status == 200 and "cases:" in await r.text()
    entry = re.search(r'href="(/review/entry/[^"]+)"', text).group(1)
    r = await env.client.get(entry, headers=auth(EDITOR))
    assert r.status == 200 and "中文答案" in await r.text()
    r = await env.client.get(f"/review/cases/{c['id']}/draft.yaml", headers=auth(EDITOR))
    assert r.status == 200 and "可向主管海关申请补发。" in await r.text()
    assert (await env.client.get("/review/entry/no.such.entry", headers=auth(EDITOR))).status == 404


async def test_cohort_view_and_csv(env):
    load_demo_cohort(engine=env.engine)
    r = await env.client.get("/officer/cohort", headers=auth(OFFICER))
    text = await r.text()
    assert r.status == 200 and 'id="chart-heatmap"' in text and 'src="/cohort.js"' in text
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "示例电子科技有限公司（演示数据）" in text
    r = await env.client.get("/officer/cohort.csv?table=items", headers=auth(OFFICER))
    rows = list(csv.DictReader(io.StringIO((await r.read()).decode("utf-8-sig"))))
    assert rows and int(rows[0]["fail"]) >= int(rows[-1]["fail"]) and rows[0]["dimension"]
    for table in ("distribution", "movement", "overdue", "reach"):
        r = await env.client.get(f"/officer/cohort.csv?table={table}", headers=auth(OFFICER))
        assert r.status == 200 and r.headers["Content-Type"].startswith("text/csv"), table
    dist = list(
        csv.DictReader(
            io.StringIO(
                (
                    await (await env.client.get("/officer/cohort.csv?table=distribution", headers=auth(OFFICER))).read()
                ).decode("utf-8-sig")
            )
        )
    )
    assert sum(int(d["count"]) for d in dist) == 6
    # district filter narrows to that district's two demo enterprises
    r = await env.client.get("/officer/cohort.csv?table=movement&district=深圳关区", headers=auth(OFFICER))
    moved = list(csv.DictReader(io.StringIO((await r.read()).decode("utf-8-sig"))))
    assert len(moved) == 2 and {m["district"] for m in moved} == {"深圳关区"}
    # bad filters get a clear message
    r = await env.client.get("/officer/cohort.csv?table=items&from=yesterday", headers=auth(OFFICER))
    assert r.status == 400 and "from" in (await r.json())["message"]
    r = await env.client.get("/officer/cohort.csv?table=secrets", headers=auth(OFFICER))
    assert r.status == 400
    # a revoked consent leaves the cohort
    from core.cohort.demo import demo_codes
    from core.cultivation import store as cs

    cs.revoke_consent(demo_codes()[0], engine=env.engine)
    r = await env.client.get("/officer/cohort.csv?table=movement", headers=auth(OFFICER))
    body = (await r.read()).decode("utf-8-sig")
    assert demo_codes()[0] not in body and demo_codes()[1] in body


@pytest.mark.parametrize("path", ["/officer/cases", "/officer/cohort", "/review"])
async def test_staff_pages_need_configuration(env, monkeypatch, path):
    monkeypatch.delenv("OFFICER_TOKEN")
    monkeypatch.delenv("EDITOR_TOKEN")
    r = await env.client.get(path, headers=auth("anything"))
    assert r.status == 503
