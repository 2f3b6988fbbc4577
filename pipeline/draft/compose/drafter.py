"""The ``compose`` drafter: Day 2 material from the participants' own words, offline.

For a challenge or a facet it writes:

- a **title**: the noun phrase of its notes that the largest share of them is close to;
  once the question's note is known, that note's own phrase for what the question asks
  about (else the best phrase near it), so that both name the same thing (``titles``);
- a **challenge**: a "How might we …?" question built by rules (``questions``) from a note
  the unit's notes back, in the output language; where no note in that language can become
  one, a question in the note's own language, flagged; where none can, a question about the
  title or a flagged placeholder;
- **proposals**: 3 to 6 distinct actionable ideas of its notes, near-duplicates merged (in
  any language, by the run's embeddings), ranked by the notes that back each (all cited),
  each said by a note in the output language where one exists and otherwise in its own,
  tagged;
- the next two titles and questions, as alternatives for the review.

A challenge that gathers several facets is drafted from their drafts (``draft_challenge``).

It writes no fact of its own: every sentence is a note's words plus, for the question, the
stem, one verb and an article. Every sentence cites the notes it comes from. It is
deterministic: the same notes and vectors give the same draft.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from pipeline.draft.compose import checks, grammar
from pipeline.draft.compose.checks import MIN_QUESTION_WORDS, german_agreement_errors
from pipeline.draft.compose.forms import Form, FormKind, form_of, opposes
from pipeline.draft.compose.nouns import german_slip
from pipeline.draft.compose.questions import (
    LONE_QUALIFIER_NOTES,
    as_titled,
    as_written,
    opens_a_qualifier,
    question,
    without_lone_qualifier,
    written_as_words,
)
from pipeline.draft.compose.rules import RULES
from pipeline.draft.compose.spelling import misspells, misspelt
from pipeline.draft.compose.tagging import (
    SPACE_BEFORE_MARK,
    Word,
    join,
    tag,
    tag_many,
    unshouted,
    without_links,
)
from pipeline.draft.compose.titles import (
    BARE_HEADS,
    COMPLETED_TITLE_WORDS,
    GENERIC_HEADS,
    PEOPLE,
    VAGUE_ALONE,
    Title,
    noun_phrases,
    title_candidates,
)
from pipeline.draft.compose.topics import Topic, shared_topic, topic_question
from pipeline.draft.compose.urging import refuses_what_it_names, urging, without_stance
from pipeline.draft.compose.wording import WORDING
from pipeline.ground import match_key
from pipeline.i18n import N_, words
from pipeline.prepare import child_id
from pipeline.prepare.abbreviations import shortens, split_sentences
from pipeline.prepare.shorten import ELLIPSIS, shortened
from pipeline.prepare.split import written_as_list
from pipeline.schema import Draft, Note, NoteStatus, Sentence, Theme

MAX_PROPOSALS = 6
ACTIONABLE = frozenset({FormKind.ACTION, FormKind.PROPOSAL})
"""The forms of a note that say what to do: a proposal is one of them."""
MIN_PROPOSALS = 3
SAME_IDEA = 0.72
"""Cosine (run embeddings) from which two notes in one language are one idea said twice.
Notes of one theme share words and topic, so two different ideas in one language often
score 0.55 to 0.7 ("Formation facilitation pour les chefs de projet" / "Coaching par des
facilitateurs expérimentés …" 0.51)."""
SAME_IDEA_ACROSS_LANGUAGES = 0.55
"""The same across two languages, where the same proposal scores lower: 0.54 to 0.86 with
``use-m3`` ("Former les agents à l'écoute active" / "Ambtenaren opleiden in actief
luisteren" 0.64, "Leichte Sprache für alle Einladungen" / "Eenvoudige taal in alle
uitnodigingen" 0.86); looser translations (0.43 to 0.51) stay apart."""
TITLE_CANDIDATES = 40
"""Noun phrases (best by keyphrases) whose embeddings are compared with the theme's."""
MAX_PROPOSAL_WORDS = 22
PROPOSAL_SLACK = 3
"""A proposal at most this many words over ``MAX_PROPOSAL_WORDS`` is kept whole: cut, "…
so that the UBI supplements wages" lost only "wages", and with it what it says."""
TITLE_BONUS = 0.3
"""Weight of a note's closeness to the title when choosing the challenge's note."""
SUPPORT_QUANTILE = 0.9
"""Two notes of a unit are close when their cosine is among the unit's top 10 % of pairs."""
SUPPORT_WEIGHT = 0.3
"""Weight of a note's backing (how many of the unit's notes are close to it, over the most
any note has) when choosing the challenge's note."""
TITLE_CLOSE_QUANTILE = 0.75
"""A note is close to a candidate title when their cosine is among the top quarter of all
note-title cosines of the unit (a scale of the unit's own, whatever the embedder)."""
VOTE_WEIGHT = 0.5
"""Weight of a title's support (the share of the unit's notes close to it) next to its
closeness to the unit's centre."""
DECIMALS = 4
"""Cosines and scores are compared at this precision: a vector read back from the cache and
the same vector computed in another batch differ in their last bits, and a near-tie must not
flip with them (a resumed batch gives the same drafts as an uninterrupted one)."""
ALTERNATIVES = 2
"""Next best titles and questions kept beside the draft for the review."""
MEMO_SIZE = 2048
"""Drafts a drafter remembers (a review re-drafts many states of its units)."""
LONE_QUESTION_SIZE = 10
"""From this many notes, a question no other note of the unit backs is flagged."""
FEW_IN_LANGUAGE_SHARE = 0.15
"""Under this share of a unit's notes in the run's language, they do not name or ask it
where another language has more: 2 French notes of 34 on electoral reform headed it "Charte
signée par le DG". The sample's units are never under it (its least French unit of ten notes
or more is 26 % French, its least Dutch 17 % Dutch)."""
QUESTION_MAKERS_SHARE = 0.1
"""Under this share of a challenge's notes making its question's idea, the question is
flagged for review (``_one_notes_question_told``)."""
TOLD_CHALLENGE_SIZE = 5
"""From this many notes, a challenge whose question one note alone makes is flagged however
small it is: "… hochverarbeitete Lebensmittel deutlich höher besteuern?", 1 of 8 notes on
taxes in general, went unflagged while the threshold was ``LONE_QUESTION_SIZE``."""
STRAND_SHARE = 0.2
"""A question whose note fewer than this share of its unit backs, and which lies farther from
the heading than most notes do, speaks for a strand: a heading naming a problem is asked
instead."""
CORNER_QUANTILE = 0.25
"""When the question asks about the heading instead, the ideas farther from the heading than
this share of the unit's notes (``_closeness_around``) are not proposed, when they are also
``CORNER_SPREAD`` deviations below the notes' median closeness."""
CORNER_SPREAD = 2.0
"""How far below the unit's median closeness to its heading, in (robust) standard deviations,
an idea must lie to be in a corner the question does not ask about."""
MAD_TO_SIGMA = 1.4826
"""The median absolute deviation of normal data times this is its standard deviation."""
AROUND = 5
"""Nearest notes of the unit whose closeness to the heading is averaged with a note's own."""
LEADING_SHARE = 0.5
"""A challenge's facet at least this share of its largest whose question names a problem
leads it: the other facets' measures answer it."""
LEAD_WEIGHT = 1.0
"""Weight of a title's closeness to the note the question is built from, once it is known."""
TRANSLATED = 0.4
"""A proposal in another language is read as one listed above it, translated, when that one
is the idea in the workshop's language closest to it and their cosine is at least this
("Follow-up meeting 6 months later" and "Réunion de restitution quelques mois après": 0.52;
"Datenschutz bei Online-Beteiligung klären" and "Protection des données personnelles des
participants": 0.49): it is not listed again among the answers."""
ANSWERING = 2
"""After the question's own idea, this many ideas are listed by how close they are to what
the question asks (of those several notes back), before the rest by their backing."""
LARGE_FACET = 1 / 3
"""The share of a challenge's notes a facet holds for one of its ideas to be among the first
proposals under a question every facet answers (``_every_large_facet``)."""
SLIPS_CHECKED = 8
"""How many of a unit's best question candidates are checked for a copied slip: the question
and its alternatives come from the first few."""
LEAD_FIRST = 0.5
"""The idea the question is built from is listed first when its support is at least this
share of the best-supported idea's: heading, question and first proposal then name the same
thing, and the ranking by support still reads as one."""
FORM_BONUS = {FormKind.ACTION: 0.12, FormKind.PROPOSAL: 0.05, FormKind.PROBLEM: 0.04}
"""How much a form adds to a note's centrality when choosing the challenge's note: an
action says what to do; a proposal's question needs a generic verb; a problem is turned
around."""


def _length_cost(title: str) -> float:
    """What a title's length costs it: a single word 0.05, then 0.02 per word past four."""
    n = len(title.split())
    return 0.05 if n == 1 else 0.02 * max(n - 4, 0)


@dataclass
class _Member:
    note: Note
    words: list[Word]
    form: Form | None
    centrality: float
    urges: list[Word] | None = None
    """Without a form, the sentence that urges an action no question can be built from
    (``urging``): the note is still a proposal."""

    @property
    def actionable(self) -> bool:
        """Whether the note says what to do: a proposal or an action, or it urges one."""
        return (self.form is not None and self.form.kind in ACTIONABLE) or self.urges is not None


@dataclass
class _Idea:
    members: list[_Member]

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def formed(self) -> bool:
        """Whether a note makes it as a measure a question could be built from, not only
        urges it (``_Member.urges``)."""
        return any(m.form is not None and m.form.kind in ACTIONABLE for m in self.members)


TextEmbedder = Callable[[list[str]], np.ndarray]

Drafting = Generator[list[str], np.ndarray, Draft]
"""A unit's drafting, paused where it needs texts in the embedding space: it yields the
texts and is sent their vectors, one row per text (``ComposingDrafter._draft_many``)."""
DraftKey = tuple[object, ...]


class ComposingDrafter:
    """Drafts from the notes' own words.

    ``vectors`` (note id → run embedding) make it merge ideas across languages and rank notes
    by centrality; without them it uses the theme's representative order and merges only
    notes that read the same. ``embed`` (the run's embedder) lets it choose the title whose
    meaning is closest to the theme's centre, as KeyBERT does; without it the title is the
    noun phrase with the best keyphrases."""

    name = "compose"

    def __init__(
        self,
        vectors: Mapping[str, np.ndarray] | None = None,
        embed: TextEmbedder | None = None,
    ) -> None:
        self.vectors = vectors
        self.embed = embed
        self._drafted: dict[tuple[object, ...], Draft] = {}
        """Drafts by unit, notes and language: a challenge's facets are drafted for it and
        again as facets; the rules give the same draft for the same notes."""
        self._everywhere: tuple[int, frozenset[str]] = (0, frozenset())
        """The workshop's notes (by ``id``) and the words most of them use
        (``_workshop_words``)."""
        self._labels: frozenset[str] = frozenset()
        """The labels many of the workshop's notes open with (``workshop_labels``)."""
        self._in_prose: frozenset[str] = frozenset()
        """The ideas split out of a note written as prose, after its first sentence
        (``_continuing``); a list's items each stand alone."""
        self._norms: dict[str, tuple[np.ndarray, np.floating]] = {}
        """Each note's vector as ``_similar`` reads it, with its norm: it compares every
        pair of a unit's notes (56,000 pairs at 10,000 notes)."""
        self._refusing: set[str] = set()
        """The notes that say an idea refusing what it names ("Kein Aufstellen von
        Windrädern auf Bergen"; ``refuses_what_it_names``): under a question about a thing,
        the other side of its debate (``_balanced``)."""
        self._urged: set[str] = set()
        """The notes that say an idea no note makes as a measure, only urges (a proposal's
        first citation): a challenge lists them after its facets' measures, as a unit does."""
        self._slipped: set[str] = set()
        """The notes whose proposal copies a slip of theirs (``checks.copies_slip``, read
        from the words tagged already), or, split out of a note after its first idea, points
        back to what the note said before (``checks.points_back``: "… supporting these
        workers …"): a proposal that stands on its own comes before it (``_slips_later``)."""
        self._broadened: set[str] = set()
        """The notes whose question was asked without a qualifier no other note names
        (``without_lone_qualifier``): the question is then more than their idea alone."""

    def with_vectors(
        self, vectors: Mapping[str, np.ndarray], embed: TextEmbedder | None = None
    ) -> ComposingDrafter:
        return ComposingDrafter(vectors, embed)

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        """The draft of ``theme``; never raises for what its notes say: a unit the rules
        cannot draft for an unforeseen reason gets a flagged draft that says so, and the
        run (or the review's re-draft) goes on. The question's own idea comes after the
        first answers when it only says the question again (``_repeat_after_answers``)."""
        drafted = self._draft_many([theme], notes, language)[0]
        return _repeat_after_answers(drafted, notes, self._slipped)

    def _draft_many(
        self, units: Sequence[Theme], notes: Mapping[str, Note], language: str
    ) -> list[Draft]:
        """The drafts of ``units`` (as ``draft`` writes each), drafted side by side: each
        unit's drafting pauses where it needs texts embedded (its title candidates, its
        title, the phrases near its question), and the texts all of them need at that point
        are embedded in one call. The run's embedder costs about as much per call as per
        text for one unit's few short phrases (``use-m3`` sets its BLAS threads' limit and
        the cache opens a transaction on every call, and on a loaded machine both wait for
        a core): a 10,000-note run's facets, drafted one by one, made 330 calls for 586 new
        phrases. A unit's draft does not depend on the units beside it: it gets its own
        texts' vectors, which differ only in their last bits with the batch a text was
        first embedded in (so does a vector read back from the cache, and cosines are
        compared at ``DECIMALS``)."""
        keys: list[DraftKey] = [
            (
                unit.id,
                tuple(unit.note_ids),
                tuple(unit.keyphrases),
                tuple(unit.representative_ids),
                language,
            )
            for unit in units
        ]
        done: dict[DraftKey, Draft] = {}
        steps: dict[DraftKey, Drafting] = {}
        if self._everywhere[0] != id(notes):
            self._everywhere = (id(notes), _workshop_words(notes.values()))
            # One text per note: the ideas split out of a note after its first open with
            # no label and would thin its share ("Klimarat:" in 9 of 300 notes, 310 ideas).
            self._labels = workshop_labels(
                n.text
                for n in notes.values()
                if n.status is not NoteStatus.SPLIT and not _follows_in_its_note(n)
            )
            prose = {
                n.id
                for n in notes.values()
                if n.status is NoteStatus.SPLIT and not written_as_list(n.text)
            }
            self._in_prose = frozenset(
                n.id for n in notes.values() if n.parent_id in prose and _follows_in_its_note(n)
            )
        for unit, key in zip(units, keys, strict=True):
            if (known := self._drafted.get(key)) is not None:
                done[key] = known
            elif key not in steps:
                steps[key] = self._drafting(unit, notes, language)
        ended: dict[DraftKey, Draft | Exception] = {}
        asks: dict[DraftKey, list[str]] = {}

        def advance(
            key: DraftKey, vectors: np.ndarray | None = None, error: Exception | None = None
        ) -> None:
            """Runs a unit's drafting to its next pause (``asks``) or its end (``ended``)."""
            try:
                if error is not None:
                    asks[key] = steps[key].throw(error)
                elif vectors is not None:
                    asks[key] = steps[key].send(vectors)
                else:
                    asks[key] = next(steps[key])
            except StopIteration as finished:
                ended[key] = finished.value
            except Exception as failed:  # one odd note must not lose the night's run
                ended[key] = failed

        for key in steps:
            advance(key)
        while asks:
            waiting = dict(asks)
            asks.clear()
            texts = list(dict.fromkeys(text for ask in waiting.values() for text in ask))
            try:
                assert self.embed is not None  # a unit asks only when there is an embedder
                matrix = np.asarray(self.embed(texts), dtype=np.float64)
            except Exception as error:  # each unit fails as its own call would have
                for key in waiting:
                    advance(key, error=error)
                continue
            row = {text: i for i, text in enumerate(texts)}
            for key, ask in waiting.items():
                advance(key, matrix[[row[text] for text in ask]])
        for unit, key in zip(units, keys, strict=True):
            if key in done:
                continue
            draft = ended[key]
            if isinstance(draft, Exception):
                if not any(i in notes for i in unit.note_ids):
                    raise draft
                draft = unwritten_draft(unit, notes, language, self.name, draft)
            if len(self._drafted) >= MEMO_SIZE:
                self._drafted.clear()
            self._drafted[key] = done[key] = draft
        return [done[key].model_copy(deep=True) for key in keys]

    def draft_challenge(
        self,
        challenge: Theme,
        facets: Sequence[Theme],
        notes: Mapping[str, Note],
        language: str,
    ) -> Draft:
        """The draft of a challenge that gathers ``facets``: the heading and the question
        of its leading facet (among those whose question a note in the output language
        asks, one at least ``LEADING_SHARE`` of the largest whose question names a problem
        several notes name, whose measures the other facets' ideas are, else the one whose
        question the most notes back, whatever its size: "… remédier aux algorithmes
        opaques ?", six notes, over the larger facet's "… réaliser un audit indépendant des
        algos avant mise en service ?", two), so that heading, question and first proposal
        name one thing the room can work on; its proposals answer that question first (the
        leading facet's ideas that several notes back), then the other facets' ideas, by
        the notes behind each. When that question is few notes' and most of the
        challenge's notes name one thing, it asks about that thing (``_one_thing``). The
        other facets' headings and questions are its alternatives: one click in the review
        turns the challenge towards another of its facets. A challenge of one facet (or
        none at hand) is drafted from its notes."""
        parts = [f for f in facets if any(i in notes for i in f.note_ids)]
        if len(parts) < 2:
            drafted = self.draft(challenge, notes, language)
            return _proposals_told(
                _one_notes_question_told(drafted, challenge, self._broadened), notes
            )
        try:
            drafted = self._from_facets(challenge, parts, notes, language)
            asking = drafted.challenge.cites[:1]
            leading = next((f for f in parts if set(asking) & set(f.note_ids)), None)
            drafted = _repeat_after_answers(
                drafted,
                notes,
                self._slipped,
                frozenset(leading.note_ids) if leading is not None else frozenset(),
            )
            return _proposals_told(
                _one_notes_question_told(drafted, challenge, self._broadened), notes
            )
        except Exception as error:  # as ``draft``: the run goes on, flagged
            return unwritten_draft(challenge, notes, language, self.name, error)

    def _from_facets(
        self, challenge: Theme, facets: list[Theme], notes: Mapping[str, Note], language: str
    ) -> Draft:
        drafted = list(zip(facets, self._draft_many(facets, notes, language), strict=True))
        asked_in = language if language in RULES else "en"

        def asked(draft: Draft) -> bool:
            """A note in the output language asks its question (not the placeholder, not
            another language's note awaiting translation)."""
            lead = notes.get(draft.challenge.cites[0])
            return (
                draft.challenge.text != WORDING[asked_in].no_question
                and lead is not None
                and lead.lang == asked_in
            )

        size = {f.id: sum(1 for i in f.note_ids if i in notes) for f in facets}
        centre = self._centroid([notes[i] for i in challenge.note_ids if i in notes])
        closeness = {f.id: 0.0 for f in facets}
        for facet in facets:
            own = self._centroid([notes[i] for i in facet.note_ids if i in notes])
            if centre is not None and own is not None:
                closeness[facet.id] = round(float(own @ centre), DECIMALS)

        def backing(draft: Draft) -> int:
            """The notes behind the idea the facet's question asks (its first proposal,
            when that is the question's idea), else the question's own citations."""
            asking = draft.challenge.cites[0]
            if draft.proposal and asking in draft.proposal[0].cites:
                return len(draft.proposal[0].cites)
            return 1

        largest = max(size.values())

        def problem(facet: Theme, draft: Draft) -> bool:
            lead = notes.get(draft.challenge.cites[0])
            if lead is None or size[facet.id] < LEADING_SHARE * largest:
                return False
            form = form_of(lead.text, lead.lang)
            return (
                form is not None
                and form.kind is FormKind.PROBLEM
                and question(form, lead.lang) == draft.challenge.text
                and len(draft.challenge.cites) > 1  # several notes name the problem
            )

        # The question most notes back leads, a small facet's too: the question a larger
        # facet asks may speak for few of its notes.
        drafted.sort(
            key=lambda item: (
                not asked(item[1]),
                not problem(*item),
                -backing(item[1]),
                -size[item[0].id],
                -closeness[item[0].id],
                item[0].id,
            )
        )
        lead = drafted[0][1]
        strand = words(asked_in).gettext(STRAND)
        named = None if strand in lead.flags else self._one_thing(challenge, notes, asked_in, lead)
        topic, speaking = named if named is not None else (None, asked_in)
        others = [d for _, d in drafted[1:]]
        titles = _distinct([lead.title, *(d.title for d in others), *lead.title_alternatives])
        questions = _distinct(
            [
                lead.challenge,
                *(d.challenge for d in others if asked(d)),
                *lead.challenge_alternatives,
            ]
        )
        if topic is not None:
            # The facet's question is one note's, but most of the challenge's notes name one
            # thing: the challenge asks about it, as a unit would ("… beim Thema Wärme neue
            # Wege gehen?" over "… ein Verbot fossiler Heizungen im Neubau einführen?", one
            # note's ban in 19 notes on heating buildings); every facet's ideas answer it.
            cited = list(topic.note_ids[:5])
            titles = _distinct([Sentence(text=topic.text, cites=cited), *titles])
            asked_topic = Sentence(text=topic_question(topic, speaking), cites=cited)
            questions = _distinct([asked_topic, *questions])
        rank = {id(p): k for k, p in enumerate(p for _, d in drafted for p in d.proposal)}
        pool = [p for _, d in drafted for p in d.proposal]
        asking = lead.challenge.cites[0]
        # The proposals under the question answer it: the leading facet's ideas that
        # several notes back come first, in its order (the idea its question asks leads
        # when notes back it), then every other idea by its backing. The other facets'
        # ideas are listed again under their own questions: "We should focus on flipping
        # Congress …" (another facet's) is no answer to "How might we get all elections to
        # use ranked choice voting?".
        first = [
            p
            for k, p in enumerate(lead.proposal)
            if len(p.cites) > 1 or (k == 0 and asking in p.cites)
        ]
        if topic is not None or problem(*drafted[0]):
            # Every facet's measures answer a problem: "Droit de recours …", "Charte anti
            # participation-alibi …" under "… remédier à la concertation de façade ?", by
            # the notes behind each, not the problem's own facet's first.
            first = []
        rest = sorted(
            (p for p in pool if p not in first),
            key=lambda p: listing_order(len(p.cites), p.cites[0] not in self._urged, -rank[id(p)]),
        )
        listed = _distinct([*first, *rest])
        answers = min(len(first), 1 + ANSWERING)  # the question's idea and its answers
        proposals = self._translations_last(listed, notes, asked_in, answers)
        # The question's own idea stays first, slip or not: the question says it anyway.
        kept = 1 if first and asking in first[0].cites else 0
        later = self._continuing(proposals, notes)
        proposals = _slips_later(proposals, self._slipped | later, kept)
        if topic is not None or strand in lead.flags:  # a question about a thing or field
            facet_of = {id(p): (f.id, k) for f, d in drafted for k, p in enumerate(d.proposal)}
            proposals = _every_large_facet(proposals, facet_of, size)
        if topic is not None and not topic.domain:  # a field ("Energie") has no sides
            naming = frozenset(topic.note_ids)
            proposals = _balanced(_naming_first(proposals, naming), naming, self._refusing)
        proposals = proposals[:MAX_PROPOSALS]
        dropped = {
            _few_ideas(len(lead.proposal), asked_in),
            _small(size[drafted[0][0].id], asked_in),
        }
        flags = [f for f in lead.flags if f not in dropped]
        if topic is not None:
            flags.append(strand)
        if len(proposals) < MIN_PROPOSALS:
            flags.append(_few_ideas(len(proposals), asked_in))
        return Draft(
            theme_id=challenge.id,
            language=lead.language,
            drafter=self.name,
            title=titles[0],
            challenge=questions[0],
            proposal=proposals,
            title_alternatives=titles[1 : 1 + ALTERNATIVES],
            challenge_alternatives=questions[1 : 1 + ALTERNATIVES],
            flags=flags,
        )

    def _one_thing(
        self, challenge: Theme, notes: Mapping[str, Note], language: str, lead: Draft
    ) -> tuple[Topic, str] | None:
        """The thing most of the challenge's notes name (``shared_topic``), with the
        language it is named in, when the leading facet's question is few of them (as
        ``_for_few`` counts them), as a unit's is asked: else ``None``. The language is
        the question's: the run's, or another where no note in the run's can be asked.
        Only tagging: no closeness of every pair of a large challenge's notes, no text to
        embed."""
        present = [notes[i] for i in challenge.note_ids if i in notes]
        asking = notes.get(lead.challenge.cites[0]) if lead.challenge.cites else None
        if (
            asking is None
            or asking.lang not in RULES
            or lead.challenge.text == WORDING[language].no_question
            or not self._for_few(asking, present)
        ):
            return None
        own = [n for n in present if n.lang == asking.lang]
        tagged = tag_many([n.text for n in own], [n.lang for n in own])
        said = [(n.id, w) for n, w in zip(own, tagged, strict=True) if w]
        topic = self._named_by_most(said, len(present), asking.lang)
        return (topic, asking.lang) if topic is not None else None

    def _drafting(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Drafting:
        """The draft of one unit, paused wherever it needs texts embedded (``Drafting``)."""
        flags: list[str] = []
        if language not in RULES:
            flags.append(
                words(language).gettext(
                    "no wording for language %(lang)r: drafted in English", lang=language
                )
            )
            language = "en"
        members = self._members(theme, notes)
        if not members:
            raise ValueError(f"theme {theme.id} has none of its notes at hand")
        if theme.size < 3:
            flags.append(_small(theme.size, language))
        close = self._close(members)
        backing = {id(m): len(c) for m, c in zip(members, close, strict=True)}
        ideas = self._ideas(members)
        heard_in = self._heard_in(members, language)
        if heard_in != language:
            # "Charte signée par le DG" heading 32 English comments on electoral reform and
            # 2 French notes: a few notes in the run's language would speak for the others.
            flags.append(
                words(language).gettext(
                    FEW_IN_LANGUAGE,
                    num=sum(1 for m in members if m.note.lang == language),
                    total=len(members),
                    lang=language,
                    other=heard_in,
                )
            )
        titles, named = yield from self._titles(theme, members, heard_in, flags)
        title = titles[0]
        against = {  # how many notes of its idea give up what it names too
            id(m): sum(1 for x in idea.members if x.form is not None and opposes(x.form))
            for idea in ideas
            for m in idea.members
        }
        title_vector = yield from self._vector(title.text)
        spoken = {m.note.id: m.note.lang for m in members}
        challenges = self._challenges(
            members,
            language,
            flags,
            backing,
            against,
            title_vector,
            title if named else None,
            spoken.get(title.cites[0]) if title.cites else None,
            heard=heard_in == language,
        )
        challenge, lead = challenges[0]
        asked = lead.form is not None
        strand = named and asked and self._strand(lead, members, backing, title_vector)
        # A heading naming no problem is not asked about ("set up a cost of building
        # materials" would say what no note says): the note's question stays.
        about = self._about_title(title, heard_in) if strand else None
        topic = None
        if asked and self._for_few(lead.note, [m.note for m in members]):
            # In the question's language: another than the run's where no note in the run's
            # can be asked (flagged to translate), so that "… lower taxes?" in a French run
            # of English comments gives way as it does in an English run.
            speaking = lead.note.lang if lead.note.lang in RULES else language
            said = [(m.note.id, m.words) for m in members if m.note.lang == speaking and m.words]
            topic = self._named_by_most(said, len(members), speaking)
            if topic is not None:
                # "… rethink our approach to tax?" over "How might we lower taxes?": the
                # notes share no one proposal, but many of them name one thing; the question
                # asks about it, the notes' own questions are its alternatives. It comes
                # before a question about a heading that names a problem: "… rethink our
                # approach to football?", not "… address the deleterious impact of
                # football?", some notes' word in a debate on football.
                title = Sentence(text=topic.text, cites=list(topic.note_ids[:5]))
                titles = _distinct([title, *titles])
                title_vector = yield from self._vector(topic.text)
                about = Sentence(
                    text=topic_question(topic, speaking), cites=list(topic.note_ids[:5])
                )
        if not asked and topic is None and _unruled(members):
            topic = _named_in_latin_letters(members)
            if topic is not None:
                # "我覺得UberX目前未依法營業 …": a name most notes of a script the rules
                # cannot read write in Latin letters heads the unit and is asked about,
                # where a whole note, to translate, stood.
                title = Sentence(text=topic.text, cites=list(topic.note_ids[:5]))
                titles = _distinct([title, *titles])
                title_vector = yield from self._vector(topic.text)
                about = Sentence(
                    text=topic_question(topic, language), cites=list(topic.note_ids[:5])
                )
        if about is not None:
            # "Deleterious impact of football" heads 38 notes, four of which ask about
            # the police: the question asks about what the heading names, and the
            # notes' own questions are its alternatives.
            written = [c for c in challenges if c[0].text != WORDING[language].no_question]
            challenges = [(about, members[0]), *written]
            challenge, lead, asked = about, members[0], False
            flags.append(words(language).gettext(STRAND))
        if (
            asked
            and not named
            and lead.note.lang == heard_in
            and title.cites
            and spoken.get(title.cites[0]) != heard_in
            and (measure := _said_as_title(lead, heard_in)) is not None
        ):
            # "Tell people what happened to their input" heads an English unit whose notes
            # name no thing ("no consultation theatre …", "duty to give reasons …"), not the
            # French notes' "Décisions prises après consultation": the question's own
            # measure, short, in the room's language (flagged as before), over a phrase to
            # translate.
            titles, title = _distinct([measure, *titles]), measure
        if asked and len(members) >= LONE_QUESTION_SIZE and not backing.get(id(lead), 0):
            # "Household income" over "… combat panhandling?": no other note is close to
            # the question's, often a unit of unrelated notes.
            flags.append(words(language).gettext(LONE_QUESTION))
        if named and asked and (toward := self._note_vector(lead.note)) is not None:
            # The heading names what its question asks about: the titles again, nearer the
            # question's note ("Tableau de suivi public" does not head a question on bias).
            position = {id(m): i for i, m in enumerate(members)}
            around = [lead, *(members[j] for j in close[position[id(lead)]])]
            near, named_near = yield from self._titles(theme, members, heard_in, [], toward, around)
            asked_about = self._asked_about(theme, lead, heard_in)
            if asked_about is not None:
                # What the question asks about is its heading: "Droit de recours" over "…
                # instaurer un droit de recours si la consultation prévue …", not
                # "Décisions prises après consultation" of a note close to it.
                titles, title = _distinct([asked_about, *near, *titles]), asked_about
            elif named_near:
                naming = _naming_the_question(lead, [*near, *titles])
                if naming is not None and naming is not near[0]:
                    # "Übermäßiger Konsum" over "Massive Ressourcenbesteuerungen bei …" for
                    # "… Konsum drastisch reduzieren?", "Jeunes" (a heading of the whole
                    # unit) over "Réseaux sociaux" for "… aller vers les jeunes là où ils
                    # sont ?": the heading names what it asks about.
                    titles, title = _distinct([naming, *near, *titles]), naming
                else:
                    titles, title = near, near[0]
        if asked and lead.form is not None and lead.note.lang == heard_in:
            heading = tag_many([title.text], [heard_in])[0]
            titled = as_titled(lead.form, heading, heard_in) if heading else None
            if titled is not None and challenge.text == question(lead.form, heard_in):
                # "… un droit de recours ?" under "Droit de recours", not "… si la
                # consultation prévue n'a pas eu lieu ?": the question asks what its heading
                # names; the note's full question is the first alternative.
                challenge = Sentence(text=question(titled, heard_in), cites=challenge.cites)
                challenges = [(challenge, lead), *challenges]
        if (
            asked
            and lead.note.lang == heard_in
            and challenge.text == question(lead.form, heard_in)  # type: ignore[arg-type]
            and not _named_in(title.text, challenge.text)
            and title.text != WORDING[heard_in].untitled
        ):
            # "Subvention par l'état" over "… mettre un pull au lieu d'augmenter le
            # chauffage ?": no heading the notes offer names what the question asks about.
            flags.append(words(language).gettext(HEADING_ELSEWHERE))
        proposals = self._proposals(
            ideas,
            members,
            close,
            language,
            flags,
            lead,
            title_vector if about else None,
            naming=frozenset(topic.note_ids if not topic.domain else ()) if topic else None,
        )
        if _unruled(members):
            # Not "only 0 actionable ideas … observations or questions": the rules cannot
            # read these notes at all.
            # It comes first: the notes are to translate before anything else is checked
            # (an export names a draft's first flag), and where a name they write heads
            # them, the title and the question are written, to check.
            flags = [f for f in flags if f != _few_ideas(len(proposals), language)]
            flags.insert(
                0,
                words(language).gettext(
                    UNRULED_NAMED if about is not None else UNRULED,
                    langs=", ".join(sorted({m.note.lang for m in members})),
                ),
            )
        return Draft(
            theme_id=theme.id,
            language=language,
            drafter=self.name,
            title=title,
            challenge=challenge,
            proposal=proposals,
            title_alternatives=titles[1 : 1 + ALTERNATIVES],
            challenge_alternatives=[c for c, _ in challenges[1 : 1 + ALTERNATIVES]],
            flags=flags,
        )

    # --- notes, in order of centrality ----------------------------------------------------

    def _members(self, theme: Theme, notes: Mapping[str, Note]) -> list[_Member]:
        present = [notes[i] for i in theme.note_ids if i in notes]
        centrality = self._centrality(theme, present)
        tagged = tag_many([n.text for n in present], [n.lang for n in present])
        members = []
        for note, said in zip(present, tagged, strict=True):
            form = form_of(note.text, note.lang, said) if said else None
            urges = urging(said, note.lang) if form is None and said else None
            members.append(_Member(note, said, form, centrality[note.id], urges))
        return sorted(members, key=lambda m: (-round(m.centrality, DECIMALS), m.note.id))

    def _centroid(self, present: Sequence[Note]) -> np.ndarray | None:
        vectors = self.vectors
        if vectors is None or not present or not all(n.id in vectors for n in present):
            return None
        matrix = np.vstack([np.asarray(vectors[n.id], dtype=np.float64) for n in present])
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12)
        centroid = matrix.mean(axis=0)
        return np.asarray(centroid / max(float(np.linalg.norm(centroid)), 1e-12))

    def _centrality(self, theme: Theme, present: list[Note]) -> dict[str, float]:
        centroid = self._centroid(present)
        if centroid is not None and self.vectors is not None:
            out = {}
            for note in present:
                vector = np.asarray(self.vectors[note.id], dtype=np.float64)
                out[note.id] = float(vector @ centroid / max(float(np.linalg.norm(vector)), 1e-12))
            return out
        order = [*theme.representative_ids, *theme.note_ids]
        rank = {note_id: i for i, note_id in reversed(list(enumerate(order)))}
        return {n.id: 1.0 - rank.get(n.id, len(order)) / max(len(order), 1) for n in present}

    def _note_vector(self, note: Note) -> np.ndarray | None:
        if self.vectors is None or note.id not in self.vectors:
            return None
        vector, norm = self._with_norm(note.id)
        return np.asarray(vector / max(float(norm), 1e-12))

    def _vector(self, text: str) -> Generator[list[str], np.ndarray, np.ndarray | None]:
        """``text`` in the notes' embedding space (unit length), when the run's embedder is
        at hand (asked of ``_draft_many``)."""
        if self.embed is None or self.vectors is None or not text.strip():
            return None
        vector = (yield [text])[0]
        return np.asarray(vector / max(float(np.linalg.norm(vector)), 1e-12))

    def _similar(self, a: Note, b: Note) -> bool:
        if _same_words(a.text) == _same_words(b.text):
            return True  # "Reduce Immigration" and "REDUCE IMMIGRATION!"
        if a.duplicate_of == b.id or b.duplicate_of == a.id:
            return True
        if self.vectors is None or a.id not in self.vectors or b.id not in self.vectors:
            return False
        u, u_norm = self._with_norm(a.id)
        v, v_norm = self._with_norm(b.id)
        cosine = float(u @ v / max(float(u_norm * v_norm), 1e-12))
        return cosine >= (SAME_IDEA if a.lang == b.lang else SAME_IDEA_ACROSS_LANGUAGES)

    def _with_norm(self, note_id: str) -> tuple[np.ndarray, np.floating]:
        found = self._norms.get(note_id)
        if found is None:
            assert self.vectors is not None
            vector = np.asarray(self.vectors[note_id], dtype=np.float64)
            found = self._norms[note_id] = (vector, np.linalg.norm(vector))
        return found

    def _close(self, members: list[_Member]) -> list[list[int]]:
        """For each member, the other members that say the same or something close to it,
        closest first: the same idea by ``_similar``, or a cosine among the unit's top
        ``1 - SUPPORT_QUANTILE`` of pairs. The threshold is the unit's own, not a fixed
        cosine: on long German comments with ``use-m3`` even two notes on one proposal
        score 0.4, on sticky notes 0.8."""
        n = len(members)
        vectors = [self._note_vector(m.note) for m in members]
        if n < 2 or any(v is None for v in vectors):
            return [
                [j for j in range(n) if j != i and self._similar(members[i].note, members[j].note)]
                for i in range(n)
            ]
        matrix = np.vstack([v for v in vectors if v is not None])
        cosines = np.round(matrix @ matrix.T, DECIMALS)
        threshold = float(np.quantile(cosines[np.triu_indices(n, 1)], SUPPORT_QUANTILE))
        # ``_similar`` for every pair at once: the cosine of one idea (lower across
        # languages), the same words, or a duplicate the preparation found.
        langs = np.array([m.note.lang for m in members])
        same_idea = np.where(
            langs[:, None] == langs[None, :], SAME_IDEA, SAME_IDEA_ACROSS_LANGUAGES
        )
        near = (cosines >= threshold) | (cosines >= same_idea)
        index = {m.note.id: i for i, m in enumerate(members)}
        by_words: dict[str, list[int]] = {}
        for i, m in enumerate(members):
            by_words.setdefault(_same_words(m.note.text), []).append(i)
            original = m.note.duplicate_of
            if original is not None and original in index:
                near[i, index[original]] = near[index[original], i] = True
        for group in by_words.values():
            near[np.ix_(group, group)] = True
        np.fill_diagonal(near, False)
        out = []
        for i in range(n):
            found = np.flatnonzero(near[i])
            order = np.lexsort((found, -cosines[i, found]))  # closest first, then by position
            out.append([int(j) for j in found[order]])
        return out

    # --- the challenge --------------------------------------------------------------------

    def _challenges(
        self,
        members: list[_Member],
        language: str,
        flags: list[str],
        backing: Mapping[int, int],
        against: Mapping[int, int],
        title: np.ndarray | None = None,
        heading: Sentence | None = None,
        headed_in: str | None = None,
        *,
        heard: bool = True,
    ) -> list[tuple[Sentence, _Member]]:
        """The question and its next best alternatives, each with the note it is built
        from. The note must speak for the unit: it is chosen by how many of the unit's notes
        are close to it (a note no other note backs, a contrarian or a detail, never leads
        while one backed at least as well as the median note can), then by centrality, form
        and closeness to the title: the heading and its question must speak of the same
        thing (a theme titled "Stop à la concertation de façade" is not asked about
        childcare)."""
        most = max(backing.values(), default=0) or 1

        def score(member: _Member) -> float:
            assert member.form is not None
            n_words = len(join(member.form.words).split())  # as written: "parks, schools"
            fit = 0.0 if 3 <= n_words <= 12 else -0.05 * min(abs(n_words - 7) - 5, 4)
            if len(question(member.form, member.note.lang).split()) < MIN_QUESTION_WORDS:
                fit -= 0.15  # "How might we lower taxes?": a fuller question says more
            backed = SUPPORT_WEIGHT * backing.get(id(member), 0) / most
            on_title = 0.0
            if title is not None and (vector := self._note_vector(member.note)) is not None:
                on_title = TITLE_BONUS * float(vector @ title)
            total = member.centrality + FORM_BONUS[member.form.kind] + fit + backed + on_title
            return round(total, DECIMALS)

        def speaking_for_the_unit(candidates: list[_Member]) -> list[_Member]:
            median = float(np.median([backing.get(id(m), 0) for m in members]))
            strong = [
                m
                for m in candidates
                if backing.get(id(m), 0) >= max(median, 1 if most > 1 else 0)
                and not (m.form is not None and opposes(m.form) and against.get(id(m), 0) < 2)
            ]
            return strong or candidates

        usable = [m for m in members if m.form is not None and not _a_figure(m)]
        # (``heard`` false: the unit's few notes in ``language`` do not speak for it.)
        in_language = [m for m in usable if m.note.lang == language] if heard else []
        if in_language:
            ranked = sorted(speaking_for_the_unit(in_language), key=score, reverse=True)
            asked_in = language
        elif usable:
            # A heading in another language (no note in ``language`` names the unit) is
            # asked in that language where its notes can be: not a French heading over a
            # German question in an English run.
            pool = [m for m in usable if m.note.lang == headed_in] or usable
            ranked = sorted(speaking_for_the_unit(pool), key=score, reverse=True)
            asked_in = ranked[0].note.lang
            if heard or asked_in != headed_in:  # (else ``FEW_IN_LANGUAGE`` says it)
                flags.append(
                    words(language).gettext(
                        ASKED_IN_OTHER_LANGUAGE,
                        lang=language,
                        asked_in=asked_in,
                    )
                )
        else:
            lead = members[0]
            about = self._about_title(heading, language) if heading is not None else None
            if about is not None:
                # No note says what to do, but the title names the problem the notes are
                # about: "Lärm in der Nacht" → "Wie könnten wir Lärm in der Nacht angehen?".
                # Any other heading waits for a person: "set up a cost of building
                # materials" would say what no note says.
                flags.append(words(language).gettext(ASKS_ABOUT_TITLE))
                return [(about, lead)]
            if not _unruled(members):  # else ``_drafting`` says why
                flags.append(words(language).gettext(NO_QUESTION))
            return [(Sentence(text=WORDING[language].no_question, cites=[lead.note.id]), lead)]
        checked = asked_in == "fr" and grammar.available()

        def slipped(member: _Member) -> bool:
            """A question that copies a note's slip comes after every question without one
            (a stable sort): a misspelt word ("… sotppen"), a French grammar error or
            unknown word Grammalecte finds ("des impôts sur le revenus", "arreter de
            subventionner"), a German adjective without its ending ("von Geothermisch
            Kraftwerken")."""
            form = member.form
            assert form is not None
            if misspells(join([*form.agent, *form.words]), member.note.lang):
                return True
            if checked:
                return _french_slip(question(form, "fr"))
            if asked_in != "de":
                return False
            # "Wie könnten wir ein algorithm register einführen?": the article the rules add
            # agrees with no noun, as Grammalecte tells a French one.
            return german_slip(form.words) or bool(german_agreement_errors(question(form, "de")))

        # (Only as far down as a question or an alternative is taken from; each checked
        # once, as the alternatives below ask again.)
        slips = {id(m): slipped(m) for m in ranked[:SLIPS_CHECKED]}
        clean_first = sorted(ranked[:SLIPS_CHECKED], key=lambda m: slips[id(m)])
        ranked = [*clean_first, *ranked[SLIPS_CHECKED:]]
        out: list[tuple[Sentence, _Member]] = []
        headed = _heading_nouns(heading.text, asked_in) if heading is not None else []
        for member in ranked:
            assert member.form is not None
            asked = member.note.lang if asked_in != language else language
            form = member.form
            if (
                headed
                and opens_a_qualifier(form, asked)
                and (named := self._named_by_others(members, member, asked)) is not None
            ):
                form = without_lone_qualifier(form, headed, named, asked)
                if form is not member.form:
                    self._broadened.add(member.note.id)
            text = question(form, asked)
            if any(
                text == said.text or self._similar(member.note, other.note) for said, other in out
            ):
                continue  # an alternative says something else, not the same idea again
            if out and (
                not _fit_to_offer(text, member.form)
                or (slips[id(member)] if id(member) in slips else slipped(member))
            ):
                continue  # "How might we act now?": an alternative a reviewer can adopt as is
            cites = [member.note.id] + [
                m.note.id for m in members if m is not member and self._similar(m.note, member.note)
            ]
            out.append((Sentence(text=text, cites=cites[:5]), member))
            if len(out) > ALTERNATIVES:
                break
        return out

    def _named_by_others(
        self, members: list[_Member], lead: _Member, language: str
    ) -> Callable[[Word], bool] | None:
        """Whether a word is named by a note of the unit in ``language`` other than
        ``lead`` and the notes saying its idea again (by lemma, or by its first five letters:
        "régional" / "région"); ``None`` where fewer than ``LONE_QUALIFIER_NOTES`` such notes
        are there to tell."""
        others = [
            m
            for m in members
            if m is not lead and m.note.lang == language and not self._similar(m.note, lead.note)
        ]
        if len(others) < LONE_QUALIFIER_NOTES:
            return None
        said = {
            key
            for m in others
            for w in m.words
            if w.pos in {"NOUN", "PROPN", "ADJ", "VERB"}
            for key in _keys(w)
        }
        return lambda word: bool(_keys(word) & said)

    def _strand(
        self,
        lead: _Member,
        members: list[_Member],
        backing: Mapping[int, int],
        title: np.ndarray | None,
    ) -> bool:
        """Whether the question's note speaks for a strand the heading does not name: few
        notes back it (under ``STRAND_SHARE`` of the unit, itself included) and it is
        farther from the heading than most of the unit's notes are. The heading is chosen by
        how many notes are close to it; such a question then speaks for a corner of the unit
        ("… the role of the police" in a unit on football's head injuries)."""
        if title is None or (own := self._note_vector(lead.note)) is None:
            return False
        if (backing.get(id(lead), 0) + 1) / len(members) >= STRAND_SHARE:
            return False
        vectors = [v for m in members if (v := self._note_vector(m.note)) is not None]
        closeness = [float(v @ title) for v in vectors]
        mine = round(float(own @ title), DECIMALS)
        return sum(1 for c in closeness if round(c, DECIMALS) < mine) < len(closeness) / 2

    def _for_few(self, lead: Note, present: Sequence[Note]) -> bool:
        """Whether the question's idea (``lead``'s) is few notes' in a large unit: under
        ``STRAND_SHARE`` of its notes make it (the same idea, ``_similar``; itself
        included), in a unit of at least ``LONE_QUESTION_SIZE``. Closeness alone would not
        say it: a note on raising taxes is close to every note on taxes."""
        if len(present) < LONE_QUESTION_SIZE:
            return False
        making = sum(1 for n in present if n is lead or self._similar(n, lead))
        return making / len(present) < STRAND_SHARE

    def _named_by_most(
        self, said: Sequence[tuple[str, Sequence[Word]]], total: int, language: str
    ) -> Topic | None:
        """The thing most of a unit's ``total`` notes name (``shared_topic`` of ``said``,
        its notes in ``language`` with their words), when they are at least half of it: a
        thing named in a minority of the unit's notes, the rest in other languages, says
        little about the unit ("IA" in 6 of 49 notes of a theme on algorithms)."""
        if len(said) < total / 2:
            return None
        return shared_topic(said, language, self._everywhere[1])

    @staticmethod
    def _about_title(title: Sentence, language: str) -> Sentence | None:
        """The question asked about a heading that names a problem ("How might we address
        the deleterious impact of football?"); ``None`` for any other heading, whose verb
        the rules would have to guess ("set up …" inverts "Given inflation")."""
        if len(title.text.split()) < 2:
            return None
        form = form_of(title.text, language)
        if form is None or form.kind is not FormKind.PROBLEM:
            return None
        return Sentence(text=question(form, language), cites=title.cites)

    # --- the title ------------------------------------------------------------------------

    def _asked_about(self, theme: Theme, lead: _Member, language: str) -> Sentence | None:
        """What the question asks about, as its note words it: the note's first noun
        phrase of two words or more that shares a noun with the clause the question is
        built from ("Protection des données personnelles des participants" for "…
        protéger les données personnelles des participants ?"), when it may be a title
        (``title_candidates``'s rules)."""
        if lead.form is None or lead.note.lang != language:
            return None
        clause = list(lead.form.words)
        asked = {match_key(w.lemma or w.text) for w in clause if w.pos in {"NOUN", "PROPN"}}
        asked |= {match_key(w.text) for w in clause if w.pos in {"NOUN", "PROPN"}}
        said = [(lead.note.id, _main_part(lead.words)), (lead.note.id, _main_part(clause))]
        allowed = {
            title.text: title
            for _, title in self._specific(title_candidates(theme, said, language, {}))
        }
        for _, said_words in said:
            for phrase in noun_phrases(said_words, language):
                text = join(written_as_words(phrase, language, COMPLETED_TITLE_WORDS))
                text = text[:1].upper() + text[1:]
                nouns = [w for w in phrase if w.pos in {"NOUN", "PROPN"}]
                shared = any(
                    match_key(w.lemma or w.text) in asked or match_key(w.text) in asked
                    for w in nouns
                )
                if _title_slip(text, language):
                    continue  # "Impôts sur le revenus": a slip is no heading
                if text in allowed and _says_enough(text, language) and shared:
                    return Sentence(text=text, cites=allowed[text].note_ids)
        return None

    def _titles(
        self,
        theme: Theme,
        members: list[_Member],
        language: str,
        flags: list[str],
        toward: np.ndarray | None = None,
        around: list[_Member] | None = None,
    ) -> Generator[list[str], np.ndarray, tuple[list[Sentence], bool]]:
        """The title and its next best alternatives, and whether a note's phrase names the
        unit (not a keyphrase or a placeholder standing in). A title names what most of the
        unit's notes are about: the candidate the largest share of the notes is close to,
        and closest to the unit's centre, wins, not one note's detail; the keyphrases and a
        phrase of two to four words break near-ties. ``around`` (the question's note and
        the notes close to it) limits the candidates to their phrases, and ``toward`` (that
        note's vector) favours the phrases nearest it, so that the heading names what its
        question asks about. The candidates' vectors are asked of ``_draft_many``."""
        named_by = members if around is None else around
        tagged = [(m.note.id, m.words) for m in named_by if m.note.lang == language and m.words]
        centrality = {m.note.id: m.centrality for m in members}
        centroid = self._centroid([m.note for m in members])
        by_meaning = self.embed is not None and centroid is not None
        candidates = self._specific(
            title_candidates(theme, tagged, language, centrality, by_meaning=by_meaning)
        )[:TITLE_CANDIDATES]
        if not candidates and around is None and _unruled(members):
            # "應該要投保汽車乘客責任險 (zh)": a note, to translate, names the theme better
            # than "Untitled theme" (``_drafting`` flags why).
            return [_as_written(members) or _untitled(members, language)], False
        if not candidates:
            flags.append(
                words(language).gettext(
                    NO_TITLE,
                    lang=language,
                )
            )
            slogan = self._slogan(members, language) if around is None else None
            other = self._other_language(members, language) if around is None else None
            if slogan is not None:
                # "Vous avez dit, nous avons fait", said again in German, Dutch and English,
                # heads its notes in a French run, not the English list item "Thank-you
                # email" (its alternative): what several notes say in so many words, in the
                # room's language.
                titles = (
                    []
                    if other is None
                    else (yield from self._titles(theme, members, other, [], toward))[0]
                )
                return _distinct([slogan, *titles]), False
            if other is not None:
                # A theme only others' notes speak of ("Special events" in a French run):
                # their phrase, to translate, says more than one keyword ("Bg").
                titles, _ = yield from self._titles(theme, members, other, [], toward)
                if titles and len(titles[0].text.split()) > 1:
                    return titles, False
            named = [k for k in theme.keyphrases if not _generic_word(k)]
            if named:  # one word the notes use is better than no name, unless "idée"
                word = as_the_notes_write(named[0], (m.note.text for m in members))
                return [Sentence(text=word, cites=[members[0].note.id])], False
            return [_untitled(members, language)], False
        if around is not None:
            # Near the question, a phrase: one word ("Idées") names nothing a room can use.
            candidates = [c for c in candidates if len(c[1].text.split()) > 1]
            if not candidates:
                return [], False
        ranked = [title for _, title in candidates]
        notes = [v for m in members if (v := self._note_vector(m.note)) is not None]
        if self.embed is not None and centroid is not None and len(candidates) > 1 and notes:
            vectors = yield [title.text for title in ranked]  # rows as float64, a copy
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)
            closeness = np.round(np.vstack(notes) @ vectors.T, DECIMALS)  # notes × candidates
            close = closeness >= np.quantile(closeness, TITLE_CLOSE_QUANTILE)
            votes = close.mean(axis=0)  # the share of the unit's notes close to each
            top = max(max(score for score, _ in candidates), 1e-9)
            scores = [
                float(v @ centroid)
                + VOTE_WEIGHT * float(share)
                + (LEAD_WEIGHT * float(v @ toward) if toward is not None else 0.0)
                + 0.1 * score / top
                - _length_cost(t.text)
                for v, share, (score, t) in zip(vectors, votes, candidates, strict=True)
            ]
            order = sorted(range(len(ranked)), key=lambda k: -round(scores[k], DECIMALS))
            ranked = [ranked[k] for k in order]
        out: list[Sentence] = []
        slips: list[Sentence] = []
        for title in ranked:
            folded = title.text.casefold()
            if any(folded in t.text.casefold() or t.text.casefold() in folded for t in out):
                continue  # "Radwege" is no alternative to "Sichere Radwege"
            if _title_slip(title.text, language):
                # "Hausses du prix du carburants": a title with a slip only where too few
                # others are (checked in rank order, only as far as needed).
                slips.append(Sentence(text=title.text, cites=title.note_ids))
                continue
            out.append(Sentence(text=title.text, cites=title.note_ids))
            if len(out) > ALTERNATIVES:
                break
        return [*out, *slips][: ALTERNATIVES + 1], True

    def _specific(self, candidates: list[tuple[float, Title]]) -> list[tuple[float, Title]]:
        """``candidates`` without the titles every word of which most of the workshop's notes
        use ("Land bank" in a consultation on the land bank: it names all of it, not this
        theme), unless no other is left."""
        common = self._everywhere[1]
        specific = [
            (score, title)
            for score, title in candidates
            if not (words := _same_words(title.text).split()) or not all(w in common for w in words)
        ]
        return specific or candidates

    def _heard_in(self, members: list[_Member], language: str) -> str:
        """The language a unit is named and asked in: ``language``, unless under
        ``FEW_IN_LANGUAGE_SHARE`` of a unit of ``LONE_QUESTION_SIZE`` notes or more are in
        it, none of them as central as the unit's median note, and another language with
        rules has more of its notes (then that one, flagged). A few notes at the unit's
        centre speak for it ("Ergebnisveranstaltung nach einigen Monaten", the one German
        note of 15 on a follow-up meeting); a few at its edge do not ("Charte signée par le
        DG", two French notes of 34 on electoral reform)."""
        if len(members) < LONE_QUESTION_SIZE or language not in RULES:
            return language
        own = [m for m in members if m.note.lang == language]
        other = self._other_language(members, language)
        if not own or other is None or len(own) >= FEW_IN_LANGUAGE_SHARE * len(members):
            return language  # (with none in ``language``, ``NO_TITLE`` and others say it)
        median = float(np.median([m.centrality for m in members]))
        if any(round(m.centrality, DECIMALS) >= round(median, DECIMALS) for m in own):
            return language
        others = sum(1 for m in members if m.note.lang == other and m.words)
        return other if others > len(own) else language

    def _slogan(self, members: list[_Member], language: str) -> Sentence | None:
        """The most central short note in ``language`` (one line, at most ``SLOGAN_WORDS``
        words, no question) whose idea at least ``SLOGAN_NOTES`` other notes of the unit say
        (``_similar``, in any language), as written, without closing punctuation."""
        for member in members:
            text = " ".join(member.note.text.split()).rstrip(" .!;:")
            if (
                member.note.lang != language
                or "\n" in member.note.text.strip()
                or not 1 < len(text.split()) <= SLOGAN_WORDS
                or text.endswith("?")
            ):
                continue
            saying = sum(
                1
                for other in members
                if other is not member
                and _same_words(other.note.text) != _same_words(member.note.text)
                and self._similar(other.note, member.note)
            )
            if saying >= SLOGAN_NOTES:
                return Sentence(text=text[:1].upper() + text[1:], cites=[member.note.id])
        return None

    @staticmethod
    def _other_language(members: list[_Member], language: str) -> str | None:
        """The language with rules most of the unit's notes are in, when not ``language``."""
        counts: dict[str, int] = {}
        for member in members:
            lang = member.note.lang
            if lang != language and lang in RULES and member.words:
                counts[lang] = counts.get(lang, 0) + 1
        return max(sorted(counts), key=lambda lang: counts[lang]) if counts else None

    # --- the proposals --------------------------------------------------------------------

    def _ideas(self, members: list[_Member]) -> list[_Idea]:
        """The actionable ideas of the notes, each with every note that makes it."""
        # Most central first: an idea's first member leads it. A note that only urges an
        # idea joins the measures first, and leads an idea of its own only if it says none.
        formed = [m for m in members if m.form is not None and m.form.kind in ACTIONABLE]
        actionable = [*formed, *(m for m in members if m.form is None and m.urges is not None)]
        if not actionable and _unruled(members):
            # Notes the rules cannot read ("我覺得 UberX 的司機都應該先考取職業駕駛執照"):
            # each says its idea as written, to translate, and the notes close to it rank it,
            # so the unit still lists what its notes say most, not nothing.
            actionable = [m for m in members if any(c.isalpha() for c in m.note.text)]
        placed = {id(m) for m in actionable}
        ideas: list[_Idea] = []
        for member in actionable:
            for idea in ideas:
                if self._similar(member.note, idea.members[0].note):
                    idea.members.append(member)
                    break
            else:
                ideas.append(_Idea([member]))
        for member in members:  # duplicates of an idea that are not actionable on their own
            if id(member) not in placed:
                for idea in ideas:
                    if self._similar(member.note, idea.members[0].note):
                        idea.members.append(member)
                        break
        return ideas

    def _proposals(
        self,
        ideas: list[_Idea],
        members: list[_Member],
        close: list[list[int]],
        language: str,
        flags: list[str],
        lead: _Member,
        heading: np.ndarray | None = None,
        *,
        naming: frozenset[str] | None = None,
    ) -> list[Sentence]:
        """Up to ``MAX_PROPOSALS`` ideas, ranked by their support: the notes that make the
        idea and the notes close to it, all cited, one per contribution (the ideas split out
        of one answer count once), so the count a reader sees is the notes behind it. An
        idea one note alone makes comes after ideas several notes share; the idea the
        question is built from comes first when other notes back it, or when no idea has
        more than its one note, so heading, question and first proposal name the same
        thing. When the question asks about the heading (``heading``, its vector), the
        ideas of the unit's far corner from it (their neighbourhood farther from it than
        ``corner_below`` says, ``_closeness_around``) are left out: the question does not
        ask about them. Under a question about the thing most notes name (``naming``, the
        notes that name it), every idea several notes back answers it; only one note's idea
        there is left out, and both sides of its debate are among the first (``_balanced``)."""
        position = {id(m): i for i, m in enumerate(members)}
        corners = naming is None

        def backers(idea: _Idea) -> list[Note]:
            # One per contribution: the ideas split out of one long answer are one
            # person's, and count once ("Taxer les entreprises qui polluent (14 notes)"
            # counted five parts of one answer).
            found: list[Note] = []
            seen: set[str] = set()
            near = (members[j].note for j in close[position[id(idea.members[0])]])
            for note in [*(m.note for m in idea.members), *near]:
                contribution = note.parent_id or note.id
                if contribution not in seen:
                    found.append(note)
                    seen.add(contribution)
            return found

        backed = [(idea, backers(idea)) for idea in ideas]
        # An idea only urged ("… sollen Windräder erhalten") comes after those a question
        # could be built from: it fills a debate's list, not a list of measures.
        backed.sort(
            key=lambda item: listing_order(
                len(item[1]), item[0].formed, round(item[0].members[0].centrality, DECIMALS)
            )
        )
        if heading is not None and (around := self._closeness_around(members, heading)):
            # The ideas of the unit's far corner from the heading are left out: "… the role
            # of the police" is no proposal under "How might we address the deleterious
            # impact of football?". The notes stay in the unit. Under a question about the
            # thing most notes name, whose one word is a poor point to measure from, only
            # an idea one note makes is: "Find a solution to combat panhandling" under "…
            # rethink our approach to football?", not the tax ideas of a climate unit.
            corner = corner_below(around)
            backed = [
                item
                for item in backed
                if round(around[position[id(item[0].members[0])]], DECIMALS) >= corner
                or (not corners and len(item[1]) > 1)
            ]
        top = len(backed[0][1]) if backed else 0
        for k, (idea, notes) in enumerate(backed):
            # (With every idea one note's, support ranks nothing: the question's comes first.)
            if (
                k
                and lead in idea.members
                and idea.formed
                and (len(notes) > 1 or top == 1)
                and len(notes) >= LEAD_FIRST * top
            ):
                backed.insert(0, backed.pop(k))
                break
        asked = self._note_vector(lead.note) if heading is None else heading
        if asked is not None and backed and corners:
            # (Under a question about the thing most notes name, every idea about it
            # answers, and the ideas nearest a one-word heading are the shortest ones that
            # repeat it: "Gesamter Energieverbrauch" over "Energieberater … installieren".)
            backed, head = self._answering_first(backed, asked, lead, language)
        else:
            head = 1 if backed and lead in backed[0][0].members else 0  # the question's own
        said: dict[str, Sentence] = {}
        for idea, notes in backed:
            # Two ideas that read the same once said ("Reduce Immigration", "REDUCE
            # IMMIGRATION. This will …") are one proposal, citing the notes of both.
            sentence = self._say(idea, notes, language)
            key = _same_words(sentence.text)
            if key in said:
                cites = said[key].cites
                said[key].cites = [*cites, *(c for c in sentence.cites if c not in cites)]
                said[key].said_by = min(
                    len(said[key].cites), (said[key].said_by or 1) + (sentence.said_by or 1)
                )
            else:
                said[key] = sentence
        spoken = {m.note.id: m.note for m in members}
        listed = self._translations_last(list(said.values()), spoken, language, head)
        # The question's own idea stays first, slip or not; an answer to it does not.
        # (Under a question about the thing most notes name, no idea is the question's own.)
        own = 1 if head and naming is None and listed and lead.note.id in listed[0].cites else 0
        listed = _slips_later(listed, self._slipped | self._continuing(listed, spoken), own)
        if naming is not None:
            listed = _balanced(_naming_first(listed, naming), naming, self._refusing)
        listed = listed[:MAX_PROPOSALS]
        if len(listed) < MIN_PROPOSALS:
            flags.append(_few_ideas(len(listed), language))
        return listed

    def _answering_first(
        self,
        backed: list[tuple[_Idea, list[Note]]],
        asked: np.ndarray,
        lead: _Member,
        language: str,
    ) -> tuple[list[tuple[_Idea, list[Note]]], int]:
        """``backed`` with the ideas that answer the question next after its own, and how many lead
        it so: of the ideas several notes back, the ``ANSWERING`` whose note is closest to what the
        question asks (``asked``: its note's vector, or the heading's), then the others as they
        were, by their backing. Listed by backing alone, "… provide grocery store competition?"
        offered faster internet service second, and "… traduire les invitations dans les langues
        parlées dans les quartiers ?" language courses.

        The answers a note in ``language`` says come first: the room reads the handout in its
        language, and closeness does not tell an answer from its neighbour well enough to let one in
        another language pass (under "… protéger les données personnelles des participants ?",
        "Plateforme en ligne avec le statut de chaque contribution" scores 0.35, "GDPR-regels voor
        online inspraakplatforms" 0.36). Nor does an idea in another language whose closest idea in
        ``language`` is listed already (``TRANSLATED``): it says that one again ("Follow-up meeting
        6 months later" under "… organiser une réunion de restitution ?"). Both stay listed: the
        first by its backing, the second after every other idea (``_translations_last``)."""
        first = [backed[0]] if lead in backed[0][0].members else []
        vectors = [self._note_vector(idea.members[0].note) for idea, _ in backed]
        cosine: dict[int, float] = {}
        for k, (vector, (_, notes)) in enumerate(zip(vectors, backed, strict=True)):
            if vector is not None and len(notes) > 1 and (not first or k):
                cosine[k] = round(float(vector @ asked), DECIMALS)
        foreign = {k: not _voiced_in(backed[k][0], language) for k in cosine}
        urged = {k: not backed[k][0].formed for k in cosine}
        own = {
            j: vector
            for j, (vector, (idea, _)) in enumerate(zip(vectors, backed, strict=True))
            if vector is not None and _voiced_in(idea, language)
        }

        # The idea in ``language`` each foreign candidate says again, if any (computed once).
        says_again: dict[int, int] = {}
        for k in cosine:
            vector = vectors[k]
            if foreign[k] and vector is not None and own:
                alike = {j: round(float(vector @ v), DECIMALS) for j, v in own.items()}
                closest = max(own, key=lambda j: (alike[j], -j))
                if alike[closest] >= TRANSLATED:
                    says_again[k] = closest

        nearest: list[int] = []
        for _ in range(min(ANSWERING, len(cosine))):
            listed = [0, *nearest] if first else nearest
            left = [k for k in cosine if k not in nearest and says_again.get(k, -1) not in listed]
            if not left:
                break
            nearest.append(min(left, key=lambda k: (foreign[k], urged[k], -cosine[k], k)))
        picked = [*first, *(backed[k] for k in nearest)]
        chosen = {id(item) for item in picked}
        return [*picked, *(item for item in backed if id(item) not in chosen)], len(picked)

    def _translations_last(
        self, proposals: list[Sentence], notes: Mapping[str, Note], language: str, keep: int
    ) -> list[Sentence]:
        return translations_last(proposals, notes, language, keep, self._note_vector)

    def _continuing(self, proposals: Sequence[Sentence], notes: Mapping[str, Note]) -> set[str]:
        return _continuing(proposals, notes, self._in_prose)

    def _closeness_around(self, members: list[_Member], heading: np.ndarray) -> list[float]:
        """Each member's closeness to ``heading`` as its neighbourhood has it: the mean
        cosine to the heading of the note and its ``AROUND`` nearest notes of the unit;
        empty without vectors. A note's own vector also carries what else it says ("Yes,
        it will change the game. The solution is to make helmets soft …" is as far from
        "Deleterious impact of football" as "Eliminate bias"); the notes around it say
        which part of the unit it belongs to."""
        vectors = [self._note_vector(m.note) for m in members]
        if not members or any(v is None for v in vectors):
            return []
        matrix = np.vstack([v for v in vectors if v is not None])
        closeness = matrix @ heading
        cosines = np.round(matrix @ matrix.T, DECIMALS)
        np.fill_diagonal(cosines, -np.inf)
        k = min(AROUND, len(members) - 1)
        # Nearest first, ties by position, so the same notes give the same neighbours.
        order = np.lexsort((np.tile(np.arange(len(members)), (len(members), 1)), -cosines))
        nearest = order[:, :k]
        return [
            float((closeness[i] + closeness[nearest[i]].sum()) / (k + 1))
            for i in range(len(members))
        ]

    def _say(self, idea: _Idea, backers: list[Note], language: str) -> Sentence:
        in_language = [m for m in idea.members if m.actionable and m.note.lang == language]
        # A measure says it, if one does; a note that spells it right, if one does.
        if len(in_language) > 1:
            in_language.sort(
                key=lambda m: (m.urges is not None, misspells(m.note.text, m.note.lang))
            )
        voice = in_language[0] if in_language else idea.members[0]
        if not idea.formed:
            self._urged.add(voice.note.id)
        if any(m.actionable and refuses_what_it_names(m.words, m.note.lang) for m in idea.members):
            self._refusing.add(voice.note.id)
        clause = voice.form.text if voice.form else join(voice.urges) if voice.urges else ""
        said = without_label(voice.note.text, self._labels)
        if voice.form is None and voice.urges is not None:
            # "Mehr Windräder aufstellen, solange …", not "Ich bin dafür, … aufzustellen": a
            # proposal states the measure, not its writer's stance. Without a stance the
            # sentence that urges is still the one said: "Given inflation, … pushed down. I
            # think we'll need to revisit these laws …" printed its first sentence, the note
            # whole standing in for the clause that finds the sentence.
            stance = without_stance(voice.urges, voice.note.lang)
            if stance:
                said = clause = stance
        text = as_written(_as_proposal(said, clause, voice.note.lang), voice.words, voice.note.lang)
        # A later idea or sentence of its note that leans on an earlier one ("… these
        # workers …", "We'll need to revisit these laws"): read alone, it leaves the room
        # guessing, as a slip copied reads as the facilitator's.
        if (
            checks.copies_slip(text, voice.note.lang, voice.words)
            or (
                _follows_in_its_note(voice.note)
                and checks.points_back(voice.words, voice.note.lang)
            )
            or _leans_on_its_first(text, voice.note.text, voice.note.lang)
        ):
            self._slipped.add(voice.note.id)
        if voice.note.lang != language:
            text = f"{text} ({voice.note.lang})"
        cites = [voice.note.id] + [n.id for n in backers if n.id != voice.note.id]
        # How many of them make the idea (one per contribution, as ``backers`` counts),
        # the others being close to it: "1 note, 23 close to it", not "24 notes".
        makers = {m.note.parent_id or m.note.id for m in idea.members}
        said_by = sum(1 for n in backers if (n.parent_id or n.id) in makers) or 1
        return Sentence(text=text, cites=cites, said_by=said_by)


