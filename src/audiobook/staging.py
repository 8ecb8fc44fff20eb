"""Write every output under a temporary name and rename them all at the end, so a failure never
leaves a half-written episode behind, and an error names the file the user asked for, not a hidden one."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from glob import escape
from pathlib import Path
from types import TracebackType

from audiobook.errors import AudiobookError

_PARTIAL = re.compile(r"\.partial-(\d+)$")


class Staging:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: dict[Path, Path] = {}

    def __enter__(self) -> Staging:
        with self._naming(self.folder):
            self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def path(self, name: str) -> Path:
        """A temporary path that becomes `folder/name` on commit; keeps the suffix for tools that need it.

        Partial files of the same name left by a process that is gone (killed mid-render) are removed."""
        final = self.folder / name
        _remove_stale(self.folder, final)
        tmp = self.folder / f".{final.stem}.partial-{os.getpid()}{final.suffix}"
        self._pending[final] = tmp
        return tmp

    def write_text(self, name: str, text: str) -> Path:
        tmp = self.path(name)
        with self._naming(self.folder / name):
            tmp.write_text(text, encoding="utf-8")
        return tmp

    def write_bytes(self, name: str, data: bytes) -> Path:
        tmp = self.path(name)
        with self._naming(self.folder / name):
            tmp.write_bytes(data)
        return tmp

    def copy(self, src: Path, name: str) -> Path:
        tmp = self.path(name)
        with self._naming(self.folder / name):
            shutil.copyfile(src, tmp)
        return tmp

    def commit(self) -> list[Path]:
        for final, tmp in self._pending.items():
            with self._naming(final):
                os.replace(tmp, final)
        done = list(self._pending)
        self._pending.clear()
        return done

    def discard(self) -> None:
        for tmp in self._pending.values():
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    @contextlib.contextmanager
    def _naming(self, target: Path) -> Iterator[None]:
        """An OSError as one line naming `target` (the file the user will see) and its folder."""
        try:
            yield
        except OSError as e:
            raise AudiobookError(
                f"{target}: cannot be written ({e.strerror or e}); check the free space and permissions of "
                f"{self.folder}"
            ) from None

    def __exit__(self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        if et is not None:
            self.discard()


def _remove_stale(folder: Path, final: Path) -> None:
    try:
        candidates = list(folder.glob(f".{escape(final.stem)}.partial-*{escape(final.suffix)}"))
    except OSError:
        return
    for path in candidates:
        m = _PARTIAL.search(path.name[: len(path.name) - len(final.suffix)] if final.suffix else path.name)
        if m is None or int(m.group(1)) == os.getpid() or _alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
