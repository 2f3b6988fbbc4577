"""Exports for Day 2: a handout participants can read, and the reviewed themes as a table.

- ``handout.docx``: the run's challenges, for printing or editing (python-docx);
- ``handout.md``: the same in Markdown;
- ``themes.csv``: one row per reviewed challenge and theme, approved or not, for a spreadsheet;
- ``notes.csv``: every note with its text and where the review put it, for analysts.

The handout is for the room, not for analysts: per challenge its name, its "How might
we …?" question, its proposals with how many notes support each, and at most five short
quotes, in the workshop's language. It names no participant unless asked
(``with_authors``) and shows no file, row or note id: those stay in the analyst's report.
The handout renders the reviewed run (``pipeline.review.reviewed``), as the reports do.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm

from pipeline.draft.compose.drafter import STRAND, without_label, workshop_labels
from pipeline.draft.compose.tagging import tag
from pipeline.i18n import Words, words
from pipeline.prepare.shorten import ELLIPSIS, cut_words
from pipeline.prepare.shorten import shortened as shortened  # as the handout once cut
from pipeline.report.atomic import atomic_write_text
from pipeline.report.writer import REPORT_HTML
from pipeline.review.actions import (
    ReviewState,
    ThemeState,
    placeholder_question,
    placeholder_title,
    replay,
    run_languages,
)
from pipeline.review.reviewed import reviewed_result
from pipeline.review.rundir import DECISIONS_DB, EXPORTS_DIR, load_run
from pipeline.review.store import DecisionLog
from pipeline.safe_text import document_text
from pipeline.schema import (
    ApprovalState,
    Draft,
    DraftLevel,
    Note,
    NoteStatus,
    RunResult,
    Sentence,
    Theme,
)

HANDOUT_DOCX = "handout.docx"
HANDOUT_MD = "handout.md"
THEMES_CSV = "themes.csv"
NOTES_CSV = "notes.csv"
MAX_QUOTES = 5
ANSWERS = 3
"""The first proposals, which answer the question: the note nearest each is quoted, in turn
with the challenge's most representative ones."""
MIN_QUOTES = 2
"""With this many quotes in the handout's language, a challenge quotes no other language."""
MAX_QUOTE_WORDS = 20


LOCALES = {"fr": "fr-FR", "nl": "nl-NL", "de": "de-DE", "en": "en-GB"}
"""The handout's languages (those of the catalogue) and the locale its document declares."""

LETTER_LOCALES = frozenset({"en-US", "en-CA"})
"""Locales whose paper is US Letter; every other handout is printed on A4."""

QUOTE_SLACK = 6
"""A quote at most this many words longer than ``MAX_QUOTE_WORDS`` is shown whole: cutting
it would leave out less than it costs the reader to guess what is missing."""


