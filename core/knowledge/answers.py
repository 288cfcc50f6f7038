"""Turning knowledge into replies: the answer, its citation line and caveats.

Used by the Rasa actions and by any other channel; no Rasa import. Every
answer built from the knowledge names its source document, article or item and
effective date; an unverified or superseded entry always carries a plain caveat
and says where to confirm.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.knowledge.search import Hit, KEntry, Knowledge, name_spans
from core.knowledge.units import level_of_entry
from core.replies import Reply
from core.text import BEFORE_AN_EVENT, chinese_to_int, document_of_source, documents_in, mentions_domain

OLD_RULE_MARKERS = re.compile(
    r"251|237号|225号|2021年|(?<!\d)20(?:[01]\d|20)(?!\d)|旧规|旧令|旧办法|原办法|老办法|(?:原来|"
    + BEFORE_AN_EVENT
    + r"(?:以前|之前)|过去)(?![^，,。？?]{0,2}(?:犯|被|因|受|有过|有(?:一|几|两|些)?(?:票|批|笔|单|次)|少报|漏报|错报|出过|违|罚|欠|走私|发生|出事|委托|合作|雇|聘|请的|找的|找了|在另|在别|在其他|当过|当法人|任职|长期|一直|接过))|废止前|旧版|老版|那版|那时候|当时"
    r"|(?i:\bold\b|previous(?!\s+(?:audit|year|financial|fiscal|accounting|quarter|month|answer|question|reply|message)s?\b)|former(?!\s+(?:\w+\s+)?(?:manager|gm|employees?|staff|director|ceo|cfo|legal|partner|supplier|broker|colleague|boss|owner|shareholder|agent|accountant|executive|head|chairman|president|officer|worker|company|subsidiary|customer|client|declarant)s?\b)|before 2026|decree 251|decree 237|back then|at that time)"
)
# The rule in force named in words: "新办法把以前哪个令废止了" asks about it, not the old rule.
NEW_RULE = re.compile(
    r"新(?:的)?(?:信用管理)?办法|新规定|新规|现行(?:的)?办法|(?i:\bnew (?:rules?|measures|decree|regulations?)\b)"
)

CONFIRM = {
    "zh": "可拨打海关12360服务热线、登录中国海关企业进出口信用信息公示平台（credit.customs.gov.cn）或咨询企业的主管海关确认。",
    "en": "Confirm with the customs 12360 hotline, the disclosure platform credit.customs.gov.cn, or your enterprise's customs office.",
}

# Search thresholds, tuned on tests/conversations: a hit is answered directly
# only when it covers most of the question's discriminating words.
CONFIDENT_COVERAGE = 0.6
CONFIDENT_SCORE = 4.0


def _fmt_date(d: Any) -> str:
    """ISO date of a date, or the text as stored (unit citations keep dates as strings)."""
    if not d:
        return ""
    return d.isoformat() if isinstance(d, dt.date) else str(d)


def citation_line(kb: Knowledge, entry: KEntry, lang: str, today: dt.date | None = None) -> str:
    src = kb.sources.get(entry.source_id, {})
    title = src.get(f"title_{lang}") or entry.source_id
    article = entry.article.get(lang) or ""
    eff_from = entry.effective_from or src.get("effective_from")
    eff_to = entry.effective_to or src.get("effective_to")
    superseded = entry.superseded(today)
    if src.get("status") == "reference":
        # A hotline, a platform, a briefing: no "in force" date, but when we checked it.
        checked = entry.last_reviewed.isoformat() if entry.last_reviewed else ""
        art = f"；{article}" if article and lang == "zh" else (f"; {article}" if article else "")
        if lang == "zh":
            return f"来源：{title}{art}" + (f"；信息核对日期{checked}" if checked else "") + "。"
        return f"Source: {title}{art}" + (f"; checked {checked}" if checked else "") + "."
    if src.get("status") == "draft":
        return draft_citation(lang, title, article, eff_from, eff_to)
    replaced = kb.sources.get(entry.replaced_by or "", {}).get(f"title_{lang}")
    return format_citation(lang, title, article, eff_from, eff_to, superseded, replaced)


def draft_citation(lang: str, title: str, article: str, start: Any, end: Any) -> str:
    """A consultation draft was never in force: its dates are the comment period."""
    zh = lang == "zh"
    parts = [f"来源：{title}" if zh else f"Source: {title}"]
    if article:
        parts.append(article)
    if start and end:
        parts.append(
            f"征求意见期{_fmt_date(start)}至{_fmt_date(end)}"
            if zh
            else f"comment period {_fmt_date(start)} to {_fmt_date(end)}"
        )
    parts.append("征求意见稿，未施行" if zh else "a draft, never in force")
    return ("；" if zh else "; ").join(parts) + ("。" if zh else ".")


def format_citation(
    lang: str,
    title: str,
    article: str,
    eff_from: Any,
    eff_to: Any,
    superseded: bool,
    replaced: str | None = None,
) -> str:
    """The one wording of a citation line: source; article; in force (or repealed) dates."""
    zh = lang == "zh"
    parts = [f"来源：{title}" if zh else f"Source: {title}"]
    if article:
        parts.append(article)
    if superseded and replaced and not eff_to:
        parts.append(f"已被{replaced}取代（日期未记录）" if zh else f"replaced by {replaced} (date not recorded)")
    elif superseded and eff_to:
        if zh:
            parts.append(
                f"{_fmt_date(eff_from)}至{_fmt_date(eff_to)}施行，已废止"
                if eff_from
                else f"已于{_fmt_date(eff_to)}废止"
            )
        else:
            parts.append(
                f"in force {_fmt_date(eff_from)} to {_fmt_date(eff_to)}, now repealed"
                if eff_from
                else f"repealed after {_fmt_date(eff_to)}"
            )
    elif eff_from:
        parts.append(f"{_fmt_date(eff_from)}起施行" if zh else f"in force from {_fmt_date(eff_from)}")
    return ("；" if zh else "; ").join(parts) + ("。" if zh else ".")


def caveats(entry: KEntry, lang: str, today: dt.date | None = None, draft: bool = False) -> list[str]:
    out = []
    if entry.superseded(today) and not draft:  # (a draft says itself that it was never in force)
        out.append(
            "注意：这是已废止的旧规定，仅供了解历史或处理旧规下的事项；现行规定是2026年4月1日起施行的海关总署令第282号，细节可能已变化。"
            if lang == "zh"
            else "Note: this is a repealed rule, given for history or matters under the old rules; Decree No. 282 has applied since 2026-04-01 and details may have changed."
        )
    if not entry.verified:
        out.append(
            ("提示：以上内容未经官方文本核实，不能作为定论。" + CONFIRM["zh"])
            if lang == "zh"
            else (
                "Caution: this has not been verified against the official text and is not a definitive answer. "
                + CONFIRM["en"]
            )
        )
    return out


# The entry's own "where to confirm" sentence, left out when the reply's caveat line says it
# (the caveat once, not twice).
OWN_CONFIRM = re.compile(
    r"请以官方(?:文本|原文)为准[，,]可拨打(?:海关)?12360[^。\n]*。"
    r"|Please confirm with the 12360 customs hotline, credit\.customs\.gov\.cn or your own customs office\."
)


def entry_caveats(kb: Knowledge, entry: KEntry, lang: str, today: dt.date | None = None) -> list[str]:
    """The caveat lines an answer from ``entry`` carries (its source a draft or not)."""
    return caveats(entry, lang, today, kb.is_draft(entry.source_id))


def render_entry(kb: Knowledge, entry: KEntry, lang: str, today: dt.date | None = None) -> str:
    notes = entry_caveats(kb, entry, lang, today)
    body = entry.answer[lang].strip()
    if any(CONFIRM[lang] in n for n in notes):
        body = re.sub(r"[ \t]+\n", "\n", OWN_CONFIRM.sub("", body)).strip()
    lines = [body, "", citation_line(kb, entry, lang, today)]
    lines += notes
    return "\n".join(lines)


# (a space between Chinese words is a pause, as typed on a phone or heard by the kiosk: "单项标准以前10类
# 现在变成几类了")
CLAUSES = re.compile(
    r"(?<=[？?！!。；;])|[，,]|(?<=[A-Za-z\x27\x22)]{2}\.)\s+(?=[A-Za-z])|(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff])"
)
# A clause that asks (not one that tells: "我们现在用的是普通塑料封").
ASKING_CLAUSE = re.compile(
    r"[？?]|吗|呢|几|多少|什么|啥|哪|怎么|如何|是否|能否|要不要|有没有|可不可以|行不行"
    r"|(?i:\b(?:how|what|which|when|why|whether|does|do|is|are|can|could|should|must|will)\b)"
)
# "282号令出台前征求过意见吗": the consultation draft, which is neither the old rule nor the new one
DRAFT_ASKED = re.compile(r"征求.{0,4}意见|意见稿|草案|(?i:\bdraft\b|consultation|public comments?\b|for comments?\b)")
_NOW_ASKED = re.compile(r"现在|目前|如今|现行|(?i:\bnow\b|\bcurrently\b|\btoday\b)")


_NEW_DECREE = re.compile(r"282号令|第282号|(?i:\bdecree\s+(?:no\.?\s*)?282\b)")


# "以前不是3个吗", "wasn't it three before?": what the user recalls, checked in passing, not asked
_RECALLED = re.compile(
    r"不是[^，,。？?]{0,16}[吗嘛么]|我记得|(?i:\b(?:wasn't|weren't|didn't)\s+(?:it|they|there)\b|\bi (?:remember|recall)\b)"
)


def old_only_recalled(text: str) -> bool:
    """The question asks about now and names the old rule only outside what it asks ("现在海关给企业
    评信用分几档啊？我记得以前就……三类", "现在分几个等级？？以前不是3个吗")."""
    asking = [
        c
        for c in CLAUSES.split(text or "")
        if ASKING_CLAUSE.search(c) and not (_RECALLED.search(c) and OLD_RULE_MARKERS.search(c))
    ]
    # ("以前按251号令被认定为失信企业的，282号令施行后怎么处理": what the new rule does with them)
    return any(_NOW_ASKED.search(c) or NEW_RULE.search(c) or _NEW_DECREE.search(c) for c in asking) and not any(
        OLD_RULE_MARKERS.search(c) for c in asking
    )


def _pick(kb: Knowledge, entries: list[KEntry], text: str, today: dt.date | None, level: str = "") -> list[KEntry]:
    """Order a topic's entries: those from a document the question names ("127号公告……")
    first, then the rule in force (the old rule first when the question is about the old
    rules), then not the certified level's own when the advanced level is asked of, then by
    how well they match the question."""
    wants_old = (
        bool(OLD_RULE_MARKERS.search(text or "")) and not NEW_RULE.search(text or "") and not old_only_recalled(text)
    )
    named = documents_in(text)
    ranks = {h.entry.id: h.score for h in kb.search(text, limit=50)} if text else {}

    draft_asked = bool(DRAFT_ASKED.search(text or ""))

    def key(e: KEntry):
        # (a consultation draft, never in force, is neither the old rule nor the new one: "旧令是哪天施行的")
        draft = kb.is_draft(e.source_id)
        old = e.superseded(today) and not draft
        from_named = bool(named) and document_of_source(e.source_id) in named
        # (only for the advanced level: "certified" is also how "AEO certified" of any level reads)
        other_level = level == "advanced" and level_of_entry(e.id) == "certified"
        return (
            not from_named,
            draft != draft_asked if draft else old != wants_old,
            other_level,
            -ranks.get(e.id, 0.0),
            not e.verified,
            e.id,
        )

    return sorted(entries, key=key)


def answer_topic(
    kb: Knowledge, topic: str, text: str, lang: str, today: dt.date | None = None, level: str = ""
) -> Reply | None:
    entries = kb.entries_for_topic(topic)
    if not entries:
        return None
    ordered = _pick(kb, entries, text, today, level)
    best = ordered[0]
    body = render_entry(kb, best, lang, today)
    buttons = []
    other = next((e for e in ordered[1:] if e.superseded(today) != best.superseded(today)), None)
    if other is not None:
        title = (
            ("查看旧规定（第251号令）" if lang == "zh" else "See the former rule (Decree 251)")
            if other.superseded(today)
            else ("查看现行规定" if lang == "zh" else "See the current rule")
        )
        buttons.append({"title": title, "payload": f'/show_entry{{"entry_id": "{other.id}"}}'})
    return Reply(text=body, buttons=buttons, entry_ids=[best.id], kind="answer")


def answer_entry(kb: Knowledge, entry_id: str, lang: str, today: dt.date | None = None) -> Reply | None:
    entry = kb.entries.get(entry_id)
    if entry is None:
        return None
    return Reply(text=render_entry(kb, entry, lang, today), entry_ids=[entry.id])


STANDARD_NAMES = {
    "advanced": {"zh": "高级认证企业标准", "en": "Advanced Certified Enterprise standard"},
    "certified": {"zh": "认证企业标准", "en": "Certified Enterprise standard"},
    "individual": {"zh": "高级认证企业单项标准", "en": "advanced business-type (单项) standard"},
}


def answer_item(kb: Knowledge, number: int | None, standard: str | None, lang: str, today=None) -> Reply:
    zh = lang == "zh"
    if number is None:
        return Reply(
            text="请告诉我要查哪一项，例如“高级认证标准第18项”或“认证企业标准第12项”。"
            if zh
            else "Which item? For example “item 18 of the advanced standard” or “certified standard item 12”.",
            kind="item",
        )
    standards = [standard] if standard else ["advanced", "certified"]
    found = [(s, e) for s in standards if (e := kb.standard_item(s, number)) is not None]
    if not found:
        limits = "；".join(
            f"{STANDARD_NAMES[s][lang]} {kb.item_count(s)}" + ("项" if zh else " items")
            for s in standards
            if s in STANDARD_NAMES
        )
        return Reply(
            text=(
                f"没有第{number}项。{limits}。请换一个项号。"
                if zh
                else f"There is no item {number}. {limits}. Please try another number."
            ),
            kind="item",
        )
    parts, ids = [], []
    for _std, e in found:
        parts.append(render_entry(kb, e, lang, today))
        ids.append(e.id)
    buttons = []
    if standard is None and len(found) == 2:
        note = (
            "两个标准的项号不同：上面分别是高级认证企业标准和认证企业标准的同号项目。"
            if zh
            else "The two standards number their items differently: above are item "
            f"{number} of the advanced and of the certified standard."
        )
        parts.append(note)
    for s, _entry in found:
        buttons.append(
            {
                "title": (f"第{number}项怎么改进" if zh else f"How to improve item {number}")
                + (f"（{STANDARD_NAMES[s][lang]}）" if zh else f" ({s})"),
                "payload": f'/item_guidance{{"standard": "{s}", "item_number": "{number}"}}',
            }
        )
    return Reply(text="\n\n".join(parts), buttons=buttons, entry_ids=ids, kind="item")


def named_at(p: dict, text: str) -> int:
    """Where the line first names economy ``p`` (its names or aliases); past the end when it does not."""
    # (a partner's aliases hold its Chinese and English names, lower-cased: core.knowledge.loader)
    return min((start for start, _ in name_spans(p, text)), default=len((text or "").lower()))


def answer_partner(kb: Knowledge, names: list, text: str, lang: str, found: bool = False) -> Reply:
    """``found``: the partners were found for the line (by a date or an event it names), not named by
    it, so each is listed rather than confirmed ("布隆迪：……", not "是的，布隆迪是……")."""
    zh = lang == "zh"
    economies = []
    for n in names or []:
        p = kb.find_economy(str(n))
        if p is None and str(n).strip():
            # An economy the knowledge does not list at all: answered as not confirmed.
            p = {"id": str(n), "zh": str(n), "en": str(n), "status": "non_partner", "member_of": None}
        if p and p not in economies:
            economies.append(p)
    if not economies:
        economies = kb.economies_in(text)
    # "Is the UK still covered by the China-EU arrangement?", "What about Peru? We saw a Hong Kong
    # Customs deal.": the economy asked about, named first, leads; the one named as background follows
    economies = sorted(economies, key=lambda p: named_at(p, text))
    as_of = kb.mra.get("as_of", "")
    count_line, latest = mra_count_lines(kb, lang)
    if not economies:
        text_out = (
            f"{count_line}\n{partner_list_line(kb, lang)}请告诉我您关心的国家或地区。"
            if zh
            else f"{count_line}\n{partner_list_line(kb, lang)} Which economy are you interested in?"
        )
        return Reply(text=text_out, kind="partner")
    lines = []
    # "在哪里签的", "where was it signed?": the venue and date lead, without the counts.
    where = bool(VENUE_Q.search(text or "")) and any(p["status"] == "partner" for p in economies)
    for p in economies:
        name = p[lang]
        if p["status"] == "partner":
            parent = kb.partner(p["member_of"]) if p["member_of"] else None
            via = (
                (f"（通过与{parent['zh']}的互认安排）" if zh else f" (through the arrangement with the {parent['en']})")
                if parent
                else ""
            )
            ref = parent or p
            if where:
                lines.append(_venue_line(kb, ref, lang))
            dates = _partner_dates(kb, ref, lang, "" if where else text, venue=not where)
            if found:
                lines.append(
                    f"{name}：中国海关AEO互认伙伴{via}{dates}。"
                    if zh
                    else f"{name}: an AEO mutual-recognition partner of China Customs{via}{dates}."
                )
            else:
                lines.append(
                    f"是的，{name}是中国海关AEO互认伙伴{via}{dates}。"
                    if zh
                    else f"Yes: {name} is an AEO mutual-recognition partner of China Customs{via}{dates}."
                )
            lines += _partner_scope(kb, ref, lang)
            if not ref.get("verified", True):
                lines.append(
                    (
                        "提示：该伙伴信息尚未与官方名单核实。"
                        if zh
                        else "Caution: not yet checked against the official list. "
                    )
                    + CONFIRM[lang]
                )
        elif p["status"] == "unconfirmed":
            lines.append(
                f"{name}可能已与中国海关签署AEO互认安排，但我们尚未在可靠来源中逐一核实，不能确认。" + CONFIRM["zh"]
                if zh
                else f"{name} may have an AEO arrangement with China Customs, but we have not confirmed it in a reliable source. "
                + CONFIRM["en"]
            )
        elif explain := ((kb.mra.get("explain") or {}).get(p.get("id")) or {}).get(lang):
            lines.append(explain + CONFIRM[lang] if zh else f"{explain} {CONFIRM[lang]}")
        else:
            lines.append(
                f"在我们核实的互认伙伴名单（截至{as_of}）中没有{name}。中国海关的互认伙伴共{latest.get('economies', '?')}个经济体，我们尚未逐一核实全部名单，"
                + CONFIRM["zh"]
                if zh
                else f"{name} is not among the partners we have confirmed (list as of {as_of}). China has {latest.get('economies', '?')} partner economies and we have not confirmed every one. "
                + CONFIRM["en"]
            )
    cert = kb.mra.get("certified_level") or {}
    if cert.get(lang) and any(p["status"] == "partner" for p in economies) and not where:
        lines.append(cert[lang])
    code = kb.mra.get("aeo_code") or {}
    if code and any(p["status"] == "partner" for p in economies) and not where:
        lines.append(
            f"使用方法：把本企业的AEO编码（{code['format']['zh']}，如{code['example']}）告知境外贸易伙伴，由其在当地申报时填写，即可享受对方海关给予的便利。"
            if zh
            else f"How to use it: give your AEO code ({code['format']['en']}, e.g. {code['example']}) to your overseas partner, who declares it to their customs."
        )
    if not where:
        lines.append(count_line)
    src_id = next((c.get("source") for c in kb.mra.get("counts", []) if c.get("date") == latest.get("date")), None)
    lines += _partner_source(kb, src_id, lang)
    return Reply(text="\n".join(lines), kind="partner")


def answer_same_day(kb: Knowledge, economy: str, lang: str, implemented: bool = False) -> Reply | None:
    """The partners whose arrangement was signed (``implemented``: put in force) on the same day as
    ``economy``'s ("who else signed on the same day?" after Iceland: Burundi), from the partner records."""
    p = kb.find_economy(economy)
    key = "implemented" if implemented else "signed"
    day = str((p or {}).get(key) or "")
    if p is None or len(day) < 10:
        return None  # (no date, or only the month: no "same day" to compare)
    same = [o for o in kb.partners if o is not p and str(o.get(key) or "") == day]
    zh = lang == "zh"
    name = p["zh"] if zh else p["en"]
    did = ("签署" if not implemented else "实施") if zh else ("signed" if not implemented else "put into effect")
    if same:
        others = ("、" if zh else ", ").join(o["zh"] if zh else o["en"] for o in same)
        text = (
            f"与{name}同一天（{day}）{did}AEO互认安排的还有：{others}。"
            if zh
            else f"Also {did} on the same day as {name} ({day}): {others}."
        )
    else:
        text = (
            f"我们的伙伴记录里，没有其他经济体与{name}同一天（{day}）{did}AEO互认安排。"
            if zh
            else f"In our partner records, no other economy's AEO arrangement was {did} on the same day as {name}'s ({day})."
        )
    return Reply(text="\n".join([text, *_partner_source(kb, p.get("source_id"), lang)]), kind="partner")


def _partner_source(kb: Knowledge, source_id: str | None, lang: str) -> list[str]:
    """The citation line of an answer from the partner records (its source, the list's date), if known."""
    src = kb.sources.get(source_id or "", {})
    if not src:
        return []
    as_of = kb.mra.get("as_of", "")
    return [
        f"来源：{src.get('title_zh')}；伙伴名单截至{as_of}。"
        if lang == "zh"
        else f"Source: {src.get('title_en')}; partner list as of {as_of}."
    ]


def _unnamed_partners(kb: Knowledge, latest: dict) -> int:
    """How many of the latest count's partner economies our records do not name (the EU's members are the EU's)."""
    own = [p for p in kb.partners if p["status"] == "partner" and not p["member_of"]]
    return int(latest.get("economies") or 0) - len(own)


def partner_list_line(kb: Knowledge, lang: str) -> str:
    """The partners our sources confirm one by one, then those only reported (not checked against
    the official list), then how many of the latest count we have not found by name (each economy
    once: the EU's members are the EU's)."""
    zh = lang == "zh"
    own = [p for p in kb.partners if p["status"] == "partner" and not p["member_of"]]
    confirmed = [p[lang] for p in own if p.get("verified", True)]
    reported = [p[lang] for p in own if not p.get("verified", True)]
    _line, latest = mra_count_lines(kb, lang)
    unnamed = _unnamed_partners(kb, latest)
    if zh:
        line = f"经来源逐一确认的互认伙伴（{len(confirmed)}个）：{'、'.join(confirmed)}。"
        if reported:
            line += f"另有{len(reported)}个见于报道、尚未与官方名单核实：{'、'.join(reported)}。"
        if unnamed > 0:
            line += f"其余{unnamed}个经济体在我们的资料中未逐一找到。"
        return line
    line = f"Partners confirmed one by one in our sources ({len(confirmed)}): {'; '.join(confirmed)}."
    if reported:
        line += (
            f" {len(reported)} more are reported but not yet checked against the official list: {'; '.join(reported)}."
        )
    if unnamed > 0:
        line += f" The other {unnamed} economies are not named in our sources."
    return line


# "南美洲第一个实施互认的", "the earliest in Africa"; "最近加入的", "the latest one"
FIRST_Q = re.compile(r"最早|第一|首个|首家|率先|头一个|最先|(?i:\b(?:first|earliest|oldest)\b)")
LATEST_Q = re.compile(r"最新|最近|最晚|最后一个|(?i:\b(?:latest|newest|most recent|last)\b)")
_IMPLEMENTED_Q = re.compile(r"实施|生效|(?i:\bin effect\b|\bimplement|\beffective\b)")


def answer_region(kb: Knowledge, region: dict, text: str, lang: str) -> tuple[Reply, dict | None]:
    """The partners in a part of the world, by the date their arrangement took effect, with the
    first (or latest) one first when the question asks for it ("南美洲第一个实施互认的是哪个国家");
    and that partner (what a next "什么时候签的" is about), else None."""
    zh = lang == "zh"
    name = region[lang]
    signed_order = bool(SIGNED_Q.search(text or "")) and not _IMPLEMENTED_Q.search(text or "")

    def when(p: dict) -> str:
        d, signed = _signing(kb, p)
        implemented = d.get("implemented") or (p["implemented"].isoformat() if p.get("implemented") else None)
        return (signed if signed_order else implemented) or ""

    found = sorted(kb.partners_in(region), key=lambda p: (not when(p), when(p), p[lang]))
    _line, latest = mra_count_lines(kb, lang)
    unnamed = _unnamed_partners(kb, latest)
    lines = []
    dated = [p for p in found if when(p)]
    asked = (
        dated[-1]
        if dated and LATEST_Q.search(text or "")
        else dated[0]
        if dated and FIRST_Q.search(text or "")
        else None
    )
    if asked is not None:
        what = ("签署" if zh else "signed") if signed_order else ("实施" if zh else "in effect")
        first = asked is dated[0]
        lines.append(
            f"{name}{'最早' if first else '最近'}{what}AEO互认的是{asked['zh']}（{when(asked)}）。"
            if zh
            else f"The {'first' if first else 'latest'} AEO arrangement in {name} to {'be signed' if signed_order else 'take effect'} was with {asked['en']} ({when(asked)})."
        )
    if not found:
        lines.append(
            f"在我们逐一核实的中国海关AEO互认伙伴中，没有{name}的国家或地区。" + CONFIRM["zh"]
            if zh
            else f"None of the AEO partners of China Customs we have confirmed lies in {name}. " + CONFIRM["en"]
        )
    else:
        lines.append(
            f"{name}的中国海关AEO互认伙伴（{len(found)}个，按{'签署' if signed_order else '实施'}日期）："
            if zh
            else f"AEO partners of China Customs in {name} ({len(found)}, by date {'signed' if signed_order else 'in effect'}):"
        )
        for i, p in enumerate(found, 1):
            flag = (
                ("（尚未与官方名单核实）" if zh else " (not yet checked against the official list)")
                if not p.get("verified", True)
                else ""
            )
            lines.append(f"{i}. {p[lang]}{_partner_dates(kb, p, lang, venue=False)}{flag}" + ("；" if zh else ";"))
        lines[-1] = lines[-1][:-1] + "。" if zh else lines[-1][:-1] + "."
    if unnamed > 0:
        lines.append(
            f"以上仅限我们逐一找到的伙伴；中国海关的{latest.get('economies')}个互认经济体中，另有{unnamed}个在我们的资料中未逐一找到。"
            if zh
            else f"Only the partners we have found one by one; {unnamed} of China's {latest.get('economies')} partner economies are not named in our sources."
        )
    lines += _partner_source(kb, "mra_announcements", lang)
    return Reply(text="\n".join(lines), kind="partner"), asked


def mra_count_lines(kb: Knowledge, lang: str) -> tuple[str, dict]:
    """The latest signed count, and the latest implemented count when there is one,
    each with its date (signed arrangements are more than those in effect)."""
    counts = kb.mra.get("counts") or []
    signed = [c for c in counts if c.get("kind", "signed") == "signed"]
    implemented = [c for c in counts if c.get("kind") == "implemented"]
    latest = max(signed or [{}], key=lambda c: c.get("date", ""))
    as_of = kb.mra.get("as_of", "")
    zh = lang == "zh"
    line = (
        f"截至{latest.get('date', as_of)}，中国海关已与{latest.get('economies', '?')}个经济体（{latest.get('countries_regions', '?')}个国家和地区）签署AEO互认安排。"
        if zh
        else f"As of {latest.get('date', as_of)}, China Customs has signed AEO mutual-recognition arrangements with {latest.get('economies', '?')} economies ({latest.get('countries_regions', '?')} countries and regions)."
    )
    if implemented:
        imp = max(implemented, key=lambda c: c.get("date", ""))
        line += (
            f"签署不等于实施：截至{imp['date']}，已实施互认的为{imp['countries_regions']}个国家和地区，互认便利只在安排实施后才适用。"
            if zh
            else f" Signed is not in effect: as of {imp['date']}, arrangements were implemented with {imp['countries_regions']} countries and regions, and benefits apply only once an arrangement is implemented."
        )
    return line, latest


SIGNED_Q = re.compile(r"签署|签订|签的|(?i:\bsign(?:ed|ing)?\b)")
# "在哪里签的", "签署地点", "where was it signed?", "at what event?": where an arrangement was signed
# (not "哪天签的", "哪个月签的", "还和哪些国家签了", nor "什么场合要用AEO编码").
VENUE_Q = re.compile(
    r"(?:(?:在|于)(?:哪里|哪儿|哪(?![一个]?[天年月日号些国])|何处|何地)|哪里|哪儿|何处|何地|什么地方|什么场合|哪个场合"
    r"|什么会议?|哪个会议?|哪次会议?|什么活动|哪个城市)[^，,。？?]{0,6}签"
    r"|签(?:署|订|约)?的?(?:地点|地方|场合|城市)|签(?:署|订|约)?[的了是]{0,2}(?:在哪|哪里|哪儿|什么地方|什么场合|何处|何地)"
    r"|(?i:\bwhere\b[^?.!]{0,40}\bsign|\bsign(?:ed|ing)?\b[^?.!]{0,30}\bwhere\b"
    r"|\b(?:at|during|on|in) (?:what|which) (?:event|occasion|meeting|conference|summit|visit|city)\b"
    r"|\bwhich (?:event|occasion|conference|summit)\b|\bvenue\b|\bplace of signing\b|\bsigning (?:place|location)\b)"
)
# English names that read with "the" ("the European Union", "the Philippines").
_EN_THE = ("European Union", "United Arab Emirates", "Philippines")


# An event named by its number: "第六届世界海关组织AEO全球大会", "the 6th WCO Global AEO Conference"
_NUMBERED_EVENT = re.compile(
    r"第\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*届[^，,。；;？?]{0,20}?(?:大会|会议|峰会|论坛)"
    r"|(?i:\b([0-9]{1,2})(?:st|nd|rd|th)\b[^.?!,;]{0,40}?\b(?:conference|summit|forum)\b)"
)


def _event_number(text: str) -> int | None:
    m = _NUMBERED_EVENT.search(text or "")
    return chinese_to_int(m.group(1) or m.group(2)) if m else None


def signed_at_event(kb: Knowledge, text: str) -> list[str]:
    """The partners whose arrangement was signed at the numbered event the line names ("第六届……大会上
    签了哪两个互认安排", "which arrangements did China sign at the 6th WCO Global AEO Conference?"), from
    their records' signed_at; none when the line names no numbered event."""
    number = _event_number(text)
    if number is None:
        return []
    details = kb.mra.get("details") or {}
    return [
        p["zh"]
        for p in kb.partners
        if p.get("status") == "partner"
        and any(_event_number(v) == number for v in ((details.get(p["id"]) or {}).get("signed_at") or {}).values())
    ]


def _signing(kb: Knowledge, ref: dict) -> tuple[dict, str | None]:
    """The partner's loaded details and its signing date (ISO), if known."""
    d = (kb.mra.get("details") or {}).get(ref.get("id"), {})
    return d, d.get("signed") or (ref["signed"].isoformat() if ref.get("signed") else None)


def _venue_line(kb: Knowledge, ref: dict, lang: str) -> str:
    """Where and when the partner's arrangement was signed, or that our sources do not say where."""
    d, signed = _signing(kb, ref)
    venue = (d.get("signed_at") or {}).get(lang)
    if lang == "zh":
        arrangement = f"中国海关与{ref['zh']}的AEO互认安排"
        if venue:
            return (
                f"{arrangement}于{signed}{venue}签署。"
                if signed
                else f"{arrangement}{venue}签署（签署日期在我们的资料中没有记载）。"
            )
        if signed:
            return f"{arrangement}签署于{signed}；签署地点在我们的资料中没有记载。"
        return f"{arrangement}在哪里、何时签署，我们的资料中都没有记载。"
    name = f"the {ref['en']}" if ref["en"] in _EN_THE else ref["en"]
    arrangement = f"The AEO mutual-recognition arrangement between China Customs and {name}"
    if venue:
        return (
            f"{arrangement} was signed {venue} on {signed}."
            if signed
            else f"{arrangement} was signed {venue} (the date is not recorded in our sources)."
        )
    if signed:
        return f"{arrangement} was signed {signed}; where it was signed is not recorded in our sources."
    return f"Our sources do not record where or when the AEO arrangement between China Customs and {name} was signed."


def _partner_dates(kb: Knowledge, ref: dict, lang: str, text: str = "", venue: bool = True) -> str:
    """The partner's signing and implementation dates, with where it was signed when known
    (``venue``; left out when a line of its own says it)."""
    d, signed = _signing(kb, ref)
    implemented = d.get("implemented") or (ref["implemented"].isoformat() if ref.get("implemented") else None)
    zh = lang == "zh"
    at = (d.get("signed_at") or {}).get(lang) if venue else None
    when = []
    if signed:
        if zh:
            when.append(f"签署于{signed}" + (f"（{at}）" if at else ""))
        else:
            when.append(f"signed {signed}" + (f" {at}" if at else ""))
    elif at:
        when.append(f"{at}签署" if zh else f"signed {at}")
    elif implemented and SIGNED_Q.search(text or ""):
        # "签署是哪天": asked, and our sources give only the date it took effect
        when.append("我们的资料中没有找到签署日期" if zh else "we have found no record of the signing date")
    if implemented:
        ann = d.get("announcement")
        when.append(
            (f"{implemented}起实施" + (f"（{ann}）" if ann else ""))
            if zh
            else (f"in effect since {implemented}" + (f" ({ann})" if ann else ""))
        )
    elif signed:
        when.append(
            "尚未见到实施公告，实施前不能享受互认便利"
            if zh
            else "no implementation announcement found yet, and benefits start only on implementation"
        )
    if not when:
        # A partner our sources name without dates: say so rather than leave the date out silently,
        # with what they do say of when ("one of China's earliest AEO partners")
        known = (d.get("undated") or {}).get(lang)
        if known:
            return (
                f"，{known}；具体签署和实施日期在我们的资料中没有记载"
                if zh
                else f"; {known}; its exact signing and implementation dates are not recorded in our sources"
            )
        return (
            "；签署和实施日期在我们的资料中没有记载（未核实）"
            if zh
            else "; its signing and implementation dates are not recorded in our sources (not verified)"
        )
    return ("，" + "，".join(when)) if zh else ("; " + ", ".join(when))


def _partner_scope(kb: Knowledge, ref: dict, lang: str) -> list[str]:
    """Which Chinese level the partner recognises, and what is known about 认证企业."""
    d = (kb.mra.get("details") or {}).get(ref.get("id"), {})
    zh = lang == "zh"
    out = []
    if d.get("recognises") == "advanced":
        out.append(
            "其实施公告写明，对方海关认可的是中国海关的高级认证企业。"
            if zh
            else "Its implementation announcement says the partner recognises China's Advanced Certified Enterprises (高级认证企业)."
        )
    if d.get("confidence") and d["confidence"] != "high":
        out.append(
            "（上述日期仅见于单一来源，尚未核实。）"
            if zh
            else "(These dates come from a single source and are not verified.)"
        )
    return out


def topic_buttons(kb: Knowledge, topic_ids: list, lang: str, limit: int = 3) -> list:
    seen, out = set(), []
    for t in topic_ids:
        if t in seen or not kb.entries_for_topic(t):
            continue
        seen.add(t)
        out.append({"title": kb.topic_title(t, lang), "payload": f"/ask_{t}"})
        if len(out) >= limit:
            break
    return out


def is_confident(hit: Hit) -> bool:
    return hit.coverage >= CONFIDENT_COVERAGE and hit.score >= CONFIDENT_SCORE


# Below this share of a question's words found in the knowledge, and with the
# model unsure too, the question is treated as outside the assistant's domain.
DOMAIN_COVERAGE = 0.34
DOMAIN_MODEL_CONFIDENCE = 0.3
AGREEMENT_CONFIDENCE = 0.1


def search_or_suggest(kb: Knowledge, text: str, lang: str, ranked_topics: list | None = None, today=None) -> Reply:
    """The fallback when the model is unsure (see README, "How questions are understood"):

    1. the model's top topics and the knowledge search agree → answer that topic;
    2. the search alone clearly matches one entry → answer it;
    3. the question is about the domain but ambiguous → offer the closest topics as buttons;
    4. otherwise → a polite out-of-scope redirect.

    ``ranked_topics`` is [(topic, confidence), ...] from the NLU ranking (or plain topic ids)."""
    ranked = [(t, 1.0) if isinstance(t, str) else (t[0], float(t[1])) for t in (ranked_topics or [])]
    hits = kb.search(text, limit=10)
    hit_topics: list = []
    for h in hits:
        if h.entry.topic and h.entry.topic not in hit_topics and h.coverage >= DOMAIN_COVERAGE:
            hit_topics.append(h.entry.topic)
    for topic, conf in ranked[:3]:
        if conf >= AGREEMENT_CONFIDENCE and topic in hit_topics[:3]:
            reply = answer_topic(kb, topic, text, lang, today)
            if reply:
                return reply
    if hits and is_confident(hits[0]):
        best = hits[0].entry
        # Prefer the rule in force when an old and a new entry match equally.
        for h in hits[1:3]:
            if h.score >= hits[0].score * 0.95 and best.superseded(today) and not h.entry.superseded(today):
                best = h.entry
                break
        return Reply(text=render_entry(kb, best, lang, today), entry_ids=[best.id], kind="answer")
    in_domain = bool(hit_topics) or (ranked and ranked[0][1] >= DOMAIN_MODEL_CONFIDENCE) or mentions_domain(text)
    if in_domain:
        topics = [t for t, _ in ranked if _ >= 0.05] + hit_topics
        buttons = topic_buttons(kb, topics, lang)
        if buttons:
            msg = (
                "我不太确定您问的是哪一个问题，您是想了解："
                if lang == "zh"
                else "I'm not sure which question you mean. Did you mean:"
            )
            return Reply(text=msg, buttons=buttons, kind="suggestions")
    return Reply(text=not_found_text(lang), kind="not_found")


def not_found_text(lang: str) -> str:
    if lang == "zh":
        return (
            "抱歉，这超出了我的服务范围，或者我暂时答不上来。我可以解答海关企业信用管理、认证标准、失信与信用修复、AEO互认和信用培育方面的问题，"
            "也可以陪您做认证自我评估。人工咨询：海关12360服务热线，或企业的主管海关。"
        )
    return (
        "Sorry, that's outside what I can help with, or I can't answer it yet. I can help with customs enterprise credit rules, the certification standards, "
        "dishonesty and credit repair, AEO mutual recognition and credit cultivation, and walk you through a self-assessment. "
        "For a person: the customs 12360 hotline, or your enterprise's customs office."
    )
