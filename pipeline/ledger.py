"""The ledger: what became of every row read and every file skipped, one row each.

``notes.parquet`` holds the notes; the ledger answers the question a facilitator asks the
morning after, "where did row 37 of the Miro export go?". It starts from the rows the
readers recorded, in reading order, and follows each note through preparation and
clustering: kept (with its theme), split (followed by its ideas), rejected, or duplicate of
another. Rows that never became a note keep the reader's reason, files that were not read
get one row. Its sums are checked against the manifest counts (``Counts.ledger_rows``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.schema import (
    InputRow,
    LedgerEntry,
    LedgerStatus,
    Note,
    NoteStatus,
    RowStatus,
)

_FROM_NOTE = {
    NoteStatus.ACTIVE: LedgerStatus.NOTE,
    NoteStatus.SPLIT: LedgerStatus.SPLIT,
    NoteStatus.REJECTED: LedgerStatus.REJECTED,
}
_FROM_ROW = {
    RowStatus.REJECTED_ROW: LedgerStatus.REJECTED_ROW,
    RowStatus.STRUCTURE: LedgerStatus.STRUCTURE,
    RowStatus.SKIPPED_FILE: LedgerStatus.SKIPPED_FILE,
}
MISSING = "the note was lost after reading (please report this)"


def build_ledger(rows: Sequence[InputRow], notes: Sequence[Note]) -> list[LedgerEntry]:
    """One entry per input row (a split note followed by one entry per idea), in order."""
    roots = {note.id: note for note in notes if note.parent_id is None}
    ideas: dict[str, list[Note]] = {}
    for child in notes:
        if child.parent_id is not None:
            ideas.setdefault(child.parent_id, []).append(child)
    ledger: list[LedgerEntry] = []
    for row in rows:
        if row.status is not RowStatus.NOTE:
            ledger.append(
                LedgerEntry(
                    source=row.source,
                    location=row.location,
                    status=_FROM_ROW[row.status],
                    reason=row.reason,
                    text=row.text,
                )
            )
            continue
        note = roots.get(row.note_id or "")
        if note is None:  # cannot happen unless a step drops a note; the sums will say so
            ledger.append(
                LedgerEntry(
                    source=row.source,
                    location=row.location,
                    status=LedgerStatus.REJECTED,
                    note_id=row.note_id,
                    reason=MISSING,
                    text=row.text,
                )
            )
            continue
        ledger.append(_entry(note, _FROM_NOTE[note.status], note.original_text))
        for idea in ideas.get(note.id, ()):
            ledger.append(_entry(idea, LedgerStatus.IDEA, idea.text))
    return ledger


def _entry(note: Note, status: LedgerStatus, text: str) -> LedgerEntry:
    active = note.status is NoteStatus.ACTIVE
    return LedgerEntry(
        source=note.source,
        location=note.location,
        status=status,
        note_id=note.id,
        parent_id=note.parent_id,
        duplicate_of=note.duplicate_of,
        theme_id=note.theme_id if active else None,
        reason=note.reject_reason,
        text=text,
    )


def count_by_status(ledger: Sequence[LedgerEntry]) -> dict[str, int]:
    """Rows per status, every status present (for checks and summaries)."""
    counts = {status.value: 0 for status in LedgerStatus}
    for entry in ledger:
        counts[entry.status.value] += 1
    return counts
