"""Reading one input file: size guard, checksum, the reader for its extension.

Whatever goes wrong inside a reader ends as a ``ReaderError`` with a one-line message, so a
broken file costs one line in the report and never a traceback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ooxml import BYTES_PER_MB
from pipeline.ingest.readers import Format, format_for, supported_extensions
from pipeline.schema import InputFile, RawNote, RejectedInput


class UnsupportedFormatError(ReaderError):
    """A file whose extension no reader handles."""


@dataclass
class FileNotes:
    """One file's contribution to the run."""

    file: InputFile
    notes: list[RawNote]
    rejected: list[RejectedInput]


def read_input(path: Path, source: str, config: IngestConfig) -> FileNotes:
    """Read ``path`` (named ``source`` in notes and messages). Raises ReaderError."""
    file_format = _format(path)
    data = read_bytes(path, config.max_file_mb)
    try:
        result = file_format.read(data, source, config)
    except ReaderError:
        raise
    except Exception as exc:  # a reader bug or a library surprise must not stop the folder
        raise ReaderError(
            f"unexpected error while reading: {type(exc).__name__}: {exc}",
            "please report this together with the file",
        ) from exc
    file = InputFile(
        path=source,
        sha256=hashlib.sha256(data).hexdigest(),
        format=file_format.name,
        notes=len(result.notes),
        rejected=len(result.rejected),
        text_column=result.text_column,
    )
    return FileNotes(file, result.notes, result.rejected)


def _format(path: Path) -> Format:
    file_format = format_for(path.suffix)
    if file_format is None:
        found = f"'{path.suffix.lower()}'" if path.suffix else "without extension"
        raise UnsupportedFormatError(
            f"unsupported format {found}", f"supported: {supported_extensions()}"
        )
    return file_format


def read_bytes(path: Path, max_file_mb: float) -> bytes:
    """The file's bytes, refused before reading when over the size limit or empty."""
    try:
        size = path.stat().st_size
        if size > max_file_mb * BYTES_PER_MB:
            raise ReaderError(
                f"file is {_megabytes(size)}, over the limit of {max_file_mb:g} MB",
                "raise ingest.max_file_mb or split the file",
            )
        if size == 0:
            raise ReaderError("file is empty", "export the notes again or remove the file")
        return path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot open file: {exc.strerror}", "check its permissions") from None


def _megabytes(size: int) -> str:
    return f"{size / BYTES_PER_MB:.3g} MB"
