"""Credit diagnosis as a conversation, channel-independent (no Rasa).

The user can give facts in one sentence ("去年罚了4次，共12万") or answer the
questions one by one; the flow asks only for what the criteria still need (at
most ``MAX_QUESTIONS`` in a row), then gives the verdict with the clause behind
each conclusion. "What if" questions ("如果今年只罚2次呢") are answered against
the facts given so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.diagnosis import engine as diag
from core.diagnosis.check import quantity, trace_text
from core.diagnosis.facts import WHAT_IF_RE, parse_facts, parse_facts_ranges, with_time_of
from core.knowledge.context import asks_about_rules, follow_up
from core.replies import Reply
from core.text import as_meant, normalise, pick

MAX_QUESTIONS = 6
LEAVE_FOR_QUESTION = "question"  # Reply.kind of a step that leaves the form for a question
DONE_RE = re.compile(r"^(就这些|没有了|不知道|先这样|直接告诉我|结果|that'?s all|no more|done|skip|result)$", re.I)
# "如果今年再被罚一笔5万呢", "what if we got another fine": a supposition that adds to what was told
_MORE_RE = re.compile(r"再|又|另外|多(?:了|被|罚)|(?i:\banother\b|\bextra\b|\badditional\b|\bon top\b|\bmore\b)")
STOP_RE = re.compile(r"^(退出|取消|结束|cancel|quit|stop|exit)$", re.I)
STATUS_ZH = {
    "met": "符合",
    "not_met": "不符合",
    "unknown": "待补充信息",
    "cannot_assess": "无法判断",
    "not_applicable": "不适用",
}
STATUS_EN = {
    "met": "met",
    "not_met": "not met",
    "unknown": "needs facts",
    "cannot_assess": "cannot assess",
    "not_applicable": "n/a",
}


_t = pick


# A question about the facts just given ("会不会影响高级认证", "对信用有什么影响"):
# answered on the criteria those facts touch, asking only for what changes the verdict.
QUESTION_RE = re.compile(
    r"会不会|会否|是否|有没有|什么影响|影响|会怎样|怎么办|危险|能不能|可不可以|还能|吗|么|[?？]|"
    r"\b(?:does|do|will|would|can|could|is|are|affect|affects|impact|still)\b",
    re.I,
)
ADVANCED_RE = re.compile(r"高级认证|高认|\badvanced\b", re.I)
CERTIFIED_RE = re.compile(r"(?<!高级)认证企业|(?<!advanced )\bcertified\b", re.I)
DISHONEST_RE = re.compile(r"信用|失信|等级|credit|dishonest|level", re.I)


@dataclass
class DiagnosisState:
    """What the flow remembers between messages (kept by the channel through
    ``core.replies.dump_state`` / ``load_state``)."""

    facts: dict[str, Any] = field(default_factory=dict)
    asked: int = 0
    expecting: str | None = None
    lang: str = "zh"
    done: bool = False
    skipped: list[str] = field(default_factory=list)
    pending: Reply | None = None  # the reply of the last step, sent by the next action
    focus: list[str] = field(default_factory=list)  # criteria a single-fact question is about
    question: str = ""  # the message that started it: what a question asked mid-form refers to
    supposed: bool = False  # the facts are a supposition made after the diagnosis ("如果再被罚一笔5万呢")

    def __post_init__(self) -> None:
        if isinstance(self.pending, dict):
            self.pending = Reply.from_dict(self.pending)
        if not isinstance(self.facts, dict):
            self.facts = {}


def finished(state: DiagnosisState) -> DiagnosisState:
    """What is kept after a diagnosis for later "what if" questions: the facts, the clauses the
    question was about and the question, not the flow's position."""
    return DiagnosisState(
        facts=dict(state.facts), focus=list(state.focus), question=state.question, supposed=state.supposed, done=True
    )


