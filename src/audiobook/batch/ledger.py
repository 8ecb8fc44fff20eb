"""The ledger: what the batch made of each article, from which inputs, and how it went.

One JSON file in the site, rewritten atomically after every finished episode, so a crash or Ctrl-C
loses at most the episodes that were still being rendered; the next run renders those again."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from audiobook.errors import AudiobookError
from audiobook.staging import Staging

LEDGER_NAME = ".audiobook-batch.json"
FORMAT = "audiobook-batch-ledger"
VERSION = 1

State = Literal["rendered", "failed", "pending"]


@dataclass
class Entry:
    source: str  # the article's path as given
    state: State
    inputs_hash: str
    outputs: list[str] = field(default_factory=list)  # file names in the site, the MP3 first
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    error: str | None = None
    finished: str | None = None  # ISO time


@dataclass
class Ledger:
    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)  # episode name -> entry

    @classmethod
    def load(cls, site: Path) -> Ledger:
        path = site / LEDGER_NAME
        if not path.is_file():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError(f"format {data.get('format')!r} version {data.get('version')!r}")
            entries = {name: Entry(**e) for name, e in data["entries"].items()}
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise AudiobookError(
                f"{path}: unreadable batch ledger ({e}); delete it to render the whole archive again"
            ) from None
        return cls(path, entries)

    def up_to_date(self, name: str, inputs_hash: str) -> bool:
        e = self.entries.get(name)
        return (
            e is not None and e.state == "rendered" and e.inputs_hash == inputs_hash
            and bool(e.outputs) and all((self.path.parent / o).is_file() for o in e.outputs)
        )

    def record(self, name: str, entry: Entry) -> None:
        if entry.state != "pending":
            entry.finished = datetime.now(UTC).replace(microsecond=0).isoformat()
        self.entries[name] = entry
        self.save()

    def save(self) -> None:
        doc = {"format": FORMAT, "version": VERSION,
               "entries": {name: asdict(e) for name, e in sorted(self.entries.items())}}
        with Staging(self.path.parent) as stage:
            stage.write_text(self.path.name, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
            stage.commit()
