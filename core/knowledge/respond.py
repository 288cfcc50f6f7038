"""Answering a question in a conversation: the one entry point every channel's
action calls (and ``scripts/answer_eval.py`` measures), no Rasa import.

``respond(kb, text, lang, nlu, context)`` returns the reply and the new
context. In order: an empty line gets the greeting; nonsense and abuse the
polite redirect; an elliptical follow-up is resolved against the context
(``core/knowledge/context.py``); a named item or MRA partner gets that record;
then the answer units (``core/knowledge/units.py``) are ranked and, when one
clearly contains what is asked, the reply leads with it (both levels side by
side when the question names none and they differ), cites it, and offers the
topic summary and the full text as buttons; otherwise the intent's topic
answer, the topic buttons, or the redirect, as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from core.diagnosis import check
from core.diagnosis import flow as diagnosis_flow
from core.diagnosis.facts import WHAT_IF_RE, parse_facts, parse_financial, with_time_of
from core.knowledge import answers, smalltalk
from core.knowledge.answers import STANDARD_NAMES, Reply, citation_line
from core.knowledge.context import (
    AMONG_RE,
    ASPECT_RE,
    DATES_ASKED_RE,
    LEVEL_WORDS,
    LEVEL_WORDS_RE,
    MORE_RE,
    NOW_RE,
    PARTNER_LEVEL_RE,
    POINTER_RE,
    SAME_ITEM_RE,
    SOURCE_RE,
    STATUS_RE,
    SUBJECT_RE,
    THAT_LEVEL_RE,
    THEN_RE,
    WHAT_THEN_RE,
    WHICH_ITEM_RE,
    WHICH_ONES_RE,
    WHOLE_RE,
    Context,
    FollowUp,
    asks_about_rules,
    etype_in,
    follow_up,
    intro_end,
    is_short,
    level_in,
    levels_in,
    named_one,
    names_one,
    names_time_only,
    needs_context_text,
    resolve_level_pointer,
    swap_etype,
    swap_level,
    swap_part,
    with_both_standards,
    with_earlier_time,
    with_level_names,
)
from core.knowledge.search import KEntry, Knowledge
from core.knowledge.units import (
    LEVEL_OF_STANDARD,
    LIST_MARK,
    PARTIAL,
    QUERY_STOPWORDS,
    Ranked,
    Unit,
    UnitIndex,
    split_sentences,
    unit_tokens,
    units_for,
)
from core.standards.guidance import guidance_for
from core.text import (
    ARTICLE_RE,
    CHECK_EN,
    CHECK_ZH,
    DOCUMENT_RE,
    HEARSAY_EN,
    HEARSAY_ZH,
    MRA_WORDS,
    articles_in,
    as_claim,
    as_meant,
    cn_to_number,
    dates_in,
    detect_standard,
    document_of_source,
    documents_in,
    has_meaningful_text,
    is_hostile,
    is_leisure,
    parse_item_number,
    without_asker,
    without_situation,
)

POLICY_PREFIX = "ask_"
OTHER_MRA_TOPICS = {"ask_mra_benefits", "ask_aeo_code", "ask_inspection_rates", "ask_aeo_statistics"}
SPECIAL_INTENTS = {"ask_mra_partner", "ask_standard_item", "ask_my_level"}
SMALLTALK_INTENTS = {"greet", "help", "goodbye", "thank", "affirm", "deny", "bot_challenge"}
OFFTOPIC_INTENTS = {"out_of_scope", "chitchat"}
SMALLTALK_KEYS = {"greet": "greet", "help": "greet"}

# A unit is answered directly when it holds this share of the question's
# weighted words (its own text, plus half for its item / entry context) ...
CONFIDENT_SCORE = 0.4
# ... of which at least this share in its own sentence.
CONFIDENT_OWN = 0.3
# ... and at least this much weight of matched words (two real terms).
MIN_EVIDENCE = 2.5
OTHER_BUSINESS = 0.85  # a business-type standard's clause, the question naming no business of it
_BUSINESS_STANDARD = re.compile(r"单项|(?i:individual standard|business[- ]type)")
_ANY_BUSINESS = re.compile(r"检验检疫|(?i:inspection and quarantine|inspection (?:&|or) quarantine)")
WEAK_LEAD_SHARE = 0.85  # a sentence with the evidence, this close to one without, leads instead
CITED_CLAUSE = 0.75  # "which article?": a rule's clause this close to a lead from no rule answers instead
# When the intent model is this sure of a topic, a unit of another topic must
# be strong to be answered instead.
TRUSTED_INTENT = 0.5
STRONG_SCORE = 0.9
STRONG_OWN = 0.6
# A close second from another item or entry is shown too, down to this share of the best.
SECOND_SHARE = 0.7
OWN_LANGUAGE_SHARE = 0.75  # the question's language, for the same entry's sentence this close
TIE_SHARE, TIE_HOLDS_MORE = 0.98, 2.0  # a near tie is decided by holding twice as much of the question
TIE_LOW_OWN = 0.3  # … when the leading sentence holds less than this of it
BOTH_NAMED_SHARE = 0.5
SAME_LEVEL = 1.2
# An item clause that holds this share of the question answers it when the intent model
# is unsure of a topic elsewhere ("访客进厂有什么要求": the visitor clause, not internal control).
UNSURE_ITEM_OWN = 0.5
# A question naming a document ("按251号令", "127号公告"): that document's clauses gain,
# another document's of the same kind lose (chosen on dev).
NAMED_DOC_BONUS = 0.15
MENTION_SHARE = 0.5  # an entry that only mentions the document (194号 "接续127号公告") gains half
OTHER_DOC = 0.8
# A phrase the question quotes from a document ("培训材料里说有个'85%'", "what is the
# 'before 30 June of each year' report?"): the clause that holds it word for word.
QUOTED_BONUS = 0.15
ITEM_NAMED_BONUS = 0.1
_PHRASE = re.compile(r"\d|[\u4e00-\u9fff]{6}|(?i:[a-z]+\s+[a-z]+\s+[a-z]+)")
_QUOTED = re.compile(r"[‘“「『]([^’”」』]{2,60})[’”」』]|\"([^\"]{2,60})\"|(?<![A-Za-z])'([^']{2,60})'(?![A-Za-z])")
ARTICLE_BONUS = 0.1  # "第五条讲的什么": the clause that names article 5 (dev: follow-ups +1, detail -1)
# An item clause that holds less than this share of a broad question on its own
# topic gives way to the topic's summary.
BROAD_OWN = 0.4
# A clause of the other level's standard that matches this much better than
# anything of the named level answers "that level has no such item".
LEVEL_MISMATCH = 1.0
# A question the intent model puts off-topic needs more.
OFFTOPIC_SCORE = 0.8
# Below this, an off-topic (or fallback) reading of a short line in a conversation
# yields to the conversation: the line is read as a follow-up.
UNSURE_OFFTOPIC = 0.6
# Below this, a short line the model puts in the conversation's own topic continues the
# earlier question (chosen on dev).
SAME_TOPIC_UNSURE = 0.7
TOPIC_CLAUSE_OWN = 0.9
TOPIC_RIVAL_OWN, TOPIC_RIVAL_MARGIN = 0.6, 0.05  # a clause of the model's topic holding this much, and more
FAR_BETTER_OWN, FAR_BETTER = 0.6, 2.0
VERY_SURE = 0.8  # a topic the model is this sure of is not overruled by a clause from elsewhere
# A short line the model is this unsure of in every topic continues the conversation's question.
UNSURE_ANY = 0.4
# A follow-up line the model puts in another topic this surely weighs that topic beside the
# conversation's (chosen on dev).
LINE_TOPIC = 0.9

# Which span of time something covers ("内部审计报告要覆盖哪段时间", "which period does it cover?"): a
# detail, though not a length of time
# (English "which period" is already a duration word's)
_SPAN_Q = re.compile(r"(?:哪|什么)(?:一)?(?:段|个)?(?:时间段|期间|时段)|哪段时间")
_DURATION_Q = re.compile(
    r"(?<![这前过那近])(?:几年|几个月|几天)|多久|多长|多少(?:个月|年|天)|期限|时限|有效期"
    r"|(?i:how long|how many (?:years|months|days)|period|look-?back|look back|retention days|(?<!these )(?<!those )\bdays\?)"
)
# How far back an item's record is looked at ("how far back do they look?", "往前查几年")
_LOOKBACK_Q = re.compile(
    r"往前(?:看|查|追|算)|回溯|追溯期|(?:几|多少)年(?:以)?内|多(?:长时间|久)(?:以)?内"
    r"|按多长时间算|统计(?:周期|期间)"
    r"|(?i:how far back|look(?:s|ing|ed)?[- ]back|lookback|within how (?:long|many)"
    # "and over what period is that counted?"
    r"|\b(?:over|in|within|during|for) what (?:period|time ?frame|window|span)\b)"
)
_DATE_WORDS = r"哪天|哪一天|什么时候|何时|日期|哪年|几月|几号"  # a date asked, in Chinese
_DATE_Q = re.compile(_DATE_WORDS + r"|(?i:\bwhen\b|\bdate\b|\bsince\b|effective|deadline)")
# A standard asked what it says on one subject ("对……有什么要求", "say about")
_STRUCTURE_TOPICS = ("standard_advanced_structure", "standard_certified_structure")
# The topics that describe one level, and that level
_LEVEL_OF_TOPIC = {"level_advanced_certified": "advanced", "level_certified": "certified"}
_LEVEL_TOPICS = tuple(POLICY_PREFIX + t for t in _LEVEL_OF_TOPIC)
# a figure a clause sets, not a count of items ("how many requirements … in total" is the structure's)
_FIGURE_Q = re.compile(
    r"比例|比率|上限|下限|最低|最高|门槛|(?i:\b(?:ratios?|rates?|limits?|thresholds?|floor|ceiling|cap|minimum|maximum|percent(?:age)?)\b)"
)
_LEVEL_OF_STRUCTURE = dict(zip(_STRUCTURE_TOPICS, ("advanced", "certified"), strict=True))
_SAYS_ABOUT = re.compile(
    r"对.{1,15}(?:有什么|有啥|有哪些|怎么)(?:要求|规定)|关于.{1,15}(?:的)?(?:要求|规定)|(?i:\b(?:say|says|said|require|requires|rules?)\s+(?:about|on|regarding|for)\b)"
    r"|(?i:\bitem\s+(?:look|looks)\s+at\b)|(?:那|这)一?项(?:看|考核|考察)(?:什么|哪些|啥)"
)
_NUMBER_Q = re.compile(
    r"多少|(?<!第)几[项条个次票]|比例|上限|下限|最低|最高|门槛|标准是|(?i:how many|how much|\b(?:ratios?|rates?|limits?|thresholds?|minimum|maximum|max|min|percent(?:age)?|proportion)\b|\bwhat share\b)"
    # (a whole word: not the "rate" of "rated", "cooperate", "corporate", "separate")
)
# (a period, not a date: "20日内", "3个月", but not the "2026年4月1日" of a date)
_DURATION_U = re.compile(
    r"(?<![\d月])\d{1,3}\s*(?:个)?(?:年(?!\d{1,2}月)|月(?!\d{1,2}日)|日|天)|[一二两三四五六七八九十]+(?:个)?(?:年|月)|(?i:\d+ (?:(?:consecutive|full|calendar|working) )?(?:years?|months?|days?))"
)
_DATE_U = re.compile(
    r"\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}|(?i:(?:january|february|march|april|may|june|july|august|september|october|november|december) \d)"
    r"|(?i:\b\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|december)\b)"
)
_NUMBER_U = re.compile(r"\d")
_TIMES_Q = re.compile(
    r"几次|多少次|(?i:how many times|how many (?:customs |administrative )?(?:penalties|fines|violations))"
)
# "封条要达到什么标准": the outside standard a clause names ("PAS ISO 17712"), which that clause answers
_SPEC_Q = re.compile(
    r"(?:符合|达到|满足|遵循|执行|按照?|参照|用)(?:个)?(?:什么|哪个|哪种|哪一?个|啥)(?:样的)?(?:标准|规格|规范)"
    r"|(?i:\b(?:what|which) (?:standard|spec|specification)s?\b|\b(?:meet|comply with|conform to|follow) (?:what|which)\b)"
)
_NAMES_SPEC = re.compile(r"(?i:\b(?:ISO|GB(?:/T)?|IEC)\s?\d{4,})")
_TIMES_U = re.compile(r"\d+\s*次|[一二两三四五]次|(?i:\d+ times|at most \d+ (?:customs )?penalt)")
# "多久评一次", "how often": a frequency, which a period ("3年内") does not answer.
_OFTEN_Q = re.compile(
    r"多久.{0,4}一次|多长时间.{0,4}一次|几年一次|每隔多久|频率|(?i:how often|how frequently|frequency)"
)
_OFTEN_U = re.compile(
    r"每年|每季|每月|每半年|每\s*\d+\s*(?:个)?(?:年|月)|一年一次|至少.{0,4}一次"
    r"|(?i:annual|once a year|every (?:year|quarter|month)|every \d+ (?:years|months)|each year|at least once)"
)
_HOW_Q = re.compile(
    r"怎么|如何|规定了什么|有哪些规定|规定是什么|(?i:\bwhat did .{0,30}\bsay\b)|流程|步骤|程序|(?i:\bhow (?:do|to|can|does|should)\b|\bsteps?\b|procedure|process)"
)
# "有什么好处", "what are the benefits": all of them.
_BENEFITS_Q = re.compile(
    r"有(?:什么|啥|哪些)(?:好处|便利|优惠|益处|用)|(?:好处|便利|优惠)(?:有哪些|是什么|有什么)"
    r"|(?i:\bwhat (?:are the |is the )?(?:benefits?|advantages?|perks?)\b|\bwhat do (?:we|i) get\b|\bbenefits? (?:of|from)\b)"
    # "So what actually changed between Decree 251 and Decree 282?": every change the summary lists
    r"|(?:有什么|有哪些|有啥|主要)(?:变化|区别|不同)|改了(?:什么|啥|哪些)"
    r"|(?i:\bwhat (?:actually |really )?(?:has )?changed\b|\bwhat(?:'s| is| are) (?:new|different)\b|\bmain (?:changes|differences)\b)"
)
# "What are the other bonus items?", "还有哪些": every member of the list, not the one that matched.
_ALL_Q = re.compile(
    r"还有哪些|其他(?:的)?(?:几|哪)|都有哪些|都有啥|都有什么|全部|所有|主要变化|改了什么|改了啥|有(?:什么|啥)(?:变化|区别|不同)|(?i:\bwhat are the other\b|\bthe others?\b|\ball (?:the|of the)\b|\bfull list\b|\bwhat(?:'s| has| have)? changed\b|\bmain changes?\b)"
)
# "那申请下来大概需要多久", "how long until it's approved": the wait for the application's decision
_WAIT_Q = re.compile(
    r"(?:申请|批|认证|审批|审核)下来.{0,8}(?:多久|多长|几个月|几天|时间)"
    r"|(?i:how long (?:does|will|would) (?:it|the application) take to (?:get )?(?:approved?|certified)|how long until (?:it'?s|we'?re) (?:approved|certified))"
)
_ASPECTS = (
    ("wait", _WAIT_Q),
    ("duration", _DURATION_Q),
    (
        "materials",
        re.compile(r"材料|资料|证明|准备什么|带什么|(?i:documents?|materials?|papers|what do (?:i|we) need)"),
    ),
    (
        "steps",
        re.compile(
            r"流程|步骤|程序|怎么办|怎么申请|如何申请|怎么开始|从哪(?:里|儿)?(?:开始|入手|着手)|第一步"
            r"|(?i:steps?|procedure|process|how do (?:i|we) apply|(?:get|getting) started|where (?:do|should) (?:i|we) (?:start|begin)|first step)"
        ),
    ),
)
# A longer line that asks what a named item says ("第18项规定了什么", "what does item 73 say").
_ITEM_TEXT_Q = re.compile(
    r"说(?:的)?(?:是)?什么|讲(?:的)?(?:是)?什么|什么要求|要求(?:是)?什么|规定(?:了)?什么|什么内容|怎么规定"
    r"|(?i:what does (?:it|item \d+|that item|this item) (?:say|require)|what(?:'s| is) (?:in )?item \d+|what is required)"
)
_ARTICLE_Q = re.compile(r"第[一二三四五六七八九十百\d]+条|号令|令第|(?i:decree|article|\bart\.)")


def _names_subject(text: str) -> bool:
    """Beside its aspect ("多久", "what documents"), the line names two or more words of a subject."""
    rest = ASPECT_RE.sub("", text)
    rest = re.sub(r"[\W_]|^那|呢|吗|是|要|的|一次|几次|(?i:\b(?:how|what|is|it|the|a|an|do|does|are)\b)", "", rest)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2 or len(re.findall(r"[A-Za-z]{4,}", rest)) >= 2


# "这两个国家", "该国", "these countries": the partner(s) the conversation is on
_THESE_PARTNERS = re.compile(
    r"这(?:两|几|些)?个?(?:国家|经济体|国)|该国|两国|(?i:\b(?:these|those|both|the two|this|that) (?:countries|country|economies|economy|partners?)\b)"
)
PARTNER_LINE = 30  # "对了 韩国那边认不认 啥时候开始的" in a conversation about partners: that partner
# "签署是哪天", "实施是哪天" after a partner answer: a date of that partner's arrangement
_PARTNER_DATE_Q = re.compile(
    answers.SIGNED_Q.pattern
    + rf"|实施|生效|{_DATE_WORDS}|^\s*(?:那|那么)?时间呢"
    + r"|(?i:\bdates?\b|\bwhat year\b|\bin effect\b|\beffective\b|\bwhen\b(?!\s+(?:the|our|we|they|it|you|goods|shipments?|an?|importing|exporting)\b)|\bimplemented\b|\bin force\b|\btaken effect\b)"
)
# a question on credit repair (the lay words of its group in knowledge/synonyms.yaml)
_REPAIR_Q = re.compile(
    r"修复|恢复信用|洗白|(?i:\brepair|\brestor|rehabilit|clear (?:our|the) record|off the blacklist|\bclean (?:that|it|up|our)\b)"
)
REPAIR_NOT_ASKED = 0.8
_REPAIR_WORDS = frozenset({"修复", "信用修复", "repair", "repaired", "repairs", "restor", "rehabilitation", "恢复"})
PERIOD_TIE = 0.9  # a second ground's repair period this close: the question names no one ground
_WHICH_ARTICLE_Q = re.compile(r"第几条|哪一?条|(?i:which article)")
# the clause that asks only for the article ("，是第几条规定的", "and which article says so"), which the
# clause's own sentence never holds: the rest of the line is what its words are weighed against
_ARTICLE_CLAUSE = re.compile(
    r"[，,、\s]*(?:这|那|它|这个|那个)?(?:是|在)?(?:哪个文件)?(?:的)?(?:第几条|哪一?条)(?:规定的?|里|写的)?[呢吗啊？?。\s]*$"
    r"|(?i:[,;.?\s]*(?:and\s+)?(?:in\s+)?which\s+article(?:\s+(?:says?\s+(?:so|that|this)|is\s+(?:that|it|this)))?[?.\s]*$)"
)
# "公告号是多少", "which announcement was that?" after a partner answer: that partner's own
# implementation announcement (its answer names it), not the announcements of partners in general
_PARTNER_NOTICE_Q = re.compile(r"公告|文号|(?i:\bannouncement\b|\bnotice\b)")
_EFFECT_Q = re.compile(
    r"效果|好处|影响|作用|成效|(?i:(?<!\bin )\beffects?\b|\b(?:impact|benefits?|results?|difference)\b)"
)
# "失信信息分成几类，是哪几类": the categories something is sorted into (what a clause lists)
_KINDS_Q = re.compile(
    r"(?<!第)几[类种]|哪(?:几|些)[类种]|(?i:\bhow many (?:kinds|types|categories|classes)\b|\bwhat (?:kinds|types|categories|classes)\b)"
)
# (not a clause that opens with "有几项" and tells: "有几项我们业务根本不涉及，自评选“不适用”会不会被扣分？")
_COUNT_Q = re.compile(
    r"(?<![第有])几[项条]|(?<=[^，,。；;\s])有几[项条]|有几[项条](?=[^，,。；;！!]*(?:[？?]|$))|多少[项条]"
    r"|(?i:how many items|number of items|how many .{0,30}items)"
)
# "no period is set" is said only when the clause covers the question this well.
NO_PERIOD_OWN = 0.7
# ("3 basically-met items"; not "2026 items", a year)
_COUNT_U = re.compile(r"(?<!第)\d+\s*[项条类]|(?i:\b(?!(?:19|20)\d\d\b)\d+ items)")
# A dimension's summary counts its parts: "场所5项、人员4项", "premises 5 (…), personnel 4 (…)".
_SUMMARY_U = re.compile(_COUNT_U.pattern + r"|(?i:\b[a-z]+ \d+ \()")
# "单项标准分几类", "企业分几类": a number of classes or levels ("分4类业务", "分为五级")
_CLASSES_Q = re.compile(
    r"几类|多少类|分几[级种]|几个[^，,。？?]{0,4}(?:等级|级别)"  # not "要几级" (which grade)
    # "单项标准现在还是按10类业务设置的，对吗": a number of classes, checked
    # (not "251号令那会儿企业就分三类，……剩下那类叫啥名", a count said in passing)
    r"|按\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,2})\s*(?:类|大类|个(?:业务)?领域)"
)
_CLASSES_U = re.compile(r"(?<!第)(?:\d+|[一二两三四五六七八九十]{1,2})\s*[类级种]")
# "至少要几级", "what grade do we need at least": the lowest grade a clause requires ("B以上")
_GRADE_Q = re.compile(
    r"(?:至少|最低|起码|最少)[^，,。？?]{0,6}几级|什么(?:等级|级别)以上|几级以上|(?:达到|要求|需要|得|要)(?:哪一?级|什么(?:等级|级别))"
    r"|(?i:\b(?:what|which|minimum|lowest) (?:credit )?grade\b|\bgrade (?:do|does|must|should)\b)"
    # "AEO认证要求B级以上，是吗": the grade required, checked
    r"|(?:要求|需要|得|要|至少)\s*[A-D]\s*级?(?:以上|及以上|或以上)"
)
_GRADE_U = re.compile(
    r"(?<![A-Za-z])[A-D]级?(?:以上|及以上|或以上)|(?i:\b(?:grade )?[A-D] or (?:above|higher|better)\b)"
)
# The kind of thing asked (a period, a date, a figure, a count, a number of times): a clause
# that holds one gets the bonus, one that does not the malus. A count question leaves clauses
# without a count well behind (chosen on dev).
# "能加几分", "how many points does each add?": a clause that gives points.
# "加分项有哪些？专精特新算不算": the list is asked, with one member
# "附加标准具体是哪些": the members, which a sentence that opens a list introduces ("……各有6项附加标准：")
_MEMBERS_Q = re.compile(
    r"哪些|哪几(?:项|个|条)|(?i:\bwhich ones\b|\bwhat are (?:they|those|these)\b|\blist (?:them|those|these|all)\b)"
)
MEMBERS_BONUS = 0.06  # (a list of several members; more do not weigh more)
_HOW_MANY = re.compile(r"多少个|几个|(?i:\bhow many\b)")
_LIST_ASKED = re.compile(r"有哪些|有啥|有什么|哪几|(?i:\bwhat are\b|\bwhich (?:are|ones)\b|\blist\b)")
_POINTS_Q = re.compile(
    r"几分|多少分|(?i:how many points|\bpoints? (?:does|do|is|are|for)\b|\bscore[sd]? (?:for|of)\b"
    r"|\bpoints?\b.{0,40}\bhow (?:many|much)\b)"
)
_POINTS_U = re.compile(r"[+-]?\d+\s*分|(?i:[+-]\d+\b|\b\d+ points?\b)")
# "那进口的时候呢，填在哪" after the export answer: the clause about importing, not the one whose
# "进口商" (importer) only names the buyer abroad; and the other way round.
_IMPORT_Q = re.compile(r"^(?!.*(?:出口|(?i:export))).*(?:进口(?!商)|(?i:\bimport(?!ers?\b)))")
_IMPORT_U = re.compile(
    r"进(?:出)?口(?!商)|进(?:出)?境|(?i:\bimport(?!ers?\b)|\binbound)"
)  # "进出口" is import too, as it is export
_EXPORT_Q = re.compile(r"^(?!.*(?:进口|(?i:import))).*(?:出口(?!商)|(?i:\bexport(?!ers?\b)))")
_EXPORT_U = re.compile(r"出口(?!商)|出境|(?i:\bexport(?!ers?\b)|\boutbound)")
# "负债率超了 是不是直接没戏了": one indicator missed, which the item's scoring rule
# ("2项及以上符合为达标；仅1项为基本达标") answers
_MISSED_ONE_Q = re.compile(
    r"超了|超标|没达到|达不到|没戏|还能(?:算)?(?:达标|过|通过)|过不了|(?:直接|是不是|就)就?挂(?:了|掉)|(?i:\b(?:we|our)\b.{0,30}\b(?:exceed|missed|fail|is over|are over)\w*"
    r"|\bstill (?:pass|meet|qualify|be compliant|count as compliant)\b)"
)
_SCORING_RULE_U = re.compile(r"项及以上|仅1项|(?i:\b(?:2|two) or more\b)")
# "我们公司就3个报关员，这个加分项怎么算": a headcount, which a clause's minimum ("不足5人的不适用") answers
_HEADCOUNT_Q = re.compile(
    r"\d+\s*(?:个|名|位)?(?:报关员|报关人员|关务人员|员工|人)|(?i:\b\d+\s+(?:customs\s+)?(?:declarants|brokers|staff|people|employees)\b)"
)
_HEADCOUNT_U = re.compile(r"不足\s*\d+\s*人|(?i:\b(?:fewer|less) than \d+\b)")
# A line with question words of its own ("需要多久", "what documents?"), not a bare "X呢" / "what about X?"
_OWN_QUESTION = re.compile(
    r"什么|啥|怎么|怎样|如何|多少|多久|多长|几|哪|吗|是否|有没有|能不能|要不要|可不可以"
    r"|(?i:\b(?:how|which|when|why|who|where|does|do|is|are|can|should|must)\b|\bwhat\b(?! about))"
)
# "基本达标的项目最多能有几个？", "at most how many?": a maximum, which a clause's "不超过3项" gives
_MAX_Q = re.compile(
    r"最多(?:能|可以|允许|只能)?有?(?:几|多少)|至多(?:几|多少)|上限是?(?:几|多少)"
    r"|(?i:\bat most how many\b|\bmaximum (?:number|count)\b|\bhow many\b[^?.!]{0,40}\bat most\b)"
)
# "不能委托什么信用等级的报关企业": what is ruled out, which a clause that forbids it states ("未委托……失信企业")
_BARRED_Q = re.compile(
    r"不能|不得|不可以|不允许|不准|不许|禁止|(?i:\b(?:cannot|can't|must not|mustn't|may not|not allowed to)\b)"
)
_BARRED_U = re.compile(r"未(?!超过|达到|满)|不得|不能|禁止|(?i:\b(?:must not|may not|has not|have not|never)\b)")
# "申请信用修复要准备哪些材料", "what documents do we need": the clause that lists documents
_PAPERS_Q = re.compile(
    r"(?:哪些|什么|啥|几样|几种)(?:申请)?(?:材料|资料|文件|证明|单据)|(?:准备|提交|提供|递交)(?:哪些|什么|啥)"
    r"|(?i:\b(?:what|which) (?:documents|papers|paperwork|evidence)\b|\bwhat (?:do|should|must) we (?:submit|provide|file|hand in)\b)"
)
_PAPERS_U = re.compile(r"申请书|证明|报告|决定书|(?i:\b(?:application|proof|certificate|decision|report)\b)")
_MAX_U = re.compile(r"[≤≦]\s*\d|不超过\s*\d|最多\s*\d|至多\s*\d|(?i:\b(?:at most|no more than|not more than|up to) \d)")
# "公司成立才8个月，内部审计报告怎么交": a young enterprise, which a clause's "成立不满1年的" answers
_YOUNG_Q = re.compile(
    r"成立(?:才|刚|不到|不满|没满|未满|还没满|还不满|还不到|还未满)|刚成立|新成立|新设立|刚注册|成立[^，,。？?]{0,4}(?:个月|半年)"
    r"|(?i:\b(?:newly|recently|just) (?:set up|established|founded|incorporated|registered)\b"
    r"|\b(?:set up|established|founded|incorporated)\b[^.?!]{0,30}\b(?:months?|weeks?) ago\b"
    r"|\bless than (?:a|one|1) year old\b)"
)
_YOUNG_U = re.compile(r"成立不满|自成立以来|(?i:\bestablished less than\b|\bsince its establishment\b)")
# "……被认定为失信企业了，会影响我们申请认证吗": what it does to the application is a clause's verdict
_IMPACT_Q = re.compile(
    r"影响|拖累|连累|有啥后果|什么后果|(?i:\b(?:affects?|hurts?|harms?|count against|counts against|impact on)\b)"
)
# A question that asks of what the line told: a pronoun pointing into it, or whether it has an effect
# ("现在申请认证会受影响吗" after "18个月前有一笔滞纳金过了期限才交")
_OF_THE_STORY = re.compile(f"{POINTER_RE.pattern}|{_IMPACT_Q.pattern}")
# (or a standard's condition over a look-back window, "2年内未委托……": what makes it count)
_VERDICT_U = re.compile(
    r"视为不达标|视为达标|不达标|\d年内(?:海关)?(?:未|无|没有)"
    r"|(?i:deemed (?:non-)?compliant|\bnon-compliant\b|\bnot met\b|\bwithin \d years?,? (?:no|not|has not|did not)\b)"
)
_ASKED_KINDS = (
    (_IMPACT_Q, _VERDICT_U, 0.08, 0.0),
    (_MISSED_ONE_Q, _SCORING_RULE_U, 0.08, 0.0),
    (_HEADCOUNT_Q, _HEADCOUNT_U, 0.25, 0.0),
    (_YOUNG_Q, _YOUNG_U, 0.25, 0.0),
    (_MAX_Q, _MAX_U, 0.25, 0.0),
    (_BARRED_Q, _BARRED_U, 0.05, 0.0),
    (_PAPERS_Q, _PAPERS_U, 0.05, 0.0),
    (_DURATION_Q, _DURATION_U, 0.08, -0.04),
    (_DATE_Q, _DATE_U, 0.08, -0.04),
    (_NUMBER_Q, _NUMBER_U, 0.08, -0.04),
    (_COUNT_Q, _COUNT_U, 0.25, -0.4),
    (_CLASSES_Q, _CLASSES_U, 0.25, -0.4),
    (_GRADE_Q, _GRADE_U, 0.25, -0.04),
    (_TIMES_Q, _TIMES_U, 0.12, -0.06),  # (set 45: "how many customs penalties … and a money cap?")
    (_OFTEN_Q, _OFTEN_U, 0.25, -0.04),  # a frequency is rarely written near the question's words (dev)
    (_POINTS_Q, _POINTS_U, 0.25, -0.04),
    (_IMPORT_Q, _IMPORT_U, 0.08, -0.04),
    (_EXPORT_Q, _EXPORT_U, 0.08, -0.04),
)


# "现场认证的时候，海关一般怎么核查我们的信息系统", "how will the officers check our seals?"
_CHECK_Q = re.compile(
    r"海关.{0,8}(?:核查|检查|查看|审核|验证|查)|现场(?:认证|核查|检查|审核|会)|现场(?:看|查)(?=.*(?:怎么|如何|哪些|什么|啥))|(?:怎么|如何)(?:核查|验证)"
    r"|核查(?:什么|哪些|方式|方法)"
    r"|(?i:\bhow (?:will|do|does|would) (?:the )?(?:customs|officers?|auditors?|they)(?: \w+){0,2} (?:check|verify|inspect|audit|test|look)"
    r"|\bon-?site (?:audit|check|visit|verification|inspection)|\bwhat (?:will|do|does) (?:the )?(?:customs|officers?|auditors?) "
    r"(?:\w+ ){0,2}(?:check|verify|inspect|look at|ask for|want to see))"
)
GUIDANCE_ASKED = 1.2
_TOLD_CHECK = re.compile(r"(?:核查|检查|查看|审核|验证|查)(?:了|过)|(?i:\b(?:checked|inspected|audited|verified)\b)")


@functools.lru_cache(maxsize=1024)
def _check_asked(text: str) -> bool:
    """The line asks how customs checks: not when it only tells what customs checked ("海关一年检查了我们
    100多票报关单，……查获率是怎么要求的")."""
    if not _CHECK_Q.search(text):
        return False
    clauses = [c for c in answers.CLAUSES.split(text) if c]
    said = [c for c in clauses if _CHECK_Q.search(c)]
    if said and not any(answers.ASKING_CLAUSE.search(c) for c in said) and _asks_requirement(clauses, said):
        return False
    return not said or not all(_told_check(c) and not answers.ASKING_CLAUSE.search(c) for c in said)


# "下周去企业现场核查贸易安全，高级认证标准对……规定的是什么方法？": the officer's own check is the occasion,
# and another clause asks what the standard requires (not how it is checked: "……，信息系统那项一般怎么查？")
_ASKS_REQUIREMENT = re.compile(
    r"(?:标准|条文|规定)[^，,。？?]{0,20}(?:什么|哪|怎么要求|怎么认定|多少)|规定的是|怎么要求|怎么认定|对照哪"
    r"|哪(?:个|项|条)[^，,。？?]{0,6}标准"
)
_ASKS_HOW_CHECKED = re.compile(r"(?:怎么|如何|一般)(?:查|核|看|检|审)|(?:查|看|核|审)(?:什么|哪)")


def _asks_requirement(clauses: list[str], said: list[str]) -> bool:
    others = [c for c in clauses if c not in said and answers.ASKING_CLAUSE.search(c)]
    return any(_ASKS_REQUIREMENT.search(c) for c in others) and not any(_ASKS_HOW_CHECKED.search(c) for c in others)


def _told_check(clause: str) -> bool:
    """The clause tells what customs did: "检查了", or to the enterprise itself ("海关稽查刚给我们追征了15万税款")."""
    return bool(_TOLD_CHECK.search(clause) or (_OWN_CLAUSE.search(clause) and _DONE.search(clause)))


_DONE = re.compile(r"刚|已经|了|(?i:\b(?:just|already|has|have|had)\b)")


NAMED_CHECK_OWN = 0.5  # the item a "how will customs check X" line names holds this much of X
# "新的那个", "the new one": the rule that replaced the one the conversation is on
_NEWER_ONE = re.compile(
    r"新的(?:那个|那份|那条|公告|规定|文件)?|现行的那个|后来的那个|后续的那个|接替的那个"
    r"|(?:现在|目前|现行)(?:的|这个|那个)?(?:公告|规定|文件)"  # "现在这个公告有效到哪天" after the old practice
    r"|(?i:\bthe (?:new|newer|current|replacement|later) (?:one|announcement|rule|notice)\b|\b(?:its|the) successor\b)"
)
_SUCCESSOR = re.compile(r"后续|接续|取代|替代|(?i:successor|replaced by|superseded by)")
_UNKNOWN = re.compile(r"尚未核实|未核实|尚未取得|(?i:not (?:been )?verified|have not been|has not been)")
_CIRCLED = re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]")
# a figure, not a decree's or announcement's number ("3个月", "千分之一", "100万元", "1 per mille")
_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|‰|个月|月|年|日|天|次|万|元|项|分)|千分之|万分之|百分之|(?i:per mille|per cent|percent|\bRMB\b|\d+ (?:months?|years?|days?|times))"
)