def start(lang: str, first_text: str = "", previous: DiagnosisState | None = None) -> tuple[DiagnosisState, Reply]:
    """Start; facts already in the triggering sentence are used at once. A "what
    if" question right after a diagnosis (``previous``) is answered against its facts."""
    first_text = as_meant(first_text or "")  # "去年罚了，嗯，六万": a voice kiosk's transcript
    if previous is not None and previous.facts and WHAT_IF_RE.search(first_text):
        state = finished(previous)
        state.lang = lang
        reply = _what_if(state, normalise(first_text), lang)
        reply.done = True
        return state, reply
    state = DiagnosisState(lang=lang, question=(first_text or "")[:300])
    parsed = parse_facts_ranges(first_text or "")
    facts, note = _settle(state.facts, parsed, lang)
    state.facts.update(facts)
    if (facts or parsed["approx"]) and QUESTION_RE.search(first_text or ""):
        state.focus = focus_criteria({**facts, **parsed["approx"]}, first_text)
        if state.focus:
            return _focused(state, lang, note)
    if (
        not set(facts) - _WHO_WE_ARE
        and not parsed["approx"]
        and _a_question(first_text or "")
        and (not _WANTS_DIAGNOSIS.search(first_text or "") or _THRESHOLD_Q.search(first_text or ""))
    ):
        # "去年帮我们报关的一家报关行后来被认定成失信企业了，会不会拖累我们申请？": a question on one
        # rule that states no figure the form reads, not a request for a diagnosis: answered in the
        # conversation (from the clause on it), not with the form's first question
        state.done = True
        return state, Reply("", kind=LEAVE_FOR_QUESTION, done=True)
    intro = _t(
        lang,
        "好的，我来根据企业的情况判断信用风险。请尽量一句话说明，例如“去年被罚4次，共12万，最大一笔3万，报关单2000票”。",
        "OK, let's check your credit risk from your facts. Tell me in a sentence if you can, e.g. “penalised 4 times last year, RMB 120,000 in total, the largest 30,000, 2,000 declarations”.",
    )
    return _continue(state, lang, intro if not facts else note)


# "会不会被弄成失信企业", "will we get blacklisted?": whether the facts make the enterprise dishonest
# (not how a dishonest one is repaired, nor what a dishonest broker does to a certification)
_WILL_BE_DISHONEST = re.compile(
    r"(?:会不会|会|是否|能不能|算不算|算)(?:被)?(?:认定|评为|划为|列为|降为|弄成|变成|成为|打成|算)?(?:为|成)?(?:失信|黑名单)"
    r"|(?i:\b(?:will|would|could|might|do|does|did|can)\s+(?:we|it|that|this|they|our\s+company)\s+(?:get|be|become|end\s+up)\s+"
    r"(?:\w+\s+)?(?:blacklisted|dishonest|listed\s+as\s+dishonest|rated\s+dishonest)\b|\bmake\s+us\s+(?:a\s+)?dishonest\b)"
)
_REPAIR = re.compile(r"修复|恢复|(?i:\brepair|\brestor)")


def dishonesty_at_once(lang: str, text: str) -> Reply | None:
    """ "We owe customs some duty, it's about 2 months overdue. Will we get blacklisted?" asked in
    the conversation (not read as a diagnosis request): the clauses its facts touch, judged at once,
    when that answer is complete (no form question left); None otherwise."""
    if not _WILL_BE_DISHONEST.search(text or "") or _REPAIR.search(text or "") or not parse_facts(text).get("facts"):
        return None
    state, reply = start(lang, text)
    if not (reply.done and state.focus and reply.kind != LEAVE_FOR_QUESTION and reply.text):
        return None
    return reply


def _settle(known: dict, parsed: dict, lang: str) -> tuple[dict, str]:
    """The facts to keep from ``parsed`` (``parse_facts_ranges``) and a note on its approximate
    amounts: "十几万" is kept (at its lowest reading) when both ends of the range lead to the same
    verdict on every rule, else left out, so that the flow asks for the figure."""
    facts = dict(parsed.get("facts") or {})
    approx = parsed.get("approx") or {}
    if not approx:
        return facts, ""
    base = {**known, **facts}
    low = diag.diagnose({**base, **{k: v[0] for k, v in approx.items()}})
    high = diag.diagnose({**base, **{k: v[1] for k, v in approx.items()}})
    said = "、".join(f"“{p}”" for p in parsed.get("vague") or [])
    unit = {k: (diag.load_criteria()["fact_index"].get(k) or {}).get("unit") for k in approx}
    ranges = "；".join(f"{quantity(v[0], unit[k], lang)}—{quantity(v[1], unit[k], lang)}" for k, v in approx.items())
    if [(r.id, r.status) for r in low.results] == [(r.id, r.status) for r in high.results]:
        facts.update({k: v[0] for k, v in approx.items()})
        return facts, _t(
            lang,
            f"{said}按{ranges}计算，两端结论相同。",
            f"{said} read as {ranges}; both ends give the same result.",
        )
    return facts, _t(
        lang,
        f"{said}不够确切（{ranges}），结论取决于具体金额。",
        f"{said} is not exact enough ({ranges}); the result depends on the figure.",
    )


