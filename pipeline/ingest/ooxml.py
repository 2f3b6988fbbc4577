"""Checks on Office Open XML files (.xlsx, .docx) before a library parses them.

Both formats are ZIP archives. Checking the container first gives people a clear message
("looks like a PDF document", "this is a Word document") instead of a library traceback,
and refuses archives that would inflate far beyond the size limit (zip bombs): Python's
zipfile never inflates a member past its declared size, so bounding the declared total
bounds the memory used.

A declared total is not enough for a workbook: openpyxl holds one cell's text, and every
shared string, in memory, so a 1.5 MB workbook declaring one 1.5-billion-character cell fits
a 2 GB total and still takes gigabytes. ``check_xlsx_parts`` therefore streams each sheet and
the shared strings once, before openpyxl sees them, and refuses a cell (any run of XML
without a tag) over ``MAX_CELL_BYTES`` or a part over ``max_file_mb``, while reading: memory
stays at one chunk whatever the file declares.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from pipeline.ingest.errors import ReaderError
from pipeline.ingest.magic import describe_binary

BYTES_PER_MB = 1_000_000
"""A megabyte as ``max_file_mb`` counts it and as every message says it: a million bytes,
as file managers on macOS and Linux count (binary mebibytes shown as "MB" made a
220,460,000-byte file "210 MB")."""
ZIP_EXPANSION_LIMIT = 10
"""An archive may declare at most this many times ``max_file_mb`` once uncompressed."""

MAX_CELL_BYTES = BYTES_PER_MB
"""Text of one cell (or shared string) an Excel workbook may hold: 200 times the longest note
kept by default (``ingest.max_note_chars``), far below what would strain memory."""
MAX_SHARED_STRINGS = 1_000_000
"""Shared strings a workbook may declare: openpyxl holds every one in memory (about 100 bytes
each even when empty), so 39 million ``<si/>`` in 279 KB took 3.7 GB and 255 s to read."""
MAX_CELLS = 2_000_000
"""Cells a workbook may hold over all its sheets: ten rows of notes and their metadata per
row of the run's default row budget, far above any workshop, and read in seconds."""
MAX_ROWS = 1_000_000
"""Rows a workbook may hold over all its sheets (the run's row budget counts only rows with
text; this bounds the empty ones that cost reading time too)."""
_CHUNK = 1 << 20
_XLSX_TEXT_PARTS = re.compile(r"xl/(worksheets/[^/]+|sharedStrings)\.xml")
_ELEMENTS = {
    "shared strings": re.compile(rb"<(?:\w+:)?si[\s/>]"),
    "cells": re.compile(rb"<(?:\w+:)?c[\s/>]"),
    "rows": re.compile(rb"<(?:\w+:)?row[\s/>]"),
}
_CAPS = {"shared strings": MAX_SHARED_STRINGS, "cells": MAX_CELLS, "rows": MAX_ROWS}

_PARTS: dict[str, tuple[str, str]] = {
    "xl/workbook.xml": ("an Excel workbook", ".xlsx"),
    "word/document.xml": ("a Word document", ".docx"),
    "ppt/presentation.xml": ("a PowerPoint presentation", ".pptx"),
}
"""Main part of each format → what it is called and its extension."""


class OfficeFileError(ReaderError):
    """Not a readable Office Open XML container."""


def check_ooxml(path: Path, required_part: str, max_file_mb: float) -> None:
    """Raise OfficeFileError unless ``path`` is a sane archive holding ``required_part``."""
    wanted, extension = _PARTS[required_part]
    save_hint = f"open it in its application and save it as {extension}"
    with path.open("rb") as stream:
        head = stream.read(16)
    if not head.startswith(b"PK\x03\x04"):
        kind = describe_binary(head)
        found = f"looks like {kind}" if kind else "not a ZIP container"
        raise OfficeFileError(f"not {wanted}: {found}", save_hint)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise OfficeFileError(f"not {wanted}: broken ZIP container ({exc})", save_hint) from None
    _check_expansion(infos, max_file_mb)
    names = {info.filename for info in infos}
    if required_part not in names:
        other = next((kind for part, kind in _PARTS.items() if part in names), None)
        if other is not None:
            raise OfficeFileError(f"not {wanted}: this is {other[0]}", f"rename it to {other[1]}")
        raise OfficeFileError(f"not {wanted}: {required_part} is missing", save_hint)


