"""Conversation context for answers: what the conversation is about, and how an
elliptical follow-up ("那认证企业呢", "韩国呢", "详细说说", "what about New
Zealand?") is read against it. Plain Python, no Rasa import: the actions keep
the context in a slot (``answer_context``, JSON) so every channel shares it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from core.text import ARTICLE_RE, BEFORE_AN_EVENT, DOCUMENT_RE, parse_item_number

LEVEL_WORDS = {
    "advanced": {"zh": "高级认证企业", "en": "advanced certified enterprise"},
    "certified": {"zh": "认证企业", "en": "certified enterprise"},
}
ETYPE_WORDS = {
    "production": {"zh": "生产型企业", "en": "manufacturer"},
    "non_production": {"zh": "非生产型企业", "en": "non-manufacturing enterprise"},
}
_LEVEL_RE = re.compile(
    r"高级认证企业|高级认证|高认|AEO高级|高级(?=的|呢|[？?。，,、\s]|$)|一般认证企业|一般认证|认证企业"
    # ("certificated": a common learner's form of "certified")
    r"|(?i:advanced[- ]certifi(?:ed|cated) enterprises?|advanced[- ]certifi(?:ed|cated)|advanced(?: level| standard| aeo)?"
    r"|certifi(?:ed|cated) enterprises?|certifi(?:ed|cated)(?: level| standard)?|\b(?:top|highest)[- ](?:aeo )?(?:tier|level)\b"
    # "the one below the top level", "the second-highest tier": the certified level
    r"|\b(?:(?:one|level|tier) )?(?:just |right )?(?:below|under) the (?:top|highest)(?:[- ](?:aeo )?(?:tier|level))?\b"
    r"|\bsecond[- ](?:highest[- ])?(?:aeo )?(?:tier|level)\b"
    # "the new middle tier", "mid-tier status": lay users' name for the certified level (between the
    # advanced level and the regular one); "the middle level of the five levels" is not matched
    r"|\b(?:middle|mid)[- ](?:aeo[- ])?(?:tier|level|rung)\b(?! of the (?:five|5))"
    r"|\bmid[- ]tier\b"
    # "the lower-tier AEO rulebook": the lower of the two AEO levels (not "a lower level" alone)
    r"|\blower[- ](?:tier|level) aeo\b|\blower aeo (?:tier|level)\b"
    r"|\blower[- ]tier (?:aeo )?(?:standard|rulebook|checklist|status)s?\b"
    # "and for the lower tier / level?" (after a question on the top tier): the lower of the two AEO
    # levels ("move us down to a lower level" names none)
    r"|\bthe lower (?:aeo )?(?:tier|rung|level)\b|\bthe (?:higher|upper) (?:aeo )?(?:tier|rung|level)\b"
    # "and for the higher one?" as a whole follow-up line: the other of the two AEO levels
    r"|^\W*(?:and|what about|how about)?\s*(?:for|in|at|with)?\s*the (?:higher|upper|lower) one\b)"
    r"|次高一?(?:级|档|等级)|中间(?:那|这)?一?(?:档|级)(?=的?认证|的?标准|的?AEO)"
)
_ETYPE_RE = re.compile(
    r"非生产型(?:企业)?|生产型(?:企业)?|贸易公司|贸易型|外贸公司|(?:做|搞|纯)贸易|制造(?:企业|型)?|工厂"
    r"|(?i:non[- ]?production|non[- ]manufactur\w*|trading compan\w*|trader|manufactur\w*|production|factor(?:y|ies))"
)
MORE_RE = re.compile(
    r"^(?:请|麻烦)?(?:再)?(?:(?:详细|具体|展开)(?:一点|些)?(?:说说|讲讲|说一下|讲一下|介绍|解释|点|说|讲|一些|一下)?"
    r"|多(?:说|讲|介绍|解释)(?:一点|些|一下|说|讲)?)"
    r"|全文|原文|详情|(?i:\bmore detail|\bin detail|\btell me more|\bmore about (?:it|that|this)|\belaborate|\bfull text|\bexpand|\bmore info)"
)
# "具体是哪些", "which ones are they?": the members of what the previous answer counted
WHICH_ONES_RE = re.compile(
    r"^(?:那|那么)?(?:具体|分别)?(?:都|是)?(?:是|有)?哪些(?:项|个|条)?[呢吗啊？?。\s]*$"
    r"|(?i:^\s*(?:and |so )?(?:which|what) (?:ones|are they|are those|are these)\b[^,.?]{0,12}\??\s*$"
    r"|^\s*(?:can you )?(?:list|name) (?:them|those|these)\b)"
)
# "有没有例外", "Is there any exception?": an exception to the rule just given
EXCEPTION_RE = re.compile(
    r"^(?:那|那么)?(?:有没有|有|是否有|还有)?(?:什么)?(?:例外|除外)(?:情况|情形)?(?:吗|呢)?[？?。\s]*$"
    r"|(?i:^\s*(?:and |so |but )?(?:is there|are there|any)(?: an| any)? (?:exceptions?|exemptions?)\b[^,.?]{0,16}\??\s*$)"
)
LEVEL_WORDS_RE = _LEVEL_RE  # the words that name a level, for readers elsewhere
# "the other level": the level the conversation is not about (resolved against the context).
OTHER_LEVEL_RE = re.compile(
    r"另(?:外)?一(?:个)?(?:等级|级别|级|档|标准)|(?i:\bthe other (?:aeo |certified |certification )?(?:level|standard|grade|tier|rung)\b)"
)
# "现在呢", "and now?" after a question about an old rule: the same question under the rules in force.
NOW_RE = re.compile(
    r"现在的?|目前|如今|现行(?:规定|办法)?|新规定?|新办法|(?i:now|today|these days|currently|\b(?:the )?new (?:credit )?decree\b)"
)
# "以前呢", "and what was the old rule?" after a question about the rules in force: the same
# question under the repealed Decree 251 ("before that?", not "checking containers before loading").
THEN_RE = re.compile(
    rf"{BEFORE_AN_EVENT}(?:以前|之前)|原来|过去|旧规定?|老规定|旧办法|原办法|(?i:\bold (?:rules?|decree|regulations?|one)\b|\bbefore\b(?!\s+(?:\w+ing|the|a|an|our|their|we|they|goods|shipment|shipments|export|import|applying)\b)|previous(?:ly)?|\bformer\b"
    r"|\b(?:a few |several |some |\d+ |two |three )?years ago\b|\bin the past\b)"
)
# "那以前251号令是怎么规定的": the whole rule, not the one clause that matched best.
WHOLE_RE = re.compile(
    r"怎么规定|如何规定|规定了什么|有哪些规定|规定是什么|(?i:\bwhat did (?:it|the (?:old )?(?:decree|rule|announcement)) say\b)"
)
# What a line that only names a time or a document asks with ("以前按251的时候要等多久"):
# its question words and fillers; nothing else left means the earlier question's subject.
_TIME_LINE_REST = re.compile(
    r"[\s，,。.？?！!]|^那么?|呢|吗|按照?|根据|依据|的时候|时候|时期|期间|下|里|中|的|是|要|得|需要|等|会|还|"
    r"多久|多长时间|几年|几个月|多少|什么|怎么规定|如何规定|怎么样|怎样|"
    r"(?i:\b(?:and|so|what|was|were|is|it|that|this|the|under|how long|back then|then|in|at|time"
    r"|did|does|do|say|said|promised?|give|gave|offered?|provided?|set)\b)"
)
# "so what's the total for that level?": the level the conversation is about.
THAT_LEVEL_RE = re.compile(
    r"那个等级|这个等级|该等级|那一级|这一级|那个标准|这个标准|该标准|(?i:\b(?:that|this|the same) (?:level|standard|grade)\b)"
)
# "高级认证里同样这条要求是几年": the requirement of the previous answer, in another level's standard.
SAME_ITEM_RE = re.compile(
    r"同样这条|同样的这条|同样这项|同一条|同一项|这条要求|这一条|这一项|这条|这项|(?:对应|相应)(?:的)?那?一?(?:条|项)|那一?项"
    r"|(?i:\bthe same (?:item|requirement|rule|clause)\b|\b(?:this|that) (?:item|requirement|rule|clause)\b"
    r"|\bthe (?:corresponding|equivalent|matching) (?:item|requirement|rule|clause|one)\b)"
)
# "认证企业标准里这是第几项": the same clause's item number in the named level's standard.
WHICH_ITEM_RE = re.compile(
    r"第几项|哪一项|对应(?:的)?(?:是)?哪(?:一)?项|是哪项|(?i:which (?:[\w-]+ ){0,2}items?\b|item number)"
)
# "认证企业宽松一点吗": the same question for that level, compared.
COMPARE_RE = re.compile(
    r"宽松|严格|松一点|严一点|低一点|高一点|有区别|不一样|(?i:\b(?:stricter|looser|easier|harder|lower|higher|different)\b)"
)
# Questions about the previous answer itself: where it comes from, whether it is verified.
_REPLACED_Q = re.compile(r"替代|取代|代替|替换|废止")
SOURCE_RE = re.compile(
    r"哪个公告|哪份公告|哪个文件|哪个规定|依据是|依据什么|依据哪|根据什么|出处|来源是|哪一条规定|哪条规定|哪个令|几号令|第几号"
    r"|^(?:这|那|它|这个|那个|这条|那条)?(?:是|在)?(?:第几条|哪一?条)(?:规定的?)?[呢吗啊？?。\s]*$"  # "是第几条" alone
    # "282号令里对应哪几条": in the document it names (the line is then read as an aspect, below)
    rf"|^\s*(?:在|那|那么)?\s*第?(?:{DOCUMENT_RE.pattern})\s*(?:里面?|中|当中)?的?\s*(?:对应|相应|相关)?的?(?:是|在)?"
    r"(?:第几条|哪几条|哪一?条|哪些条(?:款|文)?)(?:规定的?)?[呢吗啊？?。\s]*$"
    r"|(?i:which (?:gacc |customs |official )?(?:announcement|article|decree|order|document|regulation|rule|law)\b|what'?s the (?:order|announcement|decree) number"
    r"|\bwhat(?:'s| is) the source|where(?:'s| is| was| does| did) (?:that|this|it)(?: come)? from|where did you get (?:that|this)|\bsource\?"
    # "who said that?", "谁说的": who is the source of the previous answer
    r"|^\s*(?:who (?:said|says|stated|announced|presented|gave) (?:that|this|so|it)|says who|according to whom)\b)"
    r"|^\s*(?:这|那|这个|那个|这话|这些)?(?:是)?谁(?:说|讲|定|提|宣布|介绍)的[呢吗啊？?。\s]*$"
)
# "who said that? is it official?": who said it (the source's speaker), before whether it is verified
WHO_SAID_RE = re.compile(
    r"^\s*(?:这|那|这个|那个|这话|这些)?(?:是)?谁(?:说|讲|提|宣布|介绍)的"
    r"|(?i:^\s*(?:and\s+|so\s+)?who (?:said|says|stated|announced|presented|gave) (?:that|this|so|it)\b)"
)
# "现在还有效吗", "does that still apply?": whether the rule of the previous answer is in force.
STATUS_RE = re.compile(
    r"还有效|还管用|还适用|还在执行|还执行吗|仍然有效|仍有效|过期了|失效了|到期了|现在还能用|现在还算"
    r"|有效期到|有效期(?:是)?多久|(?:什么时候|哪天)(?:到期|失效|截止)|有效到(?:什么时候|哪天)"
    r"|管到(?:什么时候|啥时候|哪天|几号|哪年)|用到(?:什么时候|啥时候|哪天|哪年)"
    # "哪天开始执行" after "新的认证标准是哪个公告发的": the dates of the rule the answer cites
    r"|^(?:那|它|这个|那个)?(?:是)?(?:哪天|哪一天|什么时候|何时|啥时候|几号)(?:开始|起)?(?:执行|施行|生效)(?:的)?[呢吗啊？?。\s]*$"
    r"|(?i:^\s*(?:and\s+)?when (?:does|did|will) (?:it|that|this) (?:take effect|come into (?:force|effect)|start to apply)\s*\??\s*$)"
    r"|(?i:^\s*(?:and\s+)?when was (?:it|that|this) (?:issued|published|announced|adopted)\s*\??\s*$)"
    r"|(?:发布|公布|出台|颁布)(?:是|于|在)?(?:哪天|哪一天|什么时候|何时|啥时候|几号)|(?:哪天|哪一天|什么时候|何时|啥时候|几号)(?:发布|公布|出台|颁布)"
    r"|被(?:哪个|哪份|哪一个|什么)[^，,。？?]{0,6}(?:替代|取代|代替|废止)"  # "后来被哪个公告替代了": its successor
    r"|(?i:\bwhat replaced\b|\breplaced by (?:what|which)\b|\bwhat (?:is|was) (?:its|the) successor\b)"
    r"|(?i:\bstill (?:valid|apply|applies|in force|in effect|effective|current|used)\b|\bexpired\b|\bin force\??$"
    # "Are those the current rates under Decree 282?", "do these figures apply now?"
    r"|^\s*(?:and\s+)?(?:are|is) (?:those|these|they|that|this|it) (?:the )?(?:current|valid|in force|applicable)\b"
    r"|\b(?:do|does) (?:those|these|they|that|this|it)(?: \w+)? (?:apply|hold) (?:now|today|currently)\b"
    r"|\buntil when\b|\bvalid until\b|\bwhen does (?:it|that|this) (?:expire|end|run out)\b"
    r"|\bhow long is (?:it|that|this)(?: (?:announcement|rule|decree|notice|one))? valid\b"
    # "how long does that one run?", "when does the new one expire?"
    r"|\bhow long (?:does|will) (?:it|that|this)(?: (?:announcement|rule|decree|notice|one))? (?:run|stay in force|remain in force|be in force)\b"
    r"|\bwhen does (?:it|that|this|the new|the newer)(?: (?:announcement|rule|decree|notice|one))? (?:expire|end|run out)\b)"
    r"|(?:有效|管|能用|适用)(?:多久|多长时间|到哪年)"
)
# "哪天开始执行", "when was it published?": the rule's dates, not whether it is still in force.
DATES_ASKED_RE = re.compile(
    r"(?:哪天|哪一天|什么时候|何时|啥时候|几号)(?:开始|起)?(?:执行|施行|实施|生效|发布|公布|出台|颁布)"
    r"|(?:发布|公布|出台|颁布)(?:是|于|在)?(?:哪天|哪一天|什么时候|何时|啥时候|几号)|(?i:\bwhen (?:does|did|will|was)\b)"
)
VERIFIED_RE = re.compile(
    r"核实过|核实了吗|可靠吗|靠谱吗|确定吗|确定是|准确吗|官方的吗|是官方|官方依据|有依据吗|没搞错|不会错|(?i:\b(?:is|was) (?:that|this|it) (?:verified|official|confirmed|reliable|certain)"
    r"|^\s*(?:are you |you )?sure\b"
    r"|\bverified\?|\bofficial\?)"
)
ELLIPSIS_RE = re.compile(
    r"呢[？?。!！]*$|^(?:那|那么|那如果|如果是|换成|要是)|的话|也[^，,。？?]{0,4}吗[？?。]*$|也一样吗|也是这样吗|也是[^，,。？?]{1,8}[？?]$|也要吗|也适用吗|也有吗|一样吗|还有什么|还有哪些|还有别的"
    r"|(?i:^\s*(?:what|how) about\b|^\s*and\b|^\s*for\b|^\s*(?:across|among|over) (?:how many|which|what)\b|\b(?:too|as well|also)\s*\??\s*$|\bsame (?:for|at|in|with|under|on)\b|the same\b)"
)
# "其中贸易安全几项", "how many measures were there in that article in total?": asked among (or in)
# what the previous answer gave.
AMONG_RE = re.compile(
    r"其中|这些(?:里|中|当中)|那些(?:里|中)|(?:那|这|该)(?:一)?(?:条|项|份公告|个公告)(?:里|中)"
    r"|(?i:\b(?:of|among) (?:those|these|them)\b|\b(?:in|under) (?:that|this|the same) (?:article|list|rule|announcement)\b)"
)
# "what was the inspection-rate one?": a member of the list just given, named by its subject
NAMED_ONE_RE = re.compile(
    r"(?i)\bthe (?!(?:other|first|second|third|last|next|previous|same|new|old)\b)([a-z][\w-]*(?: [a-z][\w-]*)?) one\b"
)
# "查验率那条怎么说的", "担保这一项": the same in Chinese (the subject before 那条 / 这一项)
NAMED_ONE_ZH = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:的)?(?:那|这)一?(?:条|项)(?!目|标准|措施)")
_LEVELISH = re.compile(
    r"(?i)certif|advanced|general|level|\baeo\b|dishonest|regular|\b(?:higher|lower|upper)\b|produc|trading|认证|失信|常规|生产|贸易"
)


# "Which one is new?", "哪一级是新加的": which member of the list just given has that mark
WHICH_ONE_RE = re.compile(
    r"^\s*(?:那|那么)?(?:其中)?哪(?:个|一个|些|几个|一级|一档|一类|种|一种)(?:是|属于|算是?)(?P<zh>[^，,。？?\s]{1,6}?)(?:的)?[呢吗啊？?。\s]*$"
    r"|(?i:^\s*(?:and |so )?which (?:one|ones|level|tier|of (?:them|these|those))(?: of (?:them|these|those))?"
    r" (?:is|are|was|were)(?: the)? (?P<en>[a-z][a-z-]{1,15})\s*\??\s*$)"
)


def names_one(text: str) -> bool:
    """ "what was the inspection-rate one?" names a member of the previous answer; "and the
    advanced one?" / "the general certification one" name a level (a follow-up of its own kind)."""
    m = NAMED_ONE_RE.search(text) or NAMED_ONE_ZH.search(text)
    return m is not None and not _LEVELISH.search(m.group(1))


