"""A community built from a chat export and one playbook, as the event-draft tests need it."""

from __future__ import annotations

import json
from pathlib import Path

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.profile import CommunityProfile, save_profile
from copilot.service import Copilot


def chat_and_playbook_club(
    root: Path,
    embedder: Embedder,
    chat: list[tuple[str, str, str]],
    playbook: tuple[str, str],
    profile: CommunityProfile,
) -> Copilot:
    """Community 'club': `chat` as (ts, author, text) rows of a JSONL export, `playbook` as
    (file name, text), and `profile` saved. The caller closes it."""
    export = root / "chat.jsonl"
    export.write_text(
        "\n".join(
            json.dumps({"ts": ts, "author": a, "text": t, "id": f"m{i}"}, ensure_ascii=False)
            for i, (ts, a, t) in enumerate(chat)
        ),
        encoding="utf-8",
    )
    name, text = playbook
    (root / name).write_text(text, encoding="utf-8")
    settings = Settings(data_dir=root / "data", llm_provider="offline", _env_file=None)  # type: ignore[call-arg]
    club = Copilot(settings, embedder=embedder, llm=None)
    club.ingest_paths("club", [export], kind="chat")
    club.ingest_paths("club", [root / name], kind="playbook")
    save_profile(club.db, "club", profile)
    return club
