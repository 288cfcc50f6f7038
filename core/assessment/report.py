"""PDF self-assessment report with reportlab (no Rasa import).

The report is meant to be handed to a manager: page 1 says who, what, which scope and the
result with its reasons, in one summary paragraph; then a chart of every dimension (附加标准
included), the gaps with requirement, steps and evidence, the improvement plan's owners and
due dates when a plan exists, and an appendix with every answer and every 不适用 reason.
Every page carries "第 x 页 / 共 y 页".

The Chinese font is a real TrueType file embedded in the PDF (Debian ``fonts-wqy-microhei``,
installed by scripts/install_system_packages.sh; ``REPORT_FONT`` = path[:subfont] overrides).
Without one the report falls back to reportlab's built-in CID font STSong-Light (not
embedded: the reader's viewer must supply the glyphs) and logs a warning.

    path = build_report(result, enterprise={"code": ..., "name": ...})      # result = ScoreResult.to_dict()
    token = save_report(result, enterprise=...)  # stored in the database (report_store.py)
    stored_report(token) -> (pdf bytes, "自评报告_企业名_2026-11-29.pdf") | None

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

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from core.standards import catalogue as std_mod
from core.standards import scoring
from core.standards.guidance import all_guidance

log = logging.getLogger(__name__)


# TrueType fonts reportlab can embed (TrueType outlines, not CFF), best first: (path, subfont).
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
EMBEDDED_FONT = "ReportCJK"
FALLBACK_FONT = "STSong-Light"

BLUE = colors.HexColor("#0A3D7A")
LIGHT = colors.HexColor("#EEF2F7")
TEXT = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#3A3A3A")
# verdict → (colour, text colour on it)
VERDICT_COLORS = {
    scoring.MET: (colors.HexColor("#2E7D32"), colors.white),
    scoring.ADD_MET: (colors.HexColor("#2E7D32"), colors.white),
    scoring.BASIC: (colors.HexColor("#F2B33D"), TEXT),
    scoring.NOT_MET: (colors.HexColor("#C62828"), colors.white),
    scoring.NA: (colors.HexColor("#9E9E9E"), TEXT),
    scoring.ADD_NOT_MET: (colors.HexColor("#9E9E9E"), TEXT),
    "": (colors.HexColor("#DDE3EA"), TEXT),
}

# answer cell tints in the appendix (light, so black text stays readable)
ANSWER_TINT = {
    scoring.NOT_MET: colors.HexColor("#F6CFCF"),
    scoring.BASIC: colors.HexColor("#FBE8BF"),
    scoring.NA: colors.HexColor("#E6E6E6"),
    "": colors.HexColor("#E6E6E6"),
}

_T: dict[str, dict[str, Any]] = {
    "title": {"zh": "海关认证企业标准自我评估报告", "en": "Customs certification self-assessment report"},
    "enterprise": {"zh": "企业名称", "en": "Enterprise"},
    "code": {"zh": "统一社会信用代码", "en": "Unified social credit code"},
    "date": {"zh": "报告日期", "en": "Date"},
    "report_id": {"zh": "报告编号", "en": "Report no."},
    "standard": {"zh": "评估标准", "en": "Standard"},
    "scope": {"zh": "评估范围", "en": "Scope"},
    "scope_full": {"zh": "全面评估 {n}/{total}项", "en": "Full assessment, {n}/{total} items"},
    "scope_quick": {
        "zh": "快速自查 {n}/{total}项（只覆盖部分项目，结论仅供参考）",
        "en": "Quick check, {n}/{total} items (part of the standard only; indicative)",
    },
    "scope_part": {"zh": "部分评估 {n}/{total}项", "en": "Partial assessment, {n}/{total} items"},
    "rule_set": {"zh": "评分规则", "en": "Scoring rules"},
    "verified": {"zh": "已核实", "en": "verified"},
    "unverified": {"zh": "未经官方核实", "en": "not officially verified"},
    "verified_old": {
        "zh": "旧标准的官方规则；2026年是否沿用未经核实",
        "en": "official rules of the earlier standards; not verified for 2026",
    },
    "total": {"zh": "总分", "en": "Total"},
    "points_unit": {"zh": "{v} 分", "en": "{v} points"},
    "result": {"zh": "结论", "en": "Result"},
    "pass": {"zh": "按所选规则可以通过", "en": "passes under the selected rules"},
    "fail": {"zh": "按所选规则暂不能通过", "en": "does not pass under the selected rules yet"},
    "why_fail": {"zh": "未通过的原因", "en": "Why it does not pass"},
    "why_pass": {
        "zh": "通过的依据（满足所选规则的全部条件）",
        "en": "Why it passes (all conditions of the rules are met)",
    },
    "summary": {"zh": "摘要", "en": "Summary"},
    "dims": {"zh": "各维度情况", "en": "Dimensions"},
    "chart_note": {
        "zh": "每条横条代表一个维度的全部已评项目，按回答分色；右侧为该维度的得分率（达标100%，基本达标50%，不达标0%，不适用不计）或附加标准的加分。",
        "en": "Each bar is one dimension's assessed items, coloured by answer; on the right the dimension's score rate (meets 100%, basically 50%, fails 0%, not applicable not counted) or the additional points.",
    },
    "rate": {"zh": "得分率{p}%", "en": "{p}% kept"},
    "rate_none": {"zh": "无计分项", "en": "no scored item"},
    "add_points": {"zh": "加{v}分", "en": "+{v} points"},
    "items_n": {"zh": "{n}项", "en": "{n} items"},
    "answered_n": {"zh": "已答{a}/{n}项", "en": "{a}/{n} answered"},
    "dimension": {"zh": "维度", "en": "Dimension"},
    "score": {"zh": "扣/加分", "en": "Points"},
    "count_cols": {"zh": ["达标", "基本达标", "不达标", "不适用"], "en": ["Met", "Basic", "Not met", "N/A"]},
    "gaps": {"zh": "差距与改进建议", "en": "Gaps and improvement"},
    "no_gaps": {"zh": "没有不达标或基本达标的项目。", "en": "No item is below 达标 (meets)."},
    "requirement": {"zh": "标准要求", "en": "Requirement (our unofficial translation)"},
    "why": {"zh": "为什么重要", "en": "Why it matters"},
    "steps": {"zh": "改进步骤", "en": "Steps"},
    "evidence": {"zh": "需准备的材料", "en": "Evidence to prepare"},
    "owner": {"zh": "建议牵头部门", "en": "Suggested owner"},
    "no_guidance": {
        "zh": "暂无该项的改进指引，请咨询主管海关。",
        "en": "No guidance for this item yet; ask your customs office.",
    },
    "blocks": {"zh": "影响通过", "en": "blocks certification"},
    "plan": {"zh": "整改计划", "en": "Improvement plan"},
    "plan_cols": {
        "zh": ["项目", "任务", "责任部门", "截止日期", "状态"],
        "en": ["Item", "Task", "Owner", "Due", "Status"],
    },
    "plan_status": {
        "zh": {"open": "进行中", "done": "已完成", "overdue": "已逾期"},
        "en": {"open": "open", "done": "done", "overdue": "overdue"},
    },
    "appendix": {"zh": "附录：全部回答", "en": "Appendix: every answer"},
    "appendix_cols": {
        "zh": ["序号", "项目", "维度", "回答", "说明"],
        "en": ["No.", "Item", "Dimension", "Answer", "Note"],
    },
    "unanswered_v": {"zh": "未回答", "en": "unanswered"},
    "na_reason_missing": {"zh": "未说明理由", "en": "no reason given"},
    "disclaimer": {
        "zh": "本报告是企业自我评估的结果，不代表海关的认证结论。标准条文取自公开的第三方转录，评分规则如未经核实，请以海关官方说明为准（可咨询主管海关或12360热线，或查询 credit.customs.gov.cn）。",
        "en": "This report reflects the enterprise's own self-assessment, not a customs decision. Standard texts come from a public third-party transcription; where the scoring rules are not verified, the official explanation prevails (ask your customs office, the 12360 hotline or credit.customs.gov.cn). The English item names and requirements are our own unofficial translation; the Chinese text of the standard prevails.",
    },
    "page": {"zh": "第 {n} 页 / 共 {total} 页", "en": "Page {n} of {total}"},
    "item": {"zh": "第{n}项", "en": "Item {n}"},
    "legend": {
        "zh": {
            "达标": "达标 / 符合",
            "基本达标": "基本达标",
            "不达标": "不达标",
            "不适用": "不适用 / 不符合",
            "": "未回答",
        },
        "en": {
            "达标": "meets / met",
            "基本达标": "basically meets",
            "不达标": "does not meet",
            "不适用": "not applicable / not met",
            "": "unanswered",
        },
    },
    "filename": {"zh": "自评报告", "en": "self-assessment"},
}

# additional items: 符合 counts with 达标, 不符合 (= not claimed) with 不适用 in the chart
CHART_GROUP = {scoring.ADD_MET: scoring.MET, scoring.ADD_NOT_MET: scoring.NA}

VERDICT_LABEL = {
    "zh": {v: v for v in (*scoring.ALL_VERDICTS, "")},
    "en": {**scoring.VERDICT_EN, "": ""},
}


def _t(key: str, lang: str, **kw) -> Any:
    s = _T[key].get(lang) or _T[key]["zh"]
    return s.format(**kw) if kw else s


# --------------------------------------------------------------------------- font

_font: str | None = None


def font_file() -> tuple[Path, int] | None:
    """The CJK TrueType file to embed: REPORT_FONT (path[:subfont]) or the first installed candidate."""
    env = os.environ.get("REPORT_FONT", "").strip()
    cands: list[tuple[str, int]] = []
    if env:
        path, _, sub = env.partition(":") if not Path(env).exists() else (env, "", "")
        cands.append((path, int(sub) if sub.isdigit() else 0))
    cands += FONT_CANDIDATES
    for file, index in cands:
        if Path(file).is_file():
            return Path(file), index
    return None


def report_font() -> str:
    """Register and return the report's font name (embedded TTF, else the CID fallback)."""
    global _font
    if _font:
        return _font
    found = font_file()
    if found is not None:
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED_FONT, str(found[0]), subfontIndex=found[1]))
            _font = EMBEDDED_FONT
            return _font
        except (TTFError, OSError) as exc:
            log.warning("report font %s unusable: %s", found[0], exc)
    log.warning(
        "No embeddable CJK font found (install fonts-wqy-microhei or set REPORT_FONT); PDF reports use "
        "the non-embedded %s, which the reader's viewer must supply.",
        FALLBACK_FONT,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    _font = FALLBACK_FONT
    return _font


# --------------------------------------------------------------------------- guidance


def load_guidance(path: os.PathLike | None = None) -> dict:
    """{"advanced:12": {"why": {...}, "steps": {...}, "evidence": {...}}}, read by the one strict
    reader (core/standards/guidance.py): a bad file fails the report instead of emptying it."""
    return all_guidance(path)


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


# --------------------------------------------------------------------------- pieces


def _styles(font: str) -> dict:
    base = {
        "fontName": font,
        "bulletFontName": font,
        "wordWrap": "CJK",
        "leading": 16,
        "fontSize": 10.5,
        "textColor": TEXT,
    }
    return {
        "title": ParagraphStyle(
            "t", **{**base, "fontSize": 20, "leading": 28, "alignment": TA_CENTER, "textColor": BLUE}
        ),
        "subtitle": ParagraphStyle("st", **{**base, "fontSize": 12, "alignment": TA_CENTER, "spaceAfter": 10}),
        "h2": ParagraphStyle(
            "h2", **{**base, "fontSize": 14, "leading": 20, "spaceBefore": 14, "spaceAfter": 6, "textColor": BLUE}
        ),
        "h3": ParagraphStyle("h3", **{**base, "fontSize": 11.5, "leading": 17, "spaceBefore": 8, "spaceAfter": 2}),
        "body": ParagraphStyle("b", **base),
        "cell": ParagraphStyle("c", **{**base, "fontSize": 10, "leading": 14}),
        "cell_head": ParagraphStyle("ch", **{**base, "fontSize": 10, "leading": 14, "textColor": colors.white}),
        "note": ParagraphStyle("n", **{**base, "fontSize": 9.5, "leading": 14, "textColor": MUTED}),
        "big": ParagraphStyle("big", **{**base, "fontSize": 16, "leading": 24}),
        "verdict": ParagraphStyle("v", **{**base, "fontSize": 13, "leading": 19}),
        "bullet": ParagraphStyle("bl", **{**base, "leftIndent": 14, "bulletIndent": 2}),
    }


def _p(text: Any, style, bullet: str | None = None) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style, bulletText=bullet)


