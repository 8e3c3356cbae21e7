"""The offline draft engine: facts picked from retrieved passages, written into a real post.

Facts are whole sentences of the best passages (so every claim in the post is cited), cleaned
of Markdown and chat prefixes; the date/time and place are lifted out of them (or the topic)
into their own lines; the post is then laid out for the channel and fitted to its length.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import numpy as np

from copilot.embeddings import Embedder
from copilot.knowledge.structure import list_marker
from copilot.profile import CommunityProfile
from copilot.retrieval.hybrid import RetrievedChunk
from copilot.skills.draft import templates as T
from copilot.skills.draft.channels import ChannelRule, banned_words_in
from copilot.skills.draft.notices import slots_of
from copilot.skills.draft.slots import WHEN, extract_slot
from copilot.skills.draft.subject import post_subject
from copilot.skills.language import localize
from copilot.text import (
    detect_language,
    fold_chinese,
    is_question,
    looks_like_injection,
    split_sentences,
    tokenize,
)

FACTS_PER_KIND = {
    "announcement": 3,
    "welcome": 4,
    "activity_promotion": 3,
    "weekly_digest": 4,
    "knowledge_share": 4,
    "rules_reminder": 4,
    "reminder": 3,
}
CHAT_FACT_CHARS = 120  # a chat message this short is one fact, however many sentences
CHAT_LINE = re.compile(r"^\[\d\d-\d\d \d\d:\d\d\] ([^:：]{1,40}): ")
_LIST_MARK = re.compile(r"^\s*(?:[-*•>]|\d+[.)、])\s+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
# A reply's address and its yes: "@Priya Correct, ", "@小雨 是的，"
_ADDRESSED = re.compile(
    r"^(?:\s*[@＠][^\s@＠,，:：。!！?？]+)+[\s,，:：]*"
    r"(?:(?:correct|yes|yep|yeah|right|exactly|sure|是的|对的?|没错|嗯)[,，.。!！]\s*)?",
    re.IGNORECASE,
)
INTRO = re.compile(r"下面(?:以|是|给出)|以下(?:是|为)|如下|as follows|the following|below:")
PAIRS = (("「", "」"), ("“", "”"), ("《", "》"), ("（", "）"), ("(", ")"), ("【", "】"))
DETAIL_KINDS = ("announcement", "activity_promotion", "reminder")
FLOOR = 0.5  # facts scoring this far below the best one are left out


@dataclass(frozen=True)
class Fact:
    text: str
    chunk: int  # index into the retrieved chunks
    position: int
    author: str = ""
    asked: bool = False  # the request named it: trimmed last


@dataclass
class Post:
    """What goes into a post, before layout; `fit` trims it until the channel allows it."""

    kind: str
    language: str  # output language (zh, zh-hant, en)
    tone: str
    topic: str
    profile: CommunityProfile
    rule: ChannelRule
    facts: list[Fact]
    when: str = ""
    where: str = ""
    drop: set[str] = field(default_factory=set)
    shorten: int = 0  # max characters per fact when > 0
    notice: bool = False  # the facts are an event notice's lines: shown as they are, in order


def select_facts(
    topic: str,
    chunks: list[RetrievedChunk],
    embedder: Embedder,
    language: str,
    kind: str,
    profile: CommunityProfile,
    limit: int,
) -> list[Fact]:
    """The sentences of the top passages that best serve the topic, in reading order."""
    lang = T.template_language(language)
    # What the topic is about, without its date and time ('Saturday' is not a subject).
    subject = set(tokenize(WHEN[1].sub(" ", WHEN[0].sub(" ", topic))))
    candidates: list[Fact] = []
    for ci, chunk in enumerate(chunks[:4]):
        heading = set(tokenize(chunk.heading))
        for pos, (author, raw) in enumerate(_sentences(chunk.text)):
            fact = _clean(raw, ci, pos, author)
            # Outside a digest, chat only counts as a fact when an admin said it, and a fact
            # must share a word with the topic (itself or under its heading).
            if (
                fact
                and kind != "weekly_digest"
                and (
                    (chunk.kind == "chat" and not _is_admin(fact.author, profile))
                    or (subject and not subject & (heading | set(tokenize(fact.text))))
                )
            ):
                continue
            if fact and _usable(fact.text, lang, profile):
                candidates.append(fact)
    same = [f for f in candidates if T.template_language(detect_language(f.text)) == lang]
    candidates = same or candidates
    if not candidates:
        return []
    wanted = set(tokenize(topic))
    vectors = embedder.embed([fold_chinese(topic)] + [fold_chinese(f.text) for f in candidates])
    scores = []
    for fact, cos in zip(candidates, vectors[1:] @ vectors[0], strict=True):
        overlap = len(wanted & set(tokenize(fact.text))) / len(wanted) if wanted else 0.0
        chunk = chunks[fact.chunk]
        prefer = 0.1 if (chunk.kind == "chat") == (kind == "weekly_digest") else 0.0
        # The passage's own relevance counts too: an FAQ answer's sentences need not repeat
        # the question's words; its first sentences usually carry the answer.
        context = 0.6 * chunk.similarity + 0.08 * (3 - fact.chunk) - 0.03 * min(fact.position, 5)
        dated = 0.15 if kind in DETAIL_KINDS and extract_slot(WHEN, [fact.text]) else 0.0
        scores.append(float(cos) + 0.4 * overlap + context + prefer + dated)
    order = np.argsort(-np.asarray(scores), kind="stable")
    best = scores[order[0]]
    chosen: list[Fact] = []
    for i in order:
        fact = candidates[i]
        if scores[i] < best - FLOOR or len(chosen) == limit:
            break
        if all(_jaccard(fact.text, c.text) < 0.6 for c in chosen):
            chosen.append(fact)
    return sorted(chosen, key=lambda f: (f.chunk, f.position))


def render(post: Post, variant: int) -> tuple[str, list[str]]:
    """The post text and the facts as they read in it, for one variant (lead + layout)."""
    lang = T.template_language(post.language)
    rule, markup = post.rule, post.rule.markup
    name = post.profile.name
    slots = {
        "topic": _esc(post.topic, markup),
        "name": _esc(name, markup) or ("我们的社群" if lang == "zh" else "our community"),
    }
    leads = T.LEADS[lang][post.kind]
    # "Friendly reminder: Glossary Swap Night", not "Friendly reminder: Reminder: Glossary…"
    bare = _KIND_LABEL.sub("", slots["topic"]) or slots["topic"]
    lead = T.fill(leads[variant % len(leads)], **{**slots, "topic": bare})
    facts = [_shorten(f.text, post.shorten) for f in post.facts]
    named = post.kind == "weekly_digest"  # a digest says who said what; a notice does not
    facts = [
        (f"{f.author}：{t}" if lang == "zh" else f"{f.author}: {t}") if f.author and named else t
        for f, t in zip(post.facts, facts, strict=True)
    ]
    facts = [_esc(t, markup) for t in facts]
    emoji = post.tone not in ("formal", "concise")
    blocks: dict[str, str] = {
        "title": _title(_title_text(post, lang, slots), markup),
        "greeting": T.fill(T.GREETINGS[lang][post.tone], **slots),
        "lead": lead,
        "details": _details(post, lang, emoji) if post.kind in DETAIL_KINDS else "",
        "facts": "\n".join(_bullet(markup, i, t) for i, t in enumerate(facts, 1)),
        "paragraph": ("" if lang == "zh" else " ").join(_sentence(t, lang) for t in facts),
    }
    if not facts and not blocks["details"]:
        blocks["lead"] = _promising_nothing(lead)
    if post.notice:  # the community's own notice lines carry the details: no bullets
        lines = [blocks["details"], *facts] if blocks["details"] else facts
        blocks.update(details="\n".join(lines), facts="", paragraph="")
    blocks |= {
        "cta": _esc(_own_language(post.profile.call_to_action, lang), markup)
        or T.CTAS[lang]["called_off" if _called_off(post) else post.kind],
        "hashtags": " ".join(f"#{t}" for t in _hashtags(post)),
        "signoff": _signoff(lang, slots) if name and post.tone != "concise" else "",
    }
    if rule.id == "moments":
        layout = ["lead", "paragraph", "details", "cta", "hashtags"]
    else:
        layout = LAYOUTS[variant % len(LAYOUTS)]
    if post.tone == "concise":
        blocks["greeting"] = ""
    parts = [blocks[b] for b in layout if b not in post.drop and blocks[b]]
    joiner = "\n" if rule.id == "moments" else "\n\n"
    text = joiner.join(parts)
    keep = (post.profile.name, *post.profile.admins)
    return localize(text, post.language, keep), [localize(t, post.language, keep) for t in facts]


_LAST_END = re.compile(r"^(.*[。！!？?.])\s*[^。！!？?.]*[：:]$")


def _promising_nothing(lead: str) -> str:
    """A lead that announces a list ("…进群先了解这几件事：") when no fact follows it: its
    sentences before the announcement ("欢迎新朋友加入山野徒步社！"), or it ends as a sentence."""
    if not lead.endswith(("：", ":")):
        return lead
    if (before := _LAST_END.match(lead)) is not None:
        return before.group(1)
    return lead[:-1] + ("。" if lead.endswith("：") else ".")


LAYOUTS = (
    ["title", "greeting", "lead", "details", "facts", "cta", "hashtags", "signoff"],
    ["greeting", "lead", "facts", "details", "cta", "hashtags"],
    ["title", "lead", "paragraph", "details", "cta", "hashtags", "signoff"],
)


def fit(post: Post, variant: int) -> tuple[str, list[str], Post]:
    """Render, then trim (facts, sign-off, greeting, fact length) until the channel allows it."""
    current = post
    while True:
        text, facts = render(current, variant)
        size_ok = len(text) <= current.rule.max_chars and (
            not current.rule.max_bytes or len(text.encode()) <= current.rule.max_bytes
        )
        if size_ok:
            return text, facts, current
        if len(current.facts) > 1:
            current = _replace(current, facts=_without_one(current))
        elif "signoff" not in current.drop:
            current = _replace(current, drop=current.drop | {"signoff", "title"})
        elif "greeting" not in current.drop:
            current = _replace(current, drop=current.drop | {"greeting"})
        elif current.facts and (current.shorten == 0 or current.shorten > 20):
            longest = max(len(f.text) for f in current.facts)
            current = _replace(current, shorten=max(20, (current.shorten or longest) - 20))
        else:
            return text[: current.rule.max_chars - 1] + "…", facts, current


def _without_one(post: Post) -> list[Fact]:
    """The facts minus one: the last, or for a notice its last line with the fewest details
    (the deadline line is often last and must stay)."""
    if not post.notice or post.kind == "weekly_digest":  # a digest is ranked: drop the last
        unasked = [i for i, f in enumerate(post.facts) if not f.asked]
        last = unasked[-1] if unasked else len(post.facts) - 1
        return post.facts[:last] + post.facts[last + 1 :]
    fewest = min(range(len(post.facts)), key=lambda i: (len(slots_of(post.facts[i].text)), -i))
    return post.facts[:fewest] + post.facts[fewest + 1 :]


# "No reformer classes while Mandy is away", "停课通知": nothing to sign up for
_CALLED_OFF = re.compile(
    r"^\s*no\b|\b(?:cancel(?:l?ed|s)?|called off|closed|postponed|no .{0,30}\bclasses)\b"
    r"|停课|停課|暂停|暫停|取消|不上课|不上課|休息一周|闭馆|閉館|放假",
    re.IGNORECASE,
)


def _called_off(post: Post) -> bool:
    return post.kind == "reminder" and bool(_CALLED_OFF.search(post_subject(post.topic)))


def _own_language(text: str, lang: str) -> str:
    """The profile's text when it is in the post's language (an English post does not end
    with the Chinese call to action), else nothing."""
    same = bool(text) and T.template_language(detect_language(text)) == lang
    return text if same else ""


def _replace(post: Post, **changes: object) -> Post:
    return Post(**{**post.__dict__, **changes})


def _sentences(text: str) -> list[tuple[str, str]]:
    """(author, sentence) of a passage. A short chat message is one fact ("No reformer classes
    from 31 March to 5 April. Back on Tuesday 7 April."); a long one's sentences are all its
    author's."""
    out: list[tuple[str, str]] = []
    for line in text.splitlines():
        author = ""
        if match := CHAT_LINE.match(line.strip()):
            author, line = match.group(1).strip(), line.strip()[match.end() :]
            line = _ADDRESSED.sub("", line)  # "@Priya Correct, …": said to one member
            if len(line) <= CHAT_FACT_CHARS:
                out.append((author, line))
                continue
        out += [(author, sentence) for sentence in split_sentences(line)]
    return out


def _clean(raw: str, chunk: int, position: int, author: str = "") -> Fact | None:
    text = raw.strip()
    if re.match(r"#{1,6} ", text):  # a Markdown heading line, not a fact
        return None
    text = _LIST_MARK.sub("", _MD_LINK.sub(r"\1", text))
    text = text.replace("**", "").replace("__", "").replace("`", "").strip()
    if text.endswith((":", "：")) or INTRO.search(text):  # points at a list, says nothing itself
        return None
    text = text.rstrip("；;，,")
    text = text[:1].upper() + text[1:]  # English pieces split at ';' start lower-case
    return Fact(text, chunk, position, author) if text else None


def _usable(text: str, lang: str, profile: CommunityProfile) -> bool:
    lo, hi = (6, 120) if lang == "zh" else (25, 260)
    return (
        lo <= len(text) <= hi
        and all(text.count(a) == text.count(b) for a, b in PAIRS)  # not cut mid-quote
        and not is_question(text)
        and not looks_like_injection(text)
        and not banned_words_in(text, profile)
    )


def _is_admin(author: str, profile: CommunityProfile) -> bool:
    folded = fold_chinese(author)
    return bool(folded) and any(fold_chinese(a) == folded for a in profile.admins)


def _jaccard(a: str, b: str) -> float:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return len(ta & tb) / len(ta | tb) if ta | tb else 1.0


def _esc(text: str, markup: str) -> str:
    return html.escape(text, quote=False) if markup in ("html", "mrkdwn") else text


def _title(title: str, markup: str) -> str:
    return {
        "plain": f"【{title}】",
        "mrkdwn": f"*{title}*",
        "markdown": f"**{title}**",
        "html": f"<b>{title}</b>",
    }[markup]


_KIND_LABEL = re.compile(
    r"^\s*(?:reminder|announcement|heads[- ]up|提醒|公告|通知|活动)\s*[:：｜|]\s*", re.IGNORECASE
)


def _title_text(post: Post, lang: str, slots: dict[str, str]) -> str:
    """The kind's title, or the topic alone when it already says what kind of post it is
    ("Weekly recap: 16–22 November", not "Weekly digest: Weekly recap: …")."""
    says = T.TITLE_SAYS.get(post.kind)
    if says is not None and says.search(post.topic) and post.kind != "welcome":
        return slots["topic"]
    return T.fill(T.TITLES[lang][post.kind], **slots)


def _signoff(lang: str, slots: dict[str, str]) -> str:
    """ "— The Loom Guild team", never "— The The Loom Guild team"."""
    signoff = T.fill(T.SIGNOFFS[lang], **slots)
    return re.sub(r"\bThe (the )", r"\1", signoff, count=1, flags=re.IGNORECASE)


def _bullet(markup: str, i: int, text: str) -> str:
    """A fact as a list line; its own list mark goes ("1、不得…" would read "2. 1、不得…")."""
    marked = list_marker(text)
    if marked is not None and marked[0] not in ("chapter",):
        text = marked[1]
    return {"plain": f"{i}. ", "markdown": "- "}.get(markup, "• ") + text


def _sentence(text: str, lang: str) -> str:
    end = "。" if lang == "zh" else "."
    return text if text[-1:] in "。！？!?.…）)" else text + end


def _shorten(text: str, limit: int) -> str:
    return text if not limit or len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _details(post: Post, lang: str, emoji: bool) -> str:
    labels = T.DETAIL_LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    lines = []
    for value, label, icon in zip((post.when, post.where), labels, T.DETAIL_EMOJI, strict=True):
        if value:
            lines.append(
                f"{icon + ' ' if emoji else ''}{label}{sep}{_esc(value, post.rule.markup)}"
            )
    return "\n".join(lines)


def _hashtags(post: Post) -> list[str]:
    if not post.rule.hashtags:
        return []
    tags = list(post.profile.required_hashtags)
    if len(tags) < post.rule.min_hashtags:
        extra = re.sub(r"[\s\W]+", "", post.profile.name) or next(
            (t for t in tokenize(post.topic) if len(t) >= 2), ""
        )
        if extra and extra not in tags:
            tags.append(extra)
    return tags[: post.rule.max_hashtags]