def _keys(word: Word) -> set[str]:
    """A word's lemma and form as ``match_key`` gives them, and their first five letters."""
    found = {match_key(word.lemma or word.text), match_key(word.text)}
    return found | {k[:5] for k in found if len(k) >= 5}


def _heading_nouns(heading: str, language: str) -> list[str]:
    """The nouns of a heading, as ``match_key`` gives their lemmas."""
    if language not in RULES:
        return []
    return [
        match_key(w.lemma or w.text) for w in tag(heading, language) if w.pos in {"NOUN", "PROPN"}
    ]


def _one_notes_question_told(
    draft: Draft, challenge: Theme, broadened: Set[str] = frozenset()
) -> Draft:
    """``draft`` flagged (``FEW_MAKE_THE_QUESTION``) when few of the challenge's notes make the idea
    its question is built from: one note alone, or under ``QUESTION_MAKERS_SHARE`` of them
    (``Sentence.said_by`` of the question's proposal), in a challenge of ``TOLD_CHALLENGE_SIZE``
    notes or more. Strict readers counted such questions first among the challenges they could
    not hand out ("… instaurer un droit de recours ?", 3 of 81 notes, in a challenge on feedback
    and sham consultation; "… die Ausbeutungslogik des Kapitalismus hinter uns lassen?"); the
    flag tells the reviewer which to check, the alternatives one click away. A question about
    the heading or the thing most notes name is told otherwise (``STRAND``,
    ``ASKS_ABOUT_TITLE``), one no other note backs by ``LONE_QUESTION``, a missing one by
    ``NO_QUESTION``; a question asked more broadly than its note (``broadened``: a qualifier
    left out) is not its note's idea alone. The notes are counted as the challenge's heading
    counts them (``Theme.note_count``: the ideas split out of one note count once, as
    ``said_by`` counts them)."""
    asking = draft.challenge.cites[0] if draft.challenge.cites else None
    total = challenge.note_count
    # The proposal the question's note says (its first citation), else one citing it.
    said = next(
        (p for p in draft.proposal if p.cites[:1] == [asking]),
        next((p for p in draft.proposal if asking in p.cites), None),
    )
    lang = draft.language
    told = {words(lang).gettext(f) for f in (STRAND, LONE_QUESTION, ASKS_ABOUT_TITLE, NO_QUESTION)}
    if (
        said is None
        or said.said_by is None
        or total < TOLD_CHALLENGE_SIZE
        or said.said_by >= max(2, QUESTION_MAKERS_SHARE * total)
        or told & set(draft.flags)
        or asking in broadened
    ):
        return draft
    flag = words(lang).gettext(FEW_MAKE_THE_QUESTION, made=said.said_by, total=total)
    return draft.model_copy(update={"flags": [*draft.flags, flag]})