def step(state: DiagnosisState | None, text: str, lang: str) -> tuple[DiagnosisState, Reply]:
    """One message; the reply's ``done`` says the diagnosis has ended."""
    text = as_meant(normalise(text))[:1000]
    if state is None or (not state.facts and not state.asked and not state.done):
        return start(lang, text)
    if STOP_RE.match(text):
        state.done = True
        return state, Reply(_t(lang, "已结束诊断。", "Diagnosis ended."), done=True)
    if WHAT_IF_RE.search(text) and state.facts:
        return state, _what_if(state, text, lang)
    if DONE_RE.match(text):
        return _verdict(state, lang)
    ranges = parse_facts_ranges(text, expecting=state.expecting)
    parsed, note = _settle(state.facts, ranges, lang)
    if not parsed and not ranges["approx"] and _a_question(text):
        # "这个3个月是新规定还是老规定", "那先申请认证企业呢 是不是松一点" are questions, not answers to
        # the form's: the diagnosis ends (its facts kept for a later "what if") and the question is
        # answered in the conversation, from the question that started the form.
        state.done = True
        return state, Reply("", kind=LEAVE_FOR_QUESTION, done=True)
    if not parsed and ranges["approx"]:
        return _continue(state, lang, note)  # "十几万" where the exact figure decides: asked again
    if not parsed:
        # Not understood: skip this question rather than loop on it.
        if state.expecting:
            state.skipped.append(state.expecting)
        note = _t(lang, "这个我没能理解，先跳过。", "I couldn't read that; skipping this one.")
        return _continue(state, lang, note)
    state.facts.update(parsed)
    return _continue(state, lang, note)


# A request for the diagnosis itself ("帮我们做个信用风险诊断", "我们公司会不会被认定失信", "check our
# credit risk"): the form asks its questions.
_WANTS_DIAGNOSIS = re.compile(
    r"诊断|评估|测一测|测测|风险|帮(?:我|我们|忙)?(?:看看|看一下|查查|查一下|判断|分析)|信用(?:怎么样|如何|状况)|(?:会不会|会|是否)(?:被)?(?:认定|评为|划为|列为|降为)"
    r"|(?i:diagnos|assess|evaluat|\bcheck\s+(?:our|my)\b|\brisk\b|\b(?:be|get)\s+(?:rated|downgraded|listed)\b)"
)
# What the enterprise is, not what happened to it ("我们是报关行，……罚款累计到多少会触发失信"): a line
# that tells only this asks about the rule
_WHO_WE_ARE = frozenset({"is_customs_broker"})
# "罚款累计到多少会触发失信", "how many penalties before we are rated dishonest?": the rule's figure
_THRESHOLD_Q = re.compile(
    r"(?:到|超过|达到|满)多少|多少(?:次|万|万元|钱|票)?(?:以上|以内)?(?:会|就|才|算)"
    r"|(?i:\bhow (?:many|much)\b[^.?]{0,40}\b(?:before|until)\b|\bthresholds?\b)"
)
_ASKS = re.compile(r"[？?]|吗|是不是|有没有|会不会|能不能|(?i:\b(?:what|how|which|does|is|are|can)\b)")


def _a_question(text: str) -> bool:
    """A line the form cannot read that asks something: about the rules ("这个3个月是新规定还是老
    规定"), a follow-up ("那认证企业呢"), or a question of its own ("那次数和总金额有没有限制")."""
    return asks_about_rules(text) or follow_up(text, []) is not None or bool(_ASKS.search(text))


