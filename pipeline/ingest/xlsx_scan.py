"""What openpyxl's read-only mode does not say about a sheet: merged cells and dead formulas.

Workshop sheets merge a "Table 3" cell over all of that table's rows, and a formula saved by
a tool that does not compute it (or whose result is an error) has no value to read. Without
this, the rows under a merged cell would lose their table and an uncomputed formula would
look like an empty cell. One streaming pass over the sheet's XML finds both.
"""

from __future__ import annotations

import bisect
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from openpyxl.utils.cell import column_index_from_string as column_index
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL, _ROW, _MERGE = f"{_NS}c", f"{_NS}row", f"{_NS}mergeCell"
_FORMULA, _VALUE = f"{_NS}f", f"{_NS}v"
_MAX_MERGE_COLUMNS = 256
"""Columns of one merged range taken into account; notes never sit further right."""


@dataclass
class SheetScan:
    """Merged ranges by column and formula cells without a usable value, for one sheet."""

    merged: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """0-based column → sorted (first row, last row) of the merged ranges covering it."""
    starts: dict[tuple[int, int], int] = field(default_factory=dict)
    """(first row, column) of a merged range → the column of its top-left cell."""
    dead_formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, 0-based column) → formula text, for formulas with no value or an error value."""
    dead_columns: dict[int, list[int]] = field(default_factory=dict)
    """Row → the columns of ``dead_formulas`` in that row."""

    def merged_top(self, row: int, column: int) -> int | None:
        """The first row of the merged range covering this cell below its first row."""
        ranges = self.merged.get(column)
        if not ranges:
            return None
        index = bisect.bisect_left(ranges, (row, -1)) - 1  # the last range starting above
        if index >= 0 and ranges[index][1] >= row:
            return ranges[index][0]
        return None


def scan_sheet(path: Path, member: str | None) -> SheetScan:
    """Scan the sheet XML ``member`` of the workbook at ``path``; empty when unknown."""
    scan = SheetScan()
    if not member:
        return scan
    with zipfile.ZipFile(path) as archive:
        if member not in archive.namelist():
            return scan
        with archive.open(member) as xml:
            events = etree.iterparse(
                xml, events=("end",), tag=(_CELL, _ROW, _MERGE), resolve_entities=False
            )
            for _, element in events:
                if element.tag == _CELL:
                    _cell(element, scan)
                elif element.tag == _MERGE:
                    _merge(element.get("ref") or "", scan)
                    continue
                element.clear(keep_tail=False)
    for ranges in scan.merged.values():
        ranges.sort()
    return scan


def _cell(element: etree._Element, scan: SheetScan) -> None:
    formula = element.find(_FORMULA)
    if formula is None:
        return
    value = element.find(_VALUE)
    if value is not None and (value.text or "").strip() and element.get("t") != "e":
        return
    try:
        letters, row = coordinate_from_string(element.get("r") or "")
        column = column_index(letters) - 1
        scan.dead_formulas[(row, column)] = formula.text or ""
        scan.dead_columns.setdefault(row, []).append(column)
    except ValueError:
        return


def _merge(ref: str, scan: SheetScan) -> None:
    try:
        first_column, first_row, last_column, last_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return
    if None in (first_column, first_row, last_column, last_row):
        return
    assert first_column and first_row and last_column and last_row
    last_column = min(last_column, first_column + _MAX_MERGE_COLUMNS - 1)
    for column in range(first_column - 1, last_column):
        scan.merged.setdefault(column, []).append((first_row, last_row))
        scan.starts[(first_row, column)] = first_column - 1
