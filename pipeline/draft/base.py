"""The Drafter protocol, its registry, and the drafting step over all themes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from pipeline.config import DraftConfig
from pipeline.registry import Registry
from pipeline.schema import Draft, DraftingStats, Note, Theme


class Drafter(Protocol):
    """Writes one Draft for a theme in ``language``; every Sentence cites notes of that theme."""

    name: str

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft: ...


@runtime_checkable
class ConfigurableDrafter(Protocol):
    """A backend that needs the ``[draft]`` config (endpoint, model, limits) to be built."""

    name: str

    def configured(self, config: DraftConfig) -> Drafter: ...


@runtime_checkable
class BatchDrafter(Protocol):
    """A drafter that drafts many themes at once (concurrently) and counts what it cost."""

    name: str

    def draft_all(
        self, themes: Sequence[Theme], notes: Mapping[str, Note], language: str
    ) -> list[Draft]: ...

    @property
    def stats(self) -> DraftingStats: ...


@runtime_checkable
class UsesVectors(Protocol):
    """A drafter that drafts better with the run's note embeddings (centrality, merging the
    same idea said in several languages)."""

    def with_vectors(
        self, vectors: Mapping[str, Any], embed: Callable[[list[str]], Any] | None = None
    ) -> Drafter: ...


@runtime_checkable
class DraftsFromFacets(Protocol):
    """A drafter that drafts a challenge from its facets' drafts (a challenge gathers
    several facets; a heading and a question composed over all its notes at once name
    whichever facet wins by a hair, the heading one facet and the question another)."""

    def draft_challenge(
        self,
        challenge: Theme,
        facets: Sequence[Theme],
        notes: Mapping[str, Note],
        language: str,
    ) -> Draft: ...


drafters: Registry[Drafter] = Registry("drafter")


def create_drafter(config: DraftConfig) -> Drafter:
    """The drafter named by ``config.drafter``, built with the rest of ``config``.

    Building checks the settings (an endpoint that is not local, a missing model file) and
    raises a one-line ``ConfigError``; it contacts no server and loads no model.
    """
    drafter = drafters.create(config.drafter)
    if isinstance(drafter, ConfigurableDrafter):
        return drafter.configured(config)
    return drafter


def draft_all(
    themes: Sequence[Theme],
    notes: Sequence[Note],
    language: str,
    config: DraftConfig,
    vectors: Mapping[str, Any] | None = None,
    embed: Callable[[list[str]], Any] | None = None,
) -> tuple[list[Draft], DraftingStats | None]:
    """Drafts for every theme, and the accounting of model drafters (``None`` otherwise).

    ``vectors`` (note id → embedding) and ``embed`` (the run's embedder) go to drafters
    that use them. A theme other themes name as their ``parent_id`` is a challenge: a
    drafter that drafts challenges from their facets gets them."""
    drafter = create_drafter(config)
    if vectors is not None and isinstance(drafter, UsesVectors):
        drafter = drafter.with_vectors(vectors, embed)
    by_id = {note.id: note for note in notes}
    if isinstance(drafter, BatchDrafter):
        return drafter.draft_all(themes, by_id, language), drafter.stats
    facets: dict[str, list[Theme]] = {}
    for theme in themes:
        if theme.parent_id is not None:
            facets.setdefault(theme.parent_id, []).append(theme)
    if isinstance(drafter, DraftsFromFacets) and facets:
        return [
            drafter.draft_challenge(theme, facets[theme.id], by_id, language)
            if theme.id in facets
            else drafter.draft(theme, by_id, language)
            for theme in themes
        ], None
    return [drafter.draft(theme, by_id, language) for theme in themes], None


def draft_themes(
    themes: Sequence[Theme], notes: Sequence[Note], language: str, drafter_spec: str
) -> list[Draft]:
    """Drafts with the named drafter and default settings otherwise."""
    return draft_all(themes, notes, language, DraftConfig(drafter=drafter_spec))[0]