def named_one(text: str) -> str:
    """The line with the member it names in place of the naming: "查验率那条怎么说的" → "查验率怎么说的"."""
    return NAMED_ONE_ZH.sub(r"\1", NAMED_ONE_RE.sub(r"\1", text))


# "如果对方本身就是高级认证企业呢", "and if the partner is Advanced Certified?": the level of a
# business partner, not the level the question is asked of.
PARTNER_LEVEL_RE = re.compile(
    r"(?:对方|伙伴|供应商|供货商|客户|合作方|货代|承运人|物流商)[^，,。？?]{0,8}(?:高级认证|认证企业|AEO)"
    r"|(?i:\b(?:partner|supplier|customer|vendor|counterpart)s?\b[^,.?]{0,24}\b(?:advanced|certified|AEO)\b)"
)
# A pronoun that points back ("how is it calculated?", "这个要多久").
POINTER_RE = re.compile(
    r"(?i:\b(?:it|that|this|they|them|those|these|the other one|the second one)\b)|这个|那个|这项|那项|它|该项|这种|那种"
)
# "the threshold", "the limit": a figure the conversation has named
_THE_FIGURE = re.compile(r"(?i:\bthe (?:threshold|limit|cap|figure|amount|period|deadline)s?\b)")
# A point in time a figure is dated by: "2024年一季度", "2025年年中", "2024年3月底", "end of 2025",
# "Q1 2024" (not the year of a document's number, "2023年第170号公告").
TIME_RE = re.compile(
    r"20[0-3]\d\s*年\s*(?!\s*第?\s*\d+\s*号)(?:第?[一二三四1-4]\s*季度末?|\d{1,2}\s*月(?:底|末|初|中)?|年?(?:底|末|中|初)|[上下]半年)?"
    r"|(?i:(?:(?:the )?(?:end|middle|start|beginning) of |mid-?|Q[1-4] )?\b20[0-3]\d\b(?! No\.)(?: Q[1-4])?)"
)
# "那时候全国有多少家AEO", "how many were there at that time?": the time of the earlier question
AT_THAT_TIME_RE = re.compile(
    r"那个?时候|那时|当时|那会儿?|同一时期|同期|(?i:\bat (?:that|the) time\b|\bback then\b|\bby then\b|\bin that (?:year|period|quarter)\b)"
)


