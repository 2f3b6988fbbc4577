"""The drafter the review re-drafts with: the run's own, with the run's embeddings.

A merge, a split or a move changes a unit's notes, and the review drafts it again
(``pipeline.review.actions.redraft``) with the drafter the run was made with, built from the
run's settings: the composing drafter by default, or the run's language model (a llama-cpp
model file, an OpenAI-compatible endpoint), which falls back to the composing drafter,
flagged, whenever its answer cannot be used. Where that model is not at hand (the model
file is gone, the settings no longer validate), the composing drafter drafts instead.

Drafters draft better with the run's note vectors and embedder: the title closest in
meaning to the unit, the question closest to the title, the same idea merged across
languages. The run folder holds no vectors, but the run's embedder keeps every text it
embedded in its on-disk cache, so the notes' vectors come back from there without the model
doing any work, and the model loads once per process; the notes' part-of-speech tags come
back from the run's text memo the same way. When the run's embedder cannot be had
(a hub model on a machine without it, a run folder written without its settings), the
review drafts without vectors, as it always could.
"""

from __future__ import annotations

import logging
from typing import Any

from pipeline.draft.base import Drafter, UsesVectors
from pipeline.draft.compose.drafter import ComposingDrafter
from pipeline.safe_text import one_line
from pipeline.schema import NoteStatus, RunResult

log = logging.getLogger(__name__)

_DRAFTERS: dict[str, Drafter] = {}
COMPOSING = {"compose", "extractive"}


def review_drafter(run: RunResult) -> Drafter:
    """The drafter for ``run``'s re-drafts, made once per run and process."""
    key = run.manifest.run_id
    if key not in _DRAFTERS:
        if len(_DRAFTERS) > 16:
            _DRAFTERS.clear()
        _DRAFTERS[key] = _runs_drafter(run, _with_run_vectors(run))
    return _DRAFTERS[key]


def _runs_drafter(run: RunResult, composer: ComposingDrafter) -> Drafter:
    settings: Any = run.manifest.config.get("draft") if run.manifest.config else None
    if not isinstance(settings, dict):
        return composer
    name = str(settings.get("drafter", "compose")).partition(":")[0]
    if name in COMPOSING:
        return composer
    from pipeline.config import DraftConfig
    from pipeline.draft import create_drafter

    try:
        drafter = create_drafter(DraftConfig.model_validate(settings))
    except Exception as exc:  # a model file gone, settings that no longer validate
        log.warning("re-drafting with the composing drafter: %s", one_line(str(exc)))
        return composer
    if isinstance(drafter, UsesVectors) and composer.vectors is not None:
        drafter = drafter.with_vectors(composer.vectors, composer.embed)
    return drafter


def _with_run_vectors(run: RunResult) -> ComposingDrafter:
    settings: Any = run.manifest.config.get("embed") if run.manifest.config else None
    if not isinstance(settings, dict):
        return ComposingDrafter()
    from pipeline.config import EmbedConfig
    from pipeline.draft.compose.tagging import tag_many
    from pipeline.embed.for_run import run_embedder, run_memo
    from pipeline.prepare.normalize import plain_typography

    try:
        config = EmbedConfig.model_validate(settings)
        embedder = run_embedder(config)
        active = [n for n in run.notes if n.status is NoteStatus.ACTIVE]
        # As the run embedded them: in their plain typography.
        vectors = embedder.embed([plain_typography(n.text) for n in active])
        # The tags of the notes the run drafted from, as it remembered them: no tagger loads
        # unless the review puts a note the run never drafted from into a theme.
        members = {i for t in [*run.themes, *run.broad_themes] for i in t.note_ids}
        drafted = [n for n in active if n.id in members]
        tag_many([n.text for n in drafted], [n.lang for n in drafted], run_memo(config))
    except Exception as exc:  # any embedder's failure: draft as before, never fail a review
        log.warning("re-drafting without the run's embeddings: %s", one_line(str(exc)))
        return ComposingDrafter()
    return ComposingDrafter().with_vectors(
        dict(zip((n.id for n in active), vectors, strict=True)), embedder.embed
    )
