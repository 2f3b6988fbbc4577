"""Every data shape the pipeline passes between steps, in one place.

Steps are plain functions from these models to these models, so a step can be tested,
replaced or run outside Prefect without knowing about its neighbours.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

UNASSIGNED = "unassigned"
"""Theme id given to notes that no theme claims with confidence (HDBSCAN noise)."""


class RawNote(BaseModel):
    """One note as read from a file, before any cleaning.

    ``location`` says where in the source it was found ("row 12", "paragraph 3",
    "table 1 row 4 cell 2", "line 7") so that a reviewer can go back to the original.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    source: str
    location: str
    metadata: dict[str, str] = Field(default_factory=dict)


class RejectedInput(BaseModel):
    """An input row that yielded no note, with the reason, so nothing is silently lost."""

    source: str
    location: str
    reason: str
    text: str = ""


class RowStatus(StrEnum):
    """What a reader made of one row, line or paragraph it read."""

    NOTE = "note"
    """It became a ``RawNote`` (``note_id``)."""
    REJECTED_ROW = "rejected_row"
    """It could not become a note (``reason``): empty text, too long, a broken JSON line, …"""
    STRUCTURE = "structure"
    """It holds no note by design (``reason``): a header row, a heading, a rule, a line that
    continues the note above, a cell merged with the one above."""
    SKIPPED_FILE = "skipped_file"
    """A whole file that was not read (``reason``); its location is ``file``."""


@dataclass(frozen=True, slots=True)
class InputRow:
    """One non-blank row, line or paragraph as read, in file order: the start of the ledger.

    A slotted dataclass, not a model: a run may hold hundreds of thousands of them, and a
    pydantic instance costs about ten times the memory.
    """

    source: str
    location: str
    status: RowStatus
    note_id: str | None = None
    reason: str | None = None
    text: str = ""


class SkippedFile(BaseModel):
    """A file that was not read at all, with the one-line reason (file name excluded)."""

    source: str
    reason: str


class InputFile(BaseModel):
    """What one input file contributed to the run (for the manifest)."""

    path: str
    sha256: str
    format: str
    notes: int
    rejected: int
    text_column: str | None = None
    structure: int = 0
    """Rows read that hold no note by design (header rows, headings, …)."""
    encoding: str | None = None
    """The text encoding detected or forced, for text formats."""
    header_rows: list[str] = Field(default_factory=list, exclude_if=lambda v: not v)
    """Where a table's header was found when title rows stand above it ("row 3", "sheet
    Feuil1 row 3"); the title rows are in the ledger."""
    guessed_columns: list[str] = Field(default_factory=list, exclude_if=lambda v: not v)
    """Text columns read because they held the longest text, no header naming the text and
    no ``ingest.text_column`` set; a warning names each (``pipeline.ingest.problems``)."""
    cp1252_lines: list[int] = Field(default_factory=list, exclude_if=lambda v: not v)
    """Lines whose UTF-8 gives characters no one types there, which their bytes read as cp1252
    would not ("ACCEPTɔ" for "ACCEPTÉ”"): read as cp1252 in a file that holds cp1252 text
    elsewhere, kept as written in one that is UTF-8 throughout; a warning names the first."""


class IngestResult(BaseModel):
    notes: list[RawNote]
    rejected: list[RejectedInput] = Field(default_factory=list)
    files: list[InputFile] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    """One line per file that could not be read at all (file name + problem)."""
    rows: list[InputRow] = Field(default_factory=list)
    """Every non-blank row read and every skipped file, in reading order (for the ledger)."""
    skipped: list[SkippedFile] = Field(default_factory=list)


class NoteStatus(StrEnum):
    ACTIVE = "active"
    """An atomic idea that goes on to be clustered."""
    SPLIT = "split"
    """A note holding several ideas; its children (``parent_id`` = this id) are clustered."""
    REJECTED = "rejected"
    """Empty or meaningless; ``reject_reason`` says why."""


