"""The guided self-assessment as a conversation, channel-independent (no Rasa).

``step(state, text, lang)`` takes the flow's state (a JSON-able dict kept by the
channel, e.g. in a Rasa slot), the user's message and the language, and returns
the new state and the reply. Every answer is written to the database the moment
it is given (``assessment_store``), so the state holds only the setup
questions; an assessment can be resumed from any channel with the enterprise
code.

Phases: standard → name → code (→ access_key) → production → business types
(advanced only) → mode → items → done | paused; ``PHASES`` maps each to its handler.

Answers are bound to the item shown: every answer button carries its item and standard
(``answer_payload``); an answer for an item other than the open one is refused, a repeated
tap is ignored, and the store writes an answer only while its item is still open (two
devices or senders cannot shift answers onto another item).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from core.assessment import parsing as ai
from core.assessment import store
from core.enterprise import access as enterprise_access
from core.enterprise import credit_code
from core.replies import Reply, link
from core.standards import catalogue as std_mod
from core.standards import financial, guidance, scoring
from core.text import normalise, pick

DONE, PAUSED = "done", "paused"
V_MET, V_BASIC, V_NOT, V_NA = "达标", "基本达标", "不达标", "不适用"
VERDICT_EN = {
    V_MET: "meets",
    V_BASIC: "partly meets",
    V_NOT: "does not meet",
    V_NA: "not applicable",
    "符合": "meets",
    "不符合": "does not meet",
}
STANDARD_NAMES = {
    "advanced": {"zh": "高级认证企业标准", "en": "Advanced Certified Enterprise standard"},
    "certified": {"zh": "认证企业标准", "en": "Certified Enterprise standard"},
    "individual": {"zh": "高级认证企业单项标准", "en": "advanced business-type standards"},
}
RESUME_RE = re.compile(r"继续|恢复|接着|resume|continue", re.I)
# "继续上次的评估" during the setup questions: leave them and resume the saved assessment.
RESUME_SETUP_RE = re.compile(
    r"(继续|恢复|接着).{0,6}(评估|自查|自评|测评)|\b(resume|continue)\b.{0,20}\b(assessment|check)", re.I
)
CANCEL_RE = re.compile(r"^(取消|退出|不做了|结束评估|cancel|quit|exit|stop)$", re.I)
ANSWER_INTENT = "/answer_item"
SETUP_PHASES = ("standard", "name", "code", "access_key", "production", "business_types", "mode")
NAME_LIKE_RE = re.compile(
    r"(公司|集团|工厂|厂$|企业$|商行|中心$|有限|股份|合伙|co\.?\b|ltd|inc\b|llc|corp|gmbh|limited|company|group)", re.I
)


_t = pick


def _b(title: str, payload: str | None = None) -> dict:
    return {"title": title, "payload": payload or title}


# --------------------------------------------------------------------------- setup questions


def _ask(state: dict, lang: str) -> Reply:
    phase = state.get("phase")
    if phase == "standard":
        return Reply(
            _t(
                lang,
                "我们开始认证自我评估。请选择目标等级：\n1. 高级认证企业（高级认证企业标准，74项）\n2. 认证企业（认证企业标准，62项）",
                "Let's start the certification self-assessment. Which level are you aiming for?\n1. Advanced Certified Enterprise (74 items)\n2. Certified Enterprise (62 items)",
            ),
            [
                _b(_t(lang, "高级认证企业（74项）", "Advanced (74 items)"), "高级认证企业"),
                _b(_t(lang, "认证企业（62项）", "Certified (62 items)"), "认证企业"),
            ],
        )
    if phase == "name":
        return Reply(_t(lang, "请告诉我企业名称。", "What is the enterprise's name?"))
    if phase == "code":
        return Reply(
            _t(
                lang,
                "请输入企业的18位统一社会信用代码（用于保存评估结果，之后可凭代码在任何渠道继续）。",
                "Please enter the enterprise's 18-character unified social credit code (it keys your saved answers, so you can resume on any channel).",
            )
        )
    if phase == "production":
        return Reply(
            _t(
                lang,
                "企业是生产型企业还是非生产型企业？（财务状况中资产负债率的要求不同）",
                "Is it a production or a non-production enterprise? (The debt-ratio threshold differs.)",
            ),
            [_b(_t(lang, "生产型", "Production"), "生产型"), _b(_t(lang, "非生产型", "Non-production"), "非生产型")],
        )
    if phase == "business_types":
        types = std_mod.business_types()
        lines = [f"{i + 1}. {v.get(lang) or v.get('zh')}" for i, (k, v) in enumerate(types.items())]
        return Reply(
            _t(
                lang,
                "高级认证还有按业务类型的单项标准。企业涉及以下哪些业务？可回复编号（如“1,3”），不涉及请回复“都不涉及”。\n",
                "Advanced certification also has business-type standards. Which of these does the enterprise do? Reply with numbers (e.g. “1,3”) or “none”.\n",
            )
            + "\n".join(lines),
            [_b(_t(lang, "都不涉及", "None"), "都不涉及")] + [_b(f"{i + 1}", str(i + 1)) for i in range(len(types))],
        )
    if phase == "mode":
        quick = len(std_mod.quick_check_items(state["standard"]))
        total = len(store.scope_items(state["standard"], "full"))
        return Reply(
            _t(
                lang,
                f"选择评估方式：\n1. 快速自查：约{quick}项最常导致认证不通过的关键项\n2. 完整评估：全部{total}项（约15分钟）",
                f"Choose the assessment:\n1. Quick check: about {quick} items that most often block certification\n2. Full assessment: all {total} items (about 15 minutes)",
            ),
            [
                _b(_t(lang, "快速自查", "Quick check"), "快速自查"),
                _b(_t(lang, "完整评估", "Full assessment"), "完整评估"),
            ],
        )
    raise ValueError(f"no question for phase {phase}")


def _parse_standard(text: str) -> str | None:
    t = text.lower()
    if re.search(r"高级|高认|advanced|74|^1$", t):
        return "advanced"
    if re.search(r"认证企业|一般|certified|62|^2$", t):
        return "certified"
    return None


def _parse_production(text: str) -> bool | None:
    t = text.lower()
    if re.search(r"非生产|non|贸易型|流通|^2$", t):
        return False
    if re.search(r"生产|制造|工厂|production|manufactur|^1$", t):
        return True
    return None


def _parse_business_types(text: str) -> list | None:
    types = list(std_mod.business_types().items())
    t = text.lower()
    if re.search(r"都不|没有|不涉及|无$|^无|none|no$|^no\b|neither", t):
        return []
    chosen = []
    for num in re.findall(r"\d+", t):
        n = int(num)
        if not 1 <= n <= len(types):
            return None
        chosen.append(types[n - 1][0])
    for key, names in types:
        for name in (names.get("zh"), names.get("en")):
            if name and name.lower() in t and key not in chosen:
                chosen.append(key)
    return sorted(set(chosen)) if chosen else None


def _parse_mode(text: str) -> str | None:
    t = text.lower()
    if re.search(r"快|quick|关键|^1$", t):
        return "quick"
    if re.search(r"完整|全部|full|complete|all|^2$", t):
        return "full"
    return None


# --------------------------------------------------------------------------- item questions


def _item(state: dict, number: int) -> std_mod.Item:
    return std_mod.item(state["standard"], number)


def answer_payload(standard: str, number: int, answer: str) -> str:
    """The payload of an answer button: the answer bound to its item and standard, as a Rasa
    intent with entities (``/answer_item{"item": 16, "standard": "advanced", "answer": "达标"}``)."""
    return ANSWER_INTENT + json.dumps(
        {"item": number, "standard": standard, "answer": answer}, ensure_ascii=False, separators=(",", ":")
    )


@dataclass(frozen=True)
class BoundAnswer:
    item: int
    standard: str
    answer: str


def parse_bound(text: str) -> BoundAnswer | None:
    """The item, standard and answer of an answer-button payload; None for anything else."""
    t = (text or "").strip()
    if not t.startswith(ANSWER_INTENT + "{"):
        return None
    try:
        d = json.loads(t[len(ANSWER_INTENT) :])
        item, std, ans = int(d["item"]), str(d["standard"]), str(d["answer"])
    except (ValueError, TypeError, KeyError):
        return None
    if not ans or len(ans) > 20:
        return None
    return BoundAnswer(item, std, ans)


def _ab(state: dict, it: std_mod.Item, title: str, answer: str) -> dict:
    """An answer button (bound to the item; ``kind`` lets a channel style it apart)."""
    return {"title": title, "payload": answer_payload(state["standard"], it.number, answer), "kind": "answer"}


def _nb(title: str, payload: str) -> dict:
    """A navigation button."""
    return {"title": title, "payload": payload, "kind": "nav"}


def _verdict_buttons(state: dict, it: std_mod.Item, lang: str) -> list:
    if it.additional:
        out = [_ab(state, it, _t(lang, "符合", "Meets"), "符合"), _ab(state, it, _t(lang, "不适用", "N/A"), "不适用")]
    else:
        out = [
            _ab(state, it, _t(lang, "达标", "Meets"), "达标"),
            _ab(state, it, _t(lang, "基本达标", "Partly"), "基本达标"),
            _ab(state, it, _t(lang, "不达标", "Does not meet"), "不达标"),
            _ab(state, it, _t(lang, "不适用", "N/A"), "不适用"),
        ]
    if it.rule == "audit_opinion":
        out = [
            _ab(state, it, _t(lang, n, e), n)
            for n, e in (
                ("无保留意见", "Unqualified"),
                ("保留意见", "Qualified"),
                ("否定意见", "Adverse"),
                ("无法表示意见", "Disclaimer"),
            )
        ] + out
    if it.rule in ("solvency", "profitability"):
        out.insert(0, _ab(state, it, _t(lang, "按财务数据计算", "Calculate from figures"), "计算"))
    if it.deemed_compliant:
        out.insert(0, _ab(state, it, _t(lang, "符合视为达标情形", "Exemption applies"), "视为达标"))
    out += [
        _nb(_t(lang, "详细", "Explain"), "详细"),
        _nb(_t(lang, "跳过", "Later"), "跳过"),
        _nb(_t(lang, "上一题", "Back"), "返回上一题"),
        _nb(_t(lang, "暂停", "Pause"), "暂停"),
    ]
    return out


PLAIN_MAX = 70
PLAIN_MAX_EN = 300  # our translation runs to about 4.3 characters per Chinese character


def _first_zh(it: std_mod.Item) -> str:
    """The Chinese requirement's first sentence, up to its first 。 or ；."""
    return re.split(r"(?<=[。；])", re.sub(r"\s+", "", it.requirement or ""), maxsplit=1)[0]


