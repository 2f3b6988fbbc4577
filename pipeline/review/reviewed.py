"""The run as the review left it: the one view every report renders.

The decision log, replayed over the run (``pipeline.review.actions.replay``), gives a
``ReviewState``; ``reviewed_result`` turns it back into a ``RunResult``, so that
``report.html`` and ``report.md`` show what the analysts decided, not what the pipeline
proposed:

- themes carry their reviewed names, notes and parents; a note's theme is where the review
  put it (noise is shown as unassigned);
- a theme whose notes changed (a merge, a split, a move) is drafted again by the composing
  drafter; where an analyst wrote or approved its wording, that is kept and the new draft
  is shown beside it (``Draft.pipeline_draft``);
- a renamed theme's draft is titled by its new name, and a unit the pipeline named by its
  draft's title stays named by it (redrafted, adopted or written): one name everywhere;
- the counts are the reviewed themes' (a merge makes one theme fewer);
- drafts carry the analyst's words where there are any (``drafter: "analyst"``);
- challenges are reviewed as themes are (renamed, drafts edited, approved, rejected); their
  notes are their facets', and a challenge that is one theme follows that theme's review
  where the analysts left the challenge itself alone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.report.atomic import atomic_write_text
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.writer import REPORT_HTML, REPORT_MD
from pipeline.review.actions import (
    DraftState,
    ReviewState,
    ThemeState,
    merged_after_approval,
    title_flags,
)
from pipeline.schema import (
    UNASSIGNED,
    ApprovalState,
    Draft,
    DraftLevel,
    Note,
    NoteStatus,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
    count_notes,
    languages_of,
)


def _flat(text: str) -> str:
    return " ".join(text.split())


def reviewed_result(run: RunResult, state: ReviewState) -> RunResult:
    """``run`` with the review applied: what every output of a reviewed run renders."""
    placed = {nid: t.id for t in state.themes.values() for nid in t.note_ids}
    notes = [_placed(n, placed) for n in run.notes]
    by_id = {n.id: n for n in notes}
    original = {t.id: t for t in [*run.themes, *run.broad_themes]}
    themes = [_theme(t, original.get(t.id), by_id) for t in state.themes.values()]
    broad = [
        _theme(_named_by_facet(c, state), original.get(c.id), by_id)
        for c in state.challenges.values()
    ]
    drafts, approvals = _drafts(state, [*broad, *themes])
    # A unit the pipeline named by its draft's title stays named by it (the run's own
    # title, or the one drafted again, adopted or written in the review).
    titled = state.titled  # and a theme split off without a name
    titles = {d.theme_id: d.title.text for d in drafts if d.theme_id in titled}
    themes = [_named(t, titles) for t in themes]
    broad = [_named(b, titles) for b in broad]
    return run.model_copy(
        update={
            "notes": notes,
            "themes": themes,
            "broad_themes": broad,
            "drafts": drafts,
            "approvals": approvals,
            "manifest": _recounted(run, themes),
        }
    )


def unit_names(run: RunResult, state: ReviewState) -> dict[str, str]:
    """Each challenge's and theme's name, by id, as every page shows it: the one source of
    a unit's name (``reviewed_result``'s labels), for the app's pages as for the reports,
    the handout and ``themes.csv``."""
    reviewed = reviewed_result(run, state)
    return {t.id: t.label for t in [*reviewed.broad_themes, *reviewed.themes]}


def _named(unit: Theme, titles: dict[str, str]) -> Theme:
    """A unit named as the pipeline names it: by its draft's title, which ``_drafts`` made
    the analyst's name where there is one. A draft drafted again after a merge or a move,
    an adopted or an edited title, all rename the unit on every page at once (the app's
    lists, its page, the reports, the handout's heading, ``themes.csv``)."""
    from pipeline.draft.compose.wording import WORDING

    title = titles.get(unit.id, "")
    if not title.strip() or title in {w.untitled for w in WORDING.values()}:
        return unit
    return unit if title == unit.label else unit.model_copy(update={"label": title})


def _recounted(run: RunResult, themes: list[Theme]) -> RunManifest:
    """The run's counts as the review left them: a merge makes one theme fewer, a note
    moved out of every theme or marked as noise is unassigned. The report's tiles, its
    sums and the console then count the themes they list (the counts still reconcile:
    ideas = in a theme + unassigned)."""
    counts = run.manifest.counts
    assigned = sum(len(t.note_ids) for t in themes)
    if (counts.themes, counts.assigned) == (len(themes), assigned):
        return run.manifest
    recounted = counts.model_copy(
        update={
            "themes": len(themes),
            "assigned": assigned,
            "unassigned": counts.ideas - assigned,
        }
    )
    return run.manifest.model_copy(
        update={"counts": recounted, "reconciles": not recounted.problems()}
    )


def _named_by_facet(challenge: ThemeState, state: ReviewState) -> ThemeState:
    """A challenge that is one theme takes that theme's new name, unless it was renamed
    itself."""
    facets = state.facets(challenge.id)
    if challenge.renamed or len(facets) != 1 or not facets[0].renamed:
        return challenge
    return replace(challenge, label=facets[0].label, renamed=True)


def _placed(note: Note, placed: dict[str, str]) -> Note:
    if note.status is not NoteStatus.ACTIVE:
        return note
    theme_id = placed.get(note.id, UNASSIGNED)
    return note if note.theme_id == theme_id else note.model_copy(update={"theme_id": theme_id})


def _languages(note_ids: list[str], notes: dict[str, Note]) -> dict[str, int]:
    return languages_of(notes[i] for i in note_ids if i in notes)


def _theme(theme: ThemeState, before: Theme | None, notes: dict[str, Note]) -> Theme:
    representatives = [i for i in theme.representative_ids if i in theme.note_ids]
    update = {
        "label": theme.label,
        "note_ids": list(theme.note_ids),
        "size": theme.size,
        "notes_behind": count_notes(
            theme.note_ids, {i: n.parent_id for i, n in notes.items() if n.parent_id}
        ),
        "languages": _languages(theme.note_ids, notes),
        "keyphrases": list(theme.keyphrases),
        "keyphrase_translations": dict(theme.keyphrase_translations),
        "representative_ids": representatives or list(theme.note_ids[:3]),
        "parent_id": theme.parent_id,
    }
    if before is not None:
        return before.model_copy(update=update)
    return Theme(id=theme.id, **update)  # type: ignore[arg-type]


def _drafts(state: ReviewState, units: list[Theme]) -> tuple[list[Draft], dict[str, str]]:
    """Each unit's draft as the review leaves it, in the run's order (challenges first), and
    the approval state of each.

    The state's drafts are current (``pipeline.review.actions.redraft``); here a challenge
    that is one theme, and that the analysts left alone, follows that theme's review (its
    edited or approved wording, its rejection), a renamed unit's draft takes the new name
    as its title unless an analyst wrote the title, and an analyst's draft carries the
    pipeline's beside it."""
    approvals = state.approvals()
    out: list[Draft] = []
    for unit in units:
        current = state.drafts.get(unit.id)
        facets = state.facets(unit.id) if unit.id in state.challenges else []
        follow = state.drafts.get(facets[0].id) if len(facets) == 1 else None
        followed = follow is not None and follow.draft is not None and follow.by_analyst
        if followed and (current is None or not current.by_analyst):
            assert follow is not None and follow.draft is not None
            approvals[unit.id] = follow.status.value
            current = DraftState(
                draft=follow.draft.model_copy(
                    update={"theme_id": unit.id, "level": DraftLevel.CHALLENGE}
                ),
                status=follow.status,
                edited=follow.edited,
                machine=current.machine if current else None,
                joined=set(follow.joined),
            )
        if current is None or current.draft is None:
            continue
        draft = current.draft
        if current.status is ApprovalState.APPROVED and current.joined:
            # Approved before a merge brought notes in: the approval stands, to be checked.
            flag = merged_after_approval(len(current.joined))
            draft = draft.model_copy(update={"flags": [flag, *draft.flags]})
        machine = current.machine
        if current.by_analyst and machine is not None and machine.challenge != draft.challenge:
            draft = draft.model_copy(update={"pipeline_draft": machine})
        renamed = state.unit(unit.id)
        if renamed is not None and unit.id in state.challenges:
            renamed = _named_by_facet(renamed, state)
        if renamed is not None and renamed.renamed and _flat(draft.title.text) != _flat(unit.label):
            # The analyst's name is the title, unchecked: the flags on the drafter's title
            # ("no note names the theme: give it a title", "weakly supported") were about
            # a title that is no longer there.
            gone = set(title_flags(draft))
            draft = draft.model_copy(
                update={
                    "title": Sentence(text=unit.label, cites=draft.title.cites),
                    "flags": [f for f in draft.flags if f not in gone],
                    "grounded": None,
                }
            )
        out.append(draft)
    return out, approvals


def write_reviewed_reports(run_dir: Path, run: RunResult, state: ReviewState) -> RunResult:
    """Rewrite ``report.html`` and ``report.md`` from the reviewed view, each atomically."""
    result = reviewed_result(run, state)
    atomic_write_text(Path(run_dir) / REPORT_HTML, render_html(result))
    atomic_write_text(Path(run_dir) / REPORT_MD, render_markdown(result))
    return result
