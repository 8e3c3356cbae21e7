"""What a question asks for: its content words, the shape of its answer, list or definition.

Cheap, deterministic reading of the question that the evidence scorer and the answer builder
share: "几点 / when" wants a time, "多少 / how much" a number, "在哪 / where" a place,
"有哪些 / what are the" a list, "什么是 / what is" a definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from copilot.text import Language, detect_language, fold_chinese, tokenize

# Interrogatives and modal words say what kind of answer is wanted, not what it is about.
QUESTION_WORDS = frozenset(
    "应该 几 几点 几级 几个 哪几 哪几个 哪些 方面 注意 指 是否 需要 比较 一般 合适 "
    "时候 具体 主要 容易 多少 什么 怎么办 处理 可以 能 要 有 做 用来 请问 一下 知道 吗 呢 "
    "does do did know tell want need".split()
)

SHAPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "time": (
        re.compile(
            # Mandarin, Cantonese (几时 "when", 几耐 "how long") and English question words
            r"(?<!哪)几点(?!要)|什么时候|何时|哪天|几号|星期几|周几|礼拜几|多久|截止|几时|几耐|deadline"
            r"|what time|which day|what day|how long"
            r"|\b(?:by|until|till|since|know|idea|tell me|wonder(?:ing)?) when\b"
            r"|\bwhen(?:'s|’s|\s*\?)"
            # "When is it?" asks for a time; "the F8 thing you use when you report bugs" does not
            r"|\bwhen\s+(?:is|are|was|were|does|do|did|will|would|can|could|should|shall|has|have"
            r"|must|and)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\d{1,2}[:：]\d{2}|[〇一二两三四五六七八九十\d]+点|[周星期][一二三四五六日天]|礼拜"
            r"|\d+\s*[月日号]|\d+\s*(?:天|小时|分钟|周|个月)|每[天日周月年]|当天|前一天"
            r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|daily|weekly"
            r"|monthly|\d{1,2}\s?(?:am|pm)|\d+\s*(?:days?|hours?|minutes?|weeks?))\b",
            re.IGNORECASE,
        ),
    ),
    # "几点开始", "what time": a clock time, which a day alone ("周日") does not give.
    "clock": (
        re.compile(
            r"(?<!哪)几点(?!要)|\bwhat time\b|\bopening hours\b|\bwhat hours\b", re.IGNORECASE
        ),
        re.compile(
            r"\d{1,2}[:：]\d{2}|[〇一二两三四五六七八九十\d]+点(?![击赞])"
            r"|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)"
            r"|\b(?:noon|midday|midnight)\b|中午|正午|午夜",
            re.IGNORECASE,
        ),
    ),
    "money": (
        re.compile(
            r"多少钱|几块|几元|几多钱|几钱|费用|价格|价钱|收费|多少元|报名费|会费|学费|\bhow much\b"
            r"|\bcost\b|\bprice\b|\bfees?\b|\bpay\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"[¥￥$€£]\s*\d|\d+(?:\.\d+)?\s*(?:元|块|rmb|usd|hkd|twd|ntd|dollars?|eur|美元|港币|"
            r"港幣|新台币|新台幣)|免费|免費|\bfree\b",
            re.IGNORECASE,
        ),
    ),
    "number": (
        re.compile(
            r"(?<!多少钱)多少(?!钱)|几多(?!钱)|几个|几次|几级|几天|几人|几位|几本|\bhow many\b",
            re.IGNORECASE,
        ),
        # A quantity: an amount of money, a count, a share; a clock time is not an answer here.
        re.compile(
            r"[¥￥$€£]\s*\d|\d+(?:\.\d+)?\s*(?:元|块|分|个|次|级|人|位|名|本|天|周|月|年|小时"
            r"|%|折|积分|usd|rmb|dollars?|points?|times?|days?|hours?|members?|people|mb|gb)"
            r"|[一二两三四五六七八九十百千万]+\s*[个次级天元块分人位名本]|免费|\bfree\b",
            re.IGNORECASE,
        ),
    ),
    "place": (
        re.compile(r"哪里|在哪|哪儿|什么地方|地点|地址|边度|喺边|\bwhere\b", re.IGNORECASE),
        re.compile(
            r"在.{1,15}(?:举行|集合|见|进行|领取|参加)|地点|地址|线上|会议|频道|群文件|路|号楼|楼|室"
            r"|馆|中心|#[\w-]+|\b(?:in|at) (?:the )?[A-Z#\"]|channel|room|online"
            # a venue or an address: "Riverside Arts Theatre, 505 Columbia Street"
            r"|\b(?:street|st\.|avenue|ave\.?|road|rd\.|drive|lane|square|hall|church|theatre"
            r"|theater|centre|center|park|library|studio|campus|building|floor|station|market)\b",
            re.IGNORECASE,
        ),
    ),
    # "电话是多少", "the phone number for …": a number to dial, not a passage about the clinic.
    "phone": (
        re.compile(
            r"电话\S{0,3}(?:多少|几多|号码)|什么电话|哪个电话|电话号码|热线"
            r"|\b(?:phone|mobile|telephone|contact|emergency) number\b|\bhotline\b",
            re.IGNORECASE,
        ),
        # a number to dial, or an emergency number that is no amount ("120元", "120 dollars")
        re.compile(
            r"(?<![\d-])(?!\d{4}-\d{1,2}-\d{1,2}\b)\+?\d[\d\s()-]{5,}\d"  # not a date
            r"|(?<![\d.])(?:110|112|119|120|911|999)(?![\d.]|\s*(?:元|块|dollars?|yuan|[-/年月]))",
            re.IGNORECASE,
        ),
    ),
    # "报名链接在哪", "what's the link for …": an address to open.
    "link": (
        re.compile(
            r"链接(?:在哪|是什么|是多少|发)|什么链接|哪个链接|网址"
            r"|\bwhat(?:'s| is) the (?:link|url|website|web address)\b"
            r"|\bwhere(?:'s| is| can i find) the (?:link|url)\b|\b(?:link|url) (?:to|for)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"https?://|www\.|\b[\w-]+\.(?:com|org|net|club|cn|io|co|uk|hk|tw|app)\b", re.IGNORECASE
        ),
    ),
}
_LIST = re.compile(
    r"哪些|哪几|几个|几种|几类|几大|几点要|有什么(?!用|区别|不同)|包括|包含|分别|列举|步骤|流程"
    # an order or a rota is a list too: "按什么顺序进", "周日答疑怎么排的"
    r"|(?:什么|哪个|啥)顺序|顺序是|(?:怎么|怎样|如何)(?:排|轮换|轮流)|\bin what order\b|\brota\b"
    r"|\brotation\b"
    r"|(?<![一\d])(?:[二两三四五六七八九十]|[2-9]|1\d)\s*(?:个(?!月|小时|工作日|星期)|种|类|大|项|步|点|感|要素|原则|特征|方面)"
    # "都改了啥", "都要带什么"; not 首都/成都 (places), 为什么, nor 都…什么时间/意思/区别
    r"|(?<![首成京古帝国])都(?!市)[^，。？?！!为]{0,6}(?:啥(?!时候|时间|意思|用)|什么(?!时候|时间|意思|用|区别|不同|样))"
    r"|\bwhat are\b|\bwhich are\b"
    # "Which plans are there?", "What classes do you offer?"; a plural, not "What time do you have"
    r"|\b(?:which|what)\s+(?:\w+\s+){0,2}\w+s\s+"
    r"(?:are there|are available|do you (?:have|offer|run))\b"
    r"|\blist\b|\b(?:types|kinds|sorts) of\b|\bsteps\b|\bways\b"
    # "what did the update add", not "what do I click to add a member"
    r"|\bwhat (?:did|does|do|will) (?:(?!\bto\b)[^?]){1,40}?"
    r"\b(?:add|include|change|cover|offer)s?\s*(?:\?|$)",
    re.IGNORECASE,
)
_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}
_EN_NUMERALS = {
    w: n for n, w in enumerate("two three four five six seven eight nine ten".split(), 2)
}
# "五个核心要素", "下面7步", "三种群", "the five core traits": how many items a list should have.
_COUNT = re.compile(
    r"(?<![\d.:一])([二两三四五六七八九十]|[2-9]|1\d)\s*(?:个(?!月|小时|工作日|星期)|种|类|大|项|步|点(?!半|前|后|到|钟)|条|件|感|招|层|块|方面)"
    r"|\b(two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)
_DEFINITION = re.compile(
    r"什么是|是什么意思|是什么|指什么|是指|指的是|定义|含义|意思|\bwhat is\b|\bwhat's\b"
    r"|\bwhat does .+ mean\b|\bdefine\b|\bmeaning of\b|\bwhat are\b",
    re.IGNORECASE,
)


# Units of measure a question can name ("多少克", "几个人", "how many hours"): the number that
# answers it carries that unit. Each: the unit's words in a question, then in an answer.
_NUM = (
    r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千半]+"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a|an|half an?)\b)"
)
_MEASURES: dict[str, tuple[str, str]] = {
    "grams": (r"克|公斤|斤|grams?|kg|kilos?", r"克|公斤|斤|g\b|grams?|kg|kilos?"),
    "people": (
        r"个?人(?!民)|位|名(?![额字称次])|people|persons?|players?|testers?",
        r"个?人(?!民)|位|名|people|persons?|players?|testers?|members?\b(?! of)",
    ),
    "days": (r"天|日|days?", r"天(?!气)|个?工作日|days?|working days?|business days?"),
    "hours": (r"个?小时|钟头|hours?", r"个?小时|钟头|hours?|h\b|hrs?\b"),
    "minutes": (r"分钟|minutes?|mins?", r"分钟|minutes?|mins?\b"),
    "km": (
        r"公里|千米|km|kilomet(?:re|er)s?|miles?",
        r"公里|千米|km|kilomet(?:re|er)s?|k\b|miles?",
    ),
    "pages": (r"页|pages?", r"页|pages?"),
    # "房间温度要保持多少度" is answered by "24-26 °C", not by "14 days"
    "degrees": (r"度|degrees?", r"度|°\s*[cf]?|℃|℉|degrees?"),
    "length": (
        r"厘米|公分|毫米|米|cm|mm|inch(?:es)?",
        r"厘米|公分|毫米|米|cm\b|mm\b|inch(?:es)?|\"",
    ),
}
_MEASURE_ASKED = {
    name: re.compile(
        # "哪几天" asks which days, not how many
        rf"(?:多少|(?<!哪)几)\s*(?:{asks})|\bhow many\s+(?:[a-z-]+\s+){{0,2}}?(?:{asks})\b",
        re.IGNORECASE,
    )
    for name, (asks, _) in _MEASURES.items()
}
_MEASURE_GIVEN = {
    # (?<!…): one match per number, not one attempt per digit of a long run; "第一名" is a rank
    name: re.compile(rf"(?<![\d.第]){_NUM}\s*-?\s*(?:{given})", re.IGNORECASE)
    for name, (_, given) in _MEASURES.items()
}


def measure_asked(text: str) -> str | None:
    """The unit a question's number must carry ("一份有多少克？" → "grams"), if it names one."""
    return next((name for name, asks in _MEASURE_ASKED.items() if asks.search(text)), None)