class Note(BaseModel):
    """A prepared note: normalised text, language, status, and later its theme."""

    id: str
    text: str
    original_text: str
    source: str
    location: str
    metadata: dict[str, str] = Field(default_factory=dict)
    lang: str = "und"
    lang_confidence: float = 0.0
    status: NoteStatus = NoteStatus.ACTIVE
    reject_reason: str | None = None
    parent_id: str | None = None
    duplicate_of: str | None = None
    duplicate_kind: str | None = None
    """"exact" or "near" when ``duplicate_of`` is set. Duplicates are kept and clustered."""
    theme_id: str | None = None
    """Set by clustering for active notes: a theme id or ``UNASSIGNED``."""
    theme_probability: float | None = None
    map_x: float | None = None
    map_y: float | None = None
    """Position on the report's 2-D map of notes (active notes only)."""
    category: str | None = None
    """Facilitator category (``[[categories]]`` in config) of an active note, or "none" when
    no category is confident enough; ``None`` when the workshop gives no categories."""
    category_confidence: float | None = None
    """Softmax margin between the two best categories, 0–1 (see ``pipeline.categorize``)."""


class Assignment(BaseModel):
    """The clustering result for the active notes, in the order they were given."""

    labels: list[int]
    """Cluster index per note, -1 for unassigned."""
    probabilities: list[float]
    coords_2d: list[tuple[float, float]]
    """A 2-D projection for the report's map."""
    params: dict[str, Any] = Field(default_factory=dict)
    """The parameters actually used (after automatic choices), for the manifest."""


class PriorAssignment(BaseModel):
    """The themes of a workshop's previous run, as a re-run needs them to keep them
    (``pipeline.cluster.incremental``): the pipeline's own assignment, not the review's."""

    run_dir: str
    note_ids: list[str]
    theme_ids: list[str]
    """Theme id per note ("T03"), ``UNASSIGNED`` for none."""
    probabilities: list[float]
    coords_2d: list[tuple[float, float]]
    embed_model: str
    """The versioned name of the previous run's embedder (its ``embed.model`` setting for runs
    made before manifests recorded it)."""
    cluster_settings: dict[str, Any]
    """The previous run's ``[cluster]`` config, as recorded in its manifest."""
    clustering: dict[str, Any]
    """The previous run's clustering parameters (the manifest's ``clustering``)."""


class Theme(BaseModel):
    id: str
    label: str
    """The theme's name: its draft's title once drafted (its top keyphrases before, or when
    no title could be composed); analysts rename themes in review."""
    note_ids: list[str]
    """Its ideas: a note's own id, or a split note's idea ("n12-2")."""
    size: int
    """How many ideas it holds (``len(note_ids)``)."""
    notes_behind: int | None = None
    """How many notes its ideas come from: the ideas split out of one note count once
    (``count_notes``). ``None`` in runs written before it was counted; ``note_count`` then
    falls back on ``size``."""
    languages: dict[str, int]
    keyphrases: list[str]
    keyphrase_translations: dict[str, list[str]] = Field(default_factory=dict)
    """Other languages' words for a keyphrase, folded into it ("mois": ["maanden", "months"]):
    the same concept written in several languages counts once."""
    representative_ids: list[str]
    """Central and diverse notes, most representative first."""
    parent_id: str | None = None
    """Broad theme this fine theme belongs to, when a hierarchy is built."""
    category: str | None = None
    """Facilitator category of the theme (by its centroid), "none", or ``None`` without
    categories."""
    category_confidence: float | None = None
    category_share: float | None = None
    """Share of the theme's notes whose own category is the theme's."""

    @property
    def note_count(self) -> int:
        """The notes behind the theme, as every page counts them ("12 notes")."""
        return self.size if self.notes_behind is None else self.notes_behind


def languages_of(ideas: Iterable[Note]) -> dict[str, int]:
    """How many notes of each language ``ideas`` come from, most first: the ideas split out
    of one note count once, in the language of the first of them, so that "12 notes · fr 7,
    nl 5" adds up (``count_notes``)."""
    first: dict[str, str] = {}
    for idea in ideas:
        first.setdefault(idea.parent_id or idea.id, idea.lang)
    return dict(Counter(first.values()).most_common())


def count_notes(idea_ids: Iterable[str], parent_of: Mapping[str, str | None]) -> int:
    """How many notes the ideas ``idea_ids`` come from: those split out of one note
    (``parent_of``: idea id → its note's id, ``None`` or absent for a whole note) count
    once. A long answer split into five ideas is one note in "12 notes", as a reader
    counts them, not five."""
    return len({parent_of.get(i) or i for i in idea_ids})


