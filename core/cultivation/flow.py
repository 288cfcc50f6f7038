"""Cultivation plan replies (plan from the latest assessment, progress, tasks
done, consent, my level), channel-independent. No Rasa import."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.assessment import store as assessment_store
from core.clock import as_date
from core.cultivation import store as cs
from core.enterprise import access as enterprise_access
from core.enterprise import credit_code
from core.enterprise.importer import lookup_level
from core.replies import Reply
from core.standards import catalogue as std_mod
from core.standards import guidance
from core.text import parse_item_number, pick

CODE_RE = re.compile(r"[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{18}")


_t = pick


def find_code(text: str) -> str | None:
    """A valid unified social credit code written in the text, if any."""
    for m in CODE_RE.finditer(text or ""):
        res = credit_code.check(m.group(0))
        if res.valid:
            return res.code
    return None


# Anything that looks like an attempt at a code (right length or nearly, mostly digits).
CANDIDATE_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{15,21}(?![0-9A-Za-z])")
LOOKUP_RE = re.compile(r"查|信用等级|等级|什么级|哪一级|\blevel\b|look\s*up|\bcheck\b|\bcredit\b|\brating\b", re.I)


def code_in_text(text: str) -> credit_code.CodeCheck | None:
    """The check of the first code-like string in the text (valid or not), if any."""
    for m in CANDIDATE_RE.finditer(text or ""):
        if sum(ch.isdigit() for ch in m.group(0)) >= 8:
            return credit_code.check(m.group(0))
    return None


def invalid_code(res: credit_code.CodeCheck, lang: str) -> Reply:
    reason = (res.reason or {}).get(lang) or ""
    return Reply(
        _t(
            lang,
            f"“{res.code}”不是有效的统一社会信用代码：{reason}请核对后重新发送；也可以在中国海关企业进出口信用信息公示平台（credit.customs.gov.cn）按企业名称查询。",
            f"“{res.code}” is not a valid unified social credit code: {reason} Please check it and send it again, "
            "or search by the enterprise's name on credit.customs.gov.cn.",
        )
    )


# "我们公司的信用等级是什么", "are we an advanced certified enterprise?" ask for the enterprise's own
# level; "我们公司就3个报关员" or "我们是贸易公司", said in a conversation about a rule, do not,
# however the intent model reads them.
OWN_LEVEL_RE = re.compile(
    r"等级|级别|什么级|哪一级|几级|评级|信用|查一下|查询"
    r"|(?:是不是|是否)[^，,。？?]{0,6}(?:高级认证|认证企业|失信|AEO)|(?:高级认证|认证企业|失信企业|AEO)[^，,。？?]{0,4}吗"
    r"|(?i:\blevel\b|\brating\b|\bgrade\b|\bcredit\b|look\s*up|\bcheck\b|\bare we\b|\bis our\b)"
)


def asks_own_level(text: str) -> bool:
    """Whether the message asks for the enterprise's own credit level (or gives a code to look up)."""
    return bool(OWN_LEVEL_RE.search(text or "")) or code_in_text(text) is not None


def level_lookup(text: str, lang: str) -> Reply | None:
    """A request to look up a level that names a code: the level for a valid code,
    the reason for an invalid one; None when the text is not such a request."""
    res = code_in_text(text)
    if res is None or not LOOKUP_RE.search(text or ""):
        return None
    return my_level(res.code, lang) if res.valid else invalid_code(res, lang)


def need_code(lang: str) -> Reply:
    return Reply(
        _t(
            lang,
            "为保护企业数据，请在一条消息里发送企业的18位统一社会信用代码和访问码（首次自我评估时生成），例如“91310000XXXXXXXXXX ABCD-EFGH”。",
            "To protect enterprise data, send the 18-character unified social credit code and the access key (issued at your first self-assessment) in one message, e.g. “91310000XXXXXXXXXX ABCD-EFGH”.",
        )
    )


@dataclass(frozen=True)
class Authorisation:
    code: str | None  # the enterprise the conversation may act for now
    granted: bool = False  # proven by the key in this message: bind the conversation
    refusal: enterprise_access.KeyCheck | None = None  # why a key in this message was refused


def authorise(text: str, bound_code: str | None, sender: str = "") -> Authorisation:
    """The enterprise this conversation may act for: the one the server has
    bound it to, or one whose code *and* access key (one key, checked once,
    failures counted) are in this message. Blocking: run off the event loop."""
    code = find_code(text)
    if code is None or code == bound_code:
        return Authorisation(bound_code)
    chk = enterprise_access.check(code, (text or "").replace(code, " "), sender)
    if chk.ok:
        return Authorisation(code, granted=True)
    return Authorisation(None, refusal=chk if chk.reason != "none" else None)


def _latest_completed(code: str) -> dict | None:
    for a in assessment_store.history(code):
        if a.get("status") == "completed":
            return a
    return None


