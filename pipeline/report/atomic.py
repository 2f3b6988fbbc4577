"""Write files so that a reader sees the old content or the new one, never a torn mix.

A run folder may be open in a browser or another tool while a run is re-done; a crash or an
exception halfway through a write must not leave a truncated ``report.html`` behind. Each
write goes to a temporary file in the same folder (same file system, so the rename is atomic)
and is moved over the target with ``os.replace`` only once it is complete and flushed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX = ".tmp-"
"""Temporary files start with this (and are hidden), so a leftover one is easy to recognise."""


def _target_mode(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0644, not mkstemp's 0600."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o644


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; best effort, as not every platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; it replaces ``path`` if the block succeeds.

    The caller writes the temporary file however it likes (``open``, ``pyarrow``, …). If the
    block raises, the temporary file is removed and ``path`` keeps its old content.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}.")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        os.chmod(tmp, _target_mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically; returns the path for chaining."""
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``text`` atomically (no newline translation, so output is stable)."""
    with atomic_path(Path(path)) as tmp, tmp.open("w", encoding=encoding, newline="") as handle:
        handle.write(text)
    return Path(path)
