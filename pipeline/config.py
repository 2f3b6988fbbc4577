"""One validated configuration, read once at the edge (CLI or flow) and passed down.

A TOML file holds any subset of the sections below; anything left out takes the default.
Unknown keys are an error, so a typo in a config file is reported instead of ignored.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SUPPORTED_LANGUAGES = ("fr", "nl", "de", "en")


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line for people.

    Raised by ``load_config``, it also says what went wrong in parts (``problem``), so that
    the command line can say it in the run's language."""

    def __init__(self, message: str, problem: SettingsProblem | None = None) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class SettingsProblem:
    """What is wrong with a settings file, in parts: the file, what went wrong (``"missing"``,
    ``"unreadable"``, ``"toml"``, or pydantic's error type for a value, e.g.
    ``"extra_forbidden"``), where
    (the setting's path, e.g. ``("cluster", "nope")``), the validator's own message and
    values, and the language the file names (``draft.language``), when it names one."""

    file: str
    kind: str
    where: tuple[str | int, ...] = ()
    message: str = ""
    values: dict[str, str] = field(default_factory=dict)
    language: str | None = None


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
    discover_languages: bool = True
    """Also detect among other languages that a clear share of the notes are written in (5 %
    of the notes of four words or more, by lingua over all its languages); off: only
    ``languages``. ``manifest.json`` → ``languages_found`` lists what was added."""
    split: bool = True
    """Split notes holding several ideas (bullets, numbered lists, ';', sentences)."""
    reject_profiles: bool = True
    """Reject notes that only describe their writer ("I am under 30 years of age", "J'habite à
    la campagne"), as consultation platforms seed them: they would form a theme of their own
    that no challenge can speak for. Listed with their reason among the rejected notes."""
    reject_replies: bool = True
    """Reject notes that only answer another note ("Tout à fait d'accord", "+1", "I agree with
    this"), as online consultations export their comment threads: no idea of their own.
    Listed with their reason among the rejected notes."""
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
    model: str = "use-m3+e5-small:300"
    """The default, "use-m3+e5-small:300", embeds each note with both USE-multilingual and
    multilingual-e5-small and joins the vectors (better themes than either); e5 reads the
    first sentences of a note, up to 300 characters ("e5-small:<N>"; plain "e5-small" reads
    whole texts). Also "use-m3" (about 15 times faster), "e5-small", or
    "sentence-transformers:<hub name or local path>"; names joined by "+" are combined.

    Left at its default, a run with more than ``large_run_notes`` notes to embed uses
    ``large_run_model``, and a re-run keeps the embedder its previous run recorded, so that
    a new default never reshuffles a reviewed workshop; set here or with ``--embedder``, it is
    used as named (``pipeline.embed.choice``)."""
    large_run_model: str = "use-m3"
    """The embedder of a run with more than ``large_run_notes`` notes, when ``model`` is left
    at its default."""
    large_run_notes: int | None = Field(default=2000, gt=0)
    """Above this many notes to embed (ideas, after splitting), a run whose ``model`` is left
    at its default uses ``large_run_model``; ``None``: never."""
    split_context: float = Field(default=0.5, ge=0.0, le=1.0)
    """How much of a short item of a note written as a list is placed by that note's vector
    ("monthly meetup" from a list on a community of practice sits with it); 0: every idea by
    its own vector alone (``pipeline.embed.context``)."""
    batch_size: int = Field(default=64, gt=0)
    one_text_per_call: bool = False
    """Embed each text in a call of its own, so that its vector is the same whatever it is
    embedded with: themes then depend on the notes only, not on what the cache already held
    (docs/quality.md, "The same notes, a different cache"). About 2.6 times slower with ``use-m3``;
    its vectors are cached apart from the batched ones."""
    cache_dir: Path | None = None
    """Folder of the embedding cache and of the memo of per-text language processing
    (``embeddings.sqlite``, ``texts.sqlite``); default ``$IDEASYNTH_CACHE_DIR``, else
    ``~/.cache/ideasynth/embeddings``."""


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
    consensus_runs: int = Field(default=1, ge=1, le=20)
    """UMAP seeds whose themes vote (co-association, majority): 1 uses the seed alone. Only up
    to 5,000 notes; each extra run costs one more UMAP and HDBSCAN grid."""
    split_stable_themes: bool = True
    """Split a theme in two when 2-means on resamples of its notes draws the same border every
    time (``pipeline.cluster.split``): close topics that the clustering joined part again."""
    broad_themes: int | None = Field(default=None, ge=1)
    """Number of broad themes (the challenges) grouping the fine ones; when unset, 4 to 8
    chosen from the data (``pipeline.cluster.hierarchy``), or one per fine theme when there are
    four or fewer."""
    incremental: bool = True
    """A re-run that only adds or removes a few notes keeps the previous run's themes: new notes
    join their nearest theme or stay unassigned, and nothing is clustered again
    (``pipeline.cluster.incremental``). ``ideasynth run --recluster`` turns it off once."""
    incremental_max_new: float = Field(default=0.10, ge=0, le=1)
    """Largest share of notes added or removed since the last full clustering for which a
    re-run still keeps its themes; beyond it, or when the clustering settings or embedder
    changed, the notes are clustered afresh."""


