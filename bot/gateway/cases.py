"""Hand-off cases on the gateway.

Officer (auth: bot/gateway/staff.py):
    GET  /officer/cases                 open and answered cases, with the conversation
    POST /officer/cases/{id}/answer     answer (form field "answer"); delivered at once
    POST /officer/cases/{id}/close      close

The enterprise's side (no staff auth; the server decides what is shown):
    POST /api/cases/session  {"session_id"}   answered cases of that conversation only
                                              (the widget and kiosk poll this)
    GET  /case/{token}                        the case page (random token given to the
                                              conversation that opened the case)

Delivery: a case opened from WeChat (sender "wechat_mp:<openid>") or WeCom
("wecom:<userid>") is pushed through that channel's API client the moment it
is answered; web and kiosk conversations get it from the poll (the widget shows
it in the same session, also when it is next opened) and from the case page.
"""

from __future__ import annotations

import asyncio
import json
import logging

from aiohttp import web

from bot.channels import session_token
from bot.channels.wechat import MP, WECOM
from core.cases import messages
from core.cases import store as cases

from .staff import OFFICER, OFFICER_NAV, StaffArea, esc, html_response, logout_form, page

logger = logging.getLogger(__name__)
PUSH_CHANNELS = (MP, WECOM)
MAX_SESSION_ID = 200


async def deliver(app: web.Application, case_id: int, engine=None) -> str:
    """Push an answered case to its WeChat / WeCom conversation. Returns "pushed",
    "pending" (web / kiosk: the conversation picks it up) or "failed"."""
    from .app import CHANNELS_KEY

    target = await asyncio.to_thread(cases.delivery_target, case_id, engine=engine)
    kind, _, user = target["sender"].partition(":")
    channel = (app.get(CHANNELS_KEY) or {}).get(kind) if kind in PUSH_CHANNELS else None
    if kind not in PUSH_CHANNELS or not user:
        return "pending"
    if channel is None:
        logger.warning("case %s: the %s channel is not configured; the answer waits on the case page", case_id, kind)
        return "failed"
    try:
        await channel.api.send_text(user, messages.answer(target["number"], target["answer"], target["lang"]))
    except Exception as exc:
        logger.warning("case %s: push failed: %s", case_id, exc)
        return "failed"
    await asyncio.to_thread(cases.mark_delivered, case_id, kind, engine=engine)
    return "pushed"


STATUS_LABEL = {
    cases.OPEN: "待答复 / Open",
    cases.ANSWERED: "已答复 / Answered",
    cases.CLOSED: "已关闭 / Closed",
}
DELIVERY_LABEL = {
    "pushed": "已推送到企业的微信 / Pushed to the enterprise's WeChat",
    "pending": "企业下次打开对话时显示 / Shown when the conversation is next open",
    "failed": "推送失败，答复保留在案件页面 / Push failed; the answer waits on the case page",
}


