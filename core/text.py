"""Small text utilities shared by every channel (no Rasa import)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_MESSAGE_CHARS = 2000


def pick(lang: str, zh: str, en: str) -> str:
    """The Chinese or the English wording, by the reply's language."""
    return zh if lang == "zh" else en


_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*[a-z][A-Za-z]*(?![A-Za-z0-9])")
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_SQL_RE = re.compile(
    r"(?i)(\bdrop\s+table\b|\bunion\s+select\b|;\s*--|\bdelete\s+from\b|\binsert\s+into\b|'\s*or\s+'?1'?\s*=\s*'?1)"
)

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}


_WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_FUNCTION_WORDS = frozenset(
    "what how why when where which who whom whose is are was were do does did can could should would will "
    "may must i we you my our your the a an of to for in on with about please tell me explain if it this "
    "that there not no".split()
)
_GREETINGS = frozenset({"hello", "hi", "hey", "thanks", "thank you", "good morning", "good afternoon", "help"})
_SWITCH_EN = re.compile(
    r"^\s*(english|in english|english please|switch to english|说英文|用英文|英文|英语)\s*[.!。！]?\s*$", re.I
)
_SWITCH_ZH = re.compile(r"^\s*(chinese|in chinese|中文|说中文|用中文|汉语|普通话)\s*[.!。！]?\s*$", re.I)
_NAME_RE = re.compile(
    r"(公司|集团|工厂|商行|有限|股份|\b(?:co|ltd|inc|llc|corp|gmbh|limited|company|group|trading|plc)\b\.?)", re.I
)


# Chinese grammar (particles, pronouns, question words): a Chinese sentence has them, a Chinese term
# quoted in an English sentence ("认证企业", "追征税款", "资产负债率") does not.
_CHINESE_GRAMMAR = re.compile(r"[的吗呢了吧么啊呀嘛我你是要哪几怎请把被让这那还都也就]|什么|多少|可以|能否")


def _english_sentence_quoting_chinese(text: str, cjk: int) -> bool:
    """An English sentence that quotes a Chinese term: at least five English words, and more
    of them than Chinese characters; or English function words around Chinese terms that carry
    no Chinese grammar, the English words the longer part ("for 认证企业, what's the yearly cap on
    追征税款?")."""
    words = [w for w in _WORD_RE.findall(text) if _LATIN_WORD_RE.fullmatch(w) and len(w) > 1]
    if len(words) >= 5 and len(words) > cjk:
        return True
    chinese = "".join(_CJK_RE.findall(text))
    function = [w for w in _WORD_RE.findall(text.lower()) if w.split("'")[0] in _FUNCTION_WORDS]
    # (a Chinese term is about two English words long: "how many 贸易安全 items does 高级认证 have, versus
    # 认证企业?" is as much Chinese as English, and stays Chinese)
    return len(function) >= 2 and 2 * len(words) > cjk and not _CHINESE_GRAMMAR.search(chinese)


def detect_language(text: str, default: str = "zh", strict: bool = False) -> str:
    """'zh' or 'en' for a message. Loose (the conversation has no language yet): Chinese
    characters give 'zh', English words 'en'. ``strict`` (a language is established): it changes
    only on a clear signal: an explicit switch ("English", "中文") or a whole sentence in the
    other language; a code, an access key, a company name, "ok" or one Chinese word do not."""
    if not text:
        return default
    if _SWITCH_EN.match(text):
        return "en"
    if _SWITCH_ZH.match(text):
        return "zh"
    cjk = len(_CJK_RE.findall(text))
    if cjk and _english_sentence_quoting_chinese(text, cjk):
        return "en"  # "we're only Certified (认证企业), not Advanced. does the Thai side still…"
    if not strict:
        if cjk:
            return "zh"
        # English words, not codes: credit codes and access keys are upper-case
        # letters mixed with digits, and "AEO" alone says nothing about the language.
        return "en" if _LATIN_WORD_RE.search(text) else default
    if _NAME_RE.search(text) and len(text) <= 60:
        return default
    if cjk:
        return "zh" if cjk >= 2 else default
    words = [w.lower() for w in _WORD_RE.findall(text) if _LATIN_WORD_RE.fullmatch(w)]
    if len(words) >= 3 or (len(words) == 2 and _FUNCTION_WORDS.intersection(words)):
        return "en"
    if " ".join(words) in _GREETINGS:
        return "en"
    return default


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), collapse whitespace, strip control chars."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return re.sub(r"\s+", " ", text).strip()


# Spoken hesitations, as a voice kiosk's transcript keeps them ("嗯，那个，就是说……", "um, like, so
# basically …"): they carry nothing a question is about.
# (the sounds alone are one list, shared with the intent model's tokens: bot.nlu.text_model)
_HESITATION_ZH = r"[嗯呃]+"
_HESITATION_EN = r"u+m+|u+h+|e+r+m+|hmm+|er"
_FILLERS = re.compile(
    rf"{_HESITATION_ZH}[，,、…\s]*"
    r"|(?:(?<=^)|(?<=[，,。？?！!\s]))(?:(?:那个|然后呢|这个这个)[，,、…]+|就是说[，,、…]*)\s*"
    rf"|(?:,\s*)?\b(?:{_HESITATION_EN})\b[,.…]*\s*"
    r"|(?:(?<=^)|(?<=[,;]\s)|(?<=\band\s))(?:like|so\s+basically|basically|you\s+know|i\s+mean)\s*,\s*"
    r"|,\s*(?:like|you\s+know|i\s+mean)\s*,",
    re.I,
)


