"""Where readers put what they find, so every format applies the same rules.

Readers only locate text; the collector strips it, normalises line breaks, turns empty or
over-long cells into ``RejectedInput`` (nothing is silently lost) and assigns stable ids.
It also records every row in reading order (``InputRow``), which is where the run's ledger
starts, and charges each row to the run's ``RowBudget`` so that one huge file is stopped
with a clear message instead of exhausting memory. It does no other cleaning: Unicode
normalisation belongs to the prepare step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline.ingest.errors import ReaderError
from pipeline.ingest.ids import IdAllocator
from pipeline.schema import InputRow, RawNote, RejectedInput, RowStatus

EMPTY_TEXT = "empty text"


def clean_cell(value: str) -> str:
    """Strip surrounding whitespace and turn Windows/old-Mac line breaks into ``\\n``."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


class RowLimitError(ReaderError):
    """The run would read more rows than ``ingest.max_rows``."""


class RowBudget:
    """The run's limit on rows read (``ingest.max_rows``), shared by every file's collector.

    A file's rows count only once the file has been read whole (``commit``), so a file that
    fails half-way gives its share back.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def check(self, rows_in_file: int, location: str) -> None:
        if self.used + rows_in_file > self.limit:
            raise RowLimitError(
                f"too many rows: {location} would take the run past "
                f"{self.limit:,} rows (ingest.max_rows); the file was not read",
                "split the file or the workshop, or raise ingest.max_rows",
            )

    def commit(self, rows_in_file: int) -> None:
        self.used += rows_in_file


@dataclass
class ReadResult:
    """What one reader got out of one file."""

    notes: list[RawNote] = field(default_factory=list)
    rejected: list[RejectedInput] = field(default_factory=list)
    text_column: str | None = None
    rows: list[InputRow] = field(default_factory=list)
    """Every non-blank row, line or paragraph read, in file order."""
    encoding: str | None = None
    header_rows: list[str] = field(default_factory=list)
    """Where a table's header was found below title rows ("sheet Feuil1 row 3")."""
    guessed_columns: list[str] = field(default_factory=list)
    """Text columns chosen for their long text, no header naming them (``TableLayout``)."""


class NoteCollector:
    """Builds the notes, rejections and row records of one source file."""

    def __init__(self, source: str, max_note_chars: int, budget: RowBudget | None = None) -> None:
        self.source = source
        self.max_note_chars = max_note_chars
        self.budget = budget
        self._ids = IdAllocator(source)
        self._result = ReadResult()

    @property
    def row_count(self) -> int:
        return len(self._result.rows)

    def add(self, text: str, location: str, metadata: Mapping[str, str] | None = None) -> None:
        """Record one note, or its rejection when the text is empty or too long."""
        cleaned = clean_cell(text)
        if not cleaned:
            self.reject(location, EMPTY_TEXT, text)
            return
        if len(cleaned) > self.max_note_chars:
            reason = (
                f"text too long ({len(cleaned)} characters; ingest.max_note_chars is "
                f"{self.max_note_chars}): split it into notes or raise the limit"
            )
            self.reject(location, reason, cleaned[: self.max_note_chars])
            return
        self._charge(location)
        note = RawNote(
            id=self._ids.next_id(cleaned),
            text=cleaned,
            source=self.source,
            location=location,
            metadata=clean_metadata(metadata or {}),
        )
        self._result.notes.append(note)
        self._row(location, RowStatus.NOTE, note.text, note_id=note.id)

    def reject(self, location: str, reason: str, text: str = "") -> None:
        """Record a row that cannot become a note, with the reason people will read: in
        English, which the reports translate (``pipeline.report.input_reasons`` recognises
        each reader's reason, and a new one needs its entry there)."""
        self._charge(location)
        self._result.rejected.append(
            RejectedInput(source=self.source, location=location, reason=reason, text=text)
        )
        self._row(location, RowStatus.REJECTED_ROW, text, reason=reason)

    def structure(self, location: str, reason: str, text: str = "") -> None:
        """Record a row that holds no note by design (a header row, a heading, …)."""
        self._charge(location)
        self._row(location, RowStatus.STRUCTURE, text, reason=reason)

    def header_after_titles(self, location: str) -> None:
        """Record that a table's header is at ``location``, below title rows."""
        self._result.header_rows.append(location)

    def column_guessed(self, column: str) -> None:
        """The text was read from ``column`` because it held the longest text, no header
        naming it: said in a warning, so that a wrong guess is seen."""
        if column not in self._result.guessed_columns:
            self._result.guessed_columns.append(column)

    def result(self, text_column: str | None = None) -> ReadResult:
        self._result.text_column = text_column
        return self._result

    def _charge(self, location: str) -> None:
        if self.budget is not None:
            self.budget.check(self.row_count + 1, location)

    def _row(
        self,
        location: str,
        status: RowStatus,
        text: str,
        *,
        note_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._result.rows.append(
            InputRow(
                source=self.source,
                location=location,
                status=status,
                note_id=note_id,
                reason=reason,
                text=text,
            )
        )


def clean_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """Metadata values are cleaned like text; empty ones carry no information and are dropped."""
    cleaned = {key: clean_cell(value) for key, value in metadata.items()}
    return {key: value for key, value in cleaned.items() if value}
