#!/usr/bin/env python3
"""Open a read-along page (S.html) in headless Chromium and check that it works.

    python scripts/check_readalong.py out/S.html [--manifest out/S.json] [--chromium /usr/bin/chromium]

Checks: the page is Kazakh (lang="kk") and runs without script errors or CSP violations; the
<audio> element loads with a finite duration matching the manifest (within 0.5 s); there is at
least one timed element (data-start) per manifest cue; a real mouse click on the 3rd sentence moves
audio.currentTime to its data-start (within 0.3 s) and highlights it (aria-current); Enter on a
focused sentence and a click on a chapter button seek too; article text stayed text (only the page's
own <script> exists).

Only the standard library: the page is served from 127.0.0.1 on an ephemeral port by a small
HTTP server that answers byte-range requests (Chromium will not seek media otherwise), and
Chromium is driven over the DevTools protocol with a minimal WebSocket client.
Exit 0 with a one-line summary; 1 when a check fails; 2 when the page or Chromium is missing.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import io
import json
import math
import mimetypes
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

DURATION_TOLERANCE = 0.5  # s, page's audio.duration vs manifest
SEEK_TOLERANCE = 0.3  # s, audio.currentTime after activating a sentence vs its data-start
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


# --- minimal WebSocket client + DevTools protocol -----------------------------------------------


class WebSocket:
    """RFC 6455 client: text frames only, which is all the DevTools protocol uses."""

    def __init__(self, host: str, port: int, path: str, timeout: float) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode("ascii"))
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise SetupFailed("DevTools closed the connection during the WebSocket handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        expected = base64.b64encode(
            hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode("ascii")).digest()
        ).decode("ascii")
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        if " 101 " not in lines[0] + " " or headers.get("sec-websocket-accept") != expected:
            raise SetupFailed(f"DevTools refused the WebSocket upgrade: {lines[0]}")

    def send(self, text: str) -> None:
        payload = text.encode("utf-8")
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 1 << 16:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        mask = os.urandom(4)
        # Clients must mask every frame; XOR as one big integer keeps this fast.
        padded = (mask * (n // 4 + 1))[:n]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(padded, "big")).to_bytes(n, "big")
        self.sock.sendall(header + mask + masked)

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise CheckFailed("Chromium closed the DevTools connection (did the browser crash?)")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def recv(self, timeout: float) -> str:
        self.sock.settimeout(max(0.01, timeout))
        message = b""
        while True:
            b1, b2 = self._read(2)
            opcode, length = b1 & 0x0F, b2 & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._read(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._read(8))
            mask = self._read(4) if b2 & 0x80 else b""
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise CheckFailed("Chromium closed the DevTools connection")
            if opcode == 0x9:  # ping -> pong
                self._control(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            message += payload
            if b1 & 0x80:
                return message.decode("utf-8")

    def _control(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask + body)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class DevTools:
    """DevTools protocol over one browser-level connection, pages addressed by flat session id."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

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
                data = json.loads(self.ws.recv(remaining))
            except TimeoutError as exc:
                raise CheckFailed(f"DevTools {method}: no answer within {timeout:.0f} s") from exc
            if data.get("id") == msg["id"]:
                if "error" in data:
                    raise CheckFailed(f"DevTools {method}: {data['error'].get('message')}")
                return data.get("result", {})
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
                data = json.loads(self.ws.recv(remaining))
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
    ws: WebSocket | None = None
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
        ws = WebSocket("127.0.0.1", int(port_text), path, timeout)
        devtools = DevTools(ws)
        yield devtools
        with contextlib.suppress(CheckFailed, OSError):
            devtools.call("Browser.close", timeout=5)
    finally:
        if ws is not None:
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


# --- the checks ---------------------------------------------------------------------------------

WAIT_METADATA = """new Promise((resolve) => {
  const a = document.querySelector("audio");
  if (!a) { resolve(null); return; }
  const done = () => resolve({duration: a.duration, readyState: a.readyState,
                              error: a.error ? a.error.code : null, src: a.currentSrc});
  if (a.readyState >= 1) { done(); return; }
  a.addEventListener("loadedmetadata", done, {once: true});
  a.addEventListener("error", done, {once: true});
  setTimeout(done, %d);
})"""