def with_earlier_time(text: str, question: str) -> str:
    """A line that dates its question by pointing back ("那时候……", "at that time") with the time
    the earlier question named in its place; as it is when either names no time or the line
    names its own."""
    m = AT_THAT_TIME_RE.search(text or "")
    if m is None or TIME_RE.search(text) or (when := TIME_RE.search(question or "")) is None:
        return text
    return text[: m.start()] + when.group(0).strip() + text[m.end() :]


# Words of one kind that a follow-up may swap for another ("失信企业呢" after a
# question about 高级认证企业): each family is tried in turn.
FAMILIES = [
    re.compile(
        r"严重失信企业|严重失信|失信企业|一般信用企业|常规企业|高级认证企业|一般认证企业|认证企业|高级认证"
        r"|(?i:seriously dishonest|dishonest (?:enterprises?|firms?|compan(?:y|ies)|ones?)|regular (?:enterprises?|ones?)"
        r"|advanced[- ]certified (?:enterprises?|firms?|compan(?:y|ies)|ones?)|certified (?:enterprises?|firms?|compan(?:y|ies)|ones?)"
        r"|AEO (?:enterprises?|firms?|compan(?:y|ies))"
        r"|general[- ]certifi(?:cation|ed)(?: enterprises?)?|\badvanced\b)"
    ),
    re.compile(
        r"非生产型企业|非生产型|生产型企业|生产型|贸易公司|(?i:non-?producing|non-?manufacturing|manufacturer|trading company)"
    ),
    re.compile(
        r"进出境卫生检疫|卫生检疫|动植物检疫|动植物产品|动植物|食品化妆品|化妆品|食品|商品检验"
        r"|(?i:health quarantine|animal and plant quarantine|animal/plant quarantine|plant quarantine"
        r"|animal and plant products|animal/plant products|plant and animal products|animals? and plants?"
        r"|food and cosmetics|cosmetics|food|commodity inspection)"
    ),
    re.compile(r"轻微|一般|严重|(?i:\bminor\b|\bgeneral\b|\bserious\b)"),
    re.compile(
        r"现金比率|流动比率|资产负债率|经营现金流负债比|毛利率|营业利润率|总资产报酬率|净利润|(?i:cash ratio|current ratio|debt ratio)"
    ),
    # "偿债能力怎么判定达标" → "盈利能力呢"; "内部控制有几项" → "贸易安全呢"
    re.compile(r"偿债能力|盈利能力|(?i:solvency|profitability)"),
    re.compile(
        r"内部控制|财务状况|守法规范|贸易安全|附加标准"
        r"|(?i:internal control|financial status|trade security|additional (?:items?|standards?)|bonus items?)"
    ),
    DOCUMENT_RE,  # "127号公告……" → "现在的194号呢"
    ARTICLE_RE,  # "282号令第五条讲的什么" → "第八条呢"
]
ASPECT_RE = re.compile(
    r"多长时间|多久|几天|期限|时限|什么材料|哪些材料|准备什么|准备哪些|要准备|要带什么|去哪|在哪|找谁|怎么办理|流程|费用|收费|条件"
    r"|(?i:how long|what documents|which documents|what materials|what do i need|where do i|who do i|how much does it cost"
    r"|what are the steps)"
)
# Aspects that are follow-ups only when they are nearly the whole line ("达到几个算达标",
# "怎么算？", "how many points?"); "退休金怎么算" is a question of its own.
BARE_ASPECT_RE = re.compile(
    r"几个算|几项算|算达标|怎么算|怎么计算|如何计算|加几分|几分|哪一条|哪条|什么时候交|几号前"
    r"|(?i:how is it calculated|how do you calculate|how many points|which article|deadline)"
)
_FILLER = re.compile(
    r"[\s，,。.？?！!]|^那|^那么|这个|那个|呢|吗|吧|要|达到|达标|(?i:\b(?:and|the|so|then|to|submit|each|year)\b)"
)
SUBJECT_RE = re.compile(
    r"认证|失信|修复|信用|标准|互认|AEO|培育|评估|等级|异议|公示|处罚|罚|审计|海关|进出口|数据|税|报关|整改|容错|披露"
    r"|公告|附件|号令|原文|文件"
    r"|(?i:credit|certif|standard|aeo|repair|dishonest|mutual|audit|data|tax|fine|penalt|customs)"
)