def _labelled(label: str, text: Any, style) -> Paragraph:
    """A line whose leading label is set off in the heading colour."""
    return Paragraph(f'<font color="#0A3D7A">{escape(label)}</font>{escape(str(text))}', style)


def _item_ref_text(ref: Any, lang: str) -> str:
    """ "advanced:13" → 第13项 / Item 13 (other references as they are)."""
    m = re.match(r"^[a-z_]+:(\d+)$", str(ref or ""))
    return _t("item", lang, n=m.group(1)) if m else str(ref or "")


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _num(x: Any) -> Any:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return x
    return int(f) if f.is_integer() else round(f, 1)


def _dim_label(d: str, v: dict, lang: str) -> str:
    return d if lang == "zh" else str((v.get("name") or {}).get("en") or std_mod.dimension_name(d, "en"))


def _answers(result: dict) -> dict:
    out: dict = {}
    for k, v in (result.get("answers") or {}).items():
        try:
            out[int(k)] = v
        except (TypeError, ValueError):
            continue
    return out


def _na_reasons(result: dict, extra: dict | None) -> dict:
    """{item: reason} from the result (``not_applicable`` list, or ``na_reasons`` / ``reasons`` /
    ``answer_notes`` mappings) and ``extra``."""
    out: dict = {}
    for key in ("na_reasons", "reasons", "answer_notes"):
        src = result.get(key)
        if isinstance(src, dict):
            for k, v in src.items():
                if isinstance(v, dict):
                    v = v.get("reason") or v.get("text") or v.get("zh") or ""
                try:
                    out[int(k)] = str(v)
                except (TypeError, ValueError):
                    continue
    for na in result.get("not_applicable") or []:  # scoring's list of 不适用 answers
        if isinstance(na, dict) and na.get("item") is not None:
            why = na.get("reason") or (na.get("clause") if na.get("own_clause") else None)
            if why:
                out.setdefault(int(na["item"]), str(why))
    for k, v in (extra or {}).items():
        out[int(k)] = str(v)
    return out


