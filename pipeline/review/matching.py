"""Re-runs keep the work: stable theme ids, and the decision log carried forward.

A new run's themes are matched one-to-one to the previous run's by membership (Jaccard over
note ids, which are stable across runs) and by centroid (cosine of mean embeddings), with the
Hungarian assignment; pairs below ``MATCH_THRESHOLD`` stay unmatched. Matched themes take the
previous id, the others a fresh one above every id used before, so a decision about a theme
that vanished never lands on an unrelated one. The previous log is then replayed over the new
run: what still applies is written into the new run's log, what no longer can is listed with
the reason (``review_carry.json``).

Challenges are matched the same way, with the themes they hold in place of the centroids
(``renumber_challenges``). A re-run that kept the previous themes keeps their grouping into
challenges too (``kept_challenges``, ``pipeline.cluster.hierarchy.kept_groups``), so those
challenges keep their ids, and the decisions about them apply, whatever the late notes did
to the centroids.

This module is the one home of a re-run's carry-over; the run (``pipeline.run``) calls
:func:`prior_assignment` (the previous themes, for an incremental re-run),
:func:`kept_challenges` (their challenges), :func:`carry_over` (ids kept at both levels),
:func:`kept_drafts` (the drafts of units whose notes did not change, and the headings of
those a few notes joined or left), :func:`answering_kept_questions` and
:func:`with_kept_headings` (those headings kept),
:func:`carry_decisions` (the log replayed), :func:`late_notes_reviewed` (late notes into the
themes as reviewed) and :func:`write_carried` (the new run's log,
carry report and reviewed reports), and nothing else of the review.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline import __version__
from pipeline.config import Config
from pipeline.draft.compose.drafter import ANSWERING, translations_last
from pipeline.output import workshop_folder
from pipeline.report.atomic import atomic_write_text
from pipeline.report.writer import (
    BROAD_THEMES_JSON,
    DRAFTS_JSON,
    MANIFEST_JSON,
    NOTES_PARQUET,
    THEMES_JSON,
    is_complete,
    to_json,
)
from pipeline.review.actions import (
    cited_within,
    flags_with_heading,
    fresh_theme_id,
    heading_stays,
    replay,
)
from pipeline.review.reviewed import write_reviewed_reports
from pipeline.review.rundir import (
    CARRIED_JSON,
    CENTROIDS_JSON,
    DECISIONS_DB,
    RunFolderError,
    load_models,
    load_notes,
    read_json,
)
from pipeline.review.store import DecisionLog, DecisionLogError
from pipeline.schema import (
    UNASSIGNED,
    ActionKind,
    Decision,
    Draft,
    Note,
    NoteStatus,
    PriorAssignment,
    ReviewAction,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
)

MATCH_THRESHOLD = 0.5
"""Least similarity for two themes to be "the same theme": half Jaccard, half cosine."""
MEMBERSHIP_WEIGHT = 0.5


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


@dataclass
class ThemeMatch:
    new_id: str
    """The id the pipeline gave the theme in this run, before matching."""
    final_id: str
    previous_id: str | None
    jaccard: float = 0.0
    cosine: float | None = None


def match_themes(
    previous: Sequence[Theme],
    current: Sequence[Theme],
    previous_centroids: dict[str, list[float]] | None = None,
    current_centroids: dict[str, list[float]] | None = None,
    reserved: set[str] | None = None,
    threshold: float = MATCH_THRESHOLD,
    prefix: str = "T",
) -> list[ThemeMatch]:
    """One match per theme of ``current``, in its order (``final_id`` is the id to use)."""
    n, m = len(current), len(previous)
    jac = np.zeros((n, m))
    cos = np.full((n, m), np.nan)
    for i, new in enumerate(current):
        for j, old in enumerate(previous):
            jac[i, j] = jaccard(new.note_ids, old.note_ids)
            a = (current_centroids or {}).get(new.id)
            b = (previous_centroids or {}).get(old.id)
            if a is not None and b is not None and len(a) == len(b):
                va, vb = np.asarray(a, float), np.asarray(b, float)
                norm = float(np.linalg.norm(va) * np.linalg.norm(vb)) or 1.0
                cos[i, j] = float(va @ vb) / norm
    score = np.where(
        np.isnan(cos),
        jac,
        MEMBERSHIP_WEIGHT * jac + (1 - MEMBERSHIP_WEIGHT) * np.clip(np.nan_to_num(cos), 0, 1),
    )
    pairs: dict[int, int] = {}
    if n and m:
        rows, cols = linear_sum_assignment(-score)
        pairs = {
            int(i): int(j)
            for i, j in zip(rows, cols, strict=True)
            if score[i, j] >= threshold and jac[i, j] > 0
        }
    taken = {t.id for t in previous} | set(reserved or ())
    matches = []
    for i, new in enumerate(current):
        if i in pairs:
            j = pairs[i]
            matches.append(
                ThemeMatch(
                    new.id,
                    previous[j].id,
                    previous[j].id,
                    round(float(jac[i, j]), 3),
                    None if np.isnan(cos[i, j]) else round(float(cos[i, j]), 3),
                )
            )
    for i, new in enumerate(current):
        if i not in pairs:
            fresh = fresh_theme_id(taken, prefix)
            taken.add(fresh)
            matches.insert(i, ThemeMatch(new.id, fresh, None))
    return matches


def theme_centroids(
    themes: Sequence[Theme], active: Sequence[Note], embeddings: np.ndarray
) -> dict[str, list[float]]:
    """Unit mean embedding of each theme (raw space: comparable across runs of one model)."""
    row = {note.id: i for i, note in enumerate(active)}
    out = {}
    for theme in themes:
        rows = [row[n] for n in theme.note_ids if n in row]
        if rows:
            v = np.asarray(embeddings)[rows].mean(axis=0)
            v = v / max(float(np.linalg.norm(v)), 1e-12)
            out[theme.id] = [round(float(x), 5) for x in v]
    return out


def previous_run(workshop_dir: Path) -> Path | None:
    """The latest complete run of this workshop: the newest sibling folder with a manifest
    and its completion marker (a run cut off by a full disk or a crash has none); hidden
    folders (a run being staged) are never runs."""
    if not workshop_dir.is_dir():
        return None
    runs = sorted(
        p
        for p in workshop_dir.iterdir()
        if not p.name.startswith(".")
        and p.is_dir()
        and (p / MANIFEST_JSON).is_file()
        and is_complete(p)
    )
    return runs[-1] if runs else None


def earlier_runs(out_root: Path, input_path: Path, config: Config) -> Path:
    """The folder under ``out_root`` holding the workshop's earlier runs, where a re-run
    finds the run it keeps themes and review decisions from: ``workshop_folder``, where runs
    are filed, or the input folder's own name, where batches filed a named workshop's runs
    before they followed ``ideasynth run``'s rule; of the two, the one holding the newest
    complete run, so that no facilitator's reviewed run is lost to a renaming."""
    names = [workshop_folder(input_path, config)]
    if input_path.is_dir() and input_path.name not in names:
        names.append(input_path.name)
    return newest_runs(out_root, names)


