"""The articles of an archive and the stable, unique episode name each one gets from its path."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import AudiobookError
from audiobook.text.script import SCRIPT_SUFFIXES

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx")
# Files in an archive that configure it rather than being articles.
CONFIG_NAMES = {"podcast.toml", "cast.toml"}


@dataclass(frozen=True)
class Article:
    source: Path  # what is rendered: the edited script beside the article if there is one, else the article
    inputs: tuple[Path, ...]  # the files the episode is made from (article, edited script)
    rel: str  # the source's path under its SRC, for messages and the ledger
    name: str  # the episode's file stem in the site


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str


def find_articles(sources: list[Path], site: Path) -> tuple[list[Article], list[Skipped]]:
    """Every article under `sources` (folders searched recursively), and the files passed over with why.

    An edited script (`a.yaml`) beside an article (`a.txt`) is what gets rendered; both are its inputs."""
    site = site.resolve()
    groups: dict[tuple[Path, str], list[tuple[Path, Path]]] = {}  # (folder, stem) -> [(file, its SRC root)]
    skipped: list[Skipped] = []
    for src in sources:
        if not src.exists():
            raise AudiobookError(f"{src}: not found; give folders or files of articles")
        root = src if src.is_dir() else src.parent
        files = sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src]
        for path in files:
            rel_parts = path.relative_to(root).parts
            if _inside(path, site) or any(part.startswith(".") for part in rel_parts):
                continue  # the site's own files, hidden files and folders
            suffix = path.suffix.lower()
            if path.name in CONFIG_NAMES:
                continue
            if suffix not in ARTICLE_SUFFIXES + SCRIPT_SUFFIXES:
                skipped.append(Skipped(path, f"not an article ({suffix or 'no suffix'})"))
                continue
            if suffix == ".json" and _is_audiobook_output(path):
                skipped.append(Skipped(path, "an episode manifest written by audiobook, not an article"))
                continue
            groups.setdefault((path.parent, path.stem), []).append((path, root))
    articles: list[tuple[Path, tuple[Path, ...], Path]] = []
    for (_, _), members in sorted(groups.items()):
        scripts = [m for m in members if m[0].suffix.lower() in SCRIPT_SUFFIXES]
        texts = [m for m in members if m[0].suffix.lower() in ARTICLE_SUFFIXES]
        if scripts and len(scripts) + len(texts) > 1:
            # The editor's script supersedes the article it was made from; both are inputs.
            chosen = scripts[0]
            articles.append((chosen[0], tuple(m[0] for m in members), chosen[1]))
            skipped += [Skipped(m[0], f"an edited script beside it is rendered: {chosen[0].name}") for m in scripts[1:]]
        else:
            articles += [(m[0], (m[0],), m[1]) for m in members]
    return _name(articles, multi=len(sources) > 1), skipped


def _name(found: list[tuple[Path, tuple[Path, ...], Path]], multi: bool) -> list[Article]:
    """Names from the path under SRC ("2024/spring/aliyev.txt" -> "2024-spring-aliyev"); with several
    SRCs the SRC's own name comes first. Where two paths give one name, each gets a short hash of its path."""
    named: list[tuple[Path, tuple[Path, ...], str, str]] = []
    for source, inputs, root in found:
        under = source.relative_to(root)
        parts = ([root.resolve().name] if multi else []) + [*under.parent.parts, under.stem]
        named.append((source, inputs, under.as_posix(), slug("-".join(parts))))
    counts: dict[str, int] = {}
    for entry in named:
        counts[entry[3]] = counts.get(entry[3], 0) + 1
    out: list[Article] = []
    for source, inputs, rel, name in named:
        if counts[name] > 1:
            name = f"{name}-{hashlib.sha1(str(source.resolve()).encode()).hexdigest()[:6]}"
        out.append(Article(source, inputs, rel, name))
    return out


def slug(text: str) -> str:
    """A file stem that is safe in a folder and a URL path: letters and digits of any script, '-', '_'."""
    text = re.sub(r"[^\w-]+", "-", text.strip().lower()).strip("-_")
    return re.sub(r"-{2,}", "-", text) or "episode"


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder)


def _is_audiobook_output(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b'"audiobook-manifest"' in head or path.name.endswith((".chapters.json", ".transcript.json"))
