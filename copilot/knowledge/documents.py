"""What loading one file (or one Slack export folder) produces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from copilot.models import ChatMessage


class Document(BaseModel):
    """A text document; headings are kept as Markdown '#' lines for the chunker."""

    source: str
    title: str
    text: str


class LoadedFile(BaseModel):
    """The content of one ingest unit: documents (playbooks) or messages (chat), never both."""

    source: str = Field(description="The path as given (or the name the caller chose).")
    format: str = Field(
        description="markdown, text, html, pdf, json, jsonl, csv, or a chat format: "
        "telegram, slack, discord, wechat, generic-chat."
    )
    documents: list[Document] = Field(default_factory=list)
    messages: list[ChatMessage] = Field(default_factory=list)
    warnings: list[str] = Field(
        default_factory=list, description="Skipped lines or chats, worth showing to the user."
    )

    @property
    def kind(self) -> Literal["playbook", "chat"]:
        return "chat" if self.messages else "playbook"