_HESITATION_TOKEN = re.compile(rf"{_HESITATION_ZH}|(?i:{_HESITATION_EN})")


def is_hesitation(token: str) -> bool:
    """A token that is only a spoken hesitation ("嗯", "呃呃", "um", "uhh", "hmm"); asked of every
    token the intent model reads, so the pattern is compiled once."""
    return bool(_HESITATION_TOKEN.fullmatch((token or "").strip()))


def without_fillers(text: str) -> str:
    """The line without spoken hesitations (嗯, 呃, "那个，", um, uh, ", like,", "so basically,")."""
    if not _FILLERS.search(text or ""):
        return (text or "").strip()
    out = _FILLERS.sub(lambda m: ", " if re.fullmatch(r",\s*\w[\w\s]*,\s*", m.group(0)) else " ", text or "")
    # "a fine of, um, sixty thousand": no pause is left after a word that needs what follows
    out = re.sub(r"\b(of|a|an|the|to|about|around|at|for|is|was|were|are)\s*,\s+", r"\1 ", out, flags=re.I)
    out = re.sub(r"(?<=[，、。？！])\s+", "", out)
    out = re.sub(r"\s{2,}", " ", out)
    out = re.sub(r"^[\s，,、]+", "", out)
    return out.strip() or (text or "").strip()


# Who said it, before a claim the user checks ("听同事说，……", "微信群里有人说……", "培训老师说……", "A consultant
# told us that …", "I heard …"): the question is about the claim, not the person who made it.
# (shared with the claim checked against the previous answer, core.knowledge.respond._CLAIM_Q)
HEARSAY_ZH = (
    "同事|顾问|老师|朋友|群里|有人|别人|人家|老板|领导|代理|报关行|网上|文章|培训|客户|课件|公众号|帖子|前辈|经理|主管|"
    "财务|会计|律师|中介|同行|师傅|他们|她们|对方|前任|交接文档|交接材料|交接|笔记|备忘录"
)
HEARSAY_EN = (
    "colleagues?|consultants?|friends?|trainers?|boss|managers?|brokers?|agents?|someone|somebody|people|"
    "slides?|teachers?|advisers?|advisors?|accountants?|lawyers?|forwarders?|peers?|supplier|group|"
    "predecessors?|memos?|notes|handover"
)
# The words that ask whether something said is right: the tag of a claim (claim_span), a claim
# checked against the previous answer (respond._RIGHT_Q) and the tag a line of mashing may carry
# (respond.is_nonsense). "true" and "right" are not words of the rules.
CHECK_ZH = "对吗|对不对|对吧|是真的吗|是这样吗|是不是这样|没错吧|属实吗|准确吗|靠谱吗|靠不靠谱|可信吗"
CHECK_EN = "true|right|correct|accurate"
_HEARSAY = re.compile(
    # (a few words before it, no more: "对了 内控那块听说新加了一项" asks about 内控, not a claim)
    rf"^[^，。？！?!,\s]{{0,4}}?(?:听[^，。？！?!,\s]{{0,4}}?(?:说|讲)|(?:{HEARSAY_ZH})[^，。？！?!,\s让给问把要]{{0,4}}?"
    r"(?:说|讲|告诉(?:我们|我)|提到|称|里?写着|里?写的是|里?记着))(?:过)?(?![的得])[，,：:\s]*"
    r"|(?i:^(?!(?:what|how|which|why|when|where|who|does|do|is|are|can|could|should|would|will)\b)"
    r"(?:(?:a|an|my|our|one|the|some)\s+)?(?:[\w-]+\s+){0,4}?"
    rf"(?:{HEARSAY_EN})"
    r"(?:\s+[\w-]+){0,5}?\s+(?:told\s+(?:us|me)|tells\s+(?:us|me)|says|said|claims?|claimed|mentioned|insists?)"
    r"|^(?:i|we)\s+(?:(?:have|had|just)\s+)?(?:heard|read|were\s+told|was\s+told)(?:\s+(?:somewhere|online))?)"
    r"(?:\s+that)?[,:]?\s+"
)