@dataclass(frozen=True)
class QuestionProfile:
    text: str
    language: Language
    tokens: tuple[str, ...]  # all jieba search tokens of the question
    content: frozenset[str]  # what the question is about (no interrogatives)
    shapes: tuple[str, ...]  # "time", "number", "place": what the answer must contain
    wants_list: bool
    wants_definition: bool
    count: int | None = None  # the number of items a list question names ("哪五个", "three")
    extreme: str | None = None  # "max" / "min": the priciest or cheapest of a table's rows
    measure: str | None = None  # the unit a number answering it carries ("grams", "people")

    def shaped(self, text: str) -> bool:
        """Does `text` have the shape this question's answer needs? A count asked in a unit
        ("多少克") needs a number in that unit: "2 台设备" does not answer "最多几个人"."""
        if not self.shapes:
            return False
        folded = fold_chinese(text)
        return any(self._has(shape, folded) for shape in self.shapes)

    def missing_shapes(self, text: str) -> tuple[str, ...]:
        """The shapes the question asks for that `text` lacks ("哪天？会员要交多少？" answered
        with the day only lacks the fee)."""
        folded = fold_chinese(text)
        return tuple(shape for shape in self.shapes if not self._has(shape, folded))

    def _has(self, shape: str, folded: str) -> bool:
        if shape == "number" and self.measure is not None:
            return bool(_MEASURE_GIVEN[self.measure].search(folded))
        return bool(SHAPES[shape][1].search(folded))