def newest_runs(out_root: Path, names: list[str]) -> Path:
    """``out_root / name`` for the first of ``names`` whose folder holds the newest complete
    run (run folders are named by their start time); the first when none holds one."""
    best, newest = names[0], ""
    for name in names:
        run = previous_run(out_root / name)
        if run is not None and run.name > newest:
            best, newest = name, run.name
    return out_root / best


def prior_assignment(workshop_dir: Path) -> PriorAssignment | None:
    """The pipeline's assignment in the workshop's latest complete run, for a re-run that
    keeps its themes (``pipeline.cluster.incremental``); ``None`` when there is no readable
    one. Never fails the run: an unreadable previous run is treated as none."""
    run_dir = previous_run(workshop_dir)
    if run_dir is None:
        return None
    try:
        manifest = RunManifest.model_validate(read_json(run_dir / MANIFEST_JSON))
        notes = load_notes(run_dir / NOTES_PARQUET)
    except (RunFolderError, ValueError):
        return None
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    if any(n.map_x is None or n.map_y is None for n in active):
        return None
    return PriorAssignment(
        run_dir=str(run_dir),
        note_ids=[n.id for n in active],
        theme_ids=[n.theme_id or UNASSIGNED for n in active],
        probabilities=[n.theme_probability or 0.0 for n in active],
        coords_2d=[(float(n.map_x or 0.0), float(n.map_y or 0.0)) for n in active],
        embed_model=manifest.embedder or str(manifest.config.get("embed", {}).get("model", "")),
        cluster_settings=dict(manifest.config.get("cluster", {})),
        clustering=dict(manifest.clustering),
    )


