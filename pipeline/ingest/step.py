"""The ingest step: a file or a folder of workshop exports in, raw notes out.

One unreadable file in a folder is reported and skipped, because a workshop folder is
assembled by hand and one bad export should not block the others; a single file given on
its own must be readable, so its problem is raised. Every file skipped and every row read
is recorded (``IngestResult.skipped`` and ``rows``), so the run's ledger can account for it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.config import IngestConfig
from pipeline.ingest.collect import RowBudget
from pipeline.ingest.errors import IngestError, ReaderError
from pipeline.ingest.problems import check_strict
from pipeline.ingest.readers import supported_extensions
from pipeline.ingest.source_file import UnsupportedFormatError, read_input
from pipeline.ingest.walk import relative_source, walk_inputs
from pipeline.schema import IngestResult, InputRow, RejectedInput, RowStatus, SkippedFile

SKIPPED_FILE_LOCATION = "file"


def ingest(path: Path, config: IngestConfig) -> IngestResult:
    """Read every note under ``path``. Raises IngestError (one line) when there are none."""
    path = Path(path)
    if path.is_dir():
        return ingest_folder(path, config)
    if path.is_file():
        return ingest_file(path, config)
    if path.exists():
        raise IngestError(f"{path}: not a file or a folder (give a notes file or a folder)")
    raise IngestError(f"{path}: not found (check the path)")


def ingest_file(path: Path, config: IngestConfig) -> IngestResult:
    source = path.name
    try:
        read = read_input(path, source, config)
    except ReaderError as exc:
        raise IngestError(exc.line(source)) from None
    if not read.notes:
        raise IngestError(f"{source}: no notes found ({_no_notes_hint(read.rejected, [])})")
    result = IngestResult(notes=[], files=[read.file])
    result.notes, result.rejected, result.rows = read.notes, read.rejected, read.rows
    if config.strict:
        check_strict(result)
    return result


def ingest_folder(root: Path, config: IngestConfig) -> IngestResult:
    result = IngestResult(notes=[])
    candidates = walk_inputs(root)
    budget = RowBudget(config.max_rows)
    for candidate in candidates:
        source = relative_source(candidate.path, root)
        if candidate.ignored is not None:
            _ignore(result, source, candidate.ignored)
            continue
        try:
            if candidate.problem is not None:
                raise candidate.problem
            read = read_input(candidate.path, source, config, budget)
        except UnsupportedFormatError as exc:
            _skip(result, source, f"skipped, {exc.message()}")
        except ReaderError as exc:
            _skip(result, source, exc.message())
        else:
            result.notes.extend(read.notes)
            result.rejected.extend(read.rejected)
            result.files.append(read.file)
            result.rows.extend(read.rows)
    if not result.notes:
        hint = _no_notes_hint(result.rejected, result.errors)
        tried = sum(1 for candidate in candidates if candidate.ignored is None)
        if not candidates:  # "no notes found in 0 files" said less than this
            raise IngestError(f"{root}: folder is empty ({hint})")
        if not tried:
            raise IngestError(f"{root}: only hidden files and files starting with _ ({hint})")
        files = "file" if tried == 1 else "files"
        raise IngestError(f"{root}: no notes found in {tried} {files} ({hint})")
    if config.strict:
        check_strict(result)
    return result


def _skip(result: IngestResult, source: str, reason: str) -> None:
    """Record a file that is not read: a warning line, and its place in the ledger."""
    result.errors.append(f"{source}: {reason}")
    _ignore(result, source, reason)


def _ignore(result: IngestResult, source: str, reason: str) -> None:
    """Record a file that is not read by design (hidden, an annotation, the config): its
    place in the ledger, with the reason, and no warning."""
    result.skipped.append(SkippedFile(source=source, reason=reason))
    result.rows.append(
        InputRow(
            source=source,
            location=SKIPPED_FILE_LOCATION,
            status=RowStatus.SKIPPED_FILE,
            reason=reason,
        )
    )


def _no_notes_hint(rejected: list[RejectedInput], errors: list[str]) -> str:
    """The most useful next step when nothing came out."""
    if errors:
        more = f"; {len(errors) - 1} more" if len(errors) > 1 else ""
        return f"first problem: {errors[0]}{more}"
    if rejected:
        first = rejected[0]
        return f"{len(rejected)} rows rejected, first at {first.location}: {first.reason}"
    return f"add files with one note per row or line; supported: {supported_extensions()}"
