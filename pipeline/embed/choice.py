"""Which embedder a run or an evaluation uses: the one rule both follow.

1. ``embed.model`` named in the config file or with ``--embedder``: that embedder, as named.
2. Else a re-run uses the embedder its previous run recorded (``manifest.json`` → config →
   ``embed.model``), so that a new default never reshuffles the themes of a reviewed
   workshop: a run from before the joined embedder became the default keeps ``use-m3``.
3. Else a run with more than ``embed.large_run_notes`` notes to embed uses
   ``embed.large_run_model`` (``use-m3``): the joined default's e5 half embeds about 15 times
   slower, and 10,000 notes must take under 5 minutes cold (docs/quality.md).
4. Else the default, ``use-m3+e5-small:300``.

The run writes the chosen embedder into its config (so the manifest, the review and Day 2
use it) and the reason into ``manifest.json`` → ``embedder_choice``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import EmbedConfig

MANIFEST_JSON = "manifest.json"


@dataclass(frozen=True)
class EmbedderChoice:
    spec: str
    """The embedder, as ``embed.model`` names it (``use-m3+e5-small:300``)."""
    reason: str
    """Why, in one line for the manifest and the log."""

    def applied(self, config: EmbedConfig) -> EmbedConfig:
        """``config`` with the chosen embedder as its ``model``."""
        return config.model_copy(update={"model": self.spec})


def named(config: EmbedConfig) -> bool:
    """Whether ``embed.model`` was set (config file, ``--embedder``, or code), not left at
    its default."""
    return "model" in config.model_fields_set


def choose_embedder(
    config: EmbedConfig, n_notes: int, recorded: str | None = None
) -> EmbedderChoice:
    """The embedder for ``n_notes`` notes to embed, ``recorded`` being the ``embed.model``
    the workshop's previous run used (``None``: no previous run); see the module docstring."""
    if named(config):
        return EmbedderChoice(config.model, "named in the config")
    if recorded:
        return EmbedderChoice(recorded, "kept from the previous run")
    limit = config.large_run_notes
    if limit is not None and n_notes > limit and config.large_run_model != config.model:
        return EmbedderChoice(
            config.large_run_model,
            f"{n_notes} notes, more than embed.large_run_notes = {limit}",
        )
    return EmbedderChoice(config.model, "the default")


def recorded_embedder(run_dir: Path | None) -> str | None:
    """The ``embed.model`` a previous run's manifest records; ``None`` when there is no
    previous run or its manifest cannot be read (the run then chooses as a first run)."""
    if run_dir is None:
        return None
    try:
        manifest = json.loads((run_dir / MANIFEST_JSON).read_text(encoding="utf-8"))
        model = manifest["config"]["embed"]["model"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return model if isinstance(model, str) and model else None
