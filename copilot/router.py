"""Should the copilot answer this group message? One rule for connectors and replay evals."""

from __future__ import annotations

import re
from typing import Literal

from copilot.analytics.spam import is_spam
from copilot.text import fold_chinese, is_question, looks_like_injection

Mode = Literal["mention", "all", "review"]

# Thanks and acknowledgements address the bot but ask nothing: a reply would only be noise.
PLEASANTRY = re.compile(
    r"^(?:谢谢|感谢|多谢|谢啦|好的|好滴|收到|明白了?|懂了|ok|okay|thanks?(?: you)?|thx|ty|got it"
    r"|cool|nice|great|哈+|嗯+|👍|🙏)[\s!！。.~～]*$",
    re.IGNORECASE,
)


def should_answer(text: str, mentioned: bool, mode: str = "mention") -> bool:
    """True when the message deserves an answer (the answer skill may still hand off).

    - spam and prompt-injection attempts never get a reply, mentioned or not;
    - mode `mention` answers only when the bot is mentioned or commanded;
    - modes `all` and `review` also pick up unaddressed messages that ask a question;
    - a mention that carries no request ("@bot 谢谢！") gets no reply.
    """
    text = (text or "").strip()
    if not text or is_spam(text) or looks_like_injection(text):
        return False
    if PLEASANTRY.match(fold_chinese(text)):
        return False
    if mentioned:
        return True
    return mode in ("all", "review") and is_question(text)