# Who asks, before the question passed on ("老板问高级认证企业标准一共多少项", "领导让我问一下……", "Our managing
# director wants to know …"): the question is what is asked, not the person ("老板" is also a word of
# the rules: the legal representative). A department that asks stays: "Our IT folks want to know how
# long the data is kept" is a question on the information system, "财务这边问……" one on finance.
_ASKER = re.compile(
    r"^(?:我们|咱们|我家)?(?:老板|领导|老总|董事长|总经理|同事|客户|朋友|上级|上面|师傅|带我的人|主管|经理|(?:有家|有的|有)?企业(?=问(?![题询责卷候]))"
    r"|[\u4e00-\u9fff]{0,4}?新同事)(?:这边|那边)?"
    r"(?:问|想问|想知道|让我问|叫我问|要我问|让我查|让我了解"
    r"|(?:让|叫|要)我先?(?:背|记|查|了解|搞清楚|弄清楚|熟悉|学)(?=一下|下|[，,：:]))(?:一下|下|我)?(?![的得过])[，,：:\s]*"
    # a party abroad or upstream whose question is passed on ("德国客户问我们，……", "新加坡母公司财务问，",
    # "日本进口商问：", "瑞士总部IT说……", "美国买家做C-TPAT对标，问我们……"): where they are is not what is asked
    r"|^(?:我们|咱们)?的?(?:[\u4e00-\u9fff]{1,5}?)?的?"
    r"(?:客户|买家|买方|进口商|经销商|分销商|总部|母公司|集团|货代|供应商|合作方|审核员|审计师|审厂的人|验厂的人)"
    r"(?:那边|这边)?(?:[A-Za-z]{1,6}|财务|法务|关务|采购|合规|负责人|经理|的人)?"
    r"(?:(?:来)?(?:审厂|验厂|审核|审计)(?:的时候)?|做[^，,。？?！!]{1,12}?[，,])?"
    r"(?:(?:问|想问|想知道|让我问|叫我问|要我问|让我确认|让我们确认)(?:一下|下|我们|我)?|说)(?![的得过])[，,：:\s]*"
    r"|(?i:^(?:(?:a|an|my|our|the)\s+)?(?:(?:managing|general|big)\s+)?"
    r"(?:[a-z]+(?:an|ese|ish|ch|i)\s+)?"  # "our German customer", "a Japanese buyer"
    r"(?:boss|director|gm|ceo|chairman|owner|client|customer|colleagues?|manager|buyer|importer|"
    r"parent\s+company|hq|head\s+office|forwarder|auditor"
    # "Our Seoul office asks: …", "Our parent company's trade-compliance lead asks when …"
    r"|(?:[a-z][a-z-]*(?:'s|’s)?\s+){0,3}?(?:office|lead|counsel))"
    r"\s+(?:asked(?:\s+(?:me|us))?|asks(?:\s+(?:me|us))?|wants?\s+to\s+know|would\s+like\s+to\s+know|wonders?|(?:is|are)\s+asking"
    # "My manager wants me to know how long …"
    r"|(?:wants?|asked)\s+(?:me|us)\s+to\s+(?:know|find\s+out|check|learn|understand|look\s+up))"
    r"(?:\s+(?:whether|if))?[,:]?\s+)"
)


# Who the asker is, before or after the question: someone new to the job or taking it over ("我刚接手公司关务，
# 想先把这些坑排一下", "刚入职，", "写入职学习笔记：", "I started Monday as a compliance analyst.", "I'm the new HR
# business partner.", "New warehouse lead:", "Day one question:"). A note on the asker, not what is asked.
# (not "新加入的供应商" or "刚接手的业务": what the line asks of)
_NEW_HERE_ZH = (
    r"(?:我|本人)?(?:是)?(?:刚刚|刚|才|新|今天)(?:刚)?"
    r"(?:入职|接手|上岗|到岗|加入|调(?:过来|来|到|岗)|转岗|毕业|来(?:公司|这边)?)(?![的得地])"
)
_NEW_HERE_EN = (
    r"(?:(?:i|we)\s+(?:just\s+|only\s+|recently\s+)?(?:started|joined|took\s+over|inherited|moved\s+(?:in)?to)"
    r"|(?:i'?m|i\s+am)\s+(?:the\s+|a\s+)?(?:new|newly)\b)"
)
_SITUATION_LEAD = re.compile(
    rf"^(?:(?:{_NEW_HERE_ZH})[^，,：:。；;？?！!]{{0,14}}[，,：:。；;！!]\s*"
    r"|[^，,：:。；;？?！!]{0,8}(?:入职|新人|交接|培训)[^，,：:。；;？?！!]{0,6}?(?:笔记|材料|清单|作业)[：:]\s*"
    r"|[^，,：:。；;？?！!]{0,10}(?:走访|核查|上门|宣讲|座谈|培训|开会|汇报)(?:之)?前(?:先)?(?:确认|核实|问|查)(?:一下|下)?[：:，,]\s*"
    # who speaks, at the kiosk ("我是管仓库的 ", "我是开车的，"): not the enterprise's business, which is said
    # ("我是做报关的": whether the firm is a customs broker sets its thresholds, so it stays)
    r"|(?:我|本人)(?:是|就是)(?:管仓库|看仓库|仓管|司机|开车|跑车|报关员|做关务|关务|财务|会计|老板|开厂|厂长|门卫|保安)"
    r"(?:的)?[\s，,。：:]+"
    # the officer's own paperwork ("整理旧规定对比材料：", "写宣讲课件，", "做核查清单：")
    r"|(?:整理|准备|写|做|编)[^，,：:。；;？?！!]{0,8}(?:(?:对比|沿革|汇报|培训|宣讲|讲解)材料|讲稿|课件|PPT|核查清单)[：:，,]\s*"
    r"|(?:给|向|跟)(?:企业|客户)(?:讲解|解释|介绍)(?=[^，,。？?]{2,16}(?:时|的时候)[，,])"  # ("给企业讲解信息安全这一项时，")
    rf"|(?i:(?:hi|hello|hey)?[,!]?\s*{_NEW_HERE_EN}[^.?!:]*[.!:]\s+"
    r"|(?:new|newly\s+hired|newly\s+appointed)\s+[\w -]{1,30}?:\s+|(?:day\s+one|first\s+day|onboarding)[\w -]{0,20}?:\s+))+"
)
# what the asker will do with the answer, after the question ("……？我要写进讲稿。", "……？写对比材料要用。",
# "……？给企业讲解时要说清楚。", "……？请把认证体系的名称说准确，我要写进讲稿。")
_FOR_USE_ZH = (
    r"(?:请把[^？?。]{0,20}说(?:准确|清楚|准)[，,。]?\s*)?(?:我|我们)?(?:要|得|需要)?"
    r"(?:写进|列进|列入|放进|放到|写到|写入|加进|整理进)[^？?]{0,12}"
    r"|[^？?。，,]{0,12}(?:材料|讲稿|清单|课件)要用[。.]?"
    r"|(?:给|向|跟)企业(?:讲解|解释|讲)(?:的)?时(?:候)?要(?:说|讲)(?:清楚|准确)[。.]?"
)
# ("……? need a source for the memo", "……? it's for the board deck")
_FOR_USE_LEAD_EN = (
    r"(?:(?:i|we)\s+)?need\s+(?:a|the|it|this)\s+(?:(?:source|citation|reference)\s+)?(?:for|in)\s+"
    r"|(?:it'?s|this\s+is)\s+for\s+"
)
_FOR_USE_EN = rf"(?:{_FOR_USE_LEAD_EN})(?:the|a|my|our)\s+(?:[\w-]+\s+)?(?:memo|report|deck|slides?|email|presentation|meeting)[.!]?"
_SITUATION_TAIL = re.compile(
    rf"(?<=[？?])\s*(?:{_NEW_HERE_ZH}[^？?]*|(?i:{_NEW_HERE_EN})[^？?]*|(?:{_FOR_USE_ZH})+|(?i:{_FOR_USE_EN}))$"
)


