"""The checklist view of a self-assessment: every item of the standard as a list, answered or
changed by click, on the same store as the conversation (mounted by bot/gateway/app.py).

    GET  /assessment                 the page (zh; ?lang=en for English)
    GET  /assessment.js              its script (no build step)
    POST /api/assessment/login       {"code", "key"} -> HttpOnly, SameSite=Strict session cookie
    POST /api/assessment/logout
    GET  /api/assessment/state       the enterprise's open assessment (else its latest): items,
                                     answers, reasons, progress; 401 without a session
    POST /api/assessment/start       {"standard": "advanced"|"certified"} a full assessment
    POST /api/assessment/answer      {"item", "verdict", "reason"?} records or changes one answer
                                     (the conversation's open question stays where it is)
    POST /api/assessment/result      {"lang"} the result of the answers so far and its PDF report

Who may see what is decided here, never by the client: the session cookie names the enterprise
(an HMAC over the code, the time and the enterprise's current access-key hash, so issuing a new
key ends every session), and every store call is filtered by that code. Logins are rate-limited
per client address.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
import time
from pathlib import Path
from typing import Any

from aiohttp import web

from core.assessment import report as report_pdf
from core.assessment import store
from core.assessment.flow import STANDARD_NAMES, plain_requirement
from core.db import create_schema, get_engine, session_scope
from core.enterprise import access as enterprise_access
from core.enterprise import credit_code
from core.enterprise.models import Enterprise
from core.standards import catalogue as std_mod
from core.standards import scoring

from .security import BadJSON, TokenBucketLimiter, client_key, read_json

log = logging.getLogger(__name__)

COOKIE = "assessment_session"
SESSION_HOURS = float(os.environ.get("ASSESSMENT_SESSION_HOURS", "8"))
_SECRET = (os.environ.get("ASSESSMENT_SESSION_SECRET") or secrets.token_hex(32)).encode()
_PUBLIC = Path(__file__).resolve().parents[1] / "web" / "public"
_login_limiter = TokenBucketLimiter(rate=0.2, burst=5)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
NO_STORE = {"Cache-Control": "no-store"}
MAX_BODY = 64 * 1024  # answers and logins are small
GENERAL_CHOICES = [scoring.MET, scoring.BASIC, scoring.NOT_MET, scoring.NA]
ADDITIONAL_CHOICES = [scoring.ADD_MET, scoring.NA]


def _json(payload: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.json_response(
        payload,
        status=status,
        headers={**NO_STORE, **(headers or {})},
        dumps=lambda o: json.dumps(o, ensure_ascii=False),
    )


def _bad(error: str, field: str = "", status: int = 400) -> web.Response:
    return _json({"error": error, "field": field}, status)


# ------------------------------------------------------------------ sessions


def _key_hash(code: str) -> str:
    engine = create_schema(get_engine())
    with session_scope(engine) as s:
        ent = s.get(Enterprise, code)
        return (ent.access_key_hash or "") if ent else ""


def _sign(code: str, ts: str, key_hash: str) -> str:
    msg = f"assessment-session-v1:{code}:{ts}:{key_hash}".encode()
    return hmac.new(_SECRET, msg, hashlib.sha256).hexdigest()


def make_session(code: str, now: float | None = None) -> str:
    ts = str(int(now if now is not None else time.time()))
    c = base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")
    return f"{c}.{ts}.{_sign(code, ts, _key_hash(code))}"


def session_code(request: web.Request) -> str | None:
    """The enterprise this browser has proven (code + key), or None."""
    raw = request.cookies.get(COOKIE) or ""
    parts = raw.split(".")
    if len(parts) != 3:
        return None
    c, ts, sig = parts
    try:
        code = base64.urlsafe_b64decode(c + "=" * (-len(c) % 4)).decode()
        age = time.time() - int(ts)
    except (ValueError, UnicodeDecodeError):
        return None
    if not credit_code.check(code).valid or not 0 <= age <= SESSION_HOURS * 3600:
        return None
    key_hash = _key_hash(code)
    if not key_hash or not hmac.compare_digest(sig, _sign(code, ts, key_hash)):
        return None
    return code


async def _body(request: web.Request) -> dict | web.Response:
    if request.content_type != "application/json":
        return _bad("expected application/json", "body", 415)
    try:
        body = await read_json(request, MAX_BODY)
    except web.HTTPRequestEntityTooLarge:
        return _bad("request body too large", "body", 413)
    except BadJSON:  # malformed, too deeply nested, numbers too long: 400, never 500
        return _bad("body is not valid JSON", "body")
    if not isinstance(body, dict):
        return _bad("body must be a JSON object", "body")
    return body


async def _run(fn, *args, **kwargs):
    return await asyncio.get_running_loop().run_in_executor(None, lambda: fn(*args, **kwargs))


# ------------------------------------------------------------------ handlers


async def page(request: web.Request) -> web.Response:
    lang = "en" if request.query.get("lang", "").lower().startswith("en") else "zh"
    body = (_PUBLIC / "assessment.html").read_text(encoding="utf-8").replace("{{LANG}}", lang)
    return web.Response(
        text=body, content_type="text/html", charset="utf-8", headers={"Content-Security-Policy": CSP, **NO_STORE}
    )


async def script(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        _PUBLIC / "assessment.js",
        headers={"Content-Type": "application/javascript; charset=utf-8", "Cache-Control": "no-cache"},
    )


async def login(request: web.Request) -> web.Response:
    if not _login_limiter.allow(client_key(request)):
        return _bad("too many attempts; wait a minute", "key", 429)
    body = await _body(request)
    if isinstance(body, web.Response):
        return body
    chk = credit_code.check(str(body.get("code") or ""))
    if not chk.valid:
        return _bad(chk.reason["en"], "code")
    key = str(body.get("key") or "")[:40]
    # One key, failures counted per enterprise and per client in the database (as in the chat).
    verdict = await _run(enterprise_access.check, chk.code, key, f"checklist:{client_key(request)}")
    if verdict.reason == "wait":
        return _bad(f"too many wrong keys; wait {int(verdict.wait_seconds) + 1} s", "key", 429)
    if not verdict.ok:
        return _bad("code and access key do not match", "key", 401)
    resp = _json({"ok": True})
    resp.set_cookie(
        COOKIE,
        await _run(make_session, chk.code),
        max_age=int(SESSION_HOURS * 3600),
        httponly=True,
        samesite="Strict",
        secure=request.secure,
        path="/",
    )
    return resp


async def logout(request: web.Request) -> web.Response:
    resp = _json({"ok": True})
    resp.del_cookie(COOKIE, path="/")
    return resp


def _pick(code: str) -> dict | None:
    """The enterprise's open assessment (the one the conversation works on), else its latest."""
    hist = [a for a in store.history(code) if a["standard"] in ("advanced", "certified")]
    for a in hist:
        if a["status"] in ("in_progress", "paused"):
            return a
    return hist[0] if hist else None


