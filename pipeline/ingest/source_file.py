"""Reading one input file: file checks, size guard, checksum, the reader for its extension.

Whatever goes wrong inside a reader ends as a ``ReaderError`` with a one-line message, so a
broken file costs one line in the report and never a traceback. Only regular files are
opened: a pipe or a device named ``notes.txt`` would otherwise block the run for ever.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.ingest.collect import RowBudget
from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ooxml import BYTES_PER_MB
from pipeline.ingest.readers import Format, format_for, supported_extensions
from pipeline.ingest.source import Source
from pipeline.schema import InputFile, InputRow, RawNote, RejectedInput, RowStatus

_MAX_MESSAGE_CHARS = 300


class UnsupportedFormatError(ReaderError):
    """A file whose extension no reader handles."""


@dataclass
class FileNotes:
    """One file's contribution to the run."""

    file: InputFile
    notes: list[RawNote]
    rejected: list[RejectedInput]
    rows: list[InputRow]


def read_input(
    path: Path, source: str, config: IngestConfig, budget: RowBudget | None = None
) -> FileNotes:
    """Read ``path`` (named ``source`` in notes and messages). Raises ReaderError.

    ``budget`` is the run's row budget; a file read on its own gets a fresh one.
    """
    file_format = _format(path)
    check_file(path, config.max_file_mb)
    handle = Source(path, source, budget or RowBudget(config.max_rows))
    try:
        sha256 = file_sha256(path)
        result = file_format.read(handle, config)
    except ReaderError:
        raise
    except OSError as exc:
        raise ReaderError(
            f"cannot read file: {exc.strerror or exc}", "check that it is still there"
        ) from None
    except MemoryError:
        raise ReaderError(
            "not enough memory to read this file", "split it or lower ingest.max_file_mb"
        ) from None
    except Exception as exc:  # a reader bug or a library surprise must not stop the folder
        detail = f"{type(exc).__name__}: {exc}"
        if len(detail) > _MAX_MESSAGE_CHARS:
            detail = detail[: _MAX_MESSAGE_CHARS - 1] + "…"
        raise ReaderError(
            f"unexpected error while reading: {detail}",
            "please report this together with the file",
        ) from exc
    handle.budget.commit(len(result.rows))
    file = InputFile(
        path=source,
        sha256=sha256,
        format=file_format.name,
        notes=len(result.notes),
        rejected=len(result.rejected),
        text_column=result.text_column,
        structure=sum(1 for row in result.rows if row.status is RowStatus.STRUCTURE),
        encoding=result.encoding,
        cp1252_lines=handle.cp1252_lines,
        header_rows=result.header_rows,
        guessed_columns=result.guessed_columns,
    )
    return FileNotes(file, result.notes, result.rejected, result.rows)


def _format(path: Path) -> Format:
    file_format = format_for(path.suffix)
    if file_format is None:
        found = f"'{path.suffix.lower()}'" if path.suffix else "without extension"
        raise UnsupportedFormatError(
            f"unsupported format {found}", f"supported: {supported_extensions()}"
        )
    return file_format


def check_file(path: Path, max_file_mb: float) -> int:
    """The file's size; refused before reading when it is not a regular file, is over the
    size limit, is empty, or cannot be opened."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
            raise ReaderError(f"not a regular file: this is {kind}", "remove it from the folder")
        size = info.st_size
        if size > max_file_mb * BYTES_PER_MB:
            shown = _megabytes(size)
            if shown == f"{max_file_mb:g} MB":  # rounding made it look equal to the limit
                shown = f"{size:,} bytes"
            raise ReaderError(
                f"file is {shown}, over the limit of {max_file_mb:g} MB",
                "raise ingest.max_file_mb or split the file",
            )
        if size == 0:
            raise ReaderError("file is empty", "export the notes again or remove the file")
        with path.open("rb"):
            pass
    except OSError as exc:
        raise ReaderError(
            f"cannot open file: {exc.strerror or exc}", "check its permissions"
        ) from None
    return size


def file_sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _megabytes(size: int) -> str:
    """``size`` in megabytes of a million bytes, whole from 100 MB on ("220 MB",
    "1,250 MB"), never in an exponent there."""
    value = size / BYTES_PER_MB
    return f"{value:,.0f} MB" if value >= 100 else f"{value:.3g} MB"