# A question, by its words: what a line of thanks, a goodbye or a plain figure does not have.
_QUESTION = re.compile(
    r"[？?]|吗|呢|哪|什么|多少|多久|多长|几|怎么|如何|啥|咋|还是|是否|是不是|会不会|能不能|有没有|(?i:\b(?:what|when|which|how|why|where|who|does|do|can|is|are)\b)"
)


def asks_about_rules(text: str) -> bool:
    """ "老规定哪天不用了", "这个3个月是新规定还是老规定" ask about the rules, however the intent model
    reads them; "好的谢谢" and "罚了两次，一共8万" do not."""
    return bool(
        _QUESTION.search(text or "") and (SUBJECT_RE.search(text) or THEN_RE.search(text) or NOW_RE.search(text))
    )


@dataclass
class Context:
    q: str = ""  # the last question, as understood (follow-ups already resolved)
    kind: str = ""  # detail | topic | item | partner
    entry: str = ""  # the entry the last answer cited first
    topic: str = ""
    level: str = ""  # advanced | certified
    etype: str = ""  # production | non_production
    economy: str = ""
    item: int = 0
    standard: str = ""
    facts: dict | None = None
    asked: str = ""  # the aspect asked since ``q`` ("and the failure rate?"), kept for a later swap
    also: tuple = ()  # the other entries the last answer cited ("who said that?" may be about one of them)

    @classmethod
    def of_question(cls, question: str) -> Context:
        """The context of a conversation about ``question`` (the one that opened a form): its
        words, and the level and enterprise type it names."""
        return cls(q=question, level=level_in(question), etype=etype_in(question))

    @classmethod
    def load(cls, raw: str | None) -> Context:
        try:
            data = json.loads(raw or "{}") or {}
        except (TypeError, ValueError):
            return cls()
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "also" in known:
            known["also"] = tuple(str(x) for x in known["also"] or ()) if isinstance(known["also"], list) else ()
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def dump(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v}, ensure_ascii=False)

    @property
    def empty(self) -> bool:
        return not (self.q or self.entry or self.economy or self.item)


def _level_of(word: str) -> str:
    w = word.lower()
    if w.startswith(("次", "中间", "mid", "lower")) or "below" in w or "under" in w or w.startswith("second"):
        return "certified"
    top = "高" in w or "advanced" in w or "higher" in w or "upper" in w or w.startswith(("top", "highest"))
    return "advanced" if top else "certified"


# "认证企业（不是高级认证）", "we're only Certified, not Advanced": a level the line denies.
_DENIED = re.compile(r"(?:不是|并非|而非|(?<!除)非|(?i:\bnot|\brather than|\binstead of))\s*(?:the\s+|an?\s+)?$")
# "做贸易的，没有工厂", "we have no factory": a type the enterprise says it does not have
_ETYPE_DENIED = re.compile(
    r"(?:不是|并非|而非|没有|没|无|(?i:\bnot|\brather than|\binstead of|\bno|\bwithout|\bdon'?t have|\bdo not have))"
    r"\s*(?:自己的|自有)?\s*(?:the\s+|an?\s+|our\s+own\s+|any\s+)?$"
)


def level_in(text: str) -> str:
    """'advanced' | 'certified' | '' as named in the text (the last mention the line does not deny wins)."""
    named = _named_levels(text)
    return named[-1] if named else ""


def levels_in(text: str) -> set[str]:
    """Every level the text names and does not deny ("高级认证和认证企业" names both)."""
    return set(_named_levels(text))