def kept_challenges(
    clustering: dict[str, Any],
    note_ids: Sequence[str],
    labels: Sequence[int],
    broad_themes: int | None,
) -> list[str | None] | None:
    """The challenge each fine theme (labels 0..k-1 of ``note_ids``) was part of in the run
    whose themes this re-run kept (``clustering["incremental"]``), for
    ``pipeline.cluster.hierarchy.kept_groups``; ``None`` for a theme the re-run founded
    from late notes. ``None`` altogether, so that the themes are grouped afresh, when they
    were clustered afresh, when that run had no challenges or was asked for another number
    of them (``cluster.broad_themes``), or cannot be read.

    The previous run's own grouping (its ``themes.json``), not the review's: decisions are
    replayed over the pipeline's grouping, moves between challenges included."""
    previous = (clustering.get("incremental") or {}).get("previous_run")
    if not previous or not labels:
        return None
    run_dir = Path(previous)
    try:
        manifest = RunManifest.model_validate(read_json(run_dir / MANIFEST_JSON))
        themes = load_models(run_dir / THEMES_JSON, Theme)
    except (RunFolderError, ValueError):
        return None
    asked = (manifest.config.get("cluster") or {}).get("broad_themes")
    if not themes or any(t.parent_id is None for t in themes) or asked != broad_themes:
        return None
    parent = {n: t.parent_id for t in themes for n in t.note_ids}
    votes: list[Counter[str]] = [Counter() for _ in range(max(labels) + 1)]
    for note_id, label in zip(note_ids, labels, strict=True):
        if label >= 0 and note_id in parent:
            votes[label][parent[note_id] or ""] += 1
    return [v.most_common(1)[0][0] if v else None for v in votes]


def ids_in_log(decisions: Sequence[Decision]) -> set[str]:
    """Theme ids that decisions created (splits): never handed out again."""
    return {
        d.action.new_theme_id
        for d in decisions
        if d.action.kind is ActionKind.SPLIT and d.action.new_theme_id
    }


@dataclass
class CarriedDecision:
    decision: Decision
    reason: str = ""


@dataclass
class Carry:
    """What a run takes over from the previous one."""

    previous: str | None = None
    """Path of the previous run folder, if any."""
    model: str = ""
    matches: list[ThemeMatch] = field(default_factory=list)
    challenge_matches: list[ThemeMatch] = field(default_factory=list)
    """This run's challenges matched to the previous run's (``renumber_challenges``): the
    scores say why a challenge kept its id, or why its decisions no longer apply."""
    decisions: list[Decision] = field(default_factory=list)
    """The previous log (decisions standing)."""
    reapplied: list[Decision] = field(default_factory=list)
    dropped: list[CarriedDecision] = field(default_factory=list)
    centroids: dict[str, list[float]] = field(default_factory=dict)
    previous_themes: list[Theme] = field(default_factory=list)
    """The previous run's themes (its ``themes.json``), as matched."""
    previous_challenges: list[Theme] = field(default_factory=list)
    """The previous run's challenges (its ``broad_themes.json``): what a decision that is
    gone was about, a challenge or a theme."""
    approvals: dict[str, str] = field(default_factory=dict)
    """Approval state per theme after re-applying; empty when nothing was carried."""
    placed: list[Decision] = field(default_factory=list)
    """Moves of late notes into the themes as reviewed (``late_notes_reviewed``): written
    into the new run's log after the re-applied decisions, but not counted among them."""

    def to_json(self) -> dict[str, Any]:
        return {
            "previous_run": self.previous,
            "matches": [m.__dict__ for m in self.matches],
            "challenge_matches": [m.__dict__ for m in self.challenge_matches],
            "reapplied": [d.model_dump(mode="json") for d in self.reapplied],
            "no_longer_apply": [
                {**c.decision.model_dump(mode="json"), "reason": c.reason} for c in self.dropped
            ],
            "late_notes_placed": [d.model_dump(mode="json") for d in self.placed],
        }

    def log(self) -> list[Decision]:
        """The new run's log: the decisions re-applied, then the late notes placed."""
        return [*self.reapplied, *self.placed]


