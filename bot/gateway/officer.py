"""Customs officer page: enterprises under credit cultivation that have
consented to share their progress with customs.

    GET  /officer             HTML table (auth required)
    GET  /officer/export.csv  the same rows as CSV (auth required)
    GET  /officer/keys        every access key, first claims "not yet confirmed by customs" first
    GET  /officer/login       login form;  POST /officer/login  (field "token")
    POST /officer/logout
    POST /officer/enterprises/{code}/confirm   confirm an enterprise's own first claim of its key
    POST /officer/enterprises/{code}/reissue   new key for a verified contact (field "contact"):
                                               every conversation bound to the enterprise loses it

Regaining control: the access key goes to whoever first gives an enterprise's
(public) code. Such a claim is listed as "not yet confirmed by customs" until
an officer confirms it; the real enterprise, through its customs office, gets
a re-issued key, which voids the old key and every binding made with it.

Auth: the ``OFFICER_TOKEN`` environment variable. Either an
``Authorization: Bearer <token>`` header, or the login form, which sets an
HttpOnly, SameSite=Strict session cookie (an HMAC of a timestamp keyed by the
token, valid OFFICER_SESSION_HOURS, default 8; changing the token ends all
sessions). With OFFICER_TOKEN unset every officer route answers 503 "officer
access not configured": there is no default password. Comparisons are
constant-time; failed attempts are counted per client in the database (shared
by every gateway replica) with a doubling delay; behind a trusted proxy the
client is the address the proxy saw (GATEWAY_TRUST_PROXY).

Enterprises without an active ``share_with_customs`` consent never appear.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import html
import os
from typing import Any

from aiohttp import web

from core.assessment import store as assessment_store
from core.cultivation import store as cs
from core.db import session_scope
from core.enterprise import access as enterprise_access
from core.enterprise import binding, credit_code, throttle
from core.enterprise.models import Enterprise

from .security import client_key, read_limited
from .staff import OFFICER, bearer_token, cookie_ok, make_session_cookie, render_csv, session_hours

COOKIE = "officer_session"
NOT_CONFIGURED = "officer access not configured"
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}


def _token() -> str:
    return os.environ.get("OFFICER_TOKEN", "").strip()


async def small_form(request: web.Request, limit: int = 4096) -> dict | None:
    """A url-encoded form of at most ``limit`` bytes (None when larger)."""
    from urllib.parse import parse_qsl

    try:
        raw = await read_limited(request, limit)
    except web.HTTPRequestEntityTooLarge:
        return None
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def check_auth(request: web.Request) -> str:
    """'ok' | 'not_configured' | 'missing' | 'wrong'."""
    token = _token()
    if not token:
        return "not_configured"
    given = bearer_token(request)
    if given is not None:
        return "ok" if hmac.compare_digest(given.encode(), token.encode()) else "wrong"
    cookie = request.cookies.get(COOKIE)
    if cookie:
        return "ok" if cookie_ok(token, cookie, OFFICER) else "wrong"
    return "missing"


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------
def _scores(code: str, engine) -> list:
    """Totals of the enterprise's scored assessments, newest first (at most 20)."""
    out = []
    for a in assessment_store.history(code, engine=engine)[:20]:
        total = a["total"]
        if isinstance(total, int | float) and not isinstance(total, bool):
            when = a["completed_at"] or a["created_at"]
            out.append({"id": a["id"], "total": total, "status": a["status"], "when": when[:10]})
    return out


