"""The run as the review left it: the one view every report renders.

The decision log, replayed over the run (``pipeline.review.actions.replay``), gives a
``ReviewState``; ``reviewed_result`` turns it back into a ``RunResult``, so that
``report.html`` and ``report.md`` show what the analysts decided, not what the pipeline
proposed:

- themes carry their reviewed names, notes and parents; a note's theme is where the review
  put it (noise is shown as unassigned);
- a theme whose notes changed (a merge, a split, a move) is drafted again by the composing
  drafter, unless an analyst wrote or approved its wording, which is kept;
- a renamed theme's draft is titled by its new name, unless an analyst edited the title;
- drafts carry the analyst's words where there are any (``drafter: "analyst"``);
- challenges keep their drafts; their size follows their facets.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.draft.compose.drafter import ComposingDrafter
from pipeline.report.atomic import atomic_write_text
from pipeline.report.html import render_html
from pipeline.report.markdown import render_markdown
from pipeline.report.writer import REPORT_HTML, REPORT_MD
from pipeline.review.actions import ReviewState, ThemeState
from pipeline.schema import (
    UNASSIGNED,
    ApprovalState,
    Draft,
    DraftLevel,
    Note,
    NoteStatus,
    RunResult,
    Theme,
)


def reviewed_result(run: RunResult, state: ReviewState) -> RunResult:
    """``run`` with the review applied: what every output of a reviewed run renders."""
    placed = {nid: t.id for t in state.themes.values() for nid in t.note_ids}
    notes = [_placed(n, placed) for n in run.notes]
    by_id = {n.id: n for n in notes}
    original = {t.id: t for t in run.themes}
    themes = [_theme(t, original.get(t.id), by_id) for t in state.themes.values()]
    drafts = _drafts(run, state, themes, by_id)
    members: dict[str, list[str]] = {}
    for theme in themes:
        if theme.parent_id:
            members.setdefault(theme.parent_id, []).extend(theme.note_ids)
    broad = [
        b.model_copy(
            update={
                "note_ids": members.get(b.id, []),
                "size": len(members.get(b.id, [])),
                "languages": _languages(members.get(b.id, []), by_id),
            }
        )
        for b in run.broad_themes
        if members.get(b.id)
    ]
    return run.model_copy(
        update={
            "notes": notes,
            "themes": themes,
            "broad_themes": broad,
            "drafts": drafts,
            "approvals": state.approvals(),
        }
    )


def _placed(note: Note, placed: dict[str, str]) -> Note:
    if note.status is not NoteStatus.ACTIVE:
        return note
    theme_id = placed.get(note.id, UNASSIGNED)
    return note if note.theme_id == theme_id else note.model_copy(update={"theme_id": theme_id})


def _languages(note_ids: list[str], notes: dict[str, Note]) -> dict[str, int]:
    counts = Counter(notes[i].lang for i in note_ids if i in notes)
    return dict(counts.most_common())


def _theme(theme: ThemeState, before: Theme | None, notes: dict[str, Note]) -> Theme:
    representatives = [i for i in theme.representative_ids if i in theme.note_ids]
    update = {
        "label": theme.label,
        "note_ids": list(theme.note_ids),
        "size": theme.size,
        "languages": _languages(theme.note_ids, notes),
        "keyphrases": list(theme.keyphrases),
        "keyphrase_translations": dict(theme.keyphrase_translations),
        "representative_ids": representatives or list(theme.note_ids[:3]),
        "parent_id": theme.parent_id,
    }
    if before is not None:
        return before.model_copy(update=update)
    return Theme(id=theme.id, **update)  # type: ignore[arg-type]


def _drafts(
    run: RunResult, state: ReviewState, themes: list[Theme], notes: dict[str, Note]
) -> list[Draft]:
    original = {t.id: set(t.note_ids) for t in run.themes}
    by_theme = {t.id: t for t in themes}
    challenges = [d for d in run.drafts if d.level is DraftLevel.CHALLENGE]
    language = next((d.language for d in run.drafts if d.language), "en")
    composer = ComposingDrafter()
    out = [d for d in challenges if d.theme_id not in state.drafts]
    for theme_id, current in state.drafts.items():
        theme = by_theme.get(theme_id)
        if theme is None or not theme.note_ids:
            continue
        draft = current.draft
        analysts = current.edited or current.status is ApprovalState.APPROVED
        changed = original.get(theme_id) != set(theme.note_ids)
        if (draft is None or changed) and not analysts:
            draft = composer.draft(theme, notes, draft.language if draft else language)
            draft = draft.model_copy(
                update={"flags": ["drafted again after the review", *draft.flags]}
            )
        if draft is None:
            continue
        state_theme = state.themes[theme_id]
        if state_theme.renamed and draft.drafter != "analyst":
            draft = draft.model_copy(
                update={"title": draft.title.model_copy(update={"text": theme.label})}
            )
        out.append(draft)
    return out


def write_reviewed_reports(run_dir: Path, run: RunResult, state: ReviewState) -> RunResult:
    """Rewrite ``report.html`` and ``report.md`` from the reviewed view, each atomically."""
    result = reviewed_result(run, state)
    atomic_write_text(Path(run_dir) / REPORT_HTML, render_html(result))
    atomic_write_text(Path(run_dir) / REPORT_MD, render_markdown(result))
    return result
