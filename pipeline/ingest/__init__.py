"""Ingest: read workshop exports (CSV, Excel, text, Markdown, Word, JSON) into raw notes.

``ingest(path, config)`` reads one file or a whole folder; problems are one-line messages
naming the file (``IngestResult.errors``, or ``IngestError`` when nothing can be used).
Each format has its own reader module, registered by extension in ``readers.py``.
"""

from __future__ import annotations

from pipeline.ingest.errors import IngestError, ReaderError
from pipeline.ingest.ids import note_id
from pipeline.ingest.readers import READERS
from pipeline.ingest.step import ingest

__all__ = ["READERS", "IngestError", "ReaderError", "ingest", "note_id"]