# "once we're certified", "after we get certified": being certified at all, not the Certified level.
_BECOME = re.compile(
    r"(?i:\b(?:get|gets|got|getting|become|becomes|became|becoming|be|been|once (?:we|you|they)(?:'re| are))\s+)$"
)


def _level_mentions(text: str) -> list[tuple[re.Match, str]]:
    """Each mention of a level the text does not deny, with the level it names."""
    return [
        (m, _level_of(m.group(0)))
        for m in _LEVEL_RE.finditer(text)
        if not _DENIED.search(text[max(0, m.start() - 14) : m.start()])
        and not (m.group(0).lower() == "certified" and _BECOME.search(text[max(0, m.start() - 20) : m.start()]))
    ]


def _named_levels(text: str) -> list[str]:
    return [level for _, level in _level_mentions(text or "")]


def etype_in(text: str) -> str:
    """'production' | 'non_production' | '' as named in the text (the last mention wins; a type the
    line denies counts as the other one: "a trading company, not production", "没有工厂")."""
    text = text or ""
    found = [
        (m.group(0).lower(), bool(_ETYPE_DENIED.search(text[max(0, m.start() - 14) : m.start()])))
        for m in _ETYPE_RE.finditer(text)
    ]
    if not found:
        return ""
    w, denied = found[-1]
    non = w.startswith("非") or "non" in w or "贸易" in w or "trad" in w or "外贸" in w
    return "non_production" if non != denied else "production"


def _size(text: str) -> int:
    """How much a follow-up line says beyond its pointing words: a Chinese character counts
    one, an English word two ("and animal and plant quarantine?" is 8, like "动植物检疫呢")."""
    rest = re.sub(r"[呢吧啊]|^\s*(?:那么|那)|(?i:^\s*(?:what about|how about|and for|and|for)\b)", "", text or "")
    words = re.findall(r"[A-Za-z]+", rest)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) + 2 * len(words)


_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")  # "don't" is one word


def _english_words(text: str) -> int:
    """The number of English words of a line with no Chinese in it (99 when it has Chinese)."""
    if re.search(r"[\u4e00-\u9fff]", text or ""):
        return 99
    return len(_WORD.findall(text or ""))


CONTINUED_WORDS = 12
CONTINUED_CJK = 20  # "那以前251的时候报关行是怎么规定的": a line opened by 那 continues the question


_UNDER_RULE = re.compile(r"\s*(?:那么|那)?(?:按|按照|依照|依)[^，,。？?]{1,12}?(?:的话|来说|来看|算的话)")
# "按老的251号令", "按旧办法": a line opened by the rule it is asked under, without "的话"
_UNDER_DECREE = re.compile(
    r"\s*(?:那么|那)?(?:按|按照|依照|依)(?:老的|旧的|以前的?|原来的?|之前的?)?\s*"
    r"(?:第?\s*\d+\s*号令|旧规定|老规定|旧办法|老办法|旧规|老规矩)(?:的话|来说|来看|里|中)?[，,\s]*"
)
CONTINUED_REST_CJK = 10


def _asked_under_decree(text: str) -> str | None:
    """What "按老的251号令要等多久才能申请" asks after the rule it names ("要等多久才能申请"), when
    that has no subject of its own; None otherwise."""
    under = _UNDER_DECREE.match(text)
    if under is None or SUBJECT_RE.search(text[under.end() :]):
        return None
    return text[under.end() :]


# "in that period", "during that time", "after that deadline": a thing of the previous answer
# "这两种", "这几个国家": the things the previous answer gave, pointed at by their number
_THESE_TWO = re.compile(r"(?:这|那)(?:两|俩|几|三)(?:个|种|类|项|家|条)?|两者|二者")
_THAT_THING = re.compile(
    r"(?i:\b(?:in|during|within|for|after|before|by|under|from)\s+(?:that|this|those|these)\s+"
    r"(?:period|time|window|deadline|year|years|months?|phase|stage|case|rule|rules|mechanism|list|item|items)\b)"
)


# A case of the user's own, then how the previous answer takes it ("我们另一家子公司报关员只有3个，
# 那怎么算？", "if we only have 3 declarants, how does that count?"): the earlier subject, in that case.
WHAT_THEN_RE = re.compile(
    r"[，,]\s*(?:那|那么|这)?(?:该|要|应该)?(?:怎么算|怎么办|怎么处理|算不算|还算吗|还适用吗|适用吗|也适用吗|还要吗|"
    r"还需要吗|算达标吗|算吗)[？?！!。.\s]*$"
    r"|(?i:,\s*(?:how does (?:that|it) count|does (?:that|it|this) (?:still )?(?:count|apply)|what then|then what)[?!.\s]*$)"
)


def _continues(text: str) -> bool:
    """A longer line that goes on from the previous answer: opened by 那 (up to 20 characters), or
    an English line opened by "and" / "so" that points back ("and how many of those are actually in
    effect?", up to 12 words)."""
    if re.match(r"\s*(?:那么|那)(?!个|些|种|家|天|条|项)", text) or _UNDER_RULE.match(text):
        # "按以前251号令的话要等多久才能申请": the same question under the rule it names
        return len(re.findall(r"[\u4e00-\u9fff]", text)) <= CONTINUED_CJK
    if (rest := _asked_under_decree(text)) is not None:
        # "按老的251号令要等多久才能申请" after a repair answer: the rule named, then only what is asked
        return len(re.findall(r"[\u4e00-\u9fff]", rest)) <= CONTINUED_REST_CJK
    if WHAT_THEN_RE.search(text):
        return (
            len(re.findall(r"[\u4e00-\u9fff]", text)) <= CONTINUED_CJK and len(_WORD.findall(text)) <= CONTINUED_WORDS
        )
    if _THAT_THING.search(text) and len(re.findall(r"[A-Za-z]+", text)) <= CONTINUED_WORDS:
        return True  # "what happens if we don't fix things in that period?"
    if _THESE_TWO.search(text) and len(re.findall(r"[\u4e00-\u9fff]", text)) <= CONTINUED_CJK:
        return True  # "要是只申请认证企业，这两种分别放宽到多少？", "这两个国家认可的是哪个等级"
    return bool(
        (
            re.match(r"\s*(?i:and|so)\b", text)
            or re.search(r"(?i:\b(?:does|do|would|will) (?:it|that|this)\b)", text)
            # "is there a way it counts as met automatically?"
            or re.search(
                r"(?i:\b(?:it|that|this) (?:counts?|applies|apply|works?|covers?|qualifies|is (?:deemed|treated|considered))\b)",
                text,
            )
        )
        and re.search(r"(?i:\b(?:those|these|them|that one|this one|it|that|this)\b)", text)
        and len(re.findall(r"[A-Za-z]+", text)) <= CONTINUED_WORDS
    )