def scope_info(result: dict, std: std_mod.Standard | None) -> dict:
    """{"mode", "n", "total"}: how many items were assessed out of the standard's applicable items."""
    dims = result.get("dimensions") or {}
    n = sum(int(v.get("items") or 0) for v in dims.values())
    sc = result.get("scope")
    if isinstance(sc, dict) and sc:  # scoring's own scope: {"mode", "n", "total", "general_n", ...}
        n = int(sc.get("n", n))
        total_n = sc.get("total")
        mode = result.get("mode") or sc.get("mode") or ("full" if total_n is None or n >= total_n else "partial")
        return {"mode": mode, "n": n, "total": total_n if total_n is not None else n}
    total = len(std.items) if std is not None else n
    if std is not None and std.id == "individual":
        total = n
    mode = result.get("mode") or ("full" if n >= total else "partial")
    return {"mode": mode, "n": n, "total": total}


def _scope_text(sc: dict, lang: str) -> str:
    key = {"quick": "scope_quick", "full": "scope_full"}.get(sc["mode"], "scope_part")
    return _t(key, lang, n=sc["n"], total=sc["total"] if sc["total"] is not None else sc["n"])


def _condition_text(c: dict, lang: str) -> str:
    """A rule set's pass condition in plain words, as a met condition."""
    t, v = c.get("type"), c.get("verdict", "")
    dims = c.get("dimensions") or []
    if lang == "zh":
        if t == "no_verdict":
            return f"没有{v}的项目"
        if t == "max_verdict_count":
            where = "、".join(dims) + "中" if dims else ""
            return f"{where}{v}不超过{c.get('max')}项"
        if t == "min_total":
            return f"总分不低于{_num(c.get('value'))}分"
        return "评估范围内的项目都已回答"
    ve = scoring.VERDICT_EN.get(v, v)
    if t == "no_verdict":
        return f"no item '{ve}' ({v})"
    if t == "max_verdict_count":
        where = " in " + ", ".join(std_mod.dimension_name(d, "en") for d in dims) if dims else ""
        return f"at most {c.get('max')} items '{ve}'{where}"
    if t == "min_total":
        return f"total at least {_num(c.get('value'))}"
    return "every item in scope answered"