# "以前", "之前" that are not the old rules: before an act ("装柜之前", "申报以前", "成立之前", "哪天之前")
BEFORE_AN_EVENT = r"(?<!申报|报关|签约|出口|进口|装运|装货|装柜|装箱|装车|装船|卸货|入库|出库|到港|发货|认证|申请|成立|提交|审核|复核|上线|入职|离职|出货|放行|交货|时候|哪天|几号|月底|年底|失信|认定|处罚|审计|报送)(?<!签合同)(?<!\d日)"
# "企业问……，我该怎么答？": the officer asks how to answer the enterprise's question, which is what is asked
_HOW_DO_I_ANSWER = re.compile(
    r"[，,]\s*(?:我|我们)?(?:该|应该|要|应当)?怎么(?:答|回答|回复|答复|解释)(?:比较好|才对|合适)?(?=[？?])"
)


def without_situation(text: str) -> str:
    """The line without a note on who asks ("刚入职，……", "……？我刚接手公司关务，想先把这些坑排一下",
    "I started Monday as a compliance analyst. …"); the line as it is when nothing would be left."""
    text = text or ""
    m = _SITUATION_LEAD.match(text)
    out = text[m.end() :] if m else text
    out = _HOW_DO_I_ANSWER.sub("", out)
    t = _SITUATION_TAIL.search(out)
    out = out[: t.start()] if t else out
    return out if out != text and not _too_short(out) else text


def without_asker(text: str) -> str:
    """The question without who passes it on: "老板问高级认证企业标准一共多少项" → "高级认证企业标准一共多少项";
    "My boss asked me whether we need background checks" → "we need background checks". The line as
    it is when nothing would be left, or when a department asks ("HR asked me whether …")."""
    m = _ASKER.match(text or "")
    return (text or "")[m.end() :] if m and not _too_short((text or "")[m.end() :]) else (text or "")


def question_span(text: str) -> tuple[int, int]:
    """Where what is asked begins and ends: the claim checked (``claim_span``) without who passes the
    question on (``without_asker``); the intent model reads only this."""
    text = text or ""
    noted = without_situation(text)
    lead = text.find(noted)  # (where the line without the note begins in it)
    start, end = claim_span(noted)
    asked = without_asker(noted[start:end])
    return lead + end - len(asked), lead + end


# The tag that asks whether a claim is right ("……，对吗？", "是这样吗", "Correct?", "Is that true?"):
# what is asked is the claim; "true" and "right" are not words of the rules.
_CHECK_TAG = re.compile(
    rf"(?:[，,、\s]*(?:这个说法|这种说法|这)?(?<![还也都仍])(?:{CHECK_ZH})"
    r"|[，,。]\s*(?:是吗|是不是|真的吗))[？?！!。.\s]*$"
    rf"|(?i:(?:[,.;!?]\s*|\s+)(?:is\s+(?:that|this|it)\s+(?:still\s+)?(?:{CHECK_EN}|so)|"
    rf"(?:{CHECK_EN})\s+or\s+(?:not|false)|am\s+i\s+right)[?!.\s]*$"
    rf"|[,.;!?]\s*(?:{CHECK_EN}|really)[?!.\s]*$)"
)


def _too_short(rest: str) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) < 4 and len(re.findall(r"[A-Za-z0-9]+", rest)) < 3


def claim_span(text: str) -> tuple[int, int]:
    """Where the claim a user checks begins and ends: after who made it ("听同事说，", "A consultant
    told us") and before the tag that asks whether it is right ("，对吗？", ". Correct?"). The whole
    line when nothing else would be left ("听说是真的吗", "The trainer said so", "Is that right?")."""
    text = text or ""
    m, t = _HEARSAY.match(text), _CHECK_TAG.search(text)
    end = t.start() if t and (not m or t.start() > m.end()) else len(text)
    start = m.end() if m and not _too_short(text[m.end() : end]) else 0
    # ("有人说是6个月，靠谱吗": a claim this short is checked in the conversation, as said)
    return (start, end) if not _too_short(text[start:end]) else (0, len(text))


