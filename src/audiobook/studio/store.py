"""Articles on disk, every path confined to the workdir.

Layout: WORKDIR/articles/<id>/source.<ext> (what was brought in), script.yaml (the edited script, the
same YAML `audiobook script --yaml` writes, so `audiobook render script.yaml` renders it too), out/ (the
rendered episode); WORKDIR/lexicon.txt (entries added in the studio); WORKDIR/feed/ (the published feed).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from audiobook.errors import AudiobookError

ID_RE = re.compile(r"^[a-z0-9]{12}$")
FILE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,120}$")  # a plain file name: no folder, no leading dot
SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}$")
SCRIPT_NAME = "script.yaml"


class NotFound(Exception):
    """An id or file name that is malformed or names nothing: the caller answers 404."""


class Store:
    def __init__(self, workdir: Path) -> None:
        self.root = workdir.resolve()
        self.articles = self.root / "articles"
        self.articles.mkdir(parents=True, exist_ok=True)
        self.lexicon = self.root / "lexicon.txt"
        self.feed = self.root / "feed"

    def new(self, data: bytes, filename: str) -> tuple[str, Path]:
        """A new article folder holding `data` as source.<ext>; the extension is kept so that `render`
        reads the file by its format, and nothing of the client's name is used as a path."""
        suffix = Path(filename).suffix.lower()
        if not SUFFIX_RE.match(suffix):
            suffix = ".txt"
        article_id = secrets.token_hex(6)
        folder = self.articles / article_id
        folder.mkdir()
        source = folder / f"source{suffix}"
        source.write_bytes(data)
        return article_id, source

    def folder(self, article_id: str) -> Path:
        if not ID_RE.match(article_id):
            raise NotFound(article_id)
        folder = self.articles / article_id
        if not folder.is_dir():
            raise NotFound(article_id)
        return folder

    def source(self, article_id: str) -> Path:
        found = sorted(self.folder(article_id).glob("source.*"))
        if not found:
            raise NotFound(article_id)
        return found[0]

    def script_path(self, article_id: str) -> Path:
        return self.folder(article_id) / SCRIPT_NAME

    def outdir(self, article_id: str) -> Path:
        return self.folder(article_id) / "out"

    def output(self, article_id: str, name: str) -> Path:
        """A rendered file of an article, by plain name; anything else is NotFound."""
        return confined(self.outdir(article_id), name)

    def feed_file(self, name: str) -> Path:
        return confined(self.feed, name)

    def lexicon_path(self) -> Path | None:
        return self.lexicon if self.lexicon.is_file() else None

    def add_lexicon(self, written: str, spoken: str) -> None:
        written, spoken = " ".join(written.split()), " ".join(spoken.split())
        if not written or not spoken or "=" in written or "#" in written + spoken:
            raise AudiobookError("lexicon entry: give the written form and how it is said, without '=' or '#'")
        with self.lexicon.open("a", encoding="utf-8") as f:
            f.write(f"{written} = {spoken}\n")


def confined(folder: Path, name: str) -> Path:
    """`folder/name` for a plain file name that exists as a file inside `folder` (symlinks resolved)."""
    if not FILE_RE.match(name) or ".." in name:
        raise NotFound(name)
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        raise NotFound(name)
    return path