def _case_card(c: dict) -> str:
    turns = "".join(
        f"<li><strong>{'企业 / User' if t['from'] == 'user' else '助手 / Assistant'}：</strong>{esc(t['text'])}</li>"
        for t in c["transcript"]
    )
    ent = (
        f"{esc(c['enterprise_name'] or '')} {esc(c['enterprise_code'])}"
        if c["enterprise_code"]
        else "未绑定或未授权共享 / not bound or not consenting"
    )
    delivered = (
        f"已送达 / delivered {esc(c['delivered_at'])} ({esc(c['delivered_via'])})"
        if c["delivered_at"]
        else ("未送达 / not yet delivered" if c["answer"] else "")
    )
    answer_form = ""
    if c["status"] != cases.CLOSED:
        answer_form = (
            f'<form method="post" action="/officer/cases/{c["id"]}/answer">'
            f'<label for="answer-{c["id"]}">答复 / Answer</label>'
            f'<textarea id="answer-{c["id"]}" name="answer" rows="4" maxlength="{cases.MAX_ANSWER_CHARS}" required>'
            f"{esc(c['answer'] or '')}</textarea>"
            f'<button type="submit">发送答复 / Send answer</button></form>'
            f'<form method="post" action="/officer/cases/{c["id"]}/close" class="inline">'
            f'<button type="submit">关闭案件 / Close case</button></form>'
        )
    answered = (
        f"<p><strong>答复 / Answer</strong>（{esc(c['answered_by'])}, {esc(c['answered_at'])}）：{esc(c['answer'])}</p>"
        if c["answer"]
        else ""
    )
    return (
        f'<section class="card" aria-labelledby="case-{c["id"]}">'
        f'<h2 id="case-{c["id"]}">案件 / Case {esc(c["number"])} · {esc(STATUS_LABEL.get(c["status"], c["status"]))}</h2>'
        f"<p><strong>问题 / Question：</strong>{esc(c['question'])}</p>"
        f"<p class=muted>渠道 / Channel: {esc(c['channel'] or '—')} · 语言 / Language: {esc(c['lang'])} · "
        f"提交 / Opened (UTC): {esc(c['created_at'])} · 企业 / Enterprise: {ent}</p>"
        f"<details open><summary>最近对话 / Last turns ({len(c['transcript'])})</summary><ul>{turns}</ul></details>"
        f"{answered}<p class=muted>{delivered}</p>{answer_form}</section>"
    )


def render_cases(rows: list, status: str, notice: str = "") -> str:
    tabs = " · ".join(
        f'<a href="/officer/cases?status={s}"{" aria-current=page" if s == status else ""}>{esc(label)}</a>'
        for s, label in (("open", "待答复 / Open"), ("answered", "已答复 / Answered"), ("closed", "已关闭 / Closed"))
    )
    note = f'<p role="status" class="card">{esc(notice)}</p>' if notice else ""
    cards = "".join(_case_card(c) for c in rows) or "<p>暂无案件。/ No cases.</p>"
    return page(
        "人工咨询案件 / Hand-off cases",
        nav=OFFICER_NAV,
        current="/officer/cases",
        body=(
            f"<h1>人工咨询案件 / Hand-off cases</h1>{note}<p>{tabs} {logout_form(OFFICER)}</p>"
            "<p class=note>企业说“转人工”或对回答点“没帮助”后选“请人工解答”时创建。答复会送回企业提问的渠道："
            "微信/企业微信立即推送，网页和一体机在对话打开时显示。答复后可在知识复核页把答复转成知识条目草稿。<br>"
            "Opened when an enterprise asks for a person. The answer goes back on the enterprise's channel: "
            "WeChat/WeCom at once, web and kiosk when the conversation is open. Answers can become knowledge drafts on the review page.</p>"
            f"{cards}"
        ),
    )


def render_case_page(c: dict | None) -> str:
    if c is None:
        return page(
            "案件 / Case", "<h1>未找到案件 / Case not found</h1><p>链接无效或已过期。/ The link is not valid.</p>"
        )
    answer = (
        f'<h2>关员答复 / Officer\'s answer</h2><p class="card">{esc(c["answer"])}</p>'
        f"<p class=muted>答复时间 (UTC) / Answered: {esc(c['answered_at'])}</p>"
        if c["answer"]
        else "<p role=status>关员尚未答复，请稍后刷新本页。/ No answer yet; please check again later.</p>"
    )
    return page(
        f"案件 {c['number']} / Case {c['number']}",
        f"<h1>人工咨询 · 案件 {esc(c['number'])} / Case {esc(c['number'])}</h1>"
        f"<p><strong>您的问题 / Your question：</strong>{esc(c['question'])}</p>"
        f"<p class=muted>提交时间 (UTC) / Opened: {esc(c['created_at'])}</p>{answer}",
    )


