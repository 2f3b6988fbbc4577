"""Which inputs were not fully read: the warnings people see, the exit code, ``--strict``.

A file that was not read, a file whose encoding had to be guessed (its accents may be
garbled), or a row that held text but could not become a note (too long, a broken JSON line,
a sheet without a text column, a formula without a value), is a problem: something the
facilitator wrote may be missing from the report, or wrong in it. A row with no text at all
is not: there was nothing to lose, and the ledger still lists it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.cli_errors import Shown, as_written, said_input_error
from pipeline.i18n import words
from pipeline.ingest.collect import EMPTY_TEXT
from pipeline.ingest.encoding import MIXED_LABEL, is_guessed
from pipeline.ingest.errors import IngestError
from pipeline.schema import IngestResult, InputFile, RejectedInput


class StrictInputError(IngestError):
    """``ingest.strict`` (``--strict``) is set and some input was not fully read.

    ``problems`` are recorded in English, as the ledger and the manifest keep them; the
    ``result`` they come from is kept too, so that the command line can say each one in the
    run's language from what it records (``said``) rather than from its English words."""

    def __init__(self, problems: Sequence[str], result: IngestResult | None = None) -> None:
        self.problems = list(problems)
        self.result = result
        count = len(self.problems)
        super().__init__(
            f"--strict: {count} input problem{'s' if count != 1 else ''}, nothing written "
            f"(first: {self.problems[0]})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuilt from its problems and result, not from its message, when a task runner
        pickles it across processes."""
        return (type(self), (self.problems, self.result))

    def said(
        self, lang: str | None, *, location: Shown = as_written, reason: Shown = as_written
    ) -> list[str]:
        """The problems in ``lang``, in the same order: files not read, then the input
        warnings as ``said_input_warnings`` says them; as recorded where the result is not
        known or does not give the same number of lines."""
        if self.result is None:
            return [
                said_input_error(line, lang, location=location, reason=reason)
                for line in self.problems
            ]
        lines = [
            said_input_error(line, lang, location=location, reason=reason)
            for line in self.result.errors
        ]
        lines += said_input_warnings(
            self.result.files, self.result.rejected, lang, location=location, reason=reason
        )
        return lines if len(lines) == len(self.problems) else self.problems


def row_warnings(rejected: Sequence[RejectedInput]) -> list[str]:
    """One line per rejected row that held text: file, place, problem."""
    return [f"{row.source}: {row.location}: {row.reason}" for row in rejected if is_loss(row)]


def encoding_warnings(files: Sequence[InputFile]) -> list[str]:
    """One line per file read in a guessed encoding."""
    return [
        f"{file.path}: read as {file.encoding}: its encoding is not certain, so accents may "
        "be garbled; save it as UTF-8 (or set ingest.encoding) and run again"
        for file in files
        if is_guessed(file.encoding)
    ]


def cp1252_warnings(files: Sequence[InputFile]) -> list[str]:
    """One line per UTF-8 file with lines read as cp1252, naming the first."""
    lines = []
    for file in files:
        if not file.cp1252_lines:
            continue
        first, more = file.cp1252_lines[0], len(file.cp1252_lines) - 1
        others = f" (and {more} more line{'s' if more != 1 else ''})" if more else ""
        if file.encoding == MIXED_LABEL:
            done = "read as cp1252, because as UTF-8 it gives characters no one types there"
        else:
            done = "kept as UTF-8, though it gives characters that cp1252 text read as UTF-8 gives"
        lines.append(
            f"{file.path}: line {first}{others}: {done}; check its accents, or save the file "
            "as UTF-8 and run again"
        )
    return lines


def column_warnings(files: Sequence[InputFile]) -> list[str]:
    """One line per file whose text column was guessed: no header named it, so the column
    with the longest text was read, which may not be the notes."""
    return [
        f"{file.path}: no text column named; read column "
        + ", ".join(f"'{column}'" for column in file.guessed_columns)
        for file in files
        if file.guessed_columns
    ]


def has_guessed_text(file: InputFile) -> bool:
    """A file read, whole or in part, in an encoding that was guessed."""
    return is_guessed(file.encoding) or bool(file.cp1252_lines)


def input_warnings(result: IngestResult) -> list[str]:
    """Guessed columns and encodings, then rejected rows that held text: the manifest's
    warnings."""
    return [
        *column_warnings(result.files),
        *encoding_warnings(result.files),
        *cp1252_warnings(result.files),
        *row_warnings(result.rejected),
    ]


def is_loss(row: RejectedInput) -> bool:
    """Whether the row held something that is now missing from the notes."""
    return row.reason != EMPTY_TEXT


def input_problems(result: IngestResult) -> list[str]:
    """Files not read, guessed encodings, then rows with text that were rejected."""
    return [*result.errors, *input_warnings(result)]


def check_strict(result: IngestResult) -> None:
    """Raise StrictInputError when any input was not fully read."""
    problems = input_problems(result)
    if problems:
        raise StrictInputError(problems, result)


def said_input_warnings(
    inputs: Sequence[InputFile],
    rejected: Sequence[RejectedInput],
    lang: str | None,
    *,
    location: Shown = as_written,
    reason: Shown = as_written,
) -> list[str]:
    """The manifest's input warnings (``pipeline.ingest.problems.input_warnings``), in the
    same order, said in ``lang`` from what they record: a text column read by guess, a
    guessed encoding, lines read as cp1252, then each rejected row that held text, its
    place and reason as the reports say them."""
    w = words(lang or "en")
    lines = [
        w.gettext(
            "%(file)s: no text column named; read column “%(column)s” (name it with "
            "text_column under [ingest] in the settings file if it is not the notes)",
            file=file.path,
            column=", ".join(file.guessed_columns),
        )
        for file in inputs
        if file.guessed_columns
    ]
    lines += [
        w.gettext(
            "%(file)s: read as %(encoding)s: its encoding is not certain, so accents may be "
            "garbled; save it as UTF-8 (or set encoding under [ingest] in the settings file) "
            "and run again",
            file=file.path,
            encoding=file.encoding,
        )
        for file in inputs
        if is_guessed(file.encoding)
    ]
    for file in inputs:
        if not file.cp1252_lines:
            continue
        first, more = file.cp1252_lines[0], len(file.cp1252_lines) - 1
        where = w.gettext("line %(n)s", n=first)
        if more:
            where += " " + w.ngettext("(and %(num)d more line)", "(and %(num)d more lines)", more)
        if file.encoding == MIXED_LABEL:
            done = w.gettext(
                "read as cp1252, because as UTF-8 it gives characters no one types there"
            )
        else:
            done = w.gettext(
                "kept as UTF-8, though it gives characters that cp1252 text read as UTF-8 gives"
            )
        lines.append(
            w.gettext(
                "%(file)s: %(where)s: %(done)s; check its accents, or save the file as UTF-8 "
                "and run again",
                file=file.path,
                where=where,
                done=done,
            )
        )
    lines += [
        w.gettext(
            "%(file)s: %(location)s: %(reason)s",
            file=row.source,
            location=location(row.location, lang or "en"),
            reason=reason(row.reason, lang or "en"),
        )
        for row in rejected
        if is_loss(row)
    ]
    return lines