def as_claim(text: str) -> str:
    """The claim without who made it and without the tag: "听同事说，高级认证企业的资产负债率上限是90%，
    是这样吗？" → "高级认证企业的资产负债率上限是90%"; "A consultant told us Decree 282 has four levels.
    Correct?" → "Decree 282 has four levels"."""
    start, end = claim_span(text)
    return (text or "")[start:end]


def _typing_slips(path) -> tuple[list, re.Pattern | None, dict]:
    from core import files

    data = files.read_yaml(path, lambda m: ValueError(f"{path}: {m}"))
    data = data if isinstance(data, dict) else {}

    def slips(lang: str) -> list[dict]:
        # (an entry without both words is left out, not a failure of every line answered)
        return [s for s in data.get(lang) or [] if isinstance(s, dict) and s.get("typed") and s.get("meant")]

    zh = []
    for s in slips("zh"):
        typed, meant = str(s["typed"]), str(s["meant"])
        after = "".join(re.escape(str(c)) for c in s.get("not_after") or [])
        # not where the meant word is already written, nor after a character that makes another word
        ahead = re.escape(meant[len(typed) :]) if meant.startswith(typed) else ""
        rx = (f"(?<![{after}])" if after else "") + re.escape(typed) + (f"(?!{ahead})" if ahead else "")
        zh.append((re.compile(rx), meant))
    en = {str(s["typed"]).lower(): str(s["meant"]) for s in slips("en")}
    words = "|".join(sorted(map(re.escape, en), key=len, reverse=True))
    en_rx = re.compile(rf"(?<![\w.&'-])(?:{words})(?![\w.&'-]|\.\w)", re.I) if en else None
    return zh, en_rx, en


# English numbers as a voice kiosk's transcript spells them ("eighty-five percent", "item
# eighteen", "decree two eighty-two", "twenty nineteen", "ISO twenty-seven thousand one").
_UNITS_EN = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS_EN = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES_EN = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_SMALL_EN = rf"(?:(?:{'|'.join(_TENS_EN)})(?:[-\s](?:{'|'.join(w for w in _UNITS_EN if _UNITS_EN[w] < 10)}))?|{'|'.join(_UNITS_EN)})"
_NUMBER_WORD = rf"(?:{_SMALL_EN}|hundred|thousand|million)"
_SPOKEN_NUMBER = re.compile(
    rf"(?<![\w-])(?:an?\s+(?:hundred|thousand|million)\b|{_SMALL_EN})(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*"
    rf"(?:\s+point(?:\s+(?:{'|'.join(w for w in _UNITS_EN if _UNITS_EN[w] < 10)}))+)?(?![\w-])",
    re.I,
)


def _small_en(words: list[str]) -> int:
    return sum(_TENS_EN.get(w, _UNITS_EN.get(w, 0)) for w in words)


def _spoken_value(phrase: str) -> str | None:
    """The digits of one spoken number; None when it is a lone word that is not a number here
    ("the one before", "which one")."""
    phrase = phrase.lower()
    whole, _, decimals = phrase.partition(" point ")
    words = [w for w in re.split(r"[\s-]+", whole) if w not in ("and", "a", "an")]
    if not words:
        return None
    if len(words) == 1 and words[0] in _UNITS_EN and _UNITS_EN[words[0]] < 10 and not decimals:
        # "the one before", "five levels", "like I'm five": a pronoun, or a word the knowledge
        # writes as often in words as in digits
        return None
    if not any(w in _SCALES_EN for w in words):
        # "two fifty-one", "twenty nineteen", "one twenty-seven": said in groups of digits
        chunks: list[list[str]] = []
        for w in words:
            if w in _UNITS_EN and chunks and chunks[-1][-1] in _TENS_EN and len(chunks[-1]) == 1 and _UNITS_EN[w] < 10:
                chunks[-1].append(w)  # "fifty one"
            else:
                chunks.append([w])
        values = [_small_en(c) for c in chunks]
        if len(values) == 1:
            digits = str(values[0])
        elif len(values) == 2 and values[1] >= 10:
            digits = f"{values[0]}{values[1]:02d}"
        else:
            return None  # "five six": not a number said in one breath
    else:
        total = current = 0
        for w in words:
            if w in _SCALES_EN:
                scale = _SCALES_EN[w]
                if scale == 100:
                    current = (current or 1) * 100
                else:
                    total += (current or 1) * scale
                    current = 0
            else:
                current += _TENS_EN.get(w, _UNITS_EN.get(w, 0))
        digits = str(total + current)
    if decimals:
        digits += "." + "".join(str(_UNITS_EN[w]) for w in decimals.split())
    return digits


def spoken_numbers(text: str) -> str:
    """English numbers said in words, as digits: "eighty-five percent" → "85 percent", "decree two
    eighty-two" → "decree 282", "twenty nineteen" → "2019", "zero point eight" → "0.8"."""
    if not text or not re.search(r"[A-Za-z]", text):
        return text
    return _SPOKEN_NUMBER.sub(lambda m: _spoken_value(m.group(0)) or m.group(0), text)


# Numbers a speech recogniser writes in Chinese words, as the knowledge writes them: "二五一号令" →
# "251号令", "二零二六年" → "2026年", "百分之九十五" → "95%", "三十天" → "30天", "两年" → "2年".
# ("一" alone stays: "一般", "一项标准", "统一"; so does "十分" (very) and "千分之一", as the rules write it)
_ZH_DIGIT_RUN = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千万])([零〇一二三四五六七八九]{3,4})(?=号令|号公告|号|年)"
)
_ZH_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)")
_ZH_AMOUNT = re.compile(
    r"(?<![零〇一二两三四五六七八九十百千第])([零〇一二两三四五六七八九十百千]*[十百千][零〇一二两三四五六七八九十百千]*"
    r"|[两二三四五六七八九])(?=个?工作日|个月|天|日|条|项|票|万|元|块|年|次|家|倍|周|分(?!之))"
)