def _continue(state: DiagnosisState, lang: str, note: str) -> tuple[DiagnosisState, Reply]:
    if state.focus:
        return _focused(state, lang, note)
    d = diag.diagnose(state.facts)
    q = diag.next_question(d, lang)
    skipped = set(state.skipped)
    while q and q["key"] in skipped:
        # Ask the next missing fact instead of the skipped one.
        missing = [m for m in d.missing if m.get("key") not in skipped]
        q = (
            {
                "key": missing[0]["key"],
                "text": missing[0]["question"][lang]
                if isinstance(missing[0].get("question"), dict)
                else missing[0].get("text", ""),
            }
            if missing
            else None
        )
    if q and state.asked < MAX_QUESTIONS:
        state.asked += 1
        state.expecting = q["key"]
        text = (note + "\n" if note else "") + q["text"]
        return state, Reply(
            text, [{"title": _t(lang, "就这些，给我结论", "That's all, show the result"), "payload": "就这些"}]
        )
    return _verdict(state, lang, note)


def render(d: diag.Diagnosis, lang: str) -> str:
    zh = lang == "zh"
    lines = [d.summary[lang]]
    relevant = [
        r for r in d.results if r.status in ("met", "not_met") or (r.status == "cannot_assess" and not r.superseded)
    ]
    if relevant:
        lines.append(_t(lang, "逐条依据：", "Clause by clause:"))
    for r in relevant:
        if r.ground is not None or r.regime != "standard_2026":
            # Dishonesty grounds: "met" means the ground is present.
            status = {
                "met": _t(lang, "构成该情形", "ground present"),
                "not_met": _t(lang, "不构成", "ground absent"),
            }.get(r.status, (STATUS_ZH if zh else STATUS_EN).get(r.status, r.status))
        else:
            status = (STATUS_ZH if zh else STATUS_EN).get(r.status, r.status)
        art, flag = _article_and_flags(r, lang)
        lines.append(f"  · {art}：{status}{flag}" if zh else f"  · {art}: {status}{flag}")
    for c in d.caveats:
        lines.append(c[lang] if isinstance(c, dict) else str(c))
    return "\n".join(lines)


def _article_and_flags(r: diag.CriterionResult, lang: str) -> tuple[str, str]:
    """The clause's name and its flags: "（已废止规定，未核实）"."""
    art = str(r.article.get(lang) or "") if isinstance(r.article, dict) else str(r.article)
    flags = []
    if r.superseded:
        flags.append(_t(lang, "已废止规定，仅供参考", "repealed rule, for reference"))
    if not r.verified:
        flags.append(_t(lang, "未核实", "unverified"))
    if not flags:
        return art, ""
    return art, (f"（{'，'.join(flags)}）" if lang == "zh" else f" ({', '.join(flags)})")


def _verdict(state: DiagnosisState, lang: str, note: str = "") -> tuple[DiagnosisState, Reply]:
    d = diag.diagnose(state.facts)
    state.done = True
    state.expecting = None
    text = (note + "\n" if note else "") + render(d, lang)
    text += "\n" + _t(
        lang,
        "可以继续问“如果今年只罚2次呢”看看结论会怎样变化。",
        "You can ask “what if we had only 2 penalties?” to see how the outcome changes.",
    )
    return state, Reply(text, done=True)


def what_if_after(previous: DiagnosisState | None, text: str, lang: str) -> tuple[DiagnosisState, Reply] | None:
    """A "what if" asked in the conversation after a diagnosis ("如果今年再被罚一笔5万呢", "那换成
    申请认证企业呢"): answered against the diagnosis's facts, when it supposes a figure, another time
    or the other level; else none (a question of its own that says 如果: "如果被认定失信，多久能修复")."""
    if previous is None or not previous.facts or not WHAT_IF_RE.search(text or ""):
        return None
    text = normalise(text)
    named = bool(ADVANCED_RE.search(text)) != bool(CERTIFIED_RE.search(text))
    if not (parse_facts(text).get("facts") or with_time_of(previous.question, text) or (named and previous.focus)):
        return None
    return start(lang, text, previous)


def adds_to(text: str) -> bool:
    """The supposition adds to what was told ("再被罚一笔5万", "another fine of RMB 50,000")."""
    return bool(_MORE_RE.search(text or ""))