def _points_into_answer(text: str) -> bool:
    """A longer line (up to 20 Chinese characters or 12 English words) about the previous answer's
    own content: a partner's level in it ("如果对方本身就是高级认证企业呢") or a count in what it
    gave ("how many measures were there in that article in total?")."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    return (
        bool(PARTNER_LEVEL_RE.search(text) or AMONG_RE.search(text))
        and cjk <= CONTINUED_CJK
        and len(re.findall(r"[A-Za-z]+", text)) <= CONTINUED_WORDS
    )


def is_short(text: str) -> bool:
    """Short enough to be a follow-up: ≤ 12 Chinese characters and ≤ 8 English words, and a line in
    both languages not near both limits ("what about 卫生检疫 special goods for the same thing?" is
    short, "for 认证企业, what's the yearly cap on 追征税款 (back taxes)?" is not)."""
    t = re.sub(r"\s+", " ", text or "").strip()
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    words = len(_WORD.findall(t))
    return cjk <= SHORT_CJK and words <= SHORT_WORDS and cjk / SHORT_CJK + words / SHORT_WORDS <= SHORT_MIXED


SHORT_CJK, SHORT_WORDS, SHORT_MIXED = 12, 8, 1.5


@dataclass
class FollowUp:
    kind: str  # more | level | etype | economy | item | aspect | ellipsis | source | verified | status | pick
    value: str = ""


_WHERE_RE = re.compile(r"去哪|在哪|哪里|哪儿|(?i:\bwhere\b)")


# "251号令的时候", "under Decree 251": a time of the rules named by its document.
_DOCUMENT_TIME = re.compile(
    r"(?:号令|号公告)(?:的)?(?:时候|时期|那会儿?|期间)|(?i:\bunder (?:the )?(?:old )?decree \d+)"
)


def follow_up(text: str, economies: list) -> FollowUp | None:
    """How ``text`` refers back to the conversation, or None for a question of its own."""
    t = (text or "").strip()
    if t and not is_short(t) and (swapped := _level_line(t)) is not None:
        return swapped
    if not t or t.startswith("/") or not (is_short(t) or _continues(t) or _points_into_answer(t)):
        return None
    if WHICH_ONES_RE.search(t) and not SUBJECT_RE.search(t):
        # "具体是哪些" after "附加标准一共几项": the members of what was counted, not more of the count
        return FollowUp("aspect", t)
    if EXCEPTION_RE.search(t) and not SUBJECT_RE.search(t):
        return FollowUp("aspect", t)  # "有没有例外", "Is there any exception?": to the rule just given
    if (
        MORE_RE.search(t)
        and (len(re.sub(r"[\W_]", "", t)) <= 14 or MORE_RE.match(t))
        and not DOCUMENT_RE.search(t)
        and not _WHERE_RE.search(t)  # "原文去哪里看": where the text is, not more of the answer
    ):
        return FollowUp("more")
    ellipsis = bool(ELLIPSIS_RE.search(t))
    bare = re.sub(r"[\s，,。.？?！!呢吧啊]|^那|^那么|(?i:^what about|^how about|^and for|^and)", "", t)
    if economies and (ellipsis or len(bare) <= 12):
        return FollowUp("economy", str(economies[0]))
    number = parse_item_number(t)
    if number is not None and (ellipsis or len(bare) <= 8):
        return FollowUp("item", str(number))
    if PARTNER_LEVEL_RE.search(t) or AMONG_RE.search(t):
        return FollowUp("aspect", t)
    if names_one(t):
        return FollowUp("aspect", t)  # "what was the inspection-rate one?" (not "and the advanced one?")
    if (which := WHICH_ONE_RE.match(t)) is not None:
        return FollowUp("pick", which.group("zh") or which.group("en"))  # "Which one is new?"
    if OTHER_LEVEL_RE.search(t):
        return FollowUp("level", "other")
    lvl, et = level_in(t), etype_in(t)
    # "认证企业的呢", "certified?": the level (or type) is all the line says;
    # "怎么申请高级认证" names a level inside a question of its own.
    rest = _ETYPE_RE.sub("", _LEVEL_RE.sub("", bare))
    rest = re.sub(
        r"的话|的|企业|是多少|要多少|(?i:\b(?:the|level|one|ones|enterprises?|companies|company)\b)", "", rest
    )
    if lvl and ellipsis and _names_own_subject(t):
        return None  # "那七点检查法呢，认证企业要不要": a subject of its own, asked at that level
    if lvl and ellipsis and _asks_own_of_level(t):
        # "and how often were advanced enterprises re-assessed?": a question of its own about that
        # level, asked with the earlier subject, not the earlier question with the level swapped
        return FollowUp("aspect", t)
    if lvl and (ellipsis or len(rest) <= 2 or WHICH_ITEM_RE.search(t) or COMPARE_RE.search(t)):
        return FollowUp("level", lvl)
    if et and (ellipsis or len(rest) <= 2):
        return FollowUp("etype", et)
    if STATUS_RE.search(t) and (len(bare) <= 24 or _english_words(t) <= 7):
        return FollowUp("status")
    if WHO_SAID_RE.search(t) and len(bare) <= 32:
        return FollowUp("source")
    if VERIFIED_RE.search(t) and len(bare) <= 32:
        return FollowUp("verified")
    if (
        SOURCE_RE.search(t)
        and (len(bare) <= 24 or _english_words(t) <= 6)
        and not _own_source_question(t)
        and not _REPLACED_Q.search(t)  # "它替代的是哪个令？": the decree it replaced, not the source
    ):
        # "which article of Decree 282?" names the document: where that document says it;
        # "一共分几级 哪个文件定的" asks something more than the source, of the earlier subject.
        return FollowUp("aspect", t) if DOCUMENT_RE.search(t) or _asks_more_than_source(t) else FollowUp("source")
    if WHAT_THEN_RE.search(t):
        return FollowUp("aspect", t)  # "我们另一家子公司报关员只有3个，那怎么算？"
    if ASPECT_RE.search(t) and not SUBJECT_RE.search(t) and len(bare) <= 10:
        return FollowUp("aspect", t)
    if BARE_ASPECT_RE.search(t) and len(_FILLER.sub("", BARE_ASPECT_RE.sub("", t))) <= 1:
        return FollowUp("aspect", t)
    if names_time_only(t):
        return FollowUp("ellipsis", bare)  # "以前按251的时候要等多久", "and before that?": the earlier question, then
    if _asked_under_decree(t) is not None:
        return FollowUp("aspect", t)  # "按老的251号令要等多久才能申请": the earlier subject's aspect, under that rule
    if (
        (THEN_RE.search(t) or _DOCUMENT_TIME.search(t))
        and ASPECT_RE.search(t)
        and not SUBJECT_RE.search(DOCUMENT_RE.sub(" ", ASPECT_RE.sub(" ", t)))
    ):
        return FollowUp("aspect", t)  # "251号令的时候要交什么材料": the earlier subject's aspect, under the old rule
    if THEN_RE.search(t) and _THE_FIGURE.search(t) and _english_words(t) <= 8:
        return FollowUp("aspect", t)  # "what was the threshold a few years ago?": the earlier subject's, then
    if (POINTER_RE.search(t) or _THESE_TWO.search(t)) and (len(bare) <= 40 or _english_words(t) <= CONTINUED_WORDS):
        # "which parts of the standard does that limit apply to?": counted in words, not letters
        return FollowUp("aspect", t)
    if ellipsis and _size(t) <= 16:
        return FollowUp("ellipsis", bare)
    return None


# What a longer English level line says besides the level or type ("and if we only go for the
# certified level instead?"): nothing of its own once these are gone.
_LEVEL_LINE_REST = re.compile(
    r"(?i:\b(?:and|but|so|what|how|about|if|we|i|our|us|only|just|go|going|went|for|apply|applying|applied|"
    r"as|an?|the|instead|under|standard|standards|standard['’]s|version|versions|equivalent|counterpart|level|levels|one|ones|enterprises?|company|companies|"
    r"firm|business|were|are|was|is|be|not|rather|than|then|at|that|this|case|aim|target|option|route|"
    r"path|with|me|say|said|suppose|assuming|same|question|thing)\b)|[\s,.?!'’]"
)


_THAT_ONE = re.compile(r"^\s*(?:那|那么)\s*(?P<x>[^，,。？?！!\s]{2,}?)\s*呢")


def _names_own_subject(text: str) -> bool:
    """ "那七点检查法呢，认证企业要不要": the "那X呢" names a subject of three or more characters
    besides a level or type, and the level comes after it in a clause of its own."""
    m = _THAT_ONE.match(text)
    if not m or not text[m.end() :].strip("，,。？?！! "):
        return False
    x = _ETYPE_RE.sub("", _LEVEL_RE.sub("", m.group("x")))
    x = re.sub(r"的话|的|这个|那个|这项|那项|这一项|那一项|方面|要求|标准", "", x)
    return len(re.findall(r"[\u4e00-\u9fff]", x)) >= 3 and not level_in(m.group("x"))


def _asks_own_of_level(text: str) -> bool:
    """An English line that names a level and asks something of its own in two or more words
    besides ("and how often were advanced enterprises re-assessed?")."""
    if _english_words(text) == 99 or WHICH_ITEM_RE.search(text) or COMPARE_RE.search(text):
        return False
    words = _WORD.findall(NOW_RE.sub(" ", THEN_RE.sub(" ", _ETYPE_RE.sub(" ", _LEVEL_RE.sub(" ", text)))))
    words = [w for w in words if w.lower() not in ("general", "back", "past", "time")]  # "general certified back then"
    return len([w for w in words if not _LEVEL_LINE_REST.fullmatch(w)]) >= 2


# "改申请认证企业会宽松一些吗", "要是换成认证企业呢": a switch to another level, and what a line
# that makes one says besides (asking whether it is easier, fillers)
_ZH_SWITCH = re.compile(
    r"^\s*(?:那|那么)?(?:如果|要是|假如|假设)?(?:我们|我司|公司)?(?:改|换|转)(?:成|为|去|到)?(?:报|申请|申报|冲|评)?"
)
_ZH_SWITCH_REST = re.compile(
    r"[\s，,。.？?！!呢吧啊吗]|宽松|严格|有区别|不一样|要求|门槛|条件|标准|企业|的话|是不是|是否|不会|会|能|可以|要|就"
    r"|一些|一点|些|点|更|严|松|低|高|容易|难|的"
)


def _level_line(text: str) -> FollowUp | None:
    """An English follow-up of up to 12 words, opened by "and" / "what if" / "what about", that
    names a level or an enterprise type and nothing else of its own ("and if we apply as a
    certified enterprise instead?", "what if we were a trading company, not production?"); a
    Chinese line that switches to a level and asks nothing else ("改申请认证企业会宽松一些吗")."""
    if (switch := _ZH_SWITCH.match(text)) and switch.group(0).strip() and (lvl := level_in(text)):
        rest = _ZH_SWITCH_REST.sub("", _LEVEL_RE.sub("", text[switch.end() :]))
        return FollowUp("level", lvl) if not rest else None
    if _english_words(text) > CONTINUED_WORDS or not re.match(
        r"\s*(?i:and|but|what if|what about|how about|so|if)\b", text
    ):
        return None
    lvl, et = level_in(text), etype_in(text)
    if not (lvl or et) or _LEVEL_LINE_REST.sub("", _ETYPE_RE.sub("", _LEVEL_RE.sub("", text))):
        return None
    return FollowUp("level", lvl) if lvl else FollowUp("etype", et)


_SOURCE_LINE_REST = re.compile(r"[\s，,。.？?！!]|这个|那个|是|的|定|规定|出来|来自|依据|根据")


_SOURCE_WORDS_EN = re.compile(
    r"(?i:\b(?:which|what|what's|where|gacc|customs|official|announcement|article|decree|order|document|regulation"
    r"|rule|law|number|source|is|was|the|a|an|of|in|from|does|did|do|come|comes|says?|said|sets?|set|that|this|it"
    r"|these|those|say)\b)"
)


def _source_rest(text: str) -> str:
    """What a Chinese line says besides asking for a source ("一共分几级 哪个文件定的" → "一共分几级")."""
    return _SOURCE_LINE_REST.sub("", SOURCE_RE.sub("", text))


def _own_source_question(text: str) -> bool:
    """ "Which announcement published the 2026 certification standards?": an English line that asks
    for a document by a subject of its own (two or more other words, no pointer back) is a question,
    not "which document says that?" about the previous answer. So is a Chinese line that names a
    subject of its own before the source words ("信用培育是哪一条规定的")."""
    if POINTER_RE.search(text):
        return False
    if _english_words(text) == 99:
        rest = re.sub(r"公告|附件|号令|原文|文件|哪一?[个份条]|哪|[个份条]", "", _source_rest(text))  # "依据哪个公告"
        return bool(SUBJECT_RE.search(rest)) and len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2
    return len(re.findall(r"[A-Za-z0-9]{2,}", _SOURCE_WORDS_EN.sub(" ", text))) >= 2


def _asks_more_than_source(text: str) -> bool:
    """ "一共分几级 哪个文件定的": besides the source, a question of at least three characters."""
    rest = _source_rest(text)
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 3 and bool(re.search(r"几|多少|什么|哪些|多久|多长", rest))


def names_time_only(text: str) -> bool:
    """A line that names only a time of the rules ("以前", "现在", "旧规定"), perhaps with a decree,
    and question words: "以前按251的时候要等多久", "and before that?"."""
    if not (THEN_RE.search(text) or NOW_RE.search(text)):
        return False
    rest = _TIME_LINE_REST.sub("", DOCUMENT_RE.sub("", NOW_RE.sub("", THEN_RE.sub("", text))))
    return len(re.sub(r"\d", "", rest)) <= 1


def swap_part(question: str, part: str, families: list | None = None) -> str | None:
    """The earlier question with the word of ``part``'s family replaced by it
    ("高级认证企业查验率" + "失信企业" → "失信企业查验率", "127号公告……" + "194号呢"), or None."""
    for fam in FAMILIES if families is None else families:
        new = fam.search(part)
        if new and fam.search(question):
            # (a business type is the subject wherever the line names it: "我们做进口食品，……食品化妆品单项标准……")
            return fam.sub(new.group(0).strip(), question, count=0 if fam is FAMILIES[2] else 1)
    return None


def resolve_level_pointer(text: str, ctx: Context, lang: str) -> tuple[str, str]:
    """A longer question that names its level by pointing ("how many general items does the
    other level have?", "what's the total for that level?"): the question with the level's
    name in place of the pointer, and the level; ("", "") when it does not point or the
    conversation has no level."""
    current = ctx.level or ctx.standard
    if current not in LEVEL_WORDS:
        return "", ""
    if OTHER_LEVEL_RE.search(text):
        level, rx = ("certified" if current == "advanced" else "advanced"), OTHER_LEVEL_RE
    elif THAT_LEVEL_RE.search(text):
        level, rx = current, THAT_LEVEL_RE
    else:
        return "", ""
    word = LEVEL_WORDS[level]["zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"]
    return rx.sub(word, text, count=1), level


# the certified level's name before 2021 (Decree 237): "一般认证呢" after the 2014 standards
_OLD_CERTIFIED = re.compile(r"一般认证|(?i:\bgeneral(?:ly)? certifi\w*)")


_NAMED_LEVEL = re.compile(r"认证|高认|高级|(?i:certified|advanced)")


def with_level_names(text: str) -> str:
    """ "the new mid-tier level", "中间那档", "the one below the top tier" with the certified level's
    own name beside the user's words ("the new mid-tier (certified level) level"), so the answer
    units that name it are found as when the user names it. ("the top tier" stays as it is: the
    advanced level is read from it where it matters, and naming it again lost answers.)"""
    text = text or ""
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    out, last = [], 0
    mentions = _level_mentions(text)
    if any(level == "certified" and _NAMED_LEVEL.search(m.group(0)) for m, level in mentions):
        return text  # "the lower tier (certified, not advanced)": the line names the level itself
    for m, level in mentions:
        if level != "certified" or _NAMED_LEVEL.search(m.group(0)):
            continue
        word = LEVEL_WORDS[level]["zh"] if zh else "certified level"
        out += [text[last : m.end()], f"（{word}）" if zh else f" ({word})"]
        last = m.end()
    return "".join(out) + text[last:] if out else text


# "两个标准分别有多少项", "how do both standards differ?": the standards of the two levels, named
_BOTH_STANDARDS = re.compile(
    r"(?:这|那)?(?:两|俩|二)(?:个|套|种|份)?(?:认证)?标准|(?i:\bboth (?:the )?(?:certification )?standards\b)"
)


def with_both_standards(text: str) -> str:
    """ "两个标准" with the two levels' names, where the line names no level itself."""
    text = text or ""
    if levels_in(text) or not (m := _BOTH_STANDARDS.search(text)):
        return text
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    both = "高级认证企业和认证企业两个标准" if zh else "both the advanced and the certified standards"
    return text[: m.start()] + both + text[m.end() :]


def swap_level(question: str, level: str, lang: str, said: str = "") -> str:
    """``question`` asked of ``level``; in the old name the follow-up ``said`` uses for it, if any."""
    zh = bool(re.search(r"[\u4e00-\u9fff]", question))
    word = LEVEL_WORDS[level]["zh" if zh else "en"]
    if level == "certified" and _OLD_CERTIFIED.search(said or ""):
        word = "一般认证企业" if zh else "general certified enterprises"
    if _LEVEL_RE.search(question):
        return _LEVEL_RE.sub(word, question)
    return f"{word} {question}" if lang == "en" else f"{word}{question}"


def swap_etype(question: str, etype: str, lang: str) -> str:
    word = ETYPE_WORDS[etype]["zh" if re.search(r"[\u4e00-\u9fff]", question) else "en"]
    if _ETYPE_RE.search(question):
        return _ETYPE_RE.sub(word, question, count=1)
    return f"{word} {question}" if lang == "en" else f"{word}{question}"


def needs_context_text(lang: str) -> str:
    return (
        "您指的是哪个问题？请把问题说完整一些，例如“高级认证企业标准有多少项”。"
        if lang == "zh"
        else "Which question do you mean? Please ask it in full, e.g. “How many items are in the advanced standard?”."
    )


# ---------------------------------------------------------------- a message with context first
# "我们是一家小服装加工厂，主要做来料加工出口日本。……想问问认证企业这一级，一年里被罚几次以内……？": the
# writer says who they are, then asks. Japan is where they sell, not what they ask about.
_SELF_INTRO = re.compile(
    r"^(?:(?:您好|你好|老师好|各位好|领导好|hi|hello|dear\s+[\w ]{1,20}?|good\s+(?:morning|afternoon|day))[，,！!。.\s]*)?"
    # (who the writer is, not what they heard: "我们听说……", "We heard the new decree has …" is the subject)
    r"(?:(?:我们|咱们)(?!听|看到|了解|知道|想|问|发现|收到|查到)|我司|本公司|我是|我在|我这边|公司是|"
    r"(?i:we\s+(?:are|export|import|make|produce|manufacture|run|operate|trade|sell|ship|will|plan|just|recently|got"
    r"|became|were|started)\b|we're\b|our\s+(?:company|firm|factory|business|group)\b|i\s+(?:am|work)\b|i'm\b"
    r"|my\s+(?:company|firm)\b|this\s+is\b))",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[。！!？?；;])\s*|(?<=[a-z0-9)\]][.])\s+(?=[A-Z])")
