"""The JSON API under /api (documented in docs/studio.md); the page uses nothing else."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Message, Receive

from audiobook.errors import AudiobookError
from audiobook.studio import stages
from audiobook.studio.jobs import Job
from audiobook.studio.store import NotFound, Store

MAX_UPLOAD = 8 * 1024 * 1024  # an article, even a .docx with pictures, is far below this
MAX_SCRIPT = 4 * 1024 * 1024
FORMATS = {"mp3", "m4b"}


class TooLarge(Exception):
    pass


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status)


def _limited(receive: Receive, limit: int) -> Receive:
    """`receive` that fails once the body passes `limit` bytes (a missing Content-Length is no way round)."""
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
        return message

    return inner


def _length_ok(request: Request, limit: int) -> bool:
    try:
        return int(request.headers.get("content-length", "0")) <= limit
    except ValueError:
        return False


Handler = Callable[[Request], Awaitable[Response]]


def _guarded(fn: Handler) -> Handler:
    """Known failures as JSON: a bad id or file 404, the stages' one-line errors 422, a big body 413."""

    async def run(request: Request) -> Response:
        try:
            return await fn(request)
        except NotFound:
            return error(404, "not found")
        except TooLarge:
            return error(413, f"too large: the limit is {MAX_UPLOAD // (1024 * 1024)} MB")
        except AudiobookError as e:
            return error(422, str(e))

    return run


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _article_view(store: Store, article_id: str) -> dict[str, Any]:
    folder = store.folder(article_id)
    script = stages.load_edited(store.script_path(article_id))
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    warnings = [{"message": w} for w in meta.get("warnings", [])]
    warnings += stages.preflight(script, store.lexicon_path())
    return {"id": article_id, "script": stages.script_json(script), "dropped": meta.get("dropped", []),
            "warnings": warnings, "cast": stages.cast_refs(script), "filename": meta.get("filename", ""),
            "yaml": f"/api/articles/{article_id}/script.yaml"}


def _relative(message: str, folder: Path) -> str:
    """An error about a file in the workdir names it as the user sees it, not by its absolute path."""
    return message.replace(f"{folder}/", "")


async def create_article(request: Request) -> Response:
    store = _store(request)
    if not _length_ok(request, MAX_UPLOAD):
        raise TooLarge
    body = Request(request.scope, _limited(request.receive, MAX_UPLOAD))
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        async with body.form(max_files=1, max_fields=4) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                return error(400, "multipart upload without a 'file' field; send the article as 'file'")
            data, filename = await upload.read(), upload.filename or "article.txt"
    elif kind.startswith("application/json"):
        try:
            payload = json.loads(await body.body())
        except ValueError:
            return error(400, "invalid JSON; send {\"text\": ...} or {\"url\": ...}")
        if isinstance(payload, dict) and isinstance(payload.get("text"), str):
            data, filename = payload["text"].encode("utf-8"), "article.txt"
        elif isinstance(payload, dict) and isinstance(payload.get("url"), str):
            data, filename = await run_in_threadpool(stages.fetch_url, payload["url"], MAX_UPLOAD)
        else:
            return error(400, "send {\"text\": ARTICLE} or {\"url\": URL}")
    else:
        return error(415, "send multipart/form-data with 'file', or JSON {\"text\"} / {\"url\"}")
    if len(data) > MAX_UPLOAD:
        raise TooLarge
    article_id, source = store.new(data, filename)
    folder = source.parent
    try:
        script = await run_in_threadpool(stages.load_article, source)
    except AudiobookError as e:
        shutil.rmtree(folder, ignore_errors=True)
        return error(422, str(e).replace(str(source), Path(filename).name or "article"))
    meta = {"filename": Path(filename).name, "dropped": stages.dropped(script), "warnings": list(script.warnings)}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    script.warnings = []  # kept in meta.json; the YAML then starts clean
    store.script_path(article_id).write_text(stages.script_yaml(script, "script.yaml"), encoding="utf-8")
    view = await run_in_threadpool(_article_view, store, article_id)
    return JSONResponse(view, 201)