def suppose(facts: dict, changes: dict, text: str) -> dict:
    """The facts with a supposition in place of what was told; one that adds ("再被罚一笔5万") adds to
    the facts that grow (criteria.yaml ``more``: 3 penalties, RMB 120,000 in all, the largest 50,000)."""
    index = diag.load_criteria()["fact_index"]
    adds = adds_to(text)
    out = dict(facts)
    for key, value in changes.items():
        told, how = out.get(key), (index.get(key) or {}).get("more")
        if value is None:
            out.pop(key, None)
        elif adds and isinstance(told, int | float) and how == "sum":
            out[key] = told + value
        elif adds and isinstance(told, int | float) and how == "max":
            out[key] = max(told, value)
        else:
            out[key] = value
    return out


def supposition(before: dict, after: dict, lang: str) -> str:
    """ "假设：处罚3次、罚款累计12万元、单次最大罚款5万元": the facts a supposition changed."""
    index = diag.load_criteria()["fact_index"]
    said = []
    for key, value in after.items():
        fact = index.get(key) or {}
        if before.get(key) == value or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        name = (fact.get("short") or fact.get("label") or {}).get(lang, key)
        said.append(
            f"{name}{quantity(value, fact.get('unit'), lang)}"
            if lang == "zh"
            else f"{name} {quantity(value, fact.get('unit'), lang)}"
        )
    if not said:
        return _t(lang, "假设情况下：", "With that assumption:")
    return _t(lang, f"假设：{'、'.join(said)}。", f"Assuming {', '.join(said)}:")


def _what_if(state: DiagnosisState, text: str, lang: str) -> Reply:
    changes = parse_facts(text).get("facts") or {}
    moved = with_time_of(state.question, text) if not changes else None
    if moved:
        # "8个月前被罚了一笔8万……" → "要是两年前呢": what the first message told, at that time
        told = parse_facts(state.question).get("facts") or {}
        now = parse_facts(moved).get("facts") or {}
        changes = {**{k: None for k in told if k not in now}, **now}
    named = bool(ADVANCED_RE.search(text)) != bool(CERTIFIED_RE.search(text))
    if changes and state.focus and not state.done and state.expecting in changes:
        # "如果其中一笔单次就罚了6万呢？" when the largest single fine was asked: the answer, told as
        # a supposition; the clauses asked about, judged with it
        state.facts.update({k: v for k, v in changes.items() if v is not None})
        return _continue(state, lang, "")[1]
    if not changes and named and state.focus:
        # "如果改报认证企业呢": the same facts against the clauses of the level it names now
        state.focus = focus_criteria(state.facts, text)
        state.asked = MAX_QUESTIONS  # (answered with what is known: the form is over)
        return _focused(state, lang)[1]
    if changes and state.done and state.focus:
        # "如果今年再被罚一笔5万呢" after "去年被罚了2次，一笔3万一笔4万，申请高级认证处罚这块有问题吗":
        # the clauses the question was about, judged with the supposed facts
        told = dict(state.facts)
        state.facts, state.supposed = suppose(state.facts, changes, text), True
        state.focus = focus_criteria(state.facts, state.question) or state.focus
        state.asked = MAX_QUESTIONS
        return _focused(state, lang, supposition(told, state.facts, lang))[1]
    if not changes:
        return Reply(
            _t(
                lang,
                "请说明要假设的情况，例如“如果只罚2次、共3万呢”。",
                "Tell me what to assume, e.g. “what if only 2 penalties, 30,000 in total?”.",
            ),
            done=state.done,
        )
    assumed = suppose(state.facts, changes, text)
    changes = {k: assumed.get(k) for k in changes}
    before, after, differences = diag.what_if(state.facts, changes)
    if state.done:
        # after the diagnosis, the supposition is what later questions build on ("那换成认证企业呢");
        # (asked mid-form, the told facts stay: the form goes on collecting them)
        state.facts, state.supposed = assumed, True
    lines = [_t(lang, "假设情况下的结论：", "With that assumption:"), after.summary[lang]]
    if differences:
        lines.append(_t(lang, "与现在相比的变化：", "What changes:"))
        for dif in differences:
            lines.append("  · " + _difference(dif, lang))
    else:
        lines.append(_t(lang, "结论没有变化。", "The outcome does not change."))
    return Reply("\n".join(lines), done=state.done)


