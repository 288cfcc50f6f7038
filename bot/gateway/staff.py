"""Staff areas of the gateway: customs officers (/officer, OFFICER_TOKEN) and
knowledge editors (/review, EDITOR_TOKEN), two separate roles.

Each role has its own token from the environment (unset = that area answers
503, there is no default), its own HttpOnly, SameSite=Strict session cookie
(an HMAC of the role and a timestamp keyed by the role's token, valid
STAFF_SESSION_HOURS / OFFICER_SESSION_HOURS, default 8), constant-time
comparisons, a per-client budget of failed attempts, and every action written
to the audit log (core/audit). An editor token never opens an officer page and
the other way round; if both variables hold the same token, the editor area
stays disabled (the roles would not be separate).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import html
import io
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from core.audit import store as audit

from .security import client_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Role:
    name: str
    env: str
    cookie: str
    path: str
    label: str  # bilingual, for page titles


OFFICER = Role("officer", "OFFICER_TOKEN", "officer_session", "/officer", "关员 / Officer")
EDITOR = Role("editor", "EDITOR_TOKEN", "editor_session", "/review", "知识编辑 / Knowledge editor")

BASE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": BASE_CSP,
}
SCRIPT_CSP = BASE_CSP + "; script-src 'self'; img-src 'self' data:"


def not_configured(role: Role) -> str:
    return f"{role.name} access not configured"


def role_token(role: Role) -> str:
    token = os.environ.get(role.env, "").strip()
    if role is EDITOR and token and hmac.compare_digest(token, os.environ.get(OFFICER.env, "").strip()):
        logger.warning("EDITOR_TOKEN equals OFFICER_TOKEN: the editor area stays disabled until they differ")
        return ""
    return token


def session_hours() -> float:
    raw = os.environ.get("STAFF_SESSION_HOURS") or os.environ.get("OFFICER_SESSION_HOURS") or "8"
    try:
        return max(0.1, float(raw))
    except ValueError:
        return 8.0


def _sign(token: str, ts: str, role: Role) -> str:
    msg = f"{role.name}-session-v1:{ts}".encode()
    return hmac.new(token.encode(), msg, hashlib.sha256).hexdigest()


def make_session_cookie(token: str, now: float | None = None, role: Role = OFFICER) -> str:
    ts = str(int(now if now is not None else time.time()))
    return f"{ts}.{_sign(token, ts, role)}"


def cookie_ok(token: str, value: str, role: Role = OFFICER) -> bool:
    ts, _, sig = (value or "").partition(".")
    if not ts.isdigit() or not sig:
        return False
    if not hmac.compare_digest(sig.encode(), _sign(token, ts, role).encode()):
        return False
    return 0 <= time.time() - int(ts) <= session_hours() * 3600


def bearer_token(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def check_auth(request: web.Request, role: Role = OFFICER) -> str:
    """'ok' | 'not_configured' | 'missing' | 'wrong'."""
    token = role_token(role)
    if not token:
        return "not_configured"
    given = bearer_token(request)
    if given is not None:
        return "ok" if hmac.compare_digest(given.encode(), token.encode()) else "wrong"
    cookie = request.cookies.get(role.cookie)
    if cookie:
        return "ok" if cookie_ok(token, cookie, role) else "wrong"
    return "missing"


class FailureLimiter:
    """At most ``limit`` failed attempts per client within ``window`` seconds."""

    def __init__(self, limit: int = 10, window: float = 900.0, max_keys: int = 10_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._fails: dict = {}

    def _recent(self, key: str, now: float) -> list:
        times = [t for t in self._fails.get(key, []) if now - t < self.window]
        if times:
            self._fails[key] = times
        else:
            self._fails.pop(key, None)
        return times

    def blocked(self, key: str) -> bool:
        return len(self._recent(key, time.monotonic())) >= self.limit

    def fail(self, key: str) -> None:
        now = time.monotonic()
        if len(self._fails) >= self.max_keys and key not in self._fails:
            self._fails.pop(next(iter(self._fails)))
        self._recent(key, now)
        self._fails.setdefault(key, []).append(now)


# ---------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------
def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


STYLE = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
main{padding:1rem 1.5rem;max-width:1400px}
nav{background:#12355b;padding:.5rem 1.5rem}nav a{color:#fff;margin-right:1.25rem;font-weight:600}
nav a[aria-current=page]{text-decoration:underline;text-decoration-thickness:3px}
table{border-collapse:collapse;width:100%;margin-bottom:1rem}caption{text-align:left;font-weight:600;margin-bottom:.5rem}
th,td{border:1px solid #767676;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#e8eef5}tr:nth-child(even) td{background:#f7f7f7}.overdue{color:#a00000;font-weight:600}
a{color:#0645ad}.note{font-size:.9rem;color:#333}button,input,select,textarea{font-size:1rem;padding:.35rem .6rem}
label{display:block;margin:.5rem 0 .25rem}textarea{width:100%;box-sizing:border-box}
.card{border:1px solid #767676;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
.filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.filters label{margin:0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:1rem}
.chart{width:100%;height:340px}.tablewrap{overflow-x:auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}
.inline{display:inline}.muted{color:#4a4a4a}h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:1.5rem}
@media (max-width:900px){.grid{grid-template-columns:1fr}main{padding:.75rem}}
"""