def officer_rows(engine=None, today: Any = None) -> list:
    """One dict per consenting enterprise with an active cultivation plan."""
    rows = []
    for code in cs.consenting_enterprises(cs.SCOPE_SHARE, engine=engine):
        if not cs.has_consent(code, engine=engine):  # re-check per enterprise
            continue
        prog = cs.progress(code, today, engine=engine)
        if prog["plan"] is None:
            continue
        with session_scope(engine) as session:
            ent = session.get(Enterprise, code)
            name = ent.name if ent else ""
            level = ent.credit_level if ent else None
            office = ent.customs_office if ent else None
            sample = bool(ent and ent.sample == "yes")
        scores = _scores(code, engine)
        latest = scores[0]["total"] if scores else None
        previous = scores[1]["total"] if len(scores) > 1 else None
        if latest is None or previous is None:
            trend = ""
        else:
            diff = round(latest - previous, 2)
            trend = f"↑ +{diff:g}" if diff > 0 else (f"↓ {diff:g}" if diff < 0 else "→ 0")
        open_all = prog["open"] + prog["overdue"]
        next_due = min((t["due_date"] for t in open_all), default=None)
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "customs_office": office,
                "sample": sample,
                "latest_score": latest,
                "previous_score": previous,
                "trend": trend,
                "latest_assessment_date": scores[0]["when"] if scores else None,
                "open": prog["counts"]["open"],
                "overdue": prog["counts"]["overdue"],
                "done": prog["counts"]["done"],
                "overdue_items": [t["item_ref"] for t in prog["overdue"]],
                "open_items": [t["item_ref"] for t in prog["open"]],
                "next_due": next_due,
                "plan_created": prog["plan"]["created_at"][:10],
            }
        )
    rows.sort(key=lambda r: (-r["overdue"], r["code"]))
    return rows


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_STYLE = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;margin-bottom:.5rem}
th,td{border:1px solid #767676;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#e8eef5}tr:nth-child(even) td{background:#f7f7f7}.overdue{color:#a00000;font-weight:600}
a{color:#0645ad}.note{font-size:.9rem;color:#333}button,input{font-size:1rem;padding:.35rem .6rem}
label{display:block;margin:.5rem 0 .25rem}
"""


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body><main>{body}</main></body></html>"
    )


def render_login(error: str | None = None) -> str:
    err = f'<p role="alert" class="overdue">{_e(error)}</p>' if error else ""
    return _page(
        "海关信用培育 · 关员登录 / Officer login",
        (
            "<h1>关员登录 / Officer login</h1>" + err + '<form method="post" action="/officer/login">'
            '<label for="token">访问令牌 / Access token</label>'
            '<input id="token" name="token" type="password" autocomplete="current-password" required>'
            ' <button type="submit">登录 / Log in</button></form>'
        ),
    )


def render_table(rows: list, today: str) -> str:
    head = (
        "<tr>"
        '<th scope="col">企业 / Enterprise</th>'
        '<th scope="col">统一社会信用代码 / Code</th>'
        '<th scope="col">记录等级 / Recorded level</th>'
        '<th scope="col">主管海关 / Customs office</th>'
        '<th scope="col">最近自评得分 / Latest score</th>'
        '<th scope="col">趋势 / Trend</th>'
        '<th scope="col">未完成 / Open</th>'
        '<th scope="col">已逾期 / Overdue</th>'
        '<th scope="col">已完成 / Done</th>'
        '<th scope="col">最近到期 / Next due</th>'
        "</tr>"
    )
    body = []
    for r in rows:
        name = _e(r["name"]) + (" <small>（演示数据 / demo）</small>" if r["sample"] else "")
        score = "—" if r["latest_score"] is None else f"{_e(r['latest_score'])}"
        if r["latest_assessment_date"]:
            score += f" <small>({_e(r['latest_assessment_date'])})</small>"
        overdue = f'<span class="overdue">{r["overdue"]}</span>' if r["overdue"] else "0"
        if r["overdue_items"]:
            overdue += "<br><small>" + _e(", ".join(r["overdue_items"])) + "</small>"
        body.append(
            f'<tr><th scope="row">{name}</th><td>{_e(r["code"])}</td><td>{_e(r["level"] or "—")}</td>'
            f'<td>{_e(r["customs_office"] or "—")}</td><td>{score}</td><td>{_e(r["trend"] or "—")}</td>'
            f'<td>{r["open"]}</td><td>{overdue}</td><td>{r["done"]}</td><td>{_e(r["next_due"] or "—")}</td></tr>'
        )
    if not body:
        body.append(
            '<tr><td colspan="10">暂无已授权共享的培育企业。/ No consenting enterprises under cultivation.</td></tr>'
        )
    return _page(
        "信用培育企业 / Enterprises under cultivation",
        (
            "<h1>信用培育企业 / Enterprises under cultivation</h1>"
            f'<p class="note">仅列出已授权向海关共享培育进度的企业；数据日期 {_e(today)}。'
            "记录等级为本系统导入的数据，以 credit.customs.gov.cn 公示为准；自评得分为企业自评，不是海关认证结论。<br>"
            "Only enterprises that consented to share their cultivation progress with customs are listed. "
            "Recorded levels are imported data (authoritative: credit.customs.gov.cn); scores are self-assessments, "
            "not customs certification results.</p>"
            '<p><a href="/officer/export.csv">导出 CSV / Export CSV</a> · '
            '<a href="/officer/keys">访问码管理 / Access keys</a> · '
            '<a href="/officer/cases">人工咨询 / Cases</a> · '
            '<a href="/officer/cohort">群体分析 / Cohort</a> · '
            '<a href="/officer/audit">操作日志 / Audit log</a></p>'
            '<form method="post" action="/officer/logout"><button type="submit">退出 / Log out</button></form>'
            f'<table><caption>共 {len(rows)} 家 / {len(rows)} enterprise(s)</caption><thead>{head}</thead>'
            f'<tbody>{"".join(body)}</tbody></table>'
        ),
    )


CSV_COLUMNS = [
    "code",
    "name",
    "sample",
    "level",
    "customs_office",
    "latest_score",
    "previous_score",
    "trend",
    "latest_assessment_date",
    "open",
    "overdue",
    "done",
    "overdue_items",
    "next_due",
    "plan_created",
]


class FailureLimiter:
    """Failed officer log-ins per client, counted in the database so that every
    gateway replica sees them (core/enterprise/throttle.py)."""

    def __init__(self, policy: throttle.Policy = throttle.OFFICER_PER_CLIENT, engine=None):
        self.policy, self.engine = policy, engine

    def blocked(self, key: str) -> bool:
        return throttle.wait_seconds(f"officer:{key}", engine=self.engine) > 0

    def fail(self, key: str) -> None:
        throttle.record_failure(f"officer:{key}", self.policy, engine=self.engine)


def render_claims(claims: list) -> str:
    rows = []
    for c in claims:
        status = (
            "已确认 / confirmed"
            if c["confirmed"]
            else '<strong class="overdue">海关尚未确认 / not yet confirmed by customs</strong>'
        )
        by = "关员发放 / officer" if c["issued_by"] == "officer" else "企业首次认领 / first claim"
        when = c["issued_at"].strftime("%Y-%m-%d %H:%M") if c["issued_at"] else "—"
        code = _e(c["code"])
        confirm = (
            ""
            if c["confirmed"]
            else f'<form method="post" action="/officer/enterprises/{code}/confirm">'
            f'<button type="submit">确认认领 / Confirm claim</button></form>'
        )
        reissue = (
            f'<form method="post" action="/officer/enterprises/{code}/reissue">'
            f'<label for="contact-{code}">已核实的联系人 / Verified contact</label>'
            f'<input id="contact-{code}" name="contact" required maxlength="200" autocomplete="off"> '
            f'<button type="submit">重新发放访问码 / Re-issue key</button></form>'
        )
        rows.append(
            f'<tr><th scope="row">{_e(c["name"]) or "—"}</th><td>{code}</td><td>{status}</td><td>{_e(by)}</td>'
            f'<td>{_e(when)}</td><td>{_e(c["contact"] or "—")}</td><td>{c["conversations"]}</td>'
            f"<td>{confirm}{reissue}</td></tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="8">暂无已发放的访问码。/ No access keys issued.</td></tr>')
    return (
        '<h1>访问码 / Access keys</h1><p><a href="/officer">返回培育企业 / Back to cultivation</a></p>'
        '<p class="note">访问码发给第一个输入该企业统一社会信用代码的人。请核实企业身份后确认；如被他人认领，'
        "向企业核实过的联系人重新发放：旧访问码和所有已绑定的对话随即失效。<br>"
        "An access key goes to whoever first gives the enterprise's code. Confirm a claim once you have verified "
        "the enterprise; if someone else claimed it, re-issue the key to a contact you verified: the old key and "
        "every conversation bound with it stop working.</p>"
        '<table><caption>访问码 / Access keys</caption><thead><tr><th scope="col">企业 / Enterprise</th>'
        '<th scope="col">代码 / Code</th><th scope="col">状态 / Status</th><th scope="col">来源 / Issued by</th>'
        '<th scope="col">时间 / Issued</th><th scope="col">联系人 / Contact</th>'
        '<th scope="col">已绑定对话 / Bound conversations</th><th scope="col">操作 / Actions</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_new_key(code: str, name: str, key: str, contact: str, revoked: int) -> str:
    return _page(
        "访问码已重新发放 / Key re-issued",
        (
            "<h1>访问码已重新发放 / Key re-issued</h1>"
            f"<p>{_e(name)}（{_e(code)}）的新访问码 / new access key: "
            f'<strong style="font-size:1.6rem;letter-spacing:.1em">{_e(key)}</strong></p>'
            f"<p>请只交给已核实的联系人 / Give it only to the verified contact: {_e(contact)}。"
            "此页面不会再次显示该访问码 / This page will not show it again.</p>"
            f"<p>旧访问码已失效，{revoked} 个已绑定的对话已解除 / The old key no longer works; "
            f"{revoked} bound conversation(s) lost access.</p>"
            '<p><a href="/officer/keys">返回 / Back</a></p>'
        ),
    )


# ---------------------------------------------------------------------------
# routes
# ---------------------------------------------------------------------------
def add_routes(
    app: web.Application,
    *,
    engine=None,
    failures: FailureLimiter | None = None,
    trust_proxy: bool | None = None,
    proxy_hops: int | None = None,
) -> None:
    """Mount the officer routes. ``engine`` defaults to the shared database;
    proxy settings default to the gateway's configuration."""
    from bot.gateway.app import CONFIG_KEY

    cfg = app.get(CONFIG_KEY)
    trust = trust_proxy if trust_proxy is not None else bool(cfg and cfg.trust_proxy)
    hops = proxy_hops or (cfg.trusted_proxy_hops if cfg else 1)
    failures = failures or FailureLimiter(engine=engine)

    def client(request: web.Request) -> str:
        return client_key(request, trust, hops)

    def throttled(request: web.Request) -> bool:
        return failures.blocked(client(request))

    def deny(request: web.Request, status: str) -> web.Response:
        if status == "not_configured":
            return web.Response(status=503, text=NOT_CONFIGURED, headers=_HEADERS)
        if status == "throttled":
            return web.Response(status=429, text="too many failed attempts", headers=_HEADERS)
        if status == "wrong":
            failures.fail(client(request))
        headers = dict(_HEADERS, **{"WWW-Authenticate": 'Bearer realm="officer"'})
        return web.Response(
            status=401,
            text=render_login("令牌无效 / Invalid token" if status == "wrong" else None),
            content_type="text/html",
            charset="utf-8",
            headers=headers,
        )

    def authorise(request: web.Request) -> str:
        if _token() and throttled(request):
            return "throttled"  # refused before any comparison, right token or not
        return check_auth(request)

    async def rows_for(request: web.Request) -> list:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, officer_rows, engine)

    async def page(request: web.Request) -> web.Response:
        status = authorise(request)
        if status != "ok":
            return deny(request, status)
        rows = await rows_for(request)
        return web.Response(
            text=render_table(rows, dt.date.today().isoformat()),
            content_type="text/html",
            charset="utf-8",
            headers=_HEADERS,
        )

    async def keys_page(request: web.Request) -> web.Response:
        status = authorise(request)
        if status != "ok":
            return deny(request, status)
        keys = await asyncio.to_thread(enterprise_access.claims, engine)
        return web.Response(
            text=_page("访问码 / Access keys", render_claims(keys)),
            content_type="text/html",
            charset="utf-8",
            headers=_HEADERS,
        )

    async def export(request: web.Request) -> web.Response:
        status = authorise(request)
        if status != "ok":
            return deny(request, status)
        rows = await rows_for(request)
        headers = dict(
            _HEADERS, **{"Content-Disposition": f'attachment; filename="cultivation-{dt.date.today().isoformat()}.csv"'}
        )
        return web.Response(
            text=render_csv(rows, CSV_COLUMNS), content_type="text/csv", charset="utf-8", headers=headers
        )

    async def login_form(request: web.Request) -> web.Response:
        if not _token():
            return web.Response(status=503, text=NOT_CONFIGURED, headers=_HEADERS)
        return web.Response(text=render_login(), content_type="text/html", charset="utf-8", headers=_HEADERS)

    async def login(request: web.Request) -> web.Response:
        token = _token()
        if not token:
            return web.Response(status=503, text=NOT_CONFIGURED, headers=_HEADERS)
        if throttled(request):
            return web.Response(status=429, text="too many failed attempts", headers=_HEADERS)
        form = await small_form(request)
        if form is None:
            return web.Response(status=413, text="too large", headers=_HEADERS)
        given = form.get("token", "").strip()
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            failures.fail(client(request))
            return web.Response(
                status=401,
                text=render_login("令牌无效 / Invalid token"),
                content_type="text/html",
                charset="utf-8",
                headers=_HEADERS,
            )
        resp = web.HTTPSeeOther("/officer", headers=_HEADERS)
        resp.set_cookie(
            COOKIE,
            make_session_cookie(token),
            httponly=True,
            samesite="Strict",
            secure=request.secure,
            path="/officer",
            max_age=int(session_hours() * 3600),
        )
        return resp

    async def logout(request: web.Request) -> web.Response:
        resp = web.HTTPSeeOther("/officer/login", headers=_HEADERS)
        resp.del_cookie(COOKIE, path="/officer")
        return resp

    async def confirm(request: web.Request) -> web.Response:
        status = authorise(request)
        if status != "ok":
            return deny(request, status)
        code = request.match_info["code"]
        if not await asyncio.to_thread(enterprise_access.confirm_claim, code, engine):
            return web.Response(status=404, text="no such enterprise key", headers=_HEADERS)
        raise web.HTTPSeeOther("/officer/keys", headers=_HEADERS)

    async def reissue(request: web.Request) -> web.Response:
        status = authorise(request)
        if status != "ok":
            return deny(request, status)
        chk = credit_code.check(request.match_info["code"])
        if not chk.valid:
            return web.Response(status=404, text="not a valid enterprise code", headers=_HEADERS)
        form = await small_form(request)
        if form is None:
            return web.Response(status=413, text="too large", headers=_HEADERS)
        contact = form.get("contact", "").strip()
        if not contact:
            return web.Response(
                status=400, text="请填写已核实的联系人 / the verified contact is required", headers=_HEADERS
            )

        def run() -> tuple:
            before = len(binding.bindings_of(chk.code, engine=engine))
            key = enterprise_access.issue_key(chk.code, engine=engine, replace=True, by="officer", contact=contact)
            with session_scope(engine) as s:
                ent = s.get(Enterprise, chk.code)
                return key, (ent.name if ent else ""), before

        key, name, revoked = await asyncio.to_thread(run)
        return web.Response(
            text=render_new_key(chk.code, name, key or "", contact, revoked),
            content_type="text/html",
            charset="utf-8",
            headers=_HEADERS,
        )

    app.router.add_get("/officer", page)
    app.router.add_get("/officer/keys", keys_page)
    app.router.add_post(r"/officer/enterprises/{code:[0-9A-Z]{18}}/confirm", confirm)
    app.router.add_post(r"/officer/enterprises/{code:[0-9A-Z]{18}}/reissue", reissue)
    app.router.add_get("/officer/export.csv", export)
    app.router.add_get("/officer/login", login_form)
    app.router.add_post("/officer/login", login)
    app.router.add_post("/officer/logout", logout)
    _add_customs_routes(app, engine=engine, failures=failures, trust=trust, hops=hops)


def _add_customs_routes(app: web.Application, *, engine, failures, trust: bool, hops: int) -> None:
    """Cases, cohort view and audit log (issue 16), behind the same token, lock-out and
    client address; every officer request is written to the audit log."""
    from core.audit import store as audit

    from . import cases, cohort, staff

    area = staff.StaffArea(staff.OFFICER, engine=engine, failures=failures, trust_proxy=trust, proxy_hops=hops)

    async def audit_page(request: web.Request) -> web.Response:
        entries = await asyncio.to_thread(audit.recent, 300, engine=engine)
        return staff.html_response(staff.render_audit(entries))

    app.router.add_get("/officer/audit", area.guard("view_audit", audit_page))
    cases.add_routes(app, area)
    cohort.add_routes(app, area)
    app.middlewares.append(area.audit_middleware(OWN_ROUTES))


# The officer routes above this module's customs part; the audit middleware logs them.
OWN_ROUTES = ("/officer", "/officer/keys", "/officer/export.csv", "/officer/enterprises/", "/officer/login")