def _plain_requirement_en(it: std_mod.Item) -> str:
    """The English requirement cut the way the Chinese one is: its first sentence (up to a full
    stop or a semicolon, which match the Chinese 。 and ；), cut at a clause boundary only when
    the Chinese one is cut."""
    first = re.split(r"(?<=;)\s+", std_mod.english_sentences(it.requirement_en)[0], maxsplit=1)[0]
    first = first[:-1] + "." if first.endswith(";") else first
    if len(_first_zh(it)) <= PLAIN_MAX or len(first) <= PLAIN_MAX_EN:
        return first
    cut = max(first.rfind(p, 0, PLAIN_MAX_EN) for p in (", ", ": ", "; "))
    return (first[:cut] if cut > 85 else first[: first.rfind(" ", 0, PLAIN_MAX_EN)]) + " …"


def plain_requirement(it: std_mod.Item, lang: str) -> str:
    """The requirement in one or two plain lines (the official text is behind “详细”):
    its first sentence, cut at a clause boundary when long (in English from our translation)."""
    if lang != "zh":
        return _plain_requirement_en(it)
    first = _first_zh(it)
    if len(first) <= PLAIN_MAX:
        return first
    cut = max(first.rfind(p, 0, PLAIN_MAX) for p in "，、：")
    return (first[:cut] if cut > 20 else first[:PLAIN_MAX]) + "……"


def _progress_line(state: dict, number: int, lang: str) -> str:
    prog = store.progress(state["code"], state["assessment_id"])
    it = _item(state, number)
    dim = next((d for d in prog["dimensions"] if d["dimension"] == it.dimension), None)
    dim_txt = (
        f"{it.dimension if lang == 'zh' else std_mod.dimension_name(it.dimension, 'en')} {dim['answered']}/{dim['total']}"
        if dim
        else it.dimension
    )
    overall = _t(lang, f"总进度 {prog['answered']}/{prog['total']}", f"overall {prog['answered']}/{prog['total']}")
    return f"【{dim_txt} · {overall}】"


def is_flow_word(text: str) -> bool:
    """Words the item walk understands besides answers and commands."""
    low = (text or "").lower()
    return any(w in low for w in ("计算", "calculate", "视为达标", "exempt")) or CANCEL_RE.match(text or "") is not None


def question(state: dict, number: int, lang: str) -> Reply:
    """The question for an item (public for channels that interleave other answers)."""
    return _question(state, number, lang)