_OUTCOME = {
    "zh": {
        "blocked": "受阻",
        "meets_checked_items": "已核查项符合",
        "incomplete": "信息不全",
        "not_in_force": "不适用",
        "advanced_blocked": "高级认证受阻",
        "certified_blocked": "认证受阻",
        "dishonest_risk": "有失信风险",
    },
    "en": {
        "blocked": "blocked",
        "meets_checked_items": "checked items met",
        "incomplete": "incomplete",
        "not_in_force": "n/a",
        "advanced_blocked": "advanced certification blocked",
        "certified_blocked": "certification blocked",
        "dishonest_risk": "dishonesty risk",
    },
}


def _difference(dif, lang: str) -> str:
    if not isinstance(dif, dict):
        return str(dif)
    names = STATUS_ZH if lang == "zh" else STATUS_EN
    before, after = str(dif.get("before")), str(dif.get("after"))
    b = names.get(before) or _OUTCOME[lang].get(before, before)
    a = names.get(after) or _OUTCOME[lang].get(after, after)
    art = dif.get("article")
    if isinstance(art, dict):
        what = art.get(lang) or art.get("zh")
    elif dif.get("id") == "overall:advanced":
        what = _t(lang, "高级认证", "Advanced certification")
    elif dif.get("id") == "overall:certified":
        what = _t(lang, "认证企业", "Certified Enterprise")
    else:
        what = _t(lang, "总体判断", "Overall")
    return f"{what}：{b} → {a}" if lang == "zh" else f"{what}: {b} → {a}"


# ---------------------------------------------------------------------------
# single-fact questions
# ---------------------------------------------------------------------------


def focus_criteria(facts: dict, text: str) -> list[str]:
    """The criteria a question is about: those whose facts it gives, for the level it
    names (both certified levels when it names none), plus the dishonesty rules when
    it asks about credit in general."""
    data = diag.load_criteria()
    given = set(facts)
    if "penalties_total" in given:
        given.add("max_single_penalty")  # a total bounds every single fine: the single-fine rule is asked too
    wants_adv = bool(ADVANCED_RE.search(text))
    wants_cert = bool(CERTIFIED_RE.search(text))
    levels = {"advanced"} if wants_adv and not wants_cert else ({"certified"} if wants_cert and not wants_adv else None)
    about_credit = not (wants_adv or wants_cert) or bool(DISHONEST_RE.search(ADVANCED_RE.sub("", text)))
    out = []
    for c in data["criteria"]:
        if not given & set(c.get("facts") or []):
            continue
        if (c["regime"] == "standard_2026" and (levels is None or c.get("standard") in levels)) or (
            c["regime"] == "decree_251" and about_credit
        ):
            out.append(c["id"])
    if out and about_credit:
        out += [
            c["id"]
            for c in data["criteria"]
            if c["regime"] == "decree_282" and c["consequence"]["level"] == "dishonest"
        ]
    if _ASKS_DISHONEST.search(text) and not _NAMES_CERTIFICATION.search(text):
        # "……会不会被海关划成不讲信用的企业？": the dishonesty rules answer, the certification
        # standards' items on the same facts after them
        regime = {c["id"]: c["regime"] for c in data["criteria"]}
        out.sort(key=lambda cid: regime.get(cid) == "standard_2026")
    return out


_ASKS_DISHONEST = re.compile(r"失信|不讲信用|黑名单|(?i:\bdishonest|\bblacklist|\buntrustworthy)")
_NAMES_CERTIFICATION = re.compile(r"认证|高认|(?i:\baeo\b|certif|advanced)")


def _ratio_hint(criterion: dict, facts: dict, lang: str) -> str:
    """For a ratio exception still open ("unless under 1/10,000 of last year's trade"),
    the value of the missing fact that would make the exception apply."""
    index = diag.load_criteria()["fact_index"]

    def walk(node: dict):
        for child in node.get("all") or node.get("any") or []:
            yield from walk(child)
        yield node

    nodes = list(walk(criterion.get("test") or {}))
    for node in nodes:
        if "ratio" not in node:
            continue
        left, of = facts.get(node["fact"]), node["of"]
        if isinstance(left, int | float) and facts.get(of) is None and node["op"] in ("le", "lt"):
            needed = left / float(node["ratio"])
            label = index[of]["label"][lang]
            fact_label = index[node["fact"]]["label"][lang]
            unit, of_unit = index[node["fact"]].get("unit"), index[of].get("unit")
            line = next(
                (
                    _t(
                        lang,
                        f"{fact_label}{quantity(left, unit, lang)}，超过{quantity(n['value'], unit, lang)}这条线；",
                        f"{fact_label}: {quantity(left, unit, lang)}, over the {quantity(n['value'], unit, lang)} line; ",
                    )
                    for n in nodes
                    if n.get("fact") == node["fact"]
                    and "value" in n
                    and n.get("op") in ("le", "lt")
                    and isinstance(n["value"], int | float)
                    and left > n["value"]
                ),
                "",
            )
            return line + _t(
                lang,
                f"例外是不超过{label}的万分之一，即{label}不低于{quantity(needed, of_unit, lang)}；否则该项不达标。"
                if float(node["ratio"]) == 0.0001
                else f"例外是{label}不低于{quantity(needed, of_unit, lang)}；否则该项不达标。",
                f"the exception needs {label} of at least {quantity(needed, of_unit, lang)}; otherwise the item fails.",
            )
    return ""