def _balanced(
    proposals: list[Sentence], naming: frozenset[str], refusing: set[str]
) -> list[Sentence]:
    """``proposals`` under a question about a thing (the notes ``naming`` it; none for a
    field the notes work in, "Energie", which has no sides) with both sides
    among the first ``MIN_PROPOSALS`` where both are proposed: when those that name the thing
    all want it ("Im Wiener Prater müssen Windräder aufgestellt werden", "Mehr Windräder
    aufstellen …") and a later one several notes back refuses it ("Kein Aufstellen von
    Windrädern auf Bergen …"), or the other way round, that one comes third. A proposal
    names the thing when its first citation (the note that says it) does."""

    def side(proposal: Sentence) -> str | None:
        if not proposal.cites or proposal.cites[0] not in naming:
            return None
        return "against" if proposal.cites[0] in refusing else "for"

    shown = {side(p) for p in proposals[:MIN_PROPOSALS]} - {None}
    if len(shown) != 1 or len(proposals) <= MIN_PROPOSALS:
        return proposals
    other = next(
        (
            k
            for k in range(MIN_PROPOSALS, len(proposals))
            if side(proposals[k]) not in shown | {None} and len(proposals[k].cites) > 1
        ),
        None,
    )
    if other is None:
        return proposals
    moved = [*proposals[: MIN_PROPOSALS - 1], proposals[other]]
    return [*moved, *(p for p in proposals[MIN_PROPOSALS - 1 :] if p is not proposals[other])]


