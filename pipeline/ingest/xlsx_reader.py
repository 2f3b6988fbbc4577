"""Excel workbooks: every non-empty sheet is a table of notes.

Read-only mode streams rows instead of building the whole workbook in memory, and
``data_only`` gives the value a formula last computed (what people saw), not the formula.
A sheet without a text column (instructions, a chart's data) is reported as a rejected
input rather than failing a workbook whose other sheets hold the notes.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

from openpyxl import load_workbook

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.columns import ColumnError
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ooxml import check_ooxml
from pipeline.ingest.table import Table, emit_table, table_from_records, table_layout


class XlsxError(ReaderError):
    """A workbook openpyxl cannot read."""


def read_xlsx(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    check_ooxml(data, "xl/workbook.xml", config.max_file_mb)
    collector = NoteCollector(source, config.max_note_chars)
    columns: list[str] = []
    column_errors: list[ColumnError] = []
    for name, table in _read_sheets(data):
        try:
            layout = table_layout(table, config.text_column)
        except ColumnError as exc:
            column_errors.append(exc)
            collector.reject(f"sheet {name}", exc.message())
            continue
        emit_table(collector, table, layout, location_prefix=f"sheet {name} ")
        if layout.text_column not in columns:
            columns.append(layout.text_column)
    if column_errors and not columns:
        raise column_errors[0]
    if not columns:
        raise XlsxError("every sheet is empty", "put the notes on a sheet under a header row")
    return collector.result(", ".join(columns))


def _read_sheets(data: bytes) -> list[tuple[str, Table]]:
    """(sheet name, table) for every worksheet that holds something."""
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; they do not affect values.
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return [
                    (sheet.title, table)
                    for sheet in workbook.worksheets
                    if (table := _sheet_table(sheet)) is not None
                ]
            finally:
                workbook.close()
        except Exception as exc:  # openpyxl raises anything from KeyError to XML errors
            raise XlsxError(
                f"cannot read workbook: {exc}", "open it in Excel and save it again"
            ) from None


def _sheet_table(sheet: Any) -> Table | None:
    if not hasattr(sheet, "iter_rows"):
        return None  # a chart sheet
    # The stored dimensions may claim a million rows (some exporters write A1:XFD1048576);
    # reading the actual rows only keeps a small sheet small.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=1, values_only=True)
    return table_from_records([cell_text(value) for value in row] for row in rows)


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
