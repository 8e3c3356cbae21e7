"""Replace personal data in chat text with typed placeholders before it is stored or indexed.

Placeholders are language-neutral: [PHONE], [EMAIL], [ID_CARD], [BANK_CARD], [WECHAT_ID], [QQ].
Patterns are anchored on "not a letter or digit" instead of \\b, because \\b does not separate
Chinese characters from digits ("我的电话13812345678谢谢"). Contiguous numbers that merely look
like cards are checked (Luhn) so order numbers, timestamps and prices survive; numbers shaped
like an ID card (area, birth date) or written in card groups are personal data even when their
check digit is wrong: a mistyped ID still identifies someone.

Matching runs on a copy folded one character for one (full-width digits, letters and
punctuation, other dashes), so "１３８－００１３－８００５" is found; replacements go into the
original at the same positions, so everything else keeps its width.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from copilot.models import ChatMessage

PLACEHOLDERS = {
    "email": "[EMAIL]",
    "id_card": "[ID_CARD]",
    "bank_card": "[BANK_CARD]",
    "phone": "[PHONE]",
    "wechat_id": "[WECHAT_ID]",
    "qq": "[QQ]",
}
RULES = frozenset(PLACEHOLDERS)

# One character for one: full-width ASCII (U+FF01-FF5E), the ideographic space, dashes, minus.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20,
    **dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212), 0x2D),
}

_L = r"(?<![0-9A-Za-z])(?<!\d\.)"  # not glued to a word or a decimal
_R = r"(?![0-9A-Za-z]|\.\d)"

# E-mail: ASCII or accented local parts, and internationalised domains (bücher.de, 例子.中国).
_LATIN = r"A-Za-z0-9\u00c0-\u024f"  # ASCII and accented Latin letters
_IDN = _LATIN + r"\u0400-\u04ff\u4e00-\u9fff"  # plus Cyrillic and Han domain labels
_LOCAL = rf"(?:[{_LATIN}][{_LATIN}._%+-]*|[\u4e00-\u9fff]{{1,8}})"
_LABEL = rf"[{_IDN}](?:[{_IDN}-]*[{_IDN}])?"
_TLD = (
    r"(?:[A-Za-z]{2,24}(?![A-Za-z0-9])|[\u0400-\u04ff]{2,24}"
    r"|中国|中國|公司|网络|網絡|在线|集团|我爱你)"
)
_EMAIL = re.compile(rf"(?<![A-Za-z0-9._%+-]){_LOCAL}@(?:{_LABEL}\.)+{_TLD}")
# Obfuscated: "bob [at] bravo [dot] io", "bob(at)bravo(dot)io", "bob at bravo dot io".
_AT = r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\.)"
_EMAIL_OBFUSCATED = re.compile(
    rf"(?i)(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*"
    rf"(?:{_AT}[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,24}}"
    rf"|\s+at\s+[A-Za-z0-9-]+(?:\s+dot\s+[A-Za-z0-9-]+)*\s+dot\s+[A-Za-z]{{2,24}})(?![A-Za-z0-9])"
)
_BIRTH = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# Resident IDs: 18 characters (area, YYYYMMDD, sequence, check) or the old 15 digits (YYMMDD).
_ID_CARD = re.compile(
    _L + rf"[1-8]\d{{5}}(?:(?:18|19|20)\d{{2}}{_BIRTH}\d{{3}}[\dXx]|\d{{2}}{_BIRTH}\d{{3}})" + _R
)
_CARD_CONTIGUOUS = re.compile(_L + r"[2-6]\d{15,18}" + _R)
_CARD_GROUPED = re.compile(_L + r"[2-6]\d{3}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?" + _R)
_MOBILE = (
    r"(?:1[3-9]\d(?:[ -]?\d{4}){2}"  # 13812345678, 138 1234 5678, 138-1234-5678
    r"|1[3-9]\d(?P<sep>[.])\d{4}(?P=sep)\d{4}"  # 138.0013.8004
    r"|\(1[3-9]\d\)[ -]?\d{4}[ -]?\d{4}"  # (138)0013-8003
    r"|1 [3-9](?: \d){9})"  # 1 3 8 0 0 1 3 8 0 0 6
)
_PHONES = (
    # Mainland mobile, optionally +86 / 0086 / 86 / (+86).
    re.compile(r"(?<![0-9A-Za-z+])(?<!\d\.)(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?" + _MOBILE + _R),
    # International with a leading '+': +44 20 7946 0958, +1 (415) 555-0132.
    re.compile(r"(?<![0-9A-Za-z+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}" + _R),
    # North American: (415) 555-0132, 415-555-0132, 415.555.0132.
    re.compile(_L + r"(?:\(\d{3}\)[ ]?|\d{3}[.-])\d{3}[.-]\d{4}" + _R),
    # Mainland landline with area code: 010-12345678, 0755-8601338.
    re.compile(_L + r"0\d{2,3}-\d{7,8}" + r"(?![0-9A-Za-z-])"),
)
# Any digit run after an explicit cue ("电话：", "tel:") is a phone number, whatever its shape.
_PHONE_CUE = re.compile(
    r"(?i)(?P<cue>(?<![A-Za-z])(?:联系电话|联系方式|电话号码|电话|手机号码|手机号|手机|座机|"
    r"tel|phone|mobile|whatsapp|call me at)\s*(?:是|为|[:：])?\s*)"
    r"(?P<value>\+?\d[\d ().-]{5,18}\d)" + _R
)
_DATE_OR_TIME = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2}")
_WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[a-z0-9]{6,24}(?![A-Za-z0-9_])", re.IGNORECASE)
# "+V：", "加V", "vx:" are the usual spam hooks; a WeChat id may also be a phone or QQ number.
_WECHAT_CUE = re.compile(
    r"(?i)(?P<cue>(?:(?<![A-Za-z])(?:微信号|微信|薇信|威信|v信|加\s*v|vx|wx|weixin|wechat)"
    r"|\+\s*v|(?<![A-Za-z])v(?=\s*[:：]))"
    r"(?P<sep>\s*(?:号码|号|id)?\s*(?:是|为|[:：])?\s*))"
    r"(?P<value>[A-Za-z][-_A-Za-z0-9]{5,19}(?![-_A-Za-z0-9])|\d{5,15}(?!\d))"
)
_QQ_CUE = re.compile(
    r"(?i)(?P<cue>(?<![A-Za-z])qq\s*(?:号码|号)?\s*(?:是|为|[:：])?\s*)"
    r"(?P<value>[1-9]\d{4,10})(?!\d)"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

Span = tuple[int, int]
Pick = Callable[[re.Match[str]], Span | None]


def id_card_valid(number: str) -> bool:
    """GB 11643 checksum of an 18-character resident ID."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _whole(valid: Callable[[str], bool] = lambda s: True) -> Pick:
    return lambda m: m.span() if valid(m.group(0)) else None