def _item_rows(a: dict, rows: dict) -> list:
    order = store.scope_items(a["standard"], a["mode"], a.get("business_types"))
    out = []
    for n in order:
        it = std_mod.item(a["standard"], n)
        ans = rows.get(n) or {}
        out.append(
            {
                "number": n,
                "dimension": it.dimension,
                "dimension_en": std_mod.dimension_name(it.dimension, "en"),
                "label": it.label,
                "label_en": it.label_en,
                "plain": {"zh": plain_requirement(it, "zh"), "en": plain_requirement(it, "en")},
                "requirement": it.requirement,
                "requirement_en": it.requirement_en,
                "additional": it.additional,
                "choices": ADDITIONAL_CHOICES if it.additional else GENERAL_CHOICES,
                "reason_needed": scoring.reason_needed(it),
                "not_applicable_clause": it.not_applicable,
                "not_applicable_clause_en": it.clause_en("not_applicable"),
                "verdict": ans.get("verdict"),
                "reason": ans.get("reason"),
            }
        )
    return out


def _state(code: str) -> dict:
    a = _pick(code)
    out: dict = {
        "enterprise": {"code": code, "name": store.enterprise_name(code)},
        "assessment": None,
        "items": [],
        "standards": {k: v for k, v in STANDARD_NAMES.items() if k != "individual"},
    }
    if a is None:
        return out
    st = store.get_state(code, a["id"])
    rows = store.answer_rows(code, a["id"])
    st["standard_name"] = STANDARD_NAMES[a["standard"]]
    st["read_only"] = st["status"] == "completed"
    out["assessment"] = st
    out["items"] = _item_rows(a, rows)
    out["result"] = a.get("result") if st["read_only"] else None
    return out


