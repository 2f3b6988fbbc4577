"""Stable note ids, so that reviews and labels keyed by id survive a re-run.

The id depends only on the file, the text and how many identical texts came before it in
that file: re-ordering other rows or adding notes elsewhere does not change it, and two
identical notes in one file still get distinct ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter


def note_id(source: str, text: str, occurrence: int) -> str:
    """``"n"`` + the first 12 hex digits of sha256(source NUL text NUL occurrence)."""
    payload = f"{source}\0{text}\0{occurrence}".encode()
    return "n" + hashlib.sha256(payload).hexdigest()[:12]


class IdAllocator:
    """Hands out ids for one source, counting earlier occurrences of each text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._seen: Counter[str] = Counter()

    def next_id(self, text: str) -> str:
        occurrence = self._seen[text]
        self._seen[text] += 1
        return note_id(self.source, text, occurrence)