@dataclass
class NLU:
    """What the intent model said about the message (empty when unknown)."""

    intent: str = ""
    confidence: float = 0.0
    ranking: list = field(default_factory=list)  # [(intent, confidence)]
    entities: list = field(default_factory=list)  # [{"entity", "value"}]

    def topics(self, floor: float = 0.0) -> list:
        return [
            (n[len(POLICY_PREFIX) :], c)
            for n, c in self.ranking
            if n.startswith(POLICY_PREFIX) and n not in SPECIAL_INTENTS and c >= floor
        ]

    def values(self, entity: str) -> list:
        return [e.get("value") for e in self.entities if e.get("entity") == entity and e.get("value")]


# ---------------------------------------------------------------- nonsense

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_TAG_WORDS = re.compile(rf"{CHECK_ZH}|是吗|是不是|真的吗|(?i:\b(?:{CHECK_EN}|false|or|not)\b)")


def is_nonsense(text: str) -> bool:
    """A run of one repeated character, keyboard mashing, or punctuation only."""
    t = re.sub(r"\s+", "", text or "")
    if not t:
        return False
    if not has_meaningful_text(t):
        return True
    core = re.sub(r"[\W_]", "", t)
    if len(core) >= 3 and len(set(core)) <= 2 and len(core) >= 3 * len(set(core)):
        return True  # 高高高高, 哈哈哈哈, aaaa
    # Keyboard mashing, word by word ("asdfgh jkl"); a sentence of real words
    # ("and after we're certified?") has "wer" and "ert" in it too, but in separate words.
    # A tag asking whether it is right ("asdf qwer 对吗?? zxcv true or not") does not make it a question.
    text = _TAG_WORDS.sub(" ", text or "")
    core = re.sub(r"[\W_]", "", text)
    words = re.findall(r"[a-z]+", text.lower())
    if words and re.fullmatch(r"[a-z]+", core.lower()):
        long = [w for w in words if len(w) >= 4]
        return all(_mashed(w) for w in words if len(w) >= 3) and (any(len(w) >= 5 for w in long) or len(long) >= 2)
    return False


def _mashed(word: str) -> bool:
    rows = sum(1 for i in range(len(word) - 2) for r in _KEYBOARD_ROWS if word[i : i + 3] in r)
    vowels = sum(1 for ch in word if ch in "aeiou")
    return rows >= 2 or vowels == 0 or vowels / len(word) < 0.15


# ---------------------------------------------------------------- rendering


def _unit_header(kb: Knowledge, unit: Unit, lang: str) -> str:
    if unit.standard:
        names = STANDARD_NAMES.get(unit.standard, {"zh": unit.standard, "en": unit.standard})
        bonus = ("附加标准-" if lang == "zh" else "additional (bonus) item: ") if unit.additional else ""
        label = f"（{bonus}{unit.label}）" if unit.label else ""
        if lang == "zh":
            return f"{names['zh']}第{unit.item_number}项{label}："
        version = "our translation" if unit.lang == "en" else "Chinese original"
        return f"{names['en']}, item {unit.item_number} ({bonus}{unit.label}; {version}): "
    return ""


def _guidance_citation(units: list[Unit], lang: str) -> str:
    """One source line for our guidance on the items it was given for."""

    def name(u: Unit) -> str:
        return STANDARD_NAMES.get(u.standard or "", {"zh": "", "en": ""})[lang]

    if lang == "zh":
        items = "、".join(f"{name(u)}第（{u.item_number}）项" for u in units)
        return f"来源：本助手编写的核查与改进指引（非海关官方说明），对应{items}。"
    items = ", ".join(f"item ({u.item_number}) of the {name(u)}" for u in units)
    return f"Source: this assistant's own check and improvement guidance (not official customs text), for {items}."


def unit_citation(kb: Knowledge, unit: Unit, lang: str, today: dt.date | None = None) -> str:
    if unit.kind == "guidance":
        return _guidance_citation([unit], lang)
    if unit.entry_id and unit.entry_id in kb.entries:
        return citation_line(kb, kb.entries[unit.entry_id], lang, today)
    c = unit.citation or {}
    src = kb.sources.get(str(c.get("source") or ""), {})
    title = src.get(f"title_{lang}") or str(c.get("source") or "")
    article = (c.get("article") or {}).get(lang, "") if isinstance(c.get("article"), dict) else ""
    eff_from, eff_to = c.get("effective_from") or src.get("effective_from"), c.get("effective_to")
    return answers.format_citation(lang, title, article, eff_from, eff_to, superseded=bool(eff_to))


def caveat_line(units: list[Unit], lang: str) -> str:
    """One short line for unverified or repealed content, with where to confirm."""
    zh = lang == "zh"
    reasons = []
    if any(u.superseded and not u.draft for u in units):  # (a draft's citation says it was never in force)
        reasons.append("以上含已废止的规定" if zh else "this includes a repealed rule")
    if any(u.kind == "guidance" for u in units):
        reasons.append("现场核查方式以海关实际要求为准" if zh else "customs decides how it actually checks on site")
    if any(not u.verified and u.kind != "guidance" for u in units):
        if any(u.standard for u in units):
            reasons.append(
                "标准条文取自第三方转录，未经官方文本核实"
                if zh
                else "the standard text is an unverified transcription"
                + (
                    "; the English is our unofficial translation"
                    if any(u.standard and u.lang == "en" for u in units)
                    else ""
                )
            )
        else:
            reasons.append("内容未经官方文本核实" if zh else "not verified against the official text")
    return confirm_line(reasons, lang)


def confirm_line(reasons: list[str], lang: str) -> str:
    """ "提示：<reasons>，请以12360热线……为准。", or "" without reasons."""
    if not reasons:
        return ""
    if lang == "zh":
        return "提示：" + "，".join(reasons) + "，请以12360热线、credit.customs.gov.cn或主管海关的答复为准。"
    return "Note: " + "; ".join(reasons) + ". Confirm with 12360, credit.customs.gov.cn or your customs office."


# ---------------------------------------------------------------- ranking


# "282号令跟251比 到底改了啥": the two decrees compared is not a question about the old one.
_BOTH_DECREES = re.compile(r"282.{0,12}251|251.{0,12}282")
_COMPARED = re.compile(r"比|对比|区别|变化|改了|不同|(?i:\bvs\b|versus|compar|differ|chang)")


def _is_old(u: Unit) -> bool:
    return u.law == "251" or bool(u.superseded)


def _new_rule_first(text: str) -> bool:
    """ "新的信用管理办法是哪天公布的？名字跟原来251号令那个一样吗": the first clause that asks names the
    rule in force in words, and the old rule comes after it (not "以前251号令的时候几年复核一回？现在新办法
    还是这样吗", which asks the old figure first)."""
    asking = [c for c in answers.CLAUSES.split(text) if answers.ASKING_CLAUSE.search(c)]
    return bool(asking) and bool(answers.NEW_RULE.search(asking[0])) and not answers.OLD_RULE_MARKERS.search(asking[0])


# "how many business types versus the old ten?", "比起以前的10类": the old rule as the baseline of a
# question about now
_OLD_AS_BASELINE = re.compile(
    r"(?i:\b(?:versus|vs\.?|compared (?:with|to)|as against|relative to)\s+(?:the\s+)?(?:old|previous|former)\b)"
    r"|(?:相比|比起|对比)(?:以前|之前|旧|老|原来)"
)


def _wanted_old(text: str) -> bool:
    compared = _BOTH_DECREES.search(text or "") and _COMPARED.search(text or "")
    rest = _OLD_AS_BASELINE.sub(" ", text or "")
    if not answers.OLD_RULE_MARKERS.search(rest) or compared or _new_rule_first(text or ""):
        return False
    return not answers.old_only_recalled(text)


_NEAR = {
    "count": re.compile(r"^\W{0,2}共?\d+\s*项"),
    "number": re.compile(r"^.{0,14}?(?:≤|≥|＞|<|>|不超过|不低于|以上|以下|达到)?\s*\d"),
    "define": re.compile(r"^\W{0,2}(?:是|指|即|就是)|^(?i:\s+(?:is|are|means|refers to)\b)"),
}
# "海关说的信用培育到底是个啥", "what is credit cultivation?": the sentence that says what it is
_DEFINE_Q = re.compile(
    r"(?:是什么|是啥|是个啥|啥意思|什么意思|指什么|是指什么)(?:东西|意思)?[呢啊呀吗]?[？?。！!\s]*$"
    r"|^(?i:\s*(?:what(?:'s| is| are) (?:an? |the )?(?:so-called )?[a-z\s-]{3,40}|what does [a-z\s-]{3,40} mean)\s*\?*\s*$)"
)


# "1年内有进出口活动": the asked period right before the asked subject
_PERIOD_BEFORE = re.compile(r"\d+\s*(?:个)?(?:年|月|日|天)(?:内|以内)(?:有|无|没有|未)?$")


def _near_bonus(u: Unit, text: str, subjects: list[str]) -> float:
    """The asked figure stands right after the asked subject ("认证企业标准62项",
    "现金比率≥0.2"), or the asked period right before it ("1年内有进出口活动"): that
    sentence states it, not just mentions both."""
    kind = _question_reads(text)[0]
    if not kind or not subjects:
        return 0.0
    low = u.text.lower()
    for subj in subjects:
        i = low.find(subj)
        while i >= 0:
            if (
                _PERIOD_BEFORE.search(low[max(0, i - 8) : i])
                if kind == "period"
                else _NEAR[kind].search(low[i + len(subj) :])
            ):
                return 0.12
            i = low.find(subj, i + 1)
    return 0.0


@functools.lru_cache(maxsize=256)
def _question_reads(text: str) -> tuple[str, bool, bool, bool, bool]:
    """(the kind of figure asked: count / number / period / "", asks a count, asks for a draft,
    marks the old rule, recalls the old rule only as background to a question about now: "听说以前单项标准
    有加工贸易这一类，现在新标准还有吗"), read once per question rather than once per ranked unit."""
    count = bool(_COUNT_Q.search(text))
    kind = "count" if count else ("number" if _NUMBER_Q.search(text) else "")
    if not kind and _DURATION_Q.search(text):
        kind = "period"
    if not kind and _DEFINE_Q.search(text):
        kind = "define"
    marks_old = bool(answers.OLD_RULE_MARKERS.search(text))
    recalled = marks_old and answers.old_only_recalled(text)
    return kind, count, bool(answers.DRAFT_ASKED.search(text)), marks_old, recalled


@functools.cache  # (one entry per unit: their number is fixed at load)
def _summary_like(unit_text: str) -> bool:
    """A dimension's summary ("贸易安全25项：场所5项……"), read once per unit."""
    return len(_SUMMARY_U.findall(unit_text)) >= 2


@functools.lru_cache(maxsize=256)
def _quoted_in(text: str, phrases: bool = False) -> tuple[str, ...]:
    """What ``text`` quotes, as compared (without spaces, lower-cased, NFKC); with ``phrases``, only a
    figure or a phrase of several words, not a term the line only puts in quotes ("'cultivate' us")."""
    said = (next(g for g in m.groups() if g) for m in _QUOTED.finditer(text))
    return tuple(q for raw in said if not phrases or _PHRASE.search(raw) for q in [_compared(raw)] if len(q) >= 2)


@functools.lru_cache(maxsize=256)
def _item_named_in(text: str) -> int | None:
    """The standard item a longer question names by number ("第24项", "item 24"), not an article."""
    return None if _ARTICLE_Q.search(text) else parse_item_number(text)


