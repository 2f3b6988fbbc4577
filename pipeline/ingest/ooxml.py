"""Checks on Office Open XML files (.xlsx, .docx) before a library parses them.

Both formats are ZIP archives. Checking the container first gives people a clear message
("looks like a PDF document", "this is a Word document") instead of a library traceback,
and refuses archives that would inflate far beyond the size limit (zip bombs): Python's
zipfile never inflates a member past its declared size, so bounding the declared total
bounds the memory used.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.ingest.errors import ReaderError
from pipeline.ingest.magic import describe_binary

BYTES_PER_MB = 1024 * 1024
ZIP_EXPANSION_LIMIT = 10
"""An archive may declare at most this many times ``max_file_mb`` once uncompressed."""

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