def _check_expansion(infos: list[zipfile.ZipInfo], max_file_mb: float) -> None:
    declared = sum(info.file_size for info in infos)
    limit = ZIP_EXPANSION_LIMIT * max_file_mb * BYTES_PER_MB
    if declared > limit:
        raise OfficeFileError(
            f"archive would expand to {declared / BYTES_PER_MB:.1f} MB, more than "
            f"{ZIP_EXPANSION_LIMIT}× ingest.max_file_mb ({max_file_mb:g} MB); refused as a "
            "possible zip bomb",
            "raise ingest.max_file_mb if the file is genuine",
        )


def check_xlsx_parts(path: Path, max_file_mb: float) -> None:
    """Stream every sheet and the shared strings of the workbook at ``path``; raise
    OfficeFileError at the first cell over ``MAX_CELL_BYTES`` or part over ``max_file_mb``."""
    part_limit = max_file_mb * BYTES_PER_MB
    counts = dict.fromkeys(_CAPS, 0)
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if _XLSX_TEXT_PARTS.fullmatch(info.filename):
                    with archive.open(info) as stream:
                        kinds = (
                            ["shared strings"]
                            if info.filename == "xl/sharedStrings.xml"
                            else ["cells", "rows"]
                        )
                        _check_part(stream, info.filename, part_limit, counts, kinds)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise OfficeFileError(
            f"not an Excel workbook: broken ZIP container ({exc})",
            "open it in its application and save it as .xlsx",
        ) from None


def _check_part(
    stream: Any, name: str, part_limit: float, counts: dict[str, int], kinds: list[str]
) -> None:
    size = run = 0  # bytes read; bytes since the last "<" (a cell's text, or a tag)
    carry = b""  # an element's start cut off at the end of the last chunk
    while chunk := stream.read(_CHUNK):
        carry = _count(carry + chunk, counts, kinds, name)
        size += len(chunk)
        if size > part_limit:
            raise OfficeFileError(
                f"{name} holds more than {part_limit / BYTES_PER_MB:g} MB of XML, over "
                "ingest.max_file_mb; refused before reading it",
                "split the workbook, or raise ingest.max_file_mb if it is genuine",
            )
        pieces = chunk.split(b"<")
        longest = max(run + len(pieces[0]), *(len(piece) for piece in pieces[1:-1]), 0)
        run = len(pieces[-1]) if len(pieces) > 1 else run + len(chunk)
        if max(longest, run) > MAX_CELL_BYTES:
            raise OfficeFileError(
                f"{name} holds a cell of more than {MAX_CELL_BYTES // BYTES_PER_MB} MB of "
                "text, far more than any note; refused before reading it",
                "remove that cell, or save the notes as CSV",
            )
    for kind in kinds:  # the last element, if the part ends on one
        counts[kind] += len(_ELEMENTS[kind].findall(carry))


def _count(data: bytes, counts: dict[str, int], kinds: list[str], name: str) -> bytes:
    """Add the elements of ``kinds`` that ``data`` holds to ``counts``, raising OfficeFileError
    past a cap; returns the tail after the last "<" when an element may start there."""
    cut = data.rfind(b"<")
    carry = b""
    if cut != -1 and len(data) - cut < 64:
        data, carry = data[:cut], data[cut:]
    for kind in kinds:
        counts[kind] += len(_ELEMENTS[kind].findall(data))
        if counts[kind] > _CAPS[kind]:
            raise OfficeFileError(
                f"{name}: more than {_CAPS[kind]:,} {kind}, far more than any table of notes; "
                "refused before reading it",
                "split the workbook, or save the notes as CSV",
            )
    return carry