@functools.lru_cache(maxsize=8192)
def _compared(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


# Which way the goods go ("进口" / "importing", "出口" / "exporting"; "进出口", "进口商", "importer"
# name neither): a clause on the other way answers a question on one way only when nothing else does.
_IMPORTING = re.compile(r"(?<!进出)(?<!出)进口(?!商)|(?i:\bimport(?:s|ing|ed)?\b)")
_EXPORTING = re.compile(r"(?<!进)出口(?!商)|(?i:\bexport(?:s|ing|ed)?\b)")
OTHER_DIRECTION = 0.75


def trade_direction(text: str) -> str:
    """'import' | 'export' | '' (both ways, or neither) as ``text`` names them."""
    imp, exp = bool(_IMPORTING.search(text or "")), bool(_EXPORTING.search(text or ""))
    return "import" if imp and not exp else "export" if exp and not imp else ""


def _adjust(
    r: Ranked,
    text: str,
    lang: str,
    level: str,
    etype: str,
    old: bool,
    topics: dict,
    subjects: list | None = None,
    prefer_level: bool = False,
    documents: set | None = None,
    articles: set | None = None,
) -> float:
    u, s = r.unit, r.score
    _, count_asked, draft_asked, marks_old, old_recalled = _question_reads(text)
    if articles and u.articles & articles:
        s += ARTICLE_BONUS  # "282号令第五条讲的什么": the clause that states article 5
    s += _near_bonus(u, text, subjects or [])
    if any(q in _compared(u.text) for q in _quoted_in(text, phrases=True)):
        s += QUOTED_BONUS
    if u.opens_list >= 2 and _MEMBERS_Q.search(text):
        s += MEMBERS_BONUS
    if u.item_number is not None and u.item_number == _item_named_in(text) and u.kind != "item_note":
        s += ITEM_NAMED_BONUS  # "The translated item 24 on recovered duties mentions …": item 24's clause
    named = bool(documents and u.documents & documents)
    if documents:
        # "按251号令……", "127号公告……": the named document's own clauses, before another
        # decree's or announcement's.
        if named or (u.draft and u.mentions & documents and draft_asked):
            s += NAMED_DOC_BONUS  # (the draft of the named decree, when the draft is asked for)
        elif {d.split(":")[0] for d in u.documents} & {d.split(":")[0] for d in documents}:
            s *= OTHER_DOC  # from another decree or announcement, even one that mentions the named one
        elif u.mentions & documents:
            s += NAMED_DOC_BONUS * MENTION_SHARE
    if level and u.level not in ("both", level):
        s *= 0.6
    elif prefer_level and u.level == level:
        s *= SAME_LEVEL  # "那认证企业呢": that level's own clause before one about both levels
    if etype and u.enterprise_type and u.enterprise_type != etype:
        s *= 0.85
    # (of the rules on recognition and codes: a standard's clause on "进口食品" is the business, either way)
    if u.kind == "policy" and (way := trade_direction(text)) and trade_direction(u.text) not in ("", way):
        s *= OTHER_DIRECTION  # "我们从互认国家进口，对方的AEO编码填在哪": not the clause on exporting
    # (a draft never in force is neither the old rule nor the new one: "旧令是哪天施行的")
    if (u.draft and not draft_asked and not named) or (
        not u.draft
        and old != _is_old(u)
        # "127号公告对主动披露是怎么规定的": what that expired one said (not "the old Decree 251 said
        # …, is that still the rule?", which names the old one to ask about the new)
        and not (u.superseded and named and not marks_old)
        and not (old and r.coverage >= SAME_YEAR_OWN and _same_year(text, u.text))
    ):
        s *= 0.6  # (a figure of the year asked, "2019年的查验率", is history whatever rule is in force)
        if not old and old_recalled:
            s *= RECALLED_OLD  # the old rule's clause, which shares the words the user recalls it by
    if u.lang != lang:
        s *= 0.6
    if u.kind == "item_note":
        s *= 0.7
    if u.kind == "repair" and not _REPAIR_Q.search(text):
        # "how long could unpaid duties run … before a firm got labelled dishonest?": the ground, not
        # how long after it the repair could be applied for (which names the ground too)
        s *= REPAIR_NOT_ASKED
    elif u.kind != "repair" and _REPAIR_Q.search(text) and not (u.context_tokens | u.tokens) & _REPAIR_WORDS:
        # "信用修复申请递上去以后，……多少天之内要给决定？": the repair decision's 20 days, not the
        # certification decision's 90 (a clause whose entry says nothing of repair)
        s *= REPAIR_NOT_ASKED
    if u.kind == "guidance":
        # "现场认证的时候海关怎么核查封条": how customs checks, from our guidance (ranked only then)
        s *= GUIDANCE_ASKED
    if u.kind in ("item", "guidance") and _check_asked(text) and _label_named(u.label, text):
        # "what will the officers check on site for the CCTV requirement?": the item whose label
        # names it, its clause and our guidance alike
        s += LABEL_NAMED
    if not count_asked and _summary_like(u.text):
        s *= 0.6  # a dimension's summary ("贸易安全25项：场所5项……") answers counts, not details
    if u.topic and u.topic in topics:
        s *= 1.0 + 0.25 * min(topics[u.topic], 1.0)
    for u_re, bonus, malus in _asked_kinds(text):
        s += bonus if u_re.search(u.text) else malus
    return s


RECALLED_OLD = 0.6  # an old clause, when the question recalls the old rule to ask about now
LABEL_NAMED = 0.05  # the question names the subject of the item's label ("Premises security – CCTV")


@functools.lru_cache(maxsize=4096)
def _label_named(label: str, text: str) -> bool:
    """The question names all the words of the item label's subject (the part after the dash)."""
    words = _label_words(label)
    return bool(words) and words <= unit_tokens(text)


@functools.lru_cache(maxsize=512)
def _label_words(label: str) -> frozenset:
    """The words of an item label's subject, the part after the dash ("货物安全-封条管理" → 封条, 管理)."""
    subject = re.split(r"\s[–-]\s|[–—-]", label or "")[-1]
    return frozenset(t for t in unit_tokens(subject) - QUERY_STOPWORDS if len(t) >= 2)


SAME_YEAR_OWN = 0.8  # a clause that holds this much of a question about a year is not "the other rule"
_YEAR = re.compile(r"(?<!\d)20[012]\d(?!\d)")


def _same_year(question: str, text: str) -> bool:
    """The question names a year that the clause names too."""
    years = _YEAR.findall(question)
    return bool(years) and any(y in text for y in years)


@functools.lru_cache(maxsize=256)
def _asked_kinds(text: str) -> tuple:
    """What kinds of answer the question asks for (a period, a date, a count …), read once per
    question rather than once per ranked unit."""
    return tuple((u_re, bonus, malus) for q_re, u_re, bonus, malus in _ASKED_KINDS if q_re.search(text))


@dataclass
class Detail:
    leads: list  # [Unit], in reply order
    score: float
    own: float
    evidence: float = 0.0
    no_period: bool = False  # a question for a period that the standard's clauses do not set
    business: str = ""  # the business words taken from the conversation's earlier question, when used


def rank_units(idx: UnitIndex, text: str, lang: str, boost: str = "") -> list[Ranked]:
    # English questions reach the Chinese-only standard texts through the
    # item's English guidance (its context) more than through its own words.
    # Our guidance on how customs checks an item answers only a question about that.
    skip = frozenset() if _check_asked(text) else frozenset({"guidance"})
    return idx.rank(text, limit=100, context_weight=0.8 if lang == "en" else 0.5, boost=boost, skip_kinds=skip)


def _hinted_business(idx: UnitIndex, text: str, business_hint: str) -> tuple[set, str]:
    """The businesses the conversation's earlier question named ("我们做特殊物品进出口，卫生检疫……"),
    and its words for them ("卫生 检疫"), when ``text`` names no business of its own; else none."""
    if not business_hint or _BUSINESS_STANDARD.search(text):
        return set(), ""
    # ("检验检疫" is every business's inspection and quarantine, not the business named before)
    own = unit_tokens(_ANY_BUSINESS.sub(" ", text))
    if {b for b, words in idx.business_words.items() if words & own}:
        return set(), ""
    hinted = unit_tokens(business_hint)
    named = {b for b, words in idx.business_words.items() if words & hinted}
    said = {w for b in named for w in idx.business_words[b] & hinted}
    said = {w for w in said if not any(w != o and w in o for o in said)}
    # as the earlier question put them: "卫生检疫", not "检疫 卫生" (a later "商品检验业务呢" swaps it)
    low = business_hint.lower()
    at = sorted((low.find(w), w) for w in said if low.find(w) >= 0)
    if at and at[-1][0] + len(at[-1][1]) - at[0][0] <= sum(len(w) for w in said) + 1:
        return named, business_hint[at[0][0] : at[-1][0] + len(at[-1][1])]
    return named, " ".join(sorted(said, key=len))


BUSINESS_TOPIC = "individual_standards"


def _other_business(u: Unit, named: set) -> bool:
    """A clause of a business-type (单项) standard the question does not name, or what those
    standards are, in a question that names none of them ("How many items does the advanced
    certification standard have in total?" is about the general standard's 74, not their 22)."""
    if u.business_type:
        return u.business_type not in named
    return u.topic == BUSINESS_TOPIC and not named


# "the 2018 decree", "2021年那个办法": a decree named by the year it was issued or took effect
_DECREE_OF_YEAR = re.compile(
    r"(?<!\d)(20\d\d)\s*年?\s*(?:的|那个|那部|版的?|出的|发布的|颁布的)?\s*(?:暂行)?(?:令|(?:信用)?(?:管理)?办法)"
    r"|(?i:\b(20\d\d)\s+(?:customs\s+)?(?:credit\s+)?(?:decree|measures)\b|\b(?:decree|measures) (?:of|from) (20\d\d)\b)"
)


def with_decree_numbers(kb: Knowledge, text: str) -> str:
    """ "the 2018 decree" with the decree's number beside the user's words ("the 2018 decree (Decree
    237)"), from the dates ``knowledge/sources.yaml`` records, so the clauses of that decree are found
    and a follow-up swaps it in; a line that names a document by number stays as it is."""
    if documents_in(text):
        return text

    def numbered(m: re.Match) -> str:
        year = next(g for g in m.groups() if g)
        numbers = [
            sid.split("_")[1]
            for sid, s in kb.sources.items()
            if re.fullmatch(r"decree_\d+", sid)
            and year in {str(s.get("issued") or "")[:4], str(s.get("effective_from") or "")[:4]}
        ]
        if len(numbers) != 1:
            return m.group(0)
        zh = bool(re.search(r"[\u4e00-\u9fff]", m.group(0)))
        return f"{m.group(0)}（第{numbers[0]}号令）" if zh else f"{m.group(0)} (Decree {numbers[0]})"

    return _DECREE_OF_YEAR.sub(numbered, text, count=1)


# "the decree before 251", "251号令之前是哪个令", "被251号令废止的办法": the decree it replaced
_DECREE_BEFORE = re.compile(
    r"(?:第\s*)?(?<!\d)(\d{3})\s*号?令?\s*(?:之前|以前|前面|前一个|废止)(?:的|是|那|哪|个|部|一|什么)*(?:令|办法|规定)"
    r"|被\s*(?:第\s*)?(\d{3})\s*号令(?:废止|取代|替代|替换)的?(?:那个|那部)?(?:令|办法|规定)?"
    r"|(?i:\b(?:decree|measures|rules?|regulation)\s+(?:that\s+came\s+|in\s+force\s+)?before\s+(?:decree\s+)?(?:no\.\s*)?(\d{3})\b"
    r"|\b(?:predecessor|precursor)\s+(?:of|to)\s+(?:decree\s+)?(?:no\.\s*)?(\d{3})\b"
    r"|\b(?:decree|one|measures)\s+(?:that\s+)?(?:decree\s+)?(?:no\.\s*)?(\d{3})\s+(?:replaced|repealed|superseded)\b"
    r"|\b(?:which|what)\s+(?:decree|one|measures|rules?)?\s*did\s+(?:decree\s+)?(?:no\.\s*)?(\d{3})\s+(?:replace|repeal|supersede)\b)"
)


def with_predecessor_decree(kb: Knowledge, text: str) -> str:
    """ "the decree before 251" as the decree ``knowledge/sources.yaml`` records Decree 251 as
    superseding ("Decree 237"), so that decree's clauses answer, not Decree 251's own."""
    m = _DECREE_BEFORE.search(text)
    if m is None:
        return text
    number = next(g for g in m.groups() if g)
    before = _decrees_replaced_by(kb, {f"decree_{number}"})
    if len(before) != 1:
        return text
    zh = bool(re.search(r"[\u4e00-\u9fff]", m.group(0)))
    return text[: m.start()] + (f"第{before[0]}号令" if zh else f"Decree {before[0]}") + text[m.end() :]


# "哪个令取代了251号令", "which decree replaced 251?", "the successor of Decree 251": the decree that
# replaced the one named ("251号令被什么取代了" is left as it is: replaced, it would ask nothing)
_DECREE_AFTER = re.compile(
    r"(?:哪个|哪部|什么|哪一个|哪一部)(?:令|办法|规定|规章)?(?:取代|替代|替换|废止|接替)了?(?:第\s*)?(?<!\d)(\d{3})\s*号?令?"
    r"|(?i:\b(?:which|what)\s+(?:(?:new\s+)?(?:decree|one|measures|rules?|regulation|令)\s*)?(?:has\s+)?(?:replaced|repealed|superseded)\s+"
    r"(?:decree\s+)?(?:no\.\s*)?(\d{3})\b"
    r"|\b(?:successor|replacement)\s+(?:of|to|for)\s+(?:decree\s+)?(?:no\.\s*)?(\d{3})\b)"
)


def with_successor_decree(kb: Knowledge, text: str) -> str:
    """ "which decree replaced 251" as the decree ``knowledge/sources.yaml`` records as superseding
    Decree 251 ("Decree 282"), so that decree's clauses answer, not Decree 251's history."""
    m = _DECREE_AFTER.search(text)
    if m is None:
        return text
    number = next(g for g in m.groups() if g)
    after = (kb.sources.get(f"decree_{number}") or {}).get("superseded_by") or ""
    if not re.fullmatch(r"decree_\d+", after):
        return text
    zh = bool(re.match(r"[\u4e00-\u9fff]", m.group(0)))  # ("which 令 replaced 251": English)
    later = after.split("_")[1]
    return text[: m.start()] + (f"第{later}号令" if zh else f"Decree {later}") + text[m.end() :]


# "那个旧令", "老办法", "the old decree": the decree that the one in force replaced, by its words alone
_OLD_DECREE = re.compile(
    r"旧令|老令|旧的(?:那个|那部)?令|旧办法|老办法|原办法|(?i:\bthe (?:old|previous|former) (?:decree|measures)\b)"
)


# A line that asks only when the one document it names ("@") was issued or took effect ("第251号令是哪天开始
# 施行的？", "When did Decree 251 take effect?"), not what it says on a subject
_DOCUMENT_DATES_Q = re.compile(
    r"^[^，,。？?！!]{0,8}?@[^，,。？?！!]{0,6}?(?:是|于)?(?:哪天|哪一天|什么时候|何时|啥时候|几号|哪年)(?:开始|起)?"
    r"(?:执行|施行|生效|实施|发布|公布|出台|颁布|废止|失效)(?:的|了)?[呢吗啊？?。！!\s]*$"
    r"|(?i:^\s*(?:and\s+|so\s+)?when\s+(?:did|was|does|will)\s+(?:the\s+)?@\s+(?:take\s+effect|come\s+into\s+(?:force|effect)"
    r"|(?:get\s+|become\s+)?(?:effective|published|issued|promulgated|signed|repealed)|start(?:\s+to\s+apply)?|apply)"
    r"[^?.!]{0,12}[?.!\s]*$)"
)
# "那旧的那个是哪天施行的", "and the old one?": the old decree, in a conversation about decrees
_OLD_ONE = re.compile(
    r"(?:(?:旧|老)的那个|那个(?:旧|老)的)(?!标准|公告|版|文件|规定|办法)|(?i:\bthe (?:old|previous|former) one\b)"
)
_DECREE_WORD = re.compile(r"号令|规章|(?i:\bdecree\b)")


def with_old_decree(kb: Knowledge, text: str, ctx: Context | None = None) -> str:
    """ "那个旧令当初是哪天施行的" with the number of the decree the one in force replaced beside the
    user's words ("旧令（第251号令）"), from ``knowledge/sources.yaml`` (``superseded_by``), so that
    decree's own clauses answer; a line that names a document by number stays as it is. "旧的那个"
    is that decree too when the conversation's last question was about a decree."""
    m = _OLD_DECREE.search(text)
    if (
        m is None
        and ctx is not None
        and (_DECREE_WORD.search(f"{ctx.q} {ctx.asked}") or ctx.entry.startswith("decree"))
    ):
        m = _OLD_ONE.search(text)
    if m is None or documents_in(text) or not DATES_ASKED_RE.search(text):
        return text  # (only its dates: "which article was that in the old decree?" asks the earlier subject)
    before = _decrees_replaced_by(kb, {f"decree_{d.partition(':')[2]}" for d in _decrees_in_force(kb)})
    if len(before) != 1:
        return text
    zh = bool(re.search(r"[\u4e00-\u9fff]", m.group(0)))
    named = f"（第{before[0]}号令）" if zh else f" (Decree {before[0]})"
    return text[: m.end()] + named + text[m.end() :]


SAME_DAY_RE = re.compile(r"同一天|同一日|同日|同一时间|(?i:\bsame (?:day|date)\b)")
# (of the partners: not "申报和放行是同一天吗" later in a conversation that asked about a partner)
_WHO_SIGNED_RE = re.compile(r"签|谁|哪|实施|生效|(?i:\bsign|\bwho\b|\bwhich\b|\bother\b|\belse\b|\bimplement)")
_IMPLEMENTED_RE = re.compile(r"实施|生效|启用|(?i:\bimplement|\bin(?:to)? (?:force|effect)\b|\btook effect\b)")
_BARE_NUMBER = re.compile(r"(?<![\d.,])(\d{3})(?![\d.,%])")
BARE_DECREE_WORDS = 6  # a follow-up this short may name a decree by its number alone


def with_bare_decree(kb: Knowledge, text: str, ctx: Context) -> str:
    """ "And under 282?", "251呢" in a conversation about a decree: the number is that decree
    ("Decree 282", "第282号令"), when ``knowledge/sources.yaml`` knows a decree of that number."""
    m = _BARE_NUMBER.search(text)
    if m is None or documents_in(text) or not any(d.startswith("decree:") for d in documents_in(ctx.q)):
        return text
    if (
        len(re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]{1,2}", text)) > BARE_DECREE_WORDS
        or f"decree_{m.group(1)}" not in kb.sources
    ):
        return text
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    named = f"第{m.group(1)}号令" if zh else f"Decree {m.group(1)}"
    return text[: m.start()] + named + text[m.end() :]


# "what did the previous announcement allow?", "之前那个公告怎么规定的": the announcement that the
# one the last answer cited succeeded
_PREVIOUS_ANNOUNCEMENT = re.compile(
    r"(?:之前|此前|以前|上一|前一|原来|旧|老)(?:个|份|的)?(?:那个|那份)?公告"
    r"|(?i:\b(?:the|that)\s+(?:previous|earlier|prior|older|old|former|preceding)\s+(?:announcement|notice)\b)"
)


def with_previous_announcement(kb: Knowledge, idx: UnitIndex, text: str, ctx: Context) -> str:
    """ "what did the previous announcement allow on timing?" after an answer from Announcement
    2025 No. 194: the announcement before the cited one (``_predecessor``, No. 127), with its year
    from ``knowledge/sources.yaml``, in place of the user's words."""
    m = _PREVIOUS_ANNOUNCEMENT.search(text)
    if m is None or documents_in(text) or (number := _predecessor(idx, ctx.entry)) is None:
        return text
    years = [sid.split("_")[1] for sid in kb.sources if re.fullmatch(rf"announcement_\d{{4}}_{number}", sid)]
    year = years[0] if len(years) == 1 else ""
    zh = bool(re.search(r"[\u4e00-\u9fff]", m.group(0)))
    name = (
        (f"{year}年" if year else "") + f"第{number}号公告"
        if zh
        else f"Announcement No. {number}" + (f" of {year}" if year else "")
    )
    return text[: m.start()] + name + text[m.end() :]


def _decrees_replaced_by(kb: Knowledge, successors: set[str]) -> list[str]:
    """The numbers of the decrees that ``knowledge/sources.yaml`` records as superseded by one of
    ``successors`` (source ids, "decree_251")."""
    return [
        sid.split("_")[1]
        for sid, s in kb.sources.items()
        if re.fullmatch(r"decree_\d+", sid) and s.get("superseded_by") in successors
    ]


def _decrees_in_force(kb: Knowledge) -> set[str]:
    """The decrees in force ("decree:282"), as ``knowledge/sources.yaml`` records them."""
    in_force = (sid for sid, s in kb.sources.items() if sid.startswith("decree_") and s.get("status") == "in_force")
    return {document_of_source(sid) for sid in in_force} - {""}


def find_detail(
    kb: Knowledge,
    idx: UnitIndex,
    text: str,
    lang: str,
    level: str = "",
    etype: str = "",
    topics: dict | None = None,
    boost: str = "",
    ranked: list[Ranked] | None = None,
    prefer_level: bool = False,
    business_hint: str = "",
) -> Detail | None:
    """The units that answer ``text``, from ``ranked`` (``rank_units``) when the
    caller has ranked them already. ``business_hint``: the conversation's earlier question, whose
    business ("我们做进口食品") a question on the business-type standards that names none is about."""
    if ranked is None:
        ranked = rank_units(idx, text, lang, boost)
    if not ranked:
        return None
    old = _wanted_old(text)
    # "新的信用管理办法是哪天开始施行的", "the new rules": the decree in force, named in words
    docs = documents_in(text) or (_decrees_in_force(kb) if answers.NEW_RULE.search(text) else set())
    arts = articles_in(text)
    topics = topics or {}
    subjects = sorted((t for t in unit_tokens(text) if len(t) >= 2 and not t.isdigit()), key=len, reverse=True)
    # The business-type (单项) standards' clauses answer a question that names the business
    # ("进口食品……", "animal & plant quarantine ...") or those standards, before the general ones.
    asked = unit_tokens(text)
    hinted_words = ""
    # "卫生检疫" names health quarantine (two of its words), not also animal and plant quarantine
    # (one: 检疫); "单项标准" naming no business is about every business
    overlap = {b: len(words & asked) for b, words in idx.business_words.items() if words & asked}
    most = max(overlap.values(), default=0)
    named_business = {b for b, n in overlap.items() if n == most}
    if not named_business and _BUSINESS_STANDARD.search(text):
        named_business = set(idx.business_words)
    named, hinted_words = _hinted_business(idx, text, business_hint)
    if named:
        named_business = named
    scored = sorted(
        (
            (
                _adjust(r, text, lang, level, etype, old, topics, subjects, prefer_level, docs, arts)
                * (OTHER_BUSINESS if _other_business(r.unit, named_business) else 1.0),
                r,
            )
            for r in ranked
        ),
        key=lambda x: (-x[0], x[1].unit.id),
    )
    # A sentence that holds too little of the question itself leads only when nothing close does:
    # its entry's other words (the context, weighty for English) lift all its sentences alike.
    if scored[0][1].evidence < MIN_EVIDENCE:
        held = next(
            (
                x
                for x in scored[1:10]
                if x[1].evidence >= MIN_EVIDENCE
                and x[0] >= WEAK_LEAD_SHARE * scored[0][0]
                and x[1].unit.lang == scored[0][1].unit.lang
            ),
            None,
        )
        if held is not None:
            scored.remove(held)
            scored.insert(0, held)
    # A near tie: the sentence that holds clearly more of the question leads (not an entry's opening
    # line that its entry's words and a named document lift as high).
    close = [
        x
        for x in scored[1:4]
        if x[0] >= TIE_SHARE * scored[0][0]
        and x[1].unit.lang == scored[0][1].unit.lang
        and x[1].coverage >= TIE_HOLDS_MORE * scored[0][1].coverage
        and x[1].evidence >= MIN_EVIDENCE
    ]
    if close and scored[0][1].coverage < TIE_LOW_OWN:
        tied = max(close, key=lambda x: x[1].coverage)
        scored.remove(tied)
        scored.insert(0, tied)
    # "how many basically-met items …", "how many bonus items are there? we are a little giant company, …"
    # (English): the entry's English sentence, not its Chinese one that a count word lifts higher. (An
    # item's English is our translation: it leads only when it ranks close.)
    if scored[0][1].unit.lang != lang and scored[0][1].unit.entry_id:
        top_s, top = scored[0]
        at, own_lang = next(
            (
                (i, x)
                for i, x in enumerate(scored)
                if i and x[1].unit.entry_id == top.unit.entry_id and x[1].unit.lang == lang
            ),
            (0, None),
        )
        if own_lang is not None and top.unit.kind == "item" and (at >= 10 or own_lang[0] < OWN_LANGUAGE_SHARE * top_s):
            own_lang = None
        if own_lang is None and top.unit.kind == "item":
            # "内部审计呢，多久做一次？": an item's English translation, lifted by the English words of
            # the question's synonyms ("period", "long"), is answered by the item's own Chinese clauses
            same = [u for u in idx.by_entry[top.unit.entry_id or ""] if u.lang == lang and u.kind == "item"]
            if same and len(same) <= 3:
                scored[:0] = [(top_s, Ranked(u, top.score, top.coverage, top.evidence)) for u in same]
        if own_lang is not None:
            scored.remove(own_lang)
            scored.insert(0, own_lang)
    best_s, best = scored[0]
    leads = [best.unit]
    if best.unit.kind == "repair" and best.unit.label:
        # "按以前251号令的话要等多久才能申请": a question that tells no ground from another gets every
        # ground's waiting period, in the order of the grounds, not the one that happens to rank first
        periods = [
            x for x in scored if x[1].unit.kind == "repair" and x[1].unit.label and x[1].unit.lang == best.unit.lang
        ]
        if len(periods) > 1 and periods[1][0] >= PERIOD_TIE * best_s:
            leads = sorted((x[1].unit for x in periods), key=lambda u: u.id)
    # "信用培育是个啥": the entry's sentence that says what it is, and the two that follow it
    if (
        _question_reads(text)[0] == "define"
        and best.unit.entry_id
        and _NEAR["define"].search(
            best.unit.text.lower()[len(subjects[0]) :]
            if subjects and best.unit.text.lower().startswith(subjects[0])
            else ""
        )
    ):
        leads += [
            u
            for u in idx.by_entry[best.unit.entry_id]
            if u.lang == best.unit.lang and u.kind == best.unit.kind and u.position > best.unit.position
        ][:2]
    # Up to two more sentences of the same entry that match nearly as well.
    for s, r in scored[1:8]:
        u = r.unit
        if (
            u.entry_id == best.unit.entry_id
            and u.lang == best.unit.lang
            and s >= 0.65 * best_s
            and all(u.text != x.text for x in leads)
            and len(leads) < 3
        ):
            leads.append(u)
            if _opens_marked_list(idx, u):
                _bring_list(idx, u, leads)  # "……中已核实的失信情形包括：" is shown with what it lists
    # "负债率80%，还能达标吗", "去年亏了，盈利能力是不是过不了": one indicator missed is answered by
    # the whole item (every indicator, how many must be met, the scoring rule), not by the one clause.
    if _MISSED_ONE_Q.search(text) and best.unit.kind == "item" and best.unit.entry_id:
        whole = [u for u in idx.by_entry[best.unit.entry_id] if u.lang == best.unit.lang and u.kind == "item"]
        if any(_SCORING_RULE_U.search(u.text) for u in whole) and len(whole) <= 12:
            leads = whole
    # "上述5项指标的计算……" / "The above 5 indicators ..." refers back: the ①②③ clauses it names
    # come before it (asked "盈利能力那几项指标具体是啥").
    for tail in [u for u in leads if u.kind == "item" and u.entry_id and _REFERS_BACK.match(u.text)]:
        before = [
            u
            for u in idx.by_entry[tail.entry_id or ""]
            if u.lang == tail.lang and u.kind == "item" and u.position < tail.position
        ]
        run: list[Unit] = []
        for u in reversed(before):
            if not _CIRCLED.match(u.text):
                break
            run.insert(0, u)
        at = leads.index(tail)
        leads[at:at] = [u for u in run[-8:] if u not in leads]
    # An item's head clause ("具有一定的盈利能力。") brings its ①②③ clauses.
    for head in [u for u in leads if u.kind == "item" and u.entry_id and not _CIRCLED.match(u.text)]:
        following = [
            u
            for u in idx.by_entry[head.entry_id or ""]
            if u.lang == head.lang and u.kind == "item" and u.position > head.position
        ]
        run = []
        for u in following:
            if not _CIRCLED.match(u.text):
                break
            run.append(u)
        leads += [u for u in run[:8] if u not in leads]
    # "……尚未核实，不能给出确切天数。": what is not known is said with what is (the next
    # sentence of the entry: "参考旧规定……90日").
    if best.unit.kind == "policy" and best.unit.entry_id and _UNKNOWN.search(best.unit.text):
        after = [
            u
            for u in idx.by_entry[best.unit.entry_id]
            if u.lang == best.unit.lang and u.position == best.unit.position + 1
        ]
        if not any(_FIGURE.search(u.text) for u in after):
            # "已知信息：……" without a figure: the old rule's figures the entry gives for reference
            # ("旧第251号令第二十二条的标准（例如……千分之一……100万元）仅供参考")
            after += [
                u
                for u in idx.by_entry[best.unit.entry_id]
                if u.lang == best.unit.lang
                and u.position > best.unit.position + 1
                and answers.OLD_RULE_MARKERS.search(u.text)
                and _FIGURE.search(u.text)
            ][:1]
        leads += [u for u in after if u not in leads]
    # "目前无法确认。" / "Not confirmed.": an entry's one-line verdict opens any answer from it.
    if best.unit.kind == "policy" and best.unit.entry_id and best.unit.position > 0:
        opening = [
            u
            for u in idx.by_entry[best.unit.entry_id]
            if u.lang == best.unit.lang and u.position == 0 and _VERDICT_ONLY.match(u.text)
        ]
        leads[0:0] = [u for u in opening if u not in leads]
    # "平台还设有……" / "The platform also lists ..." comes after the sentence naming the platform.
    if (
        best.unit.kind == "policy"
        and best.unit.entry_id
        and best.unit.position > 0
        and _POINTS_BACK.match(best.unit.text)
    ):
        before = [
            u
            for u in idx.by_entry[best.unit.entry_id]
            if u.lang == best.unit.lang and u.position == best.unit.position - 1
        ]
        leads[0:0] = [u for u in before if u not in leads]
    # A sentence that introduces a list ("……共6项：") brings the list.
    _bring_list(idx, best.unit, leads)
    # A list member ("3. 严重失信信息：……") comes after its list's opening line.
    if best.unit.kind == "policy" and best.unit.entry_id and LIST_MARK.match(best.unit.text):
        before = [
            u
            for u in idx.by_entry[best.unit.entry_id]
            if u.lang == best.unit.lang and best.unit.position - 8 <= u.position < best.unit.position
        ]
        intro = _list_intro(before)
        if intro is not None and intro not in leads:
            leads.append(intro)
        if intro is not None and (_HOW_Q.search(text) or _ALL_Q.search(text)):
            _bring_list(idx, intro, leads)  # "怎么申请", "怎么规定的": every step or ground, not the best one
    # A close second from elsewhere (another item or entry) when the question
    # does not decide between them.
    lists = best.unit.text.rstrip().endswith(("：", ":"))
    # "监控录像要保存多少天": the answering item's clauses set no period; that is the answer
    # (said before the clause), not another item's period.
    no_period = bool(
        _DURATION_Q.search(text)
        and best.coverage >= NO_PERIOD_OWN
        and all(u.kind == "item" for u in leads)
        and not any(_DURATION_U.search(u.text) for u in leads)
    )
    for s, r in scored[1:6]:
        u = r.unit
        if lists or no_period or (level and u.level != level):
            break  # a whole list is answer enough; a named level wants that level's clause only
        if (
            s >= SECOND_SHARE * best_s
            and u.entry_id != best.unit.entry_id
            and u.lang == best.unit.lang
            and u.kind in ("item", "policy")
            and (u.verified or not best.unit.verified)  # a verified answer is not diluted by an unverified one
        ):
            if not any(x.entry_id == u.entry_id for x in leads):
                leads.append(u)
                _bring_list(idx, u, leads)
            break
    if not lists:
        _other_asks(text, scored, best_s, leads)
    _missing_kind(text, scored, best_s, leads)
    _whole_parallel_list(idx, text, leads)
    # A clause of a longer statement ("通过须同时满足：没有不达标项；……；总分不低于95分。")
    # is shown with the rest of that statement.
    for u in list(leads):
        for v in whole_statement(idx, u):
            if v not in leads:
                leads.append(v)
    # "……第（74）项原文：“……（至少1人）。" stops inside its quotation: the quotation is shown
    # to its end ("……不足5人的不适用本项标准。”"), as the official text is not cut short.
    for u in list(leads):
        if u.entry_id and u.text.count("“") > u.text.count("”"):
            after = [
                v for v in idx.by_entry[u.entry_id] if v.lang == u.lang and v.kind == u.kind and v.position > u.position
            ]
            for v in after[:QUOTE_RUN]:
                if v not in leads:
                    leads.append(v)
                if "”" in v.text:
                    break
    # A short standard item is shown whole: its other sentence is often the asked case
    # ("已经成为高级认证企业的，企业每年……"); a Chinese item of three or more sentences keeps to the
    # matching clause, so "数据保存几年" is answered by item 8's 3-year sentence, not all of item 8.
    for u in list(leads):
        if u.kind == "item" and u.entry_id:
            same = [v for v in idx.by_entry[u.entry_id] if v.lang == u.lang and v.kind == "item"]
            if (u.lang != "zh" or len(same) <= ITEM_WHOLE_ZH_SENTENCES) and sum(len(v.text) for v in same) <= (
                ITEM_WHOLE_ZH if u.lang == "zh" else ITEM_WHOLE_EN
            ):
                leads += [v for v in same if v not in leads]
    # The other level's counterpart when the question names no level.
    if best.unit.kind == "policy" and best.unit.level != "both" and not level:
        # a question that names both levels ("advanced compared with certified") wants the other
        # level's answer beside this one even when it matches less well
        share = BOTH_NAMED_SHARE if len(levels_in(text)) > 1 else 0.8
        for s, r in scored[1:20]:
            u = r.unit
            if (
                u.kind == "policy"
                and u.level not in ("both", best.unit.level)
                and s >= share * best_s
                and u.lang == best.unit.lang
            ):
                leads.append(u)
                _bring_list(idx, u, leads)  # "……共74项：" with its list
                if LIST_MARK.match(u.text) and u.entry_id:
                    # "3. 1年内被海关行政处罚不超过3次……" says which level it is of by its list's opening line
                    before = [
                        v
                        for v in idx.by_entry[u.entry_id]
                        if v.lang == u.lang and u.position - 8 <= v.position < u.position
                    ]
                    intro = _list_intro(before)
                    if intro is not None and intro not in leads:
                        leads.append(intro)
                break
    if best.unit.standard in ("advanced", "certified") and not level:
        keys = idx.counterpart.get(f"{best.unit.standard}:{best.unit.item_number}", [])
        others = {k for k in keys if not k.startswith(best.unit.standard + ":")}
        cands = [
            (s, r.unit)
            for s, r in scored
            if r.unit.standard
            and f"{r.unit.standard}:{r.unit.item_number}" in others
            and r.unit.kind == "item"
            and r.unit.lang == best.unit.lang
        ]
        # "资产负债率 高认vs认证企业 分别卡多少": the other standard's same indicator (①, as the best
        # clause), not another of its indicators that ranks a little higher
        mark = _CIRCLED.match(best.unit.text)
        same_mark = [c for c in cands if mark and c[1].text.lstrip().startswith(mark.group().strip())]
        if same_mark and same_mark[0][0] >= 0.5 * best_s:
            cands = same_mark
        if cands and cands[0][0] >= 0.5 * best_s and cands[0][1] not in leads:
            leads.append(cands[0][1])
    if best.unit.kind == "guidance":
        # "海关现场会怎么检查封条": the same check for the other standard's item, said once
        leads += [
            r.unit
            for _, r in scored[1:6]
            if r.unit.kind == "guidance" and r.unit.text == best.unit.text and r.unit not in leads
        ]
    _each_named_part(idx, text, leads)
    # Both standards' clauses: the advanced standard's first, as the standards are numbered.
    both = not level and {u.standard for u in leads} >= {"advanced", "certified"}
    rank = {"advanced": 0, "certified": 1}
    leads.sort(
        key=lambda u: (
            u.kind != "guidance" if best.unit.kind == "guidance" else False,  # what was asked first
            rank.get(u.standard or "", 2) if both else 0,
            u.entry_id != best.unit.entry_id,
            u.position,
        )
    )
    # "Compared with the advanced standard:" without the list it opens says nothing: left out.
    leads = [u for u in leads if u is best.unit or not _opens_missing_list(idx, u, leads)]
    return Detail(
        leads=leads,
        score=best_s,
        own=best.coverage,
        evidence=best.evidence,
        no_period=no_period,
        business=hinted_words if best.unit.business_type else "",
    )


SHORT_LIST, SHORT_LIST_CHARS = 4, 400
QUOTE_RUN = 4  # sentences a quotation a clause opens may run on for
_VERDICT_ONLY = re.compile(
    r"^\s*(?:目前)?(?:无法确认|不能确认|尚不清楚|尚无定论|未经证实)[。.]?\s*$|(?i:^\s*(?:not (?:yet )?confirmed|unknown|not known)\.?\s*$)"
)


# The parts of a question that asks two things ("处罚几次以内、不合格多少以内", "how many penalties
# and what failure rate").
_ASK_SPLIT = re.compile(r"[、，,；;？?]|(?i:\band\b)")
_ASK_WORD = re.compile(r"几|多少|多久|多长|哪些|什么|是否|(?i:\b(?:how|what|which|when|whether)\b)")
ANOTHER_ASK_SHARE = 0.8  # a clause for the question's other ask scores this share of the best
_ASK_TOKENS = frozenset({"几", "多少", "多久", "什么", "哪些", "how", "many", "what", "which", "when", "much"})


def _other_asks(text: str, scored: list, best_s: float, leads: list[Unit]) -> None:
    """A question that asks two things in two parts gets, beside the best clause, the clause that
    answers its other part best, when that clause scores near the best."""
    parts = [p for p in _ASK_SPLIT.split(text) if _ASK_WORD.search(p)]
    if len(parts) < 2:
        return
    head = leads[0]
    pool = [
        (s, r.unit)
        for s, r in scored[:8]
        if s >= ANOTHER_ASK_SHARE * best_s and r.unit.lang == head.lang and r.unit.kind == head.kind
    ]
    for part in parts:
        words = {t for t in unit_tokens(part) if len(t) >= 2 or not t.isascii()} - _ASK_TOKENS
        if not words:
            continue
        best = max(pool, key=lambda su: (len(words & su[1].tokens), su[0]), default=None)
        if best is None or not words & best[1].tokens:
            continue
        if any(u.entry_id == best[1].entry_id for u in leads):
            continue
        leads.append(best[1])


# What a question asks for that a clause may give beside the one that names the subject best:
# "national little giant … does it give bonus points, and how many?" (the item names no points)
_MISSING_KINDS = ((_POINTS_Q, _POINTS_U),)
MISSING_KIND_SHARE = 0.6


def _missing_kind(text: str, scored: list, best_s: float, leads: list[Unit]) -> None:
    """The best clause that gives what the question asks for (points) when no leading clause does."""
    for q_re, u_re in _MISSING_KINDS:
        if not q_re.search(text) or any(u_re.search(u.text) for u in leads):
            continue
        giving = next(
            (
                r.unit
                for s, r in scored[:20]
                if s >= MISSING_KIND_SHARE * best_s and r.unit.lang == leads[0].lang and u_re.search(r.unit.text)
            ),
            None,
        )
        if giving is not None and giving not in leads:
            leads.append(giving)


# "内部审计是不是每年都要做？刚成立不满一年的怎么办", "每年都要做 还是申请的时候做一次就行": two asks
_TWO_ASKS = re.compile(r"[？?]\s*[^\s？?]|还是")
_BOTH_PARTS = re.compile(r"[和与及、]|以及|分别|各自?|(?i:\b(?:and|both|each|respectively)\b)")


def _each_named_part(idx: UnitIndex, text: str, leads: list[Unit]) -> None:
    """ "现金比率和流动比率分别要求多少": a question naming two or more parts of one item gets each
    part's clause from every item shown, not just the part that scored best in one standard."""
    items = list(dict.fromkeys(u.entry_id for u in leads if u.kind == "item" and u.entry_id))
    if not items or not (_BOTH_PARTS.search(text) or _TWO_ASKS.search(text)):
        return  # (before reading the question's words: this runs for every ranking)
    words = {t for t in unit_tokens(text) if len(t) >= 2 and not t.isdigit()} - _ASK_TOKENS - QUERY_STOPWORDS
    for entry_id in items:
        shown = [u for u in leads if u.entry_id == entry_id]
        clauses = [u for u in idx.by_entry[entry_id] if u.lang == shown[0].lang and u.kind == "item"]
        # the parts the question names that single out clauses of this item (not its common words)
        parts = {w for w in words if 0 < sum(w in u.tokens for u in clauses) <= len(clauses) // 2}
        parts = {w for w in parts if not any(w != o and w in o for o in parts)}  # 现金比率, not also 现金
        if len(parts) < 2 or not any(parts & u.tokens for u in shown):
            continue
        missing = [w for w in parts if not any(w in u.tokens for u in shown)]
        extra = [u for u in clauses if u not in leads and any(w in u.tokens for w in missing)]
        if not extra or len(extra) > len(parts):
            continue
        leads += extra  # (put in the item's order by the sort below)


def _whole_parallel_list(idx: UnitIndex, text: str, leads: list[Unit]) -> None:
    """A list one of whose members is shown, shown whole in two cases: a short rule (up to
    SHORT_LIST lines) of which two lines are shown ("what's the pass score" → its 95-point line
    too); parallel cases of one answer, when every member states the asked kind of answer (a
    period, an amount …) and the question names none of them ("失信信息公示多久" → all three classes,
    after the line that opens the list). A question that names a case by its label keeps to it
    ("严重失信信息公示多久")."""
    kinds = [u_re for u_re, _, _ in _asked_kinds(text)]
    low = text.lower()
    done: set = set()
    for u in list(leads):
        if u.kind != "policy" or not u.entry_id or not LIST_MARK.match(u.text):
            continue
        same = [v for v in idx.by_entry[u.entry_id] if v.lang == u.lang and v.kind == u.kind]
        i = same.index(u) if u in same else -1
        if i < 0:
            continue
        start = i
        while start > 0 and LIST_MARK.match(same[start - 1].text):
            start -= 1
        if (u.entry_id, u.lang, start) in done:
            continue  # a second shown member of a list already looked at
        done.add((u.entry_id, u.lang, start))
        end = i
        while end + 1 < len(same) and LIST_MARK.match(same[end + 1].text):
            end += 1
        members = same[start : end + 1]
        labels = _member_labels(members)
        if labels is not None and any(lb and lb in low for m, lb in zip(members, labels, strict=True) if m in leads):
            continue
        shown = sum(m in leads for m in members)
        if 2 <= shown < len(members) <= SHORT_LIST and sum(len(m.text) for m in members) <= SHORT_LIST_CHARS:
            leads += [m for m in members if m not in leads]
        elif (
            kinds
            and labels is not None
            and 2 <= len(members) <= 8
            and all(any(k.search(m.text) for k in kinds) for m in members)
        ):
            intro = _list_intro(same[:start])
            leads += [v for v in ([intro] if intro is not None else []) + members if v not in leads]


def _member_labels(members: list[Unit]) -> list[str] | None:
    """What each member of a list of parallel cases is about, as it names it ("1. 轻微失信信息：……"
    → "轻微", "2. general: …" → "general"), the words all labels share left out; None when a
    member has no such label."""
    labels = []
    for m in members:
        head = LIST_MARK.sub("", m.text, count=1).strip()
        cut = re.search(r"[：:]", head)
        if not cut or cut.start() > 20:
            return None
        labels.append(head[: cut.start()].strip().lower())
    common = 0
    while all(len(lb) > common for lb in labels) and len({lb[len(lb) - common - 1] for lb in labels}) == 1:
        common += 1
    return [lb[: len(lb) - common] if common else lb for lb in labels]


def _opens_marked_list(idx: UnitIndex, unit: Unit) -> bool:
    """``unit`` ends with a colon and the next sentence of its entry is a numbered line."""
    if not (unit.entry_id and unit.text.rstrip().endswith(("：", ":"))):
        return False
    nxt = [u for u in idx.by_entry[unit.entry_id] if u.lang == unit.lang and u.position == unit.position + 1]
    return bool(nxt) and bool(LIST_MARK.match(nxt[0].text))


def _opens_missing_list(idx: UnitIndex, unit: Unit, leads: list[Unit]) -> bool:
    if not (unit.entry_id and unit.text.rstrip().endswith(("：", ":"))):
        return False
    after = [
        u
        for u in idx.by_entry[unit.entry_id]
        if u.lang == unit.lang and u.kind == unit.kind and u.position > unit.position
    ][:8]
    return bool(after) and not any(u in leads for u in after)  # none of what it opens is shown


_REFERS_BACK = re.compile(r"^\s*(?:上述|以上|前述)|(?i:^\s*the above\b)")
# A sentence whose subject points back ("平台还设有……", "The platform also lists ...", "It had
# 40 articles") is shown after the sentence that names what it points to.
_POINTS_BACK = re.compile(r"^(?:该|其|此|这|平台还)|^(?:The (?:platform|system|list|decree|standard)s?|It|They)\b")
STATEMENT_CHARS = 260
ITEM_WHOLE_ZH, ITEM_WHOLE_EN = 300, 900
ITEM_WHOLE_ZH_SENTENCES = 2  # our English translations run to more, shorter sentences: length alone decides


def _list_intro(before: list[Unit]) -> Unit | None:
    """The line that opens the list a member belongs to, from the lines before the member (in
    order): the last one ending in "：", else the last that is not itself a member ("……194号接续127号
    公告，有效期自……至2027年6月30日。" then "1. ……")."""
    intro = next((u for u in reversed(before) if u.text.rstrip().endswith(("：", ":"))), None)
    return intro or next((u for u in reversed(before) if not LIST_MARK.match(u.text)), None)


def _bring_list(idx: UnitIndex, unit: Unit, leads: list) -> None:
    """A sentence that introduces a list ("……共6项：") brings the list (up to 8 lines)."""
    if unit.text.rstrip().endswith(("：", ":")) and unit.entry_id:
        siblings = [u for u in idx.by_entry[unit.entry_id] if u.lang == unit.lang and u.kind == unit.kind]
        following = [u for u in siblings if u.position > unit.position][:8]
        leads += [u for u in following if u not in leads]


def whole_statement(idx: UnitIndex, unit: Unit) -> list[Unit]:
    """The clauses of a policy sentence or a standard item that run on with "；" around ``unit``
    (up to its "。" and not past the next list marker), in order."""
    if unit.kind not in ("policy", "item") or not unit.entry_id:
        return [unit]
    same = [u for u in idx.by_entry[unit.entry_id] if u.lang == unit.lang and u.kind == unit.kind]
    i = next((k for k, u in enumerate(same) if u is unit), None)
    if i is None:
        return [unit]

    def runs_on(u: Unit) -> bool:
        return u.text.rstrip().endswith(("；", ";", "：", ":", "，", ","))

    start = i
    while start > 0 and not LIST_MARK.match(same[start].text) and runs_on(same[start - 1]):
        start -= 1
    end = i
    while end + 1 < len(same) and runs_on(same[end]) and not LIST_MARK.match(same[end + 1].text):
        end += 1
    part = same[start : end + 1]
    if sum(len(u.text) for u in part) > STATEMENT_CHARS:
        return [unit]
    return part


def render_detail(kb: Knowledge, detail: Detail, lang: str, today: dt.date | None = None) -> Reply:
    lines, cites, entry_ids = [], [], []
    if detail.no_period:
        lines.append("条文没有规定具体期限，要求是：" if lang == "zh" else "The text sets no specific period; it says:")
    # The same line in two entries' lists (both standards' compliance summaries list "相关人员2年内
    # 未因故意犯罪受刑事处罚"): said once, from the first. (A standard item's clause that both
    # standards share is said once below, naming both.)
    leads: list = []
    for u in detail.leads:
        if u.standard or all(u.text != x.text for x in leads if not x.standard):
            leads.append(u)
    by_entry: dict = {}
    for u in leads:
        by_entry.setdefault((u.entry_id or u.id, u.kind == "guidance"), []).append(u)
    # Same clause in both standards: one line naming both.
    texts: dict = {}
    for units in by_entry.values():
        body = ""
        for u in units:
            if body and (LIST_MARK.match(u.text) or u.opens_line):
                body = body.rstrip() + "\n"  # a list's members one per line, a paragraph on its own
            body += u.text if u.text.endswith(("。", "；")) else u.text + " "
        body = body.strip()
        texts.setdefault(body, []).append(units[0])
    for body, heads in texts.items():
        header = ("、" if lang == "zh" else "; ").join(
            _unit_header(kb, u, lang).rstrip("：: ") for u in heads if u.standard
        )
        if header and heads[0].kind == "guidance":
            checks = "海关现场一般核查" if lang == "zh" else "what customs usually checks on site"
            lines.append(f"{header}{'，' if lang == 'zh' else ', '}{checks}{'：' if lang == 'zh' else ': '}{body}")
        elif header:
            lines.append(f"{header}{'：' if lang == 'zh' else ': '}{body}")
        elif heads[0].kind == "criteria" and heads[0].level in ("advanced", "certified"):
            # a diagnosis criterion of one standard ("过去2年内不能委托失信……"): which level it is of
            name = LEVEL_WORDS[heads[0].level][lang]
            lines.append(f"{name}：{body}" if lang == "zh" else f"{name[0].upper()}{name[1:]}: {body}")
        elif _is_old(heads[0]) and not answers.OLD_RULE_MARKERS.search(body) and not documents_in(body):
            # a clause from the middle of a repealed rule says so itself, not only in its citation
            lines.append(f"{'按已废止的旧规定：' if lang == 'zh' else 'Under the repealed rule: '}{body}")
        else:
            lines.append(body)
    guidance = [u for u in leads if u.kind == "guidance"]
    if guidance:
        cites.append(_guidance_citation(guidance, lang))
    for u in leads:
        if u.kind == "guidance":
            continue
        c = unit_citation(kb, u, lang, today)
        if c not in cites:
            cites.append(c)
        if u.entry_id and u.entry_id not in entry_ids:
            entry_ids.append(u.entry_id)
    cites = merge_citations(cites, lang)
    caveat = caveat_line(detail.leads, lang)
    if caveat:
        # the entry's own "where to confirm" sentence inside a clause: the caveat line says it
        lines = [x for x in (re.sub(r"[ \t]+$", "", answers.OWN_CONFIRM.sub("", ln)) for ln in lines) if x.strip()]
    text = "\n".join(lines) + "\n" + "\n".join(cites) + (("\n" + caveat) if caveat else "")
    return Reply(text=text, buttons=detail_buttons(kb, detail.leads[0], lang), entry_ids=entry_ids, kind="answer")


# "and the one before it?", "之前那个公告呢": the document before the one the conversation is about
# (not "what was the threshold before that?", which asks the earlier rule's figure).
_BEFORE_DOC = re.compile(
    # ("what about the one before, one twenty-seven": the number it says, as a voice kiosk hears it)
    r"(?i:^\W*(?:and|what about|how about)?\s*(?:the\s+)?(?:one|announcement|notice)\s+before(?:\s+(?:it|that|this))?"
    r"(?:\W*(?:no\.?\s*)?(?P<said>\d{2,3}))?\W*$"
    r"|^\W*(?:and|what about|how about)?\s*the\s+previous\s+(?:one|announcement|notice)\W*$"
    r"|^\W*(?:and\s+)?(?:which|what)\s+(?:(?:announcement|notice|one|document)\s+)?did\s+(?:it|that|this)\s+replace\W*$)"
    r"|^那?(?:之前|以前|上一个|前一个|前面)的?(?:那个|那份|那一个)?(?:公告)?(?:呢|是哪个|是什么)?[？?]*$"
    r"|^那?(?:它|这个|这份|该公告)?(?:取代|替代|接续|接替)了?(?:哪个|哪份|哪一个|什么)(?:公告)?[呢？?]*$"
)


def _predecessor(idx: UnitIndex, entry_id: str) -> int | None:
    """The one other announcement that an announcement's entry names (194 "接续127号公告"): the
    announcement before it; None when the entry is not an announcement's or names no single other."""
    units = idx.by_entry.get(entry_id or "") or []
    own = {d for u in units for d in u.documents if d.startswith("announcement:")}
    named = {d for u in units for d in u.mentions if d.startswith("announcement:")} - own
    if len(own) != 1 or not named:
        return None
    if len(named) > 1:
        # 127 names 54 (which it repealed) and 194 (which continued it): the one it says it replaced
        said = {f"announcement:{a or b}" for u in units for a, b in _REPLACED_DOC.findall(u.text)} & named
        if len(said) != 1:
            return None
        named = said
    return int(next(iter(named)).split(":")[1])


# "同时废止2022年第54号公告", "it repealed Announcement 2022 No. 54": the announcement an entry replaced.
_REPLACED_DOC = re.compile(
    r"(?:废止|取代|替代|接续)[^。；，]{0,12}?第(\d+)号"
    r"|(?i:(?:repealed|replaced|replaces|succeeded|superseded|continues)\s+(?:GACC\s+)?Announcement\s+(?:\d{4}\s+)?No\.\s*(\d+))"
)


_ITEM_ARTICLE = re.compile(r"^(.*?)(第（\d+）项|item \(\d+\))$")


def merge_citations(cites: list[str], lang: str) -> list[str]:
    """Source lines that differ only in the article ("……第（8）项；2026-04-01起施行" and "……第（48）项；
    2026-04-01起施行") as one line naming both articles."""
    sep = "；" if lang == "zh" else "; "
    out: list = []
    where: dict = {}
    for c in cites:
        parts = c.split(sep)
        if len(parts) != 3:
            out.append(c)
        elif (parts[0], parts[2]) in where:
            out[where[parts[0], parts[2]]][1].append(parts[1])
        else:
            where[parts[0], parts[2]] = len(out)
            out.append((parts[0], [parts[1]], parts[2]))
    return [c if isinstance(c, str) else sep.join((c[0], _join_articles(c[1], lang), c[2])) for c in out]


def _join_articles(articles: list[str], lang: str) -> str:
    joiner = "、" if lang == "zh" else ", "
    found = [_ITEM_ARTICLE.match(a) for a in articles]
    if len(articles) > 1 and all(found) and len({m.group(1) for m in found if m}) == 1:
        return found[0].group(1) + joiner.join(m.group(2) for m in found if m)  # type: ignore[union-attr]
    return joiner.join(dict.fromkeys(articles))


def detail_buttons(kb: Knowledge, lead: Unit, lang: str) -> list:
    zh = lang == "zh"
    buttons = []
    if lead.entry_id:
        buttons.append(full_text_button(lead.entry_id, lang))
    if lead.standard and lead.item_number:
        buttons.append(
            {
                "title": f"第{lead.item_number}项怎么改进" if zh else f"How to improve item {lead.item_number}",
                "payload": f'/item_guidance{{"standard": "{lead.standard}", "item_number": "{lead.item_number}"}}',
            }
        )
    if lead.topic:
        title = kb.topic_title(lead.topic, lang)
        buttons.append({"title": (f"查看：{title}" if zh else f"See: {title}"), "payload": f"/ask_{lead.topic}"})
    return buttons


# ---------------------------------------------------------------- the entry point


def _offtopic_reply(lang: str) -> Reply:
    r = smalltalk.reply("out_of_scope", lang, with_menu=True)
    r.kind = "not_found"
    return r


_NEGATED = re.compile(
    r"(?<=[，,。？?；;])\s*(?:不是|并非|而不是)[^，,。？?；;]{1,12}(?<!的话)(?:[，,。；;]|$)"
    r"|(?i:\(\s*not (?:an? |the )?[^()]{1,30}\)|,\s*not (?:an? |the )[^,.?;]{1,30}(?=[,.?;]|$))"
)


def _without_negated(query: str, idx: UnitIndex | None = None) -> str:
    """The question without the parts it sets aside ("不是施行那天，", ", not the publication day"),
    when something is left. A part that is a term of the knowledge's synonyms ("(not a broker)":
    the non-brokers) says what the question is about, and stays."""
    terms = _negated_terms(idx.synonyms) if idx is not None else ()

    def aside(m: re.Match) -> str:
        return m.group(0) if any(t in m.group(0).lower() for t in terms) else " "

    rest = _NEGATED.sub(aside, query).strip()
    return rest if len(rest) >= 4 else query


_NEGATED_TERM = re.compile(r"not |不是|并非")


@functools.lru_cache(maxsize=4)
def _negated_terms(synonyms) -> tuple[str, ...]:
    """The synonyms' members that are negations ("not a broker"), read once per loaded index
    rather than on every question."""
    return tuple(w for g in synonyms.groups for w in g if _NEGATED_TERM.match(w))


# A question about how an item's whole rule works ("怎么算的", "几个指标", "how is it calculated?",
# "what are the indicators?"): every clause of it answers.
_WHOLE_RULE_Q = re.compile(
    r"怎么算|如何算|怎么计算|如何计算|怎么评|(?:几|哪几|哪些|多少)(?:个|项)?(?:指标|比率)"
    r"|(?i:how (?:is|are) (?:it|they|that|this|those)? ?(?:calculated|computed|worked out|scored|assessed)"
    r"|(?:what|which|how many) (?:are the )?(?:indicators|ratios))"
)
# The numbered clauses of a standard item ("①资产负债率……②现金比率……").
_CLAUSE_MARK = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]|\(\d\)|（\d）")


def _article_of(entry: KEntry | None, lang: str) -> str:
    """The article an entry says it is from ("第三十条", "not applicable (not a decree article)"); "" if none."""
    return str((entry.article or {}).get(lang) or "") if entry is not None else ""


def _cites_article(kb: Knowledge, unit: Unit, lang: str) -> bool:
    """True when the unit's entry names the article it is from (not "not a decree article" or "article
    number not verified")."""
    return bool(articles_in(_article_of(kb.entries.get(unit.entry_id or ""), lang)))


def _not_a_rule(kb: Knowledge, unit: Unit, lang: str) -> bool:
    """True when the unit's entry is not a rule's clause (a report, a vendor's reading: "not a decree
    article")."""
    return bool(_NOT_AN_ARTICLE.search(_article_of(kb.entries.get(unit.entry_id or ""), lang)))


_NOT_AN_ARTICLE = re.compile(r"不适用|(?i:not applicable)")


def _topic_about_item(kb: Knowledge, topic: str, unit: Unit) -> bool:
    """The model's topic is about the very standard item a clause comes from ("For the advanced tier,
    what share must pass the intermediate level?": item 74, which the proficiency-assessment topic
    cites alone): the item's clause answers, as the topic would. A topic citing several items of a
    standard (related persons) is summed up by its summary (``_cited_items`` reads single items only)."""
    if unit.kind != "item" or not unit.standard or not unit.item_number or not topic:
        return False
    return any(_cited_items(e).get(unit.standard) == unit.item_number for e in kb.entries_for_topic(topic))


def _detail_or_topic(
    kb: Knowledge,
    idx: UnitIndex,
    query: str,
    lang: str,
    nlu: NLU,
    ctx: Context,
    today,
    level: str,
    etype: str,
    boost: str = "",
    prefer_level: bool = False,
) -> tuple[Reply, Context]:
    topics = dict(nlu.topics(0.2))
    # "检验检疫不合格次数上限是多少" after "我们做进口食品，单项标准里……": that business's clause
    hint = ctx.q if BUSINESS_TOPIC in (ctx.topic, nlu.intent[len(POLICY_PREFIX) :]) else ""
    # ("被罚几次就不行了" after the health-quarantine standard: ranked as that business's question)
    business = _hinted_business(idx, query, hint)[1]
    # "不是施行那天，是发布那天", "(not a broker)": what the question sets aside is not matched
    said = _without_negated(query, idx)
    ranked = rank_units(idx, f"{business} {said}" if business else said, lang, boost)  # (once)
    detail = find_detail(kb, idx, said, lang, level, etype, topics, boost, ranked, prefer_level, hint)
    offtopic = nlu.intent in OFFTOPIC_INTENTS and nlu.confidence >= 0.5
    if offtopic and nlu.confidence < UNSURE_OFFTOPIC and detail and ctx.topic and detail.leads[0].topic == ctx.topic:
        # "what's the failure-rate cap for a food importer?" after the business-type standards:
        # the model is unsure it is off-topic, and the clause that answers is on the conversation's topic.
        offtopic = False
    if offtopic and detail and _words_held(idx, query, detail.leads[0]) < OFFTOPIC_WORDS_HELD:
        # "明天上海会不会下雨": one known word ("上海", as in 上海海关) is all a clause holds of a line
        # the model puts off-topic; the words the knowledge never uses (下雨) count against it here
        detail = None
    need = OFFTOPIC_SCORE if offtopic else CONFIDENT_SCORE
    new = replace(ctx, q=query, level=level or ctx.level, etype=etype or ctx.etype, asked="")
    own_needed = CONFIDENT_OWN if lang == "zh" else CONFIDENT_OWN / 2
    if level in ("advanced", "certified") and not offtopic:
        # "认证企业要不要装视频监控": the clause that answers is in the other
        # level's standard only; say that the named level's standard has none.
        anywhere = find_detail(kb, idx, query, lang, "", etype, topics, boost, ranked)
        lead = anywhere.leads[0] if anywhere else None
        if (
            anywhere
            and lead is not None
            and lead.kind == "item"
            and lead.standard in ("advanced", "certified")
            and lead.standard != level
            and anywhere.score >= need
            and anywhere.own >= STRONG_OWN
            and (detail is None or anywhere.score > LEVEL_MISMATCH * detail.score)
        ):
            same = _counterpart_reply(kb, idx, lead.standard, lead.item_number or 0, level, lang, today, anywhere)
            if same is not None and same[1] == 0:
                return same[0], replace(
                    new,
                    kind="detail",
                    entry=lead.entry_id or "",
                    topic=lead.topic or "",
                    item=lead.item_number or 0,
                    standard=lead.standard,
                )
    if (
        _SAYS_ABOUT.search(query)
        and detail is not None
        and detail.leads[0].kind not in ("item", "item_note")
        and detail.own < BROAD_OWN
    ):
        # "What does the 2026 AEO standard require for container seals?": the standard's clause on
        # the subject, when one holds most of the question, before a summary that only names it
        items = [r for r in ranked if r.unit.kind == "item" and r.unit.lang == lang and r.coverage >= STRONG_OWN]
        clause = find_detail(kb, idx, query, lang, level, etype, topics, boost, items[:20]) if items else None
        if clause is not None and clause.score >= need and clause.own >= STRONG_OWN:
            detail = clause
    if (
        detail is not None
        and _WHICH_ARTICLE_Q.search(query)
        and _not_a_rule(kb, detail.leads[0], lang)
        and not any(u.articles for u in detail.leads)  # ("… under Decree 282 (reportedly Arts. 34-35)")
    ):
        # "251号令那会儿高级认证企业查验率比常规企业低百分之多少，是哪一条规定的" (the lead: a news
        # report that quotes the figure, no rule's clause): the clause of the rule that gives it, with
        # its article, when it holds the question nearly as well
        cited = [r for r in ranked if r.unit.lang == lang and _cites_article(kb, r.unit, lang)]
        clause = find_detail(kb, idx, said, lang, level, etype, topics, boost, cited[:20], prefer_level, hint)
        if clause is not None and clause.score >= CITED_CLAUSE * detail.score:
            detail = clause
    topic = nlu.intent[len(POLICY_PREFIX) :] if nlu.intent.startswith(POLICY_PREFIX) else ""
    if topic and nlu.intent not in SPECIAL_INTENTS and detail and detail.leads[0].topic != topic:
        # The model names a topic and the unit is from elsewhere: answered from
        # the unit only when the question asks for a detail (a figure, a period,
        # a date, a count, an item's requirement) and, if the model is sure of
        # its topic, the unit is clearly better.
        sure = nlu.confidence >= TRUSTED_INTENT
        asks_detail = (
            any(r.search(query) for r in (_DURATION_Q, _DATE_Q, _NUMBER_Q, _COUNT_Q, _KINDS_Q, _SPAN_Q))
            or (detail.leads[0].kind == "item" and detail.own >= (STRONG_OWN if sure else UNSURE_ITEM_OWN))
            # "我们去年一整年没做进出口，申请认证企业这项能过吗" (the model unsure): whether the
            # enterprise passes an item, which that item's clause answers, leading or beside the summary
            # line that leads ("One of our suppliers just got listed as dishonest. Does that hurt …?")
            or (not sure and check.asks_check(query) and any(u.kind == "item" for u in detail.leads[:3]))
            # "Our biggest shareholder was rated dishonest. Which advanced-standard item does that
            # hit?" (the model: the dishonest level): the item, which the line asks for by name
            or (detail.leads[0].kind == "item" and bool(WHICH_ITEM_RE.search(query)))
        )
        # "失信信息分三类，是282号令第几条规定的" (the model: what changed; its second guess: the
        # articles): the article, from a clause of a topic the model also names that gives one.
        # ("以前251号令时高级认证企业查验率低于常规企业的百分之多少，是第几条规定的" (the model: the
        # inspection-rate reports, none of which is from a rule): the rule's clause that gives it)
        article_asked = bool(_WHICH_ARTICLE_Q.search(query)) and (
            (any(u.articles for u in detail.leads) and (detail.leads[0].topic or "") in topics)
            or (
                _cites_article(kb, detail.leads[0], lang)
                and not any(articles_in(_article_of(e, lang)) for e in kb.entries_for_topic(topic))
            )
        )
        # "食品这块一年最多能被处罚几次" after the business-type standards: an item clause on the
        # conversation's own topic that holds half the question is not overruled by the model's topic.
        on_ctx_topic = (
            bool(ctx.topic)
            and detail.leads[0].topic == ctx.topic
            and detail.leads[0].kind == "item"
            and detail.own >= UNSURE_ITEM_OWN
        )
        # "During the on-site audit, how will the customs officers check our seal management?" (the
        # model: the certification procedure): how customs checks the named item, which our check
        # guidance says, holding most of the question.
        checks_asked = detail.leads[0].kind == "guidance" and detail.own >= STRONG_OWN and _check_asked(query)
        # "What does the advanced standard say about criminal records of our managers?" (the model:
        # the standard's structure, from its name): what it says on that subject, not its 74 items.
        subject_asked = topic in _STRUCTURE_TOPICS and bool(_SAYS_ABOUT.search(query)) and detail.own >= UNSURE_ITEM_OWN
        # "我们公司成立才8个月，内部审计报告怎么办" (the model: the application): the clause written for
        # the circumstance the enterprise states ("成立不满1年的，提交自成立以来的……").
        circumstance = (
            detail.leads[0].kind == "item"
            and bool(_YOUNG_Q.search(query))
            and any(_YOUNG_U.search(u.text) for u in detail.leads)
        )
        # "只报认证企业这一档，流动比率最低得多少" (the model: what the certified level is, from its
        # name): a figure of that level's own standard, which its clause gives and the level's
        # description does not.
        # ("What's the current-ratio floor under the Certified standard?" (the model: that standard's
        # structure): the figure, not the count of its items, which the structure answers)
        level_figure = (
            (
                _LEVEL_OF_TOPIC.get(topic) == level
                or (_LEVEL_OF_STRUCTURE.get(topic) == level and bool(_FIGURE_Q.search(query)))
            )
            and nlu.confidence < VERY_SURE
            and any(r.search(query) for r in (_DURATION_Q, _NUMBER_Q, _COUNT_Q))
            and detail.leads[0].kind == "item"
            and LEVEL_OF_STANDARD.get(detail.leads[0].standard or "") == level
        )
        # "那以前251号令的时候，罚款累计的门槛是多少？" (the model: that decree itself): a figure of one of
        # the named document's own articles, which its clause gives and the decree's description does not.
        lead_entry = kb.entries.get(detail.leads[0].entry_id or "")

        def topic_best() -> float:
            # the most of the question a clause of the model's topic holds (a pass over the ranking,
            # so only asked for where the cheaper conditions hold)
            return max((r.coverage for r in ranked if r.unit.topic == topic and r.unit.lang == lang), default=0.0)

        of_document = (
            any(
                r.search(query) for r in (_NUMBER_Q, _DURATION_Q)
            )  # (its date is the decree's own: "282号令从哪天起施行")
            and lead_entry is not None
            and bool(lead_entry.article)
            and document_of_source(lead_entry.source_id or "") in documents_in(query)
            and any(e.source_id == lead_entry.source_id for e in kb.entries_for_topic(topic))
            and topic_best() < detail.own
        )
        # "Under the old Decree 251, would total fines of RMB 900,000 … have made a non-broker enterprise
        # dishonest?" (the model: the 2026 standards' compliance items): a clause of the document the
        # line names, when nothing of the model's topic is from that document or names it
        # (not "whats different between decree 251 and the new 282", whose topic names Decree 251)
        named_docs = documents_in(query)
        named_elsewhere = (
            lead_entry is not None
            and nlu.confidence < VERY_SURE
            and detail.own >= CONFIDENT_OWN
            and document_of_source(lead_entry.source_id or "") in named_docs
            and not any(
                document_of_source(e.source_id or "") in named_docs
                or any(named_docs & u.mentions for u in idx.by_entry[e.id])
                for e in kb.entries_for_topic(topic)
            )
        )
        # "旧第251号令第三十条中，高级认证企业进出口货物平均查验率是怎么规定的？" (the model, unsure: the
        # inspection-rate reports): the clause of the article the line names, of the document it names, when
        # no entry of the model's topic is from that article
        named_arts = articles_in(query)

        def from_named_article(e: KEntry) -> bool:
            return document_of_source(e.source_id or "") in named_docs and bool(
                named_arts & articles_in(_article_of(e, lang))
            )

        named_article = (
            lead_entry is not None
            and bool(named_arts)
            and nlu.confidence < VERY_SURE
            and detail.own >= CONFIDENT_OWN
            and from_named_article(lead_entry)
            and not any(from_named_article(e) for e in kb.entries_for_topic(topic))
        )
        # "Our checklist says something has to be reported 'before 30 June of each year' … Reported
        # what?": the clause that holds the quoted phrase word for word, whatever the model's topic
        # (a phrase or a figure, not a term the line only puts in quotes: "they offered to 'cultivate' us")
        quoted = any(q in _compared(u.text) for q in _quoted_in(query, phrases=True) for u in detail.leads)
        if (
            not on_ctx_topic
            and not quoted
            and not of_document
            and not named_elsewhere
            and not named_article
            and not article_asked
            and not level_figure
            and not _topic_about_item(kb, topic, detail.leads[0])
            and not circumstance
            and not checks_asked
            and not subject_asked
            and (not asks_detail or (sure and not (detail.score >= STRONG_SCORE and detail.own >= STRONG_OWN)))
        ):
            # "Which announcement says unintentional violations do not count toward dishonest status?"
            # (the model: the dishonesty criteria): the clause from elsewhere and one of the model's topic
            # beside it come from the same document; that topic's own clause answers.
            source = lead_entry.source_id if lead_entry is not None else ""
            kin = [
                u.entry_id
                for u in detail.leads[1:3]
                if source
                and SOURCE_RE.search(query)  # (a document asked for; No. 34 is the source of half the standard)
                and u.topic == topic
                and u.lang == lang
                and (e := kb.entries.get(u.entry_id or "")) is not None
                and e.source_id == source
            ]
            # "复核没通过会怎样" (sure: re-assessment): a clause of that topic that holds the whole
            # question answers, before the topic's summary.
            in_topic = [r for r in ranked if kin and r.unit.entry_id == kin[0] and r.unit.lang == lang] or [
                r for r in ranked if r.unit.topic == topic and r.unit.lang == lang and r.coverage >= TOPIC_CLAUSE_OWN
            ]
            # "Does a director's criminal record matter for advanced certification?" (the model: related
            # persons): that topic's clause holding more of it than the clause from elsewhere answers
            # ("… no related person criminally punished for an intentional crime within 2 years (item 17)")
            holds = max(TOPIC_RIVAL_OWN, detail.own + TOPIC_RIVAL_MARGIN)
            in_topic = in_topic or [
                r
                for r in ranked
                if r.unit.topic == topic and r.unit.lang == lang and r.coverage >= holds and not r.unit.superseded
            ]
            own = find_detail(kb, idx, query, lang, level, etype, topics, boost, in_topic) if in_topic else None
            # "Decree 251: credit repair is in which article" (the model: Decree 282's articles): a
            # clause elsewhere that holds most of the question, where nothing of the model's topic
            # holds half as much, answers rather than the topic's summary.
            outside = (
                nlu.confidence < VERY_SURE and detail.own >= FAR_BETTER_OWN and detail.own >= FAR_BETTER * topic_best()
            )
            detail = (
                own
                if own is not None and (kin or own.own >= min(TOPIC_CLAUSE_OWN, holds)) and own.score >= need
                else (detail if outside else None)
            )
    elif (
        topic
        and detail
        and nlu.confidence >= VERY_SURE
        and detail.leads[0].topic == topic
        and detail.leads[0].kind == "policy"
        and _BENEFITS_Q.search(query)
        and not any(r.search(query) for r in (_DURATION_Q, _DATE_Q, _NUMBER_Q, _COUNT_Q, _TIMES_Q))
    ):
        # "AEO互认在国外有什么好处？": every benefit, which the topic's summary lists, not the one
        # clause of it that shares most words with the question
        detail = None
    elif (
        topic
        and detail
        and detail.leads[0].kind == "item"
        and nlu.confidence >= TRUSTED_INTENT
        and detail.own < BROAD_OWN
        and not any(r.search(query) for r in (_DURATION_Q, _DATE_Q, _NUMBER_Q, _COUNT_Q, _TIMES_Q))
        and not _one_item_asked(kb, idx, query, lang, level, etype, topics, detail)
        and not _spec_asked(idx, query, detail)
    ):
        # A broad question on a requirements topic ("仓库要装监控、门禁，封条怎么管？")
        # that one item's clause only partly covers: the topic's summary answers it.
        detail = None
    if (
        detail
        and not detail.no_period
        and detail.own < NO_PERIOD_OWN
        and _DURATION_Q.search(query)
        and (asked := _the_one_question(query))
    ):
        # "我们的录像7天就覆盖了，标准要求存多少天？": what the enterprise tells beside its question
        # dilutes it; the question alone finds that the answering clause sets no period
        alone = find_detail(kb, idx, asked, lang, level, etype, topics, boost)
        if alone is not None and alone.no_period and alone.leads[0].entry_id == detail.leads[0].entry_id:
            detail = alone
    if (
        detail
        and len(detail.leads) > 1
        and detail.score >= need
        and (asked := _the_one_question(query))
        and (alone := find_detail(kb, idx, asked, lang, level, etype, topics, boost)) is not None
        and not _OF_THE_STORY.search(asked)  # ("Will that end up on our credit record?" asks of what was told)
        and alone.leads[0] in detail.leads[1:]
        and detail.leads[0] not in alone.leads
        and alone.score >= need
    ):
        # "今早发现仓库一个集装箱的封条被换过，高级认证对封条有什么标准要求？": of the clauses the line holds,
        # the one the question itself asks for (封条, not the 集装箱 the enterprise tells of)
        detail = alone
    elif detail and (detail.own < own_needed or detail.score < need) and (asked := _the_one_question(query)):
        # what the enterprise tells beside its question dilutes how much of the line a clause holds
        # (and how well it scores: "The board has just decided to put our subsidiary into dissolution.
        # What does the standard say about …"): the clause that answers the question itself, when it is the same
        alone = find_detail(kb, idx, asked, lang, level, etype, topics, boost)
        if alone is not None and (
            (
                alone.leads[0].entry_id == detail.leads[0].entry_id
                and (detail.own < own_needed or alone.score > detail.score)
            )
            # (nothing answers the whole line well, and the question alone finds its clause surely)
            or (
                detail.score < need
                and alone.score >= need
                and alone.own >= own_needed
                and not _OF_THE_STORY.search(asked)
            )
        ):
            detail = alone
    elif (
        detail
        and detail.own < own_needed
        and _cites_article(kb, detail.leads[0], lang)
        and (asked := _ARTICLE_CLAUSE.sub("", query)) != query
        and len(asked) >= len(query) / 2
    ):
        # "……平均查验率是低于常规企业的百分之多少，是第几条规定的": the clause, which names its article
        # beside it, holds the rest of the line
        entry_id = detail.leads[0].entry_id
        mine = [r for r in rank_units(idx, asked, lang, boost) if r.unit.entry_id == entry_id]
        alone = find_detail(kb, idx, asked, lang, level, etype, topics, boost, mine) if mine else None
        if alone is not None and alone.own > detail.own:
            detail = alone
    elif detail and detail.own < own_needed and detail.leads[0].kind == "item":
        # "集装箱封条有什么讲究？随便买的普通封条行不行？": two questions on one item, each holding
        # its own words, not the other's: the item as the best-held part finds it
        parts = _same_item_parts(kb, idx, query, lang, level, etype, topics, detail)
        if parts:
            detail = max(parts, key=lambda d: d.own)
            # ("……这一项算什么结果？以后每年几号前要报？": each part's own clause of the item answers it)
            leads = list(detail.leads)
            for u in (u for p in parts for u in p.leads if u.entry_id == p.leads[0].entry_id):
                if u not in leads:
                    leads.append(u)
            detail = replace(detail, leads=leads)
    if detail and detail.leads[0].kind == "policy" and not _COUNT_Q.search(query):
        detail = _member_as_items(kb, idx, query, lang, level, etype, topics, boost, ranked, detail) or detail
    if detail and topic and nlu.confidence >= VERY_SURE and _defines_topic(kb, query, topic):
        detail = None  # "单项标准是啥？": what the topic is, which its summary says, not one of its clauses
    if (
        detail
        and _WHOLE_RULE_Q.search(query)
        and (first := detail.leads[0]).kind == "item"
        and first.standard in ("advanced", "certified")
        and all(u.kind == "item" and u.entry_id == first.entry_id for u in detail.leads)
    ):
        # "偿债能力那一项是怎么算的 几个指标": every indicator of the item and how they are counted,
        # not the two clauses its words happen to hold best
        whole = _item_units(kb, idx, first.standard, first.item_number or 0, "item", lang)
        if len(whole) > len(detail.leads) and _CLAUSE_MARK.search(" ".join(u.text for u in whole)):
            detail = replace(detail, leads=whole)
    if detail and detail.score >= need and detail.own >= own_needed and detail.evidence >= MIN_EVIDENCE:
        reply = render_detail(kb, detail, lang, today)
        lead = detail.leads[0]
        if detail.business:
            new = replace(new, q=f"{detail.business} {query}")  # the question as understood, with its business
        return reply, replace(
            new,
            kind="detail",
            entry=lead.entry_id or "",
            topic=lead.topic or "",
            item=lead.item_number or 0,
            standard=lead.standard or "",
        )
    if topic and nlu.intent not in SPECIAL_INTENTS:
        topic_reply = answers.answer_topic(kb, topic, query, lang, today, level)
        if topic_reply is not None:
            topic, topic_reply = _topic_with_asked(kb, nlu, query, lang, today, level, topic, topic_reply)
            return topic_reply, replace(new, kind="topic", entry=topic_reply.entry_ids[0], topic=topic)
    if offtopic:
        return _offtopic_reply(lang), ctx
    reply = answers.search_or_suggest(kb, query, lang, nlu.topics(), today)
    if reply.kind == "answer" and reply.entry_ids:
        e = kb.entries[reply.entry_ids[0]]
        return reply, replace(new, kind="topic", entry=e.id, topic=e.topic or "")
    return reply, ctx


OTHER_TOPIC_FLOOR = 0.01  # the model's guesses this sure or more are tried


def _topic_with_asked(
    kb: Knowledge, nlu: NLU, query: str, lang: str, today, level: str, topic: str, reply: Reply
) -> tuple[str, Reply]:
    """ "以前251号令的时候，因为欠税被认定失信，要等多久才能申请信用修复" (the model: the repair
    materials): a question for a period that the model's topic's summary gives none of is
    answered by the next topic the model names whose summary gives one (the repair periods)."""
    # "Back in 2019, what share of shipments from dishonest firms got inspected?" (the model: the
    # measures for dishonest enterprises): a figure of a year the summary does not name, from the
    # next topic whose summary names it
    years = set(_YEAR.findall(query))
    period_missing = bool(_DURATION_Q.search(query)) and not _DURATION_U.search(reply.text)
    year_missing = bool(years) and not years <= set(_YEAR.findall(reply.text)) and bool(_NUMBER_Q.search(query))
    if not (period_missing or year_missing):
        return topic, reply
    idx = units_for(kb)
    held = _share_held(idx, query, unit_tokens(reply.text))
    for other, _ in nlu.topics(OTHER_TOPIC_FLOOR):
        if other == topic:
            continue
        alt = answers.answer_topic(kb, other, query, lang, today, level)
        # ("多少天内给结果" about repair: not the 90 days of the certification procedure, which
        # holds less of the question than the repair materials do)
        gives = alt is not None and (
            (period_missing and bool(_DURATION_U.search(alt.text)))
            or (year_missing and years <= set(_YEAR.findall(alt.text)))
        )
        if alt is not None and gives and _share_held(idx, query, unit_tokens(alt.text)) >= held:
            return other, alt
    return topic, reply


_TOO_ASKED = re.compile(r"也([^，,。？?]{1,4})吗[？?。]*$")
CONFIRM_TOPIC = "where_to_confirm"
_WHERE_CONFIRM = re.compile(
    r"(?:哪里|哪儿|在哪|哪能|何处|找谁|问谁).{0,6}(?:核实|确认|核对|查证|官方)"
    r"|(?i:where (?:can|do|should|could) (?:i|we) (?:check|confirm|verify) (?:that|this|it|these|those)\b"
    r"|where\b.{0,30}\bofficially\b|who (?:can|do|should) (?:i|we) (?:ask|call) to (?:check|confirm|verify))"
)
_DEFINE_FILLER = re.compile(
    r"^(?:那|那么|请问|想问一下|问一下|所谓的?|海关的?)+|(?:到底|究竟|具体)$|[\s，,。？?！!“”\"'「」]"
)
_TITLE_NOTE = re.compile(r"[（(][^）)]*[）)]")


def _defines_topic(kb: Knowledge, query: str, topic: str) -> bool:
    """Whether the line asks only what a topic itself is ("单项标准是啥？"): its subject, before
    "是什么", is the topic's name (knowledge/topics.yaml) or a part of it ("容错机制的核心思路"
    asks more than the name)."""
    asked = _DEFINE_Q.search(query)
    if asked is None:
        return False
    subject = _DEFINE_FILLER.sub("", query[: asked.start()]).lower()
    titles = {_TITLE_NOTE.sub("", kb.topic_title(topic, lang)).lower() for lang in ("zh", "en")}
    return len(subject) >= 2 and any(subject in t for t in titles)


CASE_LINE = 16  # Chinese characters of a "要是……呢" line read as the earlier question for that case
_CASE_OF_IT = re.compile(r"^\s*(?:要是|如果|假如|万一)([^，,。？?]+?)呢[？?。]*\s*$")
_CLAUSE_SPLIT = re.compile(r"[？?。；;！!，,]")
OFFTOPIC_WORDS_HELD = 0.5  # share of an off-topic-looking line's words that its clause must hold


def _words_held(idx: UnitIndex, query: str, unit: Unit) -> float:
    """The share of the line's content words (any word class, known to the knowledge or not) that
    the unit holds, itself or through a synonym."""
    return _share_held(idx, query, unit.tokens | unit.context_tokens)


def _share_held(idx: UnitIndex, query: str, have: set) -> float:
    """The share of the line's content words found in ``have`` (tokens), itself or through a synonym."""
    words = {t for t in unit_tokens(query) - QUERY_STOPWORDS if len(t) >= 2 and not re.search(r"\d", t)}
    if not words:
        return 1.0
    groups = [alts for _, alts in idx.concepts(query) if alts & have]
    return sum(1 for t in words if t in have or any(t in g for g in groups)) / len(words)


_EN_SENTENCE_END = r"(?<=[a-z]\.)(?=\s+[A-Z])"  # "… 7 days. How many …"


PART_WORDS = 4  # a part of a line this long (Chinese characters and Latin words) can be asked alone


def _holds_a_question(part: str) -> bool:
    """The part is long enough to be a question of its own ("多少条" alone is not)."""
    return len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z]+", part)) >= PART_WORDS