def challenge_number(theme_id: str) -> str:
    """The number a challenge goes by in the handout, on the Day 2 cards and in the action
    plan: ``B4`` is "4" (``pipeline.day2.attach`` reads "Défi 4" back as ``B4``). It is the
    challenge's id, not its rank on the page, so that it stays the same whatever the
    review rejects or merges after the handout is printed."""
    digits = "".join(ch for ch in theme_id if ch.isdigit())
    return str(int(digits)) if digits else theme_id


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
    def challenge(self) -> str:
        return self._words.gettext("Challenge")

    def numbered(self, theme_id: str, heading: str) -> str:
        """A challenge's heading with the number the Day 2 cards use: "Défi 4 — Agriculture"."""
        return f"{self.challenge} {challenge_number(theme_id)} — {heading}"

    def cards_hint(self, example: str) -> str:
        """Under the handout's title: how a table names its challenge on an action card."""
        return self._words.gettext(
            "On each action card, write the number of its challenge (for example “%(example)s”).",
            example=example,
        )

    @property
    def proposals(self) -> str:
        return self._words.gettext("Proposals")

    @property
    def order_hint(self) -> str:
        """Under the cards hint: why a challenge's proposals come in their order (those
        that answer its question first, so the counts need not fall), and what a count is:
        the notes close to a proposal in meaning, which embeddings find whatever their view
        ("We should lower taxes" is close to "Our income tax is among the lowest")."""
        return self._words.gettext(
            "Under each challenge, the proposals that answer its question come first; in "
            "brackets, how many notes propose each, and how many more are close to it in "
            "meaning, for or against."
        )

    @property
    def quotes(self) -> str:
        return self._words.gettext("What participants wrote")

    @property
    def no_proposals(self) -> str:
        """Where no proposal could be drafted from a challenge's notes (notes in a language
        the drafter has no rules for, observations only): the room is told so, not left to
        wonder whether the section went missing."""
        return self._words.gettext(
            "None could be drafted from these notes: see what participants wrote below."
        )

    @property
    def none(self) -> str:
        return self._words.gettext("No challenges to show.")

    @property
    def facets(self) -> str:
        return self._words.gettext("Aspects")

    @property
    def question_pending(self) -> str:
        """Said where the drafter's stand-in question would be: the room is told plainly."""
        return self._words.gettext("The question is still to be written.")

    @property
    def title_pending(self) -> str:
        return self._words.gettext("Title still to be written")

    @property
    def locale(self) -> str:
        return LOCALES[self.lang]

    def quoted(self, text: str) -> str:
        """``text`` between the language's quotation marks: „…“, « … », “…”."""
        opening, closing = QUOTE_MARKS.get(self.lang, QUOTE_MARKS["en"])
        return f"{opening}{text}{closing}"

    def support(self, n: int, said_by: int | None = None) -> str:
        return self._words.backing(n, said_by)


QUOTE_MARKS = {
    "fr": ("«\u00a0", "\u00a0»"),
    "de": ("„", "“"),
    "nl": ("“", "”"),
    "en": ("“", "”"),
}
"""The quotation marks of each handout language (French with no-break spaces inside)."""

LABELS: dict[str, HandoutLabels] = {lang: HandoutLabels(lang) for lang in LOCALES}


