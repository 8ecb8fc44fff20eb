"""The access token, as Jupyter does it: in the URL printed at start, then a cookie; or a Bearer header.

A request without it gets 401, one with a wrong token 403, before any route runs."""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "audiobook_studio_token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TokenAuth:
    """Pure ASGI middleware (it must also cover the event stream, which BaseHTTPMiddleware buffers)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)  # lifespan
            return
        given, from_query = self._given(scope)
        if given is None or not secrets.compare_digest(given.encode(), self.token.encode()):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _refuse(send, 401 if given is None else 403)
            return
        if not from_query:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    def _given(scope: Scope) -> tuple[str | None, bool]:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            return query["token"][0], True
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                scheme, _, cred = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer":
                    return cred.strip(), False
            elif name == b"cookie":
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header is no token
                    continue
                if COOKIE in jar:
                    return jar[COOKIE].value, False
        return None, False


async def _refuse(send: Send, status: int) -> None:
    body = (b'{"error": "this studio needs its access token: open the URL `audiobook studio` printed"}'
            if status == 401 else b'{"error": "wrong access token: open the URL `audiobook studio` printed"}')
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"www-authenticate", b"Bearer")]})
    await send({"type": "http.response.body", "body": body})
