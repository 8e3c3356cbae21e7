"""Knowledge of one community: upload files, push chat messages, list and delete documents."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path as FsPath
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from copilot.api.deps import (
    CopilotDep,
    MemberCommunity,
    OperatorCommunity,
    SettingsDep,
    run_sync,
)
from copilot.api.errors import ApiError, error_responses
from copilot.api.schemas import DocumentOut, MessagesIn, UploadOut
from copilot.api.upload_jobs import JobOut, UploadJobs
from copilot.knowledge.catalog import list_documents
from copilot.knowledge.chat_exports import ExportOptions, parse_tz
from copilot.knowledge.documents import LoadedFile
from copilot.knowledge.textio import human_size
from copilot.models import ChatMessage
from copilot.service import Copilot
from copilot.store.tables import DocumentRow

router = APIRouter(prefix="/v1/communities", tags=["documents"])
ERRORS = error_responses(401, 403, 404, 413, 415, 422, 429)
MIB = 1024 * 1024


def safe_filename(name: str | None) -> str:
    """The upload's base name, reduced to characters safe in any file system.

    Letters of any script survive (中文名.md stays readable); path separators, control and
    shell characters become '_', and leading dots go, so the name can never leave the temp dir.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = re.sub(r"[^\w.\-+()\[\] ]", "_", base).strip(" .")
    stem, dot, suffix = base.rpartition(".")
    if dot and stem and len(suffix) <= 16:
        base = f"{stem[:100].rstrip(' .')}.{suffix}"
    return base[:120] or "upload"


UPLOAD_RESPONSES = {
    **ERRORS,
    202: {
        "model": JobOut,
        "description": "Over COPILOT_UPLOAD_JOB_MB: accepted as a job; poll the Location.",
    },
}


@router.post(
    "/{community}/documents", status_code=201, response_model=UploadOut, responses=UPLOAD_RESPONSES
)
async def upload_document(
    request: Request,
    response: Response,
    community: OperatorCommunity,
    copilot: CopilotDep,
    settings: SettingsDep,
    file: Annotated[
        UploadFile, File(description="Markdown, text, HTML, PDF, JSON/JSONL/CSV, or a chat export.")
    ],
    kind: Annotated[
        Literal["auto", "playbook", "chat"],
        Form(description="'auto' detects chat exports; 'playbook' or 'chat' insists."),
    ] = "auto",
    tz: Annotated[
        str | None,
        Form(
            max_length=64,
            description="Time zone of a chat export that writes local times without one "
            "(e.g. Asia/Shanghai, +08:00); default: China time for QQ/WeChat tools.",
        ),
    ] = None,
    year: Annotated[
        int | None,
        Form(ge=1990, le=2100, description="Year of a chat export whose dates have none."),
    ] = None,
) -> UploadOut | JSONResponse:
    """Ingest one file. Its (sanitized) file name becomes the document's source; uploading the
    same name again replaces it, and unchanged content changes nothing."""
    try:
        options = ExportOptions(tz=parse_tz(tz) if tz else None, year=year)
    except ValueError as exc:
        raise ApiError(422, f"tz: {exc}") from None
    limit = int(settings.max_file_mb * MIB)
    if file.size is not None and file.size > limit:
        raise ApiError(
            413,
            f"{file.filename}: {human_size(file.size)} is over the "
            f"{human_size(limit)} limit per file (COPILOT_MAX_FILE_MB)",
        )
    name = safe_filename(file.filename)
    with tempfile.TemporaryDirectory(prefix="copilot-upload-") as folder:
        path = FsPath(folder) / name
        await run_sync(request, _save, file, path)
        # Read and parsed in the request either way: a bad file is a 4xx at once.
        loaded = await run_sync(
            request,
            copilot.load_file,
            community,
            path,
            source=name,
            kind=None if kind == "auto" else kind,
            options=options,
        )
    if file.size is not None and file.size > settings.upload_job_mb * MIB:
        return await _start_job(request, community, loaded)
    outcome = await run_sync(request, copilot.index_loaded, community, loaded)
    if outcome.outcome != "added":
        response.status_code = 200
    stored_kind = await run_sync(request, _kind_of, copilot, community, outcome.source)
    return UploadOut(
        source=outcome.source,
        outcome=outcome.outcome,  # type: ignore[arg-type]
        kind=stored_kind,
        chunks=outcome.chunks,
        messages=outcome.messages,
    )


