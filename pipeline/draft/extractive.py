"""A deterministic, offline drafter that quotes the theme's own notes.

It writes no new claims: the title is the theme's keyphrases, the challenge statement frames
the most representative note (preferably one written in the output language) as a
"How might we …?" question, and the proposal summary quotes further representative notes.
Stitched, not eloquent; an LLM drafter can do better, and reviewers edit either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.describe import terms_of
from pipeline.draft.base import drafters
from pipeline.draft.phrases import PHRASES, Phrases
from pipeline.nlp import lemmas_many
from pipeline.schema import Draft, Note, Sentence, Theme

MAX_QUOTE_WORDS = 25
SUMMARY_KEYPHRASES = 5
"""Keyphrases the proposal's first sentence lists ("N ideas are about: …")."""


@dataclass
class _Keyphrases:
    """How a draft says a theme's keyphrases, and the notes it cites for them."""

    said: list[str]
    """Every keyphrase of the theme, as the draft says it."""
    title: list[str]
    title_cites: list[str]
    summary_cites: list[str]


def shorten(text: str, max_words: int = MAX_QUOTE_WORDS) -> str:
    words = " ".join(text.split()).split(" ")
    if len(words) <= max_words:
        return " ".join(words).rstrip(" .;:!?")
    return " ".join(words[:max_words]).rstrip(" .,;:!?") + " …"


class ExtractiveDrafter:
    name = "extractive"

    def draft(self, theme: Theme, notes: Mapping[str, Note], language: str) -> Draft:
        phrases = PHRASES.get(language, PHRASES["en"])
        flags: list[str] = []
        if language not in PHRASES:
            flags.append(f"no wording for language {language!r}: drafted in English")
            language = "en"
        reps = [notes[i] for i in theme.representative_ids if i in notes] or [
            notes[i] for i in theme.note_ids[:1]
        ]
        in_language = [n for n in reps if n.lang == language]
        lead = in_language[0] if in_language else reps[0]
        if lead.lang != language:
            flags.append(
                f"no representative note is in '{language}': the challenge quotes a note in "
                f"'{lead.lang}', translate it when reviewing"
            )
        if theme.size < 3:
            flags.append(f"small theme ({theme.size} notes): check it is a theme of its own")
        others = [n for n in reps if n.id != lead.id][:3]

        members = [notes[i] for i in theme.note_ids if i in notes]
        keyphrases = self._keyphrases(theme, members, language)
        return Draft(
            theme_id=theme.id,
            language=language,
            drafter=self.name,
            title=Sentence(
                text=_capitalise(" · ".join(keyphrases.title)), cites=keyphrases.title_cites
            ),
            challenge=Sentence(
                text=phrases.challenge.format(quote=_quote(phrases, lead, language)),
                cites=[lead.id],
            ),
            proposal=self._proposal(theme, phrases, reps, others, language, keyphrases),
            flags=flags,
        )

    def _keyphrases(self, theme: Theme, members: list[Note], language: str) -> _Keyphrases:
        """The theme's keyphrases as the draft says them, and the notes to cite for them.

        Each is said with the output language's word where one of its folded translations
        is used in an output-language note. A keyphrase's notes are those that use any of
        its words: "mois" cites the notes that say "maanden" too."""
        terms_by_note = {
            n.id: set(terms_of(lemmas))
            for n, lemmas in zip(
                members,
                lemmas_many([n.text for n in members], [n.lang for n in members]),
                strict=True,
            )
        }
        lang_of = {n.id: n.lang for n in members}

        def users(*words: str) -> list[str]:
            return [i for i, terms in terms_by_note.items() if terms.intersection(words)]

        def in_language(term: str) -> bool:
            return any(lang_of[i] == language for i in users(term))

        words_of = {k: [k, *theme.keyphrase_translations.get(k, [])] for k in theme.keyphrases}
        said = {k: next((w for w in words_of[k] if in_language(w)), k) for k in theme.keyphrases}
        ranked = sorted(
            theme.keyphrases, key=lambda k: (not in_language(said[k]), theme.keyphrases.index(k))
        )
        title = [k for k in ranked if users(*words_of[k])][:3]

        def cites(keyphrases: list[str], per_keyphrase: int) -> list[str]:
            found = [i for k in keyphrases for i in users(*words_of[k])[:per_keyphrase]]
            return list(dict.fromkeys(found)) or theme.representative_ids[:1] or theme.note_ids[:1]

        return _Keyphrases(
            said=[said[k] for k in theme.keyphrases],
            title=[said[k] for k in title] or [theme.label],
            title_cites=cites(title, 3),
            summary_cites=cites(theme.keyphrases[:SUMMARY_KEYPHRASES], 2),
        )

    def _proposal(
        self,
        theme: Theme,
        phrases: Phrases,
        reps: list[Note],
        others: list[Note],
        language: str,
        keyphrases: _Keyphrases,
    ) -> list[Sentence]:
        languages = ", ".join(f"{lang} {count}" for lang, count in theme.languages.items())
        sentences = [
            Sentence(
                text=phrases.summary.format(
                    n=theme.size,
                    languages=languages,
                    keyphrases=", ".join(keyphrases.said[:SUMMARY_KEYPHRASES]) or theme.label,
                ),
                cites=keyphrases.summary_cites or [r.id for r in reps],
            )
        ]
        if others:
            quotes = phrases.separator.join(_quote(phrases, n, language) for n in others)
            sentences.append(
                Sentence(text=phrases.proposals.format(quotes=quotes), cites=[n.id for n in others])
            )
        return sentences


def _quote(phrases: Phrases, note: Note, language: str) -> str:
    tag = "" if note.lang == language else f" ({note.lang})"
    return f"{phrases.open_quote}{shorten(note.text)}{phrases.close_quote}{tag}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@drafters.register("extractive")
def _create(argument: str | None) -> ExtractiveDrafter:
    return ExtractiveDrafter()
