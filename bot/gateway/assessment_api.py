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
GET /api/reports/{token}.pdf  -> the stored PDF (404 for an unknown or malformed token).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import urllib.parse
from typing import Any

from aiohttp import web

from core.assessment import report as report_pdf
from core.enterprise import credit_code
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


async def score_handler(request: web.Request) -> web.Response:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _bad("request body too large", "body", 413)
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _bad("body is not valid JSON", "body")
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
        ent: dict[str, Any] = {"name": str(opts.get("enterprise_name") or "")[:200]}
        code = opts.get("enterprise_code")
        if code:
            chk = credit_code.check(str(code))
            if not chk.valid:
                return _bad(chk.reason["en"], "report.enterprise_code")
            ent["code"] = chk.code
        lang = "en" if opts.get("lang") == "en" else "zh"
        loop = asyncio.get_running_loop()
        token = await loop.run_in_executor(None, lambda: report_pdf.save_report(result.to_dict(), ent, lang))
        payload["report_url"] = f"/api/reports/{token}.pdf"
    return _ok(payload)


async def report_handler(request: web.Request) -> web.StreamResponse:
    token = request.match_info.get("token", "")
    path = report_pdf.report_file(token)
    if path is None:
        return _bad("report not found", "token", 404)
    return web.FileResponse(
        path,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": content_disposition(report_pdf.download_name(token)),
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


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/assessments/score", score_handler)
    app.router.add_get(r"/api/reports/{token:[A-Za-z0-9_-]+}.pdf", report_handler)