@functools.lru_cache(maxsize=256)
def _the_one_question(query: str) -> str:
    """The one clause that asks, when the line also tells (the enterprise's situation); else ""."""
    clauses = [
        c
        for c in re.split(rf"(?<=[？?。；;！!，,])|{_EN_SENTENCE_END}", query)  # ("… 7 days. How many …")
        if _holds_a_question(c)
    ]
    asking = [c for c in clauses if _asks(c, query)]
    # the others tell about the enterprise itself ("我们现在用的是……"), not another subject ("仓库要装监控、门禁，");
    # a clause of a sentence that does ("我们是做服装出口的，过去一年被海关处罚了4回，罚款加起来8万。") too
    sentences = [x for x in re.split(rf"(?<=[。！!？?])|{_EN_SENTENCE_END}", query) if x.strip()]
    own = [x for x in sentences if _OWN_CLAUSE.search(x) and not any(a in x for a in asking)]
    if len(asking) != 1 or len(clauses) < 2:
        return ""
    # ("…was rated dishonest. Under the certified standard, how far back does customs look …?": an
    # English phrase before the question, in its sentence, is part of it)
    x = next((x for x in sentences if asking[0] in x), "")
    lead_in = x[: x.find(asking[0])]
    if re.search(r"[\u4e00-\u9fff]", lead_in) or _OWN_CLAUSE.search(lead_in):
        lead_in = ""
    # ("现场核查时企业拿出一批封条，我该对照哪个封条标准……": the officer's check is the occasion)
    occasion = _CHECK_Q.search(query) and not _check_asked(query)
    telling = all(
        _OWN_CLAUSE.search(c) or _TELLS_EVENT.search(c) or any(c in x for x in own) or (occasion and _CHECK_Q.search(c))
        for c in clauses
        if c not in asking and not (lead_in and c in lead_in)
    )
    return _CLAUSE_SPLIT.sub("", f"{lead_in} {asking[0]}").strip() if telling else ""


def _asks(clause: str, line: str) -> bool:
    """The clause asks: in English one that ends in "?" or opens a sentence with a question word
    (", which is advanced certified," tells)."""
    if re.search(r"[\u4e00-\u9fff]", clause):
        return bool(answers.ASKING_CLAUSE.search(clause))
    before = line[: line.find(clause)].rstrip()
    return "?" in clause or (bool(_EN_ASKS.match(clause)) and not before.endswith(","))


_EN_ASKS = re.compile(
    r"\s*(?:and |so |but |then |also )?(?:how|what|which|when|why|whether|who|where|does|do|did|is|are|can|could|should|must|will|would|may)\b",
    re.I,
)
# "今早发现仓库一个集装箱的封条被换过，": what happened (to the enterprise, unnamed), told beside the question
_TELLS_EVENT = re.compile(
    r"了|刚|发现|今早|今天|昨天|前天|上周|上个月|这周|本周|最近|被.{1,6}过"
    r"|(?i:\b(?:just|yesterday|this morning|last (?:week|month)|recently)\b)"
)
_OWN_CLAUSE = re.compile(r"我们|我司|我公司|本公司|咱们|(?i:\b(?:we|our|us)\b)")


def _one_item_asked(
    kb: Knowledge, idx: UnitIndex, query: str, lang: str, level: str, etype: str, topics: dict, detail: Detail
) -> bool:
    """A question of two or more parts that all ask about the same item ("集装箱封条要符合什么标准？
    施封的时候要留什么记录？": item 55 both times), unlike a broad one whose parts point to different
    items ("仓库要装监控、门禁，封条怎么管？")."""
    return bool(_same_item_parts(kb, idx, query, lang, level, etype, topics, detail))


def _spec_asked(idx: UnitIndex, query: str, detail: Detail) -> bool:
    """A question for the outside standard an item must meet ("出口集装箱用的封条，海关认证的时候要求达到
    什么标准"), which the item's clause answers when it names one (PAS ISO 17712): not a broad question."""
    if not _SPEC_Q.search(query):
        return False
    return any(_NAMES_SPEC.search(u.text) for u in idx.by_entry.get(detail.leads[0].entry_id or "", []))


def _same_item_parts(
    kb: Knowledge, idx: UnitIndex, query: str, lang: str, level: str, etype: str, topics: dict, detail: Detail
) -> list[Detail]:
    """The answers to each part of a question of two or more parts, when all are the item ``detail``
    leads with (or its counterpart in the other standard); else none."""
    parts = [p for p in _CLAUSE_SPLIT.split(query) if _holds_a_question(p)]
    if len(parts) < 2:
        return []
    entry = detail.leads[0].entry_id
    # "集装箱封条有啥标准要求？我们现在用的是普通塑料封。": what the enterprise tells beside its one
    # question does not make the question broad
    asked = _the_one_question(query)
    if asked:
        parts = [asked]
    # (the same item of the other standard is the same item: "随便买的普通封条行不行" finds 认证企业 48)
    head = detail.leads[0]
    key = f"{head.standard}:{head.item_number}"
    same = {key, *idx.counterpart.get(key, [])}
    # "员工离职了嘛，那贸易安全那块儿，……": a part that only names the item's dimension is where the
    # subject is, not another subject
    where = unit_tokens(" ".join(kb.topic_title(head.topic or "", x) for x in ("zh", "en")) + " 标准 standard")
    out = []
    for part in parts:
        words = unit_tokens(part) - QUERY_STOPWORDS - _WHERE_WORDS
        if len(parts) > 1 and (words <= where or SAME_ITEM_RE.search(part)):
            # ("……这一项算什么结果？": a part that points back at the item asks of it)
            continue
        found = find_detail(kb, idx, part, lang, level, etype, topics)
        if found is None or found.evidence < MIN_EVIDENCE:
            # "随便网上买的行不行", "有没有具体的要求": a part holding no word the knowledge knows (or
            # too little of substance) asks about the same subject
            continue
        lead = found.leads[0]
        if lead.entry_id != entry and not (lead.standard and f"{lead.standard}:{lead.item_number}" in same):
            # "招人要做背景调查吗，主要核实什么": a part whose every word the item itself has asks of it
            if words and words <= idx.entry_tokens.get(entry or "", frozenset()):
                continue
            return []
        out.append(found)
    return out


_WHERE_WORDS = frozenset(
    {
        "那",
        "这",
        "块",
        "块儿",
        "那块",
        "那块儿",
        "这块",
        "这块儿",
        "方面",
        "部分",
        "这边",
        "那边",
        "一块",
        "side",
        "part",
        "area",
        "as",
        "for",
        "on",
        "the",
        "in",
    }
)


_MORE_FILLER = re.compile(
    r"关于|那个|这个|那条|这条|那项|这项|的|(?i:\b(?:on|about|the|that|this|one|of|item|please|pls)\b)"
)


def _more_on(kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today) -> tuple[Reply, Context] | None:
    """ "more detail on the customs proficiency one" after the list of bonus items: the whole
    standard item the line names, found among what the conversation is about."""
    rest = _MORE_FILLER.sub(" ", MORE_RE.sub(" ", text)).strip(" ,，.。?？!！-")
    if not re.search(r"[\u4e00-\u9fff]{2}|[A-Za-z]{4}", rest):
        return None
    detail = find_detail(kb, idx, rest, lang, ctx.level, ctx.etype, {ctx.topic: 1.0} if ctx.topic else {})
    if detail is None or detail.score < CONFIDENT_SCORE:
        return None
    lead = detail.leads[0]
    if lead.kind != "item" or not lead.item_number:
        return None
    reply = answers.answer_item(kb, lead.item_number, lead.standard, lang, today)
    entry = reply.entry_ids[0] if reply.entry_ids else ""
    return reply, replace(ctx, kind="item", item=lead.item_number, standard=lead.standard or "", entry=entry, q=text)


# A member of a numbered list ("2. 认证企业（新增一级）")
_LIST_LINE = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[①-⑩]|[-•·])\s*\S")
# The mark asked of, as the list writes it ("新加的" → "新")
_MARK_STEM = re.compile(r"(?:加|增|设|出|来|加入|增加|设立)?的?$")


def _picked_members(kb: Knowledge, mark: str, lang: str, ctx: Context, today) -> Reply | None:
    """ "Which one is new?" after the five levels: the members of the previous answer's list that
    carry that mark ("2. Certified Enterprise (new)"), with its citation; None when none or all do."""
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    if entry is None:
        return None
    members = [line.strip() for line in entry.answer[lang].splitlines() if _LIST_LINE.match(line)]
    if lang == "zh":
        stem = _MARK_STEM.sub("", mark) or mark
        marked = [m for m in members if stem in m]
    else:
        word = re.compile(rf"\b{re.escape(mark.lower())}\b")
        marked = [m for m in members if word.search(m.lower())]
    if not marked or len(marked) == len(members):
        return None
    head = "上一条回答列出的各项中：" if lang == "zh" else "Of those listed in the previous answer:"
    notes = answers.entry_caveats(kb, entry, lang, today)
    text = "\n".join([head, *marked, "", answers.citation_line(kb, entry, lang, today), *notes])
    return Reply(text=text, entry_ids=[entry.id], kind="answer")


