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
from pipeline.i18n import Words, shown_flag, words
from pipeline.progress import label as step_label
from pipeline.report.view import (
    BroadThemeView,
    DraftView,
    Link,
    NoteView,
    ReportView,
    SentenceView,
    ThemeView,
    build_view,
    shown_category,
    shown_location,
    shown_reason,
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


def _sentence(s: SentenceView, w: Words) -> str:
    marks = ""
    if s.supported is False and s.support is not None:  # a stand-in has no score
        marks += " ⚠ *" + w.gettext("weakly supported (%(score)s)", score=w.decimal(s.support, 3))
        marks += "*"
    if s.unverified:
        said = w.gettext("not in its notes: %(words)s", words=", ".join(s.unverified))
        marks += " ⚠ *" + md_text(said) + "*"
    return f"{md_text(s.text)} {_ids(s.cites)}{marks}"


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{md_text(lang)} {n}" for lang, n in pairs)


def _note_line(nv: NoteView, w: Words) -> str:
    note = nv.note
    where = [f"{note.lang}", f"{note.source}, {shown_location(note.location, w.lang)}"]
    where += [f"{key}: {value}" for key, value in sorted(note.metadata.items())]
    extras = []
    if nv.rank is not None:
        extras.append(w.gettext("representative %(rank)s", rank=nv.rank))
    if nv.duplicate_of:
        kind = {"exact": w.gettext("exact duplicate of"), "near": w.gettext("near duplicate of")}
        said = kind.get(note.duplicate_kind or "", w.gettext("duplicate of"))
        extras.append(f"{said} [{nv.duplicate_of.label}]")
    if nv.parent:
        extras.append(w.gettext("part of split note") + f" [{nv.parent.label}]")
    if note.category:
        said = w.gettext(
            "category: %(category)s", category=md_text(shown_category(note.category, w))
        )
        extras.append(f"{said} ({w.decimal(note.category_confidence or 0)})")
    tail = " · ".join(md_text(part) for part in where)
    if extras:
        tail += " · " + " · ".join(extras)
    text = md_text(note.text) or ("*" + w.gettext("(empty)") + "*")
    return f"- [{note.id}] {text} — *{tail}*"


def _draft(dv: DraftView, w: Words) -> list[str]:
    d = dv.draft
    fallback = ""
    if d.fallback:
        said = w.gettext(
            "fallback: the %(drafter)s answer was not used", drafter=d.requested_drafter or ""
        )
        fallback = f" · {md_text(said)}"
    lines = [
        ("### " + w.gettext("Draft:") + f" {_sentence(dv.title, w)}"),
        "",
        (f"*{d.language} · " + w.gettext("drafter:") + f" {md_text(dv.drafter)}{fallback}*"),
        "",
    ]
    if d.drafter == "analyst":
        lines += [("**" + w.gettext("Written by an analyst in review") + ".**"), ""]
    if dv.approval == "approved":
        lines += [("**" + w.gettext("Draft approved in review") + ".**"), ""]
    elif dv.approval == "rejected":
        lines += [("**" + w.gettext("Draft rejected in review") + ".**"), ""]
    flags = [f for f in d.flags if f != "edited by an analyst"]  # said just above
    check = w.gettext("To check:")
    lines += [f"> **{check}** {md_text(shown_flag(w.lang, flag))}" for flag in flags]
    if flags:
        lines.append("")
    lines += [("**" + w.gettext("Challenge:") + f"** {_sentence(dv.challenge, w)}"), ""]
    if dv.alternatives:
        offered = w.gettext("Other questions the notes offer, to adopt in the review")
        lines += [
            f"<details><summary>{offered}</summary>",
            "",
            *(f"- {_sentence(a, w)}" for a in dv.alternatives),
            "",
            "</details>",
            "",
        ]
    if dv.proposal:
        heading = w.gettext(
            "Proposals, those that answer the question first, with the notes that propose each "
            "and those close to it in meaning, for or against:"
        )
        lines += [f"**{heading}**", ""]
        lines += [
            (f"{i}. {_sentence(s, w)} (" + w.backing(len(s.cites), s.said_by) + ")")
            for i, s in enumerate(dv.proposal, 1)
        ]
        lines.append("")
    if d.pipeline_draft is not None:
        p = d.pipeline_draft
        summary = w.gettext("What the pipeline proposes for these notes")
        lines += [
            f"<details><summary>{summary}</summary>",
            "",
            f"**{md_text(p.title.text)}** — {md_text(p.challenge.text)}",
            "",
            *(f"- {md_text(s.text)}" for s in p.proposal),
            "",
            "</details>",
            "",
        ]
    return lines


def _theme(tv: ThemeView, w: Words) -> list[str]:
    t = tv.theme
    lines = [f"## {tv.number} · {md_text(t.label)}", ""]
    size = w.ngettext("%(num)d note", "%(num)d notes", t.note_count)
    lines.append(f"{size} · " + w.gettext("languages:") + f" {_counts(tv.languages)}")
    lines.append("")
    if tv.parent:
        lines += [(w.gettext("Part of:") + f" {md_text(tv.parent.label)}"), ""]
    if t.category:
        lines += [_category_line(t, w), ""]
    if t.keyphrases:
        keyphrases = " · ".join(md_text(k) for k in shown_keyphrases(t))
        lines += [("**" + w.gettext("Keyphrases:") + f"** {keyphrases}"), ""]
    if tv.drafts:
        for dv in tv.drafts:
            lines += _draft(dv, w)
    elif tv.draft_shown_above:
        said = w.gettext(
            "This theme is its challenge’s only one: its draft is the challenge’s, above."
        )
        lines += [f"*{said}*", ""]
    else:
        lines += [("*" + w.gettext("No draft for this theme.") + "*"), ""]
    reps = [nv for nv in tv.notes if nv.rank is not None]
    if reps:
        lines += [("### " + w.gettext("Representative notes")), ""]
        lines += [f"{nv.rank}. [{nv.note.id}] {md_text(nv.note.text)}" for nv in reps]
        lines.append("")
    counted = str(t.note_count)
    if len(tv.notes) != t.note_count:  # "All notes (63; 64 ideas)": split notes gave more
        counted += "; " + w.ngettext("%(num)d idea", "%(num)d ideas", len(tv.notes))
    lines += [("### " + w.gettext("All notes (%(n)s)", n=counted)), ""]
    lines += [_note_line(nv, w) for nv in tv.notes]
    lines.append("")
    return lines


def _category_line(t: Theme, w: Words) -> str:
    """The workshop category of a theme, how sure, and how many of its notes agree."""
    share = round((t.category_share or 0) * 100)
    how_sure = w.gettext(
        "confidence %(confidence)s; %(share)s %% of its notes",
        confidence=w.decimal(t.category_confidence or 0),
        share=share,
    )
    category = shown_category(t.category or "", w)
    return w.gettext("Category:") + f" **{md_text(category)}** ({how_sure})"


def _counted_twice(num: int, w: Words) -> str:
    return w.ngettext(
        "%(num)d note has ideas in two of them: it counts in each, once here",
        "%(num)d notes have ideas in two of them: each counts in both, once here",
        num,
    )


def _broad(bv: BroadThemeView, w: Words) -> list[str]:
    t = bv.theme
    lines = [("## " + w.gettext("Challenge %(id)s:", id=t.id) + f" {md_text(t.label)}"), ""]
    size = w.ngettext(
        "%(notes)s notes in %(num)d theme",
        "%(notes)s notes in %(num)d themes",
        len(bv.fine),
        notes=t.note_count,
    )
    if bv.counted_twice:
        size += " (" + _counted_twice(bv.counted_twice, w) + ")"
    lines.append(
        f"`{t.id}` · {size} ({', '.join(bv.fine)}) · "
        + w.gettext("languages:")
        + f" {_counts(bv.languages)}"
    )
    lines.append("")
    if t.category:
        lines += [_category_line(t, w), ""]
    if t.keyphrases:
        keyphrases = " · ".join(md_text(k) for k in shown_keyphrases(t))
        lines += [("**" + w.gettext("Keyphrases:") + f"** {keyphrases}"), ""]
    if bv.representatives:
        lines += [("**" + w.gettext("Representative notes:") + "**"), ""]
        lines += [f"- [{link.label}] {md_text(link.title)}" for link in bv.representatives]
        lines.append("")
    for dv in bv.drafts:
        lines += _draft(dv, w)
    return lines


def _summary(view: ReportView, w: Words) -> list[str]:
    c = view.counts
    rows = [
        (w.gettext("Rows read (rows, lines, paragraphs, cells)"), c.input_rows),
        (w.gettext("… that gave no note"), c.rejected_rows),
        (w.gettext("Notes"), c.input_notes),
        (w.gettext("Notes rejected"), c.rejected),
        (w.gettext("Notes split into several ideas"), c.split),
        (w.gettext("… giving ideas"), c.split_children),
        (w.gettext("Notes kept as they were"), c.kept),
        (w.gettext("Ideas clustered (kept + split parts)"), c.ideas),
        (
            w.ngettext(
                "Ideas in a theme (%(num)d theme)", "Ideas in a theme (%(num)d themes)", c.themes
            ),
            c.assigned,
        ),
        (w.gettext("Ideas unassigned"), c.unassigned),
        (w.gettext("Duplicates (kept and clustered)"), c.duplicates),
    ]
    lines = [("## " + w.gettext("Summary")), "", ("| | " + w.gettext("Count") + " |"), "|---|---:|"]
    lines += [f"| {label} | {value} |" for label, value in rows]
    lines.append("")
    lines.append(
        w.gettext(
            "Rows read = rows that gave no note + notes: %(rows)s = %(no_note)s + %(notes)s. "
            "Notes = rejected + split + kept: %(notes)s = %(rejected)s + %(split)s + %(kept)s. "
            "Ideas = kept + split parts = in a theme + unassigned: %(ideas)s = %(kept)s + "
            "%(parts)s = %(assigned)s + %(unassigned)s.",
            rows=c.input_rows,
            no_note=c.rejected_rows,
            notes=c.input_notes,
            rejected=c.rejected,
            split=c.split,
            kept=c.kept,
            ideas=c.ideas,
            parts=c.split_children,
            assigned=c.assigned,
            unassigned=c.unassigned,
        )
    )
    lines.append("")
    if view.problems:
        warning = w.gettext("Warning: the counts do not reconcile.")
        lines += [f"> **{warning}** " + "; ".join(view.problems), ""]
    if view.themes_origin:
        lines += [view.themes_origin, ""]
    if view.languages:
        lines += [(w.gettext("Languages of the ideas:") + f" {_counts(view.languages)}."), ""]
    if view.languages_found:
        lines += [f"{view.languages_found}.", ""]
    if view.languages_not_covered:
        lines += [f"⚠ {view.languages_not_covered}.", ""]
    return lines


def _about(view: ReportView, w: Words) -> list[str]:
    m = view.manifest
    lines = [("## " + w.gettext("About this run")), ""]
    lines.append(
        "- "
        + w.gettext(
            "Run %(run)s, created %(created)s, ideasynth %(version)s",
            run=f"`{m.run_id}`",
            created=view.created,
            version=m.ideasynth_version,
        )
    )
    if view.drafters:
        drafters = "; ".join(md_text(d) for d in view.drafters)
        lines.append("- " + w.gettext("Drafters:") + f" {drafters}")
    for f in m.inputs:
        said = w.gettext(
            "Input %(path)s (%(format)s): %(notes)s notes, %(rejected)s rejected rows",
            path=md_text(f.path),
            format=f.format,
            notes=f.notes,
            rejected=f.rejected,
        )
        lines.append(f"- {said}, sha256 `{f.sha256[:12]}…`")
    lines += [("- " + w.gettext("Input error:") + f" {md_text(e)}") for e in m.input_errors]
    if m.timings:
        timings = ", ".join(f"{step_label(k, w)} {w.decimal(v)} s" for k, v in m.timings.items())
        lines.append("- " + w.gettext("Timings:") + f" {timings}")
    lines.append("")
    return lines


def render_markdown(result: RunResult) -> str:
    """The whole ``report.md`` as one string (ends with a newline), in the run's language."""
    view = build_view(result)
    w = words(view.lang)
    lines = [f"# {md_text(view.workshop)}", ""]
    header = w.gettext("ideasynth report · run %(run)s", run=f"`{view.manifest.run_id}`")
    lines += [f"*{header} · {view.created}*", ""]
    lines += _summary(view, w)
    if view.themes:
        lines += [("## " + w.gettext("Themes")), ""]
        for tv in view.themes:
            if tv.starts is not None:
                b = tv.starts.theme
                size = w.ngettext("%(num)d note", "%(num)d notes", b.note_count)
                lines.append(f"- **{b.id} · {md_text(b.label)}** ({size})")
            indent = "  " if view.broad else ""
            size = w.ngettext("%(num)d note", "%(num)d notes", tv.theme.note_count)
            lines.append(f"{indent}- {tv.number} · {md_text(tv.theme.label)} ({size})")
        lines.append("")
    for tv in view.themes:
        if tv.starts is not None:
            lines += _broad(tv.starts, w)
        lines += _theme(tv, w)
    if view.orphan_drafts:
        lines += [("## " + w.gettext("Drafts for themes not in this run")), ""]
        for dv in view.orphan_drafts:
            theme = w.gettext("Theme %(id)s:", id=f"`{dv.draft.theme_id}`")
            lines += [theme, "", *_draft(dv, w)]
    none = "*" + w.gettext("None.") + "*"
    lines += [("## " + w.gettext("Unassigned notes (%(n)s)", n=len(view.unassigned))), ""]
    lines += [_note_line(nv, w) for nv in view.unassigned] or [none]
    lines.append("")
    if view.split:
        lines += [("## " + w.gettext("Split notes (%(n)s)", n=len(view.split))), ""]
        for nv in view.split:
            parts = ", ".join(f"[{c.label}]" for c in nv.children)
            lines.append(
                f"- [{nv.note.id}] {md_text(nv.note.original_text or nv.note.text)} — "
                f"*{md_text(nv.note.source)}, "
                f"{md_text(shown_location(nv.note.location, view.lang))}* · "
                + w.gettext("split into %(parts)s", parts=parts)
            )
        lines.append("")
    lines += [("## " + w.gettext("Rejected (%(n)s)", n=len(view.rejected))), ""]
    if view.rejected:
        head = [w.gettext(h) for h in ("What", "Text", "Reason", "Where")]
        lines += ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
        for row in view.rejected_shown:
            item = row.item
            what = (w.gettext("a note") + f" [{item.id}]") if item.kind == "note" else ""
            what = what or w.gettext("an input row")
            text = md_text(item.text) or ("*" + w.gettext("(empty)") + "*")
            where = md_text(f"{item.source}, {shown_location(item.location, view.lang)}")
            reason = md_text(shown_reason(item.reason, view.lang))
            lines.append(f"| {what} | {text} | {reason} | {where} |")
        if view.rejected_not_shown:
            more = w.gettext(
                "… and %(n)s more, not listed here: every rejected row is in rejected.json "
                "and ledger.parquet.",
                n=view.rejected_not_shown,
            )
            lines += ["", more]
    else:
        lines.append(none)
    lines.append("")
    lines += _about(view, w)
    return "\n".join(lines).rstrip("\n") + "\n"
