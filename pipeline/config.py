"""One validated configuration, read once at the edge (CLI or flow) and passed down.

A TOML file holds any subset of the sections below; anything left out takes the default.
Unknown keys are an error, so a typo in a config file is reported instead of ignored.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SUPPORTED_LANGUAGES = ("fr", "nl", "de", "en")


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line for people."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(_Section):
    text_column: str | None = None
    """Name of the column holding the note text; found automatically when unset."""
    encoding: str | None = None
    """Force an encoding for text/CSV files; detected (UTF-8, UTF-8 BOM, cp1252) when unset."""
    max_file_mb: float = Field(default=200.0, gt=0)
    """Files larger than this are refused with a clear error instead of exhausting memory."""
    max_note_chars: int = Field(default=5000, gt=0)
    """A longer cell or line is rejected (its start is kept in the ledger), not truncated."""
    max_rows: int = Field(default=200_000, gt=0)
    """Rows (notes, rejected rows, headers, headings) one run may read; a file that would go
    past it is skipped with a clear error, so one huge file cannot exhaust memory."""
    strict: bool = False
    """Stop before anything is written when a file is skipped or a row holding text is
    rejected (``--strict``); by default such input is reported and the run goes on."""


class PrepareConfig(_Section):
    languages: list[str] = Field(default_factory=lambda: list(SUPPORTED_LANGUAGES))
    """Languages the detector chooses between; restricting it makes short notes more accurate."""
    split: bool = True
    """Split notes holding several ideas (bullets, numbered lists, ';', sentences)."""
    min_chars: int = Field(default=3, ge=1)
    min_letters: int = Field(default=2, ge=1)
    near_duplicate_threshold: float = Field(default=0.85, gt=0, le=1)
    """Character-trigram Jaccard similarity above which two notes are near duplicates.
    One typo in a 30-character note gives 0.85–0.88."""

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        from lingua import IsoCode639_1

        codes = [code.strip().lower() for code in value]
        if not codes:
            raise ValueError("give at least one language")
        for code in codes:
            try:
                IsoCode639_1.from_str(code)
            except ValueError:
                raise ValueError(
                    f"unknown language code {code!r} (use ISO 639-1, e.g. fr)"
                ) from None
        return codes


class EmbedConfig(_Section):
    model: str = "use-m3"
    """"use-m3", or "sentence-transformers:<hub name or local path>"."""
    batch_size: int = Field(default=64, gt=0)
    cache_dir: Path | None = None
    """On-disk embedding cache; default is ``.cache/embeddings`` under the output root."""


class ClusterConfig(_Section):
    method: str = "umap-hdbscan"
    seed: int = 42
    language_centering: bool = True
    """Subtract each language's mean embedding so themes follow topics, not languages."""
    n_components: int = Field(default=5, ge=2)
    n_neighbors: int | None = None
    """UMAP neighbours; scaled to the number of notes when unset."""
    min_cluster_size: int | None = None
    """HDBSCAN minimum theme size; scaled to the number of notes when unset."""
    min_samples: int | None = None
    reassign_noise: bool = True
    """Give an unassigned note to the nearest theme when it is as close as that theme's members."""
    broad_themes: int | None = Field(default=None, ge=1)
    """Number of broad themes grouping the fine ones; when unset, chosen from the data (the
    largest gap in the dendrogram, 2–8) and only when there are more than six fine themes."""


class DescribeConfig(_Section):
    n_keyphrases: int = Field(default=8, gt=0)
    n_representatives: int = Field(default=5, gt=0)


class DraftConfig(_Section):
    drafter: str = "extractive"
    language: str | None = None
    """Output language of drafts (fr, nl, de, en); the workshop's majority language when unset."""


class Config(_Section):
    workshop: str | None = None
    """Name used for the run folder; the input folder's name when unset."""
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    prepare: PrepareConfig = Field(default_factory=PrepareConfig)
    embed: EmbedConfig = Field(default_factory=EmbedConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    describe: DescribeConfig = Field(default_factory=DescribeConfig)
    draft: DraftConfig = Field(default_factory=DraftConfig)
    labels: Path | None = None
    """Optional CSV (``source,text,theme``) giving each note's intended theme, to score the run."""


OutputLanguage = Literal["fr", "nl", "de", "en"]


def load_config(path: Path | None) -> Config:
    """Read a TOML config file; ``None`` gives the defaults. Raises ConfigError, one line."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from None
    if config.labels is not None and not config.labels.is_absolute():
        config.labels = Path(path).parent / config.labels
    return config


WORKSHOP_CONFIG = "ideasynth.toml"
"""A workshop folder may carry its own config under this name; it is used automatically."""


def config_for_input(input_path: Path, config_file: Path | None = None) -> Config:
    """``config_file`` if given; else the ``ideasynth.toml`` inside a workshop folder; else
    the defaults."""
    if config_file is None and input_path.is_dir() and (input_path / WORKSHOP_CONFIG).is_file():
        config_file = input_path / WORKSHOP_CONFIG
    return load_config(config_file)
