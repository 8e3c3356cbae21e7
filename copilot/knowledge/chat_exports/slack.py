"""Slack workspace export: a folder (or its .zip) with users.json, channels.json and
one sub-folder per channel holding a JSON array of messages per day (YYYY-MM-DD.json)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import emoji

from copilot.knowledge.errors import UnreadableFileError
from copilot.knowledge.textio import DEFAULT_MAX_BYTES, read_json
from copilot.models import ChatMessage
from copilot.text import EMOJI_SHORTCODE

Tree = Path | zipfile.Path
DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_INDEX_FILES = ("channels.json", "groups.json", "users.json")
_SLACK_TS = re.compile(r"^\d{9,11}\.\d{1,6}$")
_TOKEN = re.compile(r"<([^<>\n]+)>")
# Subtypes that are still conversation; every other subtype is a notice (join, topic, pin...).
_CONVERSATION = {
    None,
    "bot_message",
    "thread_broadcast",
    "me_message",
    "file_share",
    "file_comment",
}
_DROPPED = {"message_changed", "message_deleted", "message_replied", "tombstone"}
_MEMBERSHIP = {
    "channel_join": "{} has joined the channel",
    "group_join": "{} has joined the channel",
    "channel_leave": "{} has left the channel",
    "group_leave": "{} has left the channel",
}
_INTEGRATION = {"bot_add": "{} installed the integration {}", "bot_remove": "{} uninstalled {}"}


def _children(folder: Tree) -> list[Tree]:
    return list(cast(Iterator[Tree], folder.iterdir()))


def is_slack_export(root: Tree) -> bool:
    """An index file at the top and at least one channel folder of day files."""
    try:
        children = _children(root)
        if not any(c.name in _INDEX_FILES for c in children):
            return False
        return any(
            c.is_dir() and any(DAY_FILE.match(f.name) for f in _children(c)) for c in children
        )
    except OSError:
        return False


def is_slack_day(data: Any) -> bool:
    """One day file given on its own: a list of {"type": "message", "ts": "1700000000.000200"}."""
    if not isinstance(data, list) or not data:
        return False
    sample = [m for m in data[:20] if isinstance(m, dict)]
    hits = sum(
        1 for m in sample if m.get("type") == "message" and _SLACK_TS.match(str(m.get("ts")))
    )
    return hits >= max(1, len(sample) * 0.8)


def parse_slack_export(
    root: Tree,
    *,
    community: str,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warnings: list[str] | None = None,
) -> list[ChatMessage]:
    warnings = warnings if warnings is not None else []
    users = load_users(root, source, max_bytes)
    listed = _listed_channels(root, source, max_bytes)
    folders = [c for c in _children(root) if c.is_dir() and not c.name.startswith((".", "__"))]
    # Direct messages are private conversations, not community history.
    private = [f for f in folders if listed and f.name not in listed]
    folders = [f for f in folders if not listed or f.name in listed]
    if private:
        warnings.append(f"{source}: skipped {len(private)} direct-message folder(s)")
    messages: list[ChatMessage] = []
    for folder in sorted(folders, key=lambda f: f.name):
        for day in sorted(
            (f for f in _children(folder) if DAY_FILE.match(f.name)), key=lambda f: f.name
        ):
            label = f"{source}/{folder.name}/{day.name}"
            data = read_json(day, label, max_bytes)
            if not isinstance(data, list):
                raise UnreadableFileError(label, "expected a JSON list of Slack messages")
            messages += parse_slack_day(
                data, channel=folder.name, users=users, community=community, source=source
            )
    return messages


def load_users(root: Tree, source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, str]:
    path = root / "users.json"
    if not path.is_file():
        return {}
    data = read_json(path, f"{source}/users.json", max_bytes)
    return {u["id"]: _display(u) for u in data if isinstance(u, dict) and u.get("id")}


def _display(user: dict[str, Any]) -> str:
    profile = user.get("profile") or user.get("user_profile") or {}
    for value in (
        profile.get("real_name"),
        user.get("real_name"),
        profile.get("display_name"),
        user.get("name"),
    ):
        if value:
            return str(value)
    return str(user.get("id", "unknown"))


def _listed_channels(root: Tree, source: str, max_bytes: int) -> set[str]:
    names: set[str] = set()
    for index in ("channels.json", "groups.json"):
        path = root / index
        if path.is_file():
            data = read_json(path, f"{source}/{index}", max_bytes)
            names |= {str(c["name"]) for c in data if isinstance(c, dict) and c.get("name")}
    return names


def parse_slack_day(
    data: list[Any], *, channel: str, users: dict[str, str], community: str, source: str
) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    for m in data:
        if not isinstance(m, dict) or m.get("type") != "message":
            continue
        subtype = m.get("subtype")
        ts_text = str(m.get("ts", ""))
        if subtype in _DROPPED or not _SLACK_TS.match(ts_text):
            continue
        comment = m.get("comment") if subtype == "file_comment" else None
        user = (comment or {}).get("user") or m.get("user")
        author = _author(m, users, user)
        text = _text(m, subtype, author, users)
        if not text and m.get("files"):
            text = "[File]"  # a file upload without a comment: a post all the same
        if not text:
            continue
        thread = m.get("thread_ts")
        out.append(
            ChatMessage(
                id=ts_text,
                community=community,
                channel=channel,
                author=author,
                author_id=str(user) if user else m.get("bot_id"),
                ts=slack_time(ts_text),
                text=text,
                thread=thread,
                reply_to=thread if thread and thread != ts_text else None,
                is_service=subtype not in _CONVERSATION,
                # an app's post (GitHub, Weblate, a bot user's): still read, never a member's;
                # installing an app ("bot_add") names its bot_id but is the member's act
                is_bot=subtype == "bot_message" or (subtype is None and bool(m.get("bot_id"))),
                source=source,
            )
        )
    return out


def _text(m: dict[str, Any], subtype: str | None, author: str, users: dict[str, str]) -> str:
    """What the message says. Bots often post only `attachments` (GitHub, Jira, RSS...); a
    file comment's words are in `comment`; membership notices are phrased with the member's
    name, and an app install is not a member joining."""
    if subtype in _MEMBERSHIP:
        return _MEMBERSHIP[subtype].format(author)
    if subtype in _INTEGRATION:
        text = decode_mrkdwn(str(m.get("text") or ""), users, addresses=False)
        app = text.rpartition(":")[2].strip()
        return _INTEGRATION[subtype].format(author, app or "an app").strip()
    if subtype == "file_comment" and isinstance(m.get("comment"), dict):
        return decode_mrkdwn(str(m["comment"].get("comment") or ""), users)
    text = decode_mrkdwn(str(m.get("text") or ""), users)
    return text or "\n\n".join(
        filter(None, (_attachment(a, users) for a in m.get("attachments") or []))
    )


def _attachment(a: Any, users: dict[str, str]) -> str:
    if not isinstance(a, dict):
        return ""
    parts = [str(a[k]) for k in ("pretext", "author_name", "title", "text") if a.get(k)]
    for f in a.get("fields") or []:
        if isinstance(f, dict) and (f.get("title") or f.get("value")):
            parts.append(f"{f.get('title', '')}: {f.get('value', '')}".strip(": "))
    if not parts and a.get("fallback"):
        parts = [str(a["fallback"])]
    return "\n".join(decode_mrkdwn(p, users) for p in parts if p).strip()


def _author(m: dict[str, Any], users: dict[str, str], user: Any = None) -> str:
    user = user or m.get("user")
    if user in users:
        return users[user]
    profile = m.get("user_profile") or {}
    bot = m.get("bot_profile") or {}
    for value in (
        profile.get("real_name"),
        profile.get("display_name"),
        m.get("username"),
        bot.get("name"),
        user,
    ):
        if value:
            return str(value)
    return "unknown"


def slack_time(ts: str) -> datetime:
    """ "1700000000.000200" → exact microseconds (a float would round them)."""
    seconds, _, fraction = ts.partition(".")
    micros = int(fraction.ljust(6, "0")[:6]) if fraction else 0
    return datetime.fromtimestamp(int(seconds), UTC) + timedelta(microseconds=micros)


def decode_mrkdwn(text: str, users: dict[str, str], *, addresses: bool = True) -> str:
    """<@U1> → @name, <#C1|general> → #general, <https://x|label> → label (https://x) (just
    label without `addresses`), <!here> → @here."""

    def replace(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "@" + (label or users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!subteam^"):
            return label or "@team"
        if target.startswith("!date^"):
            return label
        if target.startswith("!"):
            return "@" + target[1:]
        address = target.removeprefix("mailto:")
        # A labelled link keeps its address, as Telegram's text_link does: the operator (and
        # spam detection) must see where "立即領取" points, unless the label already shows it.
        if addresses and label and label not in (address, re.sub(r"^[a-z]+://", "", address)):
            return f"{label} ({address})"
        return label or address

    text = _emoji(_TOKEN.sub(replace, text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def _emoji(text: str) -> str:
    """Emoji shortcodes as the emoji Slack shows (without its skin tone); one it does not know
    stays as written."""

    def shown(match: re.Match[str]) -> str:
        code = f":{match.group(1)}:"
        drawn = emoji.emojize(code, language="alias")
        return match.group(0) if drawn == code else drawn

    return EMOJI_SHORTCODE.sub(shown, text)


@contextmanager
def open_slack_zip(path: Path, label: str) -> Iterator[Tree | None]:
    """The export's root inside a .zip (as Slack hands it out), or None if it is not one."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UnreadableFileError(label, "not a valid .zip archive") from None
    with archive:
        root: Tree = zipfile.Path(archive)
        entries = _children(root)
        if len(entries) == 1 and entries[0].is_dir():  # the folder was zipped, not its content
            root = entries[0]
        yield root if is_slack_export(root) else None