def _question(state: dict, number: int, lang: str) -> Reply:
    it = _item(state, number)
    lines = [
        _progress_line(state, number, lang),
        _t(lang, f"第{number}项：{it.label}", f"Item {number}: {it.label_en}"),
        _t(lang, f"要求：{plain_requirement(it, lang)}", f"Requirement: {plain_requirement(it, lang)}"),
    ]
    if it.rule == "audit_opinion":
        lines.append(
            _t(
                lang,
                "上一年度审计报告是什么意见？（无保留意见 / 保留意见 / 否定意见 / 无法表示意见），也可直接回答达标情况。",
                "What opinion did last year's audit report give (unqualified / qualified / adverse / disclaimer)? Or answer directly.",
            )
        )
    elif it.rule in ("solvency", "profitability"):
        lines.append(
            _t(
                lang,
                "可以直接回答达标情况，或回复“计算”，我按您提供的财务数据逐项计算。",
                "Answer directly, or reply “calculate” and I will work it out from your figures.",
            )
        )
    elif it.additional:
        lines.append(
            _t(
                lang,
                "这是附加标准（只加分）：企业符合吗？不符合请选“不适用”（0分，不影响通过）。",
                "This is an additional item (it can only add points): does the enterprise meet it? If not, choose N/A (0 points; it never blocks a pass).",
            )
        )
    else:
        lines.append(
            _t(
                lang,
                "企业是否达到这项要求？与企业业务无关可选“不适用”。",
                "Does the enterprise meet this requirement? Choose N/A if it does not concern your business.",
            )
        )
    if it.deemed_compliant:
        lines.append(
            _t(
                lang,
                f"视为达标情形：{it.deemed_compliant.get('text', '')}",
                f"Exemption (deemed compliant): {it.clause_en('deemed_compliant')}",
            )
        )
    if it.allows_not_applicable and it.not_applicable:
        lines.append(
            _t(lang, f"不适用情形：{it.not_applicable}", f"Not applicable when: {it.clause_en('not_applicable')}")
        )
    given = store.answer_rows(state["code"], state["assessment_id"]).get(number) if state.get("code") else None
    if given:
        v = given["verdict"]
        why = f"（{given['reason']}）" if given.get("reason") else ""
        lines.append(
            _t(
                lang,
                f"当前回答：{v}{why}，可重新选择。",
                f"Current answer: {VERDICT_EN.get(v, v)}{why}; you can choose again.",
            )
        )
    lines.append(
        _t(
            lang,
            "（回复“详细”查看标准原文和海关关注点）",
            "(Reply “explain” for the full text of the standard and what customs checks)",
        )
    )
    return Reply("\n".join(lines), _verdict_buttons(state, it, lang))


def _explain(state: dict, number: int, lang: str) -> str:
    it = _item(state, number)
    g = guidance.guidance_for(state["standard"], number)
    parts = [
        _t(
            lang,
            f"第{number}项「{it.label}」标准原文：\n{it.requirement}",
            f"Item {number} ({it.label_en}), the standard's text in our unofficial English translation:\n"
            f"{it.requirement_en}\n\nOriginal Chinese text (it prevails):\n{it.requirement}\n",
        )
    ]
    if g:
        parts.append(
            _t(
                lang,
                f"海关通常查看：{g['customs_checks']['zh']}",
                f"What customs usually checks: {g['customs_checks']['en']}",
            )
        )
        parts.append(_t(lang, f"为什么重要：{g['why']['zh']}", f"Why it matters: {g['why']['en']}"))
    parts.append(
        _t(
            lang,
            "（条文来自海关总署公告2026年第34号的公开转录本，请以官方附件为准。）",
            "(Text from a public transcription of GACC announcement 2026 No. 34; the official attachment prevails.)",
        )
    )
    return "\n".join(parts)


# --------------------------------------------------------------------------- financial sub-dialog

FIG_SKIP = re.compile(r"^(不知道|不清楚|没有|无|跳过|skip|unknown|n/?a|none)$", re.I)


def _fin_result(state: dict, number: int) -> dict:
    it = _item(state, number)
    figs = {k: v for k, v in state["figures"].items() if v is not None}
    if it.rule == "solvency":
        return financial.solvency(figs, state.get("production"), state["standard"])
    return financial.profitability(figs, state["standard"])


def _fin_next_field(state: dict, res: dict) -> str | None:
    skipped = {k for k, v in state["figures"].items() if v is None}
    for ind in res.get("indicators", []):
        for f in ind.get("missing_fields") or []:
            if f not in skipped and f not in state["figures"]:
                return f
    return None


def _fin_ask(state: dict, fld: str, lang: str) -> Reply:
    name = financial._field_name(fld, lang)
    return Reply(
        _t(
            lang,
            f"请输入“{name}”（单位元，可写“1200万”“3.5亿”；不清楚可回复“不知道”）。",
            f"Please enter “{name}” in yuan (e.g. 12000000, “1200万”; reply “unknown” if you don't know).",
        ),
        [_b(_t(lang, "不知道", "Unknown"), "不知道")],
    )


def _parse_amount(text: str) -> float | None:
    t = normalise(text).replace(",", "").replace("，", "").replace(" ", "").lower()
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)(亿|万|千|k|m|million|元|yuan)?(元)?", t)
    if not m:
        return None
    mult = {"亿": 1e8, "万": 1e4, "千": 1e3, "k": 1e3, "m": 1e6, "million": 1e6}.get(m.group(2) or "", 1)
    return float(m.group(1)) * mult


# --------------------------------------------------------------------------- result


def _result_label_en(state: dict, row: dict) -> str:
    """The English label of a gap / not-applicable row of a result (from the catalogue: results
    stored before the English labels existed carry only the Chinese one)."""
    it = std_mod.find_item(state["standard"], row.get("item"))
    return it.label_en if it else row.get("label_en") or row.get("label", "")


