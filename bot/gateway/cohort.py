"""Cohort view for officers (auth: bot/gateway/staff.py), over enterprises that
consented to share with customs (core/cohort/analysis.py).

    GET /officer/cohort?standard=advanced&district=...&from=YYYY-MM-DD&to=YYYY-MM-DD
    GET /officer/cohort.csv?table=distribution|items|movement|overdue|reach&(same filters)

Charts are drawn in the browser by /cohort.js (Apache ECharts, bundled by
scripts/build_web.sh); every chart has a table with the same numbers and a CSV.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from urllib.parse import urlencode

from aiohttp import web

from core.cohort import analysis

from .staff import OFFICER_NAV, SCRIPT_CSP, StaffArea, csv_response, esc, html_response, page, render_csv

STANDARDS = {"advanced": "高级认证企业标准 / Advanced certified", "certified": "认证企业标准 / Certified"}
TABLE_TITLES = {
    "distribution": "得分分布 / Score distribution",
    "items": "差距最多的标准项 / Items most often not met",
    "movement": "与上次评估相比 / Movement since the previous assessment",
    "overdue": "逾期培育任务 / Overdue cultivation tasks",
    "reach": "接近达标的企业 / Enterprises within reach of a pass",
}
HEADINGS = {
    "bin": "得分 / Score",
    "count": "企业数 / Enterprises",
    "item": "项 / Item",
    "label": "标准项 / Requirement",
    "dimension": "维度 / Dimension",
    "fail": "不达标 / Not met",
    "partial": "基本达标 / Partly met",
    "gaps": "合计 / Total",
    "share": "占比 / Share",
    "code": "统一社会信用代码 / Code",
    "name": "企业 / Enterprise",
    "sample": "演示 / Demo",
    "district": "关区 / District",
    "latest": "最近得分 / Latest",
    "latest_date": "日期 / Date",
    "previous": "上次得分 / Previous",
    "previous_date": "上次日期 / Previous date",
    "change": "变化 / Change",
    "passed": "达标 / Passed",
    "title": "任务 / Task",
    "due_date": "到期 / Due",
    "days_overdue": "逾期天数 / Days overdue",
    "severity": "判定 / Verdict",
    "total": "得分 / Score",
    "partial_items": "基本达标项 / Partly met items",
    "failed_conditions": "未满足条件 / Conditions not met",
}


def _cell(key: str, value) -> str:
    if isinstance(value, bool):
        return "是 / yes" if value else "否 / no"
    if isinstance(value, list):
        return esc(", ".join(str(v) for v in value))
    if key == "share" and isinstance(value, float):
        return f"{value:.0%}"
    if key == "change" and isinstance(value, int | float):
        return f"{value:+g}"
    return esc("—" if value is None or value == "" else value)


def _table(name: str, rows: list, query: dict) -> str:
    cols = analysis.TABLES[name]
    head = "".join(f'<th scope="col">{esc(HEADINGS.get(c, c))}</th>' for c in cols)
    body = (
        "".join(
            "<tr>"
            + "".join(
                (f'<th scope="row">{_cell(c, r.get(c))}</th>' if i == 0 else f"<td>{_cell(c, r.get(c))}</td>")
                for i, c in enumerate(cols)
            )
            + "</tr>"
            for r in rows
        )
        or f'<tr><td colspan="{len(cols)}">无数据 / No data</td></tr>'
    )
    csv_link = "/officer/cohort.csv?" + urlencode(dict(query, table=name))
    return (
        f'<div class="tablewrap"><table id="table-{name}"><caption>{esc(TABLE_TITLES[name])} '
        f'<a href="{esc(csv_link)}">CSV</a></caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def _filters(flt: analysis.CohortFilter, districts: list) -> str:
    std = "".join(
        f'<option value="{k}"{" selected" if k == flt.standard else ""}>{esc(v)}</option>' for k, v in STANDARDS.items()
    )
    dist = '<option value="">全部 / All</option>' + "".join(
        f'<option value="{esc(d)}"{" selected" if d == flt.district else ""}>{esc(d)}</option>' for d in districts
    )
    return (
        '<form method="get" action="/officer/cohort" class="filters card" aria-label="筛选 / Filters">'
        f'<div><label for="f-standard">标准 / Standard</label><select id="f-standard" name="standard">{std}</select></div>'
        f'<div><label for="f-district">关区 / District</label><select id="f-district" name="district">{dist}</select></div>'
        f'<div><label for="f-from">评估日期自 / From</label><input id="f-from" name="from" type="date" value="{esc(flt.date_from or "")}"></div>'
        f'<div><label for="f-to">至 / To</label><input id="f-to" name="to" type="date" value="{esc(flt.date_to or "")}"></div>'
        '<div><button type="submit">筛选 / Apply</button></div></form>'
    )


def _chart(chart_id: str, title: str, summary: str) -> str:
    return (
        f'<section class="card" aria-labelledby="{chart_id}-h"><h2 id="{chart_id}-h">{esc(title)}</h2>'
        f'<div id="{chart_id}" class="chart" role="img" aria-label="{esc(summary)}"></div></section>'
    )


def render(data: dict, flt: analysis.CohortFilter, districts: list, error: str = "") -> str:
    q = flt.query()
    top = data["items"][:3]
    items_summary = "；".join(f"第{r['item']}项 {r['label']}：不达标{r['fail']}、基本达标{r['partial']}" for r in top)
    dist_summary = "，".join(f"{d['bin']}分 {d['count']}家" for d in data["distribution"] if d["count"]) or "无数据"
    err = f'<p role="alert" class="overdue">{esc(error)}</p>' if error else ""
    blob = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    body = (
        "<h1>信用培育群体分析 / Cohort view</h1>"
        f"{err}{_filters(flt, districts)}"
        f'<p class="note">范围：已授权向海关共享的企业 {data["consenting"]} 家，其中 {data["enterprises"]} 家在所选期间有'
        f"{esc(STANDARDS[flt.standard])}的已完成自评（每家取最近一次）。得分为企业自评，不是海关认证结论；"
        "名称带“演示数据”的为演示企业。<br>Scope: consenting enterprises; each counts with its latest completed "
        "self-assessment in the period. Scores are self-assessments, not customs certification results.</p>"
        '<div class="grid">'
        + _chart("chart-distribution", "得分分布 / Score distribution", "得分分布：" + dist_summary)
        + _chart("chart-dimensions", "各维度差距项 / Gaps by dimension", "各维度不达标与基本达标项数")
        + "</div>"
        + _chart(
            "chart-heatmap",
            "标准项差距热力图（按项和维度） / Heat map of gaps by item and dimension",
            "差距最多的标准项：" + (items_summary or "无数据"),
        )
        + _table("items", data["items"], q)
        + '<div class="grid">'
        + _chart("chart-movement", "与上次评估相比 / Movement since the previous assessment", "各企业得分变化，见下表")
        + "<div>"
        + _table("distribution", data["distribution"], q)
        + "</div></div>"
        + _table("movement", data["movement"], q)
        + _table("reach", data["reach"], q)
        + _table("overdue", data["overdue"], q)
        + f'<script type="application/json" id="cohort-data">{blob}</script>'
    )
    return page(
        "信用培育群体分析 / Cohort view", nav=OFFICER_NAV, current="/officer/cohort", body=body, scripts=("/cohort.js",)
    )


def add_routes(app: web.Application, area: StaffArea) -> None:
    engine = area.engine

    def parse(request: web.Request) -> tuple[analysis.CohortFilter, str]:
        try:
            return analysis.CohortFilter.parse(dict(request.query)), ""
        except ValueError as exc:
            return analysis.CohortFilter(), f"筛选条件有误 / Bad filter: {exc}"

    async def view(request: web.Request) -> web.Response:
        flt, error = parse(request)
        data = await asyncio.to_thread(analysis.cohort, flt, engine=engine)
        districts = await asyncio.to_thread(analysis.districts, engine=engine)
        return html_response(render(data, flt, districts, error), status=400 if error else 200, csp=SCRIPT_CSP)

    async def export(request: web.Request) -> web.Response:
        flt, error = parse(request)
        table = request.query.get("table", "items")
        if error or table not in analysis.TABLES:
            msg = error or f"table must be one of {', '.join(analysis.TABLES)}"
            return web.json_response({"error": "bad_request", "message": msg}, status=400)
        data = await asyncio.to_thread(analysis.cohort, flt, engine=engine)
        name = f"cohort-{table}-{flt.standard}-{dt.date.today().isoformat()}.csv"
        return csv_response(render_csv(data[table], analysis.TABLES[table]), name)

    app.router.add_get("/officer/cohort", area.guard("view_cohort", view))
    app.router.add_get("/officer/cohort.csv", area.guard("export_cohort", export))
