"""Rows of a table (CSV, a sheet) turned into notes, the same way for every format, streamed.

The header is the first non-blank row; row numbers are the ones people see in a spreadsheet
(header on row 1 → first note on row 2). Blank rows hold nothing to lose and are skipped.
The text column is chosen from the first ``DETECTION_ROWS`` data rows, and the rows are then
added one at a time, so a table of a million rows is never held twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from pipeline.ingest.collect import NoteCollector
from pipeline.ingest.columns import TableLayout, detect_layout, display_headers
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


def emit_table(
    collector: NoteCollector,
    records: Iterable[Record],
    override: str | None,
    location_prefix: str = "",
    check_cell: CellCheck | None = None,
) -> TableLayout | None:
    """Add one note (or rejection) per data row, other columns as metadata.

    Returns the layout, or ``None`` when every record is blank. Raises ColumnError, before
    anything is added, when no text column can be found.
    """
    rows = ((number, cells[:MAX_COLUMNS]) for number, cells in records)
    header = next(((number, cells) for number, cells in rows if not is_blank(cells)), None)
    if header is None:
        return None
    sample: list[Record] = []
    for number, cells in rows:
        if not is_blank(cells):
            sample.append((number, cells))
            if len(sample) >= DETECTION_ROWS:
                break
    layout = detect_layout(header[1], [cells for _, cells in sample], override)
    collector.structure(
        f"{location_prefix}row {header[0]}", HEADER_ROW, " | ".join(display_headers(header[1]))
    )
    again = _header_key(header[1])
    for number, cells in chain(sample, rows):
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
