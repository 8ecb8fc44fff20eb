"""http(s):// URL -> Document: the page fetched once (timeout, size limit), then read as HTML."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request

from audiobook.errors import AudiobookError
from audiobook.text.inputs.blocks import Document
from audiobook.text.inputs.html import MAX_BYTES, decode, read_html

TIMEOUT = 20.0  # seconds, per connection attempt and per read
TOTAL = 60.0  # seconds for the whole page: a server trickling bytes never trips the per-read timeout
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_url(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES, total: float = TOTAL) -> Document:
    req = urllib.request.Request(url, headers={"User-Agent": "audiobook/0.1 (article reader)",
                                               "Accept": "text/html,application/xhtml+xml"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type()
            if ctype not in _HTML_TYPES:
                raise AudiobookError(f"{url}: not a web page (Content-Type {ctype}); give the article's page "
                                     "or save the file and give its path")
            length = resp.headers.get("Content-Length")
            declared = int(length) if length and length.isdigit() else None
            if declared is not None and declared > max_bytes:
                raise AudiobookError(f"{url}: the page is larger than {max_bytes // 1_000_000} MB; "
                                     "give the article's own page")
            data = _body(resp, url, max_bytes, time.monotonic() + total, total)
            charset = resp.headers.get_content_charset()
            if declared is not None and not resp.headers.get("Content-Encoding") and len(data) < declared:
                # http.client returns a body cut short by a dropped connection as if it were whole.
                raise AudiobookError(f"{url}: the page arrived incomplete ({len(data)} of {declared} bytes); try "
                                     "again, or save the page and give the file")
    except urllib.error.HTTPError as e:
        raise AudiobookError(f"{url}: the server answered HTTP {e.code} ({e.reason}); check the address") from None
    except urllib.error.URLError as e:
        reason = e.reason.strerror if isinstance(e.reason, OSError) and e.reason.strerror else e.reason
        raise AudiobookError(f"{url}: cannot fetch the page ({reason}); check the address and that you are "
                             "online, or save the page and give the file") from None
    except TimeoutError:
        raise AudiobookError(f"{url}: no answer within {timeout:g} s; try again, or save the page and give "
                             "the file") from None
    except (ValueError, http.client.HTTPException) as e:
        raise AudiobookError(f"{url}: cannot fetch the page ({e}); check the address") from None
    if len(data) > max_bytes:
        raise AudiobookError(f"{url}: the page is larger than {max_bytes // 1_000_000} MB; "
                             "give the article's own page")
    return read_html(decode(data, charset, url), url)


def _body(resp: http.client.HTTPResponse, url: str, max_bytes: int, deadline: float, total: float) -> bytes:
    """Up to max_bytes + 1 of the body, one socket read at a time, by `deadline`."""
    chunks: list[bytes] = []
    got = 0
    while got <= max_bytes:
        if time.monotonic() > deadline:
            raise AudiobookError(f"{url}: the page took over {total:g} s to arrive; try again, or save the page "
                                 "and give the file")
        chunk = resp.read1(min(1 << 16, max_bytes + 1 - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