def _pass_reasons(result: dict, lang: str) -> list:
    rid = (result.get("rule_set") or {}).get("id")
    try:
        rs = scoring.get_rule_set(rid)
    except (scoring.ScoringError, scoring.RuleSetError):
        return []
    return [_condition_text(c, lang) for c in rs.get("pass_conditions") or []]


def _counts(result: dict) -> dict:
    c = result.get("counts") or {}
    return {k: int(c.get(k) or 0) for k in scoring.ALL_VERDICTS}


def gap_label(row: dict, standard: str, lang: str) -> str:
    """The label of a gap / answer row of a result in the report's language: the catalogue's
    English label (results stored before it existed carry only the Chinese one)."""
    it = None if lang == "zh" else std_mod.find_item(standard, row.get("item"))
    if it is not None:
        return it.label_en
    return row.get("label", "") if lang == "zh" else row.get("label_en") or row.get("label", "")


def summary_text(result: dict, enterprise: dict, std_name: str, sc: dict, when: dt.date, lang: str) -> str:
    """The one-paragraph summary on page 1."""
    c = _counts(result)
    dims = result.get("dimensions") or {}
    add = dims.get(std_mod.ADDITIONAL_DIMENSION) or {}
    add_counts = add.get("counts") or {}
    add_met = int(add_counts.get(scoring.ADD_MET) or 0)
    general = {k: c[k] - int(add_counts.get(k) or 0) for k in c}
    un = result.get("unanswered") or []
    gaps = result.get("gaps") or []
    blocking = [g for g in gaps if g.get("blocks_certification")]
    worst: dict = {}
    for g in gaps:
        worst[g.get("dimension")] = worst.get(g.get("dimension"), 0) + 1
    worst_dim = max(worst.items(), key=lambda kv: kv[1]) if worst else None
    name = enterprise.get("name") or ("本企业" if lang == "zh" else "The enterprise")
    total = _num(result.get("total"))
    passed = bool(result.get("passed"))
    fc = [(x.get("message") or {}).get(lang) or x.get("code", "") for x in result.get("failed_conditions") or []]
    if lang == "zh":
        s = (
            f"{name}于{when:%Y年%-m月%-d日}对照《{std_name}》进行了{_scope_text(sc, lang)}。"
            f"通用项目中达标{general[scoring.MET]}项、基本达标{general[scoring.BASIC]}项、"
            f"不达标{general[scoring.NOT_MET]}项、不适用{general[scoring.NA]}项"
        )
        if add.get("items"):
            s += f"；附加标准{add.get('items')}项中符合{add_met}项，加{_num(result.get('additional_points') or 0)}分"
        if un:
            s += f"；另有{len(un)}项未回答"
        s += f"。按所选评分规则计算，总分{total}分，{_t('pass' if passed else 'fail', lang)}"
        s += f"：{'；'.join(fc)}。" if fc and not passed else "。"
        if worst_dim:
            s += f"差距主要在{worst_dim[0]}维度，共{worst_dim[1]}项。"
        if blocking:
            items = "、".join(f"第{g['item']}项（{g.get('label', '')}）" for g in blocking[:4])
            s += f"建议优先整改影响通过的{items}。"
        elif gaps:
            s += "建议按下文的改进步骤逐项完善基本达标的项目。"
        if sc["mode"] == "quick":
            s += "快速自查只覆盖部分项目，正式申请前请完成全面评估。"
        return s
    s = (
        f"{name} assessed itself against the {std_name} on {when:%Y-%m-%d}: "
        f"{_scope_text(sc, lang)[0].lower() + _scope_text(sc, lang)[1:]}. "
        f"General items: {general[scoring.MET]} meet, {general[scoring.BASIC]} basically meet, "
        f"{general[scoring.NOT_MET]} do not meet, {general[scoring.NA]} not applicable"
    )
    if add.get("items"):
        s += f"; {add_met} of {add.get('items')} additional items met, "
        s += f"+{_num(result.get('additional_points') or 0)} points"
    if un:
        s += f"; {len(un)} unanswered"
    s += f". Under the selected scoring rules the total is {total} and the enterprise "
    s += _t("pass" if passed else "fail", lang)
    s += f": {'; '.join(fc)}." if fc and not passed else "."
    if worst_dim:
        s += f" Most gaps are in {std_mod.dimension_name(worst_dim[0], 'en')} ({worst_dim[1]})."
    if blocking:
        sid = result.get("standard") or "advanced"
        s += " Fix first: " + ", ".join(f"item {g['item']} ({gap_label(g, sid, lang)})" for g in blocking[:4]) + "."
    if sc["mode"] == "quick":
        s += " A quick check covers part of the standard only; complete a full assessment before applying."
    return s