def _zh_amount(m: re.Match) -> str:
    phrase = m.group(1)
    if len(phrase) == 1 and phrase in _CN_SMALL:
        return phrase  # "十分重要" (very), "百年", "千万": not a number said
    n = cn_to_number(phrase)
    return m.group(0) if n is None else str(n)


def _zh_percent(m: re.Match) -> str:
    whole, _, decimals = m.group(1).partition("点")
    n = cn_to_number(whole)
    if n is None or (decimals and not all(ch in _CN_DIGITS for ch in decimals)):
        return m.group(0)
    return f"{n}{'.' + ''.join(str(_CN_DIGITS[ch]) for ch in decimals) if decimals else ''}%"


def spoken_numbers_zh(text: str) -> str:
    """Chinese numbers said in words, as digits where the rules write digits (see _ZH_AMOUNT)."""
    if not text or not re.search(r"[零〇一二两三四五六七八九十百千]", text):
        return text
    text = _ZH_DIGIT_RUN.sub(lambda m: "".join(str(_CN_DIGITS[ch]) for ch in m.group(1)), text)
    text = _ZH_PERCENT.sub(_zh_percent, text)
    return _ZH_AMOUNT.sub(_zh_amount, text)


def as_meant(text: str) -> str:
    """The line as the user meant it: spoken hesitations left out (``without_fillers``), numbers
    said in words as digits (``spoken_numbers``, ``spoken_numbers_zh``) and the slips of quick typing in knowledge/typing.yaml put right ("认正企业" → "认证企业", "n for HK?" →
    "and for HK?", "last yr" → "last year")."""
    from core import files

    text = spoken_numbers_zh(spoken_numbers(without_fillers(text)))
    try:
        zh, en_rx, en = files.cached(files.KNOWLEDGE_DIR / "typing.yaml", _typing_slips, ValueError)
    except ValueError:
        return text  # no list of slips: the line as typed
    for rx, meant in zh:
        text = rx.sub(meant, text)
    if en_rx is not None:
        text = en_rx.sub(lambda m: en[m.group(0).lower()], text)
    return text


def has_meaningful_text(text: str) -> bool:
    """True when the text has at least one letter, digit or CJK character."""
    return any(ch.isalnum() for ch in text or "")


def looks_like_markup_or_injection(text: str) -> bool:
    return bool(_TAG_RE.search(text or "") or _SQL_RE.search(text or ""))