class DescribeConfig(_Section):
    n_keyphrases: int = Field(default=8, gt=0)
    n_representatives: int = Field(default=5, gt=0)
    fold_translations: bool = True
    """One keyphrase for a word and its translations ("mois", "maanden", "months"), found by
    USE-multilingual word vectors whatever embeds the notes (``pipeline.describe``)."""


class DraftConfig(_Section):
    drafter: str = "compose"
    language: str | None = None
    """Output language of drafts (fr, nl, de, en); the workshop's majority language when unset."""
    # Language-model drafters (``llama-cpp``, ``openai``); see "Drafting with language models".
    base_url: str | None = None
    """``openai``: the endpoint, e.g. ``http://127.0.0.1:11434/v1`` (env
    ``IDEASYNTH_LLM_BASE_URL``)."""
    model: str | None = None
    """``openai``: the model name sent to the endpoint (env ``IDEASYNTH_LLM_MODEL``)."""
    api_key_env: str = "IDEASYNTH_LLM_API_KEY"
    """Name of the environment variable holding the API key; keys never go in config files."""
    model_path: Path | None = None
    """``llama-cpp``: a GGUF file; the bundled Gemma 3 270M when unset."""
    response_format: Literal["json_schema", "json_object", "none"] = "json_schema"
    """How the JSON schema is sent: OpenAI's ``json_schema``, ``json_object`` with a
    ``schema`` (llama-cpp-python's server), or not at all (the prompt alone asks for JSON)."""
    timeout_seconds: float = Field(default=120.0, gt=0)
    retries: int = Field(default=2, ge=0)
    """Further attempts per theme after a failed call or an invalid answer."""
    backoff_seconds: float = Field(default=1.0, ge=0)
    """First wait before retrying a failed call; doubled at each further retry."""
    concurrency: int = Field(default=2, ge=1)
    """Themes drafted at the same time (the local model always drafts one at a time)."""
    requests_per_minute: float | None = Field(default=None, gt=0)
    """Rate limit on calls to the model; unlimited when unset."""
    max_tokens: int = Field(default=512, gt=0)
    temperature: float = Field(default=0.2, ge=0)
    context_tokens: int = Field(default=4096, gt=0)
    """``llama-cpp``: the context window the model is loaded with."""
    allow_remote: bool = False
    """Allow an endpoint that is not on this machine; workshop notes would leave it."""
    prompts_dir: Path | None = None
    """A folder of your own prompt files (``fr.txt``, ``nl.txt``, …); the bundled ones when
    unset."""
    grounding_threshold: float = Field(default=0.30, ge=-1, le=1)
    """Cosine similarity a sentence needs with one of its cited notes to count as supported."""


class CategoryConfig(_Section):
    """One facilitator category (``[[categories]]``): a SWOT quadrant, a priority area, …"""

    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    """A sentence or two saying what belongs here, in any language; notes are matched to it
    by meaning, so say what the notes would talk about, not only the category's name."""


class CategorizeConfig(_Section):
    min_confidence: float = Field(default=0.2, ge=0, le=1)
    """Below this confidence (softmax margin between the two best categories) a note or theme
    gets the category "none" instead of a forced guess."""
    temperature: float = Field(default=0.05, gt=0)
    """Softmax temperature over cosine similarities; lower makes confidences more decisive."""


def check_categories(categories: list[CategoryConfig]) -> list[CategoryConfig]:
    """At least two categories with distinct names; "none" is reserved for no category."""
    if not categories:
        return categories
    if len(categories) < 2:
        raise ValueError("give at least two categories, or none")
    seen: set[str] = set()
    for category in categories:
        key = category.name.strip().casefold()
        if key == "none":
            raise ValueError('"none" is reserved for notes that fit no category')
        if key in seen:
            raise ValueError(f"category {category.name!r} is given twice")
        seen.add(key)
    return categories


