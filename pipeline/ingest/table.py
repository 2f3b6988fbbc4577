"""Rows of a table (CSV, a sheet) turned into notes, the same way for every format, streamed.

The header is the first non-blank row, unless title rows stand above it (a sheet headed
"Atelier citoyen du 12 mars – Table 3", a blank row, then the column names): rows of one
filled cell before a row of several short names are titles, recorded in the ledger, and the
header's row is named in the manifest. Row numbers are the ones people see in a spreadsheet
(header on row 1 → first note on row 2). Blank rows hold nothing to lose and are skipped.
The text column is chosen from the first ``DETECTION_ROWS`` data rows, and the rows are then
added one at a time, so a table of a million rows is never held twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from pipeline.ingest.collect import NoteCollector
from pipeline.ingest.columns import (
    TEXT_NAMES,
    TableLayout,
    detect_layout,
    display_headers,
    normalize_name,
)
from pipeline.schema import RowStatus

Record = tuple[int, Sequence[str]]
"""(row number as people see it, cells)."""

MAX_COLUMNS = 1000
"""Columns of a table that are read: the text column is found among them and each note's
metadata comes from them. A CSV of 10,000 columns held 10 million cells while finding its
text column, and repeated them all in every note."""
DETECTION_ROWS = 1000
"""Data rows looked at to find the text column when no header names it."""
HEADER_ROW = "header row (column names)"
TITLE_ROW = "title above the header row"
MAX_TITLE_ROWS = 5
"""Rows of one filled cell that may stand above a header as its title and subtitles."""
MAX_HEADER_CELL_CHARS = 60
MAX_HEADER_CELL_WORDS = 6
"""A column name is short ("Idée du participant (post-it)"); a longer cell is a note, so its
row is no header."""

CellCheck = Callable[[int, int, str], tuple[RowStatus, str] | None]
"""(row number, text column index, text) → a status and reason overriding the normal note,
or ``None``: how a format explains a text cell that is merged or holds a dead formula."""


HEADER_REPEATED = "header row again (two exports pasted into one file)"


def _header_key(cells: Sequence[str]) -> tuple[str, ...]:
    """A row as a header compares: without a byte-order mark (a second export's, pasted
    mid-file), case, surrounding spaces or empty cells at the end."""
    key = [" ".join(cell.replace("\ufeff", "").split()).casefold() for cell in cells]
    while key and not key[-1]:
        key.pop()
    return tuple(key)


def is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _filled(cells: Sequence[str]) -> list[str]:
    return [cell.strip() for cell in cells if cell.strip()]


def _is_title(cells: Sequence[str]) -> bool:
    """One filled cell that is not a text column's name ("Idée" alone is a header; a title
    may hold such a word: "Table 2 – propositions")."""
    filled = _filled(cells)
    return len(filled) == 1 and normalize_name(filled[0]) not in TEXT_NAMES


def _is_header(cells: Sequence[str]) -> bool:
    """Several filled cells, each a few words and not a number: column names."""
    filled = _filled(cells)
    return len(filled) >= 2 and all(
        len(cell) <= MAX_HEADER_CELL_CHARS
        and len(cell.split()) <= MAX_HEADER_CELL_WORDS
        and not cell.replace(",", ".").replace(".", "", 1).isdigit()
        for cell in filled
    )


def _titles_above_header(lead: Sequence[Record]) -> int:
    """How many of the first non-blank rows ``lead`` are titles above the header: rows of one
    filled cell followed by a row of column names; 0 when the first row is the header."""
    for count in range(1, min(MAX_TITLE_ROWS, len(lead) - 1) + 1):
        if not _is_title(lead[count - 1][1]):
            return 0
        if _is_header(lead[count][1]):
            return count
    return 0


def emit_table(
    collector: NoteCollector,
    records: Iterable[Record],
    override: str | None,
    location_prefix: str = "",
    check_cell: CellCheck | None = None,
) -> TableLayout | None:
    """Add one note (or rejection) per data row, other columns as metadata.

    Title rows above the header are skipped (``_titles_above_header``). Returns the layout, or
    ``None`` when every record is blank. Raises ColumnError, before anything is added, when
    no text column can be found.
    """
    rows = ((number, cells[:MAX_COLUMNS]) for number, cells in records)
    lead: list[Record] = []
    for number, cells in rows:
        if not is_blank(cells):
            lead.append((number, cells))
            if len(lead) > MAX_TITLE_ROWS:
                break
    if not lead:
        return None
    rest: list[Record] = []
    for number, cells in rows:
        if not is_blank(cells):
            rest.append((number, cells))
            if len(rest) >= DETECTION_ROWS:
                break

    titles = _titles_above_header(lead)
    header, following = lead[titles], [*lead[titles + 1 :], *rest]
    sample = [cells for _, cells in following[:DETECTION_ROWS]]
    layout = detect_layout(header[1], sample, override)
    if layout.guessed:
        collector.column_guessed(layout.text_column)
    for number, cells in lead[:titles]:
        collector.structure(f"{location_prefix}row {number}", TITLE_ROW, " ".join(_filled(cells)))
    if titles:
        collector.header_after_titles(f"{location_prefix}row {header[0]}")
    collector.structure(
        f"{location_prefix}row {header[0]}", HEADER_ROW, " | ".join(display_headers(header[1]))
    )
    again = _header_key(header[1])
    for number, cells in chain(following, rows):
        if is_blank(cells):
            continue
        where = f"{location_prefix}row {number}"
        if _header_key(cells) == again:
            collector.structure(where, HEADER_REPEATED, " | ".join(display_headers(cells)))
            continue
        text, metadata = layout.split(cells)
        verdict = check_cell(number, layout.text_index, text) if check_cell else None
        if verdict is None:
            collector.add(text, where, metadata)
        elif verdict[0] is RowStatus.STRUCTURE:
            collector.structure(where, verdict[1], text)
        else:
            collector.reject(where, verdict[1], text)
    return layout
