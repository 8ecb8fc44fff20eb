"""Input readers: one module per format, each giving a `Document` for the parser.

`.txt` (plain text), `.md` (Markdown), `.html`/`.htm` (a saved page or a fragment), `.docx` (Word), and
`http(s)://` URLs (a web page). Edited scripts (`.yaml`/`.json`) are read by `text.scriptfile` instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from audiobook.errors import AudiobookError
from audiobook.text.inputs.blocks import Block, Document

__all__ = ["Block", "Document", "input_stem", "is_url", "read_input"]

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx")


def is_url(arg: str) -> bool:
    return bool(re.match(r"^https?://", arg, re.IGNORECASE))


def read_input(arg: str | Path) -> Document:
    """The article at a path or URL; an unknown format, a missing file or a failed fetch is one clear line."""
    s = str(arg)
    if is_url(s):
        from audiobook.text.inputs.url import read_url

        return read_url(s)
    path = Path(arg)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        from audiobook.text.inputs.markdown import read_markdown

        return read_markdown(path)
    if suffix in (".html", ".htm", ".xhtml"):
        from audiobook.text.inputs.html import read_html_file

        return read_html_file(path)
    if suffix == ".docx":
        from audiobook.text.inputs.docx import read_docx

        return read_docx(path)
    if suffix in (".doc", ".rtf", ".odt", ".pdf", ".pages"):
        raise AudiobookError(f"{path}: {suffix} files are not read; save the article as .docx, .html, .md or "
                             ".txt and try again")
    from audiobook.text.source import read_text

    text = read_text(path)
    if len(_HTML_TAG.findall(text)) >= 3:
        # A page's source pasted into a .txt: its tags would be read aloud; read it as the page it is.
        from audiobook.text.inputs.html import read_html

        return read_html(text, str(path))
    return Document(source=str(path), text=text)


# Markup that plain prose never has: a paragraph, line break, heading, link, bold or a block element.
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|h[1-6]|a|strong|b|em|i|li|ul|img|article|section)\b[^<>]*>",
                       re.IGNORECASE)


def input_stem(arg: str | Path) -> str:
    """The output files' base name: the file's stem, or the last part of a URL's path."""
    s = str(arg)
    if not is_url(s):
        return Path(s).stem
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(s)
    last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    stem = re.sub(r"[^\w.-]+", "-", last).strip("-.")
    return stem or re.sub(r"[^\w.-]+", "-", parts.hostname or "page").strip("-.") or "page"
