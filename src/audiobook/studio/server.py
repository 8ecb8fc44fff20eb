"""`audiobook studio`: serve the studio on 127.0.0.1, print its URL with the token, open the browser."""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Iterator
from pathlib import Path

from audiobook.errors import AudiobookError


def serve(workdir: Path, port: int = 8765, host: str = "127.0.0.1", open_browser: bool = True) -> None:
    """Runs until Ctrl-C or SIGTERM (uvicorn handles both); the app's shutdown stops any render."""
    try:
        import uvicorn

        from audiobook.studio.app import create_app
        from audiobook.studio.auth import new_token
    except ImportError as e:
        raise AudiobookError(f"the studio needs its extra ({e.name} missing); "
                             "run: pip install 'audiobook[studio]'") from None
    if workdir.exists() and not workdir.is_dir():
        raise AudiobookError(f"{workdir}: exists and is not a folder; give another --workdir")
    token = new_token()
    app = create_app(workdir, token)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))  # bound here so that --port 0 gives a real port to print
    except OSError as e:
        sock.close()
        raise AudiobookError(f"{host}:{port}: cannot listen ({e.strerror}); give another --port") from None
    sock.listen(64)
    real_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{real_port}/?token={token}"
    # A stop asked for between the URL line and the server taking over its signals is a clean stop too:
    # noted here (raising could land anywhere, even outside the try below) and acted on by the server.
    _early.clear()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _stop_early)
    sys.stdout.write(url + "\n")
    sys.stdout.flush()
    print(f"studio: workdir {workdir.resolve()}; Ctrl-C stops it", file=sys.stderr, flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"studio: warning: listening on {host}, reachable from other machines; anyone with the URL "
              "can use it", file=sys.stderr, flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=3, lifespan="on")
    try:
        if not _early:
            _server_class()(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # stopped before it served: nothing to shut down
    finally:
        sock.close()
    print("studio: stopped", file=sys.stderr, flush=True)


_early: list[int] = []  # stop signals that came before the server took its own over


def _stop_early(signum: int, frame: object) -> None:
    _early.append(signum)


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, but a stop by Ctrl-C or SIGTERM ends with exit status 0: uvicorn re-raises the
        signal after its clean shutdown, which would end the process as killed by it."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            if _early:  # a stop that came while the server was starting
                self.handle_exit(_early[0], None)
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return Server