def listing_order(backers: int, formed: bool, tie: float) -> tuple[bool, bool, int, float]:
    """Where a proposal goes in a unit's or a challenge's list, by the notes ``backers``
    behind it: an idea several notes back before one note's, then a measure (``formed``)
    before what is only urged, then the more notes the earlier, then the higher ``tie``
    (centrality, or the order the facets gave). Measures first, whatever their backing,
    put "Guaranteed minimum income" (one note) before ideas eight notes back."""
    return (backers < 2, not formed, -backers, -tie)


def _follows_in_its_note(note: Note) -> bool:
    """Whether ``note`` is an idea split out of a note after its first ("n12-2")."""
    return note.parent_id is not None and note.id != child_id(note.parent_id, 1)


def _leans_on_its_first(proposal: str, note: str, language: str) -> bool:
    """Whether ``proposal``, said from a sentence of ``note`` after its first (its first
    three words, casefolded, are not in the note's first sentence), leans on that first
    sentence: it points back to it (``checks.points_back``: "We'll need to revisit these
    laws …"), or the first is a measure written as a heading, without a verb, which the
    later sentence goes on about ("PV/Solar verpflichtend auf alle Wohnbau Projekte.
    Nachrüstung von öffentlichen Gebäuden wo möglich": retrofit with what?). A first
    sentence that states something ("Mülltrennung funktioniert nicht …. Hohe
    Innovationsförderung für automatisierte Mülltrennung") leaves the measure after it
    whole."""
    sentences = split_sentences(_first_line(note), language)
    if len(sentences) < 2:
        return False
    opening = " ".join(proposal.split()[:3]).casefold()
    if not opening or opening in " ".join(sentences[0].split()).casefold():
        return False
    if checks.points_back(tag(proposal, language), language):
        return True
    first = [w for w in tag(sentences[0], language) if any(c.isalpha() for c in w.text)]
    return len(first) > 1 and not any(w.pos in {"VERB", "AUX"} for w in first)