class Sentence(BaseModel):
    """A generated sentence and the ids of the notes it is built from (never empty)."""

    text: str
    cites: list[str] = Field(min_length=1)
    support: float | None = None
    """Grounding (``pipeline.ground``): the best cosine similarity between this sentence and
    one of its cited notes, in the run's embedding space; ``None`` before grounding."""
    supported_by: str | None = None
    """The cited note with that best similarity."""
    supported: bool | None = None
    """``support`` reached the grounding threshold; ``None`` before grounding."""
    unverified: list[str] = Field(default_factory=list)
    """Numbers and names in the sentence that appear in none of its cited notes."""
    said_by: int | None = None
    """For a proposal: how many of ``cites`` make its idea; the others are close to it in
    meaning, for or against. ``None`` where not counted (a title, a question, a language
    model's proposal, an earlier run's)."""


class DraftLevel(StrEnum):
    """Which unit a draft is for."""

    CHALLENGE = "challenge"
    """A challenge of the run, the level the room works at on Day 2: a broad theme ("B2"),
    or a theme when the run has no broad level."""
    FACET = "facet"
    """A finer theme ("T07") within a challenge, for analysts."""


class Draft(BaseModel):
    theme_id: str
    language: str
    drafter: str
    level: DraftLevel = DraftLevel.FACET
    title: Sentence
    challenge: Sentence
    """The "How might we …?" statement in the output language."""
    proposal: list[Sentence]
    title_alternatives: list[Sentence] = Field(default_factory=list)
    """The next best titles (at most two), best first, each citing its notes: a reviewer may
    adopt one instead of writing a title."""
    challenge_alternatives: list[Sentence] = Field(default_factory=list)
    """The next best questions (at most two), best first, each citing its notes."""
    flags: list[str] = Field(default_factory=list)
    """Anything a reviewer must look at (fallback used, weak grounding, …)."""
    fallback: str | None = None
    """Why the requested language-model drafter's output was not used: this draft is then the
    composed one, and ``requested_drafter`` names the drafter that was asked for."""
    requested_drafter: str | None = None
    grounded: bool | None = None
    """Every sentence is supported by a cited note and nothing is unverified (``None`` before
    the grounding check)."""
    pipeline_draft: Draft | None = Field(default=None, exclude_if=lambda v: v is None)
    """In a reviewed run's reports only: where an analyst's words (or approval) stand, the
    pipeline's draft for the unit's notes as they are now, shown on demand."""

    def cited_ids(self) -> set[str]:
        ids = set(self.title.cites) | set(self.challenge.cites)
        for sentence in self.proposal:
            ids |= set(sentence.cites)
        return ids


class Counts(BaseModel):
    """Counts that must reconcile; ``check()`` says how, and ``manifest.json`` stores them.

    input_rows  = rejected_rows + input_notes        (every row/line/paragraph read)
    input_notes = rejected + split + kept            (every raw note once)
    ideas       = kept + split_children              (what was clustered)
    ideas       = assigned + unassigned
    ledger_rows = skipped_files + structure_rows + input_rows + split_children
                                                     (every row of ledger.parquet)
    """

    input_rows: int
    input_notes: int
    rejected_rows: int
    """Rows that never became a note (e.g. empty cells), reported by the readers."""
    rejected: int
    split: int
    split_children: int
    kept: int
    ideas: int
    assigned: int
    unassigned: int
    themes: int
    duplicates: int
    structure_rows: int = 0
    """Rows read that hold no note by design: header rows, headings, rules, continuations."""
    skipped_files: int = 0
    """Files not read at all (each one row of the ledger)."""
    ledger_rows: int | None = None
    """Rows of ``ledger.parquet``; ``None`` for runs written before the ledger existed."""

    def problems(self) -> list[str]:
        out = []
        if self.ledger_rows is not None and self.ledger_rows != (
            self.skipped_files + self.structure_rows + self.input_rows + self.split_children
        ):
            out.append(
                "ledger_rows != skipped_files + structure_rows + input_rows + split_children"
            )
        if self.input_rows != self.rejected_rows + self.input_notes:
            out.append("input_rows != rejected_rows + input_notes")
        if self.input_notes != self.rejected + self.split + self.kept:
            out.append("input_notes != rejected + split + kept")
        if self.ideas != self.kept + self.split_children:
            out.append("ideas != kept + split_children")
        if self.ideas != self.assigned + self.unassigned:
            out.append("ideas != assigned + unassigned")
        return out