def _cued(valid: Callable[[re.Match[str]], bool] = lambda m: True) -> Pick:
    """Keep the cue ("微信："), replace only the value after it."""
    return lambda m: m.span("value") if valid(m) else None


def _phone_cue_ok(m: re.Match[str]) -> bool:
    return 7 <= len(_digits(m["value"])) <= 15 and not _DATE_OR_TIME.search(m["value"])


def _wechat_ok(m: re.Match[str]) -> bool:
    # "WeChat channels" is prose; an id follows a separator or has a digit, '_' or '-'.
    return bool(re.search(r"[:：是为号]|id", m["sep"], re.I) or re.search(r"[\d_-]", m["value"]))


_PHONE_LENGTH = _whole(lambda s: 7 <= len(_digits(s)) <= 15)
_STEPS: tuple[tuple[str, tuple[tuple[re.Pattern[str], Pick], ...]], ...] = (
    # Order matters: an e-mail or ID holds phone-like digit runs.
    ("email", ((_EMAIL, _whole()), (_EMAIL_OBFUSCATED, _whole()))),
    ("id_card", ((_ID_CARD, _whole()),)),
    (
        "bank_card",
        (
            (_CARD_GROUPED, _whole()),
            (_CARD_CONTIGUOUS, _whole(lambda s: luhn_valid(_digits(s)))),
        ),
    ),
    ("phone", ((_PHONE_CUE, _cued(_phone_cue_ok)), *((p, _PHONE_LENGTH) for p in _PHONES))),
    ("wechat_id", ((_WXID, _whole()), (_WECHAT_CUE, _cued(_wechat_ok)))),
    ("qq", ((_QQ_CUE, _cued()),)),
)


def _replace(
    text: str, folded: str, pattern: re.Pattern[str], pick: Pick, placeholder: str
) -> tuple[str, str]:
    """Replace what ``pattern`` finds in ``folded`` in both strings (their positions agree)."""
    out, out_folded, last = [], [], 0
    for match in pattern.finditer(folded):
        span = pick(match)
        if span is None:
            continue
        start, end = span
        out += [text[last:start], placeholder]
        out_folded += [folded[last:start], placeholder]
        last = end
    if not out:
        return text, folded
    return "".join([*out, text[last:]]), "".join([*out_folded, folded[last:]])


def redact(text: str, *, rules: set[str] | frozenset[str] | None = None) -> str:
    """Replace personal data in `text`. `rules` picks a subset of RULES (default: all)."""
    chosen = RULES if rules is None else frozenset(rules)
    if unknown := chosen - RULES:
        raise ValueError(f"unknown redaction rule(s) {sorted(unknown)}; known: {sorted(RULES)}")
    folded = text.translate(_FOLD)
    for name, patterns in _STEPS:
        if name in chosen:
            for pattern, pick in patterns:
                text, folded = _replace(text, folded, pattern, pick, PLACEHOLDERS[name])
    return text


def redact_message(
    msg: ChatMessage, *, rules: set[str] | frozenset[str] | None = None
) -> ChatMessage:
    """The message with its text redacted. Author names are left as they are: analytics
    counts people by them, and a display name is what members chose to show the group."""
    text = redact(msg.text, rules=rules)
    return msg if text == msg.text else msg.model_copy(update={"text": text})
