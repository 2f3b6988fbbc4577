"""Exports for Day 2: the approved challenge statements, each with its supporting notes.

- ``handout.docx``: a Word handout people print or edit (python-docx);
- ``handout.md``: the same in Markdown;
- ``themes.csv``: one row per reviewed theme, approved or not, for a spreadsheet.

They are written from the reviewed state (the decision log replayed over the run), so renamed,
merged and split themes and edited drafts appear as the analysts left them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import docx

from pipeline.report.atomic import atomic_write_text
from pipeline.report.html import render_html
from pipeline.report.writer import REPORT_HTML
from pipeline.review.actions import ReviewState, replay
from pipeline.review.rundir import DECISIONS_DB, EXPORTS_DIR, load_run
from pipeline.review.store import DecisionLog
from pipeline.schema import ApprovalState, Draft, Note, RunResult

HANDOUT_DOCX = "handout.docx"
HANDOUT_MD = "handout.md"
THEMES_CSV = "themes.csv"


@dataclass
class HandoutItem:
    theme_id: str
    label: str
    draft: Draft
    notes: list[Note]
    """Supporting notes: those the draft cites first, then the rest of the theme."""


def handout_items(run: RunResult, state: ReviewState) -> list[HandoutItem]:
    """Approved drafts in theme order, each with its theme's notes (cited ones first)."""
    by_id = {n.id: n for n in run.notes}
    items = []
    for theme in state.themes.values():
        current = state.drafts.get(theme.id)
        if current is None or current.draft is None or current.status is not ApprovalState.APPROVED:
            continue
        cited = [c for c in current.draft.cited_ids() if c in theme.note_ids]
        order = sorted(cited, key=theme.note_ids.index) + [
            n for n in theme.note_ids if n not in cited
        ]
        notes = [by_id[n] for n in order if n in by_id]
        items.append(HandoutItem(theme.id, theme.label, current.draft, notes))
    return items


def _note_line(note: Note) -> str:
    meta = ", ".join(f"{k}: {v}" for k, v in sorted(note.metadata.items()))
    where = f"{note.source} · {note.location}" + (f" · {meta}" if meta else "")
    return f"{note.text} [{note.lang}] ({where}; {note.id})"


def handout_docx(run: RunResult, state: ReviewState) -> bytes:
    document = docx.Document()
    document.add_heading(f"{run.manifest.workshop}: challenges for Day 2", level=0)
    items = handout_items(run, state)
    if not items:
        document.add_paragraph("No challenge statement has been approved yet.")
    for item in items:
        document.add_heading(f"{item.label} ({item.theme_id})", level=1)
        document.add_heading("Challenge", level=2)
        document.add_paragraph(item.draft.challenge.text)
        document.add_paragraph(item.draft.title.text, style="Subtitle")
        if item.draft.proposal:
            document.add_heading("Proposal", level=2)
            document.add_paragraph(" ".join(s.text for s in item.draft.proposal))
        document.add_heading(f"Supporting notes ({len(item.notes)})", level=2)
        for note in item.notes:
            document.add_paragraph(_note_line(note), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _md(text: str) -> str:
    """One line of text that Markdown shows as written (no headings, lists or HTML)."""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def handout_markdown(run: RunResult, state: ReviewState) -> str:
    lines = [f"# {_md(run.manifest.workshop)}: challenges for Day 2", ""]
    items = handout_items(run, state)
    if not items:
        lines += ["No challenge statement has been approved yet.", ""]
    for item in items:
        lines += [f"## {_md(item.label)} ({item.theme_id})", ""]
        lines += [f"**Challenge:** {_md(item.draft.challenge.text)}", ""]
        if item.draft.proposal:
            lines += [f"**Proposal:** {_md(' '.join(s.text for s in item.draft.proposal))}", ""]
        lines += [f"Supporting notes ({len(item.notes)}):", ""]
        lines += [f"- {_md(_note_line(n))}" for n in item.notes] + [""]
    return "\n".join(lines)


def themes_csv(run: RunResult, state: ReviewState) -> str:
    """Every reviewed theme; cells that start like a formula are prefixed with ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["theme_id", "label", "size", "approval", "title", "challenge", "proposal", "note_ids"]
    )

    def cell(value: str) -> str:
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    for theme in state.themes.values():
        current = state.drafts.get(theme.id)
        draft = current.draft if current else None
        writer.writerow(
            [
                theme.id,
                cell(theme.label),
                theme.size,
                current.status.value if current and draft else "no draft",
                cell(draft.title.text if draft else ""),
                cell(draft.challenge.text if draft else ""),
                cell(" ".join(s.text for s in draft.proposal) if draft else ""),
                " ".join(theme.note_ids),
            ]
        )
    return buffer.getvalue()


def reviewed_state(run_dir: Path, run: RunResult | None = None) -> tuple[RunResult, ReviewState]:
    run = run or load_run(run_dir)
    return run, replay(run, DecisionLog(Path(run_dir) / DECISIONS_DB).read())


def export_all(run_dir: Path) -> dict[str, Path]:
    """Write the three exports under ``RUN_DIR/exports/``; returns name → path."""
    run, state = reviewed_state(run_dir)
    out = Path(run_dir) / EXPORTS_DIR
    out.mkdir(exist_ok=True)
    docx_path = out / HANDOUT_DOCX
    tmp = docx_path.with_name(docx_path.name + ".tmp")
    tmp.write_bytes(handout_docx(run, state))
    tmp.replace(docx_path)
    return {
        HANDOUT_DOCX: docx_path,
        HANDOUT_MD: atomic_write_text(out / HANDOUT_MD, handout_markdown(run, state)),
        THEMES_CSV: atomic_write_text(out / THEMES_CSV, themes_csv(run, state)),
    }


def refresh_report(run_dir: Path, run: RunResult, state: ReviewState) -> Path:
    """Re-render ``report.html`` with the approval states of the log."""
    result = run.model_copy(update={"approvals": state.approvals()})
    return atomic_write_text(Path(run_dir) / REPORT_HTML, render_html(result))
