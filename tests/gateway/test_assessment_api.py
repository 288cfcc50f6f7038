"""POST /api/assessments/score and GET /api/reports/{token}.pdf"""

import datetime as dt
import re
import urllib.parse

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.channels import session_token
from bot.gateway import assessment_api
from bot.gateway.config import GatewayConfig
from core.assessment import report_store
from core.enterprise import access, binding, credit_code

SECRET = "assessment-api-test-session-secret"


@pytest.fixture
async def client(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'api.db'}")
    app = web.Application()
    assessment_api.add_routes(app, GatewayConfig(session_secret=SECRET, report_rate_per_min=5))
    c = TestClient(TestServer(app))
    await c.start_server()
    yield c
    await c.close()


def all_met(n=74, additional=range(69, 75)):
    return {str(i): ("不符合" if i in additional else "达标") for i in range(1, n + 1)}


async def test_score_ok(client):
    ans = all_met()
    ans["5"] = "基本达标"
    r = await client.post("/api/assessments/score", json={"standard": "advanced", "answers": ans})
    assert r.status == 200
    d = await r.json()
    assert d["total"] == 99 and d["passed"] is True
    assert d["rule_set"]["id"] == "official_last_published"
    assert d["failed_conditions"] == [] and d["gaps"][0]["item"] == 5
    assert set(d["dimensions"]) == {"内部控制", "财务状况", "守法规范", "贸易安全", "附加标准"}


async def test_score_vendor_and_certified(client):
    ans = all_met(62, range(57, 63))
    ans["57"] = "符合"
    r = await client.post(
        "/api/assessments/score", json={"standard": "certified", "rule_set": "vendor_reported_2026", "answers": ans}
    )
    d = await r.json()
    assert r.status == 200 and d["total"] == 101 and d["rule_set"]["verified"] is False


async def test_partial_answers_not_passed(client):
    r = await client.post("/api/assessments/score", json={"standard": "advanced", "answers": {"1": "达标"}})
    d = await r.json()
    assert r.status == 200 and d["passed"] is False and len(d["unanswered"]) == 67
    assert d["unanswered_additional"] == [69, 70, 71, 72, 73, 74]


async def test_not_applicable_on_general_and_additional_items_74_and_62(client):
    """The issue's requests: 不适用 on item 9 (general) and 69 (additional) were refused with 400."""
    ans = {str(i): "达标" for i in range(1, 69)}
    ans["9"] = {"verdict": "不适用", "reason": "不涉及信息系统"}
    ans["36"] = "不适用"
    ans.update({str(i): "不适用" for i in range(69, 75)})
    body = {"standard": "advanced", "answers": ans, "reasons": {"36": "没有自有车辆"}}
    r = await client.post("/api/assessments/score", json=body)
    d = await r.json()
    assert r.status == 200, d
    assert d["total"] == 100 and d["passed"] is True and d["complete"] is True
    reasons = {n["item"]: n["reason"] for n in d["not_applicable"]}
    assert reasons[9] == "不涉及信息系统" and reasons[36] == "没有自有车辆" and reasons[69] is None
    assert d["counts"]["不适用"] == 8
    # 62 items: additional items left unanswered or 不符合 never block a pass
    cert = {str(i): "达标" for i in range(1, 57)}
    cert["45"] = "不适用"
    cert["57"], cert["58"] = "符合", "不符合"
    r = await client.post("/api/assessments/score", json={"standard": "certified", "answers": cert})
    d = await r.json()
    assert r.status == 200 and d["passed"] is True and d["total"] == 102
    assert d["unanswered"] == [] and d["unanswered_additional"] == [59, 60, 61, 62]
    assert d["scope"]["partial"] is False


@pytest.mark.parametrize(
    "body,field",
    [
        ({"standard": "gold", "answers": {}}, "standard"),
        ({"answers": {}}, "standard"),
        ({"standard": "advanced"}, "answers"),
        ({"standard": "advanced", "answers": ["达标"]}, "answers"),
        ({"standard": "advanced", "answers": {"75": "达标"}}, "answers.75"),
        ({"standard": "advanced", "answers": {"abc": "达标"}}, "answers.abc"),
        # canonical ASCII item numbers only (finding 8)
        ({"standard": "advanced", "answers": {"１": "达标"}}, "answers.１"),
        ({"standard": "advanced", "answers": {"١": "达标"}}, "answers.١"),
        ({"standard": "advanced", "answers": {"01": "达标"}}, "answers.01"),
        ({"standard": "advanced", "answers": {" 1": "达标"}}, "answers. 1"),
        ({"standard": "advanced", "answers": {"3": "很好"}}, "answers.3"),
        ({"standard": "advanced", "answers": {"3": 1}}, "answers.3"),
        ({"standard": "advanced", "answers": {"5": {"verdict": "不适用", "reason": 5}}}, "answers.5.reason"),
        ({"standard": "advanced", "answers": {}, "reasons": ["x"]}, "reasons"),
        ({"standard": "advanced", "answers": {"70": "基本达标"}}, "answers.70"),
        ({"standard": "advanced", "rule_set": "nope", "answers": {}}, "rule_set"),
        ({"standard": "advanced", "rule_set": 5, "answers": {}}, "rule_set"),
        ({"standard": "individual", "business_types": ["x"], "answers": {}}, "business_types"),
        ({"standard": "advanced", "answers": {}, "report": {"enterprise_code": "123"}}, "report.enterprise_code"),
    ],
)
async def test_bad_requests(client, body, field):
    r = await client.post("/api/assessments/score", json=body)
    assert r.status == 400
    d = await r.json()
    assert d["field"] == field and d["error"]


