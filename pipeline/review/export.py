"""Exports for Day 2: a handout participants can read, and the reviewed themes as a table.

- ``handout.docx``: the run's challenges, for printing or editing (python-docx);
- ``handout.md``: the same in Markdown;
- ``themes.csv``: one row per reviewed challenge and theme, approved or not, for a spreadsheet.

The handout is for the room, not for analysts: per challenge its name, its "How might
we …?" question, its proposals with how many notes support each, and at most five short
quotes, in the workshop's language. It names no participant unless asked
(``with_authors``) and shows no file, row or note id: those stay in the analyst's report.
The handout renders the reviewed run (``pipeline.review.reviewed``), as the reports do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from pipeline.i18n import Words, words
from pipeline.report.atomic import atomic_write_text
from pipeline.report.writer import REPORT_HTML
from pipeline.review.actions import ReviewState, ThemeState, replay, run_languages
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB, EXPORTS_DIR, load_run
from pipeline.review.store import DecisionLog
from pipeline.safe_text import document_text
from pipeline.schema import ApprovalState, Draft, DraftLevel, Note, RunResult, Theme

HANDOUT_DOCX = "handout.docx"
HANDOUT_MD = "handout.md"
THEMES_CSV = "themes.csv"
MAX_QUOTES = 5
MAX_QUOTE_WORDS = 20


LOCALES = {"fr": "fr-FR", "nl": "nl-NL", "de": "de-DE", "en": "en-GB"}
"""The handout's languages (those of the catalogue) and the locale its document declares."""


@dataclass(frozen=True)
class HandoutLabels:
    """The handout's words in one language (``pipeline.i18n``)."""

    lang: str

    @property
    def _words(self) -> Words:
        return words(self.lang)

    @property
    def title(self) -> str:
        return self._words.gettext("Challenges for Day 2")

    @property
    def question(self) -> str:
        return self._words.gettext("Question:")

    @property
    def proposals(self) -> str:
        return self._words.gettext("Proposals")

    @property
    def quotes(self) -> str:
        return self._words.gettext("What participants wrote")

    @property
    def none(self) -> str:
        return self._words.gettext("No challenges to show.")

    @property
    def facets(self) -> str:
        return self._words.gettext("Aspects")

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def support(self, n: int) -> str:
        return self._words.ngettext("%(num)d note", "%(num)d notes", n)


LABELS: dict[str, HandoutLabels] = {lang: HandoutLabels(lang) for lang in LOCALES}


@dataclass
class HandoutItem:
    theme_id: str
    draft: Draft
    quotes: list[Note]
    """At most ``MAX_QUOTES`` of its notes, most representative and in the output language
    first, none repeating a proposal or another quote."""
    facets: list[Facet] = field(default_factory=list)
    """The themes it gathers, when more than one, but the one its heading names
    (``_aspects``)."""


@dataclass
class Facet:
    """A theme of a challenge, by name; with its question and proposals where an analyst
    wrote or approved them (decided wording is Day 2 material too)."""

    name: str
    question: str | None = None
    proposals: list[str] = field(default_factory=list)


def handout_language(run: RunResult) -> str:
    return next((lang for lang in run_languages(run) if lang in LABELS), "en")


def handout_items(run: RunResult, state: ReviewState) -> list[HandoutItem]:
    """The run's challenges in order, as the review left them (``reviewed_result``: their
    reviewed names, the analysts' wording where there is one, drafts of changed challenges
    redone), each with its quotes; a rejected challenge is left out."""
    reviewed = reviewed_result(run, state)
    by_id = {n.id: n for n in reviewed.notes}
    challenges = [d for d in reviewed.drafts if d.level is DraftLevel.CHALLENGE]
    if not challenges:  # a run drafted before drafts had levels
        challenges = [d for d in reviewed.drafts if d.theme_id in state.themes]
    language = handout_language(run)
    units = {t.id: t for t in [*reviewed.broad_themes, *reviewed.themes]}
    drafts = {d.theme_id: d for d in reviewed.drafts}
    items = []
    for draft in challenges:
        if reviewed.approvals.get(draft.theme_id) == ApprovalState.REJECTED.value:
            continue
        # Its most representative notes first: the voices behind the question.
        unit = units.get(draft.theme_id)
        ordered = [*unit.representative_ids, *unit.note_ids] if unit else []
        cited = [*draft.challenge.cites, *(i for p in draft.proposal for i in p.cites)]
        notes = [by_id[i] for i in dict.fromkeys([*ordered, *cited]) if i in by_id]
        notes.sort(key=lambda n: n.lang != language)  # stable: cited order within a language
        shown = [_words(p.text) for p in draft.proposal]
        quotes: list[Note] = []
        for note in notes:
            words = _words(note.text)
            if not any(_alike(words, other) for other in shown):
                quotes.append(note)
                shown.append(words)
        facets = [t for t in reviewed.themes if t.parent_id == draft.theme_id]
        items.append(
            HandoutItem(
                draft.theme_id,
                draft,
                quotes[:MAX_QUOTES],
                _aspects(draft, facets, drafts, state) if len(facets) > 1 else [],
            )
        )
    return items