def cn_to_number(text: str) -> int | None:
    """Chinese numerals → int ("十二万" → 120000, "两千" → 2000, "二〇二五" → 2025).
    Returns None for anything it cannot read."""
    if not text or len(text) > 30:
        return None
    if all(ch in _CN_DIGITS for ch in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total = 0  # completed 亿 groups
    wan = 0  # completed 万 group inside the current 亿 group
    section = 0  # below 万
    number = None  # pending digit
    last_big = None
    last_small = None
    prev = None
    for ch in text:
        if ch in _CN_DIGITS:
            if number is not None and number != 0 and _CN_DIGITS[ch] != 0:
                return None  # two digits in a row without unit ("三四")
            number = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if last_small is not None and unit >= last_small and number is None:
                return None  # "十十", "百千"
            last_small = unit
            section += (1 if number is None else number) * unit
            number = None
        elif ch in _CN_BIG:
            unit = _CN_BIG[ch]
            if prev is not None and prev in _CN_BIG:
                return None  # "亿亿", "万万"
            last_small = None
            section += number or 0
            number = None
            if unit == 10**8:
                total = (total + wan + section) * unit
                wan = 0
            else:
                if section == 0 and wan == 0 and total == 0:
                    section = 1 if last_big is None and text[0] in _CN_BIG else 0
                wan = (wan + section) * unit
            section = 0
            last_big = unit
        else:
            return None
        prev = ch
    section += number or 0
    result = total + wan + section
    return result


def chinese_to_int(token: str) -> int | None:
    """Arabic or Chinese numerals → int (18, 十八, 七四, 十二万); None if not a number."""
    token = (token or "").strip()
    if token.isascii() and token.isdigit():  # not "١" (Arabic-Indic), which int() would accept
        return int(token)
    return cn_to_number(token)


_ITEM_PATTERNS = [
    re.compile(r"第\s*([0-9]{1,3}|[零〇一二两三四五六七八九十百]{1,5})\s*(?:项|条|个|题)"),
    re.compile(r"(?i)\bitems?\s*(?:no\.?|number|#)?\s*\(?([0-9]{1,3})\)?"),
    re.compile(r"[（(]\s*([0-9]{1,3})\s*[)）]"),
    re.compile(r"(?<![0-9])([0-9]{1,2})\s*项"),
]


# "第一个" counting something that is not a standard's item: partners, countries, documents
_OTHER_ORDINAL = re.compile(r"互认|国家|地区|经济体|伙伴|签署|实施|公告|号令|办法")
_COUNT_WORDS = re.compile(
    r"有|共|包括|包含|哪几|哪些|分为|分成|多少|几类|几大|几项|分布|构成|组成|各占|每类|结构|怎么分|如何分|怎样分|"
    r"(?:那|这)\s*[0-9]{1,2}\s*项|"  # "那74项是怎么分的": the standard's items, not item 74
    r"(?:是|只有|才)\s*[0-9]{1,2}\s*项(?:吗|么|嘛|呢|[？?])|"  # "那认证企业呢，是56项吗？": a count checked
    r"(?:满足|符合|达到|达标|超过|少于|多于|仅|只)了?\s*[0-9]{1,2}\s*项|"  # "只满足1项呢": how many indicators met
    r"(?<![第0-9])[0-9]{1,2}\s*项\s*(?:都|全)?(?:基本达标|不达标|达标|不符合|符合|不适用)(?!标准|要求|条件)"  # "内部控制2项基本达标": a tally
)


def parse_item_number(text: str) -> int | None:
    """Find a standard item number: 第18项, 第十八项, item 18, (18), 18项."""
    text = unicodedata.normalize("NFKC", text or "")
    # "(18)" alone is an item only in a sentence about the standards (not "alert(2)").
    about_items = any(k in text.lower() for k in ("项", "标准", "item", "standard"))
    for i, pattern in enumerate(_ITEM_PATTERNS):
        if i == 2 and not about_items:
            continue
        if i == 3 and _COUNT_WORDS.search(text):
            continue  # "高级认证标准74项是哪几类", "标准有74项吗": a count, not item 74
        m = pattern.search(text)
        if m and i == 0 and m.group(0).endswith("个") and _OTHER_ORDINAL.search(text):
            continue  # "中国在南美洲第一个实施AEO互认的是哪个国家": the first partner, not item 1
        if m:
            value = chinese_to_int(m.group(1))
            if value is not None and 0 < value < 1000:
                return value
    return None


def detect_standard(text: str) -> str | None:
    """'advanced', 'certified' or 'individual' when the text names a standard."""
    t = (text or "").lower()
    if any(k in t for k in ("单项", "individual", "business-type", "business type")):
        return "individual"
    if any(k in t for k in ("高级", "高认", "advanced")):
        return "advanced"
    if any(k in t for k in ("认证企业", "一般认证", "认证标准", "certified")):
        return "certified"
    return None


# A small safety layer in front of the model: abusive lines always get the
# polite redirect, whatever intent the classifier guesses.
_HOSTILE_RE = re.compile(
    # 洋垃圾, 生活垃圾, 固体废物, 危险废物, 滚装 and 滚动 are customs words, not insults
    r"(蠢|傻[逼瓜子帽]|笨蛋|白痴|智障|(?<![洋活])垃圾|(?<![体险])废物|滚(?![装动])|闭嘴|去死|脑残|混蛋|王八|他妈|tmd|nmsl|"
    r"(?i:\bstupid\b|\bidiot|\buseless\b|\bshut up\b|\bdumb\b|\bfuck|\bsucks?\b|\bmoron|\bloser\b|\bhate you\b))"
)


def is_hostile(text: str) -> bool:
    return bool(_HOSTILE_RE.search(text or ""))


# Words that make a message about customs credit, even when the model is unsure.
DOMAIN_TERMS = (
    "信用",
    "认证",
    "高认",
    "aeo",
    "失信",
    "互认",
    "培育",
    "修复",
    "282",
    "251",
    "公示",
    "异议",
    "达标",
    "自评",
    "评估",
    "认证企业",
    "常规企业",
    "等级",
    "海关标准",
    "credit",
    "certif",
    "dishonest",
    "mutual recognition",
    "mra",
    "accredit",
    "rating",
    "blacklist",
    "repair",
    "海关",
    "customs",
)


def mentions_domain(text: str) -> bool:
    low = (text or "").lower()
    return any(term in low for term in DOMAIN_TERMS)


# Sport, entertainment, weather and the like: a line about them that names nothing of customs credit
# is off-topic, even when a word of it ("score", "rating") is a word of the rules too. ("film" is not
# among them: it is also goods, as in "we import plastic film".)
_LEISURE_RE = re.compile(
    r"足球|篮球|球赛|世界杯|彩票|电影|电视剧|明星|天气|股价|星座"
    # a new employee's own HR and office questions (年假, 五险一金, the canteen, an expense report)
    r"|年假|五险一金|公积金|食堂|饭卡|工资条|加班费|病假"
    r"|(?i:\b(?:annual leave|sick leave|canteen|cafeteria|payslip|expense report|first week at a new job)\b)"
    # the service hall's own amenities, asked at its kiosk
    r"|无线网|厕所|洗手间|卫生间|充电宝|(?i:\bwi-?fi\b|\b(?:restroom|toilet|washroom|bathroom)s?\b|\bcharge my phone\b)"
    r"|(?i:\b(?:football|soccer|basketball|nba|premier league|world cup|lottery|movies?|celebrit(?:y|ies)"
    r"|weather|stock price|horoscope|manchester united|real madrid)\b|\b(?:match|game) (?:yesterday|today|tonight|last night)\b)"
)


def is_leisure(text: str) -> bool:
    """ "What was the score of Manchester United match yesterday?": off-topic, not the scoring rules."""
    return bool(_LEISURE_RE.search(text or "")) and not mentions_domain(text)


MRA_WORDS = ("互认", "承认", "认可", "aeo", "mra", "mutual", "recogni", "高认", "认证")


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?i)(?P<mon>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?i)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]{3,9})\.?,?\s+(?P<y>\d{4})"),
)


