"""``report.md``: the run for people who read it in a text editor, a wiki or a diff.

Note texts come from workshop participants and may contain anything; they are flattened to
one line and the few characters that could change the document's structure (block markers at
the start, ``<`` for raw HTML, ``[`` for links, ``|`` in tables, backticks) are escaped, so a
note can never turn into a heading, a list, a link or live HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.describe import shown_keyphrases
from pipeline.report.view import (
    BroadThemeView,
    DraftView,
    Link,
    NoteView,
    ReportView,
    SentenceView,
    ThemeView,
    build_view,
)
from pipeline.safe_text import visible_text
from pipeline.schema import RunResult, Theme

_BLOCK_MARKER = re.compile(r"^(?:[#>+*=_~-]|\d{1,9}[.)])")
_INLINE_SPECIAL = re.compile(r"([\\`<\[\]|])")


def md_text(text: str) -> str:
    """One line of literal text that cannot break the surrounding Markdown structure."""
    flat = _INLINE_SPECIAL.sub(r"\\\1", " ".join(visible_text(text).split()))
    marker = _BLOCK_MARKER.match(flat)
    if marker:
        end = marker.end()
        flat = flat[: end - 1] + "\\" + flat[end - 1 :]
    return flat


def _ids(links: Iterable[Link]) -> str:
    return "[" + ", ".join(link.label for link in links) + "]"


def _sentence(s: SentenceView) -> str:
    marks = ""
    if s.supported is False:
        marks += f" ⚠ *weakly supported ({s.support or 0:.3f})*"
    if s.unverified:
        marks += " ⚠ *not in its notes: " + md_text(", ".join(s.unverified)) + "*"
    return f"{md_text(s.text)} {_ids(s.cites)}{marks}"


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{md_text(lang)} {n}" for lang, n in pairs)


def _note_line(nv: NoteView) -> str:
    note = nv.note
    where = [f"{note.lang}", f"{note.source}, {note.location}"]
    where += [f"{key}: {value}" for key, value in sorted(note.metadata.items())]
    extras = []
    if nv.rank is not None:
        extras.append(f"representative {nv.rank}")
    if nv.duplicate_of:
        extras.append(
            f"{note.duplicate_kind or ''} duplicate of [{nv.duplicate_of.label}]".lstrip()
        )
    if nv.parent:
        extras.append(f"part of split note [{nv.parent.label}]")
    if note.category:
        extras.append(f"category: {md_text(note.category)} ({note.category_confidence or 0:.2f})")
    tail = " · ".join(md_text(w) for w in where)
    if extras:
        tail += " · " + " · ".join(extras)
    text = md_text(note.text) or "*(empty)*"
    return f"- [{note.id}] {text} — *{tail}*"


def _draft(dv: DraftView) -> list[str]:
    d = dv.draft
    fallback = ""
    if d.fallback:
        fallback = f" · fallback: the {md_text(d.requested_drafter or '')} answer was not used"
    lines = [
        f"### Draft: {_sentence(dv.title)}",
        "",
        f"*{d.language} · drafter: {md_text(d.drafter)}{fallback}*",
        "",
    ]
    if d.drafter == "analyst":
        lines += ["**Written by an analyst in review.**", ""]
    if dv.approval in ("approved", "rejected"):
        lines += [f"**Draft {dv.approval} in review.**", ""]
    flags = [f for f in d.flags if f != "edited by an analyst"]  # said just above
    lines += [f"> **Check:** {md_text(flag)}" for flag in flags]
    if flags:
        lines.append("")
    lines += [f"**Challenge:** {_sentence(dv.challenge)}", ""]
    if dv.proposal:
        lines += [
            "**Proposals, by the number of notes that back them (say the same or close to it):**",
            "",
        ]
        lines += [
            f"{i}. {_sentence(s)} ({len(s.cites)} note{'s' if len(s.cites) != 1 else ''})"
            for i, s in enumerate(dv.proposal, 1)
        ]
        lines.append("")
    if d.pipeline_draft is not None:
        p = d.pipeline_draft
        lines += [
            "<details><summary>What the pipeline proposes for these notes</summary>",
            "",
            f"**{md_text(p.title.text)}** — {md_text(p.challenge.text)}",
            "",
            *(f"- {md_text(s.text)}" for s in p.proposal),
            "",
            "</details>",
            "",
        ]
    return lines


def _theme(tv: ThemeView) -> list[str]:
    t = tv.theme
    lines = [f"## {tv.number} · {md_text(t.label)}", ""]
    lines.append(f"{t.size} notes · languages: {_counts(tv.languages)}")
    lines.append("")
    if tv.parent:
        lines += [f"Part of: {md_text(tv.parent.label)}", ""]
    if t.category:
        lines += [_category_line(t), ""]
    if t.keyphrases:
        lines += ["**Keyphrases:** " + " · ".join(md_text(k) for k in shown_keyphrases(t)), ""]
    if tv.drafts:
        for dv in tv.drafts:
            lines += _draft(dv)
    else:
        lines += ["*No draft for this theme.*", ""]
    reps = [nv for nv in tv.notes if nv.rank is not None]
    if reps:
        lines += ["### Representative notes", ""]
        lines += [f"{nv.rank}. [{nv.note.id}] {md_text(nv.note.text)}" for nv in reps]
        lines.append("")
    lines += [f"### All notes ({len(tv.notes)})", ""]
    lines += [_note_line(nv) for nv in tv.notes]
    lines.append("")
    return lines


def _category_line(t: Theme) -> str:
    """The workshop category of a theme, how sure, and how many of its notes agree."""
    share = round((t.category_share or 0) * 100)
    return (
        f"Category: **{md_text(t.category or '')}** (confidence "
        f"{t.category_confidence or 0:.2f}; {share} % of its notes)"
    )


def _broad(bv: BroadThemeView) -> list[str]:
    t = bv.theme
    lines = [f"## Challenge {t.id}: {md_text(t.label)}", ""]
    lines.append(
        f"`{t.id}` · {t.size} notes in {len(bv.fine)} themes ({', '.join(bv.fine)}) · "
        f"languages: {_counts(bv.languages)}"
    )
    lines.append("")
    if t.category:
        lines += [_category_line(t), ""]
    if t.keyphrases:
        lines += ["**Keyphrases:** " + " · ".join(md_text(k) for k in shown_keyphrases(t)), ""]
    if bv.representatives:
        lines += ["**Representative notes:** " + _ids(bv.representatives), ""]
    for dv in bv.drafts:
        lines += _draft(dv)
    return lines


def _summary(view: ReportView) -> list[str]:
    c = view.counts
    rows = [
        ("Rows read (rows, lines, paragraphs, cells)", c.input_rows),
        ("… that gave no note", c.rejected_rows),
        ("Notes", c.input_notes),
        ("Notes rejected", c.rejected),
        ("Notes split into several ideas", c.split),
        ("… giving ideas", c.split_children),
        ("Notes kept as they were", c.kept),
        ("Ideas clustered (kept + split parts)", c.ideas),
        (f"Ideas in a theme ({c.themes} themes)", c.assigned),
        ("Ideas unassigned", c.unassigned),
        ("Duplicates (kept and clustered)", c.duplicates),
    ]
    lines = ["## Summary", "", "| | Count |", "|---|---:|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    lines.append("")
    lines.append(
        f"Rows read = rows that gave no note + notes: {c.input_rows} = {c.rejected_rows} + "
        f"{c.input_notes}. "
        f"Notes = rejected + split + kept: {c.input_notes} = {c.rejected} + {c.split} + "
        f"{c.kept}. Ideas = kept + split parts = in a theme + unassigned: {c.ideas} = "
        f"{c.kept} + {c.split_children} = {c.assigned} + {c.unassigned}."
    )
    lines.append("")
    if view.problems:
        lines += ["> **Warning: the counts do not reconcile.** " + "; ".join(view.problems), ""]
    if view.themes_origin:
        lines += [view.themes_origin, ""]
    if view.languages:
        lines += [f"Languages of the ideas: {_counts(view.languages)}.", ""]
    if view.languages_found:
        lines += [f"{view.languages_found}.", ""]
    if view.languages_not_covered:
        lines += [f"⚠ {view.languages_not_covered}.", ""]
    return lines


def _about(view: ReportView) -> list[str]:
    m = view.manifest
    lines = ["## About this run", ""]
    lines += [f"- Run `{m.run_id}`, created {view.created}, ideasynth {m.ideasynth_version}"]
    if view.drafters:
        lines.append("- Drafters: " + ", ".join(md_text(d) for d in view.drafters))
    for f in m.inputs:
        lines.append(
            f"- Input {md_text(f.path)} ({f.format}): {f.notes} notes, {f.rejected} rejected rows, "
            f"sha256 `{f.sha256[:12]}…`"
        )
    lines += [f"- Input error: {md_text(e)}" for e in m.input_errors]
    if m.timings:
        lines.append("- Timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in m.timings.items()))
    lines.append("")
    return lines


def render_markdown(result: RunResult) -> str:
    """The whole ``report.md`` as one string (ends with a newline)."""
    view = build_view(result)
    lines = [f"# {md_text(view.workshop)}", ""]
    lines += [f"*ideasynth report · run `{view.manifest.run_id}` · {view.created}*", ""]
    lines += _summary(view)
    if view.themes:
        lines += ["## Themes", ""]
        for tv in view.themes:
            if tv.starts is not None:
                b = tv.starts.theme
                lines.append(f"- **{b.id} · {md_text(b.label)}** ({b.size} notes)")
            indent = "  " if view.broad else ""
            lines.append(
                f"{indent}- {tv.number} · {md_text(tv.theme.label)} ({tv.theme.size} notes)"
            )
        lines.append("")
    for tv in view.themes:
        if tv.starts is not None:
            lines += _broad(tv.starts)
        lines += _theme(tv)
    if view.orphan_drafts:
        lines += ["## Drafts for themes not in this run", ""]
        for dv in view.orphan_drafts:
            lines += [f"Theme `{dv.draft.theme_id}`:", "", *_draft(dv)]
    lines += [f"## Unassigned notes ({len(view.unassigned)})", ""]
    lines += [_note_line(nv) for nv in view.unassigned] or ["*None.*"]
    lines.append("")
    if view.split:
        lines += [f"## Split notes ({len(view.split)})", ""]
        for nv in view.split:
            parts = ", ".join(f"[{c.label}]" for c in nv.children)
            lines.append(
                f"- [{nv.note.id}] {md_text(nv.note.original_text or nv.note.text)} — "
                f"*{md_text(nv.note.source)}, {md_text(nv.note.location)}* · split into {parts}"
            )
        lines.append("")
    lines += [f"## Rejected ({len(view.rejected)})", ""]
    if view.rejected:
        lines += ["| What | Text | Reason | Where |", "|---|---|---|---|"]
        for row in view.rejected_shown:
            item = row.item
            what = f"note [{item.id}]" if item.kind == "note" else "input row"
            text = md_text(item.text) or "*(empty)*"
            where = md_text(f"{item.source}, {item.location}")
            lines.append(f"| {what} | {text} | {md_text(item.reason)} | {where} |")
        if view.rejected_not_shown:
            lines += [
                "",
                f"… and {view.rejected_not_shown} more, not listed here: every rejected row is "
                "in `rejected.json` and `ledger.parquet`.",
            ]
    else:
        lines.append("*None.*")
    lines.append("")
    lines += _about(view)
    return "\n".join(lines).rstrip("\n") + "\n"