def _focused(state: DiagnosisState, lang: str, note: str = "") -> tuple[DiagnosisState, Reply]:
    """The clauses the question is about (``state.focus``), judged on the facts; after a supposition
    ("如果今年再被罚一笔5万呢", then "那换成申请认证企业呢") the reply says the figures are the supposed ones."""
    d = diag.diagnose(state.facts)
    criteria = {c["id"]: c for c in diag.load_criteria()["criteria"]}
    order = {cid: i for i, cid in enumerate(state.focus)}
    results = sorted((r for r in d.results if r.id in order), key=lambda r: order[r.id])
    zh = lang == "zh"
    lines = [note] if note else []
    if state.supposed:
        lines.append(_t(lang, "按假设的情况，对照相关条款：", "Against the clauses, with the figures supposed:"))
    else:
        lines.append(_t(lang, "根据您说的情况，直接对照相关条款：", "Against the clauses your facts touch:"))
    ask = None
    for r in results:
        art, flag = _article_and_flags(r, lang)
        if r.status == "not_met" and r.ground is None and r.regime == "standard_2026":
            verdict = _t(lang, "不符合。", "not met. ") + r.consequence[lang]
        elif r.status == "met" and r.regime == "standard_2026":
            verdict = _t(lang, "符合。", "met.")
        elif r.status == "met":
            verdict = _t(lang, "构成该情形。", "the ground is present. ") + r.consequence[lang]
        elif r.status == "not_met":
            verdict = _t(lang, "不构成该情形。", "the ground is absent.")
        elif r.status == "cannot_assess":
            verdict = r.explanation[lang]
        else:
            index = diag.load_criteria()["fact_index"]
            needs = (
                "、".join(index[k]["label"][lang] for k in r.missing_facts[:2])
                if zh
                else ", ".join(index[k]["label"][lang] for k in r.missing_facts[:2])
            )
            verdict = _ratio_hint(criteria[r.id], state.facts, lang) or (
                _t(lang, f"取决于：{needs}。", f"depends on: {needs}.")
                if needs
                else _t(lang, "现有信息还不能判断。", "cannot be judged from what is known yet.")
            )
            if r.in_force and ask is None and r.missing_facts:
                ask = r.missing_facts[0]
        lines.append(f"· {art}{flag}：{verdict}" if zh else f"· {art}{flag}: {verdict}")
        work = trace_text(r.trace, lang) if r.regime == "standard_2026" else ""
        if work:
            lines.append("  " + _t(lang, "计算：", "With your figures: ") + work)
        if r.status != "cannot_assess":
            lines.append(("  " + _t(lang, "规则：", "Rule: ") + r.explanation[lang]).rstrip())
    for c in d.caveats[:1]:
        lines.append(c[lang] if isinstance(c, dict) else str(c))
    index = diag.load_criteria()["fact_index"]
    if ask and state.asked < MAX_QUESTIONS:
        state.asked += 1
        state.expecting = ask
        lines.append(_t(lang, "只需再确认一点：", "One thing decides it: ") + index[ask]["question"][lang])
        return state, Reply("\n".join(lines))
    state.done = True
    state.expecting = None
    lines.append(
        _t(
            lang,
            "如需对全部守法规范条款做完整诊断，请说“帮我们做个信用风险诊断”。",
            "For a full check of every compliance clause, say “check our credit risk”.",
        )
    )
    return state, Reply("\n".join(lines), done=True)
