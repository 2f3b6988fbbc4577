"""``notes.parquet`` and ``ledger.parquet``, for analysts (pandas, DuckDB, R, Excel).

``notes.parquet`` holds every note with every field; ``ledger.parquet`` holds one row per
input row (and per idea split from a note, and per file skipped) with what became of it.
The schemas are explicit, not inferred, so the columns, their order and their types are the
same in every run, even one where a column happens to be all null.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.report.atomic import atomic_path
from pipeline.schema import LedgerEntry, Note, NoteStatus

NOTES_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("original_text", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("location", pa.string(), nullable=False),
        pa.field("metadata", pa.string(), nullable=False),
        pa.field("lang", pa.string(), nullable=False),
        pa.field("lang_confidence", pa.float64(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("reject_reason", pa.string()),
        pa.field("parent_id", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("duplicate_kind", pa.string()),
        pa.field("theme_id", pa.string()),
        pa.field("theme_probability", pa.float64()),
        pa.field("map_x", pa.float64()),
        pa.field("map_y", pa.float64()),
        pa.field("category", pa.string()),
        pa.field("category_confidence", pa.float64()),
    ],
    metadata={"ideasynth.table": "notes", "metadata.encoding": "json"},
)
"""One column per ``Note`` field, in the model's order; ``metadata`` is a JSON object string."""


def _row(note: Note) -> dict[str, Any]:
    row = note.model_dump(mode="json")
    row["metadata"] = json.dumps(note.metadata, ensure_ascii=False, sort_keys=True)
    if note.status is not NoteStatus.ACTIVE:
        # Only clustered (active) notes have a theme; never let a stale one leak out.
        row["theme_id"] = None
    return row


def notes_table(notes: Sequence[Note]) -> pa.Table:
    rows = [_row(note) for note in notes]
    return pa.Table.from_pylist(rows, schema=NOTES_SCHEMA)


def write_table_atomically(table: pa.Table, path: Path) -> Path:
    """Write a Parquet table to ``path`` atomically (temp file, then rename); returns ``path``."""
    with atomic_path(Path(path)) as tmp:
        pq.write_table(table, tmp, compression="zstd")
    return Path(path)


def write_notes_parquet(notes: Sequence[Note], path: Path) -> Path:
    """Write ``notes`` to ``path`` atomically; returns ``path``."""
    return write_table_atomically(notes_table(notes), path)


LEDGER_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("location", pa.string(), nullable=False),
        pa.field("status", pa.string(), nullable=False),
        pa.field("note_id", pa.string()),
        pa.field("parent_id", pa.string()),
        pa.field("duplicate_of", pa.string()),
        pa.field("theme_id", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("text", pa.string(), nullable=False),
    ],
    metadata={"ideasynth.table": "ledger"},
)
"""One column per ``LedgerEntry`` field, in its order."""


def ledger_table(entries: Sequence[LedgerEntry]) -> pa.Table:
    columns = {name: [getattr(entry, name) for entry in entries] for name in LEDGER_SCHEMA.names}
    columns["status"] = [str(status) for status in columns["status"]]
    return pa.Table.from_pydict(columns, schema=LEDGER_SCHEMA)


def write_ledger_parquet(entries: Sequence[LedgerEntry], path: Path) -> Path:
    """Write the ledger to ``path`` atomically; returns ``path``."""
    return write_table_atomically(ledger_table(entries), path)
