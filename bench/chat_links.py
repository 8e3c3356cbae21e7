"""Cost of linking a chat's questions to their answers (`link_questions`, used by ingest,
summaries, health and the question queue), as a multiple of reading the chat once.

Baseline, in the same run and in turns: `tokenize` over every message (what any analysis of
the chat pays at least). The chat is synthetic but shaped like a busy course group: ~300
members and a few admins, one message every 40 s, a question in every `--questions` share of
messages, some answered by @-mention, some by an admin, some never.
Usage: python bench/chat_links.py [--messages 10000] [--questions 0.15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from copilot.analytics.exchanges import link_questions
from copilot.models import ChatMessage
from copilot.text import tokenize

TOPICS = (
    "面团 酵母 烤箱 温度 法棍 欧包 吐司 黄油 面粉 发酵 整形 割包 蒸汽 模具 配方 团购 快递 直播"
).split()
ADMINS = ("助教-麦子", "主理人-老陈")


def synthetic_chat(n: int, question_share: float, seed: int = 1) -> list[ChatMessage]:
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    out: list[ChatMessage] = []
    for i in range(n):
        a, b, c = rng.sample(TOPICS, 3)
        author = rng.choice(ADMINS) if rng.random() < 0.08 else f"学员{rng.randint(1, 300)}"
        roll = rng.random()
        if roll < question_share:
            text = f"{a}和{b}怎么{c}？"
        elif roll < question_share * 1.6 and out:
            text = f"@{out[rng.randrange(len(out))].author} {a}{b}一般这样{c}就行"
        else:
            text = f"#打卡 第{i % 21 + 1}天 今天{a}{b}还不错"
        ts = start + timedelta(seconds=40 * i)
        out.append(ChatMessage(id=f"m{i}", community="bench", author=author, ts=ts, text=text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--questions", type=float, default=0.15)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chat = synthetic_chat(args.messages, args.questions)
    link_questions(chat[:500], admins=ADMINS)  # warm-up: jieba, regexes
    base, links = [], []
    for turn in range(args.rounds):
        t = time.perf_counter()
        for m in chat:
            tokenize(f"{m.text} {turn}")  # (a new string each turn: no cache serves it)
        base.append(time.perf_counter() - t)
        t = time.perf_counter()
        exchanges = link_questions(chat, admins=ADMINS)
        links.append(time.perf_counter() - t)
    b, s = statistics.median(base), statistics.median(links)
    answered = sum(e.answered for e in exchanges)
    print(f"{args.messages} messages, {len(exchanges)} questions ({answered} answered)")
    print(f"tokenize every message once: {b:.2f} s")
    print(f"link_questions: {s:.2f} s = {s / b:.1f}x reading the chat once")


if __name__ == "__main__":
    main()