def _aspects(
    challenge: Draft, facets: list[Theme], drafts: dict[str, Draft], state: ReviewState
) -> list[Facet]:
    """The challenge's facets, but the one its heading already names. A challenge of several
    facets is drafted from them (``DraftsFromFacets``): its heading and question are its
    leading facet's, so that facet listed again would repeat the heading. The draft does
    not record which facet led; the lead is the one whose name, or whose draft's title (as
    reviewed, or as the pipeline drafted it), is the heading. It stays when an analyst
    decided it another question than the challenge's (decided wording is Day 2 material).
    A challenge an analyst renamed keeps all its facets: none repeats its heading."""
    heading = _folded(challenge.title.text)

    def names(facet: Theme) -> set[str]:
        said = {facet.label}
        draft = drafts.get(facet.id)
        if draft is not None:
            said.add(draft.title.text)
            if draft.pipeline_draft is not None:
                said.add(draft.pipeline_draft.title.text)
        return {_folded(name) for name in said}

    lead = next((f for f in facets if heading in names(f)), None)
    out = []
    for theme in facets:
        facet = _facet(theme.label, theme.id, state)
        asks_the_same = facet.question is None or _folded(facet.question) == _folded(
            challenge.challenge.text
        )
        if theme is not lead or not asks_the_same:
            out.append(facet)
    return out


def _folded(text: str) -> str:
    """Text as compared: case and spacing aside ("Droit de recours" = "droit de  recours")."""
    return " ".join(text.split()).casefold()


def _facet(name: str, theme_id: str, state: ReviewState) -> Facet:
    current = state.drafts.get(theme_id)
    if current is None or current.draft is None:
        return Facet(name)
    if current.edited or current.status is ApprovalState.APPROVED:
        draft = current.draft
        return Facet(name, draft.challenge.text, [s.text for s in draft.proposal])
    return Facet(name)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?()«»“”\"'").casefold().rstrip("s") for w in text.split()} - {""}


def _alike(a: set[str], b: set[str]) -> bool:
    """Two texts that say the same words: a quote that repeats a proposal or another quote
    ("communauté de pratique" / "communauté de pratiques") is not shown twice."""
    return bool(a and b) and len(a & b) / len(a | b) >= 0.6


def _quote(note: Note, language: str, with_authors: bool) -> str:
    words = " ".join(note.text.split()).split(" ")
    text = " ".join(words[:MAX_QUOTE_WORDS]) + (" …" if len(words) > MAX_QUOTE_WORDS else "")
    if note.lang != language:
        text += f" ({note.lang})"
    author = note.metadata.get("author", "").strip()
    if with_authors and author:
        text += f" — {author}"
    return text


def _proposal_line(text: str, cites: list[str], labels: HandoutLabels) -> str:
    return f"{text} ({labels.support(len(set(cites)))})"


def _set_language(document: docx.document.Document, locale: str) -> None:
    """The document's language, for spelling and for screen readers."""
    document.core_properties.language = locale
    properties = document.styles["Normal"].element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), locale)
    properties.append(lang)


def handout_docx(run: RunResult, state: ReviewState, *, with_authors: bool = False) -> bytes:
    language = handout_language(run)
    labels = LABELS[language]
    document = docx.Document()
    title = document_text(f"{run.manifest.workshop} — {labels.title}")
    document.core_properties.title = title
    _set_language(document, labels.locale)
    document.add_heading(title, level=0)
    items = handout_items(run, state)
    if not items:
        document.add_paragraph(labels.none)
    for item in items:
        document.add_heading(document_text(item.draft.title.text), level=1)
        document.add_paragraph(document_text(item.draft.challenge.text), style="Intense Quote")
        if item.facets:
            document.add_heading(labels.facets, level=2)
            for facet in item.facets:
                line = document.add_paragraph(style="List Bullet")
                line.add_run(document_text(facet.name)).bold = bool(facet.question)
                if facet.question:
                    line.add_run(document_text(f" — {facet.question}"))
                for proposal in facet.proposals:
                    document.add_paragraph(document_text(proposal), style="List Bullet 2")
        if item.draft.proposal:
            document.add_heading(labels.proposals, level=2)
            for sentence in item.draft.proposal:
                document.add_paragraph(
                    document_text(_proposal_line(sentence.text, sentence.cites, labels)),
                    style="List Bullet",
                )
        if item.quotes:
            document.add_heading(labels.quotes, level=2)
            for note in item.quotes:
                quote = document_text(_quote(note, language, with_authors))
                document.add_paragraph(
                    f"« {quote} »" if language == "fr" else f"“{quote}”", style="List Bullet"
                )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _md(text: str) -> str:
    """One line of text that Markdown shows as written (no headings, lists or HTML)."""
    flat = " ".join(document_text(text).split())
    for char in "\\`*_[]<>#|":
        flat = flat.replace(char, "\\" + char)
    return flat