def _session_secret(app: web.Application) -> bytes:
    from .app import CONFIG_KEY

    cfg = app.get(CONFIG_KEY)
    raw = (cfg.session_secret if cfg else "") or ""
    if raw:
        return raw.encode()
    try:
        return session_token.secret_from_env()
    except session_token.SessionSecretMissing:
        return b""


def add_routes(app: web.Application, area: StaffArea) -> None:
    engine = area.engine

    async def list_page(request: web.Request) -> web.Response:
        status = request.query.get("status", "open")
        if status not in cases.STATUSES:
            status = "open"
        rows = await asyncio.to_thread(cases.list_cases, status, engine=engine)
        return html_response(render_cases(rows, status, request.query.get("notice", "")))

    def back(status: str, notice: str) -> web.HTTPSeeOther:
        from urllib.parse import urlencode

        return web.HTTPSeeOther("/officer/cases?" + urlencode({"status": status, "notice": notice}))

    async def answer(request: web.Request) -> web.Response:
        form = await request.post()
        case_id = request.match_info["case_id"]
        try:
            await asyncio.to_thread(cases.answer_case, case_id, str(form.get("answer", "")), "officer", engine=engine)
        except cases.CaseError as exc:
            return html_response(
                page(
                    "错误 / Error",
                    f"<h1>无法答复 / Cannot answer</h1><p role=alert>{esc(exc)}</p>"
                    '<p><a href="/officer/cases">返回 / Back</a></p>',
                ),
                status=400,
            )
        result = await deliver(request.app, int(case_id), engine)
        await area.audit(request, "deliver_case_answer", target=f"case_id={case_id}", outcome=result)
        raise back("answered", DELIVERY_LABEL[result])

    async def close(request: web.Request) -> web.Response:
        try:
            await asyncio.to_thread(cases.close_case, request.match_info["case_id"], engine=engine)
        except cases.CaseError as exc:
            return html_response(page("错误 / Error", f"<p role=alert>{esc(exc)}</p>"), status=404)
        raise back("closed", "案件已关闭 / Case closed")

    async def session_answers(request: web.Request) -> web.Response:
        """The widget's poll: answered cases of this conversation only."""
        try:
            data = json.loads(await request.content.read(2048) or b"{}")
        except ValueError:
            return web.json_response({"error": "bad_json", "message": "body must be JSON"}, status=400)
        sid = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(sid, str) or not sid.strip() or len(sid) > MAX_SESSION_ID:
            return web.json_response({"error": "session_id", "message": "session_id required"}, status=400)
        # The widget holds the signed session token; only the server-issued token names the sender.
        secret = _session_secret(request.app)
        if not secret:
            return web.json_response({"error": "not_configured", "message": "SESSION_SECRET is not set"}, status=503)
        sender = session_token.verify(sid.strip(), secret)
        if sender is None:
            return web.json_response({"error": "session_id", "message": "not a session issued here"}, status=403)
        rows = await asyncio.to_thread(cases.answers_for_sender, sender, engine=engine)
        out = [
            {
                "number": r["number"],
                "answered_at": r["answered_at"],
                "text": messages.answer(r["number"], r["answer"], r["lang"]),
            }
            for r in rows
        ]
        # Any page may embed the widget; the session id in the body is the only key (no cookies).
        return web.json_response(
            {"answers": out}, headers={"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}
        )

    async def case_page(request: web.Request) -> web.Response:
        c = await asyncio.to_thread(cases.case_for_page, request.match_info["token"], engine=engine)
        return html_response(render_case_page(c), status=200 if c else 404)

    app.router.add_get("/officer/cases", area.guard("view_cases", list_page))
    app.router.add_post(r"/officer/cases/{case_id:\d+}/answer", area.guard("answer_case", answer))
    app.router.add_post(r"/officer/cases/{case_id:\d+}/close", area.guard("close_case", close))
    app.router.add_post("/api/cases/session", session_answers)
    app.router.add_get(r"/case/{token:[A-Za-z0-9_-]{1,64}}", case_page)