def _continuing(
    proposals: Sequence[Sentence], notes: Mapping[str, Note], in_prose: Set[str]
) -> set[str]:
    """The notes voicing ``proposals`` that are a later sentence of a note written as prose
    (``in_prose``) whose earlier idea voices another of them: "Bestehende Anlagen müssen bis
    spätestens 2040 ausgetauscht werden" after "Verbot fossiler Heizungen im Neubau",
    "Anreize für Wärmedämmung setzen" after "Verbot fossiler Heizungen im Neubau" when both
    are listed. The note's point is listed already, and what follows it in the note leans
    on it ("existing systems": which?) more often than it stands alone, so
    ``_slips_later`` lists it after the ideas that do."""
    voices = [notes.get(p.cites[0]) for p in proposals if p.cites]
    listed = {n.id for n in voices if n is not None}
    found: set[str] = set()
    for note in voices:
        if note is None or note.id not in in_prose or note.parent_id is None:
            continue
        number = note.id.removeprefix(f"{note.parent_id}-")
        if number.isdigit() and any(
            child_id(note.parent_id, k) in listed for k in range(1, int(number))
        ):
            found.add(note.id)
    return found


def _slips_later(proposals: list[Sentence], slipped: set[str], fixed: int) -> list[Sentence]:
    """``proposals`` with the first ``MIN_PROPOSALS`` clean where they can be: one said by
    a note in ``slipped``, whose proposal copies a slip of it (``checks.copies_slip``: "für
    den eigen Wirkungsbereich", "mögl. Förderungen"), or one cut for length ("… a well
    funded 'Swedish style' social welfare system with allowances …"), comes after the clean
    ones among them and those further down that several notes back, in their order; the
    first ``fixed`` (the question's own idea) stay. A slip in a handout reads as the
    facilitator's, and a cut idea as one the room cannot weigh."""

    def copies_one(proposal: Sentence) -> bool:
        cut = proposal.text.endswith(ELLIPSIS.strip())
        return cut or (bool(proposal.cites) and proposal.cites[0] in slipped)

    head: list[Sentence] = []
    for k, proposal in enumerate(proposals[fixed:], fixed):
        if len(head) == MIN_PROPOSALS - fixed:
            break
        if (k < MIN_PROPOSALS or len(proposal.cites) > 1) and not copies_one(proposal):
            head.append(proposal)
    rest = [p for p in proposals[fixed:] if all(p is not h for h in head)]
    return [*proposals[:fixed], *head, *rest]


