"""The registry of readers: file extension → format name and reader function.

Adding a format means writing one module with a ``Reader`` and one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.config import IngestConfig
from pipeline.ingest.collect import ReadResult
from pipeline.ingest.csv_reader import read_csv
from pipeline.ingest.docx_reader import read_docx
from pipeline.ingest.json_reader import read_json, read_jsonl
from pipeline.ingest.source import Source
from pipeline.ingest.text_reader import read_text
from pipeline.ingest.xlsx_reader import read_xlsx

Reader = Callable[[Source, IngestConfig], ReadResult]
"""(file handle, config) → notes and rows; raises a ReaderError for an unreadable file."""


@dataclass(frozen=True)
class Format:
    name: str
    """Recorded in ``InputFile.format``."""
    read: Reader


_CSV = Format("csv", read_csv)
_XLSX = Format("xlsx", read_xlsx)
_TEXT = Format("text", read_text)
_MARKDOWN = Format("markdown", read_text)

READERS: dict[str, Format] = {
    ".csv": _CSV,
    ".tsv": _CSV,
    ".xlsx": _XLSX,
    ".xlsm": _XLSX,
    ".txt": _TEXT,
    ".md": _MARKDOWN,
    ".markdown": _MARKDOWN,
    ".docx": Format("docx", read_docx),
    ".json": Format("json", read_json),
    ".jsonl": Format("jsonl", read_jsonl),
}


def format_for(suffix: str) -> Format | None:
    return READERS.get(suffix.lower())


def supported_extensions() -> str:
    """For messages: ".csv, .docx, …"."""
    return ", ".join(sorted(READERS))