PAGE_FACTS = """(() => {
  const cues = Array.from(document.querySelectorAll("[data-start]"))
    .filter((el) => !el.closest("nav"));
  return {
    lang: document.documentElement.lang,
    main: !!document.querySelector("main"),
    h1: (document.querySelector("h1") || {}).textContent || "",
    nav: document.querySelectorAll("nav [data-start]").length,
    scripts: document.scripts.length,
    handlers: Array.from(document.querySelectorAll("*"))
      .filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith("on"))).length,
    starts: cues.map((el) => parseFloat(el.getAttribute("data-start"))),
    focusable: cues.filter((el) => el.tabIndex >= 0).length,
  };
})()"""

# Arm a one-shot 'seeked' listener that reports where the audio landed and what is highlighted.
ARM_SEEK = """(() => {
  const a = document.querySelector("audio");
  window.__readalongSeek = new Promise((resolve) => {
    a.addEventListener("seeked", () => {
      const cur = document.querySelector("#transcript [data-start][aria-current='true']");
      resolve({time: a.currentTime, current: cur ? cur.getAttribute("data-start") : null});
    }, {once: true});
    setTimeout(() => resolve(null), %d);
  });
  return true;
})()"""

TARGET = """(() => {
  const els = Array.from(document.querySelectorAll(%s)).filter((el) => %s);
  const el = els[%d];
  el.scrollIntoView({block: "center"});
  // A sentence may wrap: aim at the middle of its first line box, not of its bounding box.
  const r = el.getClientRects()[0];
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {x, y, start: parseFloat(el.getAttribute("data-start")), text: el.textContent.slice(0, 60),
          onTarget: hit === el || el.contains(hit)};
})()"""


def check_page(page_path: Path, manifest: dict[str, Any], binary: str, timeout: float,
               from_disk: bool = False, screenshot: Path | None = None) -> str:
    cues = manifest.get("cues") or []
    expected_duration = float(manifest["duration"])
    with serve(page_path.parent) as port, chromium(binary, timeout) as devtools:
        url = page_path.as_uri() if from_disk else f"http://127.0.0.1:{port}/{quote(page_path.name)}"
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(devtools, session)
        for domain in ("Page", "Runtime", "Log"):
            page.call(f"{domain}.enable")
        page.call("Page.navigate", {"url": url})
        devtools.wait_event("Page.loadEventFired", timeout)
        _no_problems(page, page_path)

        meta = page.js(WAIT_METADATA % int(timeout * 1000), timeout=timeout + 5)
        if meta is None:
            raise CheckFailed(f"{page_path.name}: no <audio> element")
        duration = meta.get("duration")
        usable = isinstance(duration, int | float) and math.isfinite(duration) and duration > 0
        if meta.get("error") or not usable:
            raise CheckFailed(
                f"{page_path.name}: audio {meta.get('src')} did not load "
                f"(duration {duration}, media error {meta.get('error')}, readyState {meta.get('readyState')})"
            )
        if abs(duration - expected_duration) > DURATION_TOLERANCE:
            raise CheckFailed(
                f"{page_path.name}: audio duration {duration:.3f} s, manifest says {expected_duration:.3f} s"
            )

        facts = page.js(PAGE_FACTS)
        if facts["lang"] != "kk":
            raise CheckFailed(f"{page_path.name}: <html lang> is {facts['lang']!r}, expected 'kk'")
        if not facts["main"] or not facts["h1"].strip():
            raise CheckFailed(f"{page_path.name}: no <main> or empty <h1>")
        if facts["scripts"] != 1:
            # Exactly the page's own script: any other one came from markup in article text.
            raise CheckFailed(f"{page_path.name}: {facts['scripts']} <script> elements, expected exactly 1")
        if facts["handlers"]:
            raise CheckFailed(f"{page_path.name}: {facts['handlers']} elements with on* handler attributes")
        starts: list[float] = facts["starts"]
        if len(starts) < len(cues):
            raise CheckFailed(f"{page_path.name}: {len(starts)} timed elements for {len(cues)} sentences")
        missing = [c for c in cues if not any(abs(float(c["start"]) - s) < 0.002 for s in starts)]
        if missing:
            raise CheckFailed(f"{page_path.name}: no data-start element for cue at {missing[0]['start']} s")
        if facts["focusable"] < len(cues):
            raise CheckFailed(f"{page_path.name}: {facts['focusable']} of {len(starts)} sentences focusable")
        if len(starts) < 1:
            raise CheckFailed(f"{page_path.name}: no timed sentences")

        cue_sel = json.dumps("[data-start]")
        not_nav = '!el.closest("nav")'
        # 1) Mouse click on the 3rd sentence.
        clicked = _activate(page, cue_sel, not_nav, min(2, len(starts) - 1), "click", timeout)
        if screenshot is not None:  # the page as a reader sees it, 3rd sentence highlighted
            shot = page.call("Page.captureScreenshot", {"format": "png"})["data"]
            screenshot.write_bytes(base64.b64decode(shot))
        # 2) Enter on a focused sentence (keyboard operation), another one so the time must change.
        key_index = len(starts) - 1 if len(starts) > 1 and min(2, len(starts) - 1) != len(starts) - 1 else 0
        keyed = _activate(page, cue_sel, not_nav, key_index, "enter", timeout)
        # 3) Chapter list seeks.
        chapter = None
        if facts["nav"]:
            nav_sel = json.dumps("nav [data-start]")
            chapter = _activate(page, nav_sel, "true", facts["nav"] - 1, "click", timeout)

        _no_problems(page, page_path)

    summary = (
        f"read-along OK: {page_path.name}: audio {duration:.2f} s (manifest {expected_duration:.2f} s), "
        f"{len(starts)} timed sentences for {len(cues)} cues, click on sentence {min(3, len(starts))} "
        f"-> {clicked:.3f} s, Enter -> {keyed:.3f} s"
    )
    if chapter is not None:
        summary += f", chapter -> {chapter:.3f} s"
    return summary