def renumber(
    workshop_dir: Path,
    themes: list[Theme],
    notes: list[Note],
    active: Sequence[Note],
    embeddings: np.ndarray,
    model: str,
) -> tuple[list[Theme], list[Note], Carry]:
    """Give this run's themes the previous run's ids where they match; returns the renamed
    themes and notes and what to carry forward. Never fails the run: an unreadable previous
    run is treated as none."""
    carry = Carry(model=model)
    centroids = theme_centroids(themes, active, embeddings)
    prev_dir = previous_run(workshop_dir)
    prev_themes: list[Theme] = []
    prev_centroids: dict[str, list[float]] | None = None
    if prev_dir is not None:
        try:
            prev_themes = load_models(prev_dir / THEMES_JSON, Theme)
            carry.decisions = DecisionLog(prev_dir / DECISIONS_DB).read()
            carry.previous = str(prev_dir)
        except (RunFolderError, DecisionLogError):
            prev_themes, carry.decisions = [], []
        saved = prev_dir / CENTROIDS_JSON
        if saved.is_file():
            try:
                data = json.loads(saved.read_text(encoding="utf-8"))
                if data.get("model") == model:
                    prev_centroids = data.get("centroids")
            except (OSError, ValueError, AttributeError):
                prev_centroids = None
    reserved = ids_in_log(carry.decisions)
    carry.previous_themes = prev_themes
    carry.matches = match_themes(prev_themes, themes, prev_centroids, centroids, reserved)
    final = {m.new_id: m.final_id for m in carry.matches}
    themes = [t.model_copy(update={"id": final[t.id]}) for t in themes]
    notes = [
        n.model_copy(update={"theme_id": final[n.theme_id]}) if n.theme_id in final else n
        for n in notes
    ]
    carry.centroids = {final[k]: v for k, v in centroids.items()}
    return themes, notes, carry


def renumber_challenges(
    carry: Carry, broad: list[Theme], themes: list[Theme]
) -> tuple[list[Theme], list[Theme]]:
    """Give this run's challenges the previous run's ids where they match, so that a
    decision about a challenge (its name, its draft) lands on the same challenge in a
    re-run; returns the challenges and the themes with their ``parent_id`` following.

    Called after ``renumber``, so theme ids are comparable across the two runs: two
    challenges match as two themes do, with the cosine of their facets (which themes they
    hold, as 0/1 vectors) in place of the centroids' (a challenge that is one kept theme is
    the same challenge, even when that theme lost or gained notes)."""
    if carry.previous is None:
        return broad, themes
    try:
        previous = load_models(Path(carry.previous) / BROAD_THEMES_JSON, Theme)
    except RunFolderError:
        return broad, themes
    carry.previous_challenges = previous
    if not broad:
        return broad, themes
    earlier_themes = carry.previous_themes
    facet_ids = sorted({t.id for t in [*themes, *earlier_themes]})

    def facets(groups: list[Theme], members: list[Theme]) -> dict[str, list[float]]:
        held = {g.id: {t.id for t in members if t.parent_id == g.id} for g in groups}
        return {g.id: [float(f in held[g.id]) for f in facet_ids] for g in groups}

    carry.challenge_matches = match_themes(
        previous, broad, facets(previous, earlier_themes), facets(broad, themes), prefix="B"
    )
    final = {m.new_id: m.final_id for m in carry.challenge_matches}
    broad = [b.model_copy(update={"id": final[b.id]}) for b in broad]
    themes = [
        t.model_copy(update={"parent_id": final[t.parent_id]}) if t.parent_id in final else t
        for t in themes
    ]
    return broad, themes