def create_plan(code: str, lang: str, today=None) -> Reply:
    latest = _latest_completed(code)
    if latest is None:
        return Reply(
            _t(
                lang,
                "还没有已完成的自我评估，无法生成培育计划。说“开始自我评估”先做一次评估吧。",
                "There is no completed self-assessment yet. Say “start a self-assessment” first.",
            )
        )
    result = latest.get("result") or {}
    standard = latest.get("standard", "advanced")
    gaps = []
    for g in result.get("gaps") or []:
        gd = guidance.guidance_for(standard, int(g["item"])) or {}
        gaps.append(
            {
                "item": g["item"],
                "label": g.get("label", ""),
                "label_en": getattr(std_mod.find_item(standard, g["item"]), "label_en", None),
                "verdict": g.get("verdict"),
                "dimension": g.get("dimension"),
                "standard": standard,
                "evidence": "；".join((gd.get("evidence") or {}).get("zh", [])) or None,
                "owner_department": (gd.get("owner") or {}).get("zh"),
            }
        )
    if not gaps:
        return Reply(
            _t(
                lang,
                "最近一次评估没有差距项，无需培育计划。建议保持制度运行并定期复评。",
                "The latest assessment has no gaps, so no plan is needed. Keep the controls running and re-assess regularly.",
            )
        )
    plan = cs.plan_from_gaps(code, gaps, today, source_assessment_id=latest.get("id"))
    lines = [
        _t(
            lang,
            f"已根据最近一次评估（{latest.get('id')}号）生成培育计划，共{len(plan['tasks'])}项任务：",
            f"Created a cultivation plan from assessment #{latest.get('id')} with {len(plan['tasks'])} tasks:",
        )
    ]
    lines += [_task_line(t, lang) for t in plan["tasks"]]
    lines.append(
        _t(
            lang,
            "完成一项后告诉我“第N项已完成”；说“我的培育进度”查看进度。期限可调整（如“第18项延期到2027-03-31”）。",
            "Tell me “item N done” when a task is finished; say “my progress” to see where you are. "
            "Due dates can be changed (e.g. “item 18 postpone to 2027-03-31”).",
        )
    )
    return Reply("\n".join(lines))


def _task_line(t: dict, lang: str) -> str:
    ref = t.get("item_ref", "")
    num = ref.split(":")[-1] if ref else ""
    title = (t.get("title") or {}).get(lang) or (t.get("title") or {}).get("zh", "")
    owner = t.get("owner_department") or ""
    status = {"done": _t(lang, "已完成", "done"), "open": _t(lang, "进行中", "open")}.get(
        str(t.get("status")), str(t.get("status"))
    )
    if t.get("overdue"):
        status = _t(lang, "已逾期", "overdue")
    return _t(
        lang,
        f"  · 第{num}项 {title}｜{owner}｜截止{t.get('due_date')}｜{status}",
        f"  · Item {num} {title} | {owner} | due {t.get('due_date')} | {status}",
    )


def _open_assessment_line(code: str, lang: str) -> str:
    for a in assessment_store.history(code):
        if a.get("status") in ("in_progress", "paused"):
            st = assessment_store.get_state(code, a["id"])
            return pick(
                lang,
                f"自我评估进行中：已答{st['answered']}/{st['total']}项，说“继续上次的评估”接着做。\n",
                f"A self-assessment is open: {st['answered']}/{st['total']} answered; say “resume my assessment” to go on.\n",
            )
    return ""


def show_progress(code: str, lang: str, today=None) -> Reply:
    p = cs.progress(code, today)
    head = _open_assessment_line(code, lang)
    if p["plan"] is None:
        return Reply(
            head
            + _t(
                lang,
                "该企业还没有培育计划。完成自我评估后说“生成培育计划”。",
                "No cultivation plan yet. Finish a self-assessment, then say “create a cultivation plan”.",
            )
        )
    c = p["counts"]
    lines = [
        head
        + _t(
            lang,
            f"培育进度：共{c['total']}项，已完成{c['done']}项，进行中{c['open']}项，已逾期{c['overdue']}项。",
            f"Progress: {c['total']} tasks, {c['done']} done, {c['open']} open, {c['overdue']} overdue.",
        )
    ]
    for key, title in (
        ("overdue", _t(lang, "已逾期：", "Overdue:")),
        ("open", _t(lang, "进行中：", "Open:")),
        ("done", _t(lang, "已完成：", "Done:")),
    ):
        if p[key]:
            lines.append(title)
            lines += [_task_line(t, lang) for t in p[key]]
    return Reply("\n".join(lines))


DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
NEW_DUE_RE = re.compile(r"延期|推迟|延后|延长|延到|改到|改为|调整|截止|期限|postpone|extend|move|due|deadline", re.I)
REOPEN_RE = re.compile(r"重新打开|未完成|没完成|没有完成|撤销完成|取消完成|reopen|not (yet )?(done|finished)", re.I)