@pytest.mark.parametrize("raw", [b"not json", b"", b"[1, 2]", b"\xff\xfe", b'"text"'])
async def test_non_json(client, raw):
    r = await client.post("/api/assessments/score", data=raw, headers={"Content-Type": "application/json"})
    assert r.status == 400 and (await r.json())["field"] == "body"


async def test_anonymous_report_roundtrip(client):
    body = {"standard": "advanced", "answers": all_met(), "report": {"enterprise_name": "示例公司"}}
    r = await client.post("/api/assessments/score", json=body)
    d = await r.json()
    assert r.status == 200 and d["report_url"].startswith("/api/reports/")
    pdf = await client.get(d["report_url"])
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    data = await pdf.read()
    assert data.startswith(b"%PDF")
    assert "示例公司" not in _pdf_text(data)  # no binding: no enterprise name
    # RFC 6266 / 5987: an ASCII fallback and the real name 自评报告_<date>.pdf
    cd = pdf.headers["Content-Disposition"]
    name = urllib.parse.unquote(cd.split("filename*=UTF-8''", 1)[1])
    assert re.fullmatch(r"自评报告_\d{4}-\d{2}-\d{2}\.pdf", name), cd
    assert re.search(r'filename="self-assessment_\d{4}-\d{2}-\d{2}\.pdf"', cd), cd


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


async def test_report_for_an_unbound_enterprise_is_refused(client):
    """Finding 6: a report naming an enterprise needs the enterprise's binding."""
    victim = credit_code.generate(seed=601)
    access.issue_key(victim, "受害企业有限公司")
    binding.bind("victims-own-chat", victim)
    body = {"standard": "advanced", "answers": all_met(), "report": {"enterprise_code": victim}}
    attacker = session_token.sign("attackers-chat", SECRET.encode())
    forged = "victims-own-chat_" + "0" * 32  # the victim's sender id without the server's signature
    for headers in ({}, {"X-Session-Id": attacker}, {"X-Session-Id": forged}):
        r = await client.post("/api/assessments/score", json=body, headers=headers)
        assert r.status == 403 and (await r.json())["field"] == "report.enterprise_code"
    # the enterprise's own conversation gets it, with the name from the database
    own = session_token.sign("victims-own-chat", SECRET.encode())
    r = await client.post("/api/assessments/score", json=body, headers={"X-Session-Id": own})
    assert r.status == 200
    pdf = await client.get((await r.json())["report_url"])
    assert "受害企业有限公司" in _pdf_text(await pdf.read())
    assert "自评报告_受害企业有限公司_" in urllib.parse.unquote(pdf.headers["Content-Disposition"])


async def test_reports_are_rate_limited_and_expire(client, monkeypatch):
    body = {"standard": "advanced", "answers": all_met(), "report": True}
    codes = [(await client.post("/api/assessments/score", json=body)).status for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    # scoring without a report is not limited
    assert (await client.post("/api/assessments/score", json={"standard": "advanced", "answers": {}})).status == 200
    token = report_store.put(b"%PDF-1.4 old", None, now=dt.datetime(2020, 1, 1))
    assert (await client.get(f"/api/reports/{token}.pdf")).status == 404  # 7 days later: gone


async def test_bodies_are_read_in_full_up_to_the_limit(client):
    """Finding 8: a valid body larger than one network chunk is read whole; a
    chunked body above the limit gets 413; JSON the parser rejects gets 400."""
    big = {"standard": "advanced", "answers": {}, "padding": "x" * 600_000}
    r = await client.post("/api/assessments/score", json=big)
    assert r.status == 200, await r.text()

    async def chunked(total: int):
        for _ in range(total // 65536):
            yield b" " * 65536

    r = await client.post(
        "/api/assessments/score", data=chunked(2 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )
    assert r.status == 413
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"standard": ' + b"9" * 5000 + b"}"):
        r = await client.post("/api/assessments/score", data=raw, headers={"Content-Type": "application/json"})
        assert r.status == 400 and (await r.json())["field"] == "body"


@pytest.mark.parametrize(
    "path", ["/api/reports/" + "A" * 32 + ".pdf", "/api/reports/short.pdf", "/api/reports/..%2F..%2Fetc%2Fpasswd.pdf"]
)
async def test_report_not_found(client, path):
    r = await client.get(path)
    assert r.status == 404


async def test_a_report_made_by_another_process_downloads_from_another_directory(client, tmp_path, monkeypatch):
    """Issue 10: the action server (here a separate process in its own working directory) makes
    the report; the gateway, running in a different working directory with no shared disk but the
    database, serves it."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    maker_dir, gateway_dir = tmp_path / "action-server", tmp_path / "gateway"
    maker_dir.mkdir()
    gateway_dir.mkdir()
    script = (
        "import json, sys\n"
        "from core.standards import scoring\n"
        "from core.assessment import report\n"
        "res = scoring.score('certified', {n: '达标' for n in range(1, 57)}).to_dict()\n"
        "print(json.dumps({'token': report.save_report(res, {}, 'zh')}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(root), DATABASE_URL=os.environ["DATABASE_URL"])
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=maker_dir, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    token = json.loads(proc.stdout.strip().splitlines()[-1])["token"]
    assert not list(maker_dir.rglob("*.pdf"))  # nothing on the maker's disk
    monkeypatch.chdir(gateway_dir)
    r = await client.get(f"/api/reports/{token}.pdf")
    assert r.status == 200 and (await r.read()).startswith(b"%PDF")