def carry_over(
    workshop_dir: Path,
    themes: list[Theme],
    broad: list[Theme],
    notes: list[Note],
    active: Sequence[Note],
    embeddings: np.ndarray,
    model: str,
) -> tuple[list[Theme], list[Theme], list[Note], Carry]:
    """A re-run's themes and challenges take the previous run's ids where they match
    (``renumber``, then ``renumber_challenges``); returns (themes, challenges, notes, what to
    carry forward). Never fails the run."""
    themes, notes, carry = renumber(workshop_dir, themes, notes, active, embeddings, model)
    broad, themes = renumber_challenges(carry, broad, themes)
    return themes, broad, notes, carry


def _unit_notes(unit: Theme, facets: Sequence[Theme]) -> tuple[frozenset[str], ...]:
    """What a unit's draft is drafted from: its notes, and for a challenge how its facets
    divide them (a challenge is drafted from its facets)."""
    parts = sorted(tuple(sorted(f.note_ids)) for f in facets if f.parent_id == unit.id)
    return (frozenset(unit.note_ids), *(frozenset(p) for p in parts))


@dataclass
class KeptDrafts:
    """What a re-run keeps of the previous run's drafts (``kept_drafts``), by unit id."""

    whole: dict[str, Draft] = field(default_factory=dict)
    """Drafts kept word for word, flags and grounding included: their units' notes did not
    change. Those units are not drafted again."""
    headings: dict[str, Draft] = field(default_factory=dict)
    """Drafts whose title and question (and their alternatives) a unit keeps, its notes
    changed by at most a quarter: the unit is drafted again for its proposals
    (``with_kept_headings``)."""


def kept_drafts(
    carry: Carry,
    themes: Sequence[Theme],
    broad: Sequence[Theme],
    notes: Sequence[Note],
    language: str,
    draft_settings: dict[str, Any],
    embedder: str,
) -> KeptDrafts:
    """The previous run's drafts this run keeps, whole or for their heading, by unit id.

    Why: the drafter words a unit against the whole workshop (what sets a theme apart from
    the others), so late notes elsewhere can retitle a theme none of them joined; analysts
    had already discussed it under its old name. A unit keeps its draft when it kept its id
    (``carry_over``) and holds the same notes with the same texts (a challenge: divided
    among its facets the same way), and the run drafts as the previous one did: the same
    ideasynth version, drafter settings (``[draft]``), output language and embedder.

    A unit a few late notes joined keeps its title and question too (``headings``): one
    note joining a theme of sixteen gave it another title and question, and the facilitator
    who had printed the Day 1 handout saw a theme renamed for one note. It keeps them by the
    review's rule (``heading_stays``): at most a quarter of its notes came or went (added,
    removed or changed, counted against the previous run's), and most of the notes its
    question cites are still in it, in one theme. Its proposals are drafted again, so the
    late notes' ideas appear, counted. The previous heading must be a real one (not "Untitled
    theme", nor the question to be written), drafted by a drafter (not a failed draft).

    Any other unit is drafted afresh. Never fails the run: an unreadable previous run keeps
    nothing."""
    if carry.previous is None:
        return KeptDrafts()
    previous = Path(carry.previous)
    try:
        manifest = RunManifest.model_validate(read_json(previous / MANIFEST_JSON))
        drafts = load_models(previous / DRAFTS_JSON, Draft)
        earlier_notes = load_notes(previous / NOTES_PARQUET)
    except (RunFolderError, ValueError):
        return KeptDrafts()
    same_run = (
        manifest.ideasynth_version == __version__
        and manifest.embedder == embedder
        and manifest.config.get("output_language") == language
        and manifest.config.get("draft") == draft_settings
    )
    if not same_run:
        return KeptDrafts()
    earlier_text = {n.id: n.text for n in earlier_notes if n.status is NoteStatus.ACTIVE}
    text = {n.id: n.text for n in notes if n.status is NoteStatus.ACTIVE}
    earlier_units = {
        u.id: _unit_notes(u, carry.previous_themes)
        for u in [*carry.previous_themes, *carry.previous_challenges]
    }
    by_unit = {d.theme_id: d for d in drafts}
    kept = KeptDrafts()
    for unit in [*broad, *themes]:
        draft = by_unit.get(unit.id)
        earlier = earlier_units.get(unit.id)
        if draft is None or earlier is None:
            continue
        same_text = [n for n in unit.note_ids if earlier_text.get(n) == text.get(n)]
        if earlier == _unit_notes(unit, themes) and len(same_text) == len(unit.note_ids):
            kept.whole[unit.id] = draft
            continue
        # A note whose text changed is one note changed: out of the notes it has now.
        now = [n for n in unit.note_ids if n not in earlier[0] or n in same_text]
        facets = [t.note_ids for t in themes if t.parent_id == unit.id] or [unit.note_ids]
        if (
            draft.drafter != "none"
            and not _stand_in_heading(draft)
            and heading_stays(earlier[0], now, draft, facets)
        ):
            kept.headings[unit.id] = draft
    return kept


