"""From raw notes to prepared notes: normalise, reject, detect language, split, de-duplicate.

``prepare`` returns every raw note exactly once (ACTIVE, SPLIT or REJECTED), each SPLIT note
followed by its ACTIVE children, so nothing is silently lost and the counts reconcile.
Each concept lives in its own module; this one only orders the steps and builds the notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.config import PrepareConfig
from pipeline.memo import IN_MEMORY, TextMemo
from pipeline.prepare.duplicates import find_duplicates
from pipeline.prepare.language import (
    LOW_CONFIDENCE,
    Detection,
    detect_languages,
    dominant_languages,
    smooth_by_source,
    workshop_languages,
)
from pipeline.prepare.normalize import flatten, normalize_text, strip_noise
from pipeline.prepare.reject import reject_reason
from pipeline.prepare.split import split_notes
from pipeline.schema import Note, NoteStatus, RawNote

__all__ = ["prepare"]


def child_id(parent_id: str, number: int) -> str:
    return f"{parent_id}-{number}"


def child_location(parent_location: str, number: int) -> str:
    return f"{parent_location} idea {number}"


def prepare(
    raw: Sequence[RawNote], config: PrepareConfig, memo: TextMemo = IN_MEMORY
) -> list[Note]:
    """All notes: each raw note once (ACTIVE, SPLIT or REJECTED), each SPLIT note followed
    by its ACTIVE children (ids ``<parent>-1``, ``<parent>-2``, …). Deterministic.

    ``text`` is the normalised text (a SPLIT note keeps its line breaks so its structure
    stays readable); ``original_text`` is always the raw text, for children their parent's.
    ``memo`` remembers each text's language candidates and sentences (``pipeline.memo``).
    """
    normalized = [normalize_text(note.text) for note in raw]
    cleaned = [strip_noise(flatten(text)) for text in normalized]
    reasons = [reject_reason(text, config) for text in cleaned]
    kept = [i for i, reason in enumerate(reasons) if reason is None]

    languages = workshop_languages(
        [cleaned[i] for i in kept], config.languages, discover=config.discover_languages, memo=memo
    )
    detections = detect_languages(cleaned, languages, memo=memo)
    parts: list[list[str] | None] = [None] * len(raw)
    if config.split and kept:
        found = split_notes([normalized[i] for i in kept], [detections[i].lang for i in kept], memo)
        for i, note_parts in zip(kept, found, strict=True):
            parts[i] = note_parts

    # Children get their own detection. Short uncertain notes lean towards the dominant
    # language of their file; a child leans towards its parent's language when that is sure.
    child_texts = [(i, text) for i in kept for text in parts[i] or ()]
    child_detections = detect_languages([text for _, text in child_texts], languages, memo=memo)
    dominant = dominant_languages([detections[i] for i in kept], [raw[i].source for i in kept])
    child_sources = []
    for i, _ in child_texts:
        if detections[i].confidence >= LOW_CONFIDENCE:
            dominant[f"\0parent {raw[i].id}"] = detections[i].lang
            child_sources.append(f"\0parent {raw[i].id}")
        else:
            child_sources.append(raw[i].source)
    smoothed = smooth_by_source(
        [*detections, *child_detections],
        [*cleaned, *(text for _, text in child_texts)],
        [*(note.source for note in raw), *child_sources],
        dominant=dominant,
    )
    detections, child_detections = smoothed[: len(raw)], smoothed[len(raw) :]

    notes: list[Note] = []
    next_child = 0
    for i, note in enumerate(raw):
        note_parts = parts[i]
        if reasons[i] is not None:
            notes.append(_note(note, cleaned[i], detections[i], NoteStatus.REJECTED, reasons[i]))
        elif note_parts is None:
            notes.append(_note(note, cleaned[i], detections[i], NoteStatus.ACTIVE))
        else:
            notes.append(_note(note, normalized[i], detections[i], NoteStatus.SPLIT))
            for number, text in enumerate(note_parts, start=1):
                notes.append(
                    _note(
                        note,
                        text,
                        child_detections[next_child],
                        NoteStatus.ACTIVE,
                        id=child_id(note.id, number),
                        location=child_location(note.location, number),
                        parent_id=note.id,
                    )
                )
                next_child += 1

    _mark_duplicates(notes, config.near_duplicate_threshold)
    return notes


def _note(
    raw: RawNote,
    text: str,
    detection: Detection,
    status: NoteStatus,
    reason: str | None = None,
    *,
    id: str | None = None,
    location: str | None = None,
    parent_id: str | None = None,
) -> Note:
    return Note(
        id=id or raw.id,
        text=text,
        original_text=raw.text,
        source=raw.source,
        location=location or raw.location,
        metadata=dict(raw.metadata),
        lang=detection.lang,
        lang_confidence=round(detection.confidence, 4),
        status=status,
        reject_reason=reason,
        parent_id=parent_id,
    )


def _mark_duplicates(notes: list[Note], threshold: float) -> None:
    """Among ACTIVE notes, in output order, point later copies at the first one."""
    active = [note for note in notes if note.status is NoteStatus.ACTIVE]
    for note, duplicate in zip(
        active, find_duplicates([n.text for n in active], threshold), strict=True
    ):
        if duplicate is not None:
            note.duplicate_of = active[duplicate.of].id
            note.duplicate_kind = duplicate.kind
