"""Knowledge review page for editors (role: EDITOR_TOKEN, see bot/gateway/staff.py).

    GET  /review                                   groups of questions to look at, stale entries,
                                                   officers' answers to turn into entries
    GET  /review/entry/{entry_id}                  one knowledge entry as the assistant holds it
    GET  /review/groups/{key}/dev_questions.yml    a group as development questions (tests/nlu_dev format)
    GET  /review/cases/{case_id}/draft.yaml        a knowledge entry draft from an officer's answer
    GET|POST /review/login, POST /review/logout

Questions come from the answer log (core/feedback): those that fell back to topic
buttons or were redirected, and answers rated 没帮助, of the last REVIEW_DAYS
(90) days, grouped by similarity (core/feedback/review.py). Entries last reviewed
more than REVIEW_STALE_DAYS (365) days ago, or superseded, are listed too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from urllib.parse import quote

from aiohttp import web

from core.cases import store as cases
from core.feedback import review
from core.feedback import store as feedback
from core.knowledge.search import Knowledge, KnowledgeCache

from .staff import EDITOR, EDITOR_NAV, StaffArea, esc, html_response, logout_form, page

WHY = {
    "suggestions": "给出按钮 / buttons offered",
    "not_found": "未能回答 / not answered",
    "out_of_scope": "转为超出范围 / redirected",
    "unhelpful": "没帮助 / not helpful",
}


def _int_env(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


def _counts(d: dict, labels: dict) -> str:
    return "，".join(f"{labels.get(k, k)} {v}" for k, v in d.items()) or "—"


def _group_card(g: dict) -> str:
    examples = "".join(f"<li>{esc(q)}</li>" for q in g["examples"])
    entry = (
        f'<a href="/review/entry/{quote(g["suggested_entry"])}">{esc(g["suggested_entry"])}</a>'
        if g["suggested_entry"]
        else "无匹配条目 / no entry matches"
    )
    shown = ", ".join(g["entries_shown"]) or "—"
    reasons = _counts(g["reasons"], {k: v["zh"] for k, v in feedback.REASONS.items()})
    return (
        f'<section class="card" aria-labelledby="g-{esc(g["key"])}">'
        f'<h2 id="g-{esc(g["key"])}">{esc(g["examples"][0] if g["examples"] else "—")} '
        f'<small>（{g["count"]} 次 / times）</small></h2>'
        f"<p class=muted>最近 / newest (UTC): {esc(g['newest'])} · 原因 / why: {esc(_counts(g['why'], WHY))} · "
        f"反馈理由 / reasons: {esc(reasons)} · 语言 / lang: {esc(', '.join(g['langs']))} · "
        f"渠道 / channels: {esc(', '.join(g['channels']) or '—')}</p>"
        f"<p>应当回答的条目（检索排名第一）/ Entry that should have answered: {entry} · 曾显示 / shown: {esc(shown)}</p>"
        f"<details open><summary>示例问题 / Example questions</summary><ul>{examples}</ul></details>"
        f'<p><a href="/review/groups/{esc(g["key"])}/dev_questions.yml">导出为开发集问题 / Export as development questions</a></p>'
        "</section>"
    )


def render(groups: list, stale: list, answered: list, counts: dict, days: int, stale_days: int) -> str:
    cards = "".join(_group_card(g) for g in groups) or "<p>暂无需要复核的问题。/ Nothing to review.</p>"
    stale_rows = (
        "".join(
            f'<tr><th scope="row"><a href="/review/entry/{quote(e["id"])}">{esc(e["id"])}</a></th><td>{esc(e["topic"] or "—")}</td>'
            f"<td>{esc(e['last_reviewed'] or '从未 / never')}</td><td>{esc(e['effective_to'] or '—')}</td>"
            f"<td>{esc(', '.join(e['why']))}</td></tr>"
            for e in stale
        )
        or '<tr><td colspan="5">无 / none</td></tr>'
    )
    case_rows = (
        "".join(
            f'<tr><th scope="row">{esc(c["number"])}</th><td>{esc(c["question"])}</td><td>{esc(c["answer"])}</td>'
            f'<td><a href="/review/cases/{c["id"]}/draft.yaml">生成知识条目草稿 / Knowledge draft</a></td></tr>'
            for c in answered
        )
        or '<tr><td colspan="4">无 / none</td></tr>'
    )
    return page(
        "知识复核 / Knowledge review",
        nav=EDITOR_NAV,
        current="/review",
        body=(
            f"<h1>知识复核 / Knowledge review</h1><p>{logout_form(EDITOR)}</p>"
            f"<p class=note>最近 {days} 天里未能直接回答（给出按钮或转为超出范围）或被评为“没帮助”的问题，按相似度分组（分词与检索排名同助手），"
            f"最新的在前。全部回答 {counts['answers']} 条，有帮助 {counts['up']}，没帮助 {counts['down']}。<br>"
            f"Questions of the last {days} days that fell back to buttons, were redirected or were rated not helpful, "
            "grouped by similarity with the assistant's own tokenizer and search ranking, newest first.</p>"
            f"<h2>待复核的问题 / Questions to review（{len(groups)} 组 / groups）</h2>{cards}"
            f'<h2>需复核的知识条目 / Stale entries</h2><p class=note>上次复核超过 {stale_days} 天、从未复核或已被取代。'
            f"Last reviewed more than {stale_days} days ago, never, or superseded.</p>"
            '<div class="tablewrap"><table><caption>需复核的知识条目 / Stale entries</caption><thead><tr>'
            '<th scope="col">条目 / Entry</th><th scope="col">主题 / Topic</th><th scope="col">上次复核 / Last reviewed</th>'
            '<th scope="col">失效日期 / Effective to</th><th scope="col">原因 / Why</th></tr></thead>'
            f"<tbody>{stale_rows}</tbody></table></div>"
            "<h2>关员答复 / Officers' answers</h2>"
            '<div class="tablewrap"><table><caption>可转为知识条目的关员答复 / Answers that can become entries</caption><thead><tr>'
            '<th scope="col">案件 / Case</th><th scope="col">问题 / Question</th><th scope="col">答复 / Answer</th>'
            f'<th scope="col">操作 / Action</th></tr></thead><tbody>{case_rows}</tbody></table></div>'
        ),
    )


def render_entry(kb: Knowledge, entry_id: str) -> str | None:
    e = kb.entries.get(entry_id)
    if e is None:
        return None
    src = kb.sources.get(e.source_id, {})
    rows = [
        ("条目 / Entry", e.id),
        ("主题 / Topic", e.topic or "—"),
        ("来源 / Source", f"{src.get('title_zh') or e.source_id}（{e.source_id}）"),
        ("条款 / Article", e.article.get("zh") or "—"),
        ("生效 / Effective", f"{e.effective_from or '—'} – {e.effective_to or ''}"),
        ("已核实 / Verified", "是 / yes" if e.verified else "否 / no"),
        ("上次复核 / Last reviewed", e.last_reviewed or "从未 / never"),
    ]
    table = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    return page(
        f"知识条目 {e.id}",
        nav=EDITOR_NAV,
        body=(
            f"<h1>知识条目 / Entry {esc(e.id)}</h1><table><caption>条目信息 / Details</caption>{table}</table>"
            f"<h2>中文答案</h2><pre>{esc(e.answer.get('zh'))}</pre>"
            f'<h2 lang="en">English answer</h2><pre lang="en">{esc(e.answer.get("en"))}</pre>'
            "<p class=note>修改请编辑 knowledge/ 下的 YAML 后运行 make knowledge。/ Edit the YAML under knowledge/ "
            'and run make knowledge.</p><p><a href="/review">返回 / Back</a></p>'
        ),
    )


def add_routes(app: web.Application, *, engine=None, failures=None, trust_proxy: bool = False) -> None:
    area = StaffArea(EDITOR, engine=engine, failures=failures, trust_proxy=trust_proxy)
    kb_cache = KnowledgeCache(engine) if engine is not None else None

    def kb() -> Knowledge:
        if kb_cache is not None:
            return kb_cache.get()
        from core.knowledge.search import knowledge

        return knowledge()

    def since() -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - dt.timedelta(days=_int_env("REVIEW_DAYS", 90))

    def groups_now() -> tuple[Knowledge, list]:
        k = kb()
        return k, review.group_questions(feedback.review_items(since(), engine=engine), k)

    async def view(request: web.Request) -> web.Response:
        def build() -> str:
            k, groups = groups_now()
            stale_days = _int_env("REVIEW_STALE_DAYS", 365)
            return render(
                [g.to_dict(k) for g in groups],
                review.stale_entries(k, stale_days),
                cases.answered_cases(engine=engine),
                feedback.feedback_counts(engine=engine),
                _int_env("REVIEW_DAYS", 90),
                stale_days,
            )

        return html_response(await asyncio.to_thread(build))

    async def entry(request: web.Request) -> web.Response:
        body = await asyncio.to_thread(render_entry, kb(), request.match_info["entry_id"])
        if body is None:
            return html_response(page("未找到 / Not found", "<h1>没有这个条目 / No such entry</h1>"), status=404)
        return html_response(body)

    async def export(request: web.Request) -> web.Response:
        def build() -> str | None:
            k, groups = groups_now()
            g = review.find_group(groups, request.match_info["key"])
            return review.export_dev_questions(g, k) if g else None

        text = await asyncio.to_thread(build)
        if text is None:
            return web.Response(status=404, text="no such group (it may have left the review window)")
        return web.Response(
            text=text,
            content_type="text/yaml",
            charset="utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="dev_questions_review.yml"',
                "Cache-Control": "no-store",
            },
        )

    async def draft(request: web.Request) -> web.Response:
        try:
            text = await asyncio.to_thread(cases.knowledge_draft, request.match_info["case_id"], engine=engine)
        except cases.CaseError as exc:
            return web.Response(status=404, text=str(exc))
        return web.Response(
            text=text,
            content_type="text/yaml",
            charset="utf-8",
            headers={"Content-Disposition": 'attachment; filename="knowledge_draft.yaml"', "Cache-Control": "no-store"},
        )

    app.router.add_get("/review", area.guard("view_review", view))
    app.router.add_get(r"/review/entry/{entry_id:[A-Za-z0-9_.:-]{1,120}}", area.guard("view_entry", entry))
    app.router.add_get(
        r"/review/groups/{key:[A-Za-z0-9_-]{1,32}}/dev_questions.yml", area.guard("export_group", export)
    )
    app.router.add_get(r"/review/cases/{case_id:\d+}/draft.yaml", area.guard("knowledge_draft", draft))
    area.add_login_routes(app)
