"""CSV and TSV exports: encoding and delimiter detected, quoted multi-line cells kept.

Excel in French, Dutch or German locales writes ``;``-separated files, tools write ``,``,
and copy-paste exports use tabs, so the delimiter is sniffed among those three only.
"""

from __future__ import annotations

import csv
import io
import re

from pipeline.config import IngestConfig
from pipeline.ingest.collect import NoteCollector, ReadResult
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.table import emit_table, table_from_records, table_layout

DELIMITERS = (",", ";", "\t")
SINGLE_COLUMN = "\0"
"""Delimiter for one-column files: decoded text never holds NUL, so commas in notes stay."""
_SNIFF_CHARS = 65536
_QUOTED = re.compile(r'"[^"]*"')


class CsvError(ReaderError):
    """A CSV file that cannot be parsed."""


def read_csv(data: bytes, source: str, config: IngestConfig) -> ReadResult:
    text, _ = decode_text(data, config.encoding)
    if not text.strip():
        raise CsvError("file is empty", "export the notes again or remove the file")
    records = parse_records(text, sniff_delimiter(text))
    table = table_from_records(records)
    if table is None:  # only blank records, e.g. a lone ""
        raise CsvError("file is empty", "export the notes again or remove the file")
    layout = table_layout(table, config.text_column)
    collector = NoteCollector(source, config.max_note_chars)
    emit_table(collector, table, layout)
    return collector.result(layout.text_column)


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses, preferring csv.Sniffer's choice when plausible.

    The Sniffer is confused by notes full of commas, so its answer only counts if the header
    line (outside quotes) contains it; otherwise the most frequent candidate on the header
    line wins, and a header without any candidate means a single-column file.
    """
    header_counts = _header_counts(text)
    sample = text[:_SNIFF_CHARS]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in header_counts and header_counts[sniffed] > 0:
        return sniffed
    best = max(DELIMITERS, key=lambda d: header_counts[d])
    return best if header_counts[best] > 0 else SINGLE_COLUMN


def _header_counts(text: str) -> dict[str, int]:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = _QUOTED.sub("", first_line)
    return {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}


def parse_records(text: str, delimiter: str) -> list[list[str]]:
    """All records, blank ones included so numbering matches what a spreadsheet shows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise CsvError(
            f"malformed CSV after record {len(records)}: {exc}", "check for an unclosed quote"
        ) from None
    return records
