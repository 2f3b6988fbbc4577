"""One SQLite transaction at a time on a cache file that several threads and processes share.

The embedding cache and the text memo are both content-addressed tables that a run killed at
any moment (even by SIGKILL) must leave usable: WAL mode with ``synchronous=NORMAL`` keeps
every committed transaction and never leaves a torn row or a corrupt file; only a power cut
can lose the last commits. Each call opens and closes its own connection, so a batch's
threads and workers need no shared handle.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

IN_CHUNK = 500
"""Keys per ``IN (...)`` query: well under SQLite's limit on bound parameters."""


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection whose block is one transaction (committed at its end, rolled back on an
    error), closed afterwards."""
    db = sqlite3.connect(path, timeout=60)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        with db:
            yield db
    finally:
        db.close()


def chunks(keys: Sequence[str]) -> Iterator[list[str]]:
    """``keys`` in slices small enough for one ``IN (...)`` query each."""
    for start in range(0, len(keys), IN_CHUNK):
        yield list(keys[start : start + IN_CHUNK])
