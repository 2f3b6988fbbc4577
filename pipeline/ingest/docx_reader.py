"""Word documents: body paragraphs in reading order, and tables.

Headings structure a report ("Table 3 – Mobility") and become the ``section`` of the notes
under them. A table whose first row names a text column is read like a spreadsheet; any
other table (a grid of sticky notes typed up) gives one note per non-empty cell.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.columns import (
    ColumnError,
    TableLayout,
    detect_layout,
    find_text_column,
    metadata_keys,
)
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ooxml import check_ooxml
from pipeline.ingest.text_reader import strip_bullet

_HEADING_STYLE = re.compile(
    r"^(heading|title|subtitle|titre|sous-titre|kop|titel|überschrift)", re.I
)


class DocxError(ReaderError):
    """A Word document python-docx cannot read."""


class _DocxNotes:
    """Walks one document, keeping the current section and the paragraph/table counters."""

    def __init__(self, collector: NoteCollector, override: str | None) -> None:
        self.collector = collector
        self.override = override
        self.section: str | None = None
        self.paragraphs = 0
        self.tables = 0
        self.text_columns: list[str] = []

    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph.text
        if not text.strip():
            return
        self.paragraphs += 1
        if is_heading(paragraph):
            self.section = text.strip()
            return
        self.collector.add(strip_bullet(text), f"paragraph {self.paragraphs}", self._context())

    def table(self, table: DocxTable) -> None:
        self.tables += 1
        grid = [_unique_cells(row.cells) for row in table.rows]
        rows = [[cell.text for cell in row] for row in grid]
        if not rows:
            return
        layout = header_layout(rows[0], self.override) if len(rows) > 1 else None
        if layout is None:
            self._cells(grid)
            return
        if layout.text_column not in self.text_columns:
            self.text_columns.append(layout.text_column)
        for number, cells in enumerate(rows[1:], start=2):
            if any(cell.strip() for cell in cells):
                text, metadata = layout.split(cells)
                where = f"table {self.tables} row {number}"
                self.collector.add(text, where, {**self._context(), **metadata})

    def _cells(self, rows: list[list[_Cell]]) -> None:
        """One note per non-empty cell; a vertically merged cell counts once."""
        seen: set[int] = set()
        for row_number, cells in enumerate(rows, start=1):
            for cell_number, cell in enumerate(cells, start=1):
                if id(cell._tc) in seen or not cell.text.strip():
                    continue
                seen.add(id(cell._tc))
                where = f"table {self.tables} row {row_number} cell {cell_number}"
                self.collector.add(cell.text, where, self._context())

    def _context(self) -> dict[str, str]:
        return {"section": self.section} if self.section else {}


def read_docx(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    check_ooxml(data, "word/document.xml", config.max_file_mb)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, XML errors, …
        raise DocxError(
            f"cannot read document: {exc}", "open it in Word and save it again"
        ) from None
    walker = _DocxNotes(NoteCollector(source, config.max_note_chars), config.text_column)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            walker.paragraph(block)
        else:
            walker.table(block)
    return walker.collector.result(", ".join(walker.text_columns) or None)


def is_heading(paragraph: Paragraph) -> bool:
    """Headings and titles by style name (Word stores built-in names in English)."""
    style = paragraph.style
    name = style.name if style is not None else None
    return bool(name and _HEADING_STYLE.match(name))


def header_layout(header: list[str], override: str | None) -> TableLayout | None:
    """Layout when the first row names a text column (or the configured one), else ``None``."""
    if override is not None:
        try:
            return detect_layout(header, [], override)
        except ColumnError:
            pass
    index = find_text_column(header)
    return (
        None if index is None else TableLayout(tuple(header), index, metadata_keys(header, index))
    )


def _unique_cells(cells: Sequence[_Cell]) -> list[_Cell]:
    """A row's cells with a horizontally merged cell (repeated by python-docx) kept once.

    The returned cells keep their XML elements alive, so ``id(cell._tc)`` stays a valid
    identity for the merged-cell checks above.
    """
    unique: list[_Cell] = []
    for cell in cells:
        if not any(cell is kept for kept in unique):
            unique.append(cell)
    return unique