async def get_article(request: Request) -> Response:
    view = await run_in_threadpool(_article_view, _store(request), request.path_params["id"])
    return JSONResponse(view)


async def get_yaml(request: Request) -> Response:
    path = _store(request).script_path(request.path_params["id"])
    return FileResponse(path, media_type="text/yaml; charset=utf-8", filename="script.yaml")


async def put_script(request: Request) -> Response:
    store = _store(request)
    article_id = request.path_params["id"]
    folder = store.folder(article_id)
    if not _length_ok(request, MAX_SCRIPT):
        raise TooLarge
    raw = await Request(request.scope, _limited(request.receive, MAX_SCRIPT)).body()
    is_yaml = "yaml" in request.headers.get("content-type", "")
    candidate = folder / ("script.edit.yaml" if is_yaml else "script.json")
    candidate.write_bytes(raw)
    try:
        script = await run_in_threadpool(stages.load_edited, candidate)
        installed = {v.ref for v in stages.voice_choices()}
        for sp in script.speakers:  # only installed voices: a path in a script is not the page's to open
            if sp.voice is not None and sp.voice not in installed:
                raise AudiobookError(f"{candidate.name}: speaker '{sp.id}': voice '{sp.voice}' is not installed; "
                                     "choose one from /api/voices")
    except AudiobookError as e:
        return error(422, _relative(str(e), folder))
    finally:
        candidate.unlink(missing_ok=True)
    store.script_path(article_id).write_text(stages.script_yaml(script, "script.yaml"), encoding="utf-8")
    return JSONResponse(await run_in_threadpool(_article_view, store, article_id))


async def segment_audio(request: Request) -> Response:
    store = _store(request)
    article_id = request.path_params["id"]
    script = stages.load_edited(store.script_path(article_id))
    wav = await run_in_threadpool(stages.speak, script, request.path_params["n"], store.lexicon_path())
    return Response(wav, media_type="audio/wav")


async def voices(request: Request) -> Response:
    choices = await run_in_threadpool(stages.voice_choices)
    defaults = await run_in_threadpool(stages.default_cast)
    return JSONResponse({"voices": [{"ref": v.ref, "label": v.label, "engine": v.engine} for v in choices],
                         "defaults": defaults})


async def voice_sample(request: Request) -> Response:
    ref = request.path_params["ref"]
    if ref not in {v.ref for v in await run_in_threadpool(stages.voice_choices)}:
        raise NotFound(ref)
    wav = await run_in_threadpool(stages.speak, None, None, _store(request).lexicon_path(), None, ref)
    return Response(wav, media_type="audio/wav")


async def add_lexicon(request: Request) -> Response:
    payload = await request.json()
    if not isinstance(payload, dict):
        return error(400, "send {\"written\": ..., \"spoken\": ...}")
    _store(request).add_lexicon(str(payload.get("written", "")), str(payload.get("spoken", "")))
    return JSONResponse({"ok": True})


async def start_render(request: Request) -> Response:
    store = _store(request)
    article_id = request.path_params["id"]
    store.folder(article_id)
    raw = await request.body()
    payload = json.loads(raw) if raw.strip() else {}
    formats = set(payload.get("formats", ["mp3"])) if isinstance(payload, dict) else {"mp3"}
    if formats - FORMATS:
        return error(422, f"formats {', '.join(sorted(map(str, formats - FORMATS)))}: unknown; use mp3, m4b")
    lexicon = store.lexicon_path()
    job = request.app.state.jobs.submit(article_id, {
        "script": str(store.script_path(article_id)), "outdir": str(store.outdir(article_id)),
        "name": f"studio-{article_id}", "lexicon": str(lexicon) if lexicon else None, "m4b": "m4b" in formats})
    return JSONResponse({"job": job.id}, 202)