class Config(_Section):
    workshop: str | None = None
    """The workshop's name: the report's and the handout's title, the review app's header and
    the run folder (``runs/<workshop>/``). Unset: ``default_workshop_name`` of the input."""
    ingest: IngestConfig = Field(default_factory=IngestConfig)
    prepare: PrepareConfig = Field(default_factory=PrepareConfig)
    embed: EmbedConfig = Field(default_factory=EmbedConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
    describe: DescribeConfig = Field(default_factory=DescribeConfig)
    draft: DraftConfig = Field(default_factory=DraftConfig)
    labels: Path | None = None
    """Optional CSV (``source,text,theme``) giving each note's intended theme, to score the run."""
    categories: list[CategoryConfig] = Field(default_factory=list)
    """Facilitator categories (``[[categories]]``); every note and theme gets its best one."""
    categorize: CategorizeConfig = Field(default_factory=CategorizeConfig)

    @field_validator("categories")
    @classmethod
    def _valid_categories(cls, value: list[CategoryConfig]) -> list[CategoryConfig]:
        return check_categories(value)


OutputLanguage = Literal["fr", "nl", "de", "en"]


def load_config(path: Path | None) -> Config:
    """Read a TOML config file; ``None`` gives the defaults. Raises ConfigError, one line."""
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = SettingsProblem(str(path), "missing")
        raise ConfigError(f"{path}: config file not found", problem) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = SettingsProblem(str(path), "toml", message=str(exc))
        raise ConfigError(f"{path}: not valid TOML ({exc})", problem) from None
    except OSError as exc:  # a folder, a file this user may not read
        detail = exc.strerror or str(exc)
        problem = SettingsProblem(str(path), "unreadable", message=detail)
        raise ConfigError(f"{path}: cannot read the config file ({detail})", problem) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        problem = SettingsProblem(
            str(path),
            first["type"],
            tuple(first["loc"]),
            first["msg"],
            {name: str(value) for name, value in (first.get("ctx") or {}).items()},
            _named_language(data),
        )
        raise ConfigError(f"{path}: {where}: {first['msg']}", problem) from None
    if config.labels is not None and not config.labels.is_absolute():
        config.labels = Path(path).parent / config.labels
    if config.draft.prompts_dir is not None and not config.draft.prompts_dir.is_absolute():
        config.draft.prompts_dir = Path(path).parent / config.draft.prompts_dir
    if config.draft.model_path is not None and not config.draft.model_path.is_absolute():
        config.draft.model_path = Path(path).parent / config.draft.model_path
    return config


def _named_language(data: dict[str, object]) -> str | None:
    """The output language a settings file names (``draft.language``), if a supported one."""
    draft = data.get("draft")
    language = draft.get("language") if isinstance(draft, dict) else None
    return language if language in SUPPORTED_LANGUAGES else None


WORKSHOP_CONFIG = "ideasynth.toml"
"""A workshop folder may carry its own config under this name; it is used automatically."""


def config_for_input(input_path: Path, config_file: Path | None = None) -> Config:
    """``config_file`` if given; else the ``ideasynth.toml`` inside a workshop folder; else
    the defaults."""
    if config_file is None and input_path.is_dir() and (input_path / WORKSHOP_CONFIG).is_file():
        config_file = input_path / WORKSHOP_CONFIG
    return load_config(config_file)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


GENERIC_NAMES = _word_set(
    """
    notes note export exports exported data input inputs comments comment responses response
    answers answer ideas idea results result download downloads untitled file files
    contributions contribution postits postit post its stickies sticky sheet miro mural board
    final copy kopie copie new raw all workshop notizen ideen antworten
    kommentare daten reponses réponses idees idées commentaires donnees données notities
    ideeen ideeën antwoorden opmerkingen gegevens
    """
)
"""Words of a file name that say what kind of file it is, not which workshop: a notes file
named only with them ("notes.csv", "Export (2).xlsx", "comments_2026-12-03.csv") names the
workshop after its folder. Numbers and dates in the name do not count."""
GENERIC_FOLDERS = GENERIC_NAMES | _word_set("tmp temp downloads desktop documents home users root")
"""Folders that are no workshop's name either: "/tmp/notes.csv" stays "notes"."""


def _is_generic(name: str, generic: frozenset[str]) -> bool:
    words = [word.rstrip("0123456789") for word in re.split(r"[\W_]+", name.casefold())]
    return all(not word or word in generic for word in words)


def default_workshop_name(input_path: Path) -> str:
    """The workshop's name when the config gives none (``workshop``): a folder's name; a
    file's stem, or its folder's name when the stem only says what the file is ("notes",
    "export", "data", ``GENERIC_NAMES``) and the folder's name says more."""
    path = input_path.resolve()
    if path.is_dir():
        return path.name
    folder = path.parent.name
    specific_folder = folder and not _is_generic(folder, GENERIC_FOLDERS)
    if specific_folder and _is_generic(path.stem, GENERIC_NAMES):
        return folder
    return path.stem