@dataclass
class HandoutItem:
    theme_id: str
    draft: Draft
    quotes: list[Note]
    """At most ``MAX_QUOTES`` of its notes, in the output language first (only in it, where
    it gives ``MIN_QUOTES``): those behind its question, then the one nearest each of its
    first ``ANSWERS`` proposals in turn with the most representative (only these under a
    question about the thing most notes name); none repeating the heading, a proposal or
    another quote."""
    facets: list[Facet] = field(default_factory=list)
    """The themes it gathers, when more than one, but the one its heading names
    (``_aspects``)."""
    heading: str = ""
    """Its title; its reviewed name where the title is the drafter's stand-in ("Untitled
    theme"); empty where both are (the handout says the title is still to be written)."""
    question: str | None = None
    """Its question; ``None`` while it is the drafter's stand-in ("(Question to be written:
    …)"): the handout says the question is still to be written, never the stand-in."""
    approval: str = ApprovalState.PENDING.value


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
    # "Klimarat: Österreich muss …": the proposals leave out whom a consultation's notes
    # address, and so do the quotes.
    labels = workshop_labels(n.text for n in reviewed.notes if n.status is NoteStatus.ACTIVE)
    units = {t.id: t for t in [*reviewed.broad_themes, *reviewed.themes]}
    drafts = {d.theme_id: d for d in reviewed.drafts}
    items = []
    for draft in challenges:
        if reviewed.approvals.get(draft.theme_id) == ApprovalState.REJECTED.value:
            continue
        # The voices behind the question first (the notes its question cites: those that
        # say the same), then the note nearest each of its first proposals, which answer
        # it, in turn with the challenge's most representative notes: quotes on tornado
        # preparedness under a question on downtown festivals read as off-topic, and a
        # broad challenge's centre alone ("Posture d'écoute …") under "… remédier à la
        # concertation de façade ?".
        unit = units.get(draft.theme_id)
        ordered = [*unit.representative_ids, *unit.note_ids] if unit else []
        asked = [] if placeholder_question(draft.challenge.text) else draft.challenge.cites
        # A question about the thing most notes name cites notes naming it, and any idea
        # about it answers: there the representative notes keep the challenge's breadth
        # (the solar half of an energy challenge, the one voice against wind turbines).
        topical = words(draft.language).gettext(STRAND) in draft.flags
        # No quote says the heading or a proposal again: « algorithmes opaques » under
        # "Algorithmes opaques" tells the room nothing.
        shown = [_words(draft.title.text), *(_words(p.text) for p in draft.proposal)]
        answering: list[str] = []  # the note nearest each of the first proposals, one each
        for proposal in [] if topical else draft.proposal[:ANSWERS]:
            near = [  # in the handout's language first; none another proposal says
                i
                for i in proposal.cites[1:]
                if i in by_id
                and i not in answering
                and not any(_alike(_words(by_id[i].text), h) for h in shown)
            ]
            near.sort(key=lambda i: by_id[i].lang != language)
            answering.extend(near[:1])
        cited = [i for p in draft.proposal for i in p.cites]
        # Each near an answer in turn with the most representative notes, which keep the
        # challenge's breadth.
        mixed = [
            i for pair in itertools.zip_longest(answering, ordered[: len(answering)]) for i in pair
        ]
        notes = [
            by_id[i]
            for i in dict.fromkeys([*asked, *mixed, *ordered, *cited])
            if i is not None and i in by_id
        ]
        notes.sort(key=lambda n: n.lang != language)  # stable: cited order within a language
        quotes: list[Note] = []
        for note in notes:
            if not _stands_alone(note):
                continue
            if (text := without_label(note.text, labels)) != note.text:
                note = note.model_copy(update={"text": text})
            said = _words(note.text)
            if not any(_alike(said, other) for other in shown):
                quotes.append(note)
                shown.append(said)
        if sum(1 for q in quotes if q.lang == language) >= MIN_QUOTES:
            # The room reads the handout's language: "« mail na 1 maand » (nl)" under a
            # French challenge that has French voices to quote says nothing to most of it.
            quotes = [q for q in quotes if q.lang == language]
        facets = [t for t in reviewed.themes if t.parent_id == draft.theme_id]
        heading = next(
            (
                name
                for name in (draft.title.text, unit.label if unit else "")
                if name.strip() and not placeholder_title(name)
            ),
            "",
        )
        question = draft.challenge.text
        items.append(
            HandoutItem(
                draft.theme_id,
                draft,
                quotes[:MAX_QUOTES],
                _aspects(draft, facets, drafts, state) if len(facets) > 1 else [],
                heading,
                None if placeholder_question(question) else question,
                reviewed.approvals.get(draft.theme_id, ApprovalState.PENDING.value),
            )
        )
    return items


JOINING_OPENINGS = frozenset({"SCONJ", "CCONJ"})
"""Words that open a list item continuing the one before ("and a summary of what we
heard", "wenn möglich online")."""


def _stands_alone(note: Note) -> bool:
    """Whether a note reads on its own in a quote. An item of a list that a participant
    wrote on one sticky note (a note split into ideas) may lean on the item before it: «
    signée par les élus et la direction » says what is signed only after « charte courte »,
    « über Sportvereine » whom to reach only after "Jugendliche über Schulen erreichen".
    Such an item, opening with a participle, a conjunction, or a preposition and no verb of
    its own, is not quoted; an item that says a thing or an action stands ("horaires
    variés", "in Jugendzentren präsent sein", "publish the room for manoeuvre up front")."""
    if note.parent_id is None or note.lang not in LOCALES:
        return True
    found = [w for w in tag(note.text, note.lang) if w.pos != "PUNCT"]
    if not found:
        return True
    first = found[0]
    if (first.pos in {"VERB", "AUX"} and first.verb_form == "part") or (
        first.pos in JOINING_OPENINGS
    ):
        return False
    return not (first.pos == "ADP" and not any(w.pos in {"VERB", "AUX"} for w in found[1:]))


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
        question = None if placeholder_question(draft.challenge.text) else draft.challenge.text
        return Facet(name, question, [s.text for s in draft.proposal])
    return Facet(name)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?()«»“”\"'").casefold().rstrip("s") for w in text.split()} - {""}


