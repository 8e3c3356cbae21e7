"""Mine FAQ candidates (question → accepted answer) from chat history.

A pair is accepted when a member's question (not spam, not prompt injection) gets a
response (see `copilot.analytics.conversation`; here anyone's message within 30 minutes
in the same channel and thread is a candidate) and either

- the response is by an admin, or
- the asker confirms afterwards (谢谢/解决了/明白了/thanks/got it/that worked …): by
  replying to an answer, or within 30 minutes after it in the same channel or thread.

A confirmed answer beats an admin one (the asker says it worked). Near-duplicate
questions are merged: the best answer is kept and `asked_times` counts the askings.
Questions asked by admins are skipped: in groups they are polls and announcements.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import timedelta
from functools import lru_cache

from pydantic import BaseModel, Field

from copilot.analytics.conversation import (
    NEARBY_WINDOW,
    RESPONSE_WITHIN,
    ConversationIndex,
    Roles,
    member_key,
    normalize,
)
from copilot.analytics.exchanges import is_member_question, is_signup_chain
from copilot.analytics.spam import spam_ids
from copilot.models import ChatMessage
from copilot.text import (
    content_words,
    fold_chinese,
    is_question,
    looks_like_injection,
    split_sentences,
    tokenize,
)

Similarity = Callable[[str, str], float]

DEFAULT_THRESHOLD = 0.6  # for token Jaccard; embedding cosine wants ~0.8

_CONFIRM = re.compile(
    r"谢谢|感谢|多谢|谢啦|谢了|3q|解决了|明白了|懂了|知道了|收到|搞定|可以了|成功了|好使|找到了|原来如此|get了"
    r"|\bthanks?\b|thank you|\bthx\b|\bty\b|got it|that worked|it worked|works now|solved"
    r"|makes sense|perfect|found it",
    re.IGNORECASE,
)
_NON_ANSWER = re.compile(
    r"^(?:\+1|同问|同求|我也想知道|我也是|我也不知道|不知道|不清楚|me too|same here|same question|"
    r"no idea|not sure|dunno)[\s。.!！~～]*$",
    re.IGNORECASE,
)
_LEADING_MENTIONS = re.compile(r"^(?:\s*[@＠][^\s@＠]+)+\s*")
_LEADING_FILLER = re.compile(
    r"^(?:大家好|各位好|请问一下|请问|问一下|问下|请教一下|请教|求助|hi all|hello all|hi|hello|hey)"
    r"[\s,，:：!！。]*",
    re.IGNORECASE,
)


class FaqCandidate(BaseModel):
    """A question with an accepted answer, mined from chat."""

    id: str = Field(description="Stable: 'faq_' + hash of the normalized question.")
    question: str
    answer: str
    asker: str
    answerer: str
    question_id: str
    answer_id: str
    asked_times: int = 1
    confirmed: bool = Field(description="The asker confirmed this answer worked.")
    by_admin: bool


def normalize_question(text: str) -> str:
    """Folded question without mentions, links, greetings, punctuation or extra spaces."""
    text = fold_chinese(content_words(text)).strip()
    text = _LEADING_FILLER.sub("", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def question_text(text: str) -> str:
    """The asking part of a message: its question sentences, without the self-introduction."""
    text = content_words(text).strip()
    asked = [s for s in split_sentences(text) if is_question(s)]
    return " ".join(asked) if asked else text


def faq_id(question: str) -> str:
    digest = hashlib.sha1(normalize_question(question).encode("utf-8")).hexdigest()
    return f"faq_{digest[:16]}"


@lru_cache(maxsize=4096)
def _token_set(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


def jaccard_similarity(a: str, b: str) -> float:
    """Token-set Jaccard over `tokenize` (folded, stopwords dropped)."""
    ta, tb = _token_set(a), _token_set(b)
    if not ta or not tb:
        return 1.0 if normalize_question(a) == normalize_question(b) else 0.0
    return len(ta & tb) / len(ta | tb)


def is_answer_like(msg: ChatMessage) -> bool:
    text = content_words(msg.text).strip()
    return (
        len(re.findall(r"[^\W_]", text)) >= 2
        and not _NON_ANSWER.match(text)
        and not is_question(msg.text)
        and not looks_like_injection(msg.text)
        and not is_signup_chain(msg.text)  # "#接龙 年会…" after a question is a list of names
    )


def confirmed_answer(
    q: ChatMessage, answers: list[ChatMessage], index: ConversationIndex
) -> ChatMessage | None:
    """The answer the asker confirmed, if any (see module docstring)."""
    ids = {a.id: a for a in answers}
    asker = member_key(q)
    for m in index.following(q, RESPONSE_WITHIN):
        if (
            member_key(m) != asker
            or is_question(m.text)
            or not _CONFIRM.search(fold_chinese(m.text))
        ):
            continue
        if m.reply_to in ids:
            return ids[m.reply_to]
        if m.reply_to and m.reply_to != q.id:
            continue  # thanking someone else for something else
        in_own_thread = m.thread == q.id  # the thread the question opened
        prior = [
            a for a in answers if a.ts <= m.ts and (in_own_thread or m.ts - a.ts <= NEARBY_WINDOW)
        ]
        if prior:
            return prior[-1]
    return None


def _accepted_pairs(
    messages: list[ChatMessage], roles: Roles, window: timedelta
) -> tuple[list[FaqCandidate], list[str]]:
    """(accepted pairs, the other members' questions) in time order."""
    excluded = spam_ids(messages, roles.admins) | {
        m.id for m in messages if looks_like_injection(m.text)
    }
    index = ConversationIndex(messages, roles, exclude=excluded)
    pairs: list[FaqCandidate] = []
    others: list[str] = []
    for q in index.messages:
        if roles.is_admin(q) or not is_member_question(q.text):
            continue
        question = question_text(q.text)
        answers = [
            a for a in index.responses(q, window=window, anyone_nearby=True) if is_answer_like(a)
        ]
        confirmed = confirmed_answer(q, answers, index) if answers else None
        chosen = confirmed or next((a for a in answers if roles.is_admin(a)), None)
        if chosen is None:
            others.append(question)
            continue
        pairs.append(
            FaqCandidate(
                id=faq_id(question),
                question=question,
                answer=_LEADING_MENTIONS.sub("", chosen.text).strip(),
                asker=q.author,
                answerer=chosen.author,
                question_id=q.id,
                answer_id=chosen.id,
                confirmed=confirmed is not None,
                by_admin=roles.is_admin(chosen),
            )
        )
    return pairs, others


def _rank(c: FaqCandidate) -> tuple[bool, bool, int]:
    """Best answer: confirmed by the asker, then from an admin, then the fuller one."""
    return (c.confirmed, c.by_admin, min(len(c.answer), 300))


def mine_faq(
    messages: Iterable[ChatMessage],
    *,
    admins: Collection[str],
    bots: Collection[str] = (),
    similarity: Similarity | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    window: timedelta = NEARBY_WINDOW,
) -> list[FaqCandidate]:
    """Question → accepted-answer pairs, near-duplicates merged; most asked first.

    `similarity(a, b)` compares two questions (default: token Jaccard); at or above
    `threshold` they are the same question. `asked_times` counts every asking of a
    merged question, answered or not. A custom `similarity` is called up to
    O(distinct questions × FAQ entries) times, so an embedding-based one should cache
    its vectors.
    """
    pairs, others = _accepted_pairs(normalize(messages), Roles.of(admins, bots), window)
    clusters = _Clusters(similarity, threshold)
    for pair in pairs:
        clusters.add(pair.question, pair)
    for question in others:
        clusters.add(question, None)
    ranked = [
        best.model_copy(update={"asked_times": asked})
        for asked, best in zip(clusters.asked, clusters.best, strict=True)
    ]
    # Stable sort: ties keep the order in which the questions were first asked.
    return sorted(ranked, key=lambda c: -c.asked_times)


class _Clusters:
    """Greedy clustering of questions, fast on thousands of askings.

    Exact repeats (after normalization) are looked up, not compared; each cluster is
    compared through at most `REPS` distinct questions; and the default Jaccard only
    compares clusters sharing a token with the question (Jaccard is 0 otherwise).
    """

    REPS = 8

    def __init__(self, similarity: Similarity | None, threshold: float) -> None:
        self.sim = similarity or jaccard_similarity
        self.pruned = similarity is None
        self.threshold = threshold
        self.reps: list[list[str]] = []
        self.best: list[FaqCandidate] = []
        self.asked: list[int] = []
        self._exact: dict[str, int] = {}
        self._by_token: dict[str, set[int]] = defaultdict(set)

    def _find(self, question: str) -> int | None:
        key = normalize_question(question)
        if key in self._exact:
            return self._exact[key]
        if self.pruned:
            ids: Iterable[int] = sorted(
                set().union(*(self._by_token[t] for t in _token_set(question)))
            )
        else:
            ids = range(len(self.reps))
        for i in ids:
            if any(self.sim(question, q) >= self.threshold for q in self.reps[i]):
                return i
        return None

    def add(self, question: str, pair: FaqCandidate | None) -> None:
        """Count an asking; `pair` (an accepted answer) may start or improve a cluster."""
        i = self._find(question)
        if i is None:
            if pair is None:
                return  # unanswered and unlike any FAQ entry
            i = len(self.reps)
            self.reps.append([])
            self.best.append(pair)
            self.asked.append(0)
        elif pair is not None and _rank(pair) > _rank(self.best[i]):
            self.best[i] = pair
        self.asked[i] += 1
        self._exact[normalize_question(question)] = i
        if len(self.reps[i]) < self.REPS and question not in self.reps[i]:
            self.reps[i].append(question)
            for token in _token_set(question):
                self._by_token[token].add(i)