OFFICER_NAV = [
    ("/officer", "培育企业 / Enterprises"),
    ("/officer/cases", "人工咨询 / Cases"),
    ("/officer/cohort", "群体分析 / Cohort"),
    ("/officer/audit", "操作日志 / Audit log"),
]
EDITOR_NAV = [("/review", "知识复核 / Knowledge review")]


def page(title: str, body: str, *, nav: list | None = None, current: str = "", scripts: tuple = ()) -> str:
    links = ""
    if nav:
        items = "".join(
            f'<a href="{esc(href)}"{" aria-current=page" if href == current else ""}>{esc(label)}</a>'
            for href, label in nav
        )
        links = f'<nav aria-label="主导航 / Main">{items}</nav>'
    js = "".join(f'<script src="{esc(s)}" defer></script>' for s in scripts)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style>{js}</head><body>{links}<main>{body}</main></body></html>"
    )


def render_login(role: Role = OFFICER, error: str | None = None) -> str:
    err = f'<p role="alert" class="overdue">{esc(error)}</p>' if error else ""
    return page(
        f"海关信用培育 · {role.label} 登录 / login",
        (
            f"<h1>{esc(role.label)} 登录 / Log in</h1>{err}"
            f'<form method="post" action="{role.path}/login">'
            '<label for="token">访问令牌 / Access token</label>'
            '<input id="token" name="token" type="password" autocomplete="current-password" required>'
            ' <button type="submit">登录 / Log in</button></form>'
        ),
    )


def html_response(body: str, *, status: int = 200, csp: str = BASE_CSP, headers: dict | None = None) -> web.Response:
    h = dict(HEADERS, **{"Content-Security-Policy": csp}, **(headers or {}))
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8", headers=h)


def csv_cell(value: Any) -> str:
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    if isinstance(value, bool):
        value = "yes" if value else "no"
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text  # spreadsheet formula injection
    return text


def render_csv(rows: list, columns: list) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([csv_cell(r.get(c)) for c in columns])
    return "\ufeff" + buf.getvalue()


def csv_response(text: str, filename: str) -> web.Response:
    headers = dict(HEADERS, **{"Content-Disposition": f'attachment; filename="{filename}"'})
    return web.Response(text=text, content_type="text/csv", charset="utf-8", headers=headers)


