"""CSV and TSV exports: encoding and delimiter detected, quoted multi-line cells kept, streamed.

Excel in French, Dutch or German locales writes ``;``-separated files, tools write ``,``,
and copy-paste exports use tabs, so the delimiter is sniffed among those three only.

A quote that is never closed would make the csv module swallow every following line into
one cell. A record that spans several lines with an odd number of quote characters can only
come from such a quote, so its first line is read on its own, quotes as text, and parsing
starts again on the next line: one stray quote costs nothing.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator

from pipeline.config import IngestConfig
from pipeline.ingest.collect import ReadResult
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.source import Source
from pipeline.ingest.table import Record, emit_table

DELIMITERS = (",", ";", "\t")
SINGLE_COLUMN = "\0"
"""Delimiter for one-column files: decoded text never holds NUL, so commas in notes stay."""
_SNIFF_CHARS = 65536
_QUOTED = re.compile(r'"[^"]*"')
_EMPTY_HINT = "export the notes again or remove the file"


class CsvError(ReaderError):
    """A CSV file that cannot be parsed."""


def read_csv(source: Source, config: IngestConfig) -> ReadResult:
    head, lines = split_head(source.lines(config.encoding), _SNIFF_CHARS)
    sample = "".join(head)
    collector = source.collector(config)
    layout = emit_table(collector, csv_records(lines, sniff_delimiter(sample)), config.text_column)
    if layout is None:  # only blank records, e.g. a lone ""
        raise CsvError("file is empty", _EMPTY_HINT)
    result = collector.result(layout.text_column)
    result.encoding = source.encoding.label if source.encoding else None
    return result


def split_head(lines: Iterable[str], chars: int) -> tuple[list[str], Iterator[str]]:
    """The first lines (at least ``chars`` characters when the file has them) and an iterator
    over all lines, those first ones included."""
    iterator = iter(lines)
    head: list[str] = []
    size = 0
    for line in iterator:
        head.append(line)
        size += len(line)
        if size >= chars:
            break
    return head, _chain(head, iterator)


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    yield from rest


def sniff_delimiter(text: str) -> str:
    """The delimiter the header line uses, preferring csv.Sniffer's choice when plausible.

    The Sniffer is confused by notes full of commas, so its answer only counts if the header
    line (outside quotes) contains it; otherwise the most frequent candidate on the header
    line wins, and a header without any candidate means a single-column file.
    """
    header_counts = _header_counts(text)
    try:
        sniffed = csv.Sniffer().sniff(text, delimiters="".join(DELIMITERS)).delimiter
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


class _Lines:
    """An iterator over lines that remembers the lines of the record being parsed and can
    take lines back, so a record with a broken quote can be parsed again."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._pending: deque[str] = deque()
        self._taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pending.popleft() if self._pending else next(self._lines)
        self._taken.append(line)
        return line

    def take(self) -> list[str]:
        """The lines read since the last call."""
        taken, self._taken = self._taken, []
        return taken

    def give_back(self, lines: list[str]) -> None:
        self._pending.extendleft(reversed(lines))


def csv_records(lines: Iterable[str], delimiter: str) -> Iterator[Record]:
    """(record number, cells) for every record, blank ones included so that numbering matches
    what a spreadsheet shows. A broken quote costs one line read without quoting (above)."""
    source = _Lines(lines)
    number = 0
    while True:
        reader = csv.reader(source, delimiter=delimiter)
        try:
            for cells in reader:
                raw = source.take()
                number += 1
                if len(raw) > 1 and sum(line.count('"') for line in raw) % 2:
                    yield number, split_unquoted(raw[0], delimiter)
                    source.give_back(raw[1:])
                    break
                yield number, cells
            else:
                return
        except csv.Error:  # a runaway quote hit the field size limit
            raw = source.take()
            if not raw:
                raise CsvError("malformed CSV", "check for an unclosed quote") from None
            number += 1
            yield number, split_unquoted(raw[0], delimiter)
            source.give_back(raw[1:])


def split_unquoted(line: str, delimiter: str) -> list[str]:
    """One line split on the delimiter with quotes kept as text."""
    line = line.rstrip("\r\n")
    return [line] if delimiter == SINGLE_COLUMN else line.split(delimiter)