def _chart_rows(result: dict, lang: str) -> list:
    """[(label, n, [(verdict group, count)], right-hand text)] for each dimension with items."""
    rows = []
    for d, v in (result.get("dimensions") or {}).items():
        n = int(v.get("items") or 0)
        if not n:
            continue
        counts: dict = {}
        for k, cnt in (v.get("counts") or {}).items():
            g = CHART_GROUP.get(k, k)
            counts[g] = counts.get(g, 0) + int(cnt or 0)
        answered = sum(counts.values())
        segs = [(k, counts[k]) for k in (scoring.MET, scoring.BASIC, scoring.NOT_MET, scoring.NA) if counts.get(k)]
        if n > answered:
            segs.append(("", n - answered))
        if d == std_mod.ADDITIONAL_DIMENSION:
            right = _t("add_points", lang, v=_num(result.get("additional_points") or 0))
        elif v.get("percent") is not None:
            right = _t("rate", lang, p=_num(v["percent"]))
        else:
            right = _t("rate_none", lang)
        right += " · " + (_t("items_n", lang, n=n) if answered >= n else _t("answered_n", lang, a=answered, n=n))
        rows.append((_dim_label(d, v, lang), n, segs, right))
    return rows


def _chart(result: dict, lang: str, font: str, width: float) -> Drawing | None:
    """Stacked bars, one per dimension (附加标准 included): items by answer, rate or points on the right."""
    rows = _chart_rows(result, lang)
    if not rows:
        return None
    label_w = max(pdfmetrics.stringWidth(r[0], font, 10.5) for r in rows) + 10
    right_w = max(pdfmetrics.stringWidth(r[3], font, 10) for r in rows) + 10
    row_h, bar_h, legend_h = 26, 16, 24
    bar_w = width - label_w - right_w
    height = row_h * len(rows) + legend_h + 4
    dr = Drawing(width, height)
    dr.__dict__["initialFontName"] = font  # the renderer's starting font: no stray Times-Roman in the PDF
    used: set = set()
    for i, (label, n, segs, right) in enumerate(rows):
        y = height - (i + 1) * row_h + (row_h - bar_h) / 2
        dr.add(String(label_w - 8, y + bar_h / 2 - 3.7, label, fontName=font, fontSize=10.5, textAnchor="end"))
        x = label_w
        for k, cnt in segs:
            w = bar_w * cnt / n
            fill, fg = VERDICT_COLORS.get(k, VERDICT_COLORS[""])
            dr.add(Rect(x, y, w, bar_h, fillColor=fill, strokeColor=colors.white, strokeWidth=0.8))
            used.add(k)
            if w >= 16:
                dr.add(
                    String(
                        x + w / 2,
                        y + bar_h / 2 - 3.2,
                        str(cnt),
                        fontName=font,
                        fontSize=9,
                        fillColor=fg,
                        textAnchor="middle",
                    )
                )
            x += w
        dr.add(String(label_w + bar_w + 8, y + bar_h / 2 - 3.6, right, fontName=font, fontSize=10))
    # legend
    x = 0.0
    for k in [k for k in (scoring.MET, scoring.BASIC, scoring.NOT_MET, scoring.NA, "") if k in used]:
        fill, _ = VERDICT_COLORS.get(k, VERDICT_COLORS[""])
        name = _t("legend", lang)[k]
        dr.add(Rect(x, 6, 10, 10, fillColor=fill, strokeColor=colors.HexColor("#9E9E9E"), strokeWidth=0.5))
        dr.add(String(x + 14, 7.5, name, fontName=font, fontSize=9.5))
        x += 14 + pdfmetrics.stringWidth(name, font, 9.5) + 16
    return dr