def _no_problems(page: Page, page_path: Path) -> None:
    problems = page.problems()
    if problems:
        raise CheckFailed(f"{page_path.name}: page reported an error: {problems[0]}")


def _activate(page: Page, selector: str, keep: str, index: int, how: str, timeout: float) -> float:
    """Click (or focus + Enter) the index-th element; return the time the audio seeked to."""
    page.js("document.querySelector('audio').pause()")
    page.js(ARM_SEEK % int(timeout * 1000))
    where = page.js(TARGET % (selector, keep, index))
    label = f"{'click on' if how == 'click' else 'Enter on'} {where['text']!r}"
    if how == "click":
        if not where["onTarget"]:
            raise CheckFailed(f"{label}: element is covered at its own position")
        page.click(where["x"], where["y"])
    else:
        focused = page.js(
            f"(() => {{ const els = Array.from(document.querySelectorAll({selector})).filter((el) => {keep});"
            f" els[{index}].focus(); return document.activeElement === els[{index}]; }})()"
        )
        if not focused:
            raise CheckFailed(f"{label}: element cannot take keyboard focus")
        page.press_enter()
    landed = page.js("window.__readalongSeek", timeout=timeout + 5)
    if landed is None:
        raise CheckFailed(f"{label}: audio did not seek")
    if abs(landed["time"] - where["start"]) > SEEK_TOLERANCE:
        raise CheckFailed(f"{label}: audio at {landed['time']:.3f} s, expected {where['start']:.3f} s")
    if how == "click" and keep != "true":
        current = landed["current"]
        if current is None or abs(float(current) - where["start"]) > 0.002:
            raise CheckFailed(f"{label}: sentence not highlighted (aria-current on {current})")
    return float(landed["time"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the read-along page, S.html")
    parser.add_argument("--manifest", type=Path, help="the manifest (default: S.json beside the page)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or shutil.which("chromium")
                        or "/usr/bin/chromium", help="Chromium binary (default: chromium on PATH)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for each wait")
    parser.add_argument("--from-disk", action="store_true",
                        help="open the page as a file:// URL (as offline readers do) instead of over HTTP")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the page after the click")
    args = parser.parse_args(argv)
    try:
        page_path = args.page.resolve()
        if not page_path.is_file():
            raise SetupFailed(f"{args.page}: no such page; render the episode first")
        manifest_path = args.manifest or page_path.with_suffix(".json")
        try:
            manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SetupFailed(f"{manifest_path}: cannot read the manifest ({exc}); pass --manifest") from exc
        if not (Path(args.chromium).is_file() or shutil.which(args.chromium)):
            raise SetupFailed(f"{args.chromium}: Chromium not found; apt-get install chromium")
        print(check_page(page_path, manifest, args.chromium, args.timeout, args.from_disk, args.screenshot))
        return 0
    except CheckFailed as exc:
        print(f"read-along check FAILED: {exc}", file=sys.stderr)
        return 1
    except SetupFailed as exc:
        print(f"read-along check could not run: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