def _alike(a: set[str], b: set[str]) -> bool:
    """Two texts that say the same words: a quote that repeats the heading, a proposal or
    another quote ("communauté de pratique" / "communauté de pratiques") is not shown
    twice."""
    if not (a and b):
        return False
    shared = len(a & b)
    # Or one says all but a word or two of the other, and more: "Wir müssen die
    # Ausbeutungslogik … hinter uns lassen. Das ist …" repeats the proposal it starts with.
    return shared / len(a | b) >= 0.6 or (
        min(len(a), len(b)) >= 3 and shared / min(len(a), len(b)) >= 0.8
    )


def _proposal_text(text: str, language: str = "en") -> str:
    """A proposal as the handout prints it: one the drafter cut ("… in society- rewrite …")
    ends at a sentence, a clause or a word that closes what it says."""
    words = text.split()
    if len(words) > 1 and words[-1] == "…":
        return _one_ellipsis(cut_words(words[:-1], language))
    return " ".join(words)


_WRITERS_ELLIPSIS = re.compile(r"(?:\.{2,}|…)[\"'”“»)\]]*$")
"""A text that ends with an ellipsis its writer typed ("… compenser...", "département,...)")."""
_MASKS = (("...", "\ue000"), ("…", "\ue001"))
"""An ellipsis a writer typed inside a text, hidden while cutting: it ends no sentence."""


def _excerpt(text: str, language: str, limit: int = MAX_QUOTE_WORDS) -> str:
    """A participant's text as the handout quotes it: whole when it is short or only a few
    words too long; else cut as ``pipeline.prepare.shorten`` cuts, but never at an ellipsis
    the writer typed ("(mairies, département,...)" ends no sentence: cut there, the quote
    said nothing), and with no second ellipsis where the kept words end with one."""
    words = text.split()
    if len(words) <= limit + QUOTE_SLACK:
        return " ".join(words)
    head = words[:limit]
    for typed, mask in _MASKS:
        head = [w.replace(typed, mask) for w in head]
    cut = cut_words(head, language)
    for typed, mask in _MASKS:
        cut = cut.replace(mask, typed)
    return _one_ellipsis(cut)


def _one_ellipsis(text: str) -> str:
    """``text`` without the cut's " …" where the words before it already end with an
    ellipsis ("compenser... …" is "compenser..."): one says as much as two."""
    if text.endswith(ELLIPSIS) and _WRITERS_ELLIPSIS.search(text[: -len(ELLIPSIS)].rstrip()):
        return text[: -len(ELLIPSIS)].rstrip()
    return text


def _quote(note: Note, language: str, with_authors: bool) -> str:
    labels = LABELS.get(language, LABELS["en"])
    text = labels.quoted(_excerpt(note.text, note.lang))
    if note.lang != language:
        text += f" ({note.lang})"
    author = note.metadata.get("author", "").strip()
    if with_authors and author:
        text += f" — {author}"
    return text


def _proposal_line(sentence: Sentence, labels: HandoutLabels) -> str:
    total = len(set(sentence.cites))
    return (
        f"{_proposal_text(sentence.text, labels.lang)} ({labels.support(total, sentence.said_by)})"
    )


def _set_language(document: docx.document.Document, locale: str) -> None:
    """The document's language, for spelling and for screen readers."""
    document.core_properties.language = locale
    properties = document.styles["Normal"].element.get_or_add_rPr()
    for old in properties.findall(qn("w:lang")):
        properties.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), locale)
    properties.append(lang)


def _set_paper(document: docx.document.Document, locale: str) -> None:
    """A4 for every handout but one of a US or Canadian workshop (US Letter), with the
    margins python-docx's template sets for Letter."""
    if locale in LETTER_LOCALES:
        return
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)


def _example(items: list[HandoutItem], labels: HandoutLabels) -> str:
    """How a card names the handout's first challenge: "Défi 1"."""
    return f"{labels.challenge} {challenge_number(items[0].theme_id)}"