def _every_large_facet(
    proposals: list[Sentence], facet_of: Mapping[int, tuple[str, int]], size: Mapping[str, int]
) -> list[Sentence]:
    """``proposals`` of a challenge whose question asks about a thing or a field, which
    every facet answers, with each facet holding at least ``LARGE_FACET`` of its notes among
    the first ``MIN_PROPOSALS``: the first idea of one that has none there (in its own
    draft's order, ``facet_of`` gives each proposal's facet and place), several notes behind
    it, comes third. Ranked by backing alone, "… beim Thema Strom neue Wege gehen?" listed six
    storage and grid ideas where 12 of 32 notes were on photovoltaics."""
    total = sum(size.values())
    shown = {facet_of[id(p)][0] for p in proposals[:MIN_PROPOSALS] if id(p) in facet_of}
    missing = [
        (place, k)
        for k, p in enumerate(proposals)
        if id(p) in facet_of and len(p.cites) > 1
        for facet, place in [facet_of[id(p)]]
        if facet not in shown and size.get(facet, 0) >= LARGE_FACET * total
    ]
    if not missing:
        return proposals
    moved = proposals[min(missing)[1]]
    keep = [p for p in proposals if p is not moved]
    return [*keep[: MIN_PROPOSALS - 1], moved, *keep[MIN_PROPOSALS - 1 :]]


def _naming_first(proposals: list[Sentence], naming: frozenset[str]) -> list[Sentence]:
    """``proposals`` led by one that names the thing the question asks about (its first
    citation among the notes ``naming`` it) when the first does not and one several notes
    back does: under "How might we rethink universal basic income?" a unit whose notes
    also debate taxes listed two tax ideas first."""
    if not naming or not proposals or (proposals[0].cites and proposals[0].cites[0] in naming):
        return proposals
    named = next(
        (k for k, p in enumerate(proposals) if len(p.cites) > 1 and p.cites[0] in naming),
        None,
    )
    if named is None:
        return proposals
    return [proposals[named], *(p for k, p in enumerate(proposals) if k != named)]


def translations_last(
    proposals: list[Sentence],
    notes: Mapping[str, Note],
    language: str,
    keep: int,
    vector: Callable[[Note], np.ndarray | None],
) -> list[Sentence]:
    """``proposals`` with those said in another language that say one said in ``language``, or
    one said before them in a third, again (their cosine at least ``TRANSLATED``; a proposal's
    first cited note says it, ``vector`` gives its unit vector) after every other, the first
    ``keep`` (the question's idea and its answers) where they are. A French handout listed
    the meeting of its first proposal four times, in English and Dutch, where "Registre
    public des algorithmes" and "Budget participatif garanti par la loi" had no room left.
    A re-run that keeps a challenge's question orders its fresh proposals the same way."""
    voices = [notes.get(p.cites[0]) if p.cites else None for p in proposals]
    vectors = [vector(n) if n is not None else None for n in voices]
    own = [
        v
        for n, v in zip(voices, vectors, strict=True)
        if n is not None and v is not None and n.lang == language
    ]
    if not own:
        return proposals
    matrix = np.vstack(own)

    def translated(k: int) -> bool:
        voice, said = voices[k], vectors[k]
        if voice is None or said is None or voice.lang == language:
            return False
        if round(float((matrix @ said).max()), DECIMALS) >= TRANSLATED:
            return True
        # Or one said before it in a third language: "Wettelijke termijnen voor inspraak
        # (nl)" after "Verbindliche Fristen für Stellungnahmen (de)".
        return any(
            (before := vectors[j]) is not None
            and (other := voices[j]) is not None
            and other.lang != voice.lang
            and round(float(before @ said), DECIMALS) >= TRANSLATED
            for j in range(k)
        )

    again = {k for k in range(keep, len(proposals)) if translated(k)}
    return [
        *(p for k, p in enumerate(proposals) if k not in again),
        *(p for k, p in enumerate(proposals) if k in again),
    ]


def _voiced_in(idea: _Idea, language: str) -> bool:
    """Whether a note in ``language`` can say ``idea`` (``_say`` then has it say it)."""
    return any(m.note.lang == language and m.actionable for m in idea.members)


def _named_in(title: str, asked: str) -> bool:
    """Whether a word of ``title`` is in the question ``asked``, folded: one of
    ``MIN_NAMING_NOUN`` letters or more also inside a compound ("Bepreisung" in "…
    CO2-Bepreisung …", "Windräder" in "… mit Windrädern …"), a shorter one as a word of its
    own ("UBI", "Lus"), unless it is a function word. The question's stem names nothing:
    the "nous" of "Vous avez dit, nous avons fait" is not that of "Comment pourrions-nous
    savoir dire … ?"."""
    stem = next((r.stem for r in RULES.values() if asked.startswith(r.stem)), "")
    said = match_key(asked[len(stem) :])
    tokens = set(re.findall(r"\w+", said))
    for word in (match_key(w) for w in re.findall(r"\w+", title)):
        if len(word) >= MIN_NAMING_NOUN and word in said:
            return True
        if 2 < len(word) < MIN_NAMING_NOUN and word in tokens and word not in FUNCTION_WORDS:
            return True
    return False


FUNCTION_WORDS = frozenset(
    {
        "the",
        "and",
        "for",
        "our",
        "les",
        "des",
        "une",
        "par",
        "sur",
        "aux",
        "est",
        "der",
        "die",
        "das",
        "und",
        "fur",
        "von",
        "mit",
        "zum",
        "zur",
        "dem",
        "den",
        "het",
        "een",
        "van",
        "voor",
        "met",
    }
)
"""Short words a heading shares with any question: they name nothing."""


def _fit_to_offer(question_text: str, form: Form) -> bool:
    """An alternative one click can hand out: at most ``MAX_QUESTION_WORDS`` words, no
    quoted note, and more than a verb with its adverbs ("How might we act now?" asks about
    nothing). The question the drafter leads with is kept either way, and flagged when it
    falls short; a short question that names its thing ("Wie könnten wir
    Einfamilienhäuser verbieten?") is offered."""
    said = [w for w in form.words if w.text[:1].isalnum() and w.pos not in {"ADV", "PART"}]
    return (
        len(question_text.split()) <= checks.MAX_QUESTION_WORDS
        and not any(q in question_text for q in checks.QUOTES)
        and len(said) > (1 if form.kind is FormKind.ACTION else 0)  # (the rules add a verb)
    )


def _a_figure(member: _Member) -> bool:
    """A noun phrase that opens with a figure states an amount ("1 milliard d'euros
    d'économie d'énergie en France dès 2026", "512 euros d'économies par ménage", "15 %
    …"): no verb the rules know fits it ("mettre en place un milliard …"), so no question
    is built on it; it stays a proposal in the note's own words. (A number that numbers a
    list, "1) …", "2. …", is no figure.)"""
    form = member.form
    return (
        form is not None
        and form.kind is FormKind.PROPOSAL
        and FIGURE_FIRST.match(member.note.text) is not None
    )


FIGURE_FIRST = re.compile(r"\s*\d+(?:[.,]\d+)?\s*(?:%|[^\W\d_])")
"""A note that opens with an amount: digits, then a per cent sign or a word."""


def _title_slip(text: str, language: str) -> bool:
    """A heading that copies a note's slip: a misspelt word in any language ("Transparance
    sur les critères du scoring"), a French error Grammalecte finds where it is installed."""
    if misspells(text, language):
        return True
    return language == "fr" and grammar.available() and _french_slip(text)


def _french_slip(text: str) -> bool:
    """Grammalecte finds a grammar error or a misspelt word in ``text``."""
    return bool(grammar.french_grammar_errors(text)) or bool(grammar.french_misspelt(text))


def corner_below(closeness: Sequence[float]) -> float:
    """The closeness to its heading below which a unit's idea lies in a far corner that the
    question does not ask about: the unit's farthest ``CORNER_QUANTILE``, and an outlier
    ``CORNER_SPREAD`` robust deviations below the median. A unit whose notes all speak of
    football has no far corner: its farthest quarter ("a code of safety for kids' football")
    is proposed; "combat panhandling" under it is not."""
    values = np.asarray(closeness, dtype=float)
    median = float(np.median(values))
    spread = MAD_TO_SIGMA * float(np.median(np.abs(values - median)))
    return min(float(np.quantile(values, CORNER_QUANTILE)), median - CORNER_SPREAD * spread)


def _workshop_words(notes: Iterable[Note]) -> frozenset[str]:
    """The words (casefolded) that at least ``COMMON_SHARE`` of ``notes`` use, when there are
    ``COMMON_FROM`` notes or more: the subject of the whole workshop ("land", "bank" in a
    consultation on a land bank) and its function words."""
    notes = list(notes)
    if len(notes) < COMMON_FROM:
        return frozenset()
    counts: dict[str, int] = {}
    for note in notes:
        for word in set(_same_words(note.text).split()):
            counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= COMMON_SHARE * len(notes))


_LABEL = re.compile(r"^\s*([^\W\d_][\w'’\- ]{0,40}?)\s*:\s+(?=\S)")
"""A note's opening words before a colon and a space ("Klimarat: …")."""
LABEL_MIN_NOTES = 5
"""Fewer notes opening with the same words say what each is about, not whom all address."""
LABEL_SHARE = 0.03
"""Nor does a smaller share of a large run's notes."""
MAX_LABEL_WORDS = 3
"""A label is a name: "Klimarat", "Table 3", "Conseil des jeunes"."""