def dates_in(text: str) -> list[dt.date]:
    """Calendar dates written in the text ("2025年6月1日", "2025-06-01", "June 1, 2025", "1 June 2025")."""
    out: list[dt.date] = []
    for rx in _DATE_PATTERNS:
        for m in rx.finditer(text or ""):
            g = m.groupdict()
            month = (
                int(g["m"])
                if g.get("m")
                else next((n for name, n in _MONTHS.items() if name.startswith(g["mon"].lower()[:3])), 0)
            )
            try:
                d = dt.date(int(g["y"]), month, int(g["d"]))
            except ValueError:
                continue
            if d not in out:
                out.append(d)
    return out


# A document named by its number: a decree ("251号令", "Decree 251"), an announcement
# ("2023年第127号公告", "announcement 2023 No.170") or a State Council / GACC circular
# ("国办发〔2026〕8号"). Each is read as "kind:number"; the year is left out, as people
# often leave it out too.
# "国办发〔2026〕8号", as people type it too: "国办发2026年8号", "国办发(2026)第8号", "国办发2026 8号"
_CIRCULAR = r"{}\s*[〔\[（(]?\s*\d{{4}}\s*(?:[〕\]）)]|年)?\s*第?\s*(\d{{1,3}})\s*号"
_DOCUMENT_PATTERNS = (
    ("decree", re.compile(r"(\d{3})\s*号\s*令|令\s*第?\s*(\d{3})\s*号|(?i:(?:decree|order)\s*(?:no\.?\s*)?(\d{3}))")),
    (
        "announcement",
        re.compile(
            r"(?:\d{4}\s*年\s*)?第?\s*(\d{1,3})\s*号\s*公告|公告\s*(?:\d{4}\s*年\s*)?第\s*(\d{1,3})\s*号"
            r"|\d{4}\s*年\s*第\s*(\d{1,3})\s*号(?!令)"
            r"|(?i:announcement\s*(?:\d{4}\s*)?(?:no\.?\s*)(\d{1,3})(?!\d)|announcement\s+(\d{1,3})\s+of\s+\d{4}"
            # "that 2023 No. 170 announcement", "No.194 notice"
            r"|\bno\.?\s*(\d{1,3})\s+(?:gacc\s+)?(?:announcement|notice)\b)"
        ),
    ),
    # "194号" alone: an announcement or a decree, whichever has that number.
    # "how long is 194 valid for?", "is 127 still in force": a number whose validity is asked
    (
        "number",
        re.compile(
            r"(?<![\d年第令〕\]）)])第?\s*(\d{2,3})\s*号(?![令公\d])"
            r"|(?i:\b(\d{3})\s+(?:still\s+)?(?:valid|in force|in effect|expired?|run out|ran out)\b)"
        ),
    ),
    # "2022年73号" alone (no 第, no kind): an announcement or a circular of that year
    ("year_number", re.compile(r"(?<![发〔\[])\d{4}\s*年\s*(\d{1,3})\s*号(?![令公\d])")),
    (
        "guobanfa",
        re.compile(
            _CIRCULAR.format("国办发") + r"|(?i:guo\s*ban\s*fa\s*[\[(]?\s*\d{4}\s*[\])]?\s*(?:no\.?\s*)?(\d{1,3}))"
        ),
    ),
    ("shuqifa", re.compile(_CIRCULAR.format("署企发"))),
    ("shujifa", re.compile(_CIRCULAR.format("署稽发"))),
)


def documents_in(text: str) -> set[str]:
    """The documents the text names by number, as "decree:251", "announcement:127", "guobanfa:8"."""
    out: set[str] = set()
    for kind, rx in _DOCUMENT_PATTERNS:
        for m in rx.finditer(text or ""):
            number = next((g for g in m.groups() if g), "")
            if number and kind == "number":
                out |= {f"decree:{int(number)}", f"announcement:{int(number)}"}
            elif number and kind == "year_number":
                out |= {f"{k}:{int(number)}" for k in ("announcement", "shuqifa", "shujifa", "guobanfa")}
            elif number:
                out.add(f"{kind}:{int(number)}")
    return out


def document_of_source(source_id: str) -> str:
    """The "kind:number" of a source id in ``knowledge/sources.yaml`` ("announcement_2023_127"), or ""."""
    m = re.fullmatch(r"(decree)_(\d+)|(announcement|guobanfa|shuqifa|shujifa)_\d{4}_(\d+)", source_id or "")
    if not m:
        return ""
    kind = m.group(1) or m.group(3)
    return f"{kind}:{int(m.group(2) or m.group(4))}"


# Any document named by number, for swapping it in a follow-up (core.knowledge.context.FAMILIES)
# and for telling that a line names one.
DOCUMENT_RE = re.compile("|".join(f"(?:{rx.pattern})" for _kind, rx in _DOCUMENT_PATTERNS))


# An article named by number: "第五条", "第二十九、三十条" (the first), "Art. 5", "Article 12".
ARTICLE_RE = re.compile(
    r"第\s*([一二三四五六七八九十百零〇两\d]+)\s*(?:、\s*[一二三四五六七八九十百零〇\d]+\s*)*条|(?i:\bart(?:icle)?s?\.?\s*(\d+))"
)


def articles_in(text: str) -> set[int]:
    """The article numbers the text names ("第五条" → {5}, "Art. 12" → {12})."""
    out: set[int] = set()
    for m in ARTICLE_RE.finditer(text or ""):
        n = chinese_to_int(m.group(1) or m.group(2) or "")
        if n:
            out.add(n)
    return out
