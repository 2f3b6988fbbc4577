"""The ``compose`` drafter: Day 2 material from the participants' own words, offline.

For a challenge or a facet it writes:

- a **title**: the noun phrase of its notes that best names it (``titles``);
- a **challenge**: a "How might we …?" question built by rules from the most central note
  that can become one (``questions``), in the output language; where no note in that
  language can, a question in the note's own language, flagged, or a flagged placeholder;
- **proposals**: 3 to 6 distinct actionable ideas of its notes, near-duplicates merged (in
  any language, by the run's embeddings), ranked by how many notes support each, each said
  by a note in the output language where one exists and otherwise in its own, tagged.

It writes no fact of its own: every sentence is a note's words plus, for the question, the
stem, one verb and an article. Every sentence cites the notes it comes from. It is
deterministic: the same notes and vectors give the same draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.draft.compose.checks import MIN_QUESTION_WORDS
from pipeline.draft.compose.questions import RULES, Form, FormKind, form_of, question
from pipeline.draft.compose.tagging import Word, tag_many
from pipeline.draft.compose.titles import title_candidates
from pipeline.draft.compose.wording import WORDING
from pipeline.schema import Draft, Note, Sentence, Theme

MAX_PROPOSALS = 6
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
SUPPORT_BONUS = 0.04
"""Added to a note's score as the challenge's note for each other note making its idea (up
to four)."""
TITLE_BONUS = 0.3
"""Weight of a note's closeness to the title when choosing the challenge's note."""
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


@dataclass
class _Idea:
    members: list[_Member]

    @property
    def size(self) -> int:
        return len(self.members)


TextEmbedder = Callable[[list[str]], np.ndarray]


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

    def with_vectors(
        self, vectors: Mapping[str, np.ndarray], embed: TextEmbedder | None = None
    ) -> ComposingDrafter:
        return ComposingDrafter(vectors, embed)

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        flags: list[str] = []
        if language not in RULES:
            flags.append(f"no wording for language {language!r}: drafted in English")
            language = "en"
        members = self._members(theme, notes)
        if not members:
            raise ValueError(f"theme {theme.id} has none of its notes at hand")
        if theme.size < 3:
            flags.append(f"small theme ({theme.size} notes): check it is a theme of its own")
        ideas = self._ideas(members)
        support = {id(m): idea.size for idea in ideas for m in idea.members}
        title = self._title(theme, members, language, flags)
        challenge = self._challenge(members, language, flags, support, self._vector(title.text))
        proposals = self._proposals(ideas, language, flags)
        return Draft(
            theme_id=theme.id,
            language=language,
            drafter=self.name,
            title=title,
            challenge=challenge,
            proposal=proposals,
            flags=flags,
        )

    # --- notes, in order of centrality ----------------------------------------------------

    def _members(self, theme: Theme, notes: Mapping[str, Note]) -> list[_Member]:
        present = [notes[i] for i in theme.note_ids if i in notes]
        centrality = self._centrality(theme, present)
        tagged = tag_many([n.text for n in present], [n.lang for n in present])
        members = [
            _Member(n, words, form_of(n.text, n.lang, words) if words else None, centrality[n.id])
            for n, words in zip(present, tagged, strict=True)
        ]
        return sorted(members, key=lambda m: (-m.centrality, m.note.id))

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
        vector = np.asarray(self.vectors[note.id], dtype=np.float64)
        return np.asarray(vector / max(float(np.linalg.norm(vector)), 1e-12))

    def _vector(self, text: str) -> np.ndarray | None:
        """``text`` in the notes' embedding space (unit length), when the run's embedder is
        at hand."""
        if self.embed is None or self.vectors is None or not text.strip():
            return None
        vector = np.asarray(self.embed([text]), dtype=np.float64)[0]
        return np.asarray(vector / max(float(np.linalg.norm(vector)), 1e-12))

    def _similar(self, a: Note, b: Note) -> bool:
        if " ".join(a.text.casefold().split()) == " ".join(b.text.casefold().split()):
            return True
        if a.duplicate_of == b.id or b.duplicate_of == a.id:
            return True
        if self.vectors is None or a.id not in self.vectors or b.id not in self.vectors:
            return False
        u = np.asarray(self.vectors[a.id], dtype=np.float64)
        v = np.asarray(self.vectors[b.id], dtype=np.float64)
        cosine = float(u @ v / max(float(np.linalg.norm(u) * np.linalg.norm(v)), 1e-12))
        return cosine >= (SAME_IDEA if a.lang == b.lang else SAME_IDEA_ACROSS_LANGUAGES)

    # --- the challenge --------------------------------------------------------------------

    def _challenge(
        self,
        members: list[_Member],
        language: str,
        flags: list[str],
        support: Mapping[int, int],
        title: np.ndarray | None = None,
    ) -> Sentence:
        """The question, from the note with the best centrality, form and support (an idea
        several notes make is what the room talks about), and closest to the title: the
        heading and its question must speak of the same thing (a theme titled "Stop à la
        concertation de façade" is not asked about childcare)."""

        def score(member: _Member) -> float:
            assert member.form is not None
            n_words = len(member.form.words)
            fit = 0.0 if 3 <= n_words <= 12 else -0.05 * min(abs(n_words - 7) - 5, 4)
            if len(question(member.form, member.note.lang).split()) < MIN_QUESTION_WORDS:
                fit -= 0.15  # "How might we lower taxes?": a fuller question says more
            backing = SUPPORT_BONUS * min(support.get(id(member), 1) - 1, 4)
            on_title = 0.0
            if title is not None and (vector := self._note_vector(member.note)) is not None:
                on_title = TITLE_BONUS * float(vector @ title)
            return member.centrality + FORM_BONUS[member.form.kind] + fit + backing + on_title

        usable = [m for m in members if m.form is not None]
        in_language = [m for m in usable if m.note.lang == language]
        if in_language:
            lead = max(in_language, key=score)
            text = question(lead.form, language)  # type: ignore[arg-type]
        elif usable:
            lead = max(usable, key=score)
            text = question(lead.form, lead.note.lang)  # type: ignore[arg-type]
            flags.append(
                f"no note in '{language}' can be worded as a question: the challenge is in "
                f"'{lead.note.lang}', translate it when reviewing"
            )
        else:
            lead = members[0]
            flags.append(
                "no note can be worded as a question (they are observations or questions): "
                "write the challenge when reviewing"
            )
            return Sentence(text=WORDING[language].no_question, cites=[lead.note.id])
        cites = [lead.note.id] + [
            m.note.id for m in members if m is not lead and self._similar(m.note, lead.note)
        ]
        return Sentence(text=text, cites=cites[:5])

    # --- the title ------------------------------------------------------------------------

    def _title(
        self,
        theme: Theme,
        members: list[_Member],
        language: str,
        flags: list[str],
    ) -> Sentence:
        tagged = [(m.note.id, m.words) for m in members if m.note.lang == language and m.words]
        centrality = {m.note.id: m.centrality for m in members}
        centroid = self._centroid([m.note for m in members])
        by_meaning = self.embed is not None and centroid is not None
        candidates = title_candidates(theme, tagged, language, centrality, by_meaning=by_meaning)[
            :TITLE_CANDIDATES
        ]
        if not candidates:
            flags.append(f"no note in '{language}' names the theme: give it a title when reviewing")
            if theme.keyphrases:  # one word the notes use is better than no name
                word = theme.keyphrases[0]
                return Sentence(text=word[:1].upper() + word[1:], cites=[members[0].note.id])
            return Sentence(text=WORDING[language].untitled, cites=[members[0].note.id])
        best = candidates[0][1]
        if self.embed is not None and centroid is not None and len(candidates) > 1:
            texts = [title.text for _, title in candidates]
            vectors = np.asarray(self.embed(texts), dtype=np.float64)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)
            top = max(max(score for score, _ in candidates), 1e-9)
            # Meaning first; keyphrases and a phrase of two to four words break near-ties
            # (one word is seldom a name a room can work with: "Calendrier", "Idées").
            ranked = [
                (float(v @ centroid) + 0.1 * score / top - _length_cost(t.text), t)
                for v, (score, t) in zip(vectors, candidates, strict=True)
            ]
            best = max(ranked, key=lambda item: item[0])[1]
        return Sentence(text=best.text, cites=best.note_ids)

    # --- the proposals --------------------------------------------------------------------

    def _ideas(self, members: list[_Member]) -> list[_Idea]:
        """The actionable ideas of the notes, each with every note that makes it."""
        actionable = [
            m
            for m in members
            if m.form is not None and m.form.kind in {FormKind.ACTION, FormKind.PROPOSAL}
        ]
        ideas: list[_Idea] = []
        for member in actionable:  # most central first: an idea's first member leads it
            for idea in ideas:
                if self._similar(member.note, idea.members[0].note):
                    idea.members.append(member)
                    break
            else:
                ideas.append(_Idea([member]))
        for member in members:  # duplicates of an idea that are not actionable on their own
            if member.form is None or member.form.kind is FormKind.PROBLEM:
                for idea in ideas:
                    if self._similar(member.note, idea.members[0].note):
                        idea.members.append(member)
                        break
        return ideas

    def _proposals(self, ideas: list[_Idea], language: str, flags: list[str]) -> list[Sentence]:
        ranked = sorted(ideas, key=lambda i: (-i.size, -i.members[0].centrality))
        chosen = ranked[:MAX_PROPOSALS]
        if len(chosen) < MIN_PROPOSALS:
            flags.append(
                f"only {len(chosen)} actionable idea(s) among the notes: the others are "
                "observations or questions"
            )
        return [self._say(idea, language) for idea in chosen]

    def _say(self, idea: _Idea, language: str) -> Sentence:
        actionable = [
            m
            for m in idea.members
            if m.form is not None and m.form.kind in {FormKind.ACTION, FormKind.PROPOSAL}
        ]
        in_language = [m for m in actionable if m.note.lang == language]
        voice = in_language[0] if in_language else idea.members[0]
        text = _as_proposal(voice.note.text, voice.form.text if voice.form else "")
        if voice.note.lang != language:
            text = f"{text} ({voice.note.lang})"
        cites = [voice.note.id] + [m.note.id for m in idea.members if m is not voice]
        return Sentence(text=text, cites=cites)


def _as_proposal(text: str, clause: str = "") -> str:
    """A note as a proposal line: its first line, and of that the sentence ``clause`` (the
    words the idea was read from) is in, whitespace folded, list bullets dropped, at most
    ``MAX_PROPOSAL_WORDS`` words, capitalised, without closing punctuation."""
    first = next((line for line in text.splitlines() if line.strip()), text)
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ö])", first.strip())
    if len(sentences) > 1:
        # The sentence the idea was read from ("Yes, it will change the game. The solution
        # is to make helmets soft …"), else the first: "We should lower taxes. This …".
        start = " ".join(clause.split()[:3]).casefold()
        found = [s for s in sentences if start and start in " ".join(s.split()).casefold()]
        first = found[0] if found else sentences[0] if len(sentences[0].split()) >= 3 else first
    words = first.split()
    while words and words[0] in {"-", "*", "•", "–", "—", ">"}:
        words = words[1:]
    if len(words) > MAX_PROPOSAL_WORDS:
        line = " ".join(words[:MAX_PROPOSAL_WORDS]).rstrip(" ,;:") + " …"
    else:
        line = " ".join(words).rstrip(" .;:!")
    return line[:1].upper() + line[1:]
