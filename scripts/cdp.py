"""Headless Chromium for the read-along check: a local HTTP server that answers byte ranges (Chromium
will not seek media otherwise), the browser in its own process group, and the DevTools protocol over
websocket-client (a test dependency)."""

from __future__ import annotations

import contextlib
import io
import json
import mimetypes
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import websocket

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=1000,800",
]


class CheckFailed(Exception):
    """A check on the page failed (exit 1)."""


class SetupFailed(Exception):
    """The check could not run: page, manifest or browser missing (exit 2)."""


# --- HTTP server with byte ranges ---------------------------------------------------------------


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte-range support (RFC 9110 §14), enough for <audio> seeking."""

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self) -> Any:
        header = self.headers.get("Range", "")
        path = Path(self.translate_path(self.path))
        if not header.startswith("bytes=") or "," in header or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        first, _, last = header[len("bytes="):].strip().partition("-")
        try:
            if first:
                start, end = int(first), (int(last) if last else size - 1)
            else:  # suffix range: the last N bytes
                start, end = max(0, size - int(last)), size - 1
        except ValueError:
            return super().send_head()
        end = min(end, size - 1)
        if start > end or start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        with path.open("rb") as fh:
            fh.seek(start)
            body = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Chromium over the DevTools protocol ----------------------------------------------------


class DevTools:
    """DevTools protocol over one browser-level connection, pages addressed by flat session id."""

    def __init__(self, ws: websocket.WebSocket) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _recv(self, timeout: float) -> dict[str, Any]:
        self.ws.settimeout(max(0.01, timeout))
        try:
            message = self.ws.recv()
        except websocket.WebSocketTimeoutException as exc:
            raise TimeoutError from exc
        except (websocket.WebSocketConnectionClosedException, OSError) as exc:
            raise CheckFailed("Chromium closed the DevTools connection (did the browser crash?)") from exc
        data: dict[str, Any] = json.loads(message)
        return data

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 15.0) -> dict[str, Any]:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckFailed(f"DevTools {method}: no answer within {timeout:.0f} s")
            try:
                data = self._recv(remaining)
            except TimeoutError as exc:
                raise CheckFailed(f"DevTools {method}: no answer within {timeout:.0f} s") from exc
            if data.get("id") == msg["id"]:
                if "error" in data:
                    raise CheckFailed(f"DevTools {method}: {data['error'].get('message')}")
                result: dict[str, Any] = data.get("result", {})
                return result
            if "method" in data:
                self.events.append(data)

    def wait_event(self, method: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CheckFailed(f"page: no {method} within {timeout:.0f} s")
            try:
                data = self._recv(remaining)
            except TimeoutError:
                continue
            if "method" in data:
                self.events.append(data)


class Page:
    def __init__(self, devtools: DevTools, session: str) -> None:
        self.dt = devtools
        self.session = session

    def call(self, method: str, params: dict[str, Any] | None = None,
             timeout: float = 15.0) -> dict[str, Any]:
        return self.dt.call(method, params, self.session, timeout)

    def js(self, expression: str, timeout: float = 15.0) -> Any:
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = (details.get("exception") or {}).get("description") or details.get("text")
            raise CheckFailed(f"page: script failed: {text}")
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A real mouse click (trusted events), as a reader would do it."""
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        for kind in ("mousePressed", "mouseReleased"):
            params = {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
            self.call("Input.dispatchMouseEvent", params)

    def press_enter(self) -> None:
        common = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
        self.call("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **common})
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", **common})

    def problems(self) -> list[str]:
        """Script errors and CSP violations reported so far."""
        out = []
        for event in self.dt.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                out.append((details.get("exception") or {}).get("description") or details.get("text", "?"))
            elif event["method"] == "Log.entryAdded":
                entry = params.get("entry", {})
                if entry.get("level") == "error" and entry.get("source") in ("security", "javascript"):
                    out.append(entry.get("text", "?"))
        return out


@contextlib.contextmanager
def chromium(binary: str, timeout: float) -> Iterator[DevTools]:
    profile = Path(tempfile.mkdtemp(prefix="readalong-chromium-"))
    log = (profile / "chromium.log").open("wb")
    proc = subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,  # own process group, so its helpers are ended with it
    )
    ws: websocket.WebSocket | None = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while not (port_file.is_file() and port_file.read_text().count("\n") >= 1):
            if proc.poll() is not None:
                log.flush()
                tail = (profile / "chromium.log").read_text(errors="replace")[-800:]
                raise SetupFailed(f"{binary} exited with {proc.returncode}: {tail.strip()}")
            if time.monotonic() > deadline:
                raise SetupFailed(f"{binary}: no DevTools port within {timeout:.0f} s")
            time.sleep(0.1)
        port_text, path = port_file.read_text().splitlines()[:2]
        try:
            # No Origin header: Chromium refuses DevTools connections from other origins.
            ws = websocket.create_connection(f"ws://127.0.0.1:{int(port_text)}{path}", timeout=timeout,
                                             suppress_origin=True)
        except (websocket.WebSocketException, OSError) as exc:
            raise SetupFailed(f"DevTools refused the WebSocket connection: {exc}") from exc
        devtools = DevTools(ws)
        yield devtools
        with contextlib.suppress(CheckFailed, OSError):
            devtools.call("Browser.close", timeout=5)
    finally:
        if ws is not None:
            with contextlib.suppress(websocket.WebSocketException, OSError):
                ws.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
