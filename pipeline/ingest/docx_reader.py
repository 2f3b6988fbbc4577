"""Word documents: body paragraphs in reading order, and tables.

Headings structure a report ("Table 3 – Mobility") and become the ``section`` of the notes
under them. A table whose first row names a text column is read like a spreadsheet; any
other table (a grid of sticky notes typed up) gives one note per non-empty cell.

Text is read from the XML rather than through python-docx's ``text`` properties, which
drop what sits inside wrappers: tracked insertions (``w:ins``) are kept, tracked deletions
(``w:del``, ``w:moveFrom``) are not, content controls (``w:sdt``) are read. A text box (a
sticky note drawn on the page) gives one note per paragraph, read once though Word stores it
twice (DrawingML, and VML for older readers). A table nested in a table's cell is read as a
table of its own, so its cells are notes of their own rather than lines of one long note.
Comments live in another part and never become notes.
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
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_ALTERNATE, _MC_CHOICE, _MC_FALLBACK = f"{_MC}AlternateContent", f"{_MC}Choice", f"{_MC}Fallback"
_TXBX = qn("w:txbxContent")
_DRAWINGS = frozenset({qn("w:drawing"), qn("w:pict"), qn("w:object")})
MAX_TABLE_DEPTH = 64
"""Tables nested deeper than this in each other's cells are rejected with their reason."""
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
        self.boxes = 0
        self.text_columns: list[str] = []

    def paragraph(self, paragraph: Paragraph) -> None:
        text = paragraph_text(paragraph._p)
        if text.strip():
            self.paragraphs += 1
            where = f"paragraph {self.paragraphs}"
            if is_heading(paragraph):
                self.section = text.strip()
                self.collector.structure(where, HEADING, self.section)
            else:
                self.collector.add(strip_bullet(text), where, self._context())
        self._text_boxes(paragraph._p)

    def _text_boxes(self, element: Any) -> None:
        """One note per non-empty paragraph of each text box anchored in ``element``."""
        for box in text_boxes(element):
            self.boxes += 1
            lines = [paragraph_text(p) for p in _cell_paragraphs(box)]
            for number, line in enumerate((line for line in lines if line.strip()), start=1):
                where = f"text box {self.boxes} paragraph {number}"
                self.collector.add(strip_bullet(line), where, self._context())

    def table(self, table: DocxTable, where: str | None = None, depth: int = 0) -> None:
        if where is None:
            self.tables += 1
            where = f"table {self.tables}"
        grid = [
            _unique_cells(row.cells) for row in table.rows if row._tr.find(_DELETED_ROW) is None
        ]
        rows = [[cell_text(cell) for cell in row] for row in grid]
        if not rows:
            return
        layout = header_layout(rows[0], self.override) if len(rows) > 1 else None
        if layout is None:
            self._cells(grid, rows, where, depth)
            return
        if layout.text_column not in self.text_columns:
            self.text_columns.append(layout.text_column)
        self.collector.structure(f"{where} row 1", HEADER_ROW, " | ".join(rows[0]))
        self._nested_in(grid[0], f"{where} row 1", depth)
        for number, (cells, texts) in enumerate(zip(grid[1:], rows[1:], strict=True), start=2):
            if any(text.strip() for text in texts):
                text, metadata = layout.split(texts)
                self.collector.add(text, f"{where} row {number}", {**self._context(), **metadata})
            self._nested_in(cells, f"{where} row {number}", depth)

    def _cells(
        self, rows: list[list[_Cell]], texts: list[list[str]], where: str, depth: int
    ) -> None:
        """One note per non-empty cell; a vertically merged cell counts once."""
        seen: set[int] = set()
        for row_number, (cells, row_texts) in enumerate(zip(rows, texts, strict=True), start=1):
            for cell_number, (cell, text) in enumerate(zip(cells, row_texts, strict=True), 1):
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                place = f"{where} row {row_number} cell {cell_number}"
                if text.strip():
                    self.collector.add(text, place, self._context())
                self._nested(cell, place, depth)

    def _nested_in(self, cells: list[_Cell], where: str, depth: int) -> None:
        for number, cell in enumerate(cells, start=1):
            self._nested(cell, f"{where} cell {number}", depth)

    def _nested(self, cell: _Cell, where: str, depth: int) -> None:
        """The tables nested in ``cell``, each read as a table of its own, and the text boxes
        anchored in the cell's paragraphs."""
        for paragraph in _cell_paragraphs(cell._tc):
            self._text_boxes(paragraph)
        for number, element in enumerate(nested_tables(cell._tc), start=1):
            place = f"{where} table {number}"
            if depth + 1 > MAX_TABLE_DEPTH:
                reason = f"a table nested more than {MAX_TABLE_DEPTH} deep in tables; not read"
                text = " ".join(paragraph_text(p) for p in element.iter(_P))
                self.collector.reject(place, reason, " ".join(text.split())[:200])
                continue
            self.table(DocxTable(element, cell), place, depth + 1)

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
    """Every paragraph of a table cell, one per line; not those of the tables nested in it,
    which are read as tables of their own."""
    return "\n".join(paragraph_text(p) for p in _cell_paragraphs(cell._tc))


def _cell_paragraphs(element: Any) -> Iterator[Any]:
    """The paragraphs of a cell or a text box, outside nested tables and text boxes."""
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == _P:
            yield child
        elif child.tag not in _NOT_TEXT and child.tag != _TBL and isinstance(child.tag, str):
            stack.append(iter(child))


def nested_tables(element: Any) -> Iterator[Any]:
    """The tables directly in a cell (content controls opened), not those nested deeper."""
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag == _TBL:
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
            stack.append(iter(child))


def text_boxes(paragraph: Any) -> list[Any]:
    """The text boxes (``w:txbxContent``) anchored in a paragraph, each once: of the two copies
    Word stores under ``mc:AlternateContent``, the first choice's, else the fallback's."""
    found: list[Any] = []
    stack = [iter(paragraph)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
        elif element.tag == _MC_ALTERNATE:
            for branch in [*element.findall(_MC_CHOICE), *element.findall(_MC_FALLBACK)]:
                boxes = list(branch.iter(_TXBX))
                if boxes:
                    found.extend(boxes)
                    break
        elif element.tag in _DRAWINGS:
            found.extend(element.iter(_TXBX))
        elif element.tag not in _NOT_TEXT and isinstance(element.tag, str):
            stack.append(iter(element))
    return found


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