def render_result(
    result: dict, state: dict, lang: str, report_url: str | None = None, comparison: dict | None = None
) -> Reply:
    rs = result.get("rule_set") or {}
    total = result.get("total")
    passed = result.get("passed")
    zh = lang == "zh"
    name = STANDARD_NAMES.get(state["standard"], {}).get(lang, state["standard"])
    lines = [
        _t(
            lang,
            f"评估完成：{state.get('name', '')}（{state['code']}），{name}。",
            f"Assessment complete: {state.get('name', '')} ({state['code']}), {name}.",
        ),
        _t(
            lang,
            f"总分：{total}　结论：{'达到通过条件' if passed else '未达到通过条件'}",
            f"Total: {total}   Result: {'meets the pass conditions' if passed else 'does not meet the pass conditions'}",
        ),
    ]
    scope = result.get("scope") or {}
    if scope.get("partial"):
        kind = _t(lang, "快速自查", "Quick check") if scope.get("mode") == "quick" else _t(lang, "部分评估", "Part")
        lines.insert(
            1,
            _t(
                lang,
                f"评估范围：{kind} {scope.get('n')}/{scope.get('total')}项（总分和结论只反映这些项目，不代表整套标准）",
                f"Scope: {kind} {scope.get('n')}/{scope.get('total')} items (the total and result cover these items only, not the whole standard)",
            ),
        )
    for fc in result.get("failed_conditions") or []:
        msg = fc.get("message", {})
        lines.append("  ✗ " + str(msg.get(lang) if isinstance(msg, dict) else msg))
    dims = result.get("dimensions") or {}
    if dims:
        lines.append(_t(lang, "分维度：", "By dimension:"))
        for d, info in dims.items():
            if not info.get("items"):
                continue
            label = d if zh else std_mod.dimension_name(d, "en")
            counts = info.get("counts") or {}
            cnt = (
                "，".join(f"{k}{v}" for k, v in counts.items() if v)
                if zh
                else ", ".join(f"{VERDICT_EN.get(k, k)} {v}" for k, v in counts.items() if v)
            ) or _t(lang, "未答", "unanswered")
            basis = (
                _t(lang, f"评了{info.get('items')}项", f"{info.get('items')} assessed") if scope.get("partial") else ""
            )
            lines.append(
                f"  · {label}: {info.get('score')}（{cnt}{'；' + basis if basis else ''}）"
                if zh
                else f"  · {label}: {info.get('score')} ({cnt}{'; ' + basis if basis else ''})"
            )
    nas = [n for n in result.get("not_applicable") or [] if not n.get("additional")]
    if nas:
        lines.append(_t(lang, f"不适用项目（{len(nas)}项，不计分）：", f"Not applicable ({len(nas)}, not scored):"))
        for n in nas:
            found = None if zh else std_mod.find_item(state["standard"], n.get("item"))
            clause = found.clause_en("not_applicable") if found else n.get("clause")
            why = n.get("reason") or (clause if n.get("own_clause") else None)
            why = why or _t(lang, "未说明理由", "no reason given")
            lines.append(
                f"  第{n['item']}项 {n.get('label', '')}：{why}"
                if zh
                else f"  Item {n['item']} {_result_label_en(state, n)}: {why}"
            )
    for note in result.get("notes") or []:
        if isinstance(note, dict) and note.get(lang) and note.get("code") != "partial_scope":
            lines.append(_t(lang, "注：", "Note: ") + note[lang])
    gaps = result.get("gaps") or []
    if gaps:
        lines.append(_t(lang, f"差距项（共{len(gaps)}项，不达标在前）：", f"Gaps ({len(gaps)}, failures first):"))
        for g in gaps[:12]:
            block = _t(lang, "【直接阻碍认证】", "[blocks certification] ") if g.get("blocks_certification") else ""
            v = g.get("verdict")
            lines.append(
                f"  {block}第{g['item']}项 {g.get('label', '')}：{v}"
                if zh
                else f"  {block}Item {g['item']} {_result_label_en(state, g)}: {VERDICT_EN.get(v, v)}"
            )
            gd = guidance.guidance_for(state["standard"], int(g["item"]))
            if gd:
                lines.append(
                    "     "
                    + _t(lang, "改进：", "Improve: ")
                    + ("；".join(gd["steps"][lang][:2]) if zh else "; ".join(gd["steps"][lang][:2]))
                )
        if len(gaps) > 12:
            lines.append(
                _t(lang, f"  ……其余{len(gaps) - 12}项见PDF报告。", f"  ... {len(gaps) - 12} more in the PDF report.")
            )
    if comparison:
        prev_total = comparison.get("previous_total")
        if prev_total is not None:
            lines.append(
                _t(
                    lang,
                    f"与上次评估（{prev_total}分）相比：{comparison.get('delta_total', 0):+g}分。",
                    f"Compared with the previous assessment ({prev_total}): {comparison.get('delta_total', 0):+g}.",
                )
            )
    lines.append(
        _t(
            lang,
            f"评分规则：{rs.get('name', {}).get('zh', rs.get('id'))}"
            + ("" if rs.get("verified") else "（未经官方核实）"),
            f"Rule set: {rs.get('name', {}).get('en', rs.get('id'))}"
            + ("" if rs.get("verified") else " (not officially verified)"),
        )
    )
    lines.append(
        _t(
            lang,
            "说明：这是自我评估，不是海关的认证结论；正式认证以海关现场认证为准。",
            "Note: this is a self-assessment, not a customs certification decision.",
        )
    )
    buttons = []
    links = []
    if report_url:
        lines.append(_t(lang, f"PDF报告下载：{report_url}", f"Download the PDF report: {report_url}"))
        links.append(link(report_url, _t(lang, "下载PDF评估报告", "Download the PDF report")))
    if gaps:
        buttons.append(_b(_t(lang, "生成培育计划", "Create a cultivation plan"), "/create_plan"))
    return Reply("\n".join(lines), buttons, links=links)


# --------------------------------------------------------------------------- the step function


def start(lang: str, resume: bool = False, code: str | None = None) -> tuple[dict, Reply]:
    """A new flow. With ``resume`` (or a known code) it resumes the latest unfinished assessment."""
    state: dict = {"phase": "standard", "lang": lang, "resume": resume}
    if code:
        found = _latest_open(code)
        if found:
            return _resume_from(found, state, lang)
    if resume:
        state["phase"] = "code"
        return state, Reply(
            _t(
                lang,
                "好的，我们继续上次的评估。请输入企业的统一社会信用代码。",
                "OK, let's resume. Please enter the enterprise's unified social credit code.",
            )
        )
    return state, _ask(state, lang)


def _latest_open(code: str) -> dict | None:
    for a in store.history(code):
        if a.get("status") in ("in_progress", "paused"):
            return a
    return None


def _resume_from(found: dict, state: dict, lang: str) -> tuple[dict, Reply]:
    st = store.start_or_resume(found["enterprise_code"], standard=found["standard"], mode=found["mode"])
    state.update(
        phase="items",
        code=st["enterprise_code"],
        bound_code=st["enterprise_code"],
        standard=st["standard"],
        mode=st["mode"],
        assessment_id=st["id"],
        production=st.get("production"),
        name=st.get("name") or state.get("name", ""),
        business_types=st.get("business_types") or [],
    )
    nxt = store.next_item(state["code"], state["assessment_id"])
    head = _t(
        lang,
        f"已恢复您的评估（已答{st['answered']}/{st['total']}项），从未答的题目继续。",
        f"Resumed your assessment ({st['answered']}/{st['total']} answered); continuing with the next open item.",
    )
    return _continue_at(state, nxt, lang, head)