def _stand_in_heading(draft: Draft) -> bool:
    """Whether the draft's title or question is the drafter's stand-in ("Untitled theme",
    the question to be written): nothing a re-run should keep over a drafted one."""
    from pipeline.draft.compose.wording import WORDING

    stand_ins = {
        " ".join(text.split()) for w in WORDING.values() for text in (w.no_question, w.untitled)
    }
    return any(" ".join(s.text.split()) in stand_ins for s in (draft.title, draft.challenge))


def with_kept_headings(
    drafts: Sequence[Draft], headings: Mapping[str, Draft], units: Sequence[Theme]
) -> tuple[list[Draft], set[str]]:
    """``drafts`` (drafted and grounded afresh), where ``headings`` (``kept_drafts``) holds
    the previous run's draft of a unit, with its title, its question and their alternatives;
    returns them and the ids of the units that kept their heading.

    The proposals, their grounding and the flags about them, the unit's size and its notes
    are the fresh draft's; the flags about the title and the question are the previous
    draft's (``flags_with_heading``), as are those sentences' grounding, checked there
    against the notes they cite, in the same space. A sentence citing a note that left the
    unit cites the others (``cited_within``). A unit whose drafting failed this time keeps
    the failed draft, which says why."""
    members = {u.id: u.note_ids for u in units}
    out: list[Draft] = []
    kept: set[str] = set()
    for fresh in drafts:
        before = headings.get(fresh.theme_id)
        notes = members.get(fresh.theme_id)
        if before is None or not notes or fresh.drafter == "none":
            out.append(fresh)
            continue
        inside = set(notes)
        title, challenge = _still_cited(before.title, notes), _still_cited(before.challenge, notes)
        checked = [title, challenge, *fresh.proposal]
        out.append(
            fresh.model_copy(
                update={
                    "title": title,
                    "challenge": challenge,
                    "title_alternatives": [
                        _still_cited(a, notes)
                        for a in before.title_alternatives
                        if set(a.cites) & inside
                    ],
                    "challenge_alternatives": [
                        _still_cited(a, notes)
                        for a in before.challenge_alternatives
                        if set(a.cites) & inside
                    ],
                    "flags": flags_with_heading(fresh, before),
                    "grounded": None
                    if fresh.grounded is None
                    else all(s.supported and not s.unverified for s in checked),
                }
            )
        )
        kept.add(fresh.theme_id)
    return out, kept


