"""Property-based tests and a bounded fuzzing run of every reader.

The budget is small here (a few seconds per target) so the suite stays fast; run
``python benchmarks/fuzz_readers.py --seconds 180`` to fuzz for minutes. Every input that
ever crashed a reader stays below as an ``@example``.
"""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.ingest.collect import clean_cell
from pipeline.ingest.errors import ReaderError
from pipeline.schema import RowStatus
from tests.fuzzing import (
    ANY_BYTES,
    CONFIG,
    OFFICE_MUTATIONS,
    TABLES,
    TEXT_EXTENSIONS,
    TEXTY,
    bytes_target,
    office_target,
    physical_lines,
    read_file,
    text_target,
)


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# --- properties -----------------------------------------------------------------------------


@fuzz_settings(500)
@given(TEXTY)
@example("- a\n  b\nTitle\n=====\n---\n# h\n\n-\n")
@example("x\ry\r\nz")
def test_text_reader_accounts_for_every_non_blank_line(text: str) -> None:
    text = text.replace("\0", "").removeprefix("\ufeff")
    read = read_file("notes.md", text.encode("utf-8"))
    expected = [n for n, line in enumerate(physical_lines(text), start=1) if line.strip()]
    if isinstance(read, ReaderError):
        assert not expected or read.problem.startswith("binary data"), read.problem
        return
    numbers = [int(row.location.removeprefix("line ")) for row in read.rows]
    assert numbers == expected  # each non-blank line once, in order
    for row in read.rows:
        assert row.status is RowStatus.NOTE or row.reason


@fuzz_settings(500)
@given(TABLES)
@example((";", ["author"], [['un "quote', "Ann"], ["", "Bob"], ["multi\nline", ""], []]))
@example(("\t", [], [["a\rb"], [" "], ['"']]))
def test_csv_reader_keeps_every_row_of_a_table(table: tuple[str, list[str], list[list[str]]]):
    delimiter, others, rows = table
    header = ["idea", *others]
    rows = [cells[: len(header)] for cells in rows] if not others else rows
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])

    read = read_file("table.csv", buffer.getvalue().encode("utf-8"))

    assert not isinstance(read, ReaderError), read.problem
    found = {row.location: row for row in read.rows}
    assert found.pop("row 1").status is RowStatus.STRUCTURE
    expected = {
        f"row {number}": clean_cell(cells[0]) if cells else ""
        for number, cells in enumerate(rows, start=2)
        if any(cell.strip() for cell in cells)
    }
    assert set(found) == set(expected)
    for location, text in expected.items():
        if text and len(text) <= CONFIG.max_note_chars:
            assert (found[location].status, found[location].text) == (RowStatus.NOTE, text)
        else:
            assert found[location].status is RowStatus.REJECTED_ROW


# --- fuzzing: no input makes a reader fail with anything but a ReaderError -------------------


@fuzz_settings(1500)
@given(st.sampled_from(TEXT_EXTENSIONS), ANY_BYTES)
@example(".json", b"[" * 5000 + b"]" * 5000)  # RecursionError inside json
@example(".json", b"[1" + b"0" * 5000 + b"]")  # an integer over Python's digit limit
@example(".csv", b'a\n"' + b"x" * 140_000)  # a runaway quote past csv's field limit
@example(".txt", "a\nb".encode("utf-16-le"))  # UTF-16 without a BOM
def test_fuzz_bytes(extension: str, data: bytes) -> None:
    bytes_target(extension, data)


@fuzz_settings(1000)
@given(st.sampled_from(TEXT_EXTENSIONS), TEXTY)
def test_fuzz_text(extension: str, text: str) -> None:
    text_target(extension, text)


@fuzz_settings(600)
@given(*OFFICE_MUTATIONS)
@example(".xlsx", "xml", 7, 0, '<mergeCell ref="A1:XFD1048576"/>')
@example(".docx", "xml", 3090, 0, "0")  # a damaged styles part broke heading detection
@example(".docx", "xml", 131071, 0, "0")  # a damaged document part has no body
def test_fuzz_office(extension: str, how: str, where: int, size: int, noise: str) -> None:
    office_target(extension, how, where, size, noise)