def handout_docx(run: RunResult, state: ReviewState, *, with_authors: bool = False) -> bytes:
    language = handout_language(run)
    labels = LABELS[language]
    document = docx.Document()
    title = document_text(f"{run.manifest.workshop} — {labels.title}")
    document.core_properties.title = title
    _set_language(document, labels.locale)
    _set_paper(document, labels.locale)
    document.add_heading(title, level=0)
    items = handout_items(run, state)
    if not items:
        document.add_paragraph(labels.none)
    else:
        document.add_paragraph(labels.cards_hint(_example(items, labels)))
        document.add_paragraph(labels.order_hint)
    for k, item in enumerate(items):
        heading = labels.numbered(item.theme_id, item.heading or labels.title_pending)
        # Each challenge on a page of its own: printed, the pages go to the tables that
        # work on them, and a challenge split over two pages goes to two tables.
        added = document.add_heading(document_text(heading), level=1)
        added.paragraph_format.page_break_before = k > 0
        if item.question is not None:
            document.add_paragraph(document_text(item.question), style="Intense Quote")
        else:
            pending = document.add_paragraph(style="Intense Quote")
            pending.add_run(labels.question_pending).italic = True
        if item.facets:
            document.add_heading(labels.facets, level=2)
            for facet in item.facets:
                line = document.add_paragraph(style="List Bullet")
                name = labels.title_pending if placeholder_title(facet.name) else facet.name
                line.add_run(document_text(name)).bold = bool(facet.question)
                if facet.question:
                    line.add_run(document_text(f" — {facet.question}"))
                for proposal in facet.proposals:
                    document.add_paragraph(
                        document_text(_proposal_text(proposal, language)), style="List Bullet 2"
                    )
        if item.draft.proposal:
            document.add_heading(labels.proposals, level=2)
            for i, sentence in enumerate(item.draft.proposal, 1):
                # Numbered as in handout.md ("1.", "2." under each challenge): Word's own
                # numbered list would run on from one challenge to the next.
                line = document.add_paragraph(
                    document_text(f"{i}. {_proposal_line(sentence, labels)}")
                )
                line.paragraph_format.left_indent = Cm(0.75)
                line.paragraph_format.first_line_indent = Cm(-0.75)
        elif item.quotes:
            document.add_heading(labels.proposals, level=2)
            document.add_paragraph().add_run(labels.no_proposals).italic = True
        if item.quotes:
            document.add_heading(labels.quotes, level=2)
            for note in item.quotes:
                quote = document_text(_quote(note, language, with_authors))
                document.add_paragraph(quote, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_SPACES = re.compile(r"[^\S\u00a0\u202f]+")
"""Spaces a Markdown line folds: every white space but the no-break ones French sets."""


_BLOCK_START = re.compile(r"^(?:>|~~~|(?:#{1,6}|[+=-]|\d{1,9}[.)])(?=\s|$))")
"""What opens a block where a line starts (a heading, a quote, a list item); elsewhere in the
line the same characters are text ("Energieversorgung ist öffentliches Interesse ->
Energieversorger …" was written "-\\>")."""


_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
"""Hashes ending a heading after a space close it, and would be dropped ("Budget #")."""


def _md(text: str) -> str:
    """One line of text that Markdown shows as written (no headings, lists, emphasis, links
    or HTML)."""
    flat = _SPACES.sub(" ", document_text(text)).strip()  # no-break spaces stay: « … »
    for char in "\\`*_[]<|":
        flat = flat.replace(char, "\\" + char)
    if marker := _BLOCK_START.match(flat):
        flat = flat[: marker.end() - 1] + "\\" + flat[marker.end() - 1 :]
    return _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), flat)