def handout_markdown(run: RunResult, state: ReviewState, *, with_authors: bool = False) -> str:
    language = handout_language(run)
    labels = LABELS[language]
    lines = [f"# {_md(run.manifest.workshop)} — {labels.title}", ""]
    items = handout_items(run, state)
    if not items:
        lines += [labels.none, ""]
    for item in items:
        lines += [f"## {_md(item.draft.title.text)}", ""]
        lines += [f"**{labels.question}** {_md(item.draft.challenge.text)}", ""]
        if item.facets:
            lines += [f"### {labels.facets}", ""]
            for facet in item.facets:
                if facet.question:
                    lines.append(f"- **{_md(facet.name)}** — {_md(facet.question)}")
                else:
                    lines.append(f"- {_md(facet.name)}")
                lines += [f"  - {_md(proposal)}" for proposal in facet.proposals]
            lines.append("")
        if item.draft.proposal:
            lines += [f"### {labels.proposals}", ""]
            lines += [
                f"{i}. {_md(_proposal_line(s.text, s.cites, labels))}"
                for i, s in enumerate(item.draft.proposal, 1)
            ] + [""]
        if item.quotes:
            lines += [f"### {labels.quotes}", ""]
            lines += [f"- {_md(_quote(n, language, with_authors))}" for n in item.quotes] + [""]
    return "\n".join(lines)


def themes_csv(run: RunResult, state: ReviewState) -> str:
    """Every reviewed challenge and theme, as the reports show them (one row each: a theme's
    ``part_of`` is its challenge); cells that start like a formula are prefixed with ``'``."""
    reviewed = reviewed_result(run, state)
    drafts = {d.theme_id: d for d in reviewed.drafts}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "theme_id",
            "label",
            "size",
            "approval",
            "title",
            "challenge",
            "proposal",
            "note_ids",
            "level",
            "part_of",
        ]
    )

    def cell(value: str) -> str:
        value = document_text(value)
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    units: list[tuple[ThemeState, str]] = [
        *((c, "challenge") for c in state.challenges.values()),
        *((t, "theme") for t in state.themes.values()),
    ]
    labels = {t.id: t.label for t in [*reviewed.broad_themes, *reviewed.themes]}
    for unit, level in units:
        draft = drafts.get(unit.id)
        writer.writerow(
            [
                unit.id,
                cell(labels.get(unit.id, unit.label)),
                unit.size,
                reviewed.approvals.get(unit.id, ApprovalState.PENDING.value)
                if draft
                else "no draft",
                cell(draft.title.text if draft else ""),
                cell(draft.challenge.text if draft else ""),
                cell(" ".join(s.text for s in draft.proposal) if draft else ""),
                " ".join(unit.note_ids),
                level,
                unit.parent_id or "",
            ]
        )
    return buffer.getvalue()


def reviewed_state(run_dir: Path, run: RunResult | None = None) -> tuple[RunResult, ReviewState]:
    run = run or load_run(run_dir)
    return run, replay(run, DecisionLog(Path(run_dir) / DECISIONS_DB).read())


def export_all(run_dir: Path, *, with_authors: bool = False) -> dict[str, Path]:
    """Write the three exports under ``RUN_DIR/exports/``; returns name → path. The handout
    names participants only ``with_authors``."""
    run, state = reviewed_state(run_dir)
    out = Path(run_dir) / EXPORTS_DIR
    out.mkdir(exist_ok=True)
    docx_path = out / HANDOUT_DOCX
    tmp = docx_path.with_name(docx_path.name + ".tmp")
    tmp.write_bytes(handout_docx(run, state, with_authors=with_authors))
    tmp.replace(docx_path)
    markdown = handout_markdown(run, state, with_authors=with_authors)
    return {
        HANDOUT_DOCX: docx_path,
        HANDOUT_MD: atomic_write_text(out / HANDOUT_MD, markdown),
        THEMES_CSV: atomic_write_text(out / THEMES_CSV, themes_csv(run, state)),
    }


def refresh_report(run_dir: Path, run: RunResult, state: ReviewState) -> Path:
    """Rewrite ``report.html`` and ``report.md`` from the reviewed view of the run (renames,
    merges, moves, edited and approved drafts); returns the HTML report's path."""
    from pipeline.review.reviewed import write_reviewed_reports

    write_reviewed_reports(run_dir, run, state)
    return Path(run_dir) / REPORT_HTML
