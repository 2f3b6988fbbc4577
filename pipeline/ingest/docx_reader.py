"""Word documents: body paragraphs in reading order, and tables.

Headings structure a report ("Table 3 – Mobility") and become the ``section`` of the notes
under them. A table whose first row names a text column is read like a spreadsheet; any
other table (a grid of sticky notes typed up) gives one note per non-empty cell.

Text is read from the XML rather than through python-docx's ``text`` properties, which
drop what sits inside wrappers: tracked insertions (``w:ins``) are kept, tracked deletions
(``w:del``, ``w:moveFrom``) are not, content controls (``w:sdt``) are read, and text boxes and
drawings, which Word stores twice, are left out. Comments live in another part and never
become notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from docx import Document
from docx.oxml.ns import qn
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
from pipeline.ingest.source import Source
from pipeline.ingest.table import HEADER_ROW
from pipeline.ingest.text_reader import strip_bullet

_HEADING_STYLE = re.compile(
    r"^(heading|title|subtitle|titre|sous-titre|kop|titel|überschrift)", re.I
)
HEADING = "heading (the section of the notes below)"
_SAVE_AGAIN = "open it in Word and save it again"

_P, _TBL, _TR = qn("w:p"), qn("w:tbl"), qn("w:tr")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_T, _TAB, _BR, _CR, _HYPHEN = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_MC_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_NOT_TEXT = frozenset(
    {
        qn("w:del"),
        qn("w:moveFrom"),
        qn("w:drawing"),
        qn("w:pict"),
        qn("w:object"),
        qn("w:pPr"),
        qn("w:rPr"),
        _MC_ALTERNATE,
    }
)
"""Subtrees whose text is not the paragraph's: tracked deletions, text boxes and drawings
(stored twice under AlternateContent), properties."""
_DELETED_ROW = f"{qn('w:trPr')}/{qn('w:del')}"


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
        text = paragraph_text(paragraph._p)
        if not text.strip():
            return
        self.paragraphs += 1
        where = f"paragraph {self.paragraphs}"
        if is_heading(paragraph):
            self.section = text.strip()
            self.collector.structure(where, HEADING, self.section)
            return
        self.collector.add(strip_bullet(text), where, self._context())

    def table(self, table: DocxTable) -> None:
        self.tables += 1
        grid = [
            _unique_cells(row.cells) for row in table.rows if row._tr.find(_DELETED_ROW) is None
        ]
        rows = [[cell_text(cell) for cell in row] for row in grid]
        if not rows:
            return
        layout = header_layout(rows[0], self.override) if len(rows) > 1 else None
        if layout is None:
            self._cells(grid, rows)
            return
        if layout.text_column not in self.text_columns:
            self.text_columns.append(layout.text_column)
        self.collector.structure(f"table {self.tables} row 1", HEADER_ROW, " | ".join(rows[0]))
        for number, cells in enumerate(rows[1:], start=2):
            if any(cell.strip() for cell in cells):
                text, metadata = layout.split(cells)
                where = f"table {self.tables} row {number}"
                self.collector.add(text, where, {**self._context(), **metadata})

    def _cells(self, rows: list[list[_Cell]], texts: list[list[str]]) -> None:
        """One note per non-empty cell; a vertically merged cell counts once."""
        seen: set[int] = set()
        for row_number, (cells, row_texts) in enumerate(zip(rows, texts, strict=True), start=1):
            for cell_number, (cell, text) in enumerate(zip(cells, row_texts, strict=True), 1):
                if id(cell._tc) in seen or not text.strip():
                    continue
                seen.add(id(cell._tc))
                where = f"table {self.tables} row {row_number} cell {cell_number}"
                self.collector.add(text, where, self._context())

    def _context(self) -> dict[str, str]:
        return {"section": self.section} if self.section else {}


def read_docx(source: Source, config: IngestConfig) -> ReadResult:
    check_ooxml(source.path, "word/document.xml", config.max_file_mb)
    try:
        document = Document(str(source.path))
    except Exception as exc:  # python-docx raises KeyError, XML errors, …
        raise DocxError(f"cannot read document: {exc}", _SAVE_AGAIN) from None
    body = document.element.find(qn("w:body"))
    if body is None:
        raise DocxError("cannot read document: it has no body", _SAVE_AGAIN)
    walker = _DocxNotes(source.collector(config), config.text_column)
    try:
        _walk(body, document, walker)
    except ReaderError:
        raise
    except Exception as exc:  # python-docx objects over damaged XML fail in many ways
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise DocxError(f"cannot read document: {detail}", _SAVE_AGAIN) from None
    return walker.collector.result(", ".join(walker.text_columns) or None)


def _walk(body: Any, document: Any, walker: _DocxNotes) -> None:
    for element in body_blocks(body):
        if element.tag == _P:
            walker.paragraph(Paragraph(element, document))
            continue
        try:
            walker.table(DocxTable(element, document))
        except ReaderError:
            raise
        except Exception as exc:  # a damaged table must not cost the rest of the document
            walker.collector.reject(
                f"table {walker.tables}",
                f"cannot read this table ({type(exc).__name__}); {_SAVE_AGAIN}",
            )


def body_blocks(body: Any) -> Iterator[Any]:
    """Paragraph and table elements in reading order, content controls opened."""
    stack = [iter(body)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
        elif element.tag in (_P, _TBL):
            yield element
        elif element.tag == _SDT:
            content = element.find(_SDT_CONTENT)
            if content is not None:
                stack.append(iter(content))
        elif element.tag == _CUSTOM_XML:
            stack.append(iter(element))


def paragraph_text(paragraph: Any) -> str:
    """The text a reader of the final document sees in one ``w:p``: insertions in,
    deletions out, tabs and breaks as tab and newline characters."""
    parts: list[str] = []
    stack = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
            continue
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _HYPHEN:
            parts.append("-")
        elif tag not in _NOT_TEXT and tag != _P:
            stack.append(iter(element))
    return "".join(parts)


def cell_text(cell: _Cell) -> str:
    """Every paragraph of a table cell, nested tables included, one per line."""
    return "\n".join(paragraph_text(p) for p in _cell_paragraphs(cell._tc))


def _cell_paragraphs(element: Any) -> Iterator[Any]:
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == _P:
            yield child
        elif child.tag not in _NOT_TEXT and isinstance(child.tag, str):
            stack.append(iter(child))


def is_heading(paragraph: Paragraph) -> bool:
    """Headings and titles by style name (Word stores built-in names in English); by style id
    when the styles part is damaged."""
    try:
        style = paragraph.style
        name = style.name if style is not None else None
    except Exception:  # python-docx fails on a damaged styles part
        style_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = style_id.get(qn("w:val")) if style_id is not None else None
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
