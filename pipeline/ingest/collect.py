"""Where readers put what they find, so every format applies the same rules.

Readers only locate text; the collector strips it, normalises line breaks, turns empty or
over-long cells into ``RejectedInput`` (nothing is silently lost) and assigns stable ids.
It does no other cleaning: Unicode normalisation belongs to the prepare step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.ingest.ids import IdAllocator
from pipeline.schema import RawNote, RejectedInput

EMPTY_TEXT = "empty text"


def clean_cell(value: str) -> str:
    """Strip surrounding whitespace and turn Windows/old-Mac line breaks into ``\\n``."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class ReadResult:
    """What one reader got out of one file."""

    notes: list[RawNote] = field(default_factory=list)
    rejected: list[RejectedInput] = field(default_factory=list)
    text_column: str | None = None


class NoteCollector:
    """Builds the notes and rejections of one source file."""

    def __init__(self, source: str, max_note_chars: int) -> None:
        self.source = source
        self.max_note_chars = max_note_chars
        self._ids = IdAllocator(source)
        self._result = ReadResult()

    def add(self, text: str, location: str, metadata: Mapping[str, str] | None = None) -> None:
        """Record one note, or its rejection when the text is empty or too long."""
        cleaned = clean_cell(text)
        if not cleaned:
            self.reject(location, EMPTY_TEXT, text)
            return
        if len(cleaned) > self.max_note_chars:
            reason = (
                f"text too long ({len(cleaned)} characters; "
                f"ingest.max_note_chars is {self.max_note_chars})"
            )
            self.reject(location, reason, cleaned[: self.max_note_chars])
            return
        note = RawNote(
            id=self._ids.next_id(cleaned),
            text=cleaned,
            source=self.source,
            location=location,
            metadata=clean_metadata(metadata or {}),
        )
        self._result.notes.append(note)

    def reject(self, location: str, reason: str, text: str = "") -> None:
        self._result.rejected.append(
            RejectedInput(source=self.source, location=location, reason=reason, text=text)
        )

    def result(self, text_column: str | None = None) -> ReadResult:
        self._result.text_column = text_column
        return self._result


def clean_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """Metadata values are cleaned like text; empty ones carry no information and are dropped."""
    cleaned = {key: clean_cell(value) for key, value in metadata.items()}
    return {key: value for key, value in cleaned.items() if value}
