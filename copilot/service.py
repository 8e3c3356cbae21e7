"""The Copilot facade: wires settings to store, index, embedder and LLM.

CLI, HTTP API, connectors and evals all go through this one object; the skills behind it stay
pure functions of their inputs and ports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from copilot.config import Settings
from copilot.embeddings import Embedder
from copilot.embeddings.factory import build_embedder
from copilot.errors import InputError, check_community, check_question
from copilot.knowledge.chunking import chat_pieces, split_markdown
from copilot.knowledge.documents import LoadedFile
from copilot.knowledge.indexer import Indexer, IndexResult, Progress, no_progress
from copilot.llm import ChatLLM
from copilot.llm.factory import build_llm
from copilot.models import ChatMessage, date_in_calendar, in_calendar
from copilot.retrieval.hybrid import HybridRetriever
from copilot.retrieval.lexicon import keep_lexicon_cache_in
from copilot.retrieval.results import Retrieval
from copilot.retrieval.snapshot_store import SnapshotVectorStore
from copilot.retrieval.snapshots import VectorSnapshots
from copilot.retrieval.vector_store import VectorStore
from copilot.skills.answer import AnswerPorts, answer_question
from copilot.skills.results import AnswerResult
from copilot.store.db import Database
from copilot.store.messages import load_messages
from copilot.store.writer_lock import WriterLock
from copilot.text import keep_jieba_cache_in

if TYPE_CHECKING:
    from datetime import date
    from typing import Any

    from copilot.analytics.report import HealthReport
    from copilot.knowledge.chat_exports import ExportOptions
    from copilot.models import ChatMessage
    from copilot.profile import CommunityProfile
    from copilot.skills.faq import FaqEntry
    from copilot.skills.questions import (
        FeedbackOutcome,
        Origin,
        QuestionItem,
        Rating,
        Status,
    )
    from copilot.skills.results import DraftResult, SuggestResult, SummaryResult

_AUTO = object()


class FileOutcome(BaseModel):
    source: str
    outcome: str  # added | updated | unchanged | skipped
    chunks: int = 0
    messages: int = 0
    error: str = ""
    warnings: list[str] = Field(default_factory=list)


class IngestReport(BaseModel):
    community: str
    files: list[FileOutcome] = Field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.outcome == "skipped"]


class Copilot:
    """One community copilot instance over one data dir. Heavy parts load on first use."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        llm: object = _AUTO,
        embedder: Embedder | None = None,
        vectors: VectorStore | None = None,
    ) -> None:
        """Ports not given are built from the settings on first use: the LLM (None: offline
        mode), the embedder and the vector store (Chroma, embedded or COPILOT_CHROMA_URL)."""
        self.settings = settings or Settings()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        keep_jieba_cache_in(self.settings.cache_path)
        keep_lexicon_cache_in(self.settings.cache_path)
        self.db = Database(self.settings.sqlite_url)
        self._llm = llm
        self._embedder = embedder
        self._vectors = vectors

    @cached_property
    def embedder(self) -> Embedder:
        return self._embedder or build_embedder(self.settings)

    @cached_property
    def llm(self) -> ChatLLM | None:
        return build_llm(self.settings) if self._llm is _AUTO else self._llm  # type: ignore[return-value,unused-ignore]

    @cached_property
    def vectors(self) -> VectorStore:
        """Chroma, embedded in the data dir (behind snapshot files of its small communities,
        so a cold process searches them without opening it) or a server's."""
        if self._vectors is not None:
            return self._vectors
        if self.settings.chroma_url:
            return self._chroma()
        snapshots = VectorSnapshots(self.settings.snapshot_path)
        return SnapshotVectorStore(self._chroma, snapshots, self.db, self.embedder.name)

    def _chroma(self) -> VectorStore:
        from copilot.retrieval.chroma import ChromaVectorStore, connect

        # An embedded client is reopened to see other processes' writes; a server serves them.
        reconnect = None if self.settings.chroma_url else lambda: connect(self.settings)
        return ChromaVectorStore(connect(self.settings), self.embedder.name, reconnect)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.settings, self.db, self.embedder, self.vectors)

    @cached_property
    def indexer(self) -> Indexer:
        return Indexer(
            self.db,
            self.embedder,
            self.vectors,
            on_change=self._index_written,
            writer=self.writer_lock.hold,
        )

    def _index_written(self, community: str, written: int) -> None:
        """After each index write, under the writer lock: the retriever knows its vectors are
        current, and a small community's snapshot is saved at the new generation."""
        self.retriever.wrote(community, written)
        if isinstance(self.vectors, SnapshotVectorStore):
            self.vectors.publish(community, written)

    @cached_property
    def writer_lock(self) -> WriterLock:
        """Set ``writer_lock.on_wait`` to tell a person when another writer is ahead."""
        path = self.settings.data_dir / ".writer.lock"
        return WriterLock(path, self.settings.writer_lock_timeout_s)

    # ---- knowledge -------------------------------------------------------------------------

    def ingest_paths(
        self,
        community: str,
        paths: list[Path],
        kind: str | None = None,
        progress: Callable[[str], None] | None = None,
        options: ExportOptions | None = None,
    ) -> IngestReport:
        """Ingest files and folders. Bad files are reported by name and skipped. `options`
        gives what exports cannot say themselves (time zone of local times, a missing year)."""
        from copilot.knowledge.loaders import ExportOptions, IngestError, discover, load_unit

        check_community(community)
        report = IngestReport(community=community)
        units = discover(paths)
        for unit in units:
            label = str(unit)
            try:
                loaded = load_unit(
                    unit,
                    community=community,
                    kind=kind,  # type: ignore[arg-type]
                    max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
                    options=options or ExportOptions(),
                )
                outcome = self.index_loaded(community, loaded)
                report.files.append(outcome.model_copy(update={"warnings": loaded.warnings}))
            except IngestError as exc:
                report.files.append(FileOutcome(source=label, outcome="skipped", error=str(exc)))
            if progress:
                progress(label)
        return report

    def ingest_messages(
        self, community: str, messages: list[ChatMessage], source: str = "inline"
    ) -> IngestReport:
        """Store and index chat messages that did not come from a file (connectors, evals)."""
        check_community(community)
        result, stored = self._index_messages(community, source, messages)
        return IngestReport(
            community=community,
            files=[
                FileOutcome(
                    source=source, outcome=result.outcome, chunks=result.chunks, messages=stored
                )
            ],
        )

    def ingest_file(
        self,
        community: str,
        path: Path,
        *,
        source: str,
        kind: str | None = None,
        options: ExportOptions | None = None,
    ) -> FileOutcome:
        """Ingest one file under a name of the caller's choosing (an upload's file name, not
        its temporary path). Raises IngestError, so callers can tell bad format from bad size."""
        loaded = self.load_file(community, path, source=source, kind=kind, options=options)
        return self.index_loaded(community, loaded)

    def load_file(
        self,
        community: str,
        path: Path,
        *,
        source: str,
        kind: str | None = None,
        options: ExportOptions | None = None,
    ) -> LoadedFile:
        """Read and parse a file without indexing it: every problem with the file shows here
        (IngestError), so an upload job can refuse a bad file before it is accepted."""
        from copilot.knowledge.loaders import ExportOptions, load_file

        check_community(community)
        return load_file(
            path,
            community=community,
            kind=kind,  # type: ignore[arg-type]
            max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
            source=source,
            options=options or ExportOptions(),
        )

    def index_loaded(
        self, community: str, loaded: LoadedFile, progress: Progress | None = None
    ) -> FileOutcome:
        """Chunk, embed and store what ``load_file`` read; ``progress(embedded, to_embed)``
        follows the embedding (upload jobs report it)."""
        report = progress or no_progress
        if loaded.messages:
            result, stored = self._index_messages(community, loaded.source, loaded.messages, report)
            return FileOutcome(
                source=loaded.source, outcome=result.outcome, chunks=result.chunks, messages=stored
            )
        pieces = [
            piece
            for doc in loaded.documents
            for piece in split_markdown(
                doc.text, max_tokens=self.settings.chunk_tokens, title=doc.title
            )
        ]
        result = self.indexer.index(community, loaded.source, "playbook", pieces, progress=report)
        return FileOutcome(source=loaded.source, outcome=result.outcome, chunks=result.chunks)

    def _index_messages(
        self,
        community: str,
        source: str,
        messages: list[ChatMessage],
        progress: Progress | None = None,
    ) -> tuple[IndexResult, int]:
        from copilot.knowledge.redact import redact_message

        if self.settings.redact_chat:
            messages = [redact_message(m) for m in messages]
        messages = [
            m.model_copy(update={"community": community, "source": source}) for m in messages
        ]
        stored = self.indexer.store_messages(messages)
        from copilot.profile import load_profile

        admins = load_profile(self.db, community).admins
        pieces = chat_pieces(messages, max_tokens=self.settings.chunk_tokens, admins=admins)
        result = self.indexer.index(
            community,
            source,
            "chat",
            pieces,
            message_count=len(messages),
            progress=progress or no_progress,
        )
        from copilot.skills.questions.from_chat import queue_unanswered

        queue_unanswered(self.db, self.embedder, community, messages, admins)
        return result, stored

    def reindex(self, community: str, progress: Progress | None = None) -> int:
        """Rebuild the community's vectors with the current embedder (after COPILOT_EMBEDDER
        changed) from the stored chunks; returns how many chunks were embedded."""
        check_community(community)
        return self.indexer.reembed(community, progress or no_progress)

    # ---- skills ----------------------------------------------------------------------------

    def ask(
        self,
        community: str,
        question: str,
        *,
        prompt: str | None = None,
        top_k: int | None = None,
        origin: Origin | None = None,
        queue_handoff: bool = True,
    ) -> AnswerResult:
        """An operator's answer to this question (in any wording) first, else one from the
        knowledge; a handoff queues the question for the operators (``origin``: where it was
        asked; ``queue_handoff=False`` for a handoff nobody is told about). Every answer gets
        an ``answer_id`` that feedback refers to."""
        from copilot.skills.questions import Origin, log_answer, operator_answer, record

        check_community(community)
        question = check_question(question, self.settings.max_question_chars)
        self.vectors.check(community)
        origin = origin or Origin()
        known = operator_answer(self.db, self.embedder, community, question)
        if known is not None:
            result, question_id = known
        else:
            ports = AnswerPorts(self.settings, self.retriever, self.llm)
            result = answer_question(ports, community, question, prompt=prompt, top_k=top_k)
            question_id = None
        if result.handoff and queue_handoff:
            question_id = record(self.db, self.embedder, community, question, origin)
        answer_id = log_answer(self.db, community, question, result, origin, question_id)
        return result.model_copy(update={"answer_id": answer_id})

    def search(self, community: str, question: str, *, top_k: int | None = None) -> Retrieval:
        """Hit test: the passages an ask would retrieve, their scores and the confidence."""
        check_community(community)
        question = check_question(question, self.settings.max_question_chars)
        self.vectors.check(community)
        return self.retriever.search(community, question, top_k=top_k)

    def summarize(
        self,
        community: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        channel: str | None = None,
        language: str | None = None,
        prompt: str | None = None,
    ) -> SummaryResult:
        """Structured summary of the stored chat in a window (empty window: a clear notice)."""
        from copilot.skills.summarize import SummarizePorts, summarize_messages

        check_community(community)
        since, until = _in_calendar(since, "since"), _in_calendar(until, "until")
        if since and until and since >= until:
            raise InputError("--since must be earlier than --until")
        from copilot.profile import load_profile

        profile = load_profile(self.db, community)
        messages = load_messages(self.db, community, since=since, until=until, channel=channel)
        if not language and (not messages or profile.language == "zh-hant"):
            # nothing to detect a language from, or a traditional-script community: its
            # summary keeps its script (a Chinese chat is detected as "zh" either way)
            language = profile.language if not messages or _chinese(messages) else None
        return summarize_messages(
            SummarizePorts(self.llm),
            messages,
            language=language,
            prompt=prompt,
            admins=profile.admins,
            tz=profile.timezone,
        )

    def stats(
        self, community: str, *, now: datetime | None = None, since: datetime | None = None
    ) -> HealthReport:
        """Community health from the stored chat history (exact, deterministic numbers): the
        whole history up to `now` (default: the newest message), or from `since`."""
        from copilot.analytics.health import MAX_PERIOD_DAYS, compute_health
        from copilot.profile import load_profile

        check_community(community)
        profile = load_profile(self.db, community)
        return compute_health(
            load_messages(self.db, community),
            now=_in_calendar(now, "now"),
            since=_in_calendar(since, "since"),
            admins=set(profile.admins),
            tz=profile.timezone,
            window_days=MAX_PERIOD_DAYS,  # without `since`: the whole history (up to 3 years)
        )

    def faq_refresh(self, community: str) -> int:
        """Mine FAQ candidates from the chat history; returns how many are new."""
        from copilot.profile import load_profile
        from copilot.skills.faq import refresh_candidates

        check_community(community)
        admins = load_profile(self.db, community).admins
        return refresh_candidates(self.db, community, load_messages(self.db, community), admins)

    def faq_decide(
        self,
        community: str,
        faq_id: str,
        status: str,
        *,
        question: str | None = None,
        answer: str | None = None,
    ) -> FaqEntry:
        from copilot.skills.faq import decide

        check_community(community)
        return decide(
            self.db,
            self.indexer,
            community,
            faq_id,
            status,  # type: ignore[arg-type]
            question=question,
            answer=answer,
            chunk_tokens=self.settings.chunk_tokens,
        )

    # ---- the learning loop -----------------------------------------------------------------

    def questions(
        self, community: str, status: Status | None = None, limit: int = 500
    ) -> list[QuestionItem]:
        """The question queue, most asked and most recent first."""
        from copilot.skills.questions import list_items

        check_community(community)
        return list_items(self.db, community, status, limit)

    def question_item(self, community: str, question_id: str) -> QuestionItem:
        """One queue item; an open one with the draft the knowledge suggests for it, so the
        operator edits a cited answer instead of writing from nothing."""
        from copilot.skills.answer import suggest_reply
        from copilot.skills.questions import get_item

        check_community(community)
        item = get_item(self.db, community, question_id)
        if item.status != "open" or item.answer:  # reopened by a 👎: its answer is the draft
            return item
        draft = suggest_reply(self.retriever, community, item.question)
        return item.model_copy(update={"suggested": draft})

    def answer_question_item(
        self, community: str, question_id: str, text: str, *, by: str = "operator"
    ) -> QuestionItem:
        """Answer a queue item: the answer becomes approved knowledge the next asker gets."""
        from copilot.skills.questions import answer_item

        check_community(community)
        return answer_item(
            self.db,
            self.indexer,
            community,
            question_id,
            text,
            by=by,
            chunk_tokens=self.settings.chunk_tokens,
        )

    def dismiss_question_item(self, community: str, question_id: str) -> QuestionItem:
        from copilot.skills.questions import dismiss_item

        check_community(community)
        return dismiss_item(
            self.db, self.indexer, community, question_id, chunk_tokens=self.settings.chunk_tokens
        )

    def merge_question_items(self, community: str, question_id: str, into: str) -> QuestionItem:
        from copilot.skills.questions import merge

        check_community(community)
        return merge(self.db, community, question_id, into)

    def feedback(
        self,
        community: str,
        answer_id: str,
        rating: Rating,
        *,
        comment: str = "",
        correction: str | None = None,
        by: str = "",
        origin: Origin | None = None,
    ) -> FeedbackOutcome:
        """Rate an answer; a thumbs-down reopens its question, a correction answers it."""
        from copilot.skills.questions import rate

        check_community(community)
        return rate(
            self.db,
            self.embedder,
            self.indexer,
            community,
            answer_id,
            rating,
            comment=comment,
            correction=correction,
            by=by,
            origin=origin,
            chunk_tokens=self.settings.chunk_tokens,
        )

    def draft(
        self,
        community: str,
        *,
        kind: str,
        topic: str,
        channel: str = "wechat_group",
        tone: str | None = None,
        language: str | None = None,
        variants: int = 1,
        prompt: str | None = None,
    ) -> DraftResult:
        """A post drafted from the community's knowledge, cited and checked against the rules."""
        from copilot.profile import load_profile
        from copilot.skills.draft import DraftPorts, make_request, write_draft

        profile = load_profile(self.db, community)
        request = make_request(
            profile,
            kind=kind,
            topic=topic,
            channel=channel,
            tone=tone,
            language=language,
            variants=variants,
        )
        self.vectors.check(community)
        ports = DraftPorts(self.settings, self.retriever, self.embedder, self.llm)
        messages = load_messages(self.db, community)
        return write_draft(ports, community, profile, request, messages=messages, prompt=prompt)

    def suggest(
        self,
        community: str,
        *,
        today: date | None = None,
        prompt: str | None = None,
        limit: int = 5,
    ) -> SuggestResult:
        """Activities ranked for this community's type, goals, measured health and the date."""
        from zoneinfo import ZoneInfo

        from copilot.profile import load_profile
        from copilot.skills.suggest import CatalogueError, SuggestPorts, suggest_activities

        profile = load_profile(self.db, community)
        if not 1 <= limit <= 20:
            raise InputError(f"limit must be between 1 and 20, not {limit}")
        self.vectors.check(community)
        today = today or datetime.now(ZoneInfo(profile.timezone)).date()
        try:
            date_in_calendar(today)
        except ValueError as exc:
            raise InputError(f"today: {exc}") from None
        try:
            return suggest_activities(
                SuggestPorts(self.retriever, self.llm),
                community,
                profile,
                load_messages(self.db, community),
                today=today,
                prompt=prompt,
                limit=limit,
            )
        except CatalogueError as exc:
            raise InputError(str(exc)) from None

    def profile(self, community: str) -> CommunityProfile:
        """The community's profile (a default one named after it until it is set)."""
        from copilot.profile import load_profile

        return load_profile(self.db, community)

    def set_profile(self, community: str, **changes: Any) -> CommunityProfile:
        """Change profile fields (None leaves a field as it is); bad values raise InputError."""
        from copilot.profile import update_profile

        return update_profile(self.db, community, **changes)

    def close(self) -> None:
        self.db.close()


def _in_calendar(moment: datetime | None, what: str) -> datetime | None:
    """The CLI's and the facade's guard for the range the API checks in its schemas."""
    if moment is None:
        return None
    try:
        return in_calendar(moment)
    except ValueError as exc:
        raise InputError(f"{what}: {exc}") from None


def _chinese(messages: list[ChatMessage]) -> bool:
    """Most of the chat is Chinese (so a zh-hant profile's summary is in traditional script)."""
    from copilot.text import detect_language

    sample = " ".join(m.text for m in messages[:200] if not m.is_service)
    return detect_language(sample) == "zh"
