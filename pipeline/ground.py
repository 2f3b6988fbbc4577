"""The grounding check: is every sentence of a draft backed by the notes it cites?

It runs on every draft, whatever wrote it, so a reviewer reads the same marks on an LLM draft
and on an extractive one. For each sentence:

- its citations must be notes of the draft's theme (anything else is flagged);
- it must be *supported*: its cosine similarity with at least one cited note, in the run's own
  embedding space, reaches ``draft.grounding_threshold``;
- every number and name in it must appear in one of its cited notes. Numbers are found by
  pattern; names by spaCy's NER where the language has a model (French) and by pattern:
  capitalised words that do not start a sentence, and acronyms. German capitalises every noun,
  so there only acronyms, words with inner capitals and NER entities count as names. Figures
  the pipeline itself states about the theme (its size, its language counts) are known.

The result is written on the sentences (``support``, ``supported_by``, ``supported``,
``unverified``), on the draft (``grounded``) and as flags that the report shows.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet

import numpy as np

from pipeline.i18n import Words, words
from pipeline.memo import IN_MEMORY, TextMemo
from pipeline.schema import Draft, Note, Sentence, Theme

TextEmbedder = Callable[[list[str]], np.ndarray]
"""Texts in, one row per text out, in the run's embedding space."""

NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?(?:\s?%)?(?![\w])")
CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][\w'’-]*", re.UNICODE)
ACRONYM = re.compile(r"^[A-ZÀ-ÖØ-Þ]{2,}s?$|^[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+[A-ZÀ-ÖØ-Þ]")
SENTENCE_START = re.compile(r"(?:^|[.!?:;…]\s+|[«“„‘\"(\[]\s*|·\s+)$")
PLACEHOLDER = re.compile(r"\[(?:PERSON|EMAIL|PHONE)_\d+\]")
NER_LABELS = {"PER", "PERSON", "ORG", "LOC", "GPE"}


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The key a word or term is matched by: casefolded and without accents ("Éco-Quartier"
    and "eco-quartier" match), so that grounding finds a name in the notes and the drafter
    tells that two words are the same however a note wrote them. Never shown, and not what
    the embedder reads (that is :func:`pipeline.prepare.normalize.plain_typography`, which
    keeps case and accents). Remembered: the drafter keys the same words of a unit's notes
    over and over."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


ADDED_WORDS: dict[str, str] = {
    "fr": "comment pourrions nous mettre en place garantir remédier à au aux la le l les un une "
    "des organiser créer proposer instaurer réaliser adopter repenser notre approche de du",
    "nl": "hoe kunnen we werk maken van aanpakken de het een voor zorgen organiseren opzetten "
    "invoeren aanbieden uitvoeren aannemen anders rond thema nieuwe wegen inslaan onze aanpak "
    "herzien",
    "de": "wie könnten wir einführen gewährleisten angehen ein eine einen den für sorgen "
    "organisieren schaffen anbieten beschließen durchführen verabschieden fördern neu denken "
    "beim Thema neue Wege gehen unseren Umgang mit das die",
    "en": "how might we set up ensure address a an the provide achieve organize establish "
    "encourage offer pass rethink our approach to",
}
"""The words the composing drafter's rules may add (``pipeline.draft.compose``: its question
stem, verbs and articles), which the grounding check must not take for invented names. They
live here, below the drafters, because only the grounding check reads them."""


def theme_facts(theme: Theme, language: str) -> set[str]:
    """What the pipeline itself states, which no note needs to back: the theme's size and
    language counts, its keyphrases (drawn from all its notes), and the words the composing
    drafter adds (its question stem, verbs and articles) in ``language`` and in the others
    it has rules for: a theme no note in ``language`` can be asked about is asked in its
    notes' language, flagged to translate ("Wie könnten wir Energie neu denken?" in a French
    run)."""
    facts = {str(theme.size), str(theme.note_count), *(str(n) for n in theme.languages.values())}
    facts |= {w for k in theme.keyphrases for w in re.findall(r"\w+", match_key(k))}
    for added in ADDED_WORDS.values():  # ``language``'s among them
        facts |= set(re.findall(r"\w+", match_key(added)))
    return facts


def name_candidates(text: str, lang: str, memo: TextMemo = IN_MEMORY) -> list[str]:
    """Words that look like names: capitalised words not starting a sentence, acronyms, and
    NER entities where the language's spaCy pipeline has NER."""
    found: list[str] = []
    for match in CAPITALISED.finditer(PLACEHOLDER.sub(" ", text)):
        word = match.group().strip("'’-")
        if len(word) < 2:
            continue
        at_start = SENTENCE_START.search(text[: match.start()]) is not None
        acronym = ACRONYM.search(word) is not None
        if acronym or (not at_start and lang != "de"):
            found.append(word)
    found += ner_entities(text, lang, memo)
    return list(dict.fromkeys(found))


def ner_entities(text: str, lang: str, memo: TextMemo = IN_MEMORY) -> list[str]:
    from pipeline.nlp import entities_many

    entities = entities_many([text], [lang], memo)[0]
    return [name for name, label in entities if label in NER_LABELS and name[:1].isupper()]


def unverified_terms(
    text: str,
    cited_texts: Sequence[str],
    lang: str,
    known: AbstractSet[str] = frozenset(),
    memo: TextMemo = IN_MEMORY,
) -> list[str]:
    """Numbers and names of ``text`` found in none of ``cited_texts`` (nor in ``known``)."""
    haystack = match_key(" ".join(cited_texts))
    haystack_words = set(re.findall(r"\w+", haystack))
    note_numbers = {_digits(n) for n in NUMBER.findall(" ".join(cited_texts))}
    known_numbers = {_digits(k) for k in known}
    out: list[str] = []
    for number in NUMBER.findall(text):
        digits = _digits(number)
        if digits and digits not in note_numbers and digits not in known_numbers:
            out.append(number.strip())
    for name in name_candidates(text, lang, memo):
        words = [w for w in re.findall(r"\w+", match_key(name)) if w not in known]
        if (
            words
            and not all(w in haystack_words for w in words)
            and match_key(name) not in haystack
        ):
            out.append(name)
    return list(dict.fromkeys(out))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def ground_drafts(
    drafts: Sequence[Draft],
    themes: Sequence[Theme],
    notes: Sequence[Note],
    note_vectors: Mapping[str, np.ndarray],
    embed: TextEmbedder,
    threshold: float,
    memo: TextMemo = IN_MEMORY,
    stand_ins: frozenset[str] = frozenset(),
) -> list[Draft]:
    """Every draft with its sentences checked and flags added (see the module docstring).

    A sentence in ``stand_ins`` (the drafter's "(Question to be written: …)", "Untitled
    theme") says nothing to check: it is left unsupported, without a flag of its own (the
    draft already says it is to be written, and "weakly supported (0.006)" would only add
    noise), and the draft is not grounded.

    ``note_vectors`` holds the run's embeddings by note id; notes missing from it, and all
    draft sentences, are embedded with ``embed`` (the run's embedder). Names are looked for
    in all sentences in one batch per language, remembered in ``memo``.
    """
    from pipeline.nlp import entities_many

    by_id = {n.id: n for n in notes}
    theme_of = {t.id: t for t in themes}
    sentences = [s for d in drafts for s in _parts(d)]
    # One pipeline pass per language for every sentence; each check below reads its
    # sentence's names back from the memo.
    entities_many(
        [s.text for s in sentences], [d.language for d in drafts for _ in _parts(d)], memo
    )
    missing = sorted(
        {c for s in sentences for c in s.cites if c in by_id and c not in note_vectors}
    )
    texts = [s.text for s in sentences] + [by_id[c].text for c in missing]
    vectors = _unit(embed(texts)) if texts else np.zeros((0, 1))
    sentence_vectors = vectors[: len(sentences)]
    cited = {nid: _unit(np.asarray(v, dtype=float)[None, :])[0] for nid, v in note_vectors.items()}
    for i, nid in enumerate(missing):
        cited[nid] = vectors[len(sentences) + i]

    out: list[Draft] = []
    position = 0
    for draft in drafts:
        theme = theme_of.get(draft.theme_id)
        members = set(theme.note_ids) if theme else set()
        known = theme_facts(theme, draft.language) if theme else set()
        checked: list[Sentence] = []
        flags: list[str] = []
        said = words(draft.language)
        for label, sentence in _labelled_parts(draft, said):
            vector = sentence_vectors[position]
            position += 1
            if " ".join(sentence.text.split()) in stand_ins:
                checked.append(sentence.model_copy(update={"supported": False}))
                continue
            valid = [c for c in sentence.cites if c in members and c in by_id]
            invalid = [c for c in sentence.cites if c not in valid]
            support, best = None, None
            if valid:
                scores = [float(vector @ cited[c]) for c in valid if c in cited]
                if scores:
                    k = int(np.argmax(scores))
                    support, best = round(scores[k], 3), valid[k]
            terms = unverified_terms(
                sentence.text, [by_id[c].text for c in valid], draft.language, known, memo
            )
            supported = support is not None and support >= threshold and not invalid
            checked.append(
                sentence.model_copy(
                    update={
                        "support": support,
                        "supported_by": best,
                        "supported": supported,
                        "unverified": terms,
                    }
                )
            )
            if invalid:
                flags.append(
                    said.gettext(
                        "%(part)s cites notes not in this theme: %(ids)s",
                        part=label,
                        ids=", ".join(invalid),
                    )
                )
            elif not supported:
                flags.append(
                    said.gettext(
                        "%(part)s is weakly supported by its cited notes (best similarity "
                        "%(score)s < %(threshold)s): check it says what the notes say",
                        part=label,
                        score=f"{support if support is not None else 0:.3f}",
                        threshold=f"{threshold:.2f}",
                    )
                )
            if terms:
                flags.append(
                    said.gettext(
                        "%(part)s mentions %(terms)s, found in none of its cited notes",
                        part=label,
                        terms=", ".join(terms),
                    )
                )
        title, challenge, *proposal = checked
        out.append(
            draft.model_copy(
                update={
                    "title": title,
                    "challenge": challenge,
                    "proposal": proposal,
                    "grounded": all(s.supported and not s.unverified for s in checked),
                    "flags": [*draft.flags, *flags],
                }
            )
        )
    return out


def _parts(draft: Draft) -> list[Sentence]:
    return [draft.title, draft.challenge, *draft.proposal]


def _labelled_parts(draft: Draft, said: Words) -> list[tuple[str, Sentence]]:
    """Each sentence of a draft with its name in a flag, in the draft's language."""
    parts = [
        (said.pgettext("part of a draft", "the title"), draft.title),
        (said.pgettext("part of a draft", "the challenge"), draft.challenge),
    ]
    many = len(draft.proposal) > 1
    parts += [
        (
            said.pgettext("part of a draft", "proposal sentence %(n)s", n=i + 1)
            if many
            else said.pgettext("part of a draft", "the proposal"),
            s,
        )
        for i, s in enumerate(draft.proposal)
    ]
    return parts