def _job_view(job: Job) -> dict[str, Any]:
    stem = f"studio-{job.article}"
    outputs = {(name[len(stem) + 1:] if name.startswith(stem + ".") else name):
               f"/api/articles/{job.article}/files/{name}" for name in job.outputs}
    return {"job": job.id, "article": job.article, "state": job.state, "progress": round(job.progress, 4),
            "outputs": outputs, "error": job.error, "duration": job.summary.get("duration"),
            "warnings": job.summary.get("warnings", [])}


def _job(request: Request) -> Job:
    job: Job | None = request.app.state.jobs.get(request.path_params["job"])
    if job is None:
        raise NotFound(request.path_params["job"])
    return job


async def get_job(request: Request) -> Response:
    return JSONResponse(_job_view(_job(request)))


async def job_events(request: Request) -> Response:
    """Server-sent events: the job's state each time it changes, until it is done or failed."""
    job = _job(request)

    async def stream() -> AsyncIterator[str]:
        seen = -1
        while not request.app.state.stopping:
            if job.version != seen:
                seen = job.version
                yield f"data: {json.dumps(_job_view(job), ensure_ascii=False)}\n\n"
                if job.state in ("done", "failed"):
                    return
            await asyncio.sleep(0.1)

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


async def get_file(request: Request) -> Response:
    path = _store(request).output(request.path_params["id"], request.path_params["name"])
    return FileResponse(path)


async def publish(request: Request) -> Response:
    store = _store(request)
    article_id = request.path_params["id"]
    outdir = store.outdir(article_id)
    if not outdir.is_dir() or not any(outdir.glob("*.mp3")):
        return error(409, "render the episode first")
    raw = await request.body()
    payload = json.loads(raw) if raw.strip() else {}
    base_url = payload.get("base_url") if isinstance(payload, dict) else None
    base_url = base_url or f"{str(request.base_url).rstrip('/')}/feed/"
    if urlparse(base_url).scheme not in ("http", "https"):
        return error(422, "base_url must be an http(s) URL, the address where the feed folder is served")
    store.feed.mkdir(exist_ok=True)
    for f in outdir.iterdir():
        if f.is_file() and not f.name.startswith("."):
            shutil.copy2(f, store.feed / f.name)
    show = {k: " ".join(str(payload[k]).split()) for k in ("title", "author", "description")
            if isinstance(payload, dict) and payload.get(k)}
    path = await run_in_threadpool(stages.add_to_feed, store.feed, base_url, show)
    return JSONResponse({"feed": f"/feed/{path.name}", "base_url": base_url})


async def feed_file(request: Request) -> Response:
    return FileResponse(_store(request).feed_file(request.path_params["name"]))


ROUTES = [
    Route("/api/articles", _guarded(create_article), methods=["POST"]),
    Route("/api/articles/{id}", _guarded(get_article), methods=["GET"]),
    Route("/api/articles/{id}/script.yaml", _guarded(get_yaml), methods=["GET"]),
    Route("/api/articles/{id}/script", _guarded(put_script), methods=["PUT"]),
    Route("/api/articles/{id}/segments/{n:int}/audio", _guarded(segment_audio), methods=["GET"]),
    Route("/api/articles/{id}/render", _guarded(start_render), methods=["POST"]),
    Route("/api/articles/{id}/feed", _guarded(publish), methods=["POST"]),
    Route("/api/articles/{id}/files/{name}", _guarded(get_file), methods=["GET"]),
    Route("/api/jobs/{job}", _guarded(get_job), methods=["GET"]),
    Route("/api/jobs/{job}/events", _guarded(job_events), methods=["GET"]),
    Route("/api/voices", _guarded(voices), methods=["GET"]),
    Route("/api/voices/{ref}/sample", _guarded(voice_sample), methods=["GET"]),
    Route("/api/lexicon", _guarded(add_lexicon), methods=["POST"]),
    Route("/feed/{name}", _guarded(feed_file), methods=["GET"]),
]
