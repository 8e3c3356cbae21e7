"""Replace personal data in chat text with typed placeholders before it is indexed.

Placeholders are language-neutral: [PHONE], [EMAIL], [ID_CARD], [BANK_CARD], [WECHAT_ID], [QQ].
Patterns are anchored on "not a letter or digit" instead of \\b, because \\b does not separate
Chinese characters from digits ("我的电话13812345678谢谢"). Numbers that merely look like ids
are checked (ID-card checksum, Luhn) so order numbers, timestamps and prices survive.
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

_L = r"(?<![0-9A-Za-z])(?<!\d\.)"  # not glued to a word or a decimal
_R = r"(?![0-9A-Za-z]|\.\d)"

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9])"
)
_ID_CARD = re.compile(
    _L + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]" + _R
)
_BANK_CARD = re.compile(_L + r"(?:[2-6]\d{15,18}|[2-6]\d{3}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)" + _R)
_PHONES = (
    # Mainland mobile, optionally +86 / 0086 / (+86), grouped 3-4-4 with spaces or dashes.
    re.compile(
        r"(?<![0-9A-Za-z+])(?<!\d\.)(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}"
        + _R
    ),
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
_WECHAT_CUE = re.compile(
    r"(?i)(?P<cue>(?<![A-Za-z])(?:微信号|微信|薇信|威信|v信|加v|vx|wx|weixin|wechat)"
    r"(?P<sep>\s*(?:号码|号|id)?\s*(?:是|为|[:：])?\s*))"
    r"(?P<value>[A-Za-z][-_A-Za-z0-9]{5,19})(?![-_A-Za-z0-9])"
)
_QQ_CUE = re.compile(
    r"(?i)(?P<cue>(?<![A-Za-z])qq\s*(?:号码|号)?\s*(?:是|为|[:：])?\s*)"
    r"(?P<value>[1-9]\d{4,10})(?!\d)"
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


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


def _checked(placeholder: str, valid: Callable[[str], bool]) -> Callable[[re.Match[str]], str]:
    return lambda m: placeholder if valid(m.group(0)) else m.group(0)


def _cued(
    placeholder: str, valid: Callable[[re.Match[str]], bool] = lambda m: True
) -> Callable[[re.Match[str]], str]:
    """Keep the cue ("微信："), replace only the value after it."""
    return lambda m: m["cue"] + placeholder if valid(m) else m.group(0)


def _phone_cue_ok(m: re.Match[str]) -> bool:
    return 7 <= len(_digits(m["value"])) <= 15 and not _DATE_OR_TIME.search(m["value"])


def _wechat_ok(m: re.Match[str]) -> bool:
    # "WeChat channels" is prose; an id follows a separator or has a digit, '_' or '-'.
    return bool(re.search(r"[:：是为号]|id", m["sep"], re.I) or re.search(r"[\d_-]", m["value"]))


def _redact_phone(text: str) -> str:
    text = _PHONE_CUE.sub(_cued("[PHONE]", _phone_cue_ok), text)
    for pattern in _PHONES:
        text = pattern.sub(_checked("[PHONE]", lambda s: 7 <= len(_digits(s)) <= 15), text)
    return text


_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("email", lambda t: _EMAIL.sub("[EMAIL]", t)),
    ("id_card", lambda t: _ID_CARD.sub(_checked("[ID_CARD]", id_card_valid), t)),
    (
        "bank_card",
        lambda t: _BANK_CARD.sub(_checked("[BANK_CARD]", lambda s: luhn_valid(_digits(s))), t),
    ),
    ("phone", _redact_phone),
    (
        "wechat_id",
        lambda t: _WECHAT_CUE.sub(_cued("[WECHAT_ID]", _wechat_ok), _WXID.sub("[WECHAT_ID]", t)),
    ),
    ("qq", lambda t: _QQ_CUE.sub(_cued("[QQ]"), t)),
)


def redact(text: str, *, rules: set[str] | frozenset[str] | None = None) -> str:
    """Replace personal data in `text`. `rules` picks a subset of RULES (default: all)."""
    chosen = RULES if rules is None else frozenset(rules)
    if unknown := chosen - RULES:
        raise ValueError(f"unknown redaction rule(s) {sorted(unknown)}; known: {sorted(RULES)}")
    for name, step in _STEPS:  # order matters: an e-mail or ID holds phone-like digit runs
        if name in chosen:
            text = step(text)
    return text


def redact_message(
    msg: ChatMessage, *, rules: set[str] | frozenset[str] | None = None
) -> ChatMessage:
    """The message with its text redacted. Author names are left as they are: analytics
    counts people by them, and a display name is what members chose to show the group."""
    text = redact(msg.text, rules=rules)
    return msg if text == msg.text else msg.model_copy(update={"text": text})