def workshop_labels(texts: Iterable[str]) -> frozenset[str]:
    """The labels (casefolded) that at least ``LABEL_MIN_NOTES`` notes, and ``LABEL_SHARE``
    of them, open with before a colon: whom a consultation's notes address or where they
    come from ("Klimarat: Österreich muss …" in 15 of 300 German proposals), not what one
    note is about ("Rural areas: bring the meeting to the village")."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        found = _LABEL.match(text)
        if found and len(found.group(1).split()) <= MAX_LABEL_WORDS:
            counts[found.group(1).casefold()] += 1
    least = max(LABEL_MIN_NOTES, LABEL_SHARE * total)
    return frozenset(label for label, n in counts.items() if n >= least)


def without_label(text: str, labels: frozenset[str]) -> str:
    """``text`` without the workshop label it opens with, if any (``workshop_labels``): a
    proposal says the idea, "Klimafreundliche Projekte sollen günstigere Kredite
    erhalten", not "Klimarat: Klimafreundliche Projekte …"."""
    found = _LABEL.match(text) if labels else None
    if found is None or found.group(1).casefold() not in labels:
        return text
    return text[found.end() :]


COMMON_SHARE = 0.3
"""No content word of the sample's or the dev files' notes reaches this share; a
consultation's own subject does ("land" 73 %, "bank" 67 %, "water" 43 %, "housing" 40 %)."""
COMMON_FROM = 30
"""Below this many notes a word's share says little."""


def _main_part(words: Sequence[Word]) -> list[Word]:
    """``words`` up to where a subordinate part starts ("si la consultation …", "avant
    d'appeler …", "pour éviter …", "what happened …"): what a question built from them
    asks about is named before it."""
    for j in range(1, len(words)):
        word, after = words[j], words[j + 1] if j + 1 < len(words) else None
        if word.pos in {"SCONJ", "PRON"}:
            return list(words[:j])
        verb_next = after is not None and (
            after.pos == "VERB"
            or (after.pos == "ADP" and j + 2 < len(words) and words[j + 2].pos == "VERB")
        )
        if word.pos == "ADP" and verb_next:
            return list(words[:j])
    return list(words)


def _says_enough(title: str, language: str) -> bool:
    """A heading of two words or more, or one German or Dutch compound long enough to name a
    thing on its own ("Sanierungsförderung"), not one word such as "Participants"."""
    words = title.split()
    return len(words) > 1 or (language in {"de", "nl"} and len(words[0]) >= LONG_COMPOUND)


LONG_COMPOUND = 15


def _naming_the_question(lead: _Member, titles: Sequence[Sentence]) -> Sentence | None:
    """The first of ``titles`` that names a noun of the clause the question is built from,
    its agent included ("… dass Fahrschulen …"), what it subordinates not."""
    if lead.form is None:
        return None
    nouns = {
        match_key(key)
        for w in (*lead.form.agent, *_main_part(lead.form.words))  # (not "avant d'appeler …")
        if w.pos in {"NOUN", "PROPN"}
        for key in (w.text, w.lemma)
        if key and len(key) >= MIN_NAMING_NOUN
    }
    for title in titles:
        if any(match_key(word) in nouns for word in re.findall(r"\w+", title.text)):
            if _title_slip(title.text, lead.note.lang):
                continue  # "Impôts sur le revenus": a slip is no heading
            return title
    return None


MIN_NAMING_NOUN = 4
"""Shorter nouns ("PV", "Zug") name too little to tie a heading to its question."""


@lru_cache(maxsize=2**16)
def _same_words(text: str) -> str:
    """The words of ``text``, casefolded, without its punctuation: notes that say the same
    words are one idea however they are capitalised or punctuated."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _distinct(sentences: Sequence[Sentence]) -> list[Sentence]:
    """``sentences`` without a repeat of one said before (case and spacing aside)."""
    seen: set[str] = set()
    out = []
    for sentence in sentences:
        key = " ".join(sentence.text.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(sentence)
    return out


FEW_IN_LANGUAGE = N_(
    "few notes in '%(lang)s' (%(num)s of %(total)s), none at the theme's centre: the title "
    "and the question are in '%(other)s', the notes' language, translate them when reviewing"
)
NO_TITLE = N_("no note in '%(lang)s' names the theme: give it a title when reviewing")
ASKED_IN_OTHER_LANGUAGE = N_(
    "no note in '%(lang)s' can be worded as a question: the challenge is in "
    "'%(asked_in)s', translate it when reviewing"
)
ASKS_ABOUT_TITLE = N_(
    "no note can be worded as a question: the challenge asks about the title, check it when "
    "reviewing"
)
NO_QUESTION = N_(
    "no note can be worded as a question (they are observations or questions): write the "
    "challenge when reviewing"
)
STRAND = N_(
    "no single note's question speaks for most of the notes, so the challenge asks about the "
    "title: check it when reviewing"
)
HEADING_ELSEWHERE = N_(
    "the title does not name what the question asks about: check that they go together"
)
LONE_QUESTION = N_("no other note says what the question asks: check that it speaks for the theme")
ASKED_ELSEWHERE = N_(
    "a larger challenge asks the same question: write this one's own when reviewing"
)
ASKED_NEXT = N_(
    "a larger challenge asks this one's first question, so it asks its next: check that it "
    "speaks for the challenge and goes with its title when reviewing"
)
FEW_MAKE_THE_QUESTION = N_(
    "the idea the question is built from comes from %(made)s of the challenge's %(total)s "
    "notes: check that it speaks for the challenge, or adopt an alternative"
)
UNRULED = N_(
    "the notes are in %(langs)s, which the drafter has no rules for: translate them, then "
    "write the title and the question when reviewing"
)
UNRULED_NAMED = N_(
    "the notes are in %(langs)s, which the drafter has no rules for: translate them, then "
    "check the title and the question, written from a name they use, when reviewing"
)
FIRST_READ = 3
"""The proposals read as a draft's answer: the first three, as the readings count them."""
TRANSLATE_PROPOSALS = N_(
    "proposals in '%(langs)s' among the first three: translate them, or move others up, when "
    "reviewing"
)
MISSPELT_PROPOSALS = N_(
    "'%(words)s' in the first three proposals looks misspelt, as its note writes it: correct "
    "it when reviewing"
)
PROPOSAL_FLAGS = (TRANSLATE_PROPOSALS, MISSPELT_PROPOSALS)
"""The flags about a draft's proposals: an analyst's list of proposals ends them."""
TITLE_FLAGS = (NO_TITLE,)
"""The flags about a draft's title: a reviewer's name for the unit ends them."""
QUESTION_FLAGS = (ASKED_IN_OTHER_LANGUAGE, FEW_IN_LANGUAGE, ASKS_ABOUT_TITLE, NO_QUESTION, STRAND,
                  LONE_QUESTION, FEW_MAKE_THE_QUESTION, UNRULED, UNRULED_NAMED,
                  ASKED_ELSEWHERE, ASKED_NEXT)  # fmt: skip
"""The flags about a draft's question: an analyst's question ends them (the notes-in-zh
flag with it: translating them is writing the question)."""


@cache
def _asked_in_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """``ASKED_IN_OTHER_LANGUAGE`` and ``FEW_IN_LANGUAGE`` as a draft in ``lang`` says them,
    the language its question is asked in caught as ``asked_in``."""
    patterns = []
    for message, field in ((ASKED_IN_OTHER_LANGUAGE, "asked_in"), (FEW_IN_LANGUAGE, "other")):
        template = re.escape(words(lang).gettext(message))
        template = template.replace(re.escape(f"%({field})s"), r"(?P<asked_in>[\w-]+)")
        for other in ("lang", "num", "total"):
            template = template.replace(re.escape(f"%({other})s"), r".*?")
        patterns.append(re.compile(template))
    return tuple(patterns)


def question_language(draft: Draft) -> str:
    """The language ``draft``'s question is asked in: the one its ``ASKED_IN_OTHER_LANGUAGE``
    or ``FEW_IN_LANGUAGE`` flag names (no note in the draft's language could be worded as a
    question, or too few of its notes are in it, so the question is another language's),
    else the draft's own. The flag ends when an
    analyst writes or adopts a question, which is then taken to be in the draft's
    language."""
    for pattern in _asked_in_patterns(draft.language):
        for flag in draft.flags:
            found = pattern.fullmatch(flag)
            if found is not None:
                return found["asked_in"]
    return draft.language


def _generic_word(phrase: str) -> bool:
    """Whether every word of ``phrase`` (a keyphrase) names no theme: "idée", "people"."""
    keys = {match_key(w) for w in phrase.split()}
    return bool(keys) and keys <= GENERIC_HEADS | BARE_HEADS | VAGUE_ALONE | PEOPLE


def _unruled(members: Sequence[_Member]) -> bool:
    """Whether no note of the unit is in a language the rules can read ("zh", "ar")."""
    return not any(m.note.lang in RULES for m in members)


LATIN_WORD = re.compile(
    r"(?<![A-Za-z0-9\u00c0-\u024f])[A-Za-z][A-Za-z0-9]+(?![A-Za-z0-9\u00c0-\u024f])"
)
"""A word in Latin letters, not part of a longer one ("über" holds none)."""
NAME_SHARE = 1 / 3
"""The share of a unit's notes that must write a name in Latin letters, in a script the
rules cannot read, for it to head the unit (as for a one-word topic, ``topics.ONE_WORD_SHARE``)."""


def _named_in_latin_letters(members: Sequence[_Member]) -> Topic | None:
    """The word in Latin letters ("Uber" in 22 of 40 Chinese notes on ride-hailing) that at
    least ``NAME_SHARE`` of a unit's notes write, and five or more, as they write it most
    often; ``None`` if none does. Only for a unit whose notes the rules cannot read: there a
    name is all a heading can say in the room's letters."""
    naming: dict[str, list[str]] = {}
    written: dict[str, Counter[str]] = {}
    for member in members:
        found = LATIN_WORD.findall(member.note.text)
        for key in {w.casefold() for w in found}:
            naming.setdefault(key, []).append(member.note.id)
        for word in found:
            written.setdefault(word.casefold(), Counter())[word] += 1
    if not naming:
        return None
    key = max(sorted(naming), key=lambda k: len(naming[k]))
    if len(naming[key]) < max(5, NAME_SHARE * len(members)):
        return None
    form = max(sorted(written[key]), key=lambda w: written[key][w])
    return Topic(words=(Word(form, key, "PROPN"),), article="", note_ids=tuple(naming[key]))


SLOGAN_WORDS = 6
SLOGAN_NOTES = 2
"""A short note other notes say again (here two, besides copies of its words) is what the
unit says in so many words: where no phrase in the room's language names the unit, it
heads it as written."""
AS_WRITTEN_WORDS = 8
AS_WRITTEN_CHARACTERS = 40
"""How long a note may be to name a unit as written: eight words, or forty characters in
a script without spaces."""


def _as_written(members: Sequence[_Member]) -> Sentence | None:
    """The most central short note, as written and tagged with its language, to name a
    unit the rules cannot read, without the writer's "I think" ("我覺得 UberX …"), which a
    heading does not say (as its proposals leave it out, ``_unspaced_cut``)."""
    for member in members:
        text = " ".join(member.note.text.split()).rstrip(" 。.!！?？,，;；:：")
        opener = _UNSPACED_OPINION.match(text)
        if opener is not None and len(text) - opener.end() >= MIN_UNSPACED_SENTENCE:
            text = text[opener.end() :]
        if text and len(text.split()) <= AS_WRITTEN_WORDS and len(text) <= AS_WRITTEN_CHARACTERS:
            return Sentence(text=f"{text} ({member.note.lang})", cites=[member.note.id])
    return None


def _said_as_title(member: _Member, language: str) -> Sentence | None:
    """The measure ``member``'s note says, as a proposal says it, where it is of at most
    ``AS_WRITTEN_WORDS`` words in ``language`` (a heading, not a paragraph), else ``None``."""
    if member.note.lang != language or not member.actionable or "\n" in member.note.text.strip():
        return None
    text = _as_proposal(member.note.text, "", language)
    if 1 < len(text.split()) <= AS_WRITTEN_WORDS and not text.endswith("?"):
        return Sentence(text=text, cites=[member.note.id])
    return None


REPEAT_SHARE = 0.8
"""A proposal whose content words are at least this share of the question's and title's
says nothing the question does not (``_repeat_after_answers``)."""
CONTENT_TAGS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})


def _content_words(words: Sequence[Word]) -> list[str]:
    return [match_key(w.lemma) for w in words if w.pos in CONTENT_TAGS and match_key(w.lemma)]


def repeats(proposal: str, said: Sequence[str], language: str) -> bool:
    """Whether ``proposal`` says nothing beyond ``said`` (the question and the title): at
    least ``REPEAT_SHARE`` of its content words' lemmas are among theirs. "Former les agents
    à l'animation de réunions participatives" under "… former les agents à l'animation de
    réunions participatives ?", "Wir müssen die Ausbeutungslogik des Kapitalismus hinter
    uns lassen" under "… die Ausbeutungslogik des Kapitalismus hinter uns lassen?"."""
    if language not in RULES:
        return False
    tagged = tag_many([proposal, *said], [language] * (1 + len(said)))
    own = _content_words(tagged[0])
    if not own:
        return False
    known = {w for words in tagged[1:] for w in _content_words(words)}
    return sum(1 for w in own if w in known) >= REPEAT_SHARE * len(own)


def _repeat_after_answers(
    draft: Draft,
    notes: Mapping[str, Note],
    slipped: Set[str],
    within: Set[str] | None = None,
) -> Draft:
    """``draft`` with the question's own idea after the first ``MIN_PROPOSALS`` when it only
    says the question again (``repeats``): it comes first so that heading, question and
    first proposal name one thing, but in nearly the same words it reads as a repeat
    (strict readers counted "P1 repeats the question" under 9 of 22 challenges, and "P3
    repeats it" as often where it came third), and the answers to the question are what
    the room should read first. It moves only where the ideas it lets up are said whole,
    without a slip (a note in ``slipped``), by notes in the draft's language: a repeat reads
    better than an idea to translate or correct. The place it leaves goes to the next such
    idea several notes back, from the notes ``within`` where given (a challenge's leading
    facet, whose ideas answer its question); with none, the question's idea stays first
    (third, it read oddly under a handout saying the closest ideas come first). It stays
    listed, with the notes behind it, so a reviewer who adopts another question keeps it
    among the ideas."""
    proposals = draft.proposal
    asking = draft.challenge.cites[0] if draft.challenge.cites else None
    if (
        len(proposals) < 2
        or asking is None
        or proposals[0].cites[:1] != [asking]
        or not repeats(proposals[0].text, [draft.challenge.text, draft.title.text], draft.language)
    ):
        return draft

    def whole(proposal: Sentence) -> bool:
        voice = notes.get(proposal.cites[0]) if proposal.cites else None
        return (
            voice is not None
            and voice.lang == draft.language
            and voice.id not in slipped
            and not proposal.text.endswith(ELLIPSIS.strip())
        )

    head, rest = list(proposals[1:MIN_PROPOSALS]), list(proposals[MIN_PROPOSALS:])
    if not all(whole(p) for p in head):
        return draft
    k = next(
        (
            k
            for k, p in enumerate(rest)
            if whole(p) and len(p.cites) > 1 and (within is None or p.cites[0] in within)
        ),
        None,
    )
    if k is None:
        return draft
    head.append(rest.pop(k))
    return draft.model_copy(update={"proposal": [*head, proposals[0], *rest]})