def _table(rows: list, widths: list, head_bg=BLUE, zebra: bool = True) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), report_font()),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B8C2CE")),
        ("BACKGROUND", (0, 0), (-1, 0), head_bg),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if zebra:
        style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F6F8FB")) for r in range(2, len(rows), 2)]
    t.setStyle(TableStyle(style))
    return t


class _NumberedCanvas(rl_canvas.Canvas):
    """Canvas that knows the page count when it draws each page's footer ("第 x 页 / 共 y 页")."""

    footer: Any = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list = []

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            if self.footer:
                self.footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


# --------------------------------------------------------------------------- building


def new_report_id(when: dt.datetime | None = None) -> str:
    """A short, non-secret reference printed on the report (not the download token)."""
    return f"ZP-{(when or dt.datetime.now()):%Y%m%d}-{secrets.token_hex(3).upper()}"


def report_filename(enterprise: dict | None, when: dt.date | dt.datetime | None = None, lang: str = "zh") -> str:
    """``自评报告_企业名_2026-11-29.pdf`` (characters unsafe in file names removed)."""
    day = when or dt.date.today()
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]+', "", str((enterprise or {}).get("name") or "")).strip()
    name = re.sub(r"\s+", "_", name)[:60]
    parts = [_t("filename", "en" if lang == "en" else "zh")] + ([name] if name else []) + [f"{day:%Y-%m-%d}"]
    return "_".join(parts) + ".pdf"


