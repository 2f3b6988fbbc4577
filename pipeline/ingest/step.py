"""The ingest step: a file or a folder of workshop exports in, raw notes out.

One unreadable file in a folder is reported and skipped, because a workshop folder is
assembled by hand and one bad export should not block the others; a single file given on
its own must be readable, so its problem is raised.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.ingest.errors import IngestError, ReaderError
from pipeline.ingest.readers import supported_extensions
from pipeline.ingest.source_file import UnsupportedFormatError, read_input
from pipeline.ingest.walk import input_files, relative_source
from pipeline.schema import IngestResult, RejectedInput


def ingest(path: Path, config: IngestConfig) -> IngestResult:
    """Read every note under ``path``. Raises IngestError (one line) when there are none."""
    path = Path(path)
    if path.is_dir():
        return ingest_folder(path, config)
    if path.is_file():
        return ingest_file(path, config)
    raise IngestError(f"{path}: not found (check the path)")


def ingest_file(path: Path, config: IngestConfig) -> IngestResult:
    source = path.name
    try:
        read = read_input(path, source, config)
    except ReaderError as exc:
        raise IngestError(exc.line(source)) from None
    if not read.notes:
        raise IngestError(f"{source}: no notes found ({_no_notes_hint(read.rejected, [])})")
    return IngestResult(notes=read.notes, rejected=read.rejected, files=[read.file])


def ingest_folder(root: Path, config: IngestConfig) -> IngestResult:
    result = IngestResult(notes=[])
    candidates = input_files(root)
    for path in candidates:
        source = relative_source(path, root)
        try:
            read = read_input(path, source, config)
        except UnsupportedFormatError as exc:
            result.errors.append(f"{source}: skipped, {exc.message()}")
        except ReaderError as exc:
            result.errors.append(exc.line(source))
        else:
            result.notes.extend(read.notes)
            result.rejected.extend(read.rejected)
            result.files.append(read.file)
    if not result.notes:
        hint = _no_notes_hint(result.rejected, result.errors)
        raise IngestError(f"{root}: no notes found in {len(candidates)} files ({hint})")
    return result


def _no_notes_hint(rejected: list[RejectedInput], errors: list[str]) -> str:
    """The most useful next step when nothing came out."""
    if errors:
        more = f"; {len(errors) - 1} more" if len(errors) > 1 else ""
        return f"first problem: {errors[0]}{more}"
    if rejected:
        first = rejected[0]
        return f"{len(rejected)} rows rejected, first at {first.location}: {first.reason}"
    return f"add files with one note per row or line; supported: {supported_extensions()}"
