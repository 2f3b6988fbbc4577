"""Rows of a table (CSV, a sheet, a JSON list) turned into notes, the same way for every format.

The header is the first non-blank row; row numbers are the ones people see in a spreadsheet
(header on row 1 → first note on row 2). Blank rows hold nothing to lose and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.ingest.collect import NoteCollector
from pipeline.ingest.columns import TableLayout, detect_layout


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number as the user sees it, cells), blank rows left out."""

    def cells(self) -> list[list[str]]:
        return [cells for _, cells in self.rows]


def is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def table_from_records(records: Iterable[Sequence[str]]) -> Table | None:
    """Split 1-based records into header and data rows; ``None`` when all are blank."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, record in enumerate(records, start=1):
        if is_blank(record):
            continue
        if header is None:
            header = list(record)
        else:
            rows.append((number, list(record)))
    return None if header is None else Table(header, rows)


def table_layout(table: Table, override: str | None) -> TableLayout:
    """The text column of ``table`` (raises ColumnError)."""
    return detect_layout(table.header, table.cells(), override)


def emit_table(
    collector: NoteCollector, table: Table, layout: TableLayout, location_prefix: str = ""
) -> None:
    """Add one note (or rejection) per data row, other columns as metadata."""
    for number, cells in table.rows:
        text, metadata = layout.split(cells)
        collector.add(text, f"{location_prefix}row {number}", metadata)