def _continue_at(state: dict, nxt: int | None, lang: str, head: str) -> tuple[dict, Reply]:
    """After ``head`` (resumed / continuing): the next open item's question, or the result."""
    if nxt is None:
        return _finish(state, lang, head)
    q = _question(state, nxt, lang)
    return state, Reply(head + "\n\n" + q.text, q.buttons)


def _finish(state: dict, lang: str, head: str = "") -> tuple[dict, Reply]:
    result = store.complete(state["code"], state["assessment_id"])
    state["phase"] = DONE
    state["result_total"] = result.get("total")
    url = None
    try:
        from core.assessment import report as report_pdf

        token = report_pdf.save_report(result, {"name": state.get("name", ""), "code": state["code"]}, lang=lang)
        url = f"{report_base_url()}/api/reports/{token}.pdf"
    except Exception:
        import logging

        logging.getLogger(__name__).exception("PDF report failed")
    comparison = None
    try:
        comparison = store.compare(state["code"], state["assessment_id"])
    except Exception:
        comparison = None
    reply = render_result(result, state, lang, url, comparison)
    if head:
        reply.text = head + "\n\n" + reply.text
    general = state.get("general_result")
    if state["standard"] == "individual" and general:
        both = bool(general.get("passed")) and bool(result.get("passed"))
        reply.text += "\n" + _t(
            lang,
            f"高级认证需要同时满足通用标准和所涉业务的单项标准：通用标准{'达到' if general.get('passed') else '未达到'}通过条件，单项标准{'达到' if result.get('passed') else '未达到'}，合计{'可以' if both else '暂不'}满足。",
            f"Advanced certification needs both the general standard and the business-type standards: general {'passed' if general.get('passed') else 'not passed'}, business-type {'passed' if result.get('passed') else 'not passed'}; together {'met' if both else 'not yet met'}.",
        )
    if state["standard"] == "advanced" and state.get("business_types") and state.get("mode") == "full" and not general:
        # Continue with the 单项标准 of the business types the enterprise does.
        state["general_result"] = {
            "assessment_id": state["assessment_id"],
            "total": result.get("total"),
            "passed": result.get("passed"),
        }
        st = store.start_or_resume(
            state["code"],
            state.get("name", ""),
            "individual",
            None,
            "full",
            state.get("production"),
            state["business_types"],
        )
        state.update(standard="individual", assessment_id=st["id"], phase="items")
        nxt = store.next_item(state["code"], state["assessment_id"])
        if nxt is not None:
            q = _question(state, nxt, lang)
            reply.text += (
                "\n\n"
                + _t(
                    lang,
                    f"接下来是所涉业务的单项标准（{st['total']}项），继续逐项回答：",
                    f"Next, the business-type standards for your business ({st['total']} items):",
                )
                + "\n\n"
                + q.text
            )
            reply.buttons = q.buttons
    return state, reply


def report_base_url() -> str:
    import os

    explicit = os.environ.get("GATEWAY_PUBLIC_URL", "").rstrip("/")
    if explicit:
        return explicit
    return f"http://localhost:{os.environ.get('GATEWAY_PORT', '8080')}"


Handler = Callable[[dict, str, str], tuple[dict, Reply]]


def step(state: dict | None, text: str, lang: str, sender: str = "") -> tuple[dict, Reply]:
    """Advance the flow with one user message: the handler of the current phase (``PHASES``).
    ``sender`` (the conversation, as the server knows it) is whom failed access keys are
    counted against; the caller passes in ``state["bound_code"]`` the enterprise the server has
    bound the conversation to, never a client-supplied value. Blocking (database, key hashing):
    run it off the event loop."""
    text = normalise(text)[:500]
    if not state or state.get("phase") in (None, DONE, PAUSED):
        return _begin(state or {}, text, lang)
    phase = state["phase"]
    if phase in SETUP_PHASES:
        if CANCEL_RE.match(text):
            return leave(state, lang)
        if RESUME_SETUP_RE.search(text) or parse_bound(text):
            # "继续上次的评估" (or a tap on an item's button) leaves the setup questions.
            return _begin({"bound_code": state.get("bound_code")}, text, lang)
    if phase == "access_key":
        return _on_access_key(state, text, lang, sender)
    handler = PHASES.get(phase)
    if handler is None:
        raise ValueError(f"unknown phase {phase}")
    return handler(state, text, lang)