async def _start_job(request: Request, community: str, loaded: LoadedFile) -> JSONResponse:
    """Accept a file that was read and parsed; embed it in the background (poll Location)."""
    jobs: UploadJobs = request.app.state.upload_jobs
    job = await run_sync(request, jobs.create, community, loaded.source, "auto")
    jobs.start(job, community, loaded, getattr(request.app.state, "capacity", None))
    return JSONResponse(
        job.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/v1/communities/{community}/jobs/{job.id}"},
    )


@router.get("/{community}/jobs/{job_id}", response_model=JobOut, responses=ERRORS)
async def upload_job(
    request: Request,
    community: OperatorCommunity,
    job_id: Annotated[str, PathParam(max_length=64, description="From the 202 of an upload.")],
) -> JobOut:
    """Progress of a large upload: queued, running (chunks embedded of total), done or failed."""
    jobs: UploadJobs = request.app.state.upload_jobs
    job = await run_sync(request, jobs.get, community, job_id)
    if job is None:
        raise ApiError(404, f"no upload job {job_id!r} in this community")
    return job


def _kind_of(copilot: Copilot, community: str, source: str) -> Literal["playbook", "chat"]:
    with copilot.db.session() as session:
        row = session.get(DocumentRow, (community, source))
        return "chat" if row is not None and row.kind == "chat" else "playbook"


def _save(upload: UploadFile, path: FsPath) -> None:
    upload.file.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out, length=MIB)


@router.post("/{community}/messages", status_code=201, response_model=UploadOut, responses=ERRORS)
async def push_messages(
    request: Request,
    response: Response,
    body: MessagesIn,
    community: OperatorCommunity,
    copilot: CopilotDep,
    settings: SettingsDep,
) -> UploadOut:
    """Store and index a batch of chat messages (from a bot or an export script)."""
    if len(body.messages) > settings.api_max_batch:
        raise ApiError(
            413,
            f"{len(body.messages)} messages in one batch; the limit is "
            f"{settings.api_max_batch} (COPILOT_API_MAX_BATCH)",
        )
    messages = [
        ChatMessage(community=community, source=body.source, **m.model_dump())
        for m in body.messages
    ]
    report = await run_sync(request, copilot.ingest_messages, community, messages, body.source)
    outcome = report.files[0]
    if outcome.outcome != "added":
        response.status_code = 200
    return UploadOut(
        source=outcome.source,
        outcome=outcome.outcome,  # type: ignore[arg-type]
        kind="chat",
        chunks=outcome.chunks,
        messages=outcome.messages,
    )


@router.get("/{community}/documents", response_model=list[DocumentOut], responses=ERRORS)
async def list_community_documents(
    request: Request, community: MemberCommunity, copilot: CopilotDep
) -> list[DocumentOut]:
    """What the community's knowledge holds, by source."""
    docs = await run_sync(request, list_documents, copilot.db, community)
    return [DocumentOut(**d.model_dump()) for d in docs]


@router.delete("/{community}/documents/{source:path}", status_code=204, responses=ERRORS)
async def delete_document(
    request: Request,
    community: OperatorCommunity,
    copilot: CopilotDep,
    source: Annotated[str, PathParam(description="A source as listed by GET documents.")],
) -> Response:
    """Remove a document with its chunks, vectors and chat messages."""
    if not await run_sync(request, copilot.indexer.remove, community, source):
        raise ApiError(404, f"no document named '{source}' in this community")
    return Response(status_code=204)