def handout_markdown(run: RunResult, state: ReviewState, *, with_authors: bool = False) -> str:
    language = handout_language(run)
    labels = LABELS[language]
    lines = [f"# {_md(run.manifest.workshop)} — {labels.title}", ""]
    items = handout_items(run, state)
    if not items:
        lines += [labels.none, ""]
    else:
        lines += [_md(labels.cards_hint(_example(items, labels))), ""]
        lines += [_md(labels.order_hint), ""]
    for item in items:
        heading = labels.numbered(item.theme_id, _md(item.heading or labels.title_pending))
        lines += [f"## {heading}", ""]
        if item.question is not None:
            lines += [f"**{labels.question}** {_md(item.question)}", ""]
        else:
            lines += [f"**{labels.question}** *{_md(labels.question_pending)}*", ""]
        if item.facets:
            lines += [f"### {labels.facets}", ""]
            for facet in item.facets:
                name = labels.title_pending if placeholder_title(facet.name) else facet.name
                if facet.question:
                    lines.append(f"- **{_md(name)}** — {_md(facet.question)}")
                else:
                    lines.append(f"- {_md(name)}")
                lines += [
                    f"  - {_md(_proposal_text(proposal, language))}" for proposal in facet.proposals
                ]
            lines.append("")
        if item.draft.proposal:
            lines += [f"### {labels.proposals}", ""]
            lines += [
                f"{i}. {_md(_proposal_line(s, labels))}"
                for i, s in enumerate(item.draft.proposal, 1)
            ] + [""]
        elif item.quotes:
            lines += [f"### {labels.proposals}", "", f"*{_md(labels.no_proposals)}*", ""]
        if item.quotes:
            lines += [f"### {labels.quotes}", ""]
            lines += [f"- {_md(_quote(n, language, with_authors))}" for n in item.quotes] + [""]
    return "\n".join(lines)


def _cell(value: str) -> str:
    """A spreadsheet cell: no control characters, and a leading ``'`` where it would start
    like a formula."""
    value = document_text(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def themes_csv(run: RunResult, state: ReviewState) -> str:
    """Every reviewed challenge and theme, as the reports show them (one row each: a theme's
    ``part_of`` is its challenge); cells that start like a formula are prefixed with ``'``.

    ``size`` counts a unit's ideas, ``notes`` the notes they come from (a note split into
    several ideas counts once, as the reports count it). ``proposal`` holds a draft's
    proposals one per line (a line break inside the cell), and
    ``proposal_1``, ``proposal_1_notes``, ``proposal_2``, … each proposal and how many notes
    are close to it in meaning (the count the handout shows), as many pairs as the run's
    longest list of proposals."""
    reviewed = reviewed_result(run, state)
    drafts = {d.theme_id: d for d in reviewed.drafts}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    units: list[tuple[ThemeState, str]] = [
        *((c, "challenge") for c in state.challenges.values()),
        *((t, "theme") for t in state.themes.values()),
    ]
    most = max((len(drafts[u.id].proposal) for u, _ in units if u.id in drafts), default=0)
    writer.writerow(
        [
            "theme_id",
            "label",
            "size",
            "notes",
            "approval",
            "title",
            "challenge",
            "proposal",
            *(f"proposal_{i}{end}" for i in range(1, most + 1) for end in ("", "_notes")),
            "note_ids",
            "level",
            "part_of",
        ]
    )
    cell = _cell

    labels = {t.id: t.label for t in [*reviewed.broad_themes, *reviewed.themes]}
    counted = {t.id: t.note_count for t in [*reviewed.broad_themes, *reviewed.themes]}
    for unit, level in units:
        draft = drafts.get(unit.id)
        proposals = [" ".join(s.text.split()) for s in draft.proposal] if draft else []
        each: list[str | int] = []
        for i in range(most):
            if draft is not None and i < len(draft.proposal):
                each += [cell(proposals[i]), len(set(draft.proposal[i].cites))]
            else:
                each += ["", ""]
        writer.writerow(
            [
                unit.id,
                cell(labels.get(unit.id, unit.label)),
                unit.size,
                counted.get(unit.id, unit.size),
                reviewed.approvals.get(unit.id, ApprovalState.PENDING.value)
                if draft
                else "no draft",
                cell(draft.title.text if draft else ""),
                cell(draft.challenge.text if draft else ""),
                cell("\n".join(proposals)),
                *each,
                " ".join(unit.note_ids),
                level,
                unit.parent_id or "",
            ]
        )
    return buffer.getvalue()


def notes_csv(run: RunResult, state: ReviewState) -> str:
    """Every note of the run with its text, for analysts: where the review put it
    (``theme_id``, its challenge ``part_of``) and its ``status``: ``theme``, ``unassigned``,
    ``noise``, or, for a note preparation set aside, ``rejected`` (with ``reject_reason``) or
    ``split`` (its ideas are the notes whose ``parent_id`` it is). Names no author. Cells that
    start like a formula are prefixed with ``'``."""
    where: dict[str, ThemeState] = {}
    for unit in state.themes.values():
        for nid in unit.note_ids:
            where[nid] = unit
    unassigned, noise = set(state.unassigned), set(state.noise)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "note_id",
            "theme_id",
            "part_of",
            "status",
            "language",
            "text",
            "source",
            "location",
            "parent_id",
            "duplicate_of",
            "reject_reason",
        ]
    )
    for note in run.notes:
        theme = where.get(note.id)
        if theme is not None:
            status = "theme"
        elif note.id in noise:
            status = "noise"
        elif note.id in unassigned or note.status is NoteStatus.ACTIVE:
            status = "unassigned"
        else:
            status = note.status.value
        writer.writerow(
            [
                note.id,
                theme.id if theme else "",
                (theme.parent_id or "") if theme else "",
                status,
                note.lang,
                _cell(note.text),
                _cell(note.source),
                _cell(note.location),
                note.parent_id or "",
                note.duplicate_of or "",
                _cell(note.reject_reason or ""),
            ]
        )
    return buffer.getvalue()


