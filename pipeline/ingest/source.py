"""One input file as a reader sees it: a path, the name people see, the limits of the run.

Readers get this handle rather than the file's bytes so that the CSV, text and JSON Lines
readers can stream a large file line by line and the Office readers can let their libraries
read from disk; only formats that must be parsed whole (JSON) load the bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, RowBudget
from pipeline.ingest.encoding import TextEncoding, open_lines


@dataclass
class Source:
    path: Path
    name: str
    """The path relative to the input folder, as shown in notes and messages."""
    budget: RowBudget
    encoding: TextEncoding | None = None
    """Set once ``lines`` has detected it."""
    cp1252_lines: list[int] = field(default_factory=list)
    """Lines of a UTF-8 file read as cp1252 instead (``encoding.iter_lines``), for a warning."""

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def lines(self, forced_encoding: str | None = None) -> Iterator[str]:
        """Decoded lines, with their endings, streamed (see ``encoding.open_lines``)."""
        self.encoding, lines = open_lines(self.path, forced_encoding, self.cp1252_lines)
        return lines

    def collector(self, config: IngestConfig) -> NoteCollector:
        """A collector for this file that charges its rows to the run's budget."""
        return NoteCollector(self.name, config.max_note_chars, self.budget)
