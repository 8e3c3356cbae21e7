"""Obvious-spam detection for chat history.

Deliberately conservative: an ad keyword alone (someone mentioning 代购 or a low
price) is not spam; an ad keyword *plus* a way to contact the sender is. Spam is
excluded from topics, questions, FAQ mining and summaries, never deleted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from copilot.models import ChatMessage
from copilot.text import URL_RE, fold_chinese, is_question, looks_like_injection

__all__ = ["is_link_only", "is_spam", "looks_like_injection", "spam_ids"]

_AD_KEYWORDS = re.compile(
    r"代购|低价|特价|兼职|刷单|返利|返现|免费领|免费送|日赚|日结|月入|招代理|招募代理|私聊我?领|加群领"
    r"|点击领取|正品保证|全场\S{0,3}折|新品上市|诚招|招商加盟"
)
# Asking strangers to add you is itself a contact, even without an id ("加微信xxx").
# "加v了解", "联系vx": a Latin letter next to Chinese has no \b between them, so the edges are
# spelled as lookarounds.
_CONTACT_ASK = re.compile(
    r"加[我他她]?\s*(?:微信|薇信|威信|v信|vx|wx|v(?![a-z0-9])|q(?![a-z0-9])|qq|扣扣|好友)"
    r"|(?<![a-z])(?:vx|wx)(?![a-z])|私聊我|私信我|私讯我"
    r"|加\s*line(?![a-z])"  # LINE, what Taiwan and Japan message on
)
_CONTACT = re.compile(
    r"1[3-9]\d{9}"  # mainland mobile number
    r"|(?:微信号?|薇信|威信|v信|vx|wx|weixin|wechat|qq|q号|扣扣|tg|telegram|whatsapp)\s*[:：]?\s*"
    r"[a-z0-9_\-]{5,}"
    r"|(?<![a-z])v\s*[:：]\s*[a-z0-9_\-]{5,}"
    r"|(?<![a-z])line(?:\s*id)?\s*[:：]\s*[a-z0-9_\-]{4,}"
    r"|(?<!\d)\d{6,}(?!\d)"  # QQ number or similar
    r"|https?://|www\.|t\.me/|wa\.me/"
    r"|(?i:\[(?:phone|wechat_id|qq|email)\])"  # a contact already redacted is still a contact
)
_EN_SPAM = re.compile(
    r"crypto\s+giveaway|(?:btc|eth|bitcoin|usdt)\s+giveaway"
    r"|double your (?:btc|eth|bitcoin|crypto|money)"
    r"|guaranteed (?:profit|returns?|income)|free (?:btc|eth|usdt|bitcoin|airdrop)"
    r"|(?:dm|message|whatsapp|text) me for (?:\w+ ){0,3}"
    r"(?:investment|profit|crypto|forex|trading|earn|offer|giveaway|signals|money|\$)"
)


# A contact id right after a hook: "+V：tea8899", "vx：[WECHAT_ID]" (redacted), "薇：mm520888".
_HOOK_ID = re.compile(
    r"(?:[+＋]\s*(?:v|vx|wx|微|薇|q)|加\s*(?:v|vx|wx|微信?|薇|q|qq)(?![a-z])"
    r"|(?<![a-z])(?:vx|wx|v信|薇信?|威信|微信号?|q号|扣扣)(?![a-z]))\s*[:：]\s*"
    r"(?:\[[a-z_]+\]|[a-z0-9_\-]{4,})"
)
# "Message me" without an id: private contact is where the sale happens.
_DM = re.compile(
    r"私(?:我|聊|信|戳|讯我)|私\s*(?:v|vx|wx)|加\s*(?:v|vx|wx|微信?|薇|q|qq)(?![a-z])"
    r"|[+＋]\s*(?:v|vx|wx|微|薇|q|qq)(?![a-z])|(?:滴滴|戳|找|扣|call)我|[看点戳]我(?:的)?(?:头像|主页|朋友圈)"
    r"|详情(?:咨询|联系|私)|\b(?:dm|pm|message) me\b"
)
# Someone warning about ads quotes them ("遇到私聊推销的直接拉黑"): not an ad.
_WARNING = re.compile(
    r"禁止|不要|别[加信理买]|谨防|小心|当心|警惕|骗子|骗局|举报|拉黑|踢出|违者"
    r"|\bscam|\bbeware\b|\bdo(?:n'?t| not) (?:click|dm|reply|send|pay|trust)"
    r"|\breport(?:ed)? (?:it|them)\b"
)
# Joining another group or scanning a code to get something: a lead for someone's sale.
_LURE_ZH = re.compile(r"扫码|扫一扫|二维码|进群|加群|拉你进|入群领|进裙|加裙")
# What is on offer: a price, a freebie, a sale, paid material.
_OFFER = re.compile(
    r"\d+(?:\.\d+)?\s*(?:元|块|rmb)|[¥￥$]\s*\d|原价|现价|特价|低价|限时|最低|批发|代购|货源|厂价|拿货|包邮|邮费"
    r"|免费(?:领|送|拿|试)|领取|领资料|送\S{0,3}(?:体验金|红包|礼品)|出售|转让|打包|预约|押金|速成|全套|网课"
    r"|兼职|日结|引流|加粉|涨粉|代运营|代发|无效退款|名额有限|先到先得|便宜|代充|代写|代考|优惠券|内部渠道|福利"
    r"|押题|独家|价格(?:美丽|实惠|优惠)|送\S{0,3}资料|办信用卡|信用卡套现|贷款|网贷|征信|副业"
    r"|赚\S{0,2}(?:零花钱|外快)"
)
# (日领, 诚征, 征才: how Taiwan says paid daily and hiring)
_JOB = re.compile(
    r"兼职|招聘|急招|诚征|征才|高薪|日结|日领|时薪|在家.{0,6}赚|动动手指|一部手机就能|刷单|接单"
)
# What a job scam promises: easy work anyone can do from a phone, paid by the day or the task.
_EASY_WORK = re.compile(
    r"打字员|一单一结|工资日结|日结|时间自由|在家|手机(?:操作|就能|即可)|宝妈|学生党?|无需经验|零基础"
    r"|每天\S{0,3}(?:小时|分钟)|动动手指|免经验"
)
_PAID_BY_TASK = re.compile(r"日结|日领|一单一结|打字员|刷单")
_MONEY = re.compile(
    r"\d+\s*(?:-\s*\d+\s*)?(?:元|块|万|k\b)|日[结领]\s*\d+|日收益|月入|日[赚入收领]"
    r"|\d+\s*%|过万"
)
_CRYPTO = re.compile(r"usdt|比特币|\bbtc\b|\beth\b|币圈|搬砖|套利|稳赚|躺赚|回报率|体验金")
# An investment "teacher" showing returns ("学员上个月平均回报 35%，免费入群 👉 t.me/…"): weaker
# words than _CRYPTO, so they need both a claimed return and a way off the group.
_INVEST = re.compile(r"投资|理财|回报|收益|带单|导师|学员|炒股|炒币|\btrading\b|\bmentor\b")
_RETURNS = re.compile(r"\d+(?:\.\d+)?\s*%|翻倍|月入|日[赚入收]|[日周月]收益|过万|\b\d+x\b")
_EN_LURE = re.compile(
    r"giv(?:e|ing)\s*away|\bfree\s+(?:\$\d+|nitro|gift|whitelist|airdrop|mint|crypto|tickets?)"
    r"|gift\s*card|\bnitro\b|airdrop|whitelist|\bmint is live\b"
    r"|\bclaim (?:it |them )?(?:now|before|here|your)"
    r"|\bi made \$[\d,]+|\bearn(?:ed|ing)? \$[\d,]+|\$[\d,]+ (?:a|per) (?:day|week)"
    r"|trading (?:with|method|signals)|crypto (?:method|signals)|forex|passive income"
)
_EN_PHISH = re.compile(
    r"your (?:\w+ )?account (?:was|has been|is|will be) (?:reported|suspended|locked|flagged|banned"
    r"|disabled)|verify your account|avoid a (?:permanent )?ban|connect your (?:crypto )?wallet"
)
# (a bare link reaches them too: "dlscord-gift.promo/harbour")
_EN_REACH = re.compile(
    r"https?://|www\.|\b(?:t\.me|wa\.me|bit\.ly)/|@everyone|@here|\b(?:dm|pm|message) me\b"
    r"|contact our|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/\S"
)
# A domain alone, as a chat shows a link's label: "claim at tide-airdrop.claims". A file name is
# none ("locales/sw.json", "Player.log"), and a member asking about a giveaway may name a site.
_BARE_DOMAIN = re.compile(
    r"\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?!(?:json|log|txt|md|po|pot|ya?ml|toml|lock|py|rs"
    r"|js|ts|go|java|sh|exe|png|jpe?g|gif|svg|pdf|docx?|xlsx?|zip|csv|html?)\b)[a-z]{2,10}\b(?![.\w])"
)
# A sales pitch or a money lure in English, strong enough that a member chatting about prices
# ("is it £5 for non-members?") never matches: discounts off a price list, stock running out,
# income per day/week, jobs that need no experience, accounts for rent, freebies for the
# "first 100 members", followers for sale.
_EN_PITCH = re.compile(
    r"\d+\s*% off\b|\bprice ?list\b|\blimited (?:stock|spots|places|offer)\b"
    r"|direct from (?:the )?factory"
    r"|\bwholesale\b|\b(?:accounts?|logins?) for (?:rent|sale)\b|\bstart earning\b"
    r"|\bno experience (?:needed|required|necessary)\b|\bwork from home\b|\bfrom home!"
    r"|\b(?:make|makes|made|earn|earns|earned|making|earning) [£$€]\s?[\d,.]+k?"
    r"|[£$€]\s?[\d,.]+k?(?:\s*[–-]\s*[£$€]?\s?[\d,.]+k?)? (?:a|per|every) (?:day|week)\b"
    r"|\bonly \d+ (?:spots|places|seats|slots) left\b|\bfirst \d+ (?:members|people|users)\b"
    r"|\bclaim (?:here|now|yours|your)\b|\b\d[\d,]* (?:real |active )?(?:followers|likes)\b"
    r"|\b(?:we are|we're|now) hiring\b.{0,80}(?:[£$€]|per day|no experience)"
    # paid material and part-time job lures
    r"|\b(?:selling|sell|cheap)\b.{0,40}\b(?:materials?|notes|papers|answer keys?|courses?)\b"
    r"|\b(?:past|exam) papers\b|\banswer keys?\b|\bcourse materials?\b"
    r"|\bpart[- ]time\b.{0,60}\b(?:good pay|paid|per (?:hour|day)|flexible hours)\b"
    r"|\bflexible hours\b.{0,40}\bgood pay\b|\b(?:special|exclusive) offer\b"
    # cracked software and sold leads: "lifetime licence — only £39!!", "200+ verified clients"
    r"|\bonly [£$€]\s?[\d.,]+\s*(?:!!|/\s*month|per month|today)|\binstant download\b|\bcracked\b"
    r"|\blifetime (?:licen[cs]e|access|deal)\b|\bfirst (?:week|month) free\b"
    r"|\b\d+\+ (?:verified |new |direct )*(?:clients|leads|customers)\b"
)
# Someone to contact off the group: a messenger, an international phone number, a handle to
# message, a link (bare t.me/... or shop.top/... included), or a contact already redacted.
_EN_CONTACT = re.compile(
    r"\b(?:whatsapp|telegram|signal|wechat|kik)\b|\+\d{1,3}[\s-]?\d{3,}"
    r"|\b(?:dm|pm|inbox|message|text|contact|msg) (?:me|us)\b|\b(?:message|contact|dm) @\w+"
    r"|\b(?:dm|pm|inbox) (?:for|me for) (?:details|info|more|price)"
    r"|\bcheck (?:out )?my (?:bio|profile)\b|\blink in (?:my )?bio\b"
    r"|https?://|www\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/\S"
    r"|\[(?:phone|wechat_id|qq|email)\]"
)


def is_link_only(text: str) -> bool:
    """A post that is nothing but one or more links."""
    if not URL_RE.search(text or ""):
        return False
    rest = URL_RE.sub("", text)
    return not re.search(r"[^\W_]", rest)


def is_spam(text: str) -> bool:
    """Ads and scams: a contact id posted to strangers (+V：xxx, vx：xxx, 薇：xxx), "私我" /
    "加V" with a price or freebie, job scams (兼职/日结 + money), crypto returns, ad keywords
    with a contact, and English giveaway / money / phishing lures with a link or "DM me"."""
    folded = fold_chinese(text or "")
    if not folded.strip():
        return False
    if _EN_SPAM.search(folded):
        return True
    # A member asking something may leave their own contact ("会费多少？我的 +V：xxx").
    if _HOOK_ID.search(folded) and (not is_question(folded) or _OFFER.search(folded)):
        return True
    reach = _DM.search(folded) or _CONTACT_ASK.search(folded)
    if reach and _OFFER.search(folded):
        return True
    asks = is_question(folded) or bool(_WARNING.search(folded))
    if _CONTACT_ASK.search(folded) and _CONTACT.search(folded) and not asks:  # "加我微信 wx_…"
        return True
    if _LURE_ZH.search(folded) and (_CONTACT.search(folded) or _OFFER.search(folded)) and not asks:
        return True
    if _JOB.search(folded) and _MONEY.search(folded):
        return True
    easy = {m.group(0) for m in _EASY_WORK.finditer(folded)}
    paid_by_task = bool(_PAID_BY_TASK.search(folded))  # enough without a way to reach them
    if _JOB.search(folded) and easy and (reach or (len(easy) >= 2 and paid_by_task)) and not asks:
        return True  # "招聘打字员，在家就能做，一单一结，有意私聊", "急招宝妈，手机操作，工资日结"
    if _CRYPTO.search(folded) and (_MONEY.search(folded) or reach):
        return True
    contact = _CONTACT.search(folded) or _CONTACT_ASK.search(folded) or reach
    if _INVEST.search(folded) and _RETURNS.search(folded) and contact and not asks:
        return True
    if (_EN_LURE.search(folded) or _EN_PHISH.search(folded)) and (
        _EN_REACH.search(folded) or (_BARE_DOMAIN.search(folded) and not is_question(folded))
    ):
        return True
    if _EN_PITCH.search(folded) and _EN_CONTACT.search(folded) and not asks:
        return True
    if not _AD_KEYWORDS.search(folded):
        return False
    return bool(_CONTACT.search(folded) or _CONTACT_ASK.search(folded) or reach)


def spam_ids(messages: Iterable[ChatMessage], admins: Collection[str] = ()) -> set[str]:
    """Ids of spam messages: `is_spam` text, plus repeated link-only posts.

    A link-only post is spam when the same author posts the same link-only text
    twice or more, or anyone posts it three times or more (link-drop bots). Admins'
    messages are never spam: their warnings quote the scams ("别加V，兼职都是骗子").
    """
    trusted = set(admins)
    messages = list(messages)
    people = _pointer_to(trusted | {m.author for m in messages if m.author})
    messages = [m for m in messages if m.author not in trusted and m.author_id not in trusted]
    found: set[str] = set()
    by_author: Counter[tuple[str, str]] = Counter()
    by_text: Counter[str] = Counter()
    link_posts: list[tuple[ChatMessage, str]] = []
    for msg in messages:
        if msg.is_service:
            continue
        if is_spam(_without_pointers(msg, people)):
            found.add(msg.id)
        elif is_link_only(msg.text):
            key = fold_chinese(msg.text).strip()
            by_author[(msg.author_id or msg.author, key)] += 1
            by_text[key] += 1
            link_posts.append((msg, key))
    for msg, key in link_posts:
        if by_author[(msg.author_id or msg.author, key)] >= 2 or by_text[key] >= 3:
            found.add(msg.id)
    return found


def _pointer_to(names: Collection[str]) -> re.Pattern[str] | None:
    """ "私聊青禾预约", "找@云岫登记": sending a member to someone the chat knows (an admin, a
    member who speaks in it) is no "message me" hook."""
    written = sorted((n for n in names if len(n) >= 2), key=len, reverse=True)
    if not written:
        return None
    return re.compile(
        r"(?:私聊|私信|私戳|找|联系)\s*[@＠]?(" + "|".join(map(re.escape, written)) + ")"
    )


def _without_pointers(msg: ChatMessage, pointer: re.Pattern[str] | None) -> str:
    """The text with its pointers to other people reduced to their names (one to the author
    itself stays: "私聊小美" from 小美 is "message me")."""
    if pointer is None:
        return msg.text
    return pointer.sub(lambda m: m.group(0) if m.group(1) == msg.author else m.group(1), msg.text)