class DraftingStats(BaseModel):
    """What drafting with a language model cost and how often it failed (``manifest.json``)."""

    drafter: str
    model: str = ""
    drafts: int = 0
    calls: int = 0
    """Requests sent to the model, retries included."""
    tokens_in: int = 0
    tokens_out: int = 0
    retries: int = 0
    """Calls beyond the first per draft: after a transport error or an invalid answer."""
    fallbacks: int = 0
    """Drafts replaced by the composed draft (flagged in the report)."""
    seconds: float = 0.0
    """Wall-clock time of the drafting step's model calls, all themes together."""
    failures: dict[str, int] = Field(default_factory=dict)
    """Why attempts were rejected, by kind (timeout, http 500, json, language, cites, …)."""


class RunManifest(BaseModel):
    run_id: str
    workshop: str
    created: str
    ideasynth_version: str
    config: dict[str, Any]
    packages: dict[str, str]
    inputs: list[InputFile]
    input_errors: list[str] = Field(default_factory=list)
    input_warnings: list[str] = Field(default_factory=list)
    """One line per row that held text but that a reader rejected (too long, broken JSON,
    a sheet without a text column, …); rows with no text at all are not listed."""
    input_complete: bool = True
    """Every input file was read and no row holding text was rejected by a reader: the CLI
    exits with 0, else with 3 (see docs/input.md, exit codes)."""
    timings: dict[str, float]
    counts: Counts
    reconciles: bool
    clustering: dict[str, Any] = Field(default_factory=dict)
    languages_found: dict[str, int] = Field(default_factory=dict)
    """Languages outside ``prepare.languages`` that ideas were detected in, with their number
    of ideas (``prepare.discover_languages``); empty when every idea is in a configured one."""
    languages_not_covered: dict[str, int] = Field(default_factory=dict)
    """Languages of ideas that the embedder was not trained on, with their number of ideas:
    their vectors, and so their themes, are less sure. Empty when the embedder covers them
    all or does not say which languages it covers."""
    embedder: str | None = None
    """The versioned name of the embedder whose vectors the run used (``use-m3@0.2.1``): a
    re-run with another version of the same model keeps neither themes nor centroids."""
    embedder_choice: str | None = None
    """Why the run used its embedder (``config`` → ``embed`` → ``model``): "named in the
    config", "kept from the previous run", "the default", or more notes than
    ``embed.large_run_notes`` (``pipeline.embed.choice``)."""
    evaluation: dict[str, Any] | None = None
    input_fingerprint: str | None = None
    """sha256 over the input files' content, the config and the version, set by a batch
    (``pipeline.batch``); a batch re-run skips the workshop while it still matches."""
    drafting: DraftingStats | None = None
    """Language-model drafting accounting; ``None`` for drafters that call no model."""
    drafts_kept_from_previous_run: int = 0
    """Drafts a re-run kept from the previous run, their units' notes unchanged
    (``pipeline.review.matching.kept_drafts``), rather than drafting them again."""
    headings_kept_from_previous_run: int = 0
    """Drafts of a re-run that kept the previous run's title and question (and their
    alternatives), their units' notes changed by at most a quarter, with their proposals
    drafted again (``pipeline.review.matching.with_kept_headings``)."""