_ASKS = re.compile(
    r"[？?]|吗|呢|多少|几[次个年项天月类]|什么|怎么|咋|哪|是否|能不能|可不可以|有没有|要不要|想问|请问|请教|咨询|问一下|问下|"
    r"(?i:^\s*(?:and\s+|so\s+|but\s+)?(?:what|how|when|which|who|where|why|is|are|do|does|did|can|could|should|"
    r"would|will|may|must|please)\b)"
)
# ... unless the question points back into the introduction ("那边的互认是哪年开始的", "Is there one with them?")
_POINTS_BACK = re.compile(
    r"这样|这种|这类|这情况|这个情况|这些|上述|以上|如此|那样|那种|那边|那里|那个国家|这个国家|当地|对方|它|其|他们|两个|两种|这两|俩|"
    r"(?i:\b(?:this|that|these|those|it|its|they|them|there|such|both)\b)"
)


def intro_end(text: str) -> int:
    """Where the question of a message begins after an introduction of the writer ("我们是……。想问问
    ……？", "Hi, we are an exporter in Suzhou. How long …?"), when the question does not point back
    into it; 0 when the message has no such introduction."""
    text = text or ""
    if not _SELF_INTRO.match(text):
        return 0
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text) if 0 < m.end() < len(text)]
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        if _ASKS.search(text[s:e]):
            break
    else:
        return 0
    asked = text[s:]
    if not s or _POINTS_BACK.search(asked):
        return 0
    return s if len(re.findall(r"[\u4e00-\u9fff]", asked)) >= 6 or len(re.findall(r"[A-Za-z]+", asked)) >= 4 else 0