def _begin(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    """First message of a flow (also after done / paused): resume when asked (or when an item's
    button is tapped), else start the setup questions."""
    bound = state.get("bound_code")
    tap = parse_bound(text)
    resume = bool(RESUME_RE.search(text)) or tap is not None
    new_state, reply = start(lang, resume=resume, code=bound if resume else None)
    new_state.setdefault("bound_code", bound)
    if tap is not None and new_state.get("phase") == "items":
        # A button of an earlier question: resumed, the tap is checked against the open item.
        return _on_items(new_state, text, lang)
    if tap is not None:
        # A button of a finished assessment (or of one this conversation may not open).
        new_state["phase"] = PAUSED
        return new_state, Reply(
            _t(
                lang,
                f"第{tap.item}项的按钮属于一份已经结束或未打开的评估，这次没有记录。需要时说“继续上次的评估”或“开始自我评估”。",
                f"That button of item {tap.item} belongs to an assessment that is finished or not open here; nothing was recorded. Say “resume my assessment” or “start a self-assessment” when you like.",
            )
        )
    return new_state, reply


def leave(state: dict, lang: str, quiet: bool = False) -> tuple[dict, Reply]:
    """Leave the setup questions (取消, or a top-level request the channel answers itself)."""
    state["phase"] = PAUSED
    if quiet:
        return state, Reply("")
    return state, Reply(
        _t(
            lang,
            "已退出评估设置。需要时说“开始自我评估”即可重新开始。",
            "Set-up cancelled. Say “start a self-assessment” whenever you like.",
        )
    )


def can_leave(state: dict, text: str) -> bool:
    """True when ``text`` is no answer to the setup question now asked, so a top-level request
    (progress, a policy question, a greeting, a kiosk button) may take the user out of it."""
    phase = (state or {}).get("phase")
    if phase not in SETUP_PHASES:
        return False
    t = normalise(text)
    if t.startswith("/"):
        return not t.startswith(ANSWER_INTENT)
    if phase == "standard":
        return _parse_standard(t) is None
    if phase == "name":
        return not NAME_LIKE_RE.search(t)
    if phase == "code":
        return not credit_code.check(t).valid and not re.search(r"[0-9A-Z]{15,}", t.upper())
    if phase == "access_key":
        return not re.fullmatch(r"[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}", t)
    if phase == "production":
        return _parse_production(t) is None
    if phase == "business_types":
        return _parse_business_types(t) is None
    return _parse_mode(t) is None


def _on_standard(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    std = _parse_standard(text)
    if not std:
        r = _ask(state, lang)
        return state, Reply(_t(lang, "没听懂您的选择。", "I didn't catch that.") + "\n" + r.text, r.buttons)
    state.update(standard=std, phase="name")
    return state, _ask(state, lang)


def _on_name(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    if len(text) < 2 or len(text) > 100 or not any(ch.isalnum() for ch in text):
        return state, Reply(_t(lang, "请输入2到100个字符的企业名称。", "Please enter a name of 2 to 100 characters."))
    state.update(name=text, phase="code")
    return state, _ask(state, lang)


def _on_code(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    res = credit_code.check(text)
    if not res.valid:
        return state, Reply(
            _t(
                lang,
                f"这个代码无效：{(res.reason or {}).get('zh', '')}请重新输入18位统一社会信用代码。",
                f"That code is not valid: {(res.reason or {}).get('en', '')} Please enter the 18-character code again.",
            )
        )
    if res.code == state.get("bound_code"):
        return _code_accepted(state, res.code, lang)
    key = None if enterprise_access.has_key(res.code) else enterprise_access.issue_key(res.code, state.get("name", ""))
    if key is None:  # the enterprise has a key (perhaps claimed a moment ago)
        state.update(phase="access_key", pending_code=res.code, key_attempts=0)
        return state, Reply(
            _t(
                lang,
                "该企业已有评估记录。为保护企业数据，请输入该企业的访问码（首次评估时提供，格式如 ABCD-EFGH）。",
                "This enterprise already has saved assessments. To protect its data, please enter its access key (given at its first assessment, e.g. ABCD-EFGH).",
            )
        )
    state, reply = _code_accepted(state, res.code, lang)
    return state, reply.prefixed(_key_notice(key, lang), "")


def _on_access_key(state: dict, text: str, lang: str, sender: str = "") -> tuple[dict, Reply]:
    code = state["pending_code"]
    chk = enterprise_access.check(code, text, sender)
    if chk.ok:
        state["bound_code"] = code
        return _code_accepted(state, code, lang)
    if chk.reason in ("several", "none", "wait"):
        return state, Reply(key_refusal(chk, lang))
    state["key_attempts"] = state.get("key_attempts", 0) + 1
    if state["key_attempts"] >= 3:
        state["phase"] = PAUSED
        return state, Reply(
            _t(
                lang,
                "访问码多次不正确，已停止。忘记访问码可联系主管海关重新发放。",
                "The access key was wrong too many times; stopping. Your customs office can issue a new key.",
            )
        )
    return state, Reply(key_refusal(chk, lang))


def _on_production(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    prod = _parse_production(text)
    if prod is None:
        return state, _ask(state, lang)
    state["production"] = prod
    state["phase"] = "business_types" if state["standard"] == "advanced" else "mode"
    return state, _ask(state, lang)


def _on_business_types(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    bts = _parse_business_types(text)
    if bts is None:
        return state, _ask(state, lang)
    state["business_types"] = bts
    state["phase"] = "mode"
    return state, _ask(state, lang)


def _on_mode(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    mode = _parse_mode(text)
    if mode is None:
        return state, _ask(state, lang)
    st = store.start_or_resume(
        state["code"],
        state.get("name", ""),
        state["standard"],
        None,
        mode,
        state.get("production"),
        state.get("business_types"),
    )
    state.update(mode=mode, assessment_id=st["id"], phase="items")
    nxt = store.next_item(state["code"], state["assessment_id"])
    head = _t(
        lang,
        "好的。每一项都可以回答达标 / 基本达标 / 不达标 / 不适用；随时可以说“详细”“跳过”“返回上一题”“修改第N项”“暂停”。答案即时保存。",
        "OK. Answer each item with meets / partly / no / N/A; you can say “explain”, “later”, “back”, “change item N” or “pause” at any time. Every answer is saved at once.",
    )
    if st.get("resumed"):
        head = _t(
            lang,
            f"找到该企业未完成的评估（已答{st['answered']}/{st['total']}项），继续。",
            f"Found an unfinished assessment ({st['answered']}/{st['total']} answered); continuing.",
        )
    return _continue_at(state, nxt, lang, head)


def _code_accepted(state: dict, code: str, lang: str) -> tuple[dict, Reply]:
    state["code"] = code
    state["bound_code"] = code
    found = _latest_open(code)
    if found and (state.get("resume") or found.get("standard") == state.get("standard")):
        return _resume_from(found, state, lang)
    if state.get("resume"):
        state["resume"] = False
        state["phase"] = "standard"
        r = _ask(state, lang)
        return state, Reply(
            _t(
                lang,
                "该企业没有未完成的评估，我们开始一个新的。\n",
                "There is no unfinished assessment for this code; let's start a new one.\n",
            )
            + r.text,
            r.buttons,
        )
    state["phase"] = "production"
    return state, _ask(state, lang)


def _key_notice(key: str, lang: str) -> str:
    return _t(
        lang,
        f"已为该企业生成访问码：{key}。请妥善保存（对话记录中不保存访问码）：在其他渠道或设备上继续评估、查看培育进度时，需要同时提供统一社会信用代码和访问码。"
        "这是首次认领，主管海关确认前显示为“海关尚未确认”；如非本企业人员，请勿继续。\n\n",
        f"Your enterprise's access key is {key}. Keep it safe (it is not kept in the conversation record): to continue on another channel or device, or to see your progress, you need the code and this key. "
        "As a first claim it shows as “not yet confirmed by customs” until your customs office confirms it.\n\n",
    )


def key_refusal(chk: enterprise_access.KeyCheck, lang: str) -> str:
    """What to say when an access key was not accepted (no key, several keys, or a wait)."""
    if chk.reason == "several":
        return _t(
            lang,
            "一条消息里只能输入一个访问码，未作核对。",
            "Only one access key per message is checked; none was checked.",
        )
    if chk.reason == "wait":
        minutes = max(1, int(chk.wait_seconds + 59) // 60)
        return _t(
            lang,
            f"访问码错误次数过多，请{minutes}分钟后再试；忘记访问码请联系主管海关重新发放。",
            f"Too many wrong access keys; please try again in {minutes} minute(s). If the key is lost, your customs office can issue a new one.",
        )
    if chk.reason == "none":
        return _t(
            lang,
            "请输入访问码（8位，格式如 ABCD-EFGH）。",
            "Please enter the access key (8 characters, e.g. ABCD-EFGH).",
        )
    return _t(lang, "访问码不正确，请再试一次。", "That access key is not correct; please try again.")


# --------------------------------------------------------------------------- item walk


def _open_item(state: dict) -> int | None:
    """The item the user is looking at (the stored position, or the next unanswered one)."""
    code, aid = state["code"], state["assessment_id"]
    if state.get("fin_item") is not None:
        return state["fin_item"]
    if state.get("na_item") is not None:
        return state["na_item"]
    current = store.current_item(code, aid)
    return current if current is not None else store.next_item(code, aid)


def _with_question(state: dict, number: int | None, lang: str, head: str) -> tuple[dict, Reply]:
    if number is None:
        return _finish(state, lang, head)
    q = _question(state, number, lang)
    return state, Reply(head + "\n\n" + q.text, q.buttons)


def _record(
    state: dict,
    number: int,
    verdict: str,
    lang: str,
    source: str = "direct",
    detail: dict | None = None,
    note: str = "",
    reason: str | None = None,
) -> tuple[dict, Reply]:
    try:
        store.record_answer(
            state["code"],
            state["assessment_id"],
            number,
            verdict,
            source=source,
            detail=detail,
            expected_item=number,
            reason=reason,
        )
    except store.AnswerConflict as exc:
        # Another tap, device or sender answered or moved on first: nothing was written.
        for k in ("figures", "fin_item", "fin_field", "na_item"):
            state.pop(k, None)
        now = exc.current if exc.current is not None else store.next_item(state["code"], state["assessment_id"])
        return _with_question(
            state,
            now,
            lang,
            _t(
                lang,
                f"第{number}项刚刚已在别处作答或评估已前进，这次的回答没有记录。",
                f"Item {number} was just answered elsewhere or the assessment moved on; this answer was not saved.",
            ),
        )
    for k in ("figures", "fin_item", "fin_field", "na_item"):
        state.pop(k, None)
    state["last"] = {"item": number, "verdict": verdict}
    shown = verdict if lang == "zh" else VERDICT_EN.get(verdict, verdict)
    head = (note + "\n" if note else "") + _t(lang, f"已记录第{number}项：{shown}。", f"Saved item {number}: {shown}.")
    return _with_question(state, store.next_item(state["code"], state["assessment_id"]), lang, head)


def _stale_tap(state: dict, tap: BoundAnswer, open_item: int | None, lang: str) -> tuple[dict, Reply]:
    """A button of a question that is no longer open: refused (or ignored when repeated)."""
    last = state.get("last") or {}
    if tap.standard == state.get("standard") and last.get("item") == tap.item:
        cmd = ai.parse(tap.answer)
        if cmd is None or cmd.kind != "verdict" or _same_verdict(state, tap.item, cmd.verdict, last.get("verdict")):
            recorded = str(last.get("verdict") or "")
            shown = recorded if lang == "zh" else VERDICT_EN.get(recorded, recorded)
            return state, Reply(
                _t(
                    lang,
                    f"（第{tap.item}项已记录为“{shown}”，重复的点击已忽略。现在是第{open_item}项。）",
                    f"(Item {tap.item} is saved as “{shown}”; the repeated tap was ignored. Now at item {open_item}.)",
                )
            )
    answered = store.get_answers(state["code"], state["assessment_id"]) if tap.standard == state["standard"] else {}
    if tap.item in answered:
        head = _t(
            lang,
            f"第{tap.item}项已经回答过，现在是第{open_item}项；要修改请说“修改第{tap.item}项”。",
            f"Item {tap.item} is already answered; we are now at item {open_item}. To change it, say “change item {tap.item}”.",
        )
    else:
        head = _t(
            lang,
            f"那是第{tap.item}项的按钮，现在是第{open_item}项；要回答第{tap.item}项请说“修改第{tap.item}项”。",
            f"That button belongs to item {tap.item}; we are now at item {open_item}. To answer item {tap.item}, say “change item {tap.item}”.",
        )
    return _with_question(state, open_item, lang, head)


def _same_verdict(state: dict, number: int, verdict: str | None, recorded: str | None) -> bool:
    try:
        return scoring.normalize_verdict(verdict, _item(state, number)) == recorded
    except scoring.ScoringError:
        return False


def _on_items(state: dict, text: str, lang: str) -> tuple[dict, Reply]:
    current = _open_item(state)
    if current is None:
        return _finish(state, lang)
    tap = parse_bound(text)
    if tap is not None:
        if tap.item != current or tap.standard != state.get("standard"):
            return _stale_tap(state, tap, current, lang)
        text = tap.answer
    it = _item(state, current)

    # The reason for a 不适用 answer being asked.
    if state.get("na_item") is not None:
        cmd = ai.parse(text)
        if tap is None and cmd is not None and cmd.kind == "skip":
            return _record(state, current, V_NA, lang)
        other_answer = cmd is not None and cmd.kind == "verdict" and cmd.verdict != V_NA and len(text) <= 6
        if tap is None and not other_answer and (cmd is None or cmd.kind in ("number", "verdict")):
            return _record(state, current, V_NA, lang, reason=text[: scoring.MAX_REASON_CHARS])
        state.pop("na_item", None)

    # Financial figures being collected for a computed item.
    if state.get("fin_item") is not None:
        cmd = None if FIG_SKIP.match(text) else ai.parse(text)
        if cmd and cmd.kind in ("pause", "back", "skip", "change", "verdict"):
            state.pop("figures", None)
            state.pop("fin_item", None)
        else:
            fld = state["fin_field"]
            if FIG_SKIP.match(text):
                state["figures"][fld] = None
            else:
                amount = _parse_amount(text)
                if amount is None:
                    return state, _fin_ask(state, fld, lang)
                state["figures"][fld] = amount
            return _fin_continue(state, current, lang)

    cmd = ai.parse(text)
    low = text.lower()
    if cmd is None and ("计算" in text or "calculate" in low) and it.rule in ("solvency", "profitability"):
        state["fin_item"] = current
        state["figures"] = {}
        return _fin_continue(state, current, lang)
    if cmd is None and ("视为达标" in text or "exempt" in low) and it.deemed_compliant:
        return _record(
            state,
            current,
            V_MET,
            lang,
            detail={"deemed": it.deemed_compliant.get("kind")},
            note=_t(lang, "按“视为达标”情形记录。", "Recorded under the deemed-compliant exemption."),
        )
    if cmd is None:
        q = _question(state, current, lang)
        return state, Reply(
            _t(
                lang,
                "没听懂，请用按钮或“达标 / 基本达标 / 不达标 / 不适用”回答。",
                "Sorry, I didn't understand. Use the buttons or answer meets / partly / no / N/A.",
            )
            + "\n\n"
            + q.text,
            q.buttons,
        )
    handler = COMMANDS.get(cmd.kind)
    if handler is None:
        q = _question(state, current, lang)
        return state, Reply(
            _t(lang, "请回答达标情况。", "Please answer whether it meets the requirement.") + "\n\n" + q.text,
            q.buttons,
        )
    return handler(state, cmd, current, lang)


def _cmd_pause(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    code = state["code"]
    store.pause(code, state["assessment_id"])
    state["phase"] = PAUSED
    prog = store.progress(code, state["assessment_id"])
    return state, Reply(
        _t(
            lang,
            f"已暂停，已答{prog['answered']}/{prog['total']}项，答案都已保存。以后说“继续上次的评估”（在其他设备上再输入统一社会信用代码{code}和访问码），可在任何渠道接着做。",
            f"Paused with {prog['answered']}/{prog['total']} answered; everything is saved. Say “resume my assessment” (on another device, with the code {code} and the access key) to continue on any channel.",
        )
    )


def _cmd_explain(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    q = _question(state, current, lang)
    return state, Reply(_explain(state, current, lang) + "\n\n" + q.text, q.buttons)


def _cmd_skip(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    nxt = store.skip_item(state["code"], state["assessment_id"])
    if nxt is None or nxt == current:
        return _finish(state, lang)
    return _with_question(
        state, nxt, lang, _t(lang, f"第{current}项先跳过，稍后再答。", f"Item {current} left for later.")
    )


def _cmd_back(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    prev = store.previous_item(state["code"], state["assessment_id"])
    if prev is None:
        return _with_question(state, current, lang, _t(lang, "已经是第一题了。", "This is the first item."))
    return _with_question(
        state,
        prev,
        lang,
        _t(lang, f"回到第{prev}项（可重新作答）。", f"Back to item {prev} (you can change the answer)."),
    )


def _cmd_change(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    try:
        store.goto_item(state["code"], state["assessment_id"], int(cmd.item or 0))
    except (scoring.ScoringError, ValueError):
        return _with_question(
            state,
            current,
            lang,
            _t(lang, f"第{cmd.item}项不在本次评估范围内。", f"Item {cmd.item} is not part of this assessment."),
        )
    if cmd.verdict and cmd.item:
        return _answer(state, cmd.item, cmd.verdict, lang)
    return _with_question(
        state, cmd.item, lang, _t(lang, f"好的，修改第{cmd.item}项：", f"OK, changing item {cmd.item}:")
    )


def _cmd_audit_opinion(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    if _item(state, current).rule != "audit_opinion":
        return _with_question(
            state, current, lang, _t(lang, "这一项不是审计意见项。", "This item is not the audit-opinion item.")
        )
    r = financial.audit_opinion_verdict(cmd.opinion or "", state["standard"])
    return _record(
        state,
        current,
        r["verdict"],
        lang,
        source="computed",
        detail={"opinion": cmd.opinion},
        note=r["explanation"][lang],
    )


def _cmd_verdict(state: dict, cmd: ai.Command, current: int, lang: str) -> tuple[dict, Reply]:
    return _answer(state, current, cmd.verdict or "", lang)


COMMANDS: dict[str, Callable[[dict, ai.Command, int, str], tuple[dict, Reply]]] = {
    "pause": _cmd_pause,
    "explain": _cmd_explain,
    "skip": _cmd_skip,
    "back": _cmd_back,
    "change": _cmd_change,
    "audit_opinion": _cmd_audit_opinion,
    "verdict": _cmd_verdict,
}


def _answer(state: dict, number: int, verdict: str, lang: str) -> tuple[dict, Reply]:
    it = _item(state, number)
    try:
        scoring.normalize_verdict(verdict, it)
    except scoring.ScoringError:
        q = _question(state, number, lang)
        msg = _t(
            lang,
            f"第{number}项不能回答“{verdict}”",
            f"Item {number} cannot be answered “{VERDICT_EN.get(verdict, verdict)}”",
        )
        if it.additional and verdict == V_BASIC:
            msg += _t(lang, "：附加标准只有“符合”和“不适用”。", ": an additional item is either met or not applicable.")
        return state, Reply(msg + "\n\n" + q.text, q.buttons)
    if verdict == V_NA and scoring.reason_needed(it):
        state["na_item"] = number
        return state, Reply(
            _t(
                lang,
                f"第{number}项「{it.label}」不适用：请用一句话说明原因（例如“企业没有这类业务”），会写入评估结果，海关认证时会核实。",
                f"Item {number} ({it.label_en}) does not apply: please say why in one sentence (e.g. “we have no such business”); it goes into the result and customs will check it.",
            ),
            [
                _nb(_t(lang, "暂不说明", "Skip the reason"), "跳过"),
                _nb(_t(lang, "返回本题", "Back to the item"), "详细"),
            ],
        )
    return _record(state, number, verdict, lang)


PHASES: dict[str, Handler] = {
    "standard": _on_standard,
    "name": _on_name,
    "code": _on_code,
    "access_key": _on_access_key,
    "production": _on_production,
    "business_types": _on_business_types,
    "mode": _on_mode,
    "items": _on_items,
}


def _fin_continue(state: dict, number: int, lang: str) -> tuple[dict, Reply]:
    res = _fin_result(state, number)
    if res.get("verdict"):
        return _record(
            state,
            number,
            res["verdict"],
            lang,
            source="computed",
            detail={"figures": state.get("figures"), "met_count": res.get("met_count")},
            note=res["explanation"][lang]
            + "\n"
            + _t(lang, f"依据：{res.get('clause', '')}", f"Rule: {res.get('clause', '')}"),
        )
    fld = _fin_next_field(state, res)
    if fld is None:
        state.pop("figures", None)
        state.pop("fin_item", None)
        q = _question(state, number, lang)
        return state, Reply(
            res["explanation"][lang]
            + "\n"
            + _t(
                lang,
                "数据不足以得出结论，请直接回答达标情况。",
                "Not enough figures to decide; please answer directly.",
            )
            + "\n\n"
            + q.text,
            q.buttons,
        )
    state["fin_field"] = fld
    return state, _fin_ask(state, fld, lang)