def build_report_bytes(
    result: dict,
    enterprise: dict | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
    guidance_path: os.PathLike | None = None,
    *,
    plan: dict | None = None,
    report_id: str | None = None,
    na_reasons: dict | None = None,
) -> bytes:
    """The report as PDF bytes. ``result``: scoring.ScoreResult.to_dict() (or the stored result);
    ``plan``: cultivation.store.get_plan(...) (tasks with owners and due dates) or None."""
    lang = "en" if lang == "en" else "zh"
    font = report_font()
    st = _styles(font)
    enterprise = enterprise or {}
    when = generated_at or dt.datetime.now()
    rid = report_id or new_report_id(when)
    guidance = load_guidance(guidance_path)
    sid = result.get("standard") or "advanced"
    try:
        std: std_mod.Standard | None = std_mod.get_standard(sid)
        std_name = std.name.get(lang, sid) if std else sid
    except std_mod.StandardsError:
        std, std_name = None, sid
    rs = result.get("rule_set") or {}
    vkey = (
        "unverified"
        if not rs.get("verified")
        else ("verified" if rs.get("applies_to_2026_verified", True) else "verified_old")
    )
    rs_name = (rs.get("name") or {}).get(lang, rs.get("id", ""))
    sep = _sep(lang)
    sc = scope_info(result, std)
    width = A4[0] - 36 * mm

    story: list = [_p(_t("title", lang), st["title"]), _p(std_name, st["subtitle"])]

    # ---- who, what, when
    info = [
        (_t("enterprise", lang), enterprise.get("name") or "—"),
        (_t("code", lang), enterprise.get("code") or "—"),
        (_t("standard", lang), std_name),
        (_t("scope", lang), _scope_text(sc, lang)),
        (_t("rule_set", lang), f"{rs_name}（{_t(vkey, lang)}）" if lang == "zh" else f"{rs_name} ({_t(vkey, lang)})"),
        (_t("date", lang), when.strftime("%Y-%m-%d")),
        (_t("report_id", lang), rid),
    ]
    tbl = Table([[_p(k, st["cell"]), _p(v, st["cell"])] for k, v in info], colWidths=[36 * mm, width - 36 * mm])
    tbl.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B8C2CE")),
                ("BACKGROUND", (0, 0), (0, -1), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [tbl, Spacer(1, 10)]

    # ---- result and why
    passed = bool(result.get("passed"))
    total = _num(result.get("total"))
    verdict = _t("pass" if passed else "fail", lang)
    fc = result.get("failed_conditions") or []
    box = [
        _p(f"{_t('total', lang)}{sep}{_t('points_unit', lang, v=total)}", st["big"]),
        _p(f"{_t('result', lang)}{sep}{verdict}", st["verdict"]),
        Spacer(1, 4),
        _p(_t("why_pass" if passed else "why_fail", lang) + sep, st["body"]),
    ]
    reasons = (
        [(c.get("message") or {}).get(lang) or c.get("code", "") for c in fc] if fc else _pass_reasons(result, lang)
    )
    box += [_p(r, st["bullet"], bullet="•") for r in reasons]
    rbox = Table([[box]], colWidths=[width])
    rbox.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#2E7D32") if passed else colors.HexColor("#C62828")),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F1F8F1") if passed else colors.HexColor("#FDF1F1")),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    story += [rbox]

    # ---- summary
    story += [
        _p(_t("summary", lang), st["h2"]),
        _p(summary_text(result, enterprise, std_name, sc, when, lang), st["body"]),
    ]
    for n in result.get("notes") or []:
        txt = n.get(lang, "") if isinstance(n, dict) else str(n)
        if txt:
            story.append(_p(f"※ {txt}", st["note"]))

    # ---- dimensions: chart and table
    dim_block: list = [_p(_t("dims", lang), st["h2"])]
    chart = _chart(result, lang, font, width)
    if chart is not None:
        dim_block += [chart, Spacer(1, 4), _p(_t("chart_note", lang), st["note"])]
    story += [KeepTogether(dim_block), Spacer(1, 8)]
    head = [_t("dimension", lang), _t("score", lang), *list(_t("count_cols", lang))]
    rows = [[_p(h, st["cell_head"]) for h in head]]
    for d, v in (result.get("dimensions") or {}).items():
        if not int(v.get("items") or 0):
            continue
        c = v.get("counts") or {}
        met = int(c.get(scoring.MET, 0)) + int(c.get(scoring.ADD_MET, 0))
        notmet = int(c.get(scoring.NOT_MET, 0))
        na = int(c.get(scoring.NA, 0)) + int(c.get(scoring.ADD_NOT_MET, 0))
        score_v = _num(v.get("score"))
        if d == std_mod.ADDITIONAL_DIMENSION:
            score_v = f"+{_num(result.get('additional_points') or 0)}"
        rows.append(
            [_p(x, st["cell"]) for x in (_dim_label(d, v, lang), score_v, met, c.get(scoring.BASIC, 0), notmet, na)]
        )
    story.append(_table(rows, [44 * mm, 26 * mm] + [(width - 70 * mm) / 4] * 4))

    # ---- gaps
    story.append(_p(_t("gaps", lang), st["h2"]))
    gaps = result.get("gaps") or []
    if not gaps:
        story.append(_p(_t("no_gaps", lang), st["body"]))
    for g in gaps:
        n = g.get("item")
        label = gap_label(g, sid, lang)
        dim = g.get("dimension", "") if lang == "zh" else g.get("dimension_en", g.get("dimension", ""))
        v = g.get("verdict", "")
        vtxt = v if lang == "zh" else f"{g.get('verdict_en', '')} ({v})"
        flag = f" · {_t('blocks', lang)}" if g.get("blocks_certification") else ""
        band = Table([[_p(f"{_t('item', lang, n=n)} {label} · {dim} · {vtxt}{flag}", st["h3"])]], colWidths=[width])
        band.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                    ("LINEBEFORE", (0, 0), (0, -1), 4, VERDICT_COLORS.get(v, VERDICT_COLORS[""])[0]),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        block: list = [Spacer(1, 6), band, Spacer(1, 3)]
        req = g.get("requirement")
        if not req and std is not None and n in std.by_number:
            req = std.by_number[n].requirement
        if lang == "en" and std is not None and n in std.by_number:
            req = std.by_number[n].requirement_en
        if req:
            block.append(_labelled(_t("requirement", lang) + sep, req, st["body"]))
        gd = guidance.get(f"{sid}:{n}")
        if not gd:
            block.append(_p(_t("no_guidance", lang), st["note"]))
            story.append(KeepTogether(block))
            continue
        why = _lang_text(gd.get("why"), lang)
        if why:
            block.append(_labelled(_t("why", lang) + sep, why, st["body"]))
        story.append(KeepTogether(block))
        for key, mark in (("steps", None), ("evidence", "•")):
            lines = _lang_list(gd.get(key), lang)
            if lines:
                part = [_labelled(_t(key, lang) + sep, "", st["body"])]
                part += [_p(line, st["bullet"], bullet=mark or f"{i}.") for i, line in enumerate(lines, 1)]
                story.append(KeepTogether(part))
        owner = _lang_text(gd.get("owner"), lang)
        if owner:
            story.append(_labelled(_t("owner", lang) + sep, owner, st["body"]))

    # ---- plan
    tasks = (plan or {}).get("tasks") or []
    if tasks:
        story += [CondPageBreak(40 * mm), _p(_t("plan", lang), st["h2"])]
        rows = [[_p(h, st["cell_head"]) for h in _t("plan_cols", lang)]]
        status_names = _t("plan_status", lang)
        for task in tasks:
            stt = "overdue" if task.get("overdue") else ("done" if task.get("status") == "done" else "open")
            title = task.get("title") or {}
            rows.append(
                [
                    _p(_item_ref_text(task.get("item_ref"), lang), st["cell"]),
                    _p(title.get(lang) or title.get("zh") or "", st["cell"]),
                    _p(task.get("owner_department") or "—", st["cell"]),
                    _p(task.get("due_date") or "", st["cell"]),
                    _p(status_names.get(stt, stt), st["cell"]),
                ]
            )
        story.append(_table(rows, [20 * mm, width - 20 * mm - 32 * mm - 26 * mm - 20 * mm, 32 * mm, 26 * mm, 20 * mm]))

    # ---- appendix: every answer
    answers = _answers(result)
    reasons_by_item = _na_reasons(result, na_reasons)
    assessed: set = set(answers) | {int(x) for x in result.get("unanswered") or []}
    if std is not None and assessed:
        story += [CondPageBreak(50 * mm), _p(_t("appendix", lang), st["h2"])]
        rows = [[_p(h, st["cell_head"]) for h in _t("appendix_cols", lang)]]
        shown_answers: list = []
        for it in std.items:
            if it.number not in assessed:
                continue
            a = answers.get(it.number, "")
            shown = VERDICT_LABEL[lang].get(a, a) if a else _t("unanswered_v", lang)
            note = reasons_by_item.get(it.number, "")
            if a == scoring.NA and not note and not it.additional:
                # a general item is only 不适用 for a reason; an additional one is simply not claimed
                note = _t("na_reason_missing", lang)
            dim = it.dimension if lang == "zh" else std_mod.dimension_name(it.dimension, "en")
            label = it.label if lang == "zh" else it.label_en
            rows.append([_p(x, st["cell"]) for x in (it.number, label, dim, shown, note)])
            shown_answers.append(a)
        widths = [12 * mm, 58 * mm, 26 * mm, 24 * mm] if lang == "zh" else [12 * mm, 58 * mm, 33 * mm, 28 * mm]
        t = _table(rows, [*widths, width - sum(widths)])
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (3, r), (3, r), ANSWER_TINT[a])
                    for r, a in enumerate(shown_answers, 1)
                    if a in ANSWER_TINT
                ]
            )
        )
        story.append(t)

    story += [Spacer(1, 12), _p(_t("disclaimer", lang), st["note"])]

    name = enterprise.get("name") or ""

    def footer(cv, page: int, total_pages: int) -> None:
        cv.saveState()
        cv.setFont(font, 9)
        cv.setFillColor(MUTED)
        cv.drawCentredString(A4[0] / 2, 10 * mm, _t("page", lang, n=page, total=total_pages))
        cv.drawString(18 * mm, 10 * mm, rid)
        if page > 1:
            head = f"{_t('title', lang)} · {name}" if name else _t("title", lang)
            cv.drawString(18 * mm, A4[1] - 11 * mm, head)
            cv.setStrokeColor(colors.HexColor("#B8C2CE"))
            cv.line(18 * mm, A4[1] - 13 * mm, A4[0] - 18 * mm, A4[1] - 13 * mm)
        cv.restoreState()

    class Canvas(_NumberedCanvas):
        pass

    Canvas.footer = staticmethod(footer)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=f"{_t('title', lang)} · {name}" if name else _t("title", lang),
        author="Credit Cultivation Assistant",
        subject=report_filename(enterprise, when, lang),
        initialFontName=font,  # no stray Helvetica font resource in the PDF
    )
    doc.build(story, canvasmaker=Canvas)
    return buf.getvalue()