# ---------------------------------------------------------------------------
# an area: auth, login, audit
# ---------------------------------------------------------------------------
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class StaffArea:
    """Authentication, log-in / log-out and the audit log for one role."""

    def __init__(
        self,
        role: Role,
        *,
        engine=None,
        failures: Any = None,
        trust_proxy: bool = False,
        proxy_hops: int = 1,
    ):
        self.role = role
        self.engine = engine
        self.failures = failures or FailureLimiter()  # anything with blocked(key) and fail(key)
        self.trust_proxy = trust_proxy
        self.proxy_hops = proxy_hops

    def client(self, request: web.Request) -> str:
        return client_key(request, self.trust_proxy, self.proxy_hops)

    def audit_middleware(self, paths: tuple):
        """Audit every request to ``paths`` (exact, or prefixes ending in "/") that other
        code handles: the method, path, status and whether the token was right."""

        def covered(path: str) -> bool:
            return any(path == p or (p.endswith("/") and path.startswith(p)) for p in paths)

        @web.middleware
        async def middleware(request: web.Request, handler):
            resp = await handler(request)
            if covered(request.path):
                auth = check_auth(request, self.role)
                await self.audit(request, f"{request.method} {request.path}", outcome=f"{resp.status} {auth}")
            return resp

        return middleware

    async def audit(self, request: web.Request, action: str, *, target: Any = None, outcome: str = "ok", **detail):
        try:
            await asyncio.to_thread(
                audit.record,
                self.role.name,
                action,
                target=target,
                detail=detail or None,
                client=self.client(request),
                outcome=outcome,
                engine=self.engine,
            )
        except Exception:
            logger.exception("could not write the audit log")

    def authorise(self, request: web.Request) -> str:
        if role_token(self.role) and self.failures.blocked(self.client(request)):
            return "throttled"  # refused before any comparison, right token or not
        return check_auth(request, self.role)

    async def deny(self, request: web.Request, status: str) -> web.Response:
        if status == "not_configured":
            return web.Response(status=503, text=not_configured(self.role), headers=HEADERS)
        if status == "throttled":
            return web.Response(status=429, text="too many failed attempts", headers=HEADERS)
        if status == "wrong":
            self.failures.fail(self.client(request))
            await self.audit(request, "auth", target=request.path, outcome="wrong_token")
        return html_response(
            render_login(self.role, "令牌无效 / Invalid token" if status == "wrong" else None),
            status=401,
            headers={"WWW-Authenticate": f'Bearer realm="{self.role.name}"'},
        )

    def guard(self, action: str, handler: Handler) -> Handler:
        """Wrap a handler: authorised requests only, each one audited."""

        async def wrapped(request: web.Request) -> web.StreamResponse:
            status = self.authorise(request)
            if status != "ok":
                return await self.deny(request, status)
            resp = await handler(request)
            target = "/".join(f"{k}={v}" for k, v in request.match_info.items()) or None
            query = {k: v for k, v in request.query.items() if k in ("standard", "district", "from", "to", "table")}
            await self.audit(request, action, target=target, outcome=str(resp.status), **query)
            return resp

        return wrapped

    def add_login_routes(self, app: web.Application) -> None:
        role = self.role

        async def login_form(request: web.Request) -> web.Response:
            if not role_token(role):
                return web.Response(status=503, text=not_configured(role), headers=HEADERS)
            return html_response(render_login(role))

        async def login(request: web.Request) -> web.Response:
            token = role_token(role)
            if not token:
                return web.Response(status=503, text=not_configured(role), headers=HEADERS)
            if self.failures.blocked(self.client(request)):
                return web.Response(status=429, text="too many failed attempts", headers=HEADERS)
            if request.content_length is not None and request.content_length > 4096:
                return web.Response(status=413, text="too large", headers=HEADERS)
            form = await request.post()
            given = str(form.get("token", "")).strip()
            if not given or not hmac.compare_digest(given.encode(), token.encode()):
                self.failures.fail(self.client(request))
                await self.audit(request, "login", outcome="wrong_token")
                return html_response(render_login(role, "令牌无效 / Invalid token"), status=401)
            await self.audit(request, "login")
            resp = web.HTTPSeeOther(role.path, headers=HEADERS)
            resp.set_cookie(
                role.cookie,
                make_session_cookie(token, role=role),
                httponly=True,
                samesite="Strict",
                secure=request.secure,
                path=role.path,
                max_age=int(session_hours() * 3600),
            )
            return resp

        async def logout(request: web.Request) -> web.Response:
            if check_auth(request, role) == "ok":
                await self.audit(request, "logout")
            resp = web.HTTPSeeOther(f"{role.path}/login", headers=HEADERS)
            resp.del_cookie(role.cookie, path=role.path)
            return resp

        app.router.add_get(f"{role.path}/login", login_form)
        app.router.add_post(f"{role.path}/login", login)
        app.router.add_post(f"{role.path}/logout", logout)


def render_audit(entries: list) -> str:
    body = "".join(
        f"<tr><td>{esc(e['at'])}</td><td>{esc(e['role'])}</td><td>{esc(e['action'])}</td><td>{esc(e['target'] or '')}</td>"
        f"<td>{esc(e['outcome'])}</td><td>{esc(e['client'] or '')}</td></tr>"
        for e in entries
    )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "时间 (UTC) / Time",
            "角色 / Role",
            "操作 / Action",
            "对象 / Target",
            "结果 / Outcome",
            "来源 / Client",
        )
    )
    return page(
        "操作日志 / Audit log",
        nav=OFFICER_NAV,
        current="/officer/audit",
        body=(
            "<h1>操作日志 / Audit log</h1><p class=note>关员和知识编辑的每一次操作（最近 300 条）。"
            "Every officer and editor action (latest 300).</p>"
            f'<div class="tablewrap"><table><caption>操作日志 / Audit log</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>"
        ),
    )


def logout_form(role: Role) -> str:
    return f'<form method="post" action="{role.path}/logout" class="inline"><button type="submit">退出 / Log out</button></form>'