def _proposals_told(draft: Draft, notes: Mapping[str, Note]) -> Draft:
    """A challenge's ``draft`` with the flags about its first three proposals, which the
    handout lists under it: ideas in another language (``_translations_told``), and words
    they copy misspelt from their notes (``MISSPELT_PROPOSALS``: "müssste", which
    ``_slips_later`` could not move down, a debate's other side having no other voice)."""
    if draft.language not in RULES:
        return draft
    draft = _translations_told(draft, notes)
    misspelt_words = []
    for proposal in draft.proposal[:FIRST_READ]:
        voice = notes.get(proposal.cites[0]) if proposal.cites else None
        if voice is None:
            continue
        for word in proposal.text.split():
            bare = word.strip(".,;:!?()[]{}\"'«»“”„‘’…")
            if misspelt(word, voice.lang) and bare not in misspelt_words:
                misspelt_words.append(bare)
    if not misspelt_words:
        return draft
    flag = words(draft.language).gettext(MISSPELT_PROPOSALS, words=", ".join(misspelt_words))
    return draft.model_copy(update={"flags": [*draft.flags, flag]})


def _translations_told(draft: Draft, notes: Mapping[str, Note]) -> Draft:
    """A challenge's ``draft`` flagged (``TRANSLATE_PROPOSALS``) when its first three
    proposals include ideas said in another language (tagged "(de)": the note voicing each,
    its first citation, is in another language than the draft's): the handout lists them
    under the challenge, and a strict reader could not hand them out ("Ältere Menschen ohne
    Internet erreichen (de)" under a French question). Also where the notes are to translate
    (``UNRULED``, ``FEW_IN_LANGUAGE``): that flag goes with the question an analyst writes,
    this one with the proposals they list. Not for facets, which the handout names without
    their proposals."""
    language = draft.language
    langs = {
        notes[p.cites[0]].lang
        for p in draft.proposal[:FIRST_READ]
        if p.cites and p.cites[0] in notes and notes[p.cites[0]].lang != language
    }
    if not langs:
        return draft
    flag = words(language).gettext(TRANSLATE_PROPOSALS, langs=", ".join(sorted(langs)))
    return draft.model_copy(update={"flags": [*draft.flags, flag]})


def as_the_notes_write(phrase: str, texts: Iterable[str]) -> str:
    """A keyphrase (lower-case, as the theme's keyphrases keep them) as most of ``texts``
    write it, its first letter capitalised: "BG" where the notes write the town's initials,
    not "Bg"; the phrase as given where no text holds it."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)
    written = Counter(m.group() for text in texts for m in pattern.finditer(text))
    form = written.most_common(1)[0][0] if written else phrase
    return form[:1].upper() + form[1:]


def _untitled(members: Sequence[_Member], language: str) -> Sentence:
    return Sentence(text=WORDING[language].untitled, cites=[members[0].note.id])


def _few_ideas(n: int, language: str) -> str:
    if n == 0:
        return words(language).gettext(
            "no actionable idea among the notes: they are observations or questions"
        )
    return words(language).ngettext(
        "only %(num)d actionable idea among the notes: the others are observations or questions",
        "only %(num)d actionable ideas among the notes: the others are observations or questions",
        n,
    )


def _small(n: int, language: str) -> str:
    return words(language).gettext("small theme (%(n)s notes): check it is a theme of its own", n=n)


def unwritten_draft(
    theme: Theme, notes: Mapping[str, Note], language: str, drafter: str, error: Exception
) -> Draft:
    """A draft that says it could not be written, citing the theme's first note, with the
    reason in its flags: the reviewer writes the title and the question."""
    wording = WORDING.get(language, WORDING["en"])
    first = next(i for i in theme.note_ids if i in notes)
    reason = f"{type(error).__name__}: {error}".strip().splitlines()[0][:200]
    title = theme.keyphrases[0] if theme.keyphrases else wording.untitled
    return Draft(
        theme_id=theme.id,
        language=language if language in WORDING else "en",
        drafter=drafter,
        title=Sentence(text=title[:1].upper() + title[1:], cites=[first]),
        challenge=Sentence(text=wording.no_question, cites=[first]),
        proposal=[],
        flags=[
            words(language).gettext(
                "the draft could not be written (%(reason)s): write it when reviewing",
                reason=reason,
            )
        ],
    )


_TAIL = re.compile(r"(?<=[\w).]) +[-–=] *(?=\S)")
"""Where a proposal's own words end: a dash or "=" before a comment on it ("… recyclen -
Vorsatz: Naturzerstörung")."""


TOPIC_WORDS = 3
"""Words before a dash that name the topic of what follows rather than a proposal with a
comment after it: "Energie- u Wasserkosten - berechnet nach Haushaltsgröße sollen sie gut
leistbar sein"."""


def _before_tail(text: str) -> str:
    """``text`` up to its first ``_TAIL`` outside brackets: a dash inside an aside is the
    aside's ("… (zb Backofen - Temperatur nicht konstant)"). A dash between numbers is a
    range ("in the next 10 - 20 years"), and one after a topic of at most ``TOPIC_WORDS``
    words, before longer words, introduces what the note says of it: neither ends it."""
    for match in _TAIL.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if before.count("(") > before.count(")"):
            continue
        if before[-1:].isdigit() and after[:1].isdigit():
            continue
        if _words_in(before) <= TOPIC_WORDS < _words_in(after):
            continue
        return before
    return text


def _words_in(text: str) -> int:
    """Words of ``text``, signs standing between them aside ("Elderly & offline ppl": 3)."""
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


_LIST_NUMBER = re.compile(r"\(?(?:\d{1,2}|[a-z])[.)]")
_ADDED_AT_END = re.compile(
    r"(?<=\w)\s+(?:as well|too|also|aussi|également|de même|auch|ebenfalls|ook|eveneens)$",
    re.IGNORECASE,
)
"""A word ending a proposal that adds it to what the note said before ("Boxing and its
variations … need to be banned as well"): on its own line it points at nothing."""
_ANSWER = re.compile(r"^(?:oui|yes|ja)\b[\s,:;!.–-]*(?=\w)", re.IGNORECASE)
"""A reply's answer word before what it says ("Oui, il faut diminuer …")."""
_OPINION = re.compile(
    r"^(?:(?:personally,?\s+)?i\s+(?:really\s+)?(?:think|believe|feel)(?:\s+that|\s+like)?\s+"
    r"|in\s+my\s+(?:opinion|view),?\s+"
    r"|je\s+(?:pense|crois|trouve)\s+qu(?:e\s+|['’])"
    r"|(?:à|a)\s+mon\s+avis,?\s+|selon\s+moi,?\s+"
    r"|ich\s+(?:finde|denke|glaube|meine),\s+(?!dass\b))(?=\w)",
    re.IGNORECASE,
)
"""A speaker's frame before what they propose ("I think we should consider …", "Je pense
qu'il faut …", "Ich finde, wir sollten …"): the proposal is what follows, cited to the note
that says it. A German or Dutch frame before a subordinate clause ("Ich finde, dass wir …
sollten", "Ik denk dat we … moeten") stays: without it the verb would stand last."""


_ASKING = re.compile(
    r"^(?:who|what|why|how|which|when|where|should|can|could|would|is|are|do|does"
    r"|qui|que|quoi|pourquoi|comment|quel|quelle|quels|quelles|est-ce|faut-il|peut-on"
    r"|wer|was|warum|wie|welche[rsmn]?|wann|wo|sollte[n]?|kann|könnte[n]?"
    r"|wat|waarom|hoe|welke|wanneer|waar|moet|kunnen|zou)\b",
    re.IGNORECASE,
)
"""Words that open a question: a proposal starting with one keeps its question mark."""


def _suggested(line: str) -> str:
    """A proposal the note put as a question ("Un comité indépendant … pour contrôler le
    respect de la charte ?", "Mandatory basic training … for all new hires?") stated as
    the idea it suggests; a real question ("Who audits the vendor's model?") or one after
    a colon ("Terugkoppeling naar deelnemers: wat is er met hun input gebeurd?") stays."""
    if not line.endswith("?") or ":" in line or _ASKING.match(line):
        return line
    return line.rstrip(" ?")


def _sharing_most(sentences: Sequence[str], clause: str) -> list[str]:
    """The one sentence of ``sentences`` that holds the most of ``clause``'s words (of three
    letters or more, casefolded), if any sentence holds at least half of them; else none."""
    wanted = {w for w in re.findall(r"\w+", clause.casefold()) if len(w) >= 3}
    if not wanted:
        return []
    held = [len(wanted & set(re.findall(r"\w+", s.casefold()))) for s in sentences]
    best = max(range(len(sentences)), key=lambda k: (held[k], -k))
    return [sentences[best]] if 2 * held[best] >= len(wanted) else []


def _first_line(text: str) -> str:
    """A note's first line with words, stripped: what a proposal is said from."""
    return next((line for line in text.splitlines() if line.strip()), text).strip()


def _as_proposal(text: str, clause: str = "", language: str = "en") -> str:
    """A note as a proposal line: its first line, and of that the sentence ``clause`` (the
    words the idea was read from) is in, whitespace folded, list bullets dropped, at most
    ``MAX_PROPOSAL_WORDS`` words (``PROPOSAL_SLACK`` more kept whole), capitalised, without
    closing punctuation."""
    first = _first_line(text)
    sentences = split_sentences(first, language)
    if len(sentences) > 1:
        # The sentence the idea was read from ("Yes, it will change the game. The solution
        # is to make helmets soft …"), else the first: "We should lower taxes. This …".
        start = " ".join(clause.split()[:3]).casefold()
        found = [s for s in sentences if start and start in " ".join(s.split()).casefold()]
        if not found:
            # The clause's words reordered ("Boxing … need to be banned" read as "ban
            # Boxing …"): the sentence holding most of them, not "I agree with Gladwell".
            found = _sharing_most(sentences, clause)
        first = found[0] if found else sentences[0] if len(sentences[0].split()) >= 3 else first
    if first.count("(") > first.count(")") and first[: first.rindex("(")].strip(" ,;:-"):
        # "… bei Supermärkten (+ ein paar Freiflächen …": an aside the note never closes.
        first = first[: first.rindex("(")].rstrip(" ,;:-")
    first = SPACE_BEFORE_MARK.sub("", _before_tail(without_links(first)))
    first = _ANSWER.sub("", first) or first  # "Oui, il faut …", "OUI On est …": what it says
    first = _OPINION.sub("", first) or first  # "I think we should consider …": "We should …"
    words = unshouted(first, language).split()  # "REDUCE IMMIGRATION" → "Reduce immigration"
    while words and (
        words[0] in {"-", "*", "•", "–", "—", ">"} or _LIST_NUMBER.fullmatch(words[0])
    ):
        words = words[1:]  # "3. introduce a kids' basic income", a numbered idea of a list
    if len(words) > MAX_PROPOSAL_WORDS + PROPOSAL_SLACK:
        # At a sentence, a clause or a whole word: not "… in society- rewrite …".
        line = shortened(" ".join(words), MAX_PROPOSAL_WORDS, language, whole=True)
        line = line.rstrip(" .,;:!")
    else:
        line = " ".join(words).rstrip(" .,;:!")
        last = words[-1].rstrip(".").split(".")[-1] if words else ""
        if words and words[-1].endswith(".") and shortens(last, language):
            line += "."  # "… Heizdecke etc.": the stop belongs to the abbreviation
    line = _suggested(_ADDED_AT_END.sub("", line))
    if language not in RULES and _unspaced(line):
        line = _unspaced_cut(line)
    if language in RULES:
        # A sticky note's shorthand, read as the word it stands for: "Formation courte et
        # mise en pratique accompagnée", not "… courte + mise en pratique …" ("&" stays, as
        # a heading writes it).
        line = _SHORTHAND_AND.sub(f" {RULES[language].conjunction} ", line)
    return line[:1].upper() + line[1:]


UNSPACED_CHARACTERS = 60
"""A proposal in a script written without spaces between words (Chinese, Japanese) keeps at
most this many characters, about what ``MAX_PROPOSAL_WORDS`` words say: the word limit,
counted between spaces, would keep a whole comment."""
MIN_UNSPACED_SENTENCE = 6
"""Characters a first sentence needs to stand for the note ("好。" does not)."""
_UNSPACED_SENTENCE_END = re.compile(r"[。！？!?]")
_UNSPACED_CLAUSE_MARKS = "，、；：,;:"
_UNSPACED_OPINION = re.compile(r"\s*我(?:覺得|觉得|認為|认为)[，,：:\s]*")
"""The writer's "I think" before a Chinese note's idea, as ``_OPINION`` for English."""


def _unspaced(text: str) -> bool:
    """Whether most of ``text``'s characters are of a script written without spaces."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in {"W", "F"})
    return wide * 2 > len(text)


def _unspaced_cut(line: str) -> str:
    """``line`` (mostly Chinese or Japanese) as a proposal: its first sentence, and of that
    at most ``UNSPACED_CHARACTERS``, cut after a clause mark in its second half where there
    is one ("…" says words are left out), without closing punctuation."""
    opener = _UNSPACED_OPINION.match(line)
    if opener is not None and len(line) - opener.end() >= MIN_UNSPACED_SENTENCE:
        line = line[opener.end() :]  # "我覺得 Uber 平台的 …" ("I think …"): what it says
    end = _UNSPACED_SENTENCE_END.search(line)
    if end is not None and end.start() >= MIN_UNSPACED_SENTENCE:
        line = line[: end.start()]
    line = line.strip().rstrip("。！？!?，、；：,;: ")
    if len(line) <= UNSPACED_CHARACTERS:
        return line
    kept = line[:UNSPACED_CHARACTERS]
    mark = max(kept.rfind(c) for c in _UNSPACED_CLAUSE_MARKS)
    if mark >= UNSPACED_CHARACTERS // 2:
        kept = kept[:mark]
    return kept.rstrip("，、；：,;: ") + "…"


_SHORTHAND_AND = re.compile(r"(?<=[^\W\d_]) \+ (?=[^\W\d_])")