def update_task(code: str, text: str, lang: str, today=None) -> Reply:
    """One task of the plan, named by its item number: done ("第18项已完成"), a new
    due date ("第18项延期到2027-03-31") or open again ("第18项重新打开")."""
    date_match = DATE_RE.search(text or "")
    rest = DATE_RE.sub(" ", text or "")
    number = parse_item_number(rest)
    if number is None:
        m = re.search(r"\b(\d{1,3})\b", rest)
        number = int(m.group(1)) if m else None
    if number is None:
        return Reply(
            _t(
                lang,
                "请告诉我是哪一项，例如“第18项已完成”或“第18项延期到2027-03-31”。",
                "Which task? E.g. “item 18 done” or “item 18 postpone to 2027-03-31”.",
            )
        )
    plan = cs.get_plan(code, today)
    if plan is None:
        return show_progress(code, lang, today)
    ref = next((t["item_ref"] for t in plan["tasks"] if t.get("item_ref", "").endswith(f":{number}")), None)
    if ref is None:
        return Reply(_t(lang, f"培育计划里没有第{number}项任务。", f"The plan has no task for item {number}."))
    if date_match and NEW_DUE_RE.search(rest):
        try:
            due = dt.date(*(int(g) for g in date_match.groups()))
        except ValueError:
            return Reply(
                _t(
                    lang,
                    "这个日期不存在，请按2027-03-31的格式再说一次。",
                    "That date does not exist; use e.g. 2027-03-31.",
                )
            )
        if due < as_date(today):
            return Reply(
                _t(
                    lang,
                    f"新的期限{due.isoformat()}已经过去了，请给一个今天以后的日期。",
                    f"The new due date {due.isoformat()} is in the past; please give a later date.",
                )
            )
        cs.edit_due(code, ref, due, today=today)
        head = _t(
            lang, f"已将第{number}项的期限改为{due.isoformat()}。", f"Item {number} is now due {due.isoformat()}."
        )
    elif REOPEN_RE.search(rest):
        cs.reopen(code, ref, today)
        head = _t(lang, f"已将第{number}项改回进行中。", f"Item {number} is open again.")
    else:
        cs.mark_done(code, ref, today)
        head = _t(lang, f"已标记第{number}项为完成。", f"Marked item {number} as done.")
    return show_progress(code, lang, today).prefixed(head, sep="\n")


def share_consent(code: str, lang: str, grant: bool = True, via: str = "chat") -> Reply:
    if grant:
        cs.grant_consent(code, via=via)
        return Reply(
            _t(
                lang,
                "已记录您的同意：主管海关的授权工作人员可以查看本企业的评估分数和培育进度。随时说“撤回共享”即可撤回。",
                "Consent recorded: authorised officers of your customs office can see your assessment scores and cultivation progress. Say “withdraw consent” at any time.",
            )
        )
    cs.revoke_consent(code)
    return Reply(
        _t(
            lang,
            "已撤回共享，海关工作人员页面将不再显示本企业。",
            "Consent withdrawn; the officer page no longer shows your enterprise.",
        )
    )


def level_reply(text: str, known_code: str | None, lang: str) -> Reply:
    """The reply to a request for an enterprise's level: the reason for a code written wrongly, the
    level of the code in the message or the one the conversation knows, else where to look it up."""
    code = find_code(text)
    written = code_in_text(text)
    if not code and written is not None and not written.valid:
        return invalid_code(written, lang)
    code = code or known_code
    return my_level(code, lang) if code else ask_code_for_level(lang)


def ask_code_for_level(lang: str) -> Reply:
    return Reply(
        _t(
            lang,
            "请把要查询的企业18位统一社会信用代码发给我。也可以直接在中国海关企业进出口信用信息公示平台（credit.customs.gov.cn）按名称或代码查询。",
            "Send me the enterprise's 18-character unified social credit code. You can also search by name or code on credit.customs.gov.cn.",
        )
    )


def my_level(code: str, lang: str) -> Reply:
    info = lookup_level(code)
    note = (info.get("note") or {}).get(lang) if isinstance(info.get("note"), dict) else info.get("note")
    head: str
    if not info.get("found"):
        reason = info.get("reason") or {}
        head = (
            str(reason[lang])
            if isinstance(reason, dict) and reason.get(lang)
            else _t(
                lang, "我们的资料里没有这家企业的信用等级记录。", "We hold no credit-level record for this enterprise."
            )
        )
    else:
        lvl = info.get("level") or _t(lang, "未记录", "not recorded")
        head = _t(
            lang,
            f"{info.get('name', '')}（{code}）在本系统中记录的信用等级：{lvl}。",
            f"{info.get('name', '')} ({code}): credit level on record here: {lvl}.",
        )
        if info.get("sample"):
            head += _t(lang, "（演示数据）", " (demo data)")
    return Reply(
        head
        + "\n"
        + (
            note
            or _t(
                lang,
                "权威记录以中国海关企业进出口信用信息公示平台 credit.customs.gov.cn 为准。",
                "The authoritative record is on credit.customs.gov.cn.",
            )
        )
    )