def _more(kb: Knowledge, ctx: Context, lang: str, today) -> Reply:
    from core.standards import guidance

    if ctx.kind == "partner" and ctx.economy:
        return answers.answer_partner(kb, [ctx.economy], "", lang)
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    if entry is not None and entry.standard and entry.item_number:
        item = answers.answer_item(kb, entry.item_number, entry.standard, lang, today)
        label = entry.answer["zh"].split("「")[1].split("」")[0] if "「" in entry.answer["zh"] else ""
        # "详细" shows the full text (issue 11), then how it is checked and met
        item.text += "\n\n" + guidance.render(entry.standard, entry.item_number, lang, label)
        return item
    if entry is not None:
        reply = answers.answer_entry(kb, entry.id, lang, today)
        if reply is not None and (pointed := _pointed_entry(kb, entry, lang, today)) is not None:
            # "详细说说" after "……具体公示期限未核实；国家层面的期限见国办发〔2025〕22号": what that
            # document says too, under its own citation
            body, _, rest = reply.text.partition("\n\n")
            cite, _, notes = rest.partition("\n")
            more = [body, "", pointed.answer[lang].strip(), "", cite, answers.citation_line(kb, pointed, lang, today)]
            reply.text = "\n".join(more + ([notes] if notes else []))
            reply.entry_ids = [*reply.entry_ids, pointed.id]
        if reply is not None:
            if entry.topic:
                reply.buttons = [
                    {"title": kb.topic_title(entry.topic, lang), "payload": f"/ask_{entry.topic}"},
                ]
            return reply
    if ctx.item:
        return answers.answer_item(kb, ctx.item, ctx.standard or None, lang, today)
    return Reply(text=needs_context_text(lang), kind="clarify")


_POINTS_TO = re.compile(r"(?<![意常罕少多可])见|(?i:\bsee\b|\b(?:are|is) (?:set out )?in\b)")


def _pointed_entry(kb: Knowledge, entry, lang: str, today):
    """The entry of another document in force that ``entry`` sends the reader to for what it does
    not say itself ("……见国办发〔2025〕22号", "… are in Guo Ban Fa [2025] No. 22")."""
    own = document_of_source(entry.source_id)
    for sentence in split_sentences(entry.answer[lang], lang):
        docs = documents_in(sentence) - {own}
        if docs and _POINTS_TO.search(sentence):
            other = _entry_of_document(kb, docs, entry.topic or "")
            if other is not None and other.id != entry.id and not other.superseded(today):
                return other
    return None


ITEM_CASE_OWN = 0.6  # a clause of the conversation's item holds this much of a short unsure line