def answering_kept_questions(
    drafts: Sequence[Draft],
    headings: Mapping[str, Draft],
    units: Sequence[Theme],
    notes: Sequence[Note] = (),
    vectors: Mapping[str, np.ndarray] | None = None,
) -> list[Draft]:
    """``drafts`` (drafted afresh), each challenge that keeps its question (``headings``,
    ``kept_drafts``) with its proposals in the order that answers that question
    (``_answering``), a proposal that says another again in another language last, as the
    drafter puts it (``translations_last``, with the run's ``notes`` and ``vectors``).
    Before the grounding check, whose flags name a proposal by its place ("proposal sentence
    2 is weakly supported …"), and before ``with_kept_headings``."""
    by_id = {n.id: n for n in notes}

    def vector(note: Note) -> np.ndarray | None:
        if vectors is None or note.id not in vectors:
            return None
        found = np.asarray(vectors[note.id], dtype=np.float64)
        return found / max(float(np.linalg.norm(found)), 1e-12)

    out = []
    for fresh in drafts:
        before = headings.get(fresh.theme_id)
        facets = [set(u.note_ids) for u in units if u.parent_id == fresh.theme_id]
        members = next((u.note_ids for u in units if u.id == fresh.theme_id), [])
        if before is None or not facets or not members or fresh.drafter == "none":
            out.append(fresh)
            continue
        question = _still_cited(before.challenge, members)
        proposals, answers = _answering(fresh.proposal, question, facets)
        proposals = translations_last(proposals, by_id, fresh.language, answers, vector)
        out.append(fresh.model_copy(update={"proposal": proposals}))
    return out


def _answering(
    proposals: Sequence[Sentence], question: Sentence, facets: Sequence[set[str]]
) -> tuple[list[Sentence], int]:
    """A challenge's fresh ``proposals`` in the order the drafter gives them under the
    question it keeps, and how many of them lead as its idea and answers (the drafter's
    ``1 + ANSWERING`` at most): first the ideas of the facet the question was drafted from
    (the one holding most of its notes) that several notes back, or that the question asks,
    then every other idea by its backing. The fresh draft put first the ideas of the facet
    its own question came from: on the sample workshop, three late notes about reaching young
    people through schools led B5's proposals under the question kept about translating the
    invitations."""
    cited = set(question.cites)
    lead = max(facets, key=lambda f: len(cited & f))
    asking = question.cites[0]
    first = [
        p for p in proposals if set(p.cites) <= lead and (len(p.cites) > 1 or asking in p.cites)
    ]
    rest = sorted((p for p in proposals if p not in first), key=lambda p: -len(p.cites))
    return [*first, *rest], min(len(first), 1 + ANSWERING)


def _still_cited(sentence: Sentence, notes: list[str]) -> Sentence:
    """A kept sentence for a unit holding ``notes``: as it was when every note it cites is
    still there; else citing those that are (``cited_within``), its grounding kept when the
    note that supported it is one of them."""
    if set(sentence.cites) <= set(notes):
        return sentence
    cited = cited_within(sentence, notes)
    if sentence.supported_by in cited.cites:
        return sentence.model_copy(update={"cites": cited.cites})
    return cited


def carry_decisions(carry: Carry, run: RunResult) -> Carry:
    """Replay the previous log over this run: split into re-applied and no-longer-applying.
    The previous run's challenges go with it, so a decision about one that is gone says
    "challenge", not "theme"."""
    state = replay(run, carry.decisions, {b.id for b in carry.previous_challenges})
    carry.reapplied = [
        d.model_copy(update={"seq": i}) for i, d in enumerate(state.applied, start=1)
    ]
    carry.dropped = [CarriedDecision(s.decision, s.reason) for s in state.skipped]
    carry.approvals = state.approvals() if carry.decisions else {}
    return carry


REVIEWER = "ideasynth"
"""Who the decision log says placed a late note in a theme as reviewed."""