class LedgerStatus(StrEnum):
    """The one outcome of a row in ``ledger.parquet``."""

    NOTE = "note"
    """Became one idea, clustered (``theme_id``); ``duplicate_of`` when it repeats another."""
    SPLIT = "split"
    """Held several ideas; they follow as ``idea`` rows whose ``parent_id`` is this note."""
    IDEA = "idea"
    """One idea split out of the ``split`` note in ``parent_id`` (not a row of the file)."""
    REJECTED = "rejected"
    """A note rejected while preparing (``reason``): empty, only symbols, a placeholder."""
    REJECTED_ROW = "rejected_row"
    """A row a reader could not turn into a note (``reason``)."""
    STRUCTURE = "structure"
    """A row holding no note by design (``reason``): header row, heading, rule, …"""
    SKIPPED_FILE = "skipped_file"
    """A file that was not read at all (``reason``); location ``file``."""


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One row of ``ledger.parquet`` (a slotted dataclass: a run may have many)."""

    source: str
    location: str
    status: LedgerStatus
    note_id: str | None = None
    parent_id: str | None = None
    duplicate_of: str | None = None
    theme_id: str | None = None
    reason: str | None = None
    text: str = ""


class RunResult(BaseModel):
    """Everything one run produced; the report writers render it, nothing else."""

    notes: list[Note]
    themes: list[Theme]
    drafts: list[Draft]
    broad_themes: list[Theme] = Field(default_factory=list)
    """Broad themes ("B1", …) grouping the fine ``themes`` (their ``parent_id``); may be empty."""
    rejected_inputs: list[RejectedInput] = Field(default_factory=list)
    manifest: RunManifest
    ledger: list[LedgerEntry] = Field(default_factory=list)
    """What became of every row read and every file skipped (``ledger.parquet``)."""
    approvals: dict[str, str] = Field(default_factory=dict)
    """Theme id → ``ApprovalState`` value of its draft, from the review decision log
    (``decisions.sqlite``); empty when nobody has reviewed the run."""


class ActionKind(StrEnum):
    """What an analyst did in the review app (``pipeline.review``); one row of the log each."""

    RENAME = "rename"
    """``theme_id`` (a theme or a challenge) gets ``label``."""
    MERGE = "merge"
    """``theme_ids[1:]`` are merged into ``theme_ids[0]``."""
    SPLIT = "split"
    """``note_ids`` leave ``theme_id`` for a new theme ``new_theme_id`` named ``label``."""
    MOVE = "move"
    """``note_ids`` move to ``target`` (a theme id or ``UNASSIGNED``)."""
    NOISE = "noise"
    """``note_ids`` are marked as noise: shown apart, in no theme, in no export."""
    RESTORE = "restore"
    """``note_ids`` are no longer noise; they go back to ``target``."""
    REGROUP = "regroup"
    """Theme ``theme_id`` becomes a facet of challenge ``target`` (a broad theme id)."""
    EDIT_DRAFT = "edit_draft"
    """The draft of ``theme_id`` (a theme or a challenge) gets ``title``, ``challenge`` and
    ``proposal`` (lines)."""
    APPROVE = "approve"
    """The draft of ``theme_id`` is approved as it reads then (``title``, ``challenge``,
    ``proposal``; ``note_ids``: the challenge's citations). A re-run whose drafter words it
    differently keeps the approved text and flags what the pipeline now proposes."""
    REJECT = "reject"
    """The draft of ``theme_id`` is rejected."""
    COMMENT = "comment"
    """``text`` is attached to ``theme_id`` (a theme) or to ``note_ids[0]`` (a note)."""
    ADOPT = "adopt"
    """The draft of ``theme_id`` takes one of its alternatives: ``title`` or ``challenge``
    (the wording adopted), ``note_ids`` (its citations). It stands and carries over a re-run
    as an edit does; the wording it replaces becomes an alternative."""
    UNDO = "undo"
    """Reverts the latest action not yet undone."""


class ReviewAction(BaseModel):
    """One analyst action: what was done, to what. Unused fields stay empty."""

    kind: ActionKind
    theme_id: str | None = None
    theme_ids: list[str] = Field(default_factory=list)
    note_ids: list[str] = Field(default_factory=list)
    target: str | None = None
    new_theme_id: str | None = None
    label: str | None = None
    title: str | None = None
    challenge: str | None = None
    proposal: list[str] = Field(default_factory=list)
    text: str | None = None
    under_title: str | None = None
    """An adopted question's title when it was adopted (``ActionKind.ADOPT``): a re-run that
    titles the unit afresh restores it, so that heading and question agree."""

    @classmethod
    def approval(cls, theme_id: str, draft: Draft) -> ReviewAction:
        """Approving ``draft`` as it stands: its wording, and the notes its question cites."""
        return cls(
            kind=ActionKind.APPROVE,
            theme_id=theme_id,
            title=draft.title.text,
            challenge=draft.challenge.text,
            proposal=[s.text for s in draft.proposal],
            note_ids=list(draft.challenge.cites),
        )


class Decision(BaseModel):
    """An action in the append-only decision log: who did what, when, in which run."""

    seq: int
    """Position in the log, from 1; the log's version is its last ``seq``."""
    who: str
    at: str
    """ISO timestamp (UTC)."""
    action: ReviewAction
    run_id: str = ""
    """The run the analyst was looking at (an earlier run for decisions carried forward)."""


class ApprovalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class WorkshopOutcome(BaseModel):
    """What became of one workshop in a batch (``ideasynth batch``)."""

    workshop: str
    """The workshop's folder name: its runs are under ``<out>/<workshop>/``."""
    path: str
    status: str
    """``completed`` (run now), ``skipped`` (unchanged since a completed run) or ``failed``."""
    fingerprint: str | None = None
    run_dir: str | None = None
    reason: str | None = None
    """One line saying why it failed (the file and the problem)."""
    ideas: int | None = None
    themes: int | None = None
    seconds: float = 0.0
    display_name: str | None = None
    """The ``workshop`` name of its ``ideasynth.toml``, which its reports show, when set."""
    day2_dir: str | None = None
    """Where its Day 2 action plan was written, when the folder has a ``day2/``."""
    day2_reason: str | None = None
    """One line saying why its Day 2 plan could not be made."""
    actions: int | None = None
    """Actions in its Day 2 plan."""
    input_complete: bool = True
    """False when its run, or its Day 2 plan, left some input unread (``warnings``)."""
    warnings: list[str] = Field(default_factory=list)
    """One line per input file its run (or Day 2 plan) could not read, "file: problem"."""
    carried: list[str] = Field(default_factory=list)
    """What a re-run kept from the previous run: its themes, the review's decisions."""
    language: str | None = None
    """The language of its run's words (its report, ``carried``)."""


class RecurringTheme(BaseModel):
    """One workshop's theme, as a member of a recurring challenge."""

    workshop: str
    theme_id: str
    label: str
    size: int
    """The notes behind it (a note split into several ideas counts once)."""
    keyphrases: list[str] = Field(default_factory=list)
    keyphrase_translations: dict[str, list[str]] = Field(default_factory=dict)
    statement: str | None = None
    run_dir: str
    similarity: float = 1.0
    """Cosine between this theme's centroid and its group's centroid."""


class RecurringChallenge(BaseModel):
    """Themes of several workshops whose centroids are close: one challenge that recurs."""

    id: str
    label: str
    keyphrases: list[str]
    statement: str | None = None
    """The challenge statement drafted for the most central member theme."""
    n_workshops: int
    n_notes: int
    workshops: list[str]
    themes: list[RecurringTheme]


class RecurringActionMember(BaseModel):
    """One workshop's action, as a member of a recurring action."""

    workshop: str
    text: str
    challenge: str
    """The title of the challenge it answers in its workshop ("" when unattached)."""
    votes: int = 0


class RecurringAction(BaseModel):
    """Actions of two or more workshops' Day 2 plans that say the same thing."""

    id: str
    text: str
    n_workshops: int
    votes: int
    workshops: list[str]
    members: list[RecurringActionMember]


class BatchSummary(BaseModel):
    """A batch over many workshops: each one's outcome and the challenges that recur."""

    root: str
    out: str
    started: str
    finished: str
    outcomes: list[WorkshopOutcome]
    recurring: list[RecurringChallenge] = Field(default_factory=list)
    recurring_actions: list[RecurringAction] = Field(default_factory=list)
    """Day 2 actions that recur across workshops (``pipeline.day2.recurring``)."""
    single_themes: int = 0
    """Themes seen in one workshop only (not listed as recurring)."""
    warnings: list[str] = Field(default_factory=list)
    """Input the batch itself did not read: files directly in the root, beside the
    workshop folders."""
    language: str = "en"
    """The language of the summary's own words (``pipeline.recurring.batch_language``):
    ``--lang``, else the one language all its workshops speak, else English."""
    similarity_threshold: float = 0.0
