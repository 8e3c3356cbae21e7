"""Knowledge: upload (with progress; large files become jobs), list, delete, view chunks, and
hit-test a question. Each action runs the HTTP API's own handler for the session's community."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.datastructures import UploadFile

from copilot.api.console.web import PREFIX, CsrfForm, Session, redirect, render
from copilot.api.deps import run_sync
from copilot.api.errors import ApiError
from copilot.api.routes import documents, search
from copilot.errors import InputError
from copilot.keys.sessions import ConsoleSession
from copilot.knowledge.catalog import list_chunks, list_documents

router = APIRouter(prefix=PREFIX + "/knowledge", include_in_schema=False)


async def page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: object
) -> HTMLResponse:
    copilot = request.app.state.copilot
    docs = await run_sync(request, list_documents, copilot.db, session.community)
    settings = request.app.state.settings
    return render(
        request,
        "knowledge.html",
        session,
        status_code,
        documents=docs,
        max_mb=settings.max_file_mb,
        job_mb=settings.upload_job_mb,
        **context,
    )


@router.get("", response_class=HTMLResponse)
async def knowledge(request: Request, session: Session) -> HTMLResponse:
    return await page(request, session)


@router.post("/upload", response_model=None)
async def upload(request: Request, session: Session, form: CsrfForm) -> Response:
    file = form.data.get("file")
    kind = form.text("kind", "auto")
    if not isinstance(file, UploadFile) or not file.filename:
        return await page(request, session, 422, error="error.no_file")
    if kind not in ("auto", "playbook", "chat"):
        kind = "auto"
    copilot, settings = request.app.state.copilot, request.app.state.settings
    try:
        out = await documents.upload_document(
            request,
            Response(),
            session.community,
            copilot,
            settings,
            file,  # type: ignore[arg-type]  # starlette's UploadFile, which FastAPI's extends
            kind,  # type: ignore[arg-type]  # checked above
            None,
            None,
        )
    except ApiError as exc:
        return await page(request, session, exc.status, error=exc.message)
    except InputError as exc:
        return await page(request, session, 422, error=str(exc))
    if isinstance(out, JSONResponse):  # over COPILOT_UPLOAD_JOB_MB: embedded as a job
        job = out.headers["location"].rsplit("/", 1)[-1]
        return redirect(f"{PREFIX}/knowledge/jobs/{job}")
    return redirect(
        PREFIX + "/knowledge", f"upload_{out.outcome}", source=out.source, chunks=out.chunks
    )


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job(request: Request, session: Session, job_id: str) -> HTMLResponse:
    try:
        found = await documents.upload_job(request, session.community, job_id[:64])
    except ApiError as exc:
        return await page(request, session, exc.status, error=exc.message)
    return render(request, "job.html", session, job=found)


@router.post("/delete", response_model=None)
async def delete(request: Request, session: Session, form: CsrfForm) -> Response:
    source = form.text("source")
    try:
        await documents.delete_document(
            request, session.community, request.app.state.copilot, source
        )
    except ApiError as exc:
        return await page(request, session, exc.status, error=exc.message)
    return redirect(PREFIX + "/knowledge", "deleted", source=source)


@router.get("/source", response_class=HTMLResponse)
async def source(request: Request, session: Session) -> HTMLResponse:
    name = request.query_params.get("name", "")[:512]
    copilot = request.app.state.copilot
    docs = await run_sync(request, list_documents, copilot.db, session.community)
    document = next((d for d in docs if d.source == name), None)
    if document is None:
        return await page(request, session, 404, error="error.no_source")
    chunks = await run_sync(request, list_chunks, copilot.db, session.community, name)
    return render(request, "source.html", session, document=document, chunks=chunks)


@router.post("/hits", response_class=HTMLResponse)
async def hit_test(request: Request, session: Session, form: CsrfForm) -> HTMLResponse:
    question = form.text("question")
    if not question:
        return await page(request, session, 422, error="error.no_question", question=question)
    try:
        body = search.SearchIn(question=question)
        hits = await search.search(request, body, session.community, request.app.state.copilot)
    except (ApiError, InputError, ValueError) as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return await page(request, session, 422, error=message, question=question)
    return await page(request, session, hits=hits, question=question)