def late_notes_reviewed(
    carry: Carry,
    run: RunResult,
    note_ids: Sequence[str],
    embeddings: np.ndarray,
    language_centering: bool,
    at: str,
) -> list[Decision]:
    """Moves that put the re-run's late notes where the review would have them: in the
    themes as reviewed (after the splits, merges, moves and noise marks replayed by
    ``carry_decisions``), appended to ``carry.reapplied`` and returned.

    Why: a re-run that keeps the themes (``pipeline.cluster.incremental``) places a late
    note against the pipeline's themes, over which the log is then replayed. A theme the
    review made (notes about hunting split off into "Chasse") is no theme to the pipeline,
    so a late note about hunting landed in the theme "Chasse" was split from, and stayed
    there; a merge or a move did not shape the centroids either. Here each late note (not
    in the previous run's notes, in a theme that holds earlier notes or unassigned) is
    placed by the same rule, against the reviewed themes' earlier notes (a theme the late
    notes founded keeps its notes and takes none): it joins the
    theme whose centroid it is closest to when it is at least as close as that theme's
    least typical tenth of members (``reassign_noise``), in the same language-centred
    space. A note that fits no reviewed theme stays where the pipeline put it. Each move is
    a decision by ``REVIEWER``, one per theme, kept in ``carry.placed`` and written into the
    new run's log after the re-applied decisions: the app shows it in the history, an
    analyst can undo it, and the next re-run replays it like any decision.

    Nothing when the themes were clustered afresh (the log is replayed over new themes),
    or when the review did not reshape the themes (no split, merge, move or noise mark):
    the reviewed themes are then the pipeline's, and so is the placement."""
    from pipeline.cluster.incremental import LEAST_TYPICAL
    from pipeline.cluster.language import centre_by_language
    from pipeline.cluster.umap_hdbscan import reassign_noise

    reshaped = {ActionKind.SPLIT, ActionKind.MERGE, ActionKind.MOVE, ActionKind.NOISE}
    if carry.previous is None or not any(d.action.kind in reshaped for d in carry.reapplied):
        return []  # the themes as reviewed are the pipeline's: its placement stands
    if not run.manifest.clustering.get("incremental"):
        return []
    try:
        earlier = {n.id for n in load_notes(Path(carry.previous) / NOTES_PARQUET)}
    except RunFolderError:
        return []
    state = replay(run, carry.reapplied)
    row = {note_id: i for i, note_id in enumerate(note_ids)}
    langs = {n.id: n.lang for n in run.notes}
    data = np.asarray(embeddings)
    if language_centering and len({langs.get(i, "") for i in note_ids}) > 1:
        data = centre_by_language(data, [langs.get(i, "") for i in note_ids])
    themes = list(state.themes.values())
    labels = np.full(len(note_ids), -1)
    candidates = np.zeros(len(note_ids), dtype=bool)
    for k, theme in enumerate(themes):
        if not any(n in earlier for n in theme.note_ids):
            continue  # a theme the late notes founded: kept as the pipeline formed it
        for note_id in theme.note_ids:
            if note_id not in row:
                continue
            if note_id in earlier:
                labels[row[note_id]] = k
            else:
                candidates[row[note_id]] = True
    for note_id in state.unassigned:
        if note_id in row and note_id not in earlier:
            candidates[row[note_id]] = True
    if not candidates.any() or not (labels >= 0).any():
        return []
    placed, _ = reassign_noise(data, labels, quantile=LEAST_TYPICAL, only=candidates)
    moves: dict[str, list[str]] = {}
    for i in np.flatnonzero(candidates & (placed >= 0)).tolist():
        target = themes[int(placed[i])].id
        if state.theme_of(note_ids[i]) != target:
            moves.setdefault(target, []).append(note_ids[i])
    decisions = [
        Decision(
            seq=len(carry.reapplied) + k,
            who=REVIEWER,
            at=at,
            action=ReviewAction(kind=ActionKind.MOVE, note_ids=moved, target=target),
            run_id=run.manifest.run_id,
        )
        for k, (target, moved) in enumerate(moves.items(), start=1)
    ]
    carry.placed = decisions
    return decisions


def write_carry(run_dir: Path, carry: Carry) -> None:
    """The new run's log (re-applied decisions), the carry report, and the centroids."""
    atomic_write_text(
        run_dir / CENTROIDS_JSON, to_json({"model": carry.model, "centroids": carry.centroids})
    )
    if carry.previous is None:
        return
    if carry.log():
        DecisionLog(run_dir / DECISIONS_DB).extend(carry.log())
    atomic_write_text(run_dir / CARRIED_JSON, to_json(carry.to_json()))


def write_carried(run_dir: Path, carry: Carry, run: RunResult) -> None:
    """Everything a re-run carries into its folder: ``write_carry``, then, when decisions
    were re-applied, the reviewed reports, so the re-run's reports show the review."""
    write_carry(run_dir, carry)
    if carry.log():
        write_reviewed_reports(run_dir, run, replay(run, carry.log()))