def handout_notices(run: RunResult, state: ReviewState) -> list[str]:
    """One line per challenge of the handout that is not ready for the room, in the run's
    language: its question or title still the drafter's stand-in (the handout says it is
    still to be written), or its draft not approved yet, with the first thing its draft
    asks the reviewer to check. ``ideasynth export`` prints them."""
    language = handout_language(run)
    said = words(language)
    lines = []
    for item in handout_items(run, state):
        name = item.heading or item.draft.title.text
        values = {"id": item.theme_id, "name": name}
        if item.question is None:
            lines.append(
                said.gettext(
                    "%(id)s “%(name)s”: the question is still to be written; the handout says so",
                    **values,
                )
            )
        elif not item.heading:
            lines.append(
                said.gettext(
                    "%(id)s “%(name)s”: the title is still to be written; the handout says so",
                    **values,
                )
            )
        elif item.approval != ApprovalState.APPROVED.value and item.draft.flags:
            # What the reviewer should check before the room sees it: "… asks about the
            # title: check it when reviewing" on a question as general as "… beim Thema
            # Klima neue Wege gehen?".
            # The first flag, and how many more the review shows (a misspelt word or a
            # proposal to translate after a question to check went unsaid).
            more = len(item.draft.flags) - 1
            lines.append(
                said.gettext(
                    "%(id)s “%(name)s”: not approved yet in the review; to check: %(flag)s",
                    flag=item.draft.flags[0],
                    **values,
                )
                + (
                    said.ngettext(
                        " (and %(num)d more in the review)",
                        " (and %(num)d more in the review)",
                        more,
                    )
                    if more
                    else ""
                )
            )
        elif item.approval != ApprovalState.APPROVED.value:
            lines.append(
                said.gettext("%(id)s “%(name)s”: not approved yet in the review", **values)
            )
    return lines


def reviewed_state(run_dir: Path, run: RunResult | None = None) -> tuple[RunResult, ReviewState]:
    run = run or load_run(run_dir)
    return run, replay(run, DecisionLog(Path(run_dir) / DECISIONS_DB).read())


def export_all(
    run_dir: Path, *, with_authors: bool = False, notices: list[str] | None = None
) -> dict[str, Path]:
    """Write the four exports under ``RUN_DIR/exports/``; returns name → path. The handout
    names participants only ``with_authors``. ``notices`` gets one line per challenge not
    ready for the room (``handout_notices``)."""
    run, state = reviewed_state(run_dir)
    if notices is not None:
        notices.extend(handout_notices(run, state))
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
        NOTES_CSV: atomic_write_text(out / NOTES_CSV, notes_csv(run, state)),
    }


def refresh_report(run_dir: Path, run: RunResult, state: ReviewState) -> Path:
    """Rewrite ``report.html`` and ``report.md`` from the reviewed view of the run (renames,
    merges, moves, edited and approved drafts); returns the HTML report's path."""
    from pipeline.review.reviewed import write_reviewed_reports

    write_reviewed_reports(run_dir, run, state)
    return Path(run_dir) / REPORT_HTML