def _enterprise_api(handler):
    """A handler for the enterprise this browser has proven: ``handler(code, body)`` with the
    session's code and the JSON body ({} for GET); 401 without a session."""

    async def wrapped(request: web.Request) -> web.Response:
        code = session_code(request)
        if code is None:
            return _bad("login with the credit code and access key", "session", 401)
        body: dict | web.Response = {}
        if request.method == "POST":
            body = await _body(request)
            if isinstance(body, web.Response):
                return body
        return await handler(code, body)

    return wrapped


@_enterprise_api
async def state(code: str, body: dict) -> web.Response:
    return _json(await _run(_state, code))


@_enterprise_api
async def start(code: str, body: dict) -> web.Response:
    standard = body.get("standard")
    if standard not in ("advanced", "certified"):
        return _bad("standard must be advanced or certified", "standard")
    await _run(store.start_or_resume, code, "", standard, None, "full")
    return _json(await _run(_state, code))


def _record(code: str, item: int, verdict: str, reason: str | None) -> dict:
    a = _pick(code)
    if a is None or a["status"] == "completed":
        raise store.AssessmentStateError("no open assessment: start one first", "assessment")
    store.record_answer(code, a["id"], item, verdict, move=False, reason=reason)
    rows = store.answer_rows(code, a["id"])
    st = store.get_state(code, a["id"])
    row = next(r for r in _item_rows(a, rows) if r["number"] == item)
    return {"item": row, "answered": st["answered"], "total": st["total"]}


@_enterprise_api
async def answer(code: str, body: dict) -> web.Response:
    item, verdict, reason = body.get("item"), body.get("verdict"), body.get("reason")
    if not isinstance(item, int) or isinstance(item, bool):
        return _bad("item must be an item number", "item")
    if not isinstance(verdict, str):
        return _bad("verdict must be a string", "verdict")
    if reason is not None and not isinstance(reason, str):
        return _bad("reason must be a string", "reason")
    try:
        return _json(await _run(_record, code, item, verdict, reason))
    except scoring.ScoringError as exc:
        return _bad(exc.message, "item" if isinstance(exc, scoring.UnknownItem) else "verdict")
    except store.AssessmentStateError as exc:
        return _bad(str(exc), exc.field or "assessment", 409)


def _result(code: str, lang: str) -> dict:
    a = _pick(code)
    if a is None:
        raise store.AssessmentStateError("no assessment yet", "assessment")
    rows = store.answer_rows(code, a["id"])
    res = scoring.score(
        a["standard"],
        {n: r["verdict"] for n, r in rows.items()},
        a["rule_set"],
        scope=store.scope_items(a["standard"], a["mode"]),
        reasons={n: r["reason"] for n, r in rows.items() if r.get("reason")},
        mode=a["mode"],
    ).to_dict()
    res["assessment_id"] = a["id"]
    res["mode"] = a["mode"]
    token = report_pdf.save_report(res, {"name": store.enterprise_name(code), "code": code}, lang=lang)
    res["report_url"] = f"/api/reports/{token}.pdf"
    return res


@_enterprise_api
async def result(code: str, body: dict) -> web.Response:
    lang = "en" if body.get("lang") == "en" else "zh"
    try:
        return _json(await _run(_result, code, lang))
    except store.AssessmentStateError as exc:
        return _bad(str(exc), exc.field or "assessment", 409)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/assessment", page)
    app.router.add_get("/assessment.js", script)
    app.router.add_post("/api/assessment/login", login)
    app.router.add_post("/api/assessment/logout", logout)
    app.router.add_get("/api/assessment/state", state)
    app.router.add_post("/api/assessment/start", start)
    app.router.add_post("/api/assessment/answer", answer)
    app.router.add_post("/api/assessment/result", result)