@lru_cache(maxsize=4096)
def read_question(question: str) -> QuestionProfile:
    folded = fold_chinese(question)
    tokens = tuple(tokenize(question))
    content = frozenset(
        t for t in tokens if (len(t) > 1 or not t.isascii()) and t not in QUESTION_WORDS
    )
    shapes = tuple(name for name, (asks, _) in SHAPES.items() if asks.search(folded))
    if "clock" in shapes and not SHAPES["time"][0].search(SHAPES["clock"][0].sub(" ", folded)):
        # only the hour is asked ("几点到？"): the clock shape says it, the looser time one not
        shapes = tuple(s for s in shapes if s != "time")
    if {"phone", "link"} & set(shapes):
        # "电话是多少" asks for a number to dial, "链接在哪" for an address: not any count or place
        shapes = tuple(s for s in shapes if s not in ("number", "place"))
    return QuestionProfile(
        text=question,
        language=detect_language(question),
        tokens=tokens,
        content=content,
        shapes=shapes,
        wants_list=bool(_LIST.search(folded)),
        wants_definition=bool(_DEFINITION.search(folded)) and not shapes,
        count=named_count(folded),
        extreme=extreme_asked(folded),
        measure=measure_asked(folded),
    )


# "最贵那张卡", "最高一级的会员", "the cheapest plan": which row of a table, by its price.
_EXTREMES = {
    "max": re.compile(
        r"最贵|最高(?:一级|级|档|等)|最高的(?:等级|会员|套餐|卡|档)|最顶级"
        r"|\bmost expensive\b|\bpriciest\b"
        r"|\bhighest (?:tier|level|plan|grade)\b|\btop (?:tier|level|plan)\b",
        re.IGNORECASE,
    ),
    "min": re.compile(
        r"最便宜|最低(?:一级|级|档|等)|最低的(?:等级|会员|套餐|卡|档)"
        r"|\bcheapest\b|\bleast expensive\b"
        r"|\blowest (?:tier|level|plan|grade)\b|\bentry[- ]level\b",
        re.IGNORECASE,
    ),
}


def extreme_asked(text: str) -> str | None:
    """ "max" when the question asks for the priciest / highest row, "min" for the cheapest."""
    found = [name for name, pattern in _EXTREMES.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def named_count(text: str) -> int | None:
    """The item count a text names ("五个必须" → 5, "下面7步" → 7), if it names one."""
    match = _COUNT.search(text)
    if match is None:
        return None
    if match.group(2):
        return _EN_NUMERALS[match.group(2).lower()]
    word = match.group(1)
    return int(word) if word.isdigit() else _NUMERALS[word]
