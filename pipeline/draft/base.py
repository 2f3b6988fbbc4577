"""The Drafter protocol and its registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from pipeline.registry import Registry
from pipeline.schema import Draft, Note, Theme


class Drafter(Protocol):
    """Writes one Draft for a theme in ``language``; every Sentence cites notes of that theme."""

    name: str

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft: ...


drafters: Registry[Drafter] = Registry("drafter")


def draft_themes(
    themes: Sequence[Theme], notes: Sequence[Note], language: str, drafter_spec: str
) -> list[Draft]:
    drafter = drafters.create(drafter_spec)
    by_id = {note.id: note for note in notes}
    return [drafter.draft(theme, by_id, language) for theme in themes]