def _item_case_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, nlu: NLU, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "已经是高级认证企业了怎么算" after item 73 ("申请……的，1年内……；已经成为高级认证企业的，复核周期内
    ……"): the clause of the conversation's item for the case the line names, when the model
    cannot place the line."""
    if not (ctx.item and ctx.standard in ("advanced", "certified")) or len(text) > PARTNER_LINE:
        return None
    if follow_up(text, []) is not None:
        return None  # "这个现在还有效吗", "详细说说": a follow-up of its own kind
    if (
        nlu.confidence >= TRUSTED_INTENT
        or parse_item_number(text) is not None
        or level_in(text) not in ("", None, ctx.standard)
    ):
        return None
    # (its small words too: "已经" is what tells "已经成为……的" from "申请……的")
    asked = {t for t in unit_tokens(text) if len(t) >= 2} - _ASK_TOKENS
    if not asked:
        return None
    held = sorted(
        ((len(asked & u.tokens) / len(asked), u) for u in _item_units(kb, idx, ctx.standard, ctx.item, "item", lang)),
        key=lambda x: -x[0],
    )
    if not held or held[0][0] < ITEM_CASE_OWN or (len(held) > 1 and held[1][0] >= held[0][0]):
        return None
    reply = render_detail(kb, Detail(leads=[held[0][1]], score=1.0, own=held[0][0]), lang, today)
    return reply, replace(ctx, asked=text)


ASKED_MEMBER_MARGIN = 0.15  # the asked list member holds this much more of the question than the next
ITEM_FOR_MEMBER = 0.8  # the item a summary's member sums up holds this share of what the member holds


def _member_as_items(
    kb: Knowledge,
    idx: UnitIndex,
    query: str,
    lang: str,
    level: str,
    etype: str,
    topics: dict,
    boost: str,
    ranked: list[Ranked],
    detail: Detail,
) -> Detail | None:
    """ "去年没报年报，被列入异常名录了，影响认证吗": one member of a standard's summary list
    ("6. 2年内未被列入信用信息异常企业名录") is all of the summary the answer holds; the item that
    member sums up answers, from each standard that has it (or the level named), not the summary.
    None unless the best item clause for the question is the item the member names."""
    head = detail.leads[0]
    members = [u for u in detail.leads if u.entry_id == head.entry_id and LIST_MARK.match(u.text)]
    held = {r.unit.id: r.coverage for r in ranked}
    picked = False
    if (
        len(members) > 1
        and not LIST_MARK.match(head.text)
        and not (_ALL_Q.search(query) or _LIST_ASKED.search(query) or _POINTS_Q.search(query))
    ):
        # "The bonus item about customs brokers: what exactly do we need?": the list's intro leads and
        # brings the whole list, but one member holds clearly more of the question than the intro and
        # every other member
        by_held = sorted(members, key=lambda u: held.get(u.id, 0.0), reverse=True)
        best, next_ = held.get(by_held[0].id, 0.0), held.get(by_held[1].id, 0.0)
        if best > held.get(head.id, 0.0) and best >= next_ + ASKED_MEMBER_MARGIN:
            members, picked = by_held[:1], True
    if len(members) != 1 or _wanted_old(query):
        return None
    standard = head.level if head.level in ("advanced", "certified") else ""
    own_number = _MEMBER_ITEM.search(members[0].text)
    if picked:  # only a member that names its items ("高级认证第73项"), not a group ("食品、化妆品业务6项")
        named = _item_numbered(kb, idx, members[0].text, standard or level or "advanced", lang)
    elif own_number and standard:
        # "6. 2年内未被列入信用信息异常企业名录（第27项）": the item of the summary's own standard it names
        units = _item_units(kb, idx, standard, int(own_number.group(1) or own_number.group(2)), "item", lang)
        named = units[0] if units else None
    else:
        named = _item_named(idx, LIST_MARK.sub("", members[0].text), lang, standard)
    if named is None or named.item_number is None or named.law != head.law:
        return None
    standard = named.standard
    keys = {f"{standard}:{named.item_number}"}
    if not level:
        keys |= set(idx.counterpart.get(f"{standard}:{named.item_number}", []))
    elif level != standard:
        keys = {k for k in idx.counterpart.get(f"{standard}:{named.item_number}", []) if k.startswith(level + ":")}
    items = [r for r in ranked if r.unit.kind == "item" and f"{r.unit.standard}:{r.unit.item_number}" in keys]
    if not keys or not items or items[0].coverage < ITEM_FOR_MEMBER * held.get(members[0].id, 1.0):
        return None
    if any(
        u.kind == "item" and f"{u.standard}:{u.item_number}" not in keys and held.get(u.id, 0.0) >= items[0].coverage
        for u in detail.leads
    ):
        return None  # ("那信息安全那项呢": another item's clause, shown with the summary, holds more)
    clause = find_detail(kb, idx, query, lang, level, etype, topics, boost, items)
    if clause is None or clause.leads[0].kind != "item":
        return None
    return replace(clause, score=max(clause.score, detail.score), own=max(clause.own, detail.own))


_MEMBER_ITEM = re.compile(r"[（(]第(\d{1,2})项[）)；;]|\(item (\d{1,2})\)")


def _asked_member_item(kb: Knowledge, idx: UnitIndex, lang: str, ctx: Context, today) -> tuple[Reply, Context] | None:
    """ "具体要求什么" after "内部控制里新加了什么项目" (answered from the summary list): the whole standard
    item of the one list member the question was about ("4. 禁限审查（新增）"), not the summary again."""
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    if entry is None or entry.kind != "policy" or not ctx.q:
        return None
    members = [
        r
        for r in rank_units(idx, ctx.q, lang)
        if r.unit.entry_id == entry.id and r.unit.lang == lang and LIST_MARK.match(r.unit.text)
    ]
    if not members or (len(members) > 1 and members[0].coverage < members[1].coverage + ASKED_MEMBER_MARGIN):
        return None
    standard = level_in(ctx.q) or ctx.level or ("advanced" if entry.id.endswith("advanced_2026") else "")
    label = re.split(r"[：:（(]", LIST_MARK.sub("", members[0].unit.text), maxsplit=1)[0]
    named = _item_named(idx, label, lang, standard)
    if named is None or named.item_number is None or not named.standard:
        return None
    reply = answers.answer_item(kb, named.item_number, named.standard, lang, today)
    entry_id = reply.entry_ids[0] if reply.entry_ids else ""
    return reply, replace(ctx, kind="item", item=named.item_number, standard=named.standard, entry=entry_id)


_DOUBTED = re.compile(r"存疑|未核实|未经核实|(?i:uncertain|unresolved|not verified|unverified)")


def _doubted_clauses(sentences: list[str], lang: str) -> str:
    """The clauses of an answer that mark themselves uncertain ("……30万元（其处罚次数比例……存疑）"),
    each cut to its own clause of a longer sentence."""
    parts = [p.strip() for x in sentences for p in re.split(r"(?<=[；;])\s*", x) if _DOUBTED.search(p)]
    parts = [re.sub(r"^\s*\d+[.、．]\s*", "", p).rstrip("；;。. ") for p in parts]
    return ("；" if lang == "zh" else "; ").join(parts) + ("。" if lang == "zh" else ".") if parts else ""


# "under Decree 282", "在282号令下", "按现行282号令": the rule a question asks something under
_UNDER_DOCUMENT = re.compile(
    r"(?i:\b(?:under|in|per|according to) (?:the )?(?:new |current )?(?:decree|announcement|order) (?:no\. ?)?\d{2,3}\b)"
    r"|(?:在|按|按照|依据)(?:现行|新的?)?(?:第)?\d{2,3}号(?:令|公告)(?:下|里|中)?"
)
SAID_LIST_LINES = 3  # the lines of a list that the previous answer's opening line introduces, quoted


def _about_last_answer(
    kb: Knowledge, kind: str, lang: str, ctx: Context, today, text: str = "", in_reply: bool = False
) -> Reply:
    """ "依据哪个公告" / "这个核实过吗": the source, article and verified state of the
    entry the previous answer cited first, or of the document the line names
    ("127号公告现在还有效吗" after an answer from its successor)."""
    zh = lang == "zh"
    if ctx.kind == "partner" and ctx.economy:
        return answers.answer_partner(kb, [ctx.economy], "", lang)
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    # "Are those the current rates under Decree 282?": what was just said, asked of under that
    # decree, not the decree itself
    under = bool(_UNDER_DOCUMENT.search(text) and POINTER_RE.search(_UNDER_DOCUMENT.sub(" ", text)))
    named = set() if under else documents_in(text)
    newer = False  # the line asks about the successor of the rule the answer cites ("新的那个")
    if (
        not named
        and not under
        and entry is not None
        and (numbers := set(re.findall(r"(?<![\d.])\d{2,3}(?![\d.])", text)))
    ):
        # "is 127 still valid?" after an answer from 194 that names 127: the document of that number
        # the previous answer names (a bare number is not read as a document on its own)
        named = {d for d in documents_in(entry.answer["zh"]) if d.partition(":")[2] in numbers}
        named -= {document_of_source(entry.source_id)}
    if named:
        entry = _entry_of_document(kb, named, ctx.topic, STATUS_RE if kind == "status" else None) or entry
    elif kind == "status" and entry is not None and _NEWER_ONE.search(text) and entry.superseded(today):
        # "新的那个管到什么时候" after "127号公告还有效吗": the successor the answer named
        successor = _successor(kb, entry, lang, ctx.topic, text)[1]
        if successor is not None and not successor.superseded(today):
            entry, newer = successor, True
    elif kind == "source" and entry is not None and (subject := _source_subject(kb, text, lang, ctx)) is not None:
        entry = subject  # "ABCD四级是哪个文件定的": the entry of the conversation's topic that names it
    if kind == "source" and entry is not None and _WHO_Q.search(text) and not _speaker(kb, entry, lang):
        # "who said that?" after an answer that quotes a briefing second: that briefing's entry
        entry = next((kb.entries[e] for e in ctx.also if e in kb.entries and _speaker(kb, kb.entries[e], lang)), entry)
    if entry is None:
        return Reply(text=needs_context_text(lang), kind="clarify")
    # "Art. 30 …", not "Art."; the first sentence that says something, not "As far as known:"
    said = split_sentences(entry.answer[lang], lang)
    first = next((x for x in said if not (x.rstrip().endswith((":", "：")) and len(x) < 30)), said[0] if said else "")
    if getattr(entry, "item_number", None) and first in said and said.index(first) + 1 < len(said):
        # a standard item's entry opens with its name ("……第12项「财务状况-审计报告」（财务状况）。"):
        # and what it requires
        first = f"{first.rstrip()}{'' if zh else ' '}{said[said.index(first) + 1].strip()}"
    elif first.rstrip().endswith((":", "：")) and first in said:
        # "……分为三类，公示期不同：": what it introduces (up to 3 lines), not a line that ends in a colon
        introduced = [x.strip() for x in said[said.index(first) + 1 :][:SAID_LIST_LINES] if LIST_MARK.match(x)]
        if introduced:
            first = "\n".join([first.rstrip(), *introduced])
    cite = answers.citation_line(kb, entry, lang, today)
    if kind == "status" and DATES_ASKED_RE.search(text) and (dates := _dates_line(kb, entry, lang)):
        # "哪天开始执行": when the rule the answer cites was issued and took effect
        head, kind = dates, "dates"
    elif kind == "status" and not named and (history := _historical_figures(kb, entry, lang)):
        # "这些现在还适用吗" after figures from a report: not a rule in force or repealed, but
        # what the report says they are
        head = (
            f"这不是一项规定，而是报道的数字：{history}" if zh else f"These are reported figures, not a rule: {history}"
        )
    elif kind == "status":
        # ("该规定" of the rule named or of the successor asked for, not "the previous answer's")
        head = _status_line(entry, lang, today, of_named=bool(named) or in_reply or newer)
        if entry.superseded(today):
            # what replaced it, when the entry says ("其后续规定为公告2025年第194号"), else the
            # source's successor (knowledge/sources.yaml superseded_by: 第251号令 → 第282号令)
            after, successor = _successor(kb, entry, lang, ctx.topic, text)
            after = after or _replaced_by(kb, entry.source_id, lang)  # (that line gives the successor's date)
            head = f"{head}{after.strip()}" if zh else f"{head} {after.strip()}".strip()
            if successor is not None and not successor.superseded(today):
                # "is 127 still valid?": and the successor, until when
                head += ("" if zh else " ") + _successor_line(successor, lang)
        elif not named:
            # "这个公告现在还有效吗" after an answer from 194 that quotes the 127 it succeeds: and
            # that the one it names has expired
            own = document_of_source(entry.source_id)
            before = _entry_of_document(kb, documents_in(entry.answer["zh"]) - {own}, entry.topic or "")
            if before is not None and before.topic == entry.topic and before.superseded(today) and before.effective_to:
                kind_, number = document_of_source(before.source_id).partition(":")[::2]
                name = (
                    (f"{number}号公告" if kind_ == "announcement" else f"第{number}号令")
                    if zh
                    else (f"Announcement No. {number}" if kind_ == "announcement" else f"Decree No. {number}")
                )
                end = _day(before.effective_to, lang)
                head += (
                    f"它所接续的{name}施行至{end}，已失效。"
                    if zh
                    else f" {name}, which it succeeds, applied until {end} and has expired."
                )
    elif kind == "verified":
        source = kb.sources.get(entry.source_id) or {}
        if entry.verified and source.get("type") not in ("primary", "reprint", None):
            # a fact confirmed elsewhere, but read in an unofficial source (a translation, commentary)
            head = (
                "上一条回答的内容已核实，但它依据的是非官方资料，条款号和措辞请以官方文本为准。"
                if zh
                else "The previous answer is verified, but it rests on an unofficial source; "
                "check article numbers and wording against the official text."
            )
        elif entry.verified:
            head = (
                "上一条回答已与官方原文核对。"
                if zh
                else "The previous answer has been checked against the official text."
            )
            if doubted := _doubted_clauses(said, lang):
                # "is that broker rule verified?": a verified entry that marks one of its points as
                # uncertain says which, not "checked" of all of it
                head += (
                    "但其中这一点存疑，未经核实：" if zh else " Except this point, which is not verified: "
                ) + doubted
        else:
            head = (
                "上一条回答未经官方文本核实，请以12360热线、credit.customs.gov.cn或主管海关的答复为准。"
                if zh
                else "The previous answer is not verified against the official text; confirm with 12360, "
                "credit.customs.gov.cn or your customs office."
            )
    elif kind == "items":
        head = (
            "上一条回答涉及的标准项号见下方出处："
            if zh
            else "The item numbers of the previous answer are in its citation:"
        )
    else:
        head = "上一条回答的出处：" if zh else "The previous answer comes from:"
        own = document_of_source(entry.source_id)
        cited = _entry_of_document(kb, documents_in(entry.answer["zh"]) - {own}, entry.topic or "")
        # "which document sets those periods?": the one the answer quotes its periods from
        quoted = None if named else _quoted_source(kb, text, lang, entry, ctx.q)
        if quoted is not None:
            cite += "\n" + answers.citation_line(kb, quoted, lang, today)
        elif not named and cited is not None and cited.topic == entry.topic:
            # "这是依据哪个规定" after "282号令下……尚未核实。参考旧规定（第251号令……）：1年内不得申请":
            # the rule its figures are quoted from, beside its own source
            cite += "\n" + answers.citation_line(kb, cited, lang, today)
        if _WHO_Q.search(text):
            # "who said that?": the speaker of a cited briefing (knowledge/sources.yaml speaker_zh/en)
            speakers = [sp for e in (entry, quoted) if e is not None for sp in [_speaker(kb, e, lang)] if sp]
            if speakers:
                head = f"这是{'；'.join(speakers)}介绍的。" if zh else f"It was presented by {'; '.join(speakers)}."
    said_line = "" if kind == "dates" else ("原文要点：" if zh else "It said: ") + first
    if kind == "items" and (member := _member_named(said, text)):
        # "我们是专精特新小巨人，对应的是哪一项？" after the list of bonus items: that member's line,
        # then where it is from
        member = re.sub(r"^\s*\d+[.、．]\s*", "", member).rstrip("；;。.，, ")
        head, said_line = ("对应的是：" + member + "。") if zh else ("That is: " + member + "."), ""
    # "which article says that?" after an unverified answer: the article is as unverified as the
    # answer, and is said so once (a "verified" question has its own line above)
    unverified = "内容未经官方文本核实" if zh else "not verified against the official text"
    caveat = "" if kind == "verified" or entry.verified else confirm_line([unverified], lang)
    text = "\n".join(x for x in (head, cite, said_line, caveat) if x)
    return Reply(text=text, buttons=[full_text_button(entry.id, lang)], entry_ids=[entry.id], kind="answer")


def _speaker(kb: Knowledge, entry, lang: str) -> str:
    """Who presented the entry's source (a briefing's speaker, knowledge/sources.yaml speaker_zh/en)."""
    return (kb.sources.get(entry.source_id) or {}).get(f"speaker_{lang}") or ""


_WHO_Q = re.compile(r"谁(?:说|讲|定|提|发布)|(?i:\bwho\b|according to whom)")


# Words of a which-item line that are not its subject.
_ITEM_LINE_FILLER = frozenset(
    "我们 我司 公司 企业 对应 哪一项 哪项 第几项 几项 标准 项目 条款 哪条 number item items which one corresponds "
    "correspond standard we our are is the that".split()
)


def _member_named(said: list[str], text: str) -> str:
    """The sentence of the previous answer that the line names ("小巨人" → "2. 国家级专精特新
    “小巨人”企业（高级认证第70项、认证企业第58项）"): the one with the most of the line's
    own words, when it also carries an item number; "" when none does."""
    own = {t for t in unit_tokens(text) if len(t) >= 2 and not t.isdigit() and t.lower() not in _ITEM_LINE_FILLER}
    if not own:
        return ""
    best, hits = "", 0
    for sentence in said:
        n = sum(1 for t in own if t.lower() in sentence.lower())
        if n > hits and re.search(r"\d", sentence):
            best, hits = sentence, n
    return best


# The words of a source question that are not its subject ("这个", "是哪个文件定的").
_SOURCE_FILLER = re.compile(
    r"这个|那个|这些|那些|这种|是|的|定|规定|出来|提出|来自|(?i:\b(?:is|are|was|were|the|that|this|these|from|sets?|says|said|states?|those|does|do|by|in|which|what|comes?|defined?)\b)"
)
SOURCE_SUBJECT_OWN = 0.6


def _source_words(text: str) -> set[str]:
    """What a source question names as its subject ("those periods" of "which document sets those
    periods?"), as tokens."""
    return {
        t for t in unit_tokens(_SOURCE_FILLER.sub(" ", SOURCE_RE.sub(" ", text))) if len(t) >= 2
    }  # the unit must hold most of what the line names


def _quoted_source(kb: Knowledge, text: str, lang: str, entry, asked: str = ""):
    """A source question on what the previous answer gave figures for ("which document sets those
    periods?" after "… not verified under Decree 282. The national periods, in Guo Ban Fa [2025]
    No. 22: minor at most 3 months …"): the entry of the other document its first sentence with that
    subject and a figure names, when that sentence names no document of the answer's own. A bare
    "which document sets that?" is about what was ``asked``."""
    words = _source_words(text)
    if not words and asked:
        words = {t for t in unit_tokens(asked) - QUERY_STOPWORDS if len(t) >= 2}
    if not words:
        return None
    own = document_of_source(entry.source_id)
    for sentence in split_sentences(entry.answer[lang], lang):
        if words & unit_tokens(sentence) and _FIGURE.search(sentence):
            docs = documents_in(sentence)
            if not docs or own in docs:
                return None
            return _entry_of_document(kb, docs, entry.topic or "")
    return None


def _source_subject(kb: Knowledge, text: str, lang: str, ctx: Context):
    """A source question that names a subject the previous answer did not lead with ("ABCD四级是
    哪个文件定的" after an answer citing the standard's item on public credit): the entry of
    another source, in the conversation's topic, whose sentence holds that subject."""
    subject = _SOURCE_FILLER.sub(" ", SOURCE_RE.sub(" ", text))
    words = _source_words(text)
    previous = kb.entries.get(ctx.entry)
    if not words or previous is None:
        return None
    lead = next(iter(split_sentences(previous.answer[lang], lang)), "")
    if words & unit_tokens(lead):
        return None  # "这个标准是哪个文件定的": the subject is what the previous answer said
    idx = units_for(kb)
    best = next(
        (
            r
            for r in rank_units(idx, subject, lang)
            if r.unit.kind == "policy"
            and r.unit.lang == lang
            and r.unit.entry_id not in ("", None, ctx.entry)
            and r.unit.topic == ctx.topic
        ),
        None,
    )
    if best is None or best.coverage < SOURCE_SUBJECT_OWN:
        return None
    return kb.entries.get(best.unit.entry_id or "")


def _entry_of_document(kb: Knowledge, docs: set, topic: str, asks: re.Pattern | None = None):
    """A policy entry from one of the documents ``docs``, the conversation's topic first, then one
    written for questions like ``asks`` ("251号令还有效吗": the decree's own entry, not its rule on
    applications)."""
    found = sorted(
        (e for e in kb.entries.values() if e.kind == "policy" and document_of_source(e.source_id) in docs),
        key=lambda e: (e.topic != topic, not (asks and asks.search(e.questions)), e.id),
    )
    return found[0] if found else None


def _successor(kb: Knowledge, entry, lang: str, topic: str, text: str = "") -> tuple[str, KEntry | None]:
    """The sentence of ``entry`` that names what replaced it ("其后续规定为公告2025年第194号"), and the
    entry of that document (not one ``text`` names itself), or ("", None)."""
    after = next((x for x in split_sentences(entry.answer[lang], lang) if _SUCCESSOR.search(x)), "")
    if not after and entry.replaced_by:
        # no sentence says so, but the record does ("replaced_by: announcement_2025_194"): the
        # sentence that names that document
        named = document_of_source(entry.replaced_by)
        after = next((x for x in split_sentences(entry.answer[lang], lang) if named in documents_in(x)), "")
        if not after:
            return "", _entry_of_document(kb, {named} - documents_in(text), topic)
    return after, (_entry_of_document(kb, documents_in(after) - documents_in(text), topic) if after else None)


def _successor_line(entry, lang: str) -> str:
    """'后续规定现行有效，自2025年10月11日起施行，至2027年6月30日。'"""
    start, end = entry.effective_from, entry.effective_to
    if lang == "zh":
        return (
            "后续规定现行有效"
            + (f"，自{_day(start, lang)}起施行" if start else "")
            + (f"，至{_day(end, lang)}" if end else "")
            + "。"
        )
    return (
        "The successor is in force"
        + (f" since {_day(start, lang)}" if start else "")
        + (f", until {_day(end, lang)}" if end else "")
        + "."
    )


def _day(d: dt.date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d.strftime('%B')} {d.year}"


def _replaced_by(kb: Knowledge, source_id: str, lang: str) -> str:
    """'取代它的是《…》，自2026年4月1日起施行。' from the source's ``superseded_by``."""
    new = kb.sources.get((kb.sources.get(source_id) or {}).get("superseded_by") or "")
    if not new:
        return ""
    title = new["title_zh" if lang == "zh" else "title_en"]
    start = new.get("effective_from")
    if lang == "zh":
        return f"取代它的是{title}" + (f"，自{_day(start, lang)}起施行。" if start else "。")
    return f"It was replaced by {title}" + (f", in force since {_day(start, lang)}." if start else ".")


def _dates_line(kb: Knowledge, entry, lang: str) -> str:
    """ "第282号令于2026年1月13日公布，自2026年4月1日起施行。": the dates of the rule an entry
    cites, from its source record (issued) and the entry (in force from, until); "" without them."""
    sid = entry.source_id
    start, end = entry.effective_from, entry.effective_to
    if not document_of_source(sid):
        # an interpretation or a press briefing about a rule ("第282号令于……公布"): the rule's dates
        named = {document_of_source(k): k for k in kb.sources if document_of_source(k)}
        rules = [named[d] for d in sorted(documents_in(entry.answer["zh"])) if d in named]
        if len(rules) != 1:
            return ""
        sid = rules[0]
        start, end = None, None
    src = kb.sources.get(sid) or {}
    start, end, issued = start or src.get("effective_from"), end or src.get("effective_to"), src.get("issued")
    if not start:
        return ""
    kind_, number = document_of_source(sid).partition(":")[::2]
    zh = lang == "zh"
    if kind_ == "decree":
        name = f"第{number}号令" if zh else f"Decree No. {number}"
    elif kind_ == "announcement":
        name = f"海关总署公告{sid.split('_')[1]}年第{number}号" if zh else f"Announcement No. {number}"
    else:
        name = src.get("title_zh" if zh else "title_en") or ""
    if zh:
        said = f"{name}" + (f"于{_day(issued, lang)}公布，" if issued else "") + f"自{_day(start, lang)}起施行"
        return said + (f"，施行至{_day(end, lang)}。" if end else "。")
    said = (
        f"{name}"
        + (f" was issued on {_day(issued, lang)} and" if issued else "")
        + f" took effect on {_day(start, lang)}"
    )
    return said + (f"; it applied until {_day(end, lang)}." if end else ".")


_HISTORICAL = re.compile(r"历史数字|历史数据|(?i:\bhistorical (?:figures|data)\b)")


def _historical_figures(kb: Knowledge, entry, lang: str) -> str:
    """The sentence of an entry from a report (not a rule) that says its figures are history
    ("这些是旧规定（第237号令时期）下的历史数字……"), or ""."""
    if (kb.sources.get(entry.source_id) or {}).get("status") != "reference":
        return ""
    return next((x.strip() for x in entry.answer[lang].split("\n") if _HISTORICAL.search(x)), "")


def _status_line(entry, lang: str, today, of_named: bool = False) -> str:
    """Whether the rule the previous answer cites (or the document the line names) is in force
    today, from its dates."""
    zh = lang == "zh"
    rule_zh = "该规定" if of_named else "上一条回答所依据的规定"
    rule_en = "that rule" if of_named else "the rule the previous answer cites"
    start, end = entry.effective_from, entry.effective_to
    if entry.superseded(today):
        if end:
            return (
                f"已不再适用：{rule_zh}施行至{_day(end, lang)}，已失效（到期或被废止）。"
                if zh
                else f"No longer in force: {rule_en} applied until {_day(end, lang)} "
                "and has expired or been repealed."
            )
        return f"已不再适用：{rule_zh}已被取代。" if zh else "No longer in force: that rule has been replaced."
    since = (f"自{_day(start, lang)}起" if zh else f" since {_day(start, lang)}") if start else ""
    until = (f"，施行至{_day(end, lang)}" if zh else f", until {_day(end, lang)}") if end else ""
    return f"仍然有效：{rule_zh}{since}施行{until}。" if zh else f"Still in force{since}{until}."


def full_text_button(entry_id: str, lang: str) -> dict:
    return {
        "title": "详细（全文）" if lang == "zh" else "More detail (full text)",
        "payload": f'/show_entry{{"entry_id": "{entry_id}"}}',
    }


def _item_units(kb: Knowledge, idx: UnitIndex, standard: str, number: int, kind: str, lang: str) -> list[Unit]:
    """The units of one kind ("item" clauses, our "guidance") of a standard item, in one language."""
    entry = kb.standard_item(standard, number)
    return [u for u in idx.by_entry.get(entry.id if entry else "", []) if u.kind == kind and u.lang == lang]


def _counterpart_reply(
    kb: Knowledge,
    idx: UnitIndex,
    standard: str,
    number: int,
    target: str,
    lang: str,
    today,
    asked: Detail | None = None,
) -> tuple[Reply, int] | None:
    """ "And for certified enterprises?" after a clause of one standard: the
    matching clause of the other standard, or that it has none (from the
    guidance records' applies_to). None when the records do not say. ``asked``: the clauses
    of the other standard's item that answer the question ("认证企业的录像要存多久"), shown
    when the target standard has none."""
    key = f"{standard}:{number}"
    if key not in idx.counterpart:
        return None
    others = [k for k in idx.counterpart[key] if k.startswith(target + ":")]
    if others:
        other_number = int(others[0].split(":")[1])
        units = _item_units(kb, idx, target, other_number, "item", lang)
        if not units:
            return None
        reply = render_detail(kb, Detail(leads=units, score=1.0, own=1.0), lang, today)
        if (key, others[0]) in idx.counterpart.get(PARTIAL, set()):
            names = STANDARD_NAMES
            part = (
                f"{names[target]['zh']}第{other_number}项只对应{names[standard]['zh']}第{number}项的一部分：\n"
                if lang == "zh"
                else f"Item {other_number} of the {names[target]['en']} matches only part of item {number} of the "
                f"{names[standard]['en']}:\n"
            )
            reply.text = part + reply.text
        return reply, other_number
    units = _item_units(kb, idx, standard, number, "item", lang)
    label = units[0].label if units else ""
    zh = lang == "zh"
    names = STANDARD_NAMES
    text = (
        f"{names[target]['zh']}不考核这一项：它没有与{names[standard]['zh']}第{number}项（{label}）对应的条款，"
        f"这一项只在{names[standard]['zh']}里。"
        if zh
        else f"The {names[target]['en']} does not assess this: it has no such item. {label} (item {number} of the "
        f"{names[standard]['en']}) is only in the {names[standard]['en']}."
    )
    if asked is not None and asked.no_period:
        text += "该项条文也没有规定具体期限。" if zh else " The item sets no specific period either."
    clause = ""
    if units:
        shown = [u for u in (asked.leads if asked else []) if u.standard == standard and u.item_number == number]
        header = _unit_header(kb, units[0], lang)
        clause = header + "".join(u.text if u.text.endswith(("。", "；")) else u.text + " " for u in shown or units[:1])
        clause = clause.strip()
    cite = unit_citation(kb, units[0], lang, today) if units else ""
    caveat = caveat_line(units, lang)
    buttons = detail_buttons(kb, units[0], lang) if units else []
    return Reply(text="\n".join(x for x in (text, clause, cite, caveat) if x), buttons=buttons, kind="answer"), 0


def _follow(
    kb: Knowledge, idx: UnitIndex, fu: FollowUp, text: str, lang: str, nlu: NLU, ctx: Context, today
) -> tuple[Reply, Context]:
    if fu.kind == "economy":
        reply = answers.answer_partner(kb, [fu.value], text, lang)
        return reply, replace(ctx, kind="partner", economy=fu.value, q=text)
    if fu.kind == "item" and articles_in(text) and (swapped_article := swap_part(ctx.q, text, [ARTICLE_RE])):
        # "282号令第五条讲的什么" → "第八条呢": that decree's article 8, not standard item 8.
        return _detail_or_topic(kb, idx, swapped_article, lang, _topic_nlu(ctx.topic), ctx, today, ctx.level, ctx.etype)
    if fu.kind == "item" and articles_in(text) and not (ctx.standard or ctx.item or detect_standard(text)):
        # "第八条讲的是什么" after questions on Decree 282 (its drafting, its consultation): that
        # decree's article 8, not standard item 8
        previous_entry = kb.entries.get(ctx.entry)
        docs = documents_in(ctx.q) or (
            {document_of_source(previous_entry.source_id)} if previous_entry is not None else set()
        )
        decree = next((d.split(":")[1] for d in sorted(docs) if d.startswith("decree:")), "")
        if decree:
            query = f"第{decree}号令{text}" if lang == "zh" else f"Decree {decree} {text}"
            return _detail_or_topic(kb, idx, query, lang, NLU(), ctx, today, ctx.level, ctx.etype)
    if fu.kind == "item":
        number = int(fu.value)
        # "那个标准的第20项呢": the standard of the level the conversation is about
        pointed = ctx.level if THAT_LEVEL_RE.search(text) and ctx.level in ("advanced", "certified") else ""
        standard = detect_standard(text) or ctx.standard or pointed or None
        reply = answers.answer_item(kb, number, standard, lang, today)
        entry = reply.entry_ids[0] if reply.entry_ids else ""
        return reply, replace(ctx, kind="item", item=number, standard=standard or "", entry=entry, q=text)
    if (
        WHAT_IF_RE.search(text)
        and check.asks_check(ctx.q)
        and not (diagnosis_flow.adds_to(text) and parse_facts(text)["facts"])  # "another fine … this year"
        and (moved := with_time_of(ctx.q, text))
        and (checked := _checked(kb, idx, moved, lang, ctx.level, ctx.etype, ctx, today)) is not None
    ):
        # "eight months ago, does that block ...?" → "and if it was two years ago?": the same
        # figures at that time, against each item's look-back window
        return checked[0], replace(checked[1], q=moved)
    if ctx.empty and not (fu.kind in ("source", "verified", "status") and documents_in(text)):
        # "127号公告什么时候到期" names what it asks about; "还有效吗" alone does not
        return Reply(text=needs_context_text(lang), kind="clarify"), ctx
    if fu.kind == "pick":
        picked = _picked_members(kb, fu.value, lang, ctx, today)
        if picked is not None:
            return picked, replace(ctx, asked=text)
        fu = FollowUp("aspect", text)  # no member of the previous answer has that mark
    if fu.kind == "more":
        on = _more_on(kb, idx, text, lang, ctx, today) or _asked_member_item(kb, idx, lang, ctx, today)
        return on if on is not None else (_more(kb, ctx, lang, today), ctx)
    if fu.kind in ("source", "verified", "status"):
        reply = _about_last_answer(kb, fu.kind, lang, ctx, today, text)
        if reply.entry_ids and reply.entry_ids[0] != ctx.entry and documents_in(text):
            # "Is Decree 251 still in force?" → "when did it take effect?": the named document is
            # what the conversation is about now.
            subject = kb.entries[reply.entry_ids[0]]
            ctx = replace(ctx, kind="topic", entry=subject.id, topic=subject.topic or "", q=text, item=0, standard="")
        return reply, ctx
    if fu.kind == "level" and fu.value == "other":
        fu = replace(fu, value="certified" if (ctx.level or ctx.standard) != "certified" else "advanced")
    if fu.kind == "level":
        if ctx.kind == "item" and ctx.item:
            std = "advanced" if fu.value == "advanced" else "certified"
            if ctx.standard in ("advanced", "certified") and std != ctx.standard:
                # "and the certified version?" after advanced item 23: the certified standard's
                # matching item (21), not its item 23, which is about something else
                same = _counterpart_reply(kb, idx, ctx.standard, ctx.item, std, lang, today)
                if same is not None:
                    reply, item = same
                    return reply, _on_counterpart(kb, ctx, std, item, ctx.q)
            reply = answers.answer_item(kb, ctx.item, std, lang, today)
            return reply, replace(ctx, standard=std, level=fu.value)
        query = swap_level(ctx.q, fu.value, lang, said=text)
        # "上个月罚了8万，高级认证有影响吗" → "那认证企业呢": their figures against that level's clause
        # (before the counterpart item's text, which would drop the figures)
        # ("what if we had 2 of those fines, 60k each" → "and for advanced?": the supposed figures)
        supposed = bool(WHAT_IF_RE.search(ctx.q) and _tells_figures(ctx.q))
        checked = _checked(kb, idx, query, lang, fu.value, ctx.etype, ctx, today, asked=supposed)
        if checked is not None:
            return checked
        if (
            ctx.kind == "detail"
            and ctx.standard in ("advanced", "certified")
            and ctx.item
            and fu.value != ctx.standard
            and _about_item_only(kb, idx, text, ctx)
        ):
            same = _counterpart_reply(kb, idx, ctx.standard, ctx.item, fu.value, lang, today)
            if same is not None:
                reply, item = same
                q = swap_level(ctx.q, fu.value, lang) if ctx.q else ""  # "现金比率呢" next: of this level
                return reply, _on_counterpart(kb, ctx, fu.value, item, q)
        # The same topic for the other level (高级认证企业标准结构 → 认证企业标准结构).
        topic = (idx.level_topics.get(ctx.topic) or {}).get(fu.value, ctx.topic)
        if ctx.kind == "topic" and topic != ctx.topic:
            # "高级认证那套标准总共多少条" (the advanced standard's summary) → "那认证企业呢": the
            # certified standard's summary, not a clause that names both levels' counts
            summary = answers.answer_topic(kb, topic, query, lang, today, fu.value)
            if summary is not None:
                entry = summary.entry_ids[0]
                return summary, replace(ctx, q=query, level=fu.value, asked="", kind="topic", topic=topic, entry=entry)
        reply, new = _detail_or_topic(
            kb, idx, query, lang, _topic_nlu(topic), ctx, today, fu.value, ctx.etype, prefer_level=True
        )
        if reply.kind == "suggestions" and topic != ctx.topic:
            # "我们先冲认证企业，要对照的标准一共多少条" → "高级的呢": what the line tells beside its
            # question leaves no clause sure, and the other level's topic answers
            summary = answers.answer_topic(kb, topic, query, lang, today, fu.value)
            if summary is not None:
                entry = summary.entry_ids[0]
                return summary, replace(ctx, q=query, level=fu.value, asked="", kind="topic", topic=topic, entry=entry)
        return reply, new
    if fu.kind == "etype":
        query = swap_etype(ctx.q, fu.value, lang)
        # "总资产1个亿，总负债8000万，够高级认证吗" → "如果算非生产型的呢": their figures against that type's limit
        checked = _checked(kb, idx, query, lang, ctx.level, fu.value, ctx, today) if check.asks_check(ctx.q) else None
        if checked is not None:
            return checked
        return _detail_or_topic(kb, idx, query, lang, NLU(), ctx, today, ctx.level, fu.value)
    if (
        fu.kind in ("aspect", "ellipsis")
        and re.search(r"\d", text)  # (first: the figures are parsed only from a line with a digit)
        and (WHAT_IF_RE.search(text) or WHAT_THEN_RE.search(text) or _tells_figures(text))
        and not level_in(text)
        and (check.asks_check(ctx.q) or (ctx.item and ctx.standard in ("advanced", "certified")))
    ):
        # "要是罚了8万呢", "what if they had checked more than 50" after a computed answer: the
        # new figures in place of the earlier ones, else the whole item (every branch of its rule);
        # after an item's clause ("what if our trade value was RMB 2 billion and the fine 150k?"),
        # the figures against that item
        # ("what if one of them was a 60,000 fine?" after item 19's count: item 18's single fine
        # leads, item 19 still judged below it)
        told, changes = parse_facts(ctx.q)["facts"], parse_facts(text)["facts"]
        # "what if we got another fine of RMB 50,000?": added to the fines told (3 fines, 120,000
        # in all), not in their place
        assumed = diagnosis_flow.suppose(told, changes, text) if told and diagnosis_flow.adds_to(text) else None
        checked = _checked(
            kb,
            idx,
            f"{text}。{ctx.q}",
            lang,
            ctx.level,
            ctx.etype,
            ctx,
            today,
            asked=True,
            judging=(ctx.standard, ctx.item),
            facts=assumed,
        )
        if checked is not None and (changes or any(parse_financial(text).values())):
            if assumed is not None:
                said = diagnosis_flow.supposition(told, assumed, lang)
                checked[0].text = f"{said}\n{checked[0].text}"
            # "现金比率0.3 流动比率1.2呢" tells more of their figures, "what if we had 2 of those fines"
            # supposes them: either is what the next turn ("and for advanced?") is judged on
            told_too = f"{_TRAILING_PARTICLE.sub('', text)}。{ctx.q}"
            return checked[0], replace(checked[1], q=told_too)
        if ctx.item and ctx.standard in ("advanced", "certified"):
            return answers.answer_item(kb, ctx.item, ctx.standard, lang, today), replace(ctx, asked=text)
    if (
        ctx.item
        and ctx.standard in ("advanced", "certified")
        and _LOOKBACK_Q.search(text)
        and not level_in(text)
        and _DURATION_U.search(" ".join(u.text for u in _item_units(kb, idx, ctx.standard, ctx.item, "item", lang)))
    ):
        # "how far back do they look?" after an item's clause: that item's own window ("Within 1
        # year ..."), not the dimension's summary
        return answers.answer_item(kb, ctx.item, ctx.standard, lang, today), replace(ctx, asked=text)
    # "需要多长时间" after "怎么申请高级认证": the topic that answers that aspect
    # (knowledge/topics.yaml aspect_topics), else the earlier topic.
    aspect = next((name for name, a_re in _ASPECTS if a_re.search(text)), "")
    if aspect and any(name == aspect and a_re.search(ctx.q) for name, a_re in _ASPECTS):
        aspect = ""  # "多久能修复" → "以前按251的时候要等多久": the same aspect, asked of another time
    listed = idx.aspect_topics.get(ctx.topic)
    if aspect == "wait" and listed is not None:
        aspect = "duration"  # "修复申请下来要多久" after a repair answer: that topic's own period
    topic = ((idx.aspect_topics.get("*") or {}) if listed is None else listed).get(aspect, ctx.topic)
    if topic != ctx.topic and not (_wanted_old(text) and not _wanted_old(ctx.q)):
        # (not "按以前251号令的话要等多久": the old rule's own clause on that, ranked below)
        earlier = ctx.q
        if ctx.asked and _wanted_old(ctx.asked) and not _wanted_old(ctx.q) and not NOW_RE.search(text):
            # "按老的251号令要等多久" then "那要交哪些材料": the conversation has moved to the old rule
            earlier = f"{ctx.q} {ctx.asked}"
        summary = answers.answer_topic(kb, topic, f"{earlier} {text}", lang, today)
        if summary is not None:
            return summary, replace(ctx, kind="topic", entry=summary.entry_ids[0], topic=topic)
    # "流动比率呢", "失信企业呢": the earlier question with that part swapped;
    # "需要多长时间", "how is it calculated?": the earlier question with this
    # part, whose words weigh double.
    # ("具体是哪些" after "附加标准一共几项": the list of members, which the count's topic need not hold)
    topic_nlu = NLU() if WHICH_ONES_RE.search(text) else _topic_nlu(ctx.topic)
    own_topic = [(n, c) for n, c in nlu.topics(LINE_TOPIC) if n != ctx.topic]
    if own_topic:
        # "那多久复核一次" after a certification question: the line's own topic (re-assessment),
        # when the model is sure of it, weighs beside the conversation's.
        topic_nlu = NLU(ranking=topic_nlu.ranking + [(POLICY_PREFIX + n, c) for n, c in own_topic[:1]])
    # "and the failure rate?" then "what about commodity inspection?": the earlier subject with
    # the aspect asked since.
    asked_q = f"{ctx.q} {ctx.asked}".strip() if ctx.asked else ctx.q
    swapped = (swap_part(asked_q, text) or _swap_label(idx, asked_q, text)) if fu.kind == "ellipsis" else None
    before_doc = _BEFORE_DOC.match(text.strip())
    before = (int(before_doc["said"]) if before_doc["said"] else _predecessor(idx, ctx.entry)) if before_doc else None
    if (fu.kind == "ellipsis" or before) and THEN_RE.search(text) and not _wanted_old(ctx.q):
        # "what gets a company classed as dishonest under Decree 282?" → "and what was the old rule?"
        named = "第251号令" if lang == "zh" else "Decree 251"
        earlier = NOW_RE.sub(" ", ctx.q).strip()  # "what levels are used now?" → "and before that?"
        # "2026新版的单项标准一共多少项" → "那以前旧标准的时候分几类": not the new version asked of again
        earlier = _NEW_VERSION.sub(" ", earlier).strip()
        if _STANDARD_WORD.search(earlier) and not DOCUMENT_RE.search(earlier) and not DOCUMENT_RE.search(text):
            # "单项标准现在有几类" → "以前呢": the old standards (2021/2022), not Decree 251
            named = "以前的标准" if lang == "zh" else "the old standards"
        if before:
            # "and the one before it?" after Announcement 194 (the successor of 127): No. 127
            named = f"{before}号公告" if lang == "zh" else f"Announcement No. {before}"
        elif doc := DOCUMENT_RE.search(text):
            named = doc.group(0)  # "之前那个127号公告呢": the document it names, not Decree 251
        swapped = swap_part(earlier, named, [DOCUMENT_RE]) or f"{earlier} {named}"
        if (kinds := _CLASSES_Q.search(text)) and not _CLASSES_Q.search(swapped):
            # "那以前旧标准的时候分几类" after "单项标准一共多少项": how many kinds, asked of then
            swapped = f"{swapped} {kinds.group(0)}"
    now_only = NOW_RE.fullmatch(fu.value) or (names_time_only(text) and not THEN_RE.search(text))
    if fu.kind == "ellipsis" and now_only and _wanted_old(ctx.q):
        # "251号令的时候企业分几类" → "现在呢": the same question of Decree 282, without the old-rule words
        current = swap_part(ctx.q, "282号令" if lang == "zh" else "Decree 282", [DOCUMENT_RE]) or ctx.q
        swapped = answers.OLD_RULE_MARKERS.sub(" ", current)
    if fu.kind == "ellipsis" and now_only and not swapped and _AS_OF.search(ctx.q):
        # "how many partners as of May 2024?" → "and now?": the latest figure, not that date's
        swapped = _AS_OF.sub(" ", ctx.q).strip() + (" 目前最新" if lang == "zh" else " latest now")
    if swapped and (whole := WHOLE_RE.search(text)) and not WHOLE_RE.search(swapped):
        swapped = f"{swapped} {whole.group(0)}"  # "那以前251号令是怎么规定的": the whole rule, every ground
    if swapped and not levels_in(text) and _names_no_level_but_general(text):
        # "And the current ratio for each?" after the certified level's cash ratio: the new aspect
        # asked of both levels, so the earlier question's level is not carried over
        swapped = LEVEL_WORDS_RE.sub(" ", swapped)
    if swapped:
        return _detail_or_topic(kb, idx, swapped, lang, topic_nlu, ctx, today, level_in(swapped), ctx.etype)
    # The new line asks its own kind of question: the earlier one's question words
    # ("多久", "how many") are dropped, its subject kept.
    # A bare "食品化妆品的呢" after "单项标准一共多少项" asks the earlier kind of question of its part
    # ("how many"), so the earlier question words stay.
    base = ctx.q
    if not (fu.kind == "ellipsis" and not _OWN_QUESTION.search(text)):
        for q_re in (_DURATION_Q, _DATE_Q, _NUMBER_Q, _COUNT_Q, _TIMES_Q, _CLASSES_Q, _GRADE_Q):
            base = q_re.sub(" ", base)
    if _WHICH_ARTICLE_Q.search(text):
        base = ARTICLE_RE.sub(" ", base)  # "第四条规定了什么" → "信用修复在第几条": not article 4 again
    # "认证企业看多久" after a question about the advanced level: asked of the level the line names.
    level = ("" if PARTNER_LEVEL_RE.search(text) else level_in(text)) or ctx.level
    if not levels_in(text) and _names_no_level_but_general(text):
        # "那贸易安全分别占几项" after the advanced standard's count: asked of both levels, so the
        # earlier question's level is not carried over
        level, base = "", LEVEL_WORDS_RE.sub(" ", base)
    if level != ctx.level and level in ("advanced", "certified"):
        base = swap_level(base, level, lang)
        topic = (idx.level_topics.get(ctx.topic) or {}).get(level, ctx.topic)
        topic_nlu = NLU(ranking=[(POLICY_PREFIX + topic, 1.0)] + topic_nlu.ranking[1:])
    group = _group_reply(kb, idx, text, lang, ctx, today, level)
    if group is not None:
        return group
    among = _among_previous(kb, idx, text, lang, ctx, today)
    if among is not None:
        return among
    if (NOW_RE.search(text) or _NEW_STANDARD.search(text)) and not THEN_RE.search(text) and _wanted_old(base):
        # "新标准厂商那个说法是每项加几分" after the 2014 standard's bonus points: asked of the rules in
        # force, so the earlier question's old document and era are not carried over
        base = _OLD_STANDARD.sub(" ", answers.OLD_RULE_MARKERS.sub(" ", DOCUMENT_RE.sub(" ", base)))
    if (
        ctx.kind == "item"
        and ctx.standard in ("advanced", "certified")
        and ctx.item
        and POINTER_RE.search(text)
        and parse_item_number(text) is None
        and parse_item_number(base) == ctx.item
    ):
        # "它要求至少覆盖哪些地方？" after "前任的自评表里高级认证第48项打了个问号，这一项是管什么的？": asked of
        # that item by its name, not with the words around its number
        name = STANDARD_NAMES[ctx.standard][lang]
        base = f"{name}第{ctx.item}项" if lang == "zh" else f"{name} item {ctx.item}"
    query = f"{base} {text}"
    reply, new = _detail_or_topic(kb, idx, query, lang, topic_nlu, ctx, today, level, ctx.etype, boost=text)
    # The subject stays the earlier question's: "要准备什么材料" then "需要多长时间" both ask about it.
    return reply, replace(new, q=ctx.q, asked=text) if new is not ctx else new


# A date a question asks "as of" ("截至2024年5月", "as of may 2024", "back in 2021").
_AS_OF = re.compile(
    r"(?:截至|截止到?|到|在)?\s*(?:20\d\d|\d\d)\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*[日号])?(?:底|末|初|时|的时候)?"
    r"|(?i:\b(?:as of|as at|back in|in|by)?\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?"
    r"(?:\d{1,2},?\s+)?20\d\d\b)"
)


# The words that say the next question is a new one ("换个问题，", "different question -").
_NEW_QUESTION = re.compile(
    r"^(?:(?:换|再问|问|还有|另外问)(?:一|个|一个)?(?:(?:别的|其他的?|新的?|另外的?|不相关的?)(?:问题|事)?|问题|事)"
    r"|另(?:一|外一)个问题|新问题"
    r"|(?i:(?:a\s+)?(?:different|another|new|other|separate|unrelated)\s+(?:question|topic|thing)|switching\s+topics?|change\s+of\s+topic))"
    r"\s*[-—–:：，,。.;；!！]+\s*"
)
# The subject words of a line, not a level's name or a document's (those are swapped or pointed at,
# "认证企业也是这个年限吗", "282号令里对应哪几条")
_SUBJECT_WORD = re.compile(
    r"认证|失信|修复|信用|标准|互认|培育|评估|等级|异议|公示|处罚|审计|进出口|数据|报关|整改|容错|披露|复核"
    r"|(?i:\b(?:credit|certif\w*|standards?|repair|dishonest\w*|mutual|audit\w*|data|tax|fines?|penalt\w*|levels?|re-?assess\w*)\b)"
)


def _new_subject(text: str, earlier: str) -> bool:
    """The line names a subject word that the earlier question did not ("how many credit levels does
    it set up?" after "when was Decree 282 promulgated?")."""
    bare = DOCUMENT_RE.sub(" ", LEVEL_WORDS_RE.sub(" ", text))
    return any(m.group(0).lower() not in earlier.lower() for m in _SUBJECT_WORD.finditer(bare))


# The words that make an earlier question one of the version in force ("2026新版的", "the new version")
_NEW_VERSION = re.compile(
    r"20(?:2[2-9])年?(?:新版|版)的?|新版的?|最新版?的?|(?i:\b(?:new|newest|latest) (?:version|edition)\b)"
)


def _swap_label(idx: UnitIndex, question: str, part: str) -> str | None:
    """The earlier question with the item it names replaced by the item ``part`` names, when
    both name one (the longest name each): "单证保管呢？" after "单证复核这一项，海关现场会怎么查？"."""
    labels = idx.item_labels
    new = max((x for x in labels if x in part), key=len, default="")
    old = max((x for x in labels if x in question and x != new), key=len, default="")
    if not new or not old or new in question:
        return None
    return question.replace(old, new, 1)


# "how many of those are trade security", "其中贸易安全几项": asked of the previous answer's own list.
# The certification standards (not "认定失信的标准", a criterion).
_STANDARD_WORD = re.compile(
    r"(?:单项|通用|认证|企业|附加|赋分|加分|新|旧)标准|标准(?:里|中|有|一共|共|分|包括)|(?i:\bstandards?\b)"
)
AMONG_OWN = 0.5
# How many of the best units elsewhere may hold a line's subject more fully than the previous answer.
AMONG_RIVALS = 5


_PARTNER_WORD = re.compile(r"伙伴|供应商|客户|合作方|(?i:partner|supplier|customer|vendor)")
# "商业伙伴安全那块详细说说": the items a group of a standard holds, asked of after a summary that names it
_GROUP_ASKED = re.compile(
    r"详细|具体|展开|说说|讲讲|介绍|哪些|包括|包含|都是什么|什么要求|(?i:\bmore\b|\bdetails?\b|\bexplain|\btell me\b|\bwhat are\b|\bwhich items\b|\brequire)"
)
GROUP_MAX_ITEMS = 5  # a larger group (管理要求, 10 items) is not read out whole


def _group_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today, level: str
) -> tuple[Reply, Context] | None:
    """ "商业伙伴安全那块详细说说" after "高级认证贸易安全一共几项" (answered from the structure, which lists
    "商业伙伴2"): the requirement of each item of that group at the conversation's level, not the
    summary's line again."""
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    if (
        entry is None
        or entry.kind != "policy"
        or level not in ("advanced", "certified")
        or not _GROUP_ASKED.search(text)
    ):
        return None
    said = entry.answer[lang].lower()
    low = text.lower()
    names = idx.item_groups.get((level, lang), {})
    short = {n: re.sub(r"(?:安全|\s+security)$", "", n) for n in names}
    found = [n for n in names if (n in low or (len(short[n]) >= 2 and short[n] in low)) and short[n] in said]
    if not found:
        return None
    name = max(found, key=len)
    firsts = names[name]
    if not 2 <= len(firsts) <= GROUP_MAX_ITEMS:
        return None
    leads = [u for n in sorted(u.item_number for u in firsts) for u in _item_units(kb, idx, level, n, "item", lang)]
    reply = render_detail(kb, Detail(leads=leads, score=1.0, own=1.0), lang, today)
    return reply, replace(ctx, kind="detail", entry=leads[0].entry_id or ctx.entry, asked=text, level=level)


# "它把……废止了", "what did it repeal?": what the previous answer's document itself did (repealed,
# replaced, amended), which that answer's entry says
_DOCUMENT_DID = re.compile(r"废止|取代|替代|替换|修改|修订|撤销|(?i:\b(?:repeal|replace|supersede|amend|revoke)[a-z]*)")
_IT_DID = re.compile(
    r"^(?:那)?(?:它|该公告|这个公告|这份公告)(?:把|将|还)?|(?i:^(?:and )?(?:what|which \w+) did (?:it|that|this) )"
)


def _among_previous(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """A line that asks among what the previous answer listed: the sentence of that entry that
    holds the line's subject, when one does."""
    partner = PARTNER_LEVEL_RE.search(text)
    if ctx.entry and partner:
        # "如果对方本身就是高级认证企业呢" after the partner-vetting item: its clause on partners
        # of that level (the exemption), not that level's own measures.
        word = LEVEL_WORDS[level_in(partner.group(0)) or "advanced"][lang].lower()
        said = [
            u
            for u in idx.by_entry.get(ctx.entry, [])
            if u.kind != "guidance"
            and u.lang == lang
            and word in u.text.lower()
            and _PARTNER_WORD.search(u.text)  # (not a summary's "《海关高级认证企业标准》共74项：")
        ]
        if said:
            clause = Detail(leads=said[:1], score=1.0, own=1.0)
            return render_detail(kb, clause, lang, today), replace(ctx, asked=text)
    # "它把以前哪些公告废止了" after the 2026 standards' announcement: what "it" did, when the
    # previous answer's entry says it
    said_of_it = bool(_IT_DID.match(text.strip()) and _DOCUMENT_DID.search(text))
    if not (ctx.entry and (AMONG_RE.search(text) or names_one(text) or said_of_it)):
        return None
    subject = POINTER_RE.sub(" ", AMONG_RE.sub(" ", named_one(text)))
    every = [r for r in rank_units(idx, subject, lang) if r.unit.lang == lang]
    ranked = [r for r in every if r.unit.entry_id == ctx.entry]
    if not ranked or ranked[0].coverage < AMONG_OWN:
        return None
    if any(r.coverage > ranked[0].coverage for r in every[:AMONG_RIVALS] if r.unit.entry_id != ctx.entry):
        return None  # "单次罚款那条呢" after item 17 (count and sum of fines): item 16 holds it whole
    detail = find_detail(kb, idx, subject, lang, ranked=ranked[:10])
    if detail is None:
        return None
    return render_detail(kb, detail, lang, today), replace(ctx, asked=text)


def respond(
    kb: Knowledge,
    text: str,
    lang: str,
    nlu: NLU | None = None,
    ctx: Context | None = None,
    today: dt.date | None = None,
) -> tuple[Reply, Context]:
    """The reply to one user message and the conversation context after it.
    A greeting, thanks or goodbye gets its fixed reply unless it is really a
    follow-up or a question ("好的，那认证企业呢")."""
    reply, after = _respond(kb, text, lang, nlu, ctx, today)
    if reply.kind == "answer" and reply.entry_ids and after.entry:
        # the entries the answer cites besides the one it leads with ("who said that?" may be
        # about a briefing it quotes second)
        after = replace(after, also=tuple(e for e in reply.entry_ids if e != after.entry))
    return reply, after


def _respond(
    kb: Knowledge,
    text: str,
    lang: str,
    nlu: NLU | None,
    ctx: Context | None,
    today: dt.date | None,
) -> tuple[Reply, Context]:
    nlu = nlu or NLU()
    ctx = ctx or Context()
    heard = as_meant(text)  # "嗯，那个，……", "um, like, …" (a voice kiosk's transcript); "认正", "last yr" (typed)
    # "听同事说，……，对吗？": the claim is what is asked (who made it and the tag, for a claim checked
    # against the previous answer, are in ``heard``)
    heard = without_situation(heard)  # "刚入职，……", "I'm the new HR business partner." (who asks)
    text = without_asker(as_claim(heard))
    asker = heard[: max(heard.find(text), 0)] if text else ""  # "德国客户问，": where they sit may be asked of
    if not text:
        return smalltalk.reply("greet", lang, with_menu=True), ctx
    if nlu.intent in SMALLTALK_INTENTS and not text.startswith("/") and len(text) <= 20 and not asks_about_rules(text):
        if follow_up(text, [p["zh"] for p in kb.economies_in(text)]) is None:
            key = SMALLTALK_KEYS.get(nlu.intent, nlu.intent)
            return smalltalk.reply(key, lang, with_menu=key == "greet"), ctx
    if is_nonsense(text) or is_hostile(text) or is_leisure(text):
        return _offtopic_reply(lang), ctx
    switch = _NEW_QUESTION.match(text)
    if switch and text[switch.end() :].strip():
        # "different question - once we're advanced certified, …", "再问个别的，…": a question of
        # its own, not a follow-up of the last one (the enterprise's type stays known)
        text, ctx = text[switch.end() :].strip(), Context(etype=ctx.etype)
    text = with_level_names(text)  # "the mid-tier level": the certified level, by its name too
    text = with_both_standards(text)  # "两个标准分别有多少项": both levels' standards, by their names
    text = with_decree_numbers(kb, text)  # "the 2018 decree": Decree 237, by its number too
    text = with_predecessor_decree(kb, text)  # "the decree before 251": Decree 237
    text = with_successor_decree(kb, text)  # "which decree replaced 251": Decree 282
    text = with_old_decree(kb, text, ctx)  # "那个旧令": Decree 251, which the decree in force replaced
    text = with_bare_decree(kb, text, ctx)  # "And under 282?" after a question on Decree 251
    idx = units_for(kb)
    text = with_previous_announcement(kb, idx, text, ctx)  # "the previous announcement": No. 127 after No. 194
    text = with_earlier_time(text, ctx.q)  # "那时候全国有多少家AEO" after a question on 2024年一季度
    if (
        ctx.topic.startswith("mra")
        and not ctx.economy
        and (these := _THESE_PARTNERS.search(text))
        and not _ASKS_RECOGNITION.search(text)
    ):
        # "新设的认证企业也能在这些国家享受便利吗？" after how many partners have put it in place: those
        # are the partners of mutual recognition
        partners = "（AEO互认国家）" if lang == "zh" else " (AEO mutual recognition partners)"
        text = text[: these.end()] + partners + text[these.end() :]
    if (
        len(DOCUMENT_RE.findall(text)) == 1
        and _DOCUMENT_DATES_Q.search(DOCUMENT_RE.sub("@", text))
        and not (nlu.intent.startswith(POLICY_PREFIX) and nlu.confidence >= TRUSTED_INTENT)
    ):
        # "第251号令是哪天开始施行的？", "那个旧的（第251号令）当初是哪天开始施行的？" (the model unsure of
        # a topic): when that document was issued and took effect, from its own entry
        subject = _entry_of_document(kb, documents_in(text), "", STATUS_RE)
        if subject is not None and DATES_ASKED_RE.search(text) and _dates_line(kb, subject, lang):
            reply = _about_last_answer(kb, "status", lang, Context(), today, text)
            return reply, replace(ctx, kind="topic", entry=subject.id, topic=subject.topic or "", q=text, item=0)
    if ctx.economy and SAME_DAY_RE.search(text) and _WHO_SIGNED_RE.search(text):
        # "And who else signed on the same day?" after when Iceland signed: Burundi
        same = answers.answer_same_day(kb, ctx.economy, lang, implemented=bool(_IMPLEMENTED_RE.search(text)))
        if same is not None:
            return same, replace(ctx, q=text, kind="partner")
    missing = (
        _missing_items_reply(kb, idx, text, lang, ctx, today)
        or _claim_reply(kb, heard, lang, ctx, today)
        or _blockers_reply(kb, idx, text, lang, ctx)
    )
    if missing is not None:
        return missing
    if (judged := diagnosis_flow.dishonesty_at_once(lang, text)) is not None:
        # "…2 months overdue. Will we get blacklisted?": the dishonesty grounds and the items its
        # figures touch, as the diagnosis judges them (the model read no diagnosis request)
        judged.lang = lang
        return judged, Context(q=text, kind="detail", level=level_in(text), etype=etype_in(text))
    economies = _economies_named(kb, nlu, text)
    own = [p["zh"] for p in kb.economies_in(asker)]  # "德国客户问，……": where the party who asks sits
    if own and economies:
        # (the model tags the whole line: an economy named only where the asker sits is not asked of)
        economies = [e for e in economies if not _named_only_in(kb, e, asker, text)]
    if economies and (start := intro_end(text)):
        # "我们……主要做来料加工出口日本。……想问问认证企业这一级……？": where the writer sells is not
        # what is asked; only an economy the question names itself is
        asked = [p["zh"] for p in kb.economies_in(text[start:])]
        if _THEIR_SIDE.search(text[start:]):
            # "We're a Costa Rican distributor. … our AEO programmes recognise each other": the writer's
            own += [e for e in economies if e not in asked]
        economies = asked
    if economies and ctx.kind != "partner" and not _ASKS_RECOGNITION.search(text):
        # "德国客户推荐的国内物流商也是高级认证企业，……还得审核它的资质吗": where a customer or
        # a parent company sits is not what is asked, unless the line asks of recognition abroad
        economies = [e for e in economies if not _only_as_party(kb, e, text)]
    if (
        own
        and (not economies or _THEIR_SIDE.search(text))
        and _ASKS_RECOGNITION.search(text)
        and not kb.regions_in(text)
        and not _HOW_MANY.search(text)
    ):
        # "德国客户问，中德AEO互认是哪天开始实施的？", "英国客户说他们那边也有AEO，……还能不能靠中欧那个
        # 安排？": a party asking of recognition asks of its own economy (first), and of any the line names
        economies = own + [e for e in economies if e not in own]
    fu = follow_up(text, economies)
    if fu is not None and fu.kind in ("aspect", "ellipsis") and _WHERE_CONFIRM.search(text):
        # "Where can I check that officially?" after any answer, or alone: the official channels,
        # whatever the subject (the 12360 line, credit.customs.gov.cn, the customs office)
        confirm = answers.answer_topic(kb, CONFIRM_TOPIC, text, lang, today)
        if confirm is not None:
            return confirm, replace(ctx, kind="topic", entry=confirm.entry_ids[0], topic=CONFIRM_TOPIC, q=text)
    if fu is not None and fu.kind == "aspect" and ctx.empty:
        # "需要多长时间" alone cannot be answered; a longer line is a question of its own.
        words = re.findall(r"[A-Za-z]+", text)
        if (
            len(re.sub(r"[\W_A-Za-z]", "", text)) + 2 * len(words) <= 10
            and not DOCUMENT_RE.search(text)
            # ("复核多久一次": short, but it names its subject, which the model is sure of)
            and not (nlu.intent.startswith(POLICY_PREFIX) and nlu.confidence >= VERY_SURE and _names_subject(text))
        ):
            return Reply(text=needs_context_text(lang), kind="clarify"), ctx
        fu = None
    if (
        fu is not None
        and fu.kind == "ellipsis"
        and ctx.empty
        and (too := _TOO_ASKED.search(text))
        and SUBJECT_RE.search(too.group(1))
        and SUBJECT_RE.search(text[: too.start()])
    ):
        fu = None  # "轻微的失信信息也要公示吗": names its subject and what it asks, with nothing before it
    if (
        fu is not None
        and fu.kind == "ellipsis"
        and ctx.empty
        and (not is_short(text) or (_OWN_QUESTION.search(text) and _names_subject(text)))
    ):
        # "那失信企业的认定标准是什么", "按251号令的话失信企业怎么认定", "那封条要符合什么标准？" as the first
        # line: opened as if it went on from something, but saying what it asks of what, a question of its own
        fu = None
    if fu is not None and fu.kind in ("source", "verified", "status") and ctx.empty and answers.NEW_RULE.search(text):
        fu = None  # "新办法把以前哪个令废止了": names the current rule in words, a question of its own
    if (
        (fu is None or fu.kind in ("aspect", "ellipsis"))
        and not economies
        and ctx.kind == "partner"
        and ctx.economy
        and (is_short(text) or len(text) <= PARTNER_LINE)
        and answers.VENUE_Q.search(text)
    ):
        fu = FollowUp("economy", ctx.economy)  # "在哪里签的", "where was it signed?" after "冰岛是互认伙伴吗"
    if (
        (fu is None or fu.kind in ("aspect", "ellipsis"))
        and not economies
        and ctx.kind == "partner"
        and ctx.economy
        # ("And since when has that arrangement been in effect?": a longer line that points back)
        and (is_short(text) or (POINTER_RE.search(text) and (len(text) <= PARTNER_LINE or len(text.split()) <= 10)))
        and _PARTNER_DATE_Q.search(text)
        and not _EFFECT_Q.search(text)  # "实施以后效果怎么样" asks what it brought, not when
    ):
        fu = FollowUp("economy", ctx.economy)  # "签署是哪天" after "中蒙AEO互认什么时候生效的？"
    if (
        (fu is None or fu.kind in ("aspect", "ellipsis", "source"))
        and not economies
        and ctx.kind == "partner"
        and ctx.economy
        and is_short(text)
        and _PARTNER_NOTICE_Q.search(text)
        and not re.search(r"\d|(?<![哪几])[一二三四五六七八九十百]+号", text)  # "那194号公告呢" names another document
    ):
        fu = FollowUp("economy", ctx.economy)  # "公告是哪一号" after "白俄罗斯的AEO互认什么时候开始实施"
    if (
        (fu is None or fu.kind in ("aspect", "ellipsis", "level"))
        and not economies
        and ctx.kind == "partner"
        and ctx.economy
        and len(text) <= PARTNER_LINE
        and _THESE_PARTNERS.search(text)
    ):
        fu = FollowUp("economy", ctx.economy)  # "这两个国家认可的是我们哪一级企业？" after "乌拉圭呢？"
    if (
        (fu is None or (fu.kind == "aspect" and POINTER_RE.search(text)))
        and economies
        and (is_short(text) or len(text) <= PARTNER_LINE)
        and (ctx.kind == "partner" or ctx.topic.startswith("mra"))
    ):
        # "so our German customer is covered?", "does that cover the UK?" after a partner answer
        fu = FollowUp("economy", economies[0])
    if (
        (fu is None or fu.kind == "aspect")
        and economies
        and _PARTNER_DATE_Q.search(text)
        and not (nlu.intent in OTHER_MRA_TOPICS and nlu.confidence >= TRUSTED_INTENT)
    ):
        fu = FollowUp("economy", economies[0])  # "since when does Thailand actually accept it": that partner's dates
    if (
        fu is None
        and not ctx.empty
        and (case := _CASE_OF_IT.match(text))
        and len(re.findall(r"[\u4e00-\u9fff]", text)) <= CASE_LINE
    ):
        # "要是伙伴被认定为失信企业了呢？" after the partner-security clause: the earlier question, for that case
        fu = FollowUp("ellipsis", case.group(1))
    if fu is None and not ctx.empty and (bare := _BARE_WORD_Q.match(text)) and _in_last_answer(idx, ctx, bare.group(1)):
        # "serious?" after "…general?" on the publication periods: a word of the last answer, asked on
        # its own, is that answer's question for it (not the seriously dishonest level)
        fu = FollowUp("ellipsis", bare.group(1))
    if (
        fu is None
        and not ctx.empty
        and _unsure_short(text)
        and (_reads_as_follow_up(nlu) or _same_topic_unsure(nlu, ctx))
    ):
        # "谁提出来的", "where did comments go?": nothing in the words points back, but the
        # intent model reads a follow-up or is unsure; the earlier question gives the subject.
        fu = FollowUp("aspect", text)
    if (
        fu is None
        and ctx.item
        and ctx.standard in ("advanced", "certified")
        and WHAT_IF_RE.match(text)
        and not level_in(text)  # "要是申请认证企业 罚6万有问题吗" is a question of its own
        and (parse_facts(text)["facts"] or any(parse_financial(text).values()))
    ):
        # "what if our trade value last year was RMB 2 billion and the fine was 150k?" after an
        # item's clause: the figures against that item, though the line is long
        fu = FollowUp("aspect", text)
    if (
        fu is None
        and ctx.topic
        and nlu.intent == POLICY_PREFIX + ctx.topic
        and nlu.confidence >= TRUSTED_INTENT
        and _wanted_old(ctx.q)
        and any(d.startswith("decree:") for d in documents_in(ctx.q))  # (not "以前的标准": the 2014 one)
        and not answers.OLD_RULE_MARKERS.search(text)
        and not NOW_RE.search(text)
        and not answers.NEW_RULE.search(text)
        and not documents_in(text)
        and not _NAMES_VERSION.search(text)  # "2026年的呢", "新标准呢": the version asked is named
    ):
        # "251号令时期，高级认证企业多久复核一次？" → "复核没通过会怎么处理？": the same subject, still
        # under the old rule the conversation is about (not Decree 282's, which is not verified)
        decree = next(d.split(":")[1] for d in sorted(documents_in(ctx.q)) if d.startswith("decree:"))
        text = f"第{decree}号令时期，{text}" if lang == "zh" else f"Under Decree {decree}, {text}"
    if fu is not None and fu.kind == "source" and _BEFORE_DOC.match(text.strip()) and _predecessor(idx, ctx.entry):
        fu = FollowUp("ellipsis", text)  # "and which announcement did it replace?": the one before it
    resolved, pointed = resolve_level_pointer(text, ctx, lang)
    which = (
        _which_item_reply(kb, idx, text, lang, ctx, today)
        or _same_item_reply(kb, idx, text, lang, ctx, today)
        or _list_member_reply(kb, idx, text, lang, ctx, today)
        or _list_subject_reply(kb, idx, text, lang, ctx, today)
        or _item_check_reply(kb, idx, text, lang, ctx, today)
        or _item_evidence_reply(kb, idx, text, lang, ctx, today)
        or _item_case_reply(kb, idx, text, lang, nlu, ctx, today)
    )
    if which is not None:
        return which
    if resolved and (fu is None or fu.kind in ("aspect", "ellipsis")):
        # "how many general items does the other level have?": asked of that level, in the same topic.
        topic = (idx.level_topics.get(ctx.topic) or {}).get(pointed, ctx.topic)
        return _detail_or_topic(
            kb, idx, resolved, lang, _topic_nlu(topic), ctx, today, pointed, ctx.etype, prefer_level=True
        )
    number = None if _ARTICLE_Q.search(text) else parse_item_number(text)
    if fu is not None and fu.kind in ("aspect", "ellipsis") and number is not None and not WHAT_IF_RE.search(text):
        fu = FollowUp("item", str(number))  # "what exactly is item 73?" after the list of bonus items
    region = _region_asked(kb, text, nlu, ctx, economies)
    if region is not None:
        # "南美洲第一个实施AEO互认的是哪个国家", "which African countries are partners?", then "那非洲呢"
        # a short follow-up ("那非洲呢") asks what the earlier question asked (the first one, by signing)
        own_ask = not is_short(text) or answers.FIRST_Q.search(text) or answers.LATEST_Q.search(text)
        reply, lead = answers.answer_region(kb, region, text if own_ask else f"{text} {ctx.q}", lang)
        economy = lead["zh"] if lead else ""
        return reply, replace(ctx, kind="partner", economy=economy, topic="mra_overview", q=text)
    if fu is not None and not (fu.kind == "economy" and any(w in text.lower() for w in MRA_WORDS) and ctx.empty):
        reply, new = _follow(kb, idx, fu, text, lang, nlu, ctx, today)
        if (
            reply.kind == "suggestions"
            and fu.kind in ("aspect", "ellipsis")
            and (
                (nlu.intent.startswith(POLICY_PREFIX) and nlu.confidence >= LINE_TOPIC)
                or (fu.kind == "ellipsis" and _OWN_QUESTION.search(text) and _names_subject(text))
            )
        ):
            # "and how often do they re-check firms after that?" (the model: re-assessment, 0.94)
            # after an answer on another subject: read with the earlier question it finds nothing
            # sure; the line alone, in the topic the model is sure of, answers ("那封条要符合什么标准？"
            # after the CCTV clause: it names what it asks of what)
            alone = _detail_or_topic(kb, idx, text, lang, nlu, ctx, today, level_in(text) or ctx.level, ctx.etype)
            if alone[0].kind != "suggestions":
                return alone
        if (
            fu.kind == "ellipsis"
            and reply.kind == "answer"
            and reply.entry_ids[:1] == [ctx.entry]
            and NOW_RE.search(text)
            and _YEAR.search(ctx.q)
            and _OWN_QUESTION.search(text)
            and _names_subject(text)
        ):
            # "那现在全国有多少家AEO企业" after the 2019 inspection rates: read with the earlier question it
            # gets that year's answer again; a line that asks its own question of now, of its own
            # subject, is answered alone when that finds another answer
            alone = _detail_or_topic(kb, idx, text, lang, nlu, ctx, today, level_in(text) or ctx.level, ctx.etype)
            if alone[0].kind == "answer" and alone[0].entry_ids[:1] not in ([], [ctx.entry]):
                return alone
        sure = nlu.intent[len(POLICY_PREFIX) :] if nlu.intent.startswith(POLICY_PREFIX) else ""
        if (
            fu.kind == "aspect"
            and _new_subject(text, ctx.q)
            and sure
            and sure != ctx.topic
            and nlu.confidence >= LINE_TOPIC
            and reply.kind == "answer"
            and reply.entry_ids
            and kb.entries[reply.entry_ids[0]].topic != sure
        ):
            # "how many credit levels does it set up?" after "when was Decree 282 promulgated?": a
            # longer line that points back ("it") but asks a subject of its own, which the model is
            # sure of; answered alone when that answer is from the topic the model reads
            alone = _detail_or_topic(kb, idx, text, lang, nlu, ctx, today, level_in(text) or ctx.level, ctx.etype)
            if alone[0].kind == "answer" and alone[0].entry_ids and kb.entries[alone[0].entry_ids[0]].topic == sure:
                return alone
        return reply, new
    if number is not None and (len(text) <= 60 or (_ITEM_TEXT_Q.search(text) and detect_standard(text))):
        # "Item 73 in the advanced standard — what does it say about the customs brokers we use?"
        standard = detect_standard(text)
        reply = answers.answer_item(kb, number, standard, lang, today)
        entry = reply.entry_ids[0] if reply.entry_ids else ""
        return reply, replace(ctx, kind="item", item=number, standard=standard or "", entry=entry, q=text)
    about_mra = (
        any(w in text.lower() for w in MRA_WORDS)
        or nlu.intent in ("ask_mra_partner", "ask_mra_overview")
        or bool(_BILATERAL_DEAL.search(text))  # "is Britain covered by the China EU deal"
        # "What about Peru? We saw a Hong Kong Customs deal." after a partner answer
        or (ctx.kind == "partner" and bool(economies) and bool(_PARTNER_GOES_ON.match(text)))
    )
    # "韩国的AEO互认有什么便利", "给欧盟客户的AEO编码怎么写": a named economy in a question the model is sure
    # is about another MRA topic gets that topic's answer, not the partner record.
    partner_when = False
    if economies and nlu.intent in OTHER_MRA_TOPICS and nlu.confidence >= TRUSTED_INTENT:
        about_mra = False
        # "AEO编码是什么格式？中厄互认是哪天开始实施的？": that partner's dates too
        partner_when = bool(_PARTNER_DATE_Q.search(text))
    if (
        economies
        and _BENEFITS_ABROAD.search(text)
        and not _PARTNER_DATE_Q.search(text)
        # (whether the new level gets them at all: the partner's answer says)
        and level_in(text) != "certified"
        and not (nlu.intent in OTHER_MRA_TOPICS and nlu.confidence >= TRUSTED_INTENT)
    ):
        # "…an Advanced Certified Enterprise — what does that mean for clearance when the goods arrive in
        # the EU?": what recognition brings there, with that partner's status and dates
        nlu, about_mra, partner_when = NLU(intent="ask_mra_benefits", confidence=1.0), False, True
    # (not "as of 1 July 2025, in how many countries was it implemented?": a count as of that date)
    found = not economies
    if not economies and about_mra and not _HOW_MANY.search(text) and (when := dates_in(text)):
        # "which country's arrangement started on June 1, 2025?": the partners with that date
        economies = [
            p["zh"]
            for p in kb.partners
            if p.get("status") == "partner" and (p.get("implemented") in when or p.get("signed") in when)
        ]
    if not economies and (at_event := answers.signed_at_event(kb, text)):
        # "Which two arrangements did China sign at the 6th WCO Global AEO Conference?": the partners
        # whose records say they were signed there
        economies, about_mra = at_event, True
    if economies and about_mra:
        reply = answers.answer_partner(kb, economies, text, lang, found=found)
        return reply, replace(ctx, kind="partner", economy=economies[0], q=text)
    level = "" if _names_no_level_but_general(text) else (level_in(text) or ctx.level)
    if PARTNER_LEVEL_RE.search(text) and nlu.intent in _LEVEL_TOPICS:
        # "供应商本身就是高级认证企业的话还要审核它资质吗": the level is the partner's (the model
        # reads it as a question about that level); the clause on partners answers, for either level
        nlu, level = NLU(), level_in(PARTNER_LEVEL_RE.sub(" ", text)) or ctx.level
    nlu = _of_named_level(idx, nlu, text)
    etype = etype_in(text) or ctx.etype
    checked = _checked(kb, idx, text, lang, level, etype, ctx, today)  # "我们查获6票，能过吗"
    if checked is not None:
        return checked
    outcome = check.stated_outcome(kb, text, lang, level, today)  # "贸易安全有4项基本达标……能通过吗"
    if outcome is not None:
        outcome.buttons = [full_text_button(check.SCORING_ENTRY, lang)]
        scoring = kb.entries[check.SCORING_ENTRY]
        return outcome, replace(ctx, q=text, kind="detail", level=level, entry=scoring.id, topic=scoring.topic or "")
    named = _named_item_check_reply(kb, idx, text, lang, level, ctx, today) or _named_item_evidence_reply(
        kb, idx, text, lang, level, ctx
    )
    if named is not None:
        return named
    reply, new_ctx = _detail_or_topic(kb, idx, text, lang, nlu, ctx, today, level, etype)
    if reply.kind == "suggestions" and not ctx.empty and _GOES_ON.match(text):
        # "And how long did customs then take to verify?" after the old dishonesty procedure: a line
        # that goes on ("and", "那") and finds nothing sure alone is asked of the earlier subject
        went_on = _follow(kb, idx, FollowUp("aspect", text), text, lang, nlu, ctx, today)
        if went_on[0].kind == "answer":
            return went_on
    if partner_when and reply.kind == "answer":
        reply = _with_partner_line(kb, reply, economies, text, lang)
    reply = _with_second_question(kb, idx, reply, new_ctx, text, lang, today)
    reply = _with_each_subject(kb, idx, reply, new_ctx, text, lang, today)
    reply = _with_each_date(kb, idx, reply, new_ctx, text, lang, today)
    reply = _with_list_asked(kb, reply, new_ctx, text, lang, today)
    reply = _with_partners_listed(kb, reply, new_ctx, text, lang)
    return _with_status(kb, reply, new_ctx, text, lang, today), new_ctx


# A party the economy describes ("德国客户", "新加坡母公司", "our Japanese buyer") and the words that
# make a line ask of that economy all the same ("互认", "AEO", "recognise", "covered").
_PARTY_AFTER = re.compile(
    r"\s*(?:的|那边的?|这边的?)?\s*(?:客户|买家|买方|进口商|采购商|经销商|分销商|代理商|总部|母公司|集团|货代|"
    r"供应商|合作方|工厂|分公司|子公司|同事|老板|审核员|"
    r"(?i:customers?|clients?|buyers?|importers?|distributors?|parent|hq|head\s+office|headquarters|"
    r"forwarders?|suppliers?|subsidiar(?:y|ies)|colleagues?|auditors?|owners?|vendors?)\b)"
)
# what recognition brings where the goods arrive ("有什么便利", "what does that mean for clearance")
_BENEFITS_ABROAD = re.compile(
    r"便利|好处|优惠|待遇|通关(?:会)?(?:更)?快|(?i:\bbenefits?\b|facilitation|advantages?|"
    r"mean\s+for\s+(?:clearance|us|our|customs|the\s+goods|importing|imports)|what\s+do(?:es)?\s+(?:we|they|it)\s+get)"
)
_THEIR_SIDE = re.compile(r"他们|对方|双方|两国|(?i:\b(?:their|them|they|each\s+other)\b)")
_ASKS_RECOGNITION = re.compile(r"互认|承认|认可|能用|管用|(?i:aeo|mra|mutual|recogni|covered|accept)")


def _named_only_in(kb: Knowledge, economy: str, part: str, text: str) -> bool:
    """Is ``economy`` named in ``part`` (who passes the question on) and not in ``text`` (the question)?"""
    p = kb.find_economy(economy)
    return p is not None and answers.named_at(p, part) < len(part) and answers.named_at(p, text) >= len(text)


def _only_as_party(kb: Knowledge, economy: str, text: str) -> bool:
    """Is every mention of ``economy`` in ``text`` the place of a party ("德国客户", "our German buyer")?"""
    spans = kb.mentions(economy, text)
    low = (text or "").lower()
    return bool(spans) and all(_PARTY_AFTER.match(low, end) for _, end in spans)


def _economies_named(kb: Knowledge, nlu: NLU, text: str) -> list:
    """The economies a line names: the model's, with any it missed that the partner records know
    ("What about Peru? We saw a Hong Kong Customs deal.": the model tags Hong Kong only), then in the
    order the line names them."""
    said = [str(v) for v in nlu.values("economy")]
    found = [p["zh"] for p in kb.economies_in(text)]
    if not said:
        return found
    have = {(kb.find_economy(v) or {}).get("zh", v) for v in said}
    missed = [z for z in found if z not in have]
    if not missed:
        return said
    return sorted(said + missed, key=lambda v: answers.named_at(kb.find_economy(v) or {"zh": v, "en": v}, text))


# A line that asks the same of another economy: "What about Peru? …", "那秘鲁呢……"
_PARTNER_GOES_ON = re.compile(r"\s*(?:那么?|还有|(?i:(?:and\s+)?(?:what|how) about|and)\b)")
# A line that goes on from the previous answer: "And …", "那……", "还有……" (not "So …", which often
# draws a conclusion to check: "So one red item but 98 points overall - are we through?")
_GOES_ON = re.compile(r"\s*(?:那么?|然后|还有|另外|(?i:and|also)\b)")


def _region_asked(kb: Knowledge, text: str, nlu: NLU, ctx: Context, economies: list) -> dict | None:
    """The part of the world a line asks AEO partners of ("非洲有哪些互认国家"), or names after an
    answer on partners ("那非洲呢", "what about Asia?"); None when it names an economy or is about
    something else."""
    if economies or text.startswith("/"):
        return None
    regions = kb.regions_in(text)
    if (
        not regions
        and ctx.kind == "partner"
        and (answers.FIRST_Q.search(text) or answers.LATEST_Q.search(text))
        and (is_short(text) or len(text) <= PARTNER_LINE)
        and len(earlier := kb.regions_in(ctx.q)) == 1
    ):
        return earlier[0]  # "哪个最早实施的？", "Which one was first?" after a region's partners
    if len(regions) != 1:
        return None
    if nlu.intent in OTHER_MRA_TOPICS and nlu.confidence >= TRUSTED_INTENT:
        return None  # "欧洲客户让我们提供AEO号……": the AEO code, for a customer there
    after_partners = (ctx.kind == "partner" or ctx.topic.startswith("mra")) and (
        is_short(text) or _REGION_Q.search(text)  # "which South American country was the first to …?"
    )
    if after_partners:
        return regions[0]
    about_mra = any(w in text.lower() for w in MRA_WORDS) or nlu.intent in ("ask_mra_partner", "ask_mra_overview")
    return regions[0] if about_mra and _REGION_Q.search(text) else None


# What a line asks of a region's partners: which, whether any, how many, the first or latest
_REGION_Q = re.compile(
    r"哪(?:个|些|几个|一个)?(?:国家|经济体|地区|伙伴)|(?:国家|伙伴|经济体)(?:有|是|吗)|有[^，,。？?]{0,10}(?:国家|伙伴|经济体)|有没有|有哪些|几个|多少个|最早|第一|首个|最近|最新"
    r"|(?i:\b(?:which|what) (?:countr|econom|partner)|\bany (?:countr|econom|partner)|\bhow many\b|\bfirst\b|\bearliest\b|\blatest\b"
    r"|\b(?:countries|economies|partners)\b)"
)


# "比高级认证门槛低一点的等级" names a level to compare another with; "gj认证企业" abbreviates 高级
_LEVEL_COMPARED = re.compile(r"比|相比|(?i:\bthan\b|compared)|[A-Za-z]认证企业")


def _of_named_level(idx: UnitIndex, nlu: NLU, text: str) -> NLU:
    """The model's topic for the one level the line names, when the model read the other level's
    ("高级认证企业，要对照的标准一共多少条" read as the certified standard's structure)."""
    named = levels_in(text)
    if len(named) != 1 or not nlu.intent.startswith(POLICY_PREFIX) or _LEVEL_COMPARED.search(text):
        return nlu
    own = (idx.level_topics.get(nlu.intent[len(POLICY_PREFIX) :]) or {}).get(next(iter(named)))
    if not own:
        return nlu
    ranking = [(POLICY_PREFIX + own, nlu.confidence)] + [
        (n, c) for n, c in nlu.ranking if n not in (nlu.intent, POLICY_PREFIX + own)
    ]
    return replace(nlu, intent=POLICY_PREFIX + own, ranking=ranking)


def _questions_in(text: str) -> list[str]:
    """The questions of a line, split at its question marks ("……有几项？……是多少？")."""
    return [x for x in re.split(r"[？?]", text) if x.strip()]


def _sources_at(lines: list[str]) -> int:
    """Where a reply's citation lines begin (its own text before them), or its end."""
    return next((i for i, x in enumerate(lines) if x.startswith(("来源：", "Source:"))), len(lines))


def _reply_parts(text: str) -> tuple[list, list, list]:
    """A reply's own lines, its citation lines, and the notes after them (the caveat)."""
    lines = [x for x in text.split("\n") if x.strip()]
    at = _sources_at(lines)
    sources = [x for x in lines[at:] if x.startswith(("来源：", "Source:"))]
    return lines[:at], sources, [x for x in lines[at:] if x not in sources]


def _with_second_question(
    kb: Knowledge, idx: UnitIndex, reply: Reply, ctx: Context, text: str, lang: str, today
) -> Reply:
    """ "进出口商品检验的单项标准有几项？不合格次数和比例要求是多少？": a count answered by its topic's
    summary, and a second question of the line on the same subject, which a clause of that topic
    answers (asked with the first question's subject): both, the clause after the summary."""
    asks = _questions_in(text)
    if len(asks) != 2 or ctx.kind not in ("topic", "detail") or reply.kind != "answer" or not ctx.topic:
        return reply
    if not _COUNT_Q.search(asks[0]) or _COUNT_Q.search(asks[1]):
        return reply
    second = f"{_COUNT_Q.sub(' ', asks[0])} {asks[1]}"
    detail = find_detail(kb, idx, second, lang, ctx.level, ctx.etype, {ctx.topic: 1.0})
    if (
        detail is None
        or detail.leads[0].topic != ctx.topic
        or detail.score < CONFIDENT_SCORE
        or detail.own < STRONG_OWN
        or detail.leads[0].entry_id in reply.entry_ids
    ):
        return reply
    clause = render_detail(kb, detail, lang, today)
    body1, sources1, notes1 = _reply_parts(reply.text)
    body2, sources2, notes2 = _reply_parts(clause.text)
    sources = sources1 + [x for x in sources2 if x not in sources1]
    text_ = "\n".join([*body1, *body2, *sources, *(notes1[:1] or notes2[:1])])
    return replace(reply, text=text_, entry_ids=[*reply.entry_ids, *clause.entry_ids])


# Where a spoken line goes on to a second question ("……保存几年啊还有那个封条用什么标准的", "how long do we
# keep the system data and what seal standard do you want")
_NEXT_QUESTION = re.compile(
    r"(?<=[啊呀吗呢吧的])\s*(?:还有|另外|再就是|顺便问一?下)(?:就是|那个|这个)?"
    r"|[，,]\s*(?:还有|另外|再就是|顺便问一?下)(?:就是|那个|这个)?"
    r"|(?i:,?\s+and\s+(?=(?:what|how|which|when|where|who|do|does|is|are|can|must)\b))"
)
ASKED_APART = 2  # questions on two subjects in one line, each answered by its own clause


def _asked_apart(text: str) -> list[str]:
    """The questions of a line, at its question marks and where a spoken line goes on to another."""
    return [x.strip(" ，,。.") for q in _questions_in(text) for x in _NEXT_QUESTION.split(q) if _holds_a_question(x)]


def _with_each_subject(kb: Knowledge, idx: UnitIndex, reply: Reply, ctx: Context, text: str, lang: str, today) -> Reply:
    """ "信息系统里面的数据要保存几年啊还有那个封条用什么标准的": two questions on two subjects, each of
    which a clause answers surely alone; the reply answers each (it answered one, or a summary of
    neither)."""
    asks = _asked_apart(text)
    if len(asks) != ASKED_APART or reply.kind != "answer" or ctx.kind not in ("topic", "detail"):
        return reply
    # (not a second question of the first one's subject: "……一共多少条", "是哪个文件规定的", "how many of
    # them do we need to meet?")
    if POINTER_RE.search(asks[1]) or SOURCE_RE.search(asks[1]):
        return reply
    found = []
    for ask in asks:
        if not answers.ASKING_CLAUSE.search(ask):
            return reply
        detail = find_detail(kb, idx, ask, lang, ctx.level, ctx.etype)
        if detail is None or detail.score < CONFIDENT_SCORE or detail.own < STRONG_OWN:
            return reply
        # each a standard item the question names by its subject (封条 of "货物安全-封条管理")
        lead = detail.leads[0]
        if lead.kind != "item" or not _label_words(lead.label or "") & unit_tokens(ask):
            return reply
        found.append(detail)
    if found[0].leads[0].entry_id == found[1].leads[0].entry_id:
        return reply
    missing = [d for d in found if d.leads[0].entry_id not in reply.entry_ids]
    # the reply answers one of them (a clause), or neither (the topic's summary): never another answer
    if not missing or (len(missing) == ASKED_APART) != (ctx.kind == "topic"):
        return reply
    parts = [render_detail(kb, d, lang, today) for d in (found if len(missing) == ASKED_APART else missing)]
    body, sources, notes = ([], [], []) if len(missing) == ASKED_APART else _reply_parts(reply.text)
    entry_ids = [] if len(missing) == ASKED_APART else list(reply.entry_ids)
    for part in parts:
        b, c, n = _reply_parts(part.text)
        body += b
        sources += [x for x in c if x not in sources]
        notes += n
        entry_ids += [e for e in part.entry_ids if e not in entry_ids]
    base = parts[0] if len(missing) == ASKED_APART else reply
    return replace(base, text="\n".join([*body, *sources, *notes[:1]]), entry_ids=entry_ids)  # (one caveat)


def _with_each_date(kb: Knowledge, idx: UnitIndex, reply: Reply, ctx: Context, text: str, lang: str, today) -> Reply:
    """ "新的海关信用管理办法是哪天开始执行的？又是哪天发布的": two dates asked in one line, the second
    of the first one's subject; the dated line that answers each, where the reply lacks it."""
    asks = _questions_in(text)
    if len(asks) != 2 or reply.kind != "answer" or not all(_DATE_Q.search(a) for a in asks):
        return reply
    body, sources, notes = _reply_parts(reply.text)
    topics = {ctx.topic: 1.0} if ctx.topic else {}
    added: list[str] = []
    entry_ids = list(reply.entry_ids)
    for ask in (asks[0], f"{_DATE_Q.sub(' ', asks[0])} {asks[1]}"):
        detail = find_detail(kb, idx, ask, lang, ctx.level, ctx.etype, topics)
        if detail is None or detail.score < CONFIDENT_SCORE:
            continue
        rendered = render_detail(kb, detail, lang, today)
        lines, cites, _ = _reply_parts(rendered.text)
        dated = [x for x in lines if _DATE_U.search(x)]
        if dated and not any(x in body for x in dated):
            added += [dated[0]] if dated[0] not in added else []
            sources += [c for c in cites if c not in sources]
            entry_ids += [e for e in rendered.entry_ids if e not in entry_ids]
    if not added:
        return reply
    # beside the date the reply gives, not after what else it says (the decree's aims)
    at = next(
        (i + 1 for i, x in enumerate(body) if _DATE_U.search(x) and not x.rstrip().endswith(("：", ":"))), len(body)
    )
    return replace(reply, text="\n".join([*body[:at], *added, *body[at:], *sources, *notes]), entry_ids=entry_ids)


# "附加标准都包括哪些？我们是……，算不算？", "加分项都有啥 我们是……": a list asked for, then a question
# of the enterprise's own case.
_LIST_FIRST = re.compile(
    r"^(?P<list>.{1,30}?(?:都|一共|总共)?(?:包括|包含|有)(?:哪些|啥|什么|哪几项|哪几个|哪几类)(?:呢|啊)?)[？?，,。；;！!\s]+\S"
    r"|^(?P<list_en>(?:what|which)\s+(?:are|is)\s+(?:all\s+)?(?:the\s+)?[^?]{2,50})\?\s*\S",
    re.I | re.S,
)


LIST_LINES = 3  # a summary that lists this many numbered lines is a list, in any language

# "We were named a national little giant company. What bonus items are there?": the list asked last
_LIST_LAST = re.compile(
    r"[。！!；;]\s*(?P<list>[^。！!；;？?]{1,30}?(?:都|一共|总共)?(?:包括|包含|有)(?:哪些|啥|哪几项|哪几个|哪几类)(?:呢|啊)?)[？?]?\s*$"
    r"|[.!;]\s+(?P<list_en>(?:what|which)\s+(?:[\w-]+\s+){0,3}(?:are|is)\s+(?:there|included|listed)\b[^?.!]{0,50})\?\s*$",
    re.I | re.S,
)


def _with_list_asked(kb: Knowledge, reply: Reply, ctx: Context, text: str, lang: str, today) -> Reply:
    """ "附加标准都包括哪些？我们是国家级专精特新小巨人，算不算？": the clause answers the enterprise's own
    case; the list asked first (or last, after the case) is its topic's summary, given before it
    (one caveat)."""
    m = _LIST_FIRST.match(text.strip()) or _LIST_LAST.search(text.strip())
    if m is None or ctx.kind != "detail" or reply.kind != "answer" or not ctx.topic:
        return reply
    summary = answers.answer_topic(kb, ctx.topic, m.group("list") or m.group("list_en"), lang, today)
    if (
        summary is None
        or set(summary.entry_ids) & set(reply.entry_ids)
        or not (
            _summary_like(summary.text)
            or sum(bool(_LIST_LINE.match(x)) for x in summary.text.splitlines()) >= LIST_LINES
        )
    ):
        return reply
    body1, sources1, notes1 = _reply_parts(summary.text)
    body2, sources2, notes2 = _reply_parts(reply.text)
    sources = sources1 + [x for x in sources2 if x not in sources1]
    lead = ("对应条款：" if lang == "zh" else "The matching item: ") + body2[0]
    text_ = "\n".join([*body1, lead, *body2[1:], *sources, *(notes1[:1] or notes2[:1])])
    return replace(reply, text=text_, entry_ids=[*summary.entry_ids, *reply.entry_ids])


# "和中国AEO互认的国家有哪些", "Which economies are AEO partners of China?": the partners by name
_PARTNER_LIST_Q = re.compile(
    r"(?:哪些|哪几个|什么)(?:国家|经济体|伙伴|地区)|(?:国家|伙伴)(?:名单|清单|列表)|都有谁|都有哪"
    r"|(?:国家|经济体|伙伴|地区)[^，,。？?]{0,4}(?:有|是|包括)(?:哪些|哪几个|谁)"
    r"|(?i:\b(?:which|what) (?:countries|economies|partners)\b|\blist (?:of )?(?:the )?(?:countries|economies|partners)\b"
    r"|\bwho are (?:the|china's|its) (?:aeo )?partners\b)"
)


def _with_partners_listed(kb: Knowledge, reply: Reply, ctx: Context, text: str, lang: str) -> Reply:
    """An answer on AEO mutual recognition to a line that asks which economies are partners: the
    partners by name (and what is not confirmed), before the citation."""
    if ctx.topic != "mra_overview" or not _PARTNER_LIST_Q.search(text) or kb.economies_in(text):
        return reply
    line = answers.partner_list_line(kb, lang)
    return reply if line in reply.text else _before_sources(reply, line)


def _with_status(kb: Knowledge, reply: Reply, ctx: Context, text: str, lang: str, today) -> Reply:
    """ "127号公告……超过6个月才披露还能不罚吗？这个公告现在还有效吗": a later question of the line
    asks whether the rule answered is still in force; when it is not, that is said (and its
    successor), before the citation."""
    asks = _questions_in(text)
    entry = kb.entries.get(ctx.entry) if ctx.entry else None
    status = next((x for x in asks[1:] if STATUS_RE.search(x.strip())), "")
    if reply.kind != "answer" or not status or entry is None or not entry.superseded(today):
        return reply
    head = _about_last_answer(kb, "status", lang, ctx, today, status, in_reply=True).text.split("\n")[0]
    lines = reply.text.split("\n")
    at = _sources_at(lines)
    return replace(reply, text="\n".join([*lines[:at], head, *lines[at:]]))


def _with_partner_line(kb: Knowledge, reply: Reply, economies: list, text: str, lang: str) -> Reply:
    """The reply, with the named partner's status and dates (its first line) before the sources."""
    line = answers.answer_partner(kb, economies, text, lang).text.split("\n")[0].strip()
    line = re.sub(r"^(?:是的，|不是，|Yes:\s*|No:\s*)", "", line)  # the record's answer to "is X a partner?"
    if not line or line in reply.text:
        return reply
    return _before_sources(reply, line)


def _before_sources(reply: Reply, line: str) -> Reply:
    """The reply with ``line`` added after its own text, before its citation."""
    lines = reply.text.split("\n")
    at = _sources_at(lines)
    while at > 0 and not lines[at - 1].strip():
        at -= 1  # before the blank line that opens the sources
    return replace(reply, text="\n".join(lines[:at] + [line] + lines[at:]))


_TRAILING_PARTICLE = re.compile(r"[\s，,。？?！!]*(?:呢|吧|啊|呀)?[\s？?！!。]*$")


# "the China EU deal", "the China–Korea arrangement", "中欧协定": the economy's arrangement with China
_BILATERAL_DEAL = re.compile(
    r"(?i:\bchina[\s–-]+(?:[a-z]+[\s–-]+){1,2}(?:deal|arrangement|agreement)s?\b)|中[欧韩日新泰智乌][^，。？?]{0,2}(?:协定|安排|协议)"
)
_OLD_STANDARD = re.compile(r"老标准|旧标准|老的标准|旧的标准")
_NEW_STANDARD = re.compile(r"新(?:版|的)?标准|(?i:\b(?:the )?new standards?\b)")
_NAMES_VERSION = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|新|(?i:\b(?:new|newer|current|latest|updated)\b)")


def _tells_figures(text: str) -> bool:
    """The line tells figures of the enterprise's own ("现金比率0.3 流动比率1.2呢", "2 of those fines, 60k
    each"): with a follow-up after a computed answer, more of them or in place of the earlier ones."""
    return bool(any(parse_financial(text).values()) or parse_facts(text)["facts"])


def _checked(
    kb: Knowledge,
    idx: UnitIndex,
    text: str,
    lang: str,
    level: str,
    etype: str,
    ctx: Context,
    today,
    asked: bool = False,
    judging: tuple[str, int] | None = None,
    facts: dict | None = None,
) -> tuple[Reply, Context] | None:
    """A question with the enterprise's own figures, computed against the clause it is about
    (``asked``: the conversation already asks whether they pass; ``judging``: only an answer that
    judges that (standard, item) too; ``facts``: the facts to judge, when not the text's own)."""
    checked = check.check(kb, text, lang, level, etype, today, asked=asked, facts=facts)
    if checked is None or (judging is not None and judging not in checked.items):
        return None
    units = idx.by_entry.get(checked.entry_id) or []
    checked.reply.buttons = detail_buttons(kb, units[0], lang) if units else []
    new = replace(ctx, q=text, kind="detail", level=level, etype=etype, entry=checked.entry_id)
    return checked.reply, replace(new, topic=checked.topic, item=checked.item, standard=checked.standard)


_ITEM_REF = re.compile(r"[（(]\d{1,2}[)）]")  # "高级认证第(69)—(74)项", "items (57)-(62)"
ITEM_OF_QUESTION = 0.5  # the share of the earlier question an item's own words must cover


# "高级认证企业标准第（40）项、认证企业标准第（38）项": single items an entry's citation names, per standard
_CITED_ITEM = re.compile(r"(高级认证企业|认证企业)标准第[（(](\d{1,2})[)）]项")


def _cited_items(entry) -> dict:
    """{standard: item number} of the single items (not ranges) the entry's Chinese citation names."""
    if entry is None:
        return {}
    article = str((entry.article or {}).get("zh") or "")
    return {
        ("advanced" if m.group(1) == "高级认证企业" else "certified"): int(m.group(2))
        for m in _CITED_ITEM.finditer(article)
    }


def _item_of_question(kb: Knowledge, idx: UnitIndex, ctx: Context, lang: str) -> Context:
    """ "which item number is that?" after an answer from a summary ("What does the standard
    require for container seals?"): the standard item the earlier question is about, when one
    covers most of its words; the context unchanged otherwise."""
    if not ctx.q:
        return ctx
    others = frozenset({u.kind for u in idx.units} - {"item"})
    ranked = idx.rank(ctx.q, limit=100, context_weight=0.8 if lang == "en" else 0.5, skip_kinds=others)
    found = find_detail(kb, idx, ctx.q, lang, level=ctx.level, etype=ctx.etype, ranked=ranked) if ranked else None
    if found is None or found.own < ITEM_OF_QUESTION:
        return ctx
    lead = found.leads[0]
    if lead.standard not in ("advanced", "certified") or not lead.item_number:
        return ctx
    return replace(ctx, item=lead.item_number, standard=lead.standard)


_MISSING_Q = re.compile(
    r"(?:少|缺)掉?了?(?:的是)?哪(?:些|一?项|个|几(?:项|块|个|样|部分)|一?块|部分)|哪些(?:没有|不考核|不要求|被?去掉了|被?删了|少了)|多(?:了|出来?的?)哪些|"
    r"(?i:\b(?:which|what)\b.{0,40}\b(?:missing|dropped|left out|removed|lacks?|not (?:in|included)|leaves? out)\b)"
)
_DIMENSION_TOPICS = frozenset(
    {
        "internal_control_requirements",
        "financial_requirements",
        "compliance_requirements",
        "trade_security_requirements",
    }
)

_CLAIM_Q = re.compile(
    rf"(?:{HEARSAY_ZH})[^，,。？?]{{0,12}}(?:说|讲|写|称|提到)|听说|"
    rf"(?i:\b(?:{HEARSAY_EN}|an? (?:article|website|blog|post)|i (?:read|heard|saw))\b"
    r".{0,40}\b(?:said|says|say|saying|claims?|claimed|claiming|wrote|writes|told|tells|states?|stating)\b)"
)
_RIGHT_Q = re.compile(
    rf"哪个对|哪个准|准吗|准不准|真的吗|{CHECK_ZH}|"
    rf"(?i:\bwhich (?:one )?is (?:{CHECK_EN})\b|\bis (?:that|this|it) (?:{CHECK_EN})\b|"
    rf"\bwho(?:'s| is) right\b|\b(?:{CHECK_EN})\?)"
)
_MONTHS = "january february march april may june july august september october november december".split()
_MONTH_RE = "|".join(_MONTHS)
_CLAIMED = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月|"
    rf"(?i:\b\d{{1,2}} (?:{_MONTH_RE}) \d{{4}}\b|\b(?:{_MONTH_RE}) \d{{1,2}},? \d{{4}}\b)|"
    r"\d+(?:\.\d+)?\s*(?:个月|年|日|天|%|万元|万|项|次|分)|(?i:\b\d+(?:\.\d+)?\s*(?:months?|years?|days?|%|items?|times))"
)


def _same_form(text: str) -> str:
    """Dates and figures in one form, to compare a claim with an answer: "2026年6月1日", "1 June 2026"
    and "2026-06-01" all read "2026-06-01"; spaces and case do not count."""
    low = text.lower()
    low = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", low)
    low = re.sub(r"(\d{4})-(\d{1,2})-(\d{1,2})", lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", low)
    low = re.sub(
        rf"\b(\d{{1,2}}) ({_MONTH_RE}) (\d{{4}})\b",
        lambda m: f"{m[3]}-{_MONTHS.index(m[2]) + 1:02d}-{int(m[1]):02d}",
        low,
    )
    low = re.sub(
        rf"\b({_MONTH_RE}) (\d{{1,2}}),? (\d{{4}})\b",
        lambda m: f"{m[3]}-{_MONTHS.index(m[1]) + 1:02d}-{int(m[2]):02d}",
        low,
    )
    low = re.sub(r"(\d{4})年(\d{1,2})月", lambda m: f"{m[1]}-{int(m[2]):02d}", low)
    low = low.replace("个月", "month").replace("months", "month")
    return re.sub(r"\s+", "", low)


def _claim_reply(kb: Knowledge, text: str, lang: str, ctx: Context, today) -> tuple[Reply, Context] | None:
    """ "网上有文章说是2026年6月1日，哪个对？" after an answer: whether the figure or date someone
    gave agrees with what we know, then what we know (the previous question answered again)."""
    if ctx.empty or not ctx.q or not (_CLAIM_Q.search(text) or re.search(r"说是|说要|是不是", text)):
        return None
    if not _RIGHT_Q.search(text):
        return None
    claims = [m.group(0).strip() for m in _CLAIMED.finditer(text)]
    if not claims:
        return None
    if ctx.kind == "partner" and ctx.economy:
        known = answers.answer_partner(kb, [ctx.economy], "", lang)
    else:
        known, _ = respond(kb, ctx.q, lang, _topic_nlu(ctx.topic), Context(level=ctx.level, etype=ctx.etype), today)
    if known.kind not in ("answer", "partner", "item") or not known.text:
        return None  # (nothing known to compare with: the line is read as usual)
    # (what the answer leads with: not a claim it reports only to reject, "有厂商称6个月……不能作为依据")
    lead = []
    for line in known.text.split("\n"):
        lead.append(line)
        if line.strip() and not line.rstrip().endswith(("：", ":")):
            break
    said = _same_form("\n".join(lead))
    agree = all(_same_form(c) in said for c in claims)
    named = "、".join(claims) if lang == "zh" else ", ".join(claims)
    head = (
        (
            f"这个说法（{named}）与我们掌握的资料一致："
            if agree
            else f"这个说法（{named}）与我们掌握的资料不一致，我们掌握的是："
        )
        if lang == "zh"
        else (
            f"That ({named}) agrees with what we have:"
            if agree
            else f"That ({named}) does not match what we have, which is:"
        )
    )
    return replace(known, text=head + "\n" + known.text), replace(ctx, asked=text)


_DIMENSION_WORDS = {
    "internal_control_requirements": re.compile(r"内部控制|内控|internal[- ]control"),
    "financial_requirements": re.compile(r"财务|financ"),
    "compliance_requirements": re.compile(r"守法规范|compliance"),
    "trade_security_requirements": re.compile(r"贸易安全|trade[- ]security"),
}


def _missing_items_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "少了哪些？" after "高级认证的贸易安全有多少项" → "认证企业呢": the advanced standard's items that
    the certified standard has no counterpart for (from the guidance records' applies_to), in the
    conversation's dimension when it is about one."""
    if not _MISSING_Q.search(text):
        return None  # (first: this runs for every message)
    both_named = len(levels_in(text)) > 1
    if ctx.empty and not both_named:
        return None
    about_levels = (
        ctx.level in ("advanced", "certified")
        or ctx.standard in ("advanced", "certified")
        or ctx.topic in _STRUCTURE_TOPICS
        or both_named
    )
    said = f"{ctx.q} {text}".lower()
    named_dimension = next((t for t, rx in _DIMENSION_WORDS.items() if rx.search(said)), "")
    if not about_levels or not (
        ctx.topic in _DIMENSION_TOPICS or ctx.topic in _STRUCTURE_TOPICS or ctx.standard or named_dimension
    ):
        return None
    numbers = sorted(
        int(k.split(":")[1])
        for k, v in idx.counterpart.items()
        if k.startswith("advanced:") and not any(x.startswith("certified:") for x in v)
    )
    dimension = ctx.topic if ctx.topic in _DIMENSION_TOPICS else ""
    # ("高级认证的贸易安全有多少项" → "认证企业呢", the structure topic: the dimension it named)
    dimension = dimension or named_dimension
    heads = []
    for n in numbers:
        units = _item_units(kb, idx, "advanced", n, "item", lang)
        if units and (not dimension or units[0].topic == dimension):
            heads.append(units[0])
    if not heads:
        return None
    zh = lang == "zh"
    detail = render_detail(kb, Detail(leads=heads, score=1.0, own=1.0), lang, today)
    where, counts = "", ""
    if dimension:
        title = kb.topic_title(dimension, lang)
        where = f"（{title}）" if zh else f" ({title})"
        # how many items each standard has in that dimension ("25项 / 15项")
        per = {
            std: sum(
                1
                for e in kb.entries.values()
                if e.standard == std
                and e.item_number
                and (u := _item_units(kb, idx, std, e.item_number, "item", lang))
                and u[0].topic == dimension
            )
            for std in ("advanced", "certified")
        }
        if per["advanced"] and per["certified"]:
            counts = (
                f"这一部分高级认证企业标准{per['advanced']}项，认证企业标准{per['certified']}项。"
                if zh
                else f"In this part the Advanced Certified Enterprise standard has {per['advanced']} items and the "
                f"Certified Enterprise standard {per['certified']}. "
            )
    intro = counts + (
        f"认证企业标准没有高级认证企业标准的这{len(heads)}项{where}：\n"
        if zh
        else f"The Certified Enterprise standard has no counterpart for these {len(heads)} items of the "
        f"Advanced Certified Enterprise standard{where}:\n"
    )
    detail.text = intro + detail.text
    return detail, replace(ctx, kind="detail", asked=text)


def _which_item_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "这是第几项？认证企业标准里也有吗", "认证企业标准里对应的是第几项": the number of the previous
    answer's item, in the standard the line names (its counterpart there, or that it has none)."""
    if not WHICH_ITEM_RE.search(text) or parse_item_number(text) is not None:
        return None
    named = _item_named(idx, text, lang, level_in(text) or ctx.standard or ctx.level)
    if named is not None:
        # "股东这条在认证企业标准里是第几项": the item on the subject the line names, in that standard
        reply = answers.answer_item(kb, named.item_number, named.standard, lang, today)
        if levels_in(text) == {"advanced", "certified"}:
            # "“小巨人”是高级认证第几项？认证企业标准里又是第几项": its number in each standard named
            reply = _with_counterpart_item(kb, idx, reply, named.standard or "", named.item_number or 0, lang, today)
        return reply, _on_counterpart(kb, ctx, named.standard or "", named.item_number or 0, text)
    if not (ctx.item and ctx.standard in ("advanced", "certified")):
        cited = _cited_items(kb.entries.get(ctx.entry) if ctx.entry else None)
        if cited:
            # "认证企业标准里这是第几项" after the public-credit answer, which cites advanced (40) and
            # certified (38): the item of the standard asked about
            std = next((s for s in (level_in(text), ctx.level, ctx.standard) if s in cited), next(iter(cited)))
            ctx = replace(ctx, item=cited[std], standard=std)
        else:
            ctx = _item_of_question(kb, idx, ctx, lang)
        if not ctx.item:
            # "认证企业标准里这些是第几项" after the bonus items: the item numbers its citation gives
            entry = kb.entries.get(ctx.entry) if ctx.entry else None
            if entry is not None and _ITEM_REF.search(str((entry.article or {}).get(lang) or "")):
                return _about_last_answer(kb, "items", lang, ctx, today, text), replace(ctx, asked=text)
            return None
    target = level_in(text) or ctx.standard
    if target == ctx.standard:
        reply = answers.answer_item(kb, ctx.item, ctx.standard, lang, today)
        if not level_in(text) and not ctx.level:
            # "which item number is that?" after an answer from both standards: both numbers
            reply = _with_counterpart_item(kb, idx, reply, ctx.standard, ctx.item, lang, today)
        return reply, replace(ctx, q=text)
    same = _counterpart_reply(kb, idx, ctx.standard, ctx.item, target, lang, today)
    if same is None:
        return None
    reply, item = same
    return reply, _on_counterpart(kb, ctx, target, item, text)


def _with_counterpart_item(
    kb: Knowledge, idx: UnitIndex, reply: Reply, standard: str, number: int, lang: str, today
) -> Reply:
    """``reply`` on an item, followed by its full counterpart in the other standard, if it has one."""
    key = f"{standard}:{number}"
    other = next((k for k in idx.counterpart.get(key, []) if (key, k) not in idx.counterpart.get(PARTIAL, set())), "")
    if not other:
        return reply
    std, num = other.split(":")
    second = answers.answer_item(kb, int(num), std, lang, today)
    # the caveat once, after both items
    first = "\n".join(ln for ln in reply.text.split("\n") if not ln.startswith(("提示：", "Caution:", "Note:")))
    return replace(reply, text=f"{first.rstrip()}\n\n{second.text}", entry_ids=reply.entry_ids + second.entry_ids)


_WHICH_ITEM_FILLER = re.compile(
    r"高级认证企业|高级认证|认证企业|这条|那条|这项|那项|这一项|那一项|这个|那个|在|是|里面?|标准|第几|项|条|对应"
    r"|(?i:\b(?:advanced|certified|enterprises?|levels?|is|are|was|were|the|that|this|these|those|they|them|it|its|ones?"
    r"|in|under|of|for|numbers?|which|items?|standards?|what|does|do|did"
    # "which item no. is that on their list?": the standard called a list, not the list of a subject
    r"|no|on|their|our|your|lists?|checklists?|rulebooks?|tiers?)\b)"
)
NAMED_ITEM_OWN = 0.6  # the subject a "which item is X" line names: held this much by the item


# "(高级认证第73项、认证企业第61项)", "(advanced item 73, certified item 61)": the items a summary's member names
_NUMBERED_ITEM = {
    "advanced": re.compile(r"(?:高级认证(?:企业标准)?第|\badvanced (?:standard )?items? )(\d+)", re.I),
    "certified": re.compile(r"(?:(?<!高级)认证企业(?:标准)?第|\bcertified (?:standard )?items? )(\d+)", re.I),
}


def _item_numbered(kb: Knowledge, idx: UnitIndex, text: str, standard: str, lang: str) -> Unit | None:
    """The first clause of the item of ``standard`` a line names by its number, or None."""
    found = _NUMBERED_ITEM[standard].search(text) if standard in _NUMBERED_ITEM else None
    units = _item_units(kb, idx, standard, int(found.group(1)), "item", lang) if found else []
    return units[0] if units else None


def _item_named(idx: UnitIndex, text: str, lang: str, standard: str) -> Unit | None:
    """The item of ``standard`` on the subject a "which item" line names besides its pointer words
    ("股东这条在认证企业标准里是第几项" → 出资人); None when it names none."""
    if standard not in ("advanced", "certified"):
        return None
    subject = _SAME_ITEM_FILLER.sub(" ", _WHICH_ITEM_FILLER.sub(" ", WHICH_ITEM_RE.sub(" ", text)))
    if len(re.findall(r"[\u4e00-\u9fff]", subject)) < 2 and not re.search(r"[A-Za-z]{3,}", subject):
        return None
    items = [
        r
        for r in rank_units(idx, subject, lang)
        if r.unit.kind == "item" and r.unit.standard == standard and r.coverage >= NAMED_ITEM_OWN
    ]
    return items[0].unit if items else None


# "认证企业那个标准也考盈利吗", "认证企业标准里有这项吗", "访客那块要求一样吗": the same requirement,
# asked of another level.
ALSO_RE = re.compile(
    r"也(?:考|有|要|要求|适用|需要|算)|要求一样|一样吗|有这(?:项|条)|有没有这(?:项|条)"
    r"|(?i:\b(?:as well|too|also)\b|\bthe same\b)"
)
_SAME_ITEM_FILLER = re.compile(
    r"怎么规定|如何规定|是怎么|是什么|什么|怎么|规定|那个|这个|那块|这块|标准|里面?|中|的话|的|吗|呢|吧|那|我们|准备|申请|要求|低一级|高一级|一级"
    r"|(?i:\b(?:the|standard|does|do|is|it|have|has|for|in|and|one|ones|what|about|lower|higher|other|level|that|this|then|at|on|of)\b)"
)


def _same_item_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "高级认证里同样这条要求是几年", "认证企业那个标准也考盈利吗": the previous item's counterpart in
    the level the line names, when the line names no other subject than that item's."""
    named = level_in(text)
    if not ctx.item and ctx.q and named in ("advanced", "certified") and ALSO_RE.search(text):
        # "认证企业也有这项吗" after an answer from a summary ("信息安全那项怎么才能直接算达标"):
        # the item the earlier question is about
        ctx = _item_of_question(kb, idx, ctx, lang)
    if not (
        ctx.item
        and ctx.standard in ("advanced", "certified")
        and named in ("advanced", "certified")
        and named != ctx.standard
        and (SAME_ITEM_RE.search(text) or ALSO_RE.search(text))
    ):
        return None
    if not _about_item_only(kb, idx, text, ctx):
        return None
    same = _counterpart_reply(kb, idx, ctx.standard, ctx.item, named, lang, today)
    if same is None:
        return None
    reply, item = same
    return reply, _on_counterpart(kb, ctx, named, item, text)


def _on_counterpart(kb: Knowledge, ctx: Context, level: str, item: int, q: str) -> Context:
    """The context after a counterpart reply: the conversation is now about ``level``; the item
    is the counterpart, or, when that level has none, still the earlier standard's item
    ("认证企业标准也要求视频监控吗" → none; "高级认证里这是第几项" is then item 48, not the
    certified standard's 48)."""
    if item:
        # (the entry is that item's, so "where is that from?" cites it)
        entry = kb.standard_item(level, item)
        return replace(
            ctx, kind="detail", q=q, level=level, standard=level, item=item, entry=entry.id if entry else ctx.entry
        )
    return replace(ctx, kind="detail", q=q, level=level)


# "第二个是啥来着", "and the second one?": a member of the list the previous answer gave.
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
    )
}
_LIST_POINTER = re.compile(
    r"第([一二三四五六七八九十]|\d{1,2})(?:个|点|种|样|条措施|项措施)"
    r"|(?i:\bthe (first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last) (?:one|item|point|measure|ground)s?\b)"
)
_CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩"


def _list_member_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """The n-th member of the numbered list in the previous answer's entry, with its citation."""
    m = _LIST_POINTER.search(text)
    if not (m and ctx.entry and is_short(text)):
        return None
    units = [u for u in idx.by_entry.get(ctx.entry, []) if u.lang == lang]
    marked = [u for u in units if LIST_MARK.match(u.text)]
    word = (m.group(1) or m.group(2) or "").lower()
    if word == "last":
        n = len(marked)
    else:
        n = _ORDINALS.get(word) or (int(word) if word.isdigit() else cn_to_number(word)) or 0  # "second", "二", "2"
    own = re.compile(rf"^\s*(?:{n}[.、．)]|[（(]{n}[)）]|{_CIRCLED_DIGITS[n - 1] if 0 < n <= 10 else 'x^'})")
    member = next((u for u in marked if own.match(u.text)), None)
    if member is None:
        return None
    return _member_reply(kb, units, member, lang, ctx, text, today)


def _member_reply(
    kb: Knowledge, units: list[Unit], member: Unit, lang: str, ctx: Context, text: str, today
) -> tuple[Reply, Context]:
    """A member of the previous answer's list, after the line that opens the list ("……6项附加标准
    （加分项）：" "2. ……"), cited as that answer."""
    intro = _list_intro([u for u in units if member.position - 8 <= u.position < member.position])
    leads = [intro, member] if intro is not None else [member]
    reply = render_detail(kb, Detail(leads=leads, score=1.0, own=1.0), lang, today)
    return reply, replace(ctx, asked=text)


# "查验率是怎么规定的？" after a list of measures: what the line asks of its subject ...
_RULE_OF_SUBJECT = re.compile(
    r"^(?P<subject>[^，,。？?]{2,8}?)(?:是|又是|具体是|具体)?(?:怎么|如何)(?:规定|定|要求|讲|说)的?[？?呢吗]?$"
    r"|^(?P<subject2>[^，,。？?]{2,8}?)(?:那条|那一条|这条|这一条)?(?:具体)?(?:是多少|是什么|多少)[？?呢]?$"
)


def _list_subject_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "查验率是怎么规定的？" after an answer listing measures, one of which is on 查验率: that
    member of the list (with its list's opening line), cited as the previous answer."""
    m = _RULE_OF_SUBJECT.match(text.strip()) if lang == "zh" else None
    if m is None or not ctx.entry:
        return None
    subject = (m.group("subject") or m.group("subject2") or "").strip()
    if POINTER_RE.search(subject) or len(subject) < 2:
        return None
    units = [u for u in idx.by_entry.get(ctx.entry, []) if u.lang == lang]
    marked = [u for u in units if LIST_MARK.match(u.text)]
    holding = [u for u in marked if subject in u.text]
    if len(marked) < 3 or len(holding) != 1:
        return None
    return _member_reply(kb, units, holding[0], lang, ctx, text, today)


_HOW_CHECKED = re.compile(r"怎么|如何|哪些|什么|(?i:\bhow\b|\bwhat\b)")


def _item_check_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "海关到现场会怎么查这个", "how will customs check that?" after an item: our guidance on how
    that item is checked on site."""
    if not (ctx.item and ctx.standard in ("advanced", "certified") and _check_asked(text)):
        return None
    if not (POINTER_RE.search(text) or is_short(text)) or not _HOW_CHECKED.search(text):
        return None  # "我们ERP已经跟海关对接了 这项还查吗" asks whether, not how
    units = _item_units(kb, idx, ctx.standard, ctx.item, "guidance", lang)
    if not units:
        return None
    reply = render_detail(kb, Detail(leads=units[:1], score=1.0, own=1.0), lang, today)
    return reply, replace(ctx, asked=text)


# The words of a "how will customs check X" line that are not X ("到现场的时候", "那一项", "我们好提前演练").
_CHECK_FILLER = re.compile(
    r"到现场|来现场|现场|的时候|时候|一般|通常|那一项|这一项|那项|这项|那条|这条|一项|标准|我们|提前|演练|准备|会|是|的"
    r"|(?i:\b(?:during|the|our|we|visit|item|requirement|test|check|verify|inspect|audit|on-?site|will|how|customs|officers?|of|in|at|for|to)\b)"
)


def _named_item_check_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, level: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "海关到现场的时候，信息系统那一项一般是怎么核查的？", "how will customs test our information
    system item?": our guidance on how the item the line names is checked on site. The item is
    found from the line without its check words, which otherwise match every item's check guidance."""
    if not (_check_asked(text) and _HOW_CHECKED.search(text)):
        return None
    if any(r.search(_CHECK_Q.sub(" ", text)) for r in (_DURATION_Q, _DATE_Q, _NUMBER_Q, _COUNT_Q)):
        return None  # "海关怎么核查信息系统？数据至少保存多久？" asks more than how it is checked
    lead = _line_item(idx, text, lang, level, _CHECK_FILLER.sub(" ", _HOW_CHECKED.sub(" ", _CHECK_Q.sub(" ", text))))
    if lead is None:
        return None
    standard, number = lead.standard or "", lead.item_number or 0
    units = _item_units(kb, idx, standard, number, "guidance", lang)[:1]
    if not units:
        return None
    if level not in ("advanced", "certified"):
        # "海关现场会怎么检查封条": the same check of the other standard's matching item, said once
        for key in idx.counterpart.get(f"{standard}:{number}", []):
            other, _, num = key.partition(":")
            if other != standard and (f"{standard}:{number}", key) not in idx.counterpart.get(PARTIAL, set()):
                units += [
                    u for u in _item_units(kb, idx, other, int(num), "guidance", lang)[:1] if u.text == units[0].text
                ]
    reply = render_detail(kb, Detail(leads=units, score=1.0, own=1.0), lang, today)
    return reply, _on_line_item(ctx, text, level, standard, number, units[0].entry_id or "", units[0].topic or "")


def _on_line_item(ctx: Context, text: str, level: str, standard: str, number: int, entry: str, topic: str) -> Context:
    """The conversation, now about the item a line named (its own question, not a follow-up)."""
    return replace(
        ctx,
        kind="detail",
        q=text,
        asked="",
        level=level or ctx.level,
        item=number,
        standard=standard,
        entry=entry,
        topic=topic,
    )


def _line_item(idx: UnitIndex, text: str, lang: str, level: str, subject: str) -> Unit | None:
    """The standard item a line names (its label's name, "单证复核这一项", else the item clause that holds
    ``subject``, the line without its question words, well enough), of the level the conversation
    names when that standard has it (the advanced standard's when none is named)."""
    want = level if level in ("advanced", "certified") else "advanced"
    named = sorted(
        (
            u
            for u in idx.units
            if u.kind == "item"
            and u.lang == "zh"
            and u.standard in ("advanced", "certified")
            and len(tail := u.label.split("-")[-1]) >= 2
            and tail in text
        ),
        key=lambda u: (-len(u.label.split("-")[-1]), u.standard != want),
    )
    if named:
        return named[0]
    items = [
        r
        for r in rank_units(idx, subject, lang)
        if r.unit.kind == "item" and r.unit.lang == lang and r.unit.standard in ("advanced", "certified")
    ]
    if not items or items[0].coverage < NAMED_CHECK_OWN:
        return None
    return next(
        (r.unit for r in items[:4] if r.unit.standard == want and r.score >= items[0].score - 0.05), items[0].unit
    )


# "要准备什么证据材料", "what evidence do we need for that?" after an item: what to prepare for it.
_EVIDENCE_Q = re.compile(
    r"证据|证明材料|(?:准备|提供|留|保存)(?:什么|哪些|啥)(?:材料|资料|记录|证据|文件)?|(?:什么|哪些)(?:材料|资料|记录|文件)"
    r"|(?i:\bevidence\b|what (?:documents|records|papers)|which (?:documents|records))"
)


def _item_evidence_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context, today
) -> tuple[Reply, Context] | None:
    """ "要准备什么证据材料" after an item (and naming no other subject, unlike "认证要准备什么材料"):
    the evidence our guidance suggests for that item, cited as ours."""
    if not (ctx.item and ctx.standard in ("advanced", "certified") and _EVIDENCE_Q.search(text)):
        return None
    if not (POINTER_RE.search(text) or is_short(text)) or SUBJECT_RE.search(_EVIDENCE_Q.sub(" ", text)):
        return None
    reply = _evidence_reply(kb, idx, ctx.standard, ctx.item, lang)
    return (reply, replace(ctx, asked=text)) if reply is not None else None


# "内部审计这一项……我们要提前准备啥", "evidence … for the seal management item": an item named as one
_ITEM_POINTER = re.compile(r"这一?项|那一?项|一项|这块|那块|这条|那条|(?i:\bitem\b|\brequirement\b)")
_EVIDENCE_FILLER = re.compile(
    r"认证的时候|的时候|海关|要看|看|我们|提前|准备|要|啥|什么|哪些|这一?项|那一?项|一项|这块|那块|的|吗|呢|，|？"
    r"|(?i:\b(?:what|which|should|do|does|we|our|keep|need|prepare|have|for|the|a|an|item|requirement|to|of|customs|want|see)\b)"
)


EVIDENCE_TOLD = 2  # words of a line beside its item and its evidence question: more tell a case


def _named_item_evidence_reply(
    kb: Knowledge, idx: UnitIndex, text: str, lang: str, level: str, ctx: Context
) -> tuple[Reply, Context] | None:
    """ "What evidence should we keep for the seal management item?": the evidence our guidance
    suggests for the item the line names (not "认证要准备什么材料", which names no item)."""
    if not (_EVIDENCE_Q.search(text) and _ITEM_POINTER.search(text)) or parse_item_number(text) is not None:
        return None
    asks = _questions_in(text)
    if len(asks) > 1 and not all(_EVIDENCE_Q.search(x) for x in asks[1:]):
        return None  # "……信息安全那项还要准备什么材料吗？要是没有ISO证书还有别的路子吗？" asks more
    subject = _EVIDENCE_FILLER.sub(" ", _EVIDENCE_Q.sub(" ", LEVEL_WORDS_RE.sub(" ", text)))
    lead = _line_item(idx, text, lang, level, subject)
    if lead is None or lead.item_number is None:
        return None
    told = unit_tokens(subject) - unit_tokens(f"{lead.label} {lead.text}") - {"认证", "certification", "certified"}
    if len(told) > EVIDENCE_TOLD:
        return None  # "我们ERP已经跟海关对接了，信息系统那项还需要准备啥材料吗": the case, not the list, answers
    reply = _evidence_reply(kb, idx, lead.standard or "", lead.item_number, lang)
    if reply is None:
        return None
    entry = reply.entry_ids[0] if reply.entry_ids else ""
    return reply, _on_line_item(ctx, text, level, lead.standard or "", lead.item_number, entry, lead.topic or "")


def _evidence_reply(kb: Knowledge, idx: UnitIndex, standard: str, number: int, lang: str) -> Reply | None:
    """The evidence our guidance suggests for one item, cited as ours."""
    g = guidance_for(standard, number)
    units = _item_units(kb, idx, standard, number, "guidance", lang)
    if g is None or not units:
        return None
    zh = lang == "zh"
    header = _unit_header(kb, units[0], lang).rstrip("：: ")
    listed = ("；" if zh else "; ").join(g["evidence"][lang])
    body = (
        f"{header}，建议准备的证据：{listed}。" if zh else f"{header}, evidence to prepare (our suggestion): {listed}."
    )
    caveat = (
        "提示：所需材料以主管海关的要求为准，可咨询12360热线或主管海关。"
        if zh
        else "Note: your customs office decides what it wants to see; ask it or the 12360 hotline."
    )
    return Reply(
        text=f"{body}\n{_guidance_citation(units[:1], lang)}\n{caveat}",
        buttons=detail_buttons(kb, units[0], lang),
        entry_ids=[units[0].entry_id] if units[0].entry_id else [],
        kind="answer",
    )


# A line of one or two words and a question mark ("serious?", "minor ones?")
_BARE_WORD_Q = re.compile(r"^\s*((?i:[a-z]+(?:\s+[a-z]+)?))\s*\?\s*$")


def _in_last_answer(idx: UnitIndex, ctx: Context, words: str) -> bool:
    """Every word of ``words`` is in the entry the conversation's last answer cited first."""
    asked = {t for t in unit_tokens(words) if len(t) >= 3} - QUERY_STOPWORDS
    return bool(asked) and asked <= idx.entry_tokens.get(ctx.entry or "", frozenset())


def _about_item_only(kb: Knowledge, idx: UnitIndex, text: str, ctx: Context) -> bool:
    """The line names no subject but the conversation's item ("认证企业那个标准也考盈利吗" after item
    14); "认证企业的视频监控也要吗" after the pre-loading check names another."""
    rest = _SAME_ITEM_FILLER.sub(" ", ALSO_RE.sub(" ", SAME_ITEM_RE.sub(" ", LEVEL_WORDS_RE.sub(" ", text))))
    entry = kb.standard_item(ctx.standard, ctx.item)
    item_tokens = idx.entry_tokens.get(entry.id if entry else "", frozenset())
    return all(t in item_tokens for t in unit_tokens(rest) if len(t) >= 2 and not t.isdigit())


def _topic_nlu(topic: str) -> NLU:
    """The conversation's topic as a sure reading, for a follow-up asked in it."""
    return NLU(ranking=[(POLICY_PREFIX + topic, 1.0)] if topic else [])


UNSURE_LINE_CJK = 16  # "我们负债率超了 是不是直接没戏了": a line the model cannot place, of up to 16 characters


def _unsure_short(text: str) -> bool:
    return is_short(text) or (
        len(re.findall(r"[\u4e00-\u9fff]", text)) <= UNSURE_LINE_CJK and not re.search(r"[a-z]{3,}", text)
    )


def _reads_as_follow_up(nlu: NLU) -> bool:
    if nlu.intent == "follow_up":
        return True
    if nlu.intent.startswith(POLICY_PREFIX) and nlu.confidence < UNSURE_ANY:
        return True  # "海关多久给答复" after a repair question: the model is sure of no topic
    return (nlu.intent in OFFTOPIC_INTENTS or not nlu.intent) and nlu.confidence < UNSURE_OFFTOPIC


def _same_topic_unsure(nlu: NLU, ctx: Context) -> bool:
    """ "要几项符合才算达标" after "盈利能力看哪些指标": the model puts the short line, unsure, in
    the conversation's own topic; it continues the earlier question."""
    return bool(ctx.topic) and nlu.intent == POLICY_PREFIX + ctx.topic and nlu.confidence < SAME_TOPIC_UNSURE


def _names_no_level_but_general(text: str) -> bool:
    """A question about both levels ("两个等级", "各是多少", "advanced and certified") does not
    take or inherit one; "认证企业……现金比率和流动比率分别是多少" names one level."""
    named = levels_in(text)
    if named:
        return len(named) > 1
    if _OTHER_LEVEL.search(text or ""):
        return True  # "失信企业呢 查验率多少" after the certified level: asked of that level, not certified
    return bool(re.search(r"分别|各是|各自|两个|两种|both|each|vs|versus|compare", text or "", re.I))


# A credit level other than the two certified ones, named as the subject of a line.
_OTHER_LEVEL = re.compile(
    r"严重失信|失信企业|常规企业|一般信用企业"
    r"|(?i:\b(?:seriously )?dishonest (?:enterprises?|firms?|compan(?:y|ies)|ones?)\b|\bregular (?:enterprises?|firms?)\b)"
)


# "哪些项最容易卡住高级认证", "which items usually stop companies from getting certified?": the
# quick self-check's items (knowledge/scoring/quick_check.yaml), each with why it blocks
_BLOCKERS_Q = re.compile(
    r"(?:最容易|最常|经常|常见|通常|一般|往往|容易|多半)[^，,。？?]{0,10}(?:卡住?|通不过|过不了|不通过|没通过|不达标|失败|栽|出问题)"
    r"|卡在哪|(?:常见|主要)的?(?:问题|原因|短板)"
    r"|(?i:\b(?:usually|often|commonly|typically|most often|most commonly|most likely to)\b[^.?!]{0,30}"
    r"\b(?:stop|stops|block|blocks|trip|trips|fail|fails|sink|sinks|hold back|holds back|trip up|trips up)\b"
    r"|\b(?:common|typical|usual|biggest|main)\s+(?:blockers?|pitfalls?|stumbling blocks?|problems|reasons?\b[^.?!]{0,20}\bfail))"
)
_CERTIFICATION_WORD = re.compile(r"认证|AEO|(?i:certif)")
_WHICH_ASKED = re.compile(r"哪|什么|啥|(?i:\b(?:which|what)\b)")  # (not "保留意见通常算不达标吗", one item's case)


def _blockers_reply(kb: Knowledge, idx: UnitIndex, text: str, lang: str, ctx: Context) -> tuple[Reply, Context] | None:
    """The items that most often block certification at the level asked (else the conversation's,
    else the advanced level), each with our note on why, and the quick check offered."""
    from core.standards import catalogue

    if not (_BLOCKERS_Q.search(text) and _CERTIFICATION_WORD.search(text) and _WHICH_ASKED.search(text)):
        return None
    level = level_in(text) or ctx.level or "advanced"
    rows = catalogue.quick_check(level)
    if not rows:
        return None
    zh = lang == "zh"
    labels = {i.number: (i.label if zh else i.label_en) for i in catalogue.items(level)}
    units: list[Unit] = []
    lines: list[str] = []
    entries: list = []
    for row in rows:
        entry = kb.standard_item(level, row["item"])
        if entry is None:
            continue
        entries.append(entry)
        units += _item_units(kb, idx, level, row["item"], "item", lang)
        label = labels.get(row["item"], "")
        name = f"第{row['item']}项（{label}）" if zh else f"item {row['item']} ({label})"
        lines.append(f"{len(lines) + 1}. {name}{'：' if zh else ': '}{row['why'][lang]}")
    if not entries:
        return None
    title = (
        ("高级认证企业" if level == "advanced" else "认证企业")
        if zh
        else ("Advanced Certified Enterprise" if level == "advanced" else "Certified Enterprise")
    )
    head = (
        f"申请{title}最常卡住的{len(lines)}项（本助手快速自查所问的关键项）："
        if zh
        else f"The {len(lines)} items that most often block the {title} level (the key items of our quick self-check):"
    )
    offer = (
        "想逐项对照本企业情况，可以开始自我评估，选“快速自查”。"
        if zh
        else 'To check your enterprise item by item, start a self-assessment and choose "Quick check".'
    )
    document = (kb.sources.get(entries[0].source_id) or {}).get(f"title_{lang}", "")
    cite = (
        f"来源：{document}，{title}标准所列各项；各项说明为本助手所写，非官方文本。"
        if zh
        else f"Source: {document}, the {title} standard's items listed; the notes are this assistant's own, not official text."
    )
    body = "\n".join(x for x in (head, *lines, offer, cite, caveat_line(units, lang)) if x)
    button = {"title": "开始自我评估" if zh else "Start a self-assessment", "payload": "/start_assessment"}
    first = entries[0]
    reply = Reply(text=body, buttons=[button], entry_ids=[e.id for e in entries], kind="answer")
    return reply, replace(
        ctx, q=text, kind="topic", level=level, entry=first.id, topic=first.topic or ctx.topic, item=0
    )
