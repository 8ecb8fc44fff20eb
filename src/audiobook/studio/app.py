"""The studio's ASGI app: the page, its static files and the API, all behind the access token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from audiobook.studio.api import ROUTES, error
from audiobook.studio.auth import TokenAuth
from audiobook.studio.jobs import Jobs
from audiobook.studio.store import Store

STATIC = {"studio.js": "text/javascript", "studio.css": "text/css"}
# No inline script or style, nothing from elsewhere: text from an article can never run as code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def _asset(name: str) -> bytes:
    return resources.files("audiobook.studio").joinpath("static", name).read_bytes()


async def page(request: Request) -> Response:
    return Response(_asset("index.html"), media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                             "Referrer-Policy": "no-referrer"})


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in STATIC:
        return error(404, "not found")
    return Response(_asset(name), media_type=STATIC[name] + "; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


def create_app(workdir: Path, token: str) -> Starlette:
    """The studio for `workdir` (created if missing); every request must carry `token`."""
    workdir.mkdir(parents=True, exist_ok=True)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        app.state.stopping = True
        app.state.jobs.shutdown()

    app = Starlette(
        routes=[Route("/", page), Route("/static/{name}", static), *ROUTES],
        middleware=[Middleware(TokenAuth, token=token)],
        lifespan=lifespan,
    )
    app.state.store = Store(workdir)
    app.state.jobs = Jobs()
    app.state.stopping = False
    return app
