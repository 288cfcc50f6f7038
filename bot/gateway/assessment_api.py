"""HTTP API of the self-assessment (mounted by bot/gateway/app.py through add_routes).

POST /api/assessments/score
    {"standard": "advanced"|"certified"|"individual", "rule_set": optional id,
     "answers": {"1": "达标", "5": {"verdict": "不适用", "reason": "..."}, ...},
     "reasons": optional {"5": "..."} (why items do not apply),
     "business_types": optional [..] (individual standard),
     "report": optional {"enterprise_name": .., "enterprise_code": .., "lang": "zh"|"en"} or true}
    -> 200 {"total", "passed", "complete", "rule_set", "failed_conditions", "dimensions", "gaps",
            "counts", "unanswered", "unanswered_additional", "additional_points", "not_applicable",
            "scope", "notes"[, "report_url"]}
    Any general item may be answered 不适用 (with its reason); additional items 符合 / 不适用
    (不符合 counts as 不适用); unanswered additional items never block a pass
    (knowledge/scoring/rule_sets.yaml, answer_rules).
    -> 400 {"error": "...", "field": "..."} for a non-JSON body, wrong standard/rule set,
       unknown items or values.
    A report naming an enterprise needs the enterprise's binding: the header
    ``X-Session-Id`` carries a session token (bot/channels/session_token.py)
    whose conversation the server has bound to ``enterprise_code``; otherwise
    403. Without ``enterprise_code`` the report is anonymous (a client-given
    name is ignored). Reports are rate limited per client (429) and at most
    GATEWAY_MAX_CONCURRENT_REPORTS are built at once (503 when busy).
GET /api/reports/{token}.pdf  -> the stored PDF (404 for an unknown, malformed or expired token;
    reports live in the database for REPORT_TTL_DAYS, default 7).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import urllib.parse
from typing import Any

from aiohttp import web

from bot.channels import session_token
from bot.gateway.config import GatewayConfig
from bot.gateway.security import BadJSON, TokenBucketLimiter, client_key, read_json
from core.assessment import report as report_pdf
from core.enterprise import binding, credit_code
from core.standards import catalogue as std_mod
from core.standards import scoring

log = logging.getLogger(__name__)

MAX_ANSWERS = 500
RESULT_KEYS = (
    "standard",
    "total",
    "passed",
    "complete",
    "rule_set",
    "failed_conditions",
    "dimensions",
    "gaps",
    "counts",
    "unanswered",
    "unanswered_additional",
    "additional_points",
    "not_applicable",
    "scope",
    "notes",
)


def _bad(error: str, field: str = "", status: int = 400) -> web.Response:
    return web.json_response(
        {"error": error, "field": field}, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
    )


def _ok(payload: dict) -> web.Response:
    return web.json_response(payload, dumps=lambda o: json.dumps(o, ensure_ascii=False))


class ReportLimits:
    def __init__(self, cfg: GatewayConfig):
        per_min = max(0.1, cfg.report_rate_per_min)
        self.rate = TokenBucketLimiter(per_min / 60.0, max(1, int(per_min)))
        self.builds = asyncio.Semaphore(cfg.max_concurrent_reports)
        self.cfg = cfg


async def _bound_enterprise(request: web.Request, cfg: GatewayConfig) -> str | None:
    if not cfg.session_secret:
        return None
    sender = session_token.verify(request.headers.get("X-Session-Id", ""), cfg.session_secret.encode())
    if sender is None:
        return None
    return await asyncio.to_thread(binding.bound_code, sender)


def _enterprise_name(code: str) -> str:
    from core.db import create_schema, get_engine, session_scope
    from core.enterprise.models import Enterprise

    with session_scope(create_schema(get_engine())) as s:
        ent = s.get(Enterprise, code)
        return ent.name if ent else ""


def score_handler_for(limits: ReportLimits):
    cfg = limits.cfg

    async def score_handler(request: web.Request) -> web.Response:
        try:
            body = await read_json(request, cfg.max_body_bytes)
        except web.HTTPRequestEntityTooLarge:
            return _bad("request body too large", "body", 413)
        except BadJSON as exc:
            return _bad(str(exc), "body")
        if not isinstance(body, dict):
            return _bad("body must be a JSON object", "body")
        standard = body.get("standard")
        if not isinstance(standard, str) or standard not in std_mod.load_catalog().standards:
            known = ", ".join(std_mod.load_catalog().standards)
            return _bad(f"standard must be one of: {known}", "standard")
        rule_set = body.get("rule_set")
        if rule_set is not None and not isinstance(rule_set, str):
            return _bad("rule_set must be a string", "rule_set")
        answers = body.get("answers")
        if not isinstance(answers, dict):
            return _bad("answers must be an object mapping item number to verdict", "answers")
        if len(answers) > MAX_ANSWERS:
            return _bad("too many answers", "answers")
        bts = body.get("business_types")
        if bts is not None and (not isinstance(bts, list) or not all(isinstance(x, str) for x in bts)):
            return _bad("business_types must be a list of strings", "business_types")
        reasons = body.get("reasons")
        if reasons is not None and (
            not isinstance(reasons, dict) or not all(isinstance(v, str) and len(v) <= 1000 for v in reasons.values())
        ):
            return _bad("reasons must map item numbers to short texts", "reasons")
        report = body.get("report")
        if report is not None and not isinstance(report, bool | dict):
            return _bad("report must be true or an object", "report")
        try:
            result = scoring.score(standard, answers, rule_set, business_types=bts, reasons=reasons)
        except scoring.ScoringError as exc:
            return _bad(exc.message, exc.field or "answers")
        payload = {k: v for k, v in result.to_dict().items() if k in RESULT_KEYS}
        if report:
            opts = report if isinstance(report, dict) else {}
            ent: dict[str, Any] = {"name": ""}
            code = opts.get("enterprise_code")
            if code:
                chk = credit_code.check(str(code))
                if not chk.valid:
                    return _bad(chk.reason["en"], "report.enterprise_code")
                if await _bound_enterprise(request, cfg) != chk.code:
                    return _bad(
                        "a report naming an enterprise needs a session bound to it (X-Session-Id); "
                        "leave out enterprise_code for an anonymous report",
                        "report.enterprise_code",
                        403,
                    )
                ent = {"code": chk.code, "name": await asyncio.to_thread(_enterprise_name, chk.code)}
            if not limits.rate.allow(client_key(request, cfg.trust_proxy, cfg.trusted_proxy_hops)):
                return _bad("too many reports; please wait a minute", "report", 429)
            lang = "en" if opts.get("lang") == "en" else "zh"
            try:
                await asyncio.wait_for(limits.builds.acquire(), timeout=5)
            except asyncio.TimeoutError:
                return _bad("the report builder is busy; please try again shortly", "report", 503)
            try:
                token = await asyncio.to_thread(report_pdf.save_report, result.to_dict(), ent, lang)
            finally:
                limits.builds.release()
            payload["report_url"] = f"/api/reports/{token}.pdf"
        return _ok(payload)

    return score_handler


async def report_handler(request: web.Request) -> web.Response:
    token = request.match_info.get("token", "")
    found = await asyncio.to_thread(report_pdf.stored_report, token)
    if found is None:
        return _bad("report not found (or expired)", "token", 404)
    data, filename = found
    return web.Response(
        body=data,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": content_disposition(filename),
            "Cache-Control": "private, no-store",
        },
    )


def content_disposition(filename: str, kind: str = "inline") -> str:
    """``inline; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`` (RFC 6266 / 5987)."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename.encode("ascii", "ignore").decode()).strip("_.")
    if not ascii_name.lower().endswith(".pdf") or len(ascii_name) < 5:
        ascii_name = "report.pdf"
    ascii_name = "self-assessment_" + ascii_name if not ascii_name.startswith("self-assessment") else ascii_name
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"


def add_routes(app: web.Application, cfg: GatewayConfig | None = None) -> None:
    from bot.gateway.app import CONFIG_KEY

    cfg = cfg or app.get(CONFIG_KEY) or GatewayConfig.from_env()
    app.router.add_post("/api/assessments/score", score_handler_for(ReportLimits(cfg)))
    app.router.add_get(r"/api/reports/{token:[A-Za-z0-9_-]+}.pdf", report_handler)
