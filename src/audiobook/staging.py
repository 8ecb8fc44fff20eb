"""Write every output under a temporary name and rename them all at the end, so a failure never
leaves a half-written episode behind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType


class Staging:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: dict[Path, Path] = {}

    def __enter__(self) -> Staging:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def path(self, name: str) -> Path:
        """A temporary path that becomes `folder/name` on commit; keeps the suffix for tools that need it."""
        final = self.folder / name
        tmp = self.folder / f".{final.stem}.partial-{os.getpid()}{final.suffix}"
        self._pending[final] = tmp
        return tmp

    def write_text(self, name: str, text: str) -> Path:
        tmp = self.path(name)
        tmp.write_text(text, encoding="utf-8")
        return tmp

    def write_bytes(self, name: str, data: bytes) -> Path:
        tmp = self.path(name)
        tmp.write_bytes(data)
        return tmp

    def copy(self, src: Path, name: str) -> Path:
        tmp = self.path(name)
        shutil.copyfile(src, tmp)
        return tmp

    def commit(self) -> list[Path]:
        for final, tmp in self._pending.items():
            os.replace(tmp, final)
        done = list(self._pending)
        self._pending.clear()
        return done

    def discard(self) -> None:
        for tmp in self._pending.values():
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if et is not None:
            self.discard()
