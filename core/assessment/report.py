"""PDF self-assessment report with reportlab (no Rasa import).

Chinese uses reportlab's built-in CID font STSong-Light (Adobe-GB1; needs no font file, the
viewer supplies the glyphs, and the text stays extractable, e.g. with pypdf).

    path = build_report(result, enterprise={"code": ..., "name": ...})      # result = ScoreResult.to_dict()
    token = save_report(result, enterprise=...)  # stored as var/reports/<token>.pdf
    report_file(token) -> Path | None

Gap guidance (why / steps / evidence) comes from knowledge/standards/guidance.yaml
(``guidance: [{applies_to: ["advanced:12", ...], why: {zh,en}, steps: {zh: [..], en: [..]},
evidence: {zh: [..], en: [..]}}]``); a missing or partial file only leaves those parts out.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.standards import catalogue as std_mod

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GUIDANCE_PATH = PROJECT_ROOT / "knowledge" / "standards" / "guidance.yaml"
REPORTS_DIR = PROJECT_ROOT / "var" / "reports"
FONT = "STSong-Light"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

_T = {
    "title": {"zh": "海关认证企业标准自我评估报告", "en": "Customs certification self-assessment report"},
    "enterprise": {"zh": "企业", "en": "Enterprise"},
    "code": {"zh": "统一社会信用代码", "en": "Unified social credit code"},
    "date": {"zh": "日期", "en": "Date"},
    "standard": {"zh": "评估标准", "en": "Standard"},
    "rule_set": {"zh": "评分规则", "en": "Scoring rules"},
    "verified": {"zh": "已核实", "en": "verified"},
    "unverified": {"zh": "未经官方核实", "en": "not officially verified"},
    "verified_old": {
        "zh": "旧标准的官方规则；2026年是否沿用未经核实",
        "en": "official rules of the earlier standards; not verified for 2026",
    },
    "total": {"zh": "总分", "en": "Total"},
    "result": {"zh": "结论", "en": "Result"},
    "pass": {"zh": "按所选规则可以通过", "en": "passes under the selected rules"},
    "fail": {"zh": "按所选规则暂不能通过", "en": "does not pass under the selected rules yet"},
    "reasons": {"zh": "原因", "en": "Reasons"},
    "dims": {"zh": "各维度得分情况", "en": "Scores by dimension"},
    "chart_note": {
        "zh": "百分比 = 该维度已评项目保留的分值比例（达标100%，基本达标50%，不达标0%）。",
        "en": "Percent = share of points kept among the dimension's scored items (meets 100%, basically 50%, fails 0%).",
    },
    "gaps": {"zh": "差距与改进建议", "en": "Gaps and improvement"},
    "no_gaps": {"zh": "没有不达标或基本达标的项目。", "en": "No item is below 达标."},
    "requirement": {"zh": "标准要求", "en": "Requirement"},
    "why": {"zh": "为什么重要", "en": "Why it matters"},
    "steps": {"zh": "改进步骤", "en": "Steps"},
    "evidence": {"zh": "需准备的材料", "en": "Evidence"},
    "no_guidance": {
        "zh": "（暂无该项的改进指引，请咨询主管海关。）",
        "en": "(No guidance for this item yet; ask your customs office.)",
    },
    "blocks": {"zh": "影响通过", "en": "blocks certification"},
    "unanswered": {"zh": "未回答的项目", "en": "Unanswered items"},
    "disclaimer": {
        "zh": "本报告是企业自我评估的结果，不代表海关的认证结论。标准条文取自公开的第三方转录，评分规则如未经核实，请以海关官方说明为准（可咨询主管海关或12360热线，或查询 credit.customs.gov.cn）。",
        "en": "This report reflects the enterprise's own self-assessment, not a customs decision. Standard texts come from a public third-party transcription; where the scoring rules are not verified, the official explanation prevails (ask your customs office, the 12360 hotline or credit.customs.gov.cn).",
    },
    "page": {"zh": "第 {n} 页", "en": "Page {n}"},
    "dimension": {"zh": "维度", "en": "Dimension"},
    "score": {"zh": "扣/加分", "en": "Points"},
    "counts": {"zh": "达标/基本/不达标/不适用", "en": "Met/Basic/Fail/N.A."},
    "item": {"zh": "第{n}项", "en": "Item {n}"},
}


def _t(key: str, lang: str, **kw) -> str:
    s = _T[key].get(lang) or _T[key]["zh"]
    return s.format(**kw) if kw else s


_font_ready = False


def _ensure_font() -> None:
    global _font_ready
    if not _font_ready:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _font_ready = True


# --------------------------------------------------------------------------- guidance


def load_guidance(path: os.PathLike | None = None) -> dict:
    """{"advanced:12": {"why": {...}, "steps": {...}, "evidence": {...}}}; {} if absent or invalid."""
    p = Path(path or os.environ.get("GUIDANCE_PATH") or GUIDANCE_PATH)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("guidance file %s unreadable: %s", p, exc)
        return {}
    out: dict = {}
    entries = (doc or {}).get("guidance") if isinstance(doc, dict) else None
    for e in entries or []:
        if not isinstance(e, dict):
            continue
        for key in e.get("applies_to") or []:
            if isinstance(key, str):
                out.setdefault(key.strip(), e)
    return out


def _lang_list(value: Any, lang: str) -> list:
    if isinstance(value, dict):
        v = value.get(lang) or value.get("zh") or value.get("en")
    else:
        v = value
    if isinstance(v, str):
        return [v]
    return [str(x) for x in v] if isinstance(v, list) else []


def _lang_text(value: Any, lang: str) -> str:
    return " ".join(_lang_list(value, lang))


# --------------------------------------------------------------------------- building


def _styles():
    _ensure_font()
    base = {"fontName": FONT, "wordWrap": "CJK", "leading": 15, "fontSize": 10}
    return {
        "title": ParagraphStyle(
            "t", **{**base, "fontSize": 18, "leading": 24, "alignment": TA_CENTER, "spaceAfter": 8}
        ),
        "h2": ParagraphStyle("h2", **{**base, "fontSize": 13, "leading": 18, "spaceBefore": 10, "spaceAfter": 4}),
        "h3": ParagraphStyle("h3", **{**base, "fontSize": 11, "leading": 16, "spaceBefore": 6}),
        "body": ParagraphStyle("b", **base),
        "small": ParagraphStyle(
            "s", **{**base, "fontSize": 8.5, "leading": 12, "textColor": colors.HexColor("#444444")}
        ),
        "big": ParagraphStyle("big", **{**base, "fontSize": 14, "leading": 20}),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _chart(result: dict, lang: str) -> Drawing | None:
    dims = [(d, v) for d, v in (result.get("dimensions") or {}).items() if v.get("percent") is not None]
    if not dims:
        return None
    names = [(v.get("name") or {}).get(lang, d) if lang != "zh" else d for d, v in dims]
    values = [float(v["percent"]) for _, v in dims]
    h = 30 + 22 * len(dims)
    dr = Drawing(170 * mm, h)
    ch = HorizontalBarChart()
    ch.x, ch.y, ch.width, ch.height = 40 * mm, 10, 115 * mm, h - 20
    ch.data = [values[::-1]]
    ch.categoryAxis.categoryNames = names[::-1]
    ch.categoryAxis.labels.fontName = FONT
    ch.categoryAxis.labels.fontSize = 9
    ch.valueAxis.valueMin, ch.valueAxis.valueMax, ch.valueAxis.valueStep = 0, 100, 20
    ch.valueAxis.labels.fontName = FONT
    ch.valueAxis.labels.fontSize = 8
    ch.bars[0].fillColor = colors.HexColor("#2F6FB0")
    ch.barLabelFormat = "%.0f%%"
    ch.barLabels.fontName = FONT
    ch.barLabels.fontSize = 8
    ch.barLabels.nudge = 12
    dr.add(ch)
    return dr


def build_report_bytes(
    result: dict,
    enterprise: dict | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
    guidance_path: os.PathLike | None = None,
) -> bytes:
    """The report as PDF bytes. ``result``: scoring.ScoreResult.to_dict() (or the stored result)."""
    lang = "en" if lang == "en" else "zh"
    st = _styles()
    enterprise = enterprise or {}
    when = generated_at or dt.datetime.now()
    guidance = load_guidance(guidance_path)
    sid = result.get("standard") or "advanced"
    try:
        std = std_mod.get_standard(sid)
        std_name = std.name.get(lang, sid)
    except std_mod.StandardsError:
        std, std_name = None, sid
    rs = result.get("rule_set") or {}
    vkey = (
        "unverified"
        if not rs.get("verified")
        else ("verified" if rs.get("applies_to_2026_verified", True) else "verified_old")
    )
    story: list = [_p(_t("title", lang), st["title"])]

    info = [
        (_t("enterprise", lang), enterprise.get("name") or "—"),
        (_t("code", lang), enterprise.get("code") or "—"),
        (_t("date", lang), when.strftime("%Y-%m-%d")),
        (_t("standard", lang), std_name),
        (
            _t("rule_set", lang),
            f"{(rs.get('name') or {}).get(lang, rs.get('id', ''))}" f"（{_t(vkey, lang)}）"
            if lang == "zh"
            else f"{(rs.get('name') or {}).get(lang, rs.get('id', ''))} " f"({_t(vkey, lang)})",
        ),
    ]
    tbl = Table([[_p(k, st["body"]), _p(v, st["body"])] for k, v in info], colWidths=[40 * mm, 130 * mm])
    tbl.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF2F7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [tbl, Spacer(1, 6)]

    total = result.get("total")
    verdict = _t("pass" if result.get("passed") else "fail", lang)
    sep = "：" if lang == "zh" else ": "
    story.append(_p(f"{_t('total', lang)}{sep}{total}    {_t('result', lang)}{sep}{verdict}", st["big"]))
    fc = result.get("failed_conditions") or []
    if fc:
        story.append(_p(_t("reasons", lang) + sep, st["body"]))
        for c in fc:
            story.append(_p(f"· {(c.get('message') or {}).get(lang, c.get('code'))}", st["body"]))
    for n in result.get("notes") or []:
        story.append(_p(f"※ {n.get(lang, '')}", st["small"]))

    story.append(_p(_t("dims", lang), st["h2"]))
    rows = [
        [
            _p(_t("dimension", lang), st["small"]),
            _p(_t("score", lang), st["small"]),
            _p(_t("counts", lang), st["small"]),
            _p("%", st["small"]),
        ]
    ]
    for d, v in (result.get("dimensions") or {}).items():
        c = v.get("counts") or {}
        name = d if lang == "zh" else f"{(v.get('name') or {}).get('en', d)}"
        cnt = f"{c.get('达标', 0) + c.get('符合', 0)}/{c.get('基本达标', 0)}/{c.get('不达标', 0) + c.get('不符合', 0)}/{c.get('不适用', 0)}"
        rows.append(
            [
                _p(name, st["body"]),
                _p(str(v.get("score")), st["body"]),
                _p(cnt, st["body"]),
                _p("—" if v.get("percent") is None else f"{v['percent']}", st["body"]),
            ]
        )
    t2 = Table(rows, colWidths=[50 * mm, 25 * mm, 55 * mm, 25 * mm])
    t2.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF2F7"))]
        )
    )
    story.append(t2)
    chart = _chart(result, lang)
    if chart is not None:
        story += [Spacer(1, 6), chart, _p(_t("chart_note", lang), st["small"])]

    story.append(_p(_t("gaps", lang), st["h2"]))
    gaps = result.get("gaps") or []
    if not gaps:
        story.append(_p(_t("no_gaps", lang), st["body"]))
    for g in gaps:
        n = g.get("item")
        label = g.get("label", "")
        dim = g.get("dimension", "") if lang == "zh" else g.get("dimension_en", g.get("dimension", ""))
        v = g.get("verdict", "")
        if lang == "en":
            v = f"{v} ({g.get('verdict_en', '')})"
        flag = f" — {_t('blocks', lang)}" if g.get("blocks_certification") else ""
        story.append(
            _p(
                f"{_t('item', lang, n=n)} {label}（{dim}）：{v}{flag}"
                if lang == "zh"
                else f"{_t('item', lang, n=n)} {label} ({dim}): {v}{flag}",
                st["h3"],
            )
        )
        req = g.get("requirement")
        if not req and std is not None and n in std.by_number:
            req = std.by_number[n].requirement
        if req:
            story.append(_p(f"{_t('requirement', lang)}{sep}{req}", st["small"]))
        gd = guidance.get(f"{sid}:{n}")
        if not gd:
            story.append(_p(_t("no_guidance", lang), st["small"]))
            continue
        why = _lang_text(gd.get("why"), lang)
        if why:
            story.append(_p(f"{_t('why', lang)}{sep}{why}", st["body"]))
        for key in ("steps", "evidence"):
            lines = _lang_list(gd.get(key), lang)
            if lines:
                story.append(_p(_t(key, lang) + sep, st["body"]))
                for i, line in enumerate(lines, 1):
                    story.append(_p(f"{i}. {line}", st["body"]))
    un = result.get("unanswered") or []
    if un:
        story.append(_p(f"{_t('unanswered', lang)}{sep}{', '.join(str(x) for x in un)}", st["body"]))
    story += [Spacer(1, 10), _p(_t("disclaimer", lang), st["small"])]

    def _page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, _t("page", lang, n=doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=_t("title", lang),
        author="Credit Cultivation Assistant",
    )
    doc.build(story, onFirstPage=_page, onLaterPages=_page)
    return buf.getvalue()


def build_report(
    result: dict,
    enterprise: dict | None = None,
    path: os.PathLike | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
    guidance_path: os.PathLike | None = None,
) -> Path:
    """Write the report to ``path`` (default: a new token file under the reports dir); returns the path."""
    data = build_report_bytes(result, enterprise, lang, generated_at, guidance_path)
    if path is None:
        path = reports_dir() / f"{new_token()}.pdf"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- token store


def reports_dir(base: os.PathLike | None = None) -> Path:
    return Path(base or os.environ.get("REPORTS_DIR") or REPORTS_DIR)


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 chars, 192 bits


def save_report(
    result: dict,
    enterprise: dict | None = None,
    lang: str = "zh",
    base_dir: os.PathLike | None = None,
    guidance_path: os.PathLike | None = None,
) -> str:
    """Build and store a report under the reports dir; returns its unguessable token."""
    token = new_token()
    build_report(result, enterprise, reports_dir(base_dir) / f"{token}.pdf", lang, guidance_path=guidance_path)
    return token


def report_file(token: str, base_dir: os.PathLike | None = None) -> Path | None:
    """The stored report for ``token``, or None (bad token format or no such file)."""
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        return None
    p = reports_dir(base_dir) / f"{token}.pdf"
    return p if p.is_file() else None