def build_report(
    result: dict,
    enterprise: dict | None,
    path: os.PathLike,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
    guidance_path: os.PathLike | None = None,
    *,
    plan: dict | None = None,
    report_id: str | None = None,
    na_reasons: dict | None = None,
) -> Path:
    """Write the report to ``path``; returns the path."""
    data = build_report_bytes(
        result, enterprise, lang, generated_at, guidance_path, plan=plan, report_id=report_id, na_reasons=na_reasons
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- token store


def _active_plan(code: str | None) -> dict | None:
    if not code:
        return None
    try:
        from core.cultivation import store as cultivation_store

        return cultivation_store.get_plan(code)
    except Exception:  # no database or no plan: the report goes without it
        log.debug("no plan for the report", exc_info=True)
        return None


def save_report(
    result: dict,
    enterprise: dict | None = None,
    lang: str = "zh",
    guidance_path: os.PathLike | None = None,
    *,
    plan: dict | None = None,
) -> str:
    """Build a report and store it in the database (report_store.py, with an expiry, so
    that a gateway in another working directory or replica can serve it); returns its
    unguessable token. The enterprise's active improvement plan is included when there
    is one (or ``plan`` is given)."""
    from core.assessment import report_store

    enterprise = enterprise or {}
    when = dt.datetime.now()
    plan = plan if plan is not None else _active_plan(enterprise.get("code"))
    data = build_report_bytes(result, enterprise, lang, when, guidance_path, plan=plan)
    return report_store.put(data, enterprise.get("code"), filename=report_filename(enterprise, when, lang))


def stored_report(token: str) -> tuple[bytes, str] | None:
    """The stored report for ``token`` and the file name to offer
    (``自评报告_企业名_日期.pdf``), or None (bad token, unknown or expired)."""
    from core.assessment import report_store

    found = report_store.get(token)
    if found is None:
        return None
    data, filename = found
    return data, filename or report_filename({}, None)
