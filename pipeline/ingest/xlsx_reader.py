"""Excel workbooks: every non-empty sheet is a table of notes.

Read-only mode streams rows from disk instead of building the whole workbook in memory, and
``data_only`` gives the value a formula last computed (what people saw), not the formula.
A sheet without a text column (instructions, a chart's data) is reported as a rejected
input rather than failing a workbook whose other sheets hold the notes. Merged cells and
formulas without a value are found by ``xlsx_scan``: a merged metadata cell ("Table 3")
applies to every row it covers, the rows under a merged text cell are structure rows, and a
formula that never got a value is rejected with its reason instead of looking empty.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook

from pipeline.config import IngestConfig
from pipeline.ingest.collect import ReadResult
from pipeline.ingest.columns import ColumnError
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ooxml import check_ooxml, check_xlsx_parts
from pipeline.ingest.source import Source
from pipeline.ingest.table import CellCheck, Record, emit_table
from pipeline.ingest.xlsx_scan import SheetScan, scan_sheet
from pipeline.schema import RowStatus

_SAVE_AGAIN = "open the file in Excel or LibreOffice and save it again"


class XlsxError(ReaderError):
    """A workbook openpyxl cannot read."""


def read_xlsx(source: Source, config: IngestConfig) -> ReadResult:
    check_ooxml(source.path, "xl/workbook.xml", config.max_file_mb)
    check_xlsx_parts(source.path, config.max_file_mb)
    collector = source.collector(config)
    columns: list[str] = []
    column_errors: list[ColumnError] = []
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; they do not affect values.
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(source.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
            raise XlsxError(f"cannot read workbook: {exc}", _SAVE_AGAIN) from None
        try:
            for sheet in workbook.worksheets:
                if not hasattr(sheet, "iter_rows"):
                    continue  # a chart sheet
                name = sheet.title
                scan = scan_sheet(source.path, getattr(sheet, "_worksheet_path", None))
                booleans: set[tuple[int, int]] = set()
                try:
                    layout = emit_table(
                        collector,
                        _records(sheet, scan, booleans),
                        config.text_column,
                        location_prefix=f"sheet {name} ",
                        check_cell=_cell_check(scan, booleans),
                    )
                except ColumnError as exc:
                    column_errors.append(exc)
                    collector.reject(f"sheet {name}", exc.message())
                    continue
                if layout is not None and layout.text_column not in columns:
                    columns.append(layout.text_column)
        except ReaderError:
            raise
        except Exception as exc:
            raise XlsxError(f"cannot read workbook: {exc}", _SAVE_AGAIN) from None
        finally:
            workbook.close()
    if column_errors and not columns:
        raise column_errors[0]
    if not columns:
        raise XlsxError("every sheet is empty", "put the notes on a sheet under a header row")
    return collector.result(", ".join(columns))


def _records(sheet: Any, scan: SheetScan, booleans: set[tuple[int, int]]) -> Iterator[Record]:
    """Rows as text, numbered as Excel numbers them, merged cells filled down; the (row,
    column) of each TRUE/FALSE cell goes to ``booleans``."""
    # The stored dimensions may claim a million rows (some exporters write A1:XFD1048576);
    # reading the actual rows only keeps a small sheet small.
    sheet.reset_dimensions()
    covering: dict[int, str] = {}  # column → value of the merged cell that starts above
    for number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1, values_only=True), 1):
        cells = [cell_text(value) for value in row]
        booleans.update((number, i) for i, value in enumerate(row) if isinstance(value, bool))
        for column in scan.merged:
            start = scan.starts.get((number, column))
            if start is not None:
                covering[column] = cells[start] if start < len(cells) else ""
            elif scan.merged_top(number, column) is not None:
                cells.extend([""] * (column + 1 - len(cells)))
                if not cells[column].strip():
                    cells[column] = covering.get(column, "")
        for row_column in scan.dead_columns.get(number, ()):
            if row_column < len(cells):
                cells[row_column] = ""  # an error value such as #DIV/0! is not a note
        yield number, cells


NOT_A_NOTE_BOOLEAN = "not a note: a TRUE/FALSE cell (a checkbox or a formula's test)"


def _cell_check(scan: SheetScan, booleans: set[tuple[int, int]]) -> CellCheck:
    def check(number: int, column: int, text: str) -> tuple[RowStatus, str] | None:
        if (number, column) in booleans:
            return RowStatus.REJECTED_ROW, NOT_A_NOTE_BOOLEAN
        top = scan.merged_top(number, column)
        if top is not None:
            return RowStatus.STRUCTURE, f"part of the merged cell that starts on row {top}"
        formula = scan.dead_formulas.get((number, column))
        if formula is not None and not text.strip():
            return RowStatus.REJECTED_ROW, (
                f"formula ={formula} gives no text: its result is an error or was never "
                f"saved ({_SAVE_AGAIN})"
            )
        return None

    return check


def cell_text(value: Any) -> str:
    """A cell as people read it: whole numbers without ".0", dates without midnight."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
