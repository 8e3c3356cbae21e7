"""Large uploads as jobs: read and checked in the request, embedded in the background, polled.

A big file takes minutes to embed; holding the request open that long ties up a connection
and times out behind most proxies. The request still reads and parses the file, so a bad one
gets its 4xx at once; only a file that can be ingested is accepted (202 and a job id). The
job row lives in the SQL store, so any API worker can answer a poll. Progress is the count
of chunks embedded, reported after each batch. No copy of the file is written anywhere.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

import anyio
from pydantic import BaseModel, Field
from sqlalchemy import select

from copilot.errors import InputError
from copilot.knowledge.documents import LoadedFile
from copilot.service import Copilot
from copilot.store.jobs_table import IngestJobRow
from copilot.store.tables import DocumentRow

log = logging.getLogger("copilot.api.jobs")
JobStatus = Literal["queued", "running", "done", "failed"]


class JobOut(BaseModel):
    id: str
    source: str
    status: JobStatus
    done: int = Field(description="Chunks embedded so far.")
    total: int = Field(description="Chunks to embed (0 until the file is read and chunked).")
    result: dict[str, Any] | None = Field(
        default=None, description="When done: what a synchronous upload returns."
    )
    error: str = Field(default="", description="When failed: what was wrong with the file.")
    created_at: datetime
    updated_at: datetime


def _out(row: IngestJobRow) -> JobOut:
    return JobOut(
        id=row.id,
        source=row.source,
        status=row.status,  # type: ignore[arg-type]
        done=row.done,
        total=row.total,
        result=row.result or None,
        error=row.error,
        created_at=row.created_at.replace(tzinfo=UTC),
        updated_at=row.updated_at.replace(tzinfo=UTC),
    )


class UploadJobs:
    def __init__(self, copilot: Copilot) -> None:
        self.copilot = copilot
        self.db = copilot.db
        self.tasks: set[asyncio.Task[None]] = set()

    def create(self, community: str, source: str, kind: str) -> JobOut:
        now = datetime.now(UTC)
        row = IngestJobRow(
            id=uuid.uuid4().hex,
            community=community,
            source=source,
            kind=kind,
            status="queued",
            done=0,
            total=0,
            result={},
            error="",
            created_at=now,
            updated_at=now,
        )
        with self.db.session() as s:
            s.add(row)
        return _out(row)

    def get(self, community: str, job_id: str) -> JobOut | None:
        with self.db.session() as s:
            row = s.get(IngestJobRow, job_id)
            return _out(row) if row is not None and row.community == community else None

    def start(self, job: JobOut, community: str, loaded: LoadedFile, limiter: Any) -> None:
        task = asyncio.get_running_loop().create_task(
            anyio.to_thread.run_sync(lambda: self.run(job.id, community, loaded), limiter=limiter)
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def run(self, job_id: str, community: str, loaded: LoadedFile) -> None:
        """Index what the request read (in a worker thread) and record how it went."""
        self._update(job_id, status="running")
        try:
            outcome = self.copilot.index_loaded(
                community,
                loaded,
                progress=lambda done, total: self._update(job_id, done=done, total=total),
            )
            with self.db.session() as s:
                doc = s.get(DocumentRow, (community, loaded.source))
                stored = "chat" if doc is not None and doc.kind == "chat" else "playbook"
            result = outcome.model_dump(include={"source", "outcome", "chunks", "messages"})
            self._update(job_id, status="done", result=result | {"kind": stored})
        except InputError as exc:
            self._update(job_id, status="failed", error=str(exc))
        except Exception:
            log.exception("upload job %s failed", job_id)
            self._update(job_id, status="failed", error="the server could not ingest this file")

    def interrupted(self) -> int:
        """Jobs a stopped server left unfinished are marked failed (the upload is not kept)."""
        with self.db.session() as s:
            rows = list(
                s.scalars(
                    select(IngestJobRow).where(IngestJobRow.status.in_(("queued", "running")))
                )
            )
            for row in rows:
                row.status, row.updated_at = "failed", datetime.now(UTC)
                row.error = "the server stopped before this upload was ingested; upload it again"
        return len(rows)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self.db.session() as s:
            row = s.get(IngestJobRow, job_id)
            if row is not None:
                for name, value in changes.items():
                    setattr(row, name, value)
                row.updated_at = datetime.now(UTC)
