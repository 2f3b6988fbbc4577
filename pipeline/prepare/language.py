"""Language of each note, chosen among the workshop's languages.

Lingua restricted to the configured languages is the detector: it was the most accurate on
2-8 word texts in ``benchmarks/language_id.py`` (see docs/models.md for the figures), and
restricting the candidate set is what makes very short notes usable at all. The detector is
built once per language set and reused; notes are detected in one parallel batch.

Restricting has a price: a note in any other language is forced into one of the configured
ones. ``discover_languages`` finds the other languages that a clear share of the notes are
written in, so that ``workshop_languages`` (configured plus found) is the set to detect among.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from pipeline.config import PrepareConfig
from pipeline.memo import IN_MEMORY, TextMemo, code_digest, package_version

UNDETERMINED = "und"
LOW_CONFIDENCE = 0.5
"""Below this the best guess is often wrong on short texts (see the benchmark's calibration);
such notes keep their guess but are candidates for smoothing and for a reviewer's look."""
ONE_WORD_CAP = 0.3
"""A note of fewer than two words cannot be identified reliably whatever the detector says."""
SHORT_NOTE_WORDS = 3
"""Smoothing applies to notes of at most this many words."""

CODE_DIGEST = code_digest(Path(__file__))
"""Part of the candidates' memo kind: the digest of this module, which decides what is
asked of the detector and kept of its answer, so changed code never reads candidates that
older code remembered."""

_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    candidates: tuple[tuple[str, float], ...] = ()
    """All languages with their confidence, best first (empty for "und")."""


DISCOVERY_MIN_WORDS = 4
"""Only notes of at least this many words can reveal a language outside the workshop's: on
shorter ones lingua's guesses over all its languages are too often exotic."""
DISCOVERY_MIN_UNSPACED = 8
"""Or of at least this many characters of a script written without spaces between words
(Chinese, Japanese, Thai), where a whole sentence is one "word"."""
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
DISCOVERY_CONFIDENCE = 0.5
"""The confidence lingua, over all its languages, must give the other language when none of
the workshop's languages fits the note (below ``DISCOVERY_UNFIT``)."""
DISCOVERY_UNFIT = 0.7
"""A note none of the workshop's languages fits: the restricted detector's best confidence is
below this. Italian requests in xSID mostly sit below it (median 0.44); Dutch notes that
lingua over all its languages mistakes for Afrikaans sit above (median 0.93)."""
DISCOVERY_SURE = 0.9
"""The confidence over all languages that counts a note for another language even when the
restricted detector is sure of a workshop language: that certainty can be wrong (Turkish
notes come out German or French at 0.98, as no candidate is closer)."""
DISCOVERY_MIN_SHARE = 0.05
DISCOVERY_MIN_NOTES = 3
"""A language is found when at least this share of the notes of ``DISCOVERY_MIN_WORDS`` or
more words, and at least this many notes, are written in it: one participant in twenty
writing in it. On short Dutch requests (xSID) about 2 % of notes count for Afrikaans."""
ALL_LANGUAGES = "*"
"""The detector key of lingua over all its languages (low-accuracy mode: loads in 0.6 s)."""

_lock = threading.Lock()
_detectors: dict[tuple[tuple[str, ...], bool], LanguageDetector] = {}


def _lingua_language(code: str) -> Language:
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code.lower()))
    except (ValueError, AttributeError):
        raise ValueError(f"unsupported language code {code!r} in prepare.languages") from None


def get_detector(languages: Sequence[str], *, low_accuracy: bool = False) -> LanguageDetector:
    """The lingua detector for this set of languages, built once (loading takes ~2 s)."""
    key = (tuple(sorted({code.lower() for code in languages})), low_accuracy)
    detector = _detectors.get(key)
    if detector is None:
        with _lock:
            detector = _detectors.get(key)
            if detector is None:
                builder = (
                    LanguageDetectorBuilder.from_all_languages()
                    if key[0] == (ALL_LANGUAGES,)
                    else LanguageDetectorBuilder.from_languages(
                        *[_lingua_language(code) for code in key[0]]
                    )
                )
                if low_accuracy:
                    builder = builder.with_low_accuracy_mode()
                detector = builder.with_preloaded_language_models().build()
                _detectors[key] = detector
    return detector


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def letter_words(text: str) -> int:
    """Whitespace-separated tokens holding at least one letter."""
    return sum(1 for token in text.split() if _LETTER.search(token))


SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "CJK": ("zh",),
    "HIRAGANA": ("ja",),
    "KATAKANA": ("ja",),
    "HANGUL": ("ko",),
    "ARABIC": ("ar", "fa", "ur"),
    "CYRILLIC": ("ru", "uk", "bg", "sr", "be"),
    "GREEK": ("el",),
    "HEBREW": ("he",),
    "THAI": ("th",),
    "GEORGIAN": ("ka",),
    "ARMENIAN": ("hy",),
    "DEVANAGARI": ("hi", "mr"),
}
"""The languages each non-Latin script is written in (among lingua's). A note written in one
of these scripts is in one of its languages, whatever the workshop's languages are: the
statistical guess among French, Dutch and Arabic would make a Chinese note Arabic."""
SCRIPT_SHARE = 0.6
"""A note is in a script when at least this share of its letters are."""


@functools.lru_cache(maxsize=8192)
def _letter_script(char: str) -> str:
    name = unicodedata.name(char, "")
    return "LATIN" if char.isascii() else name.partition(" ")[0]


def script_languages(text: str) -> tuple[str, ...] | None:
    """The languages of the script ``text`` is written in (``SCRIPT_LANGUAGES``), or
    ``None`` for Latin script, mixed scripts or no letters. Japanese mixes kanji and kana:
    any kana among Chinese characters makes the note Japanese."""
    if text.isascii():
        return None
    counts: Counter[str] = Counter(_letter_script(ch) for ch in _LETTER.findall(text))
    total = sum(counts.values())
    if not total:
        return None
    kana = counts["HIRAGANA"] + counts["KATAKANA"]
    if kana and (kana + counts["CJK"]) >= SCRIPT_SHARE * total:
        return SCRIPT_LANGUAGES["HIRAGANA"]
    script, count = counts.most_common(1)[0]
    if script not in SCRIPT_LANGUAGES or count < SCRIPT_SHARE * total:
        return None
    return SCRIPT_LANGUAGES[script]


def _by_script(
    texts: Sequence[str], codes: Sequence[str], low_accuracy: bool, memo: TextMemo
) -> dict[int, Detection]:
    """The detections of the texts whose script decides their language, by index: the one
    language of their script, or lingua's best among their script's languages (those of the
    workshop first, when it has some)."""
    found: dict[int, Detection] = {}
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, text in enumerate(texts):
        script = script_languages(text)
        if script is None:
            continue
        candidates = tuple(c for c in script if c in codes) or script
        if len(candidates) == 1:
            found[i] = Detection(candidates[0], 1.0, ((candidates[0], 1.0),))
        else:
            groups.setdefault(candidates, []).append(i)
    for candidates, indexes in groups.items():
        known = _remembered_candidates([texts[i] for i in indexes], candidates, low_accuracy, memo)
        for i in indexes:
            ranked = tuple((str(lang), float(value)) for lang, value in known[texts[i]])
            if not ranked or ranked[0][1] <= 0.0:
                ranked = ((candidates[0], 0.0),)
            lang, confidence = ranked[0]
            if letter_words(texts[i]) < 2:
                confidence = min(confidence, ONE_WORD_CAP)
            found[i] = Detection(lang, confidence, ranked)
    return found


def detect_languages(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    fallback: str | None = None,
    low_accuracy: bool = False,
    memo: TextMemo = IN_MEMORY,
) -> list[Detection]:
    """Detect the language of each text among ``languages``, in one batch.

    A text with letters always gets a language (the best guess, with its possibly low
    confidence); only a text without letters gets "und". A text in a non-Latin script gets
    a language of that script first (``script_languages``), even one outside ``languages``.
    ``fallback`` (default: the first language) is used when the detector has no opinion.
    The detector's candidates are remembered per text (``memo``), so texts seen before need
    neither the detector nor its models.
    """
    if not languages:
        raise ValueError("prepare.languages is empty")
    codes = [code.lower() for code in languages]
    default = (fallback or codes[0]).lower()
    out = [Detection(UNDETERMINED, 0.0) for _ in texts]
    todo = [i for i, text in enumerate(texts) if has_letters(text)]
    scripted = _by_script([texts[i] for i in todo], codes, low_accuracy, memo)
    for k, detection in scripted.items():
        out[todo[k]] = detection
    todo = [i for k, i in enumerate(todo) if k not in scripted]
    if not todo:
        return out
    if len(set(codes)) == 1:
        for i in todo:
            out[i] = Detection(codes[0], 1.0, ((codes[0], 1.0),))
        return out
    known = _remembered_candidates([texts[i] for i in todo], codes, low_accuracy, memo)
    for i in todo:
        candidates = tuple((lang, confidence) for lang, confidence in known[texts[i]])
        if not candidates or candidates[0][1] <= 0.0:
            out[i] = Detection(default, 0.0, candidates)
            continue
        lang, confidence = candidates[0]
        if letter_words(texts[i]) < 2:
            confidence = min(confidence, ONE_WORD_CAP)
        out[i] = Detection(lang, confidence, candidates)
    return out


def discover_languages(
    texts: Sequence[str], languages: Sequence[str], *, memo: TextMemo = IN_MEMORY
) -> dict[str, int]:
    """Languages outside ``languages`` that a clear share of ``texts`` are written in, each
    with the number of notes that show it, most first.

    The restricted detector forces a note in another language into one of the workshop's (on
    the xSID file, Italian requests became English, French or German), and language centring
    then subtracts the wrong language's mean from it. Every note of at least
    ``DISCOVERY_MIN_WORDS`` words (or ``DISCOVERY_MIN_UNSPACED`` characters of Chinese,
    Japanese or Thai) is read again by lingua over all its languages
    (low-accuracy mode: 0.6 s to load, thousands of notes a second). It shows language X
    when that puts X first, with at least ``DISCOVERY_SURE``, or with at least
    ``DISCOVERY_CONFIDENCE`` when no workshop language fits the note (the restricted
    detector's best confidence is below ``DISCOVERY_UNFIT``). ``DISCOVERY_MIN_SHARE`` keeps
    close relatives of a workshop language out: lingua over all languages calls about 2 % of
    short Dutch notes Afrikaans.
    """
    codes = {code.lower() for code in languages}
    long_enough = [i for i, text in enumerate(texts) if _long_enough(text)]
    if not long_enough:
        return {}
    restricted = detect_languages([texts[i] for i in long_enough], sorted(codes), memo=memo)
    known = _remembered_candidates(
        [texts[i] for i in long_enough], [ALL_LANGUAGES], True, memo, keep=3
    )
    votes: Counter[str] = Counter()
    for i, detection in zip(long_enough, restricted, strict=True):
        candidates = known[texts[i]]
        if not candidates or str(candidates[0][0]) in codes:
            continue
        confidence = float(candidates[0][1])
        unfit = detection.confidence < DISCOVERY_UNFIT
        if confidence >= DISCOVERY_SURE or (unfit and confidence >= DISCOVERY_CONFIDENCE):
            votes[str(candidates[0][0])] += 1
    needed = max(DISCOVERY_MIN_NOTES, DISCOVERY_MIN_SHARE * len(long_enough))
    return {lang: n for lang, n in votes.most_common() if n >= needed}


def _long_enough(text: str) -> bool:
    """Long enough for lingua over all its languages to be trusted with (see the constants)."""
    return (
        letter_words(text) >= DISCOVERY_MIN_WORDS
        or len(_UNSPACED.findall(text)) >= DISCOVERY_MIN_UNSPACED
    )


def workshop_languages(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    discover: bool = True,
    memo: TextMemo = IN_MEMORY,
) -> list[str]:
    """The languages to detect ``texts`` among: ``languages`` (the configured ones), then
    those ``discover_languages`` finds in the texts, when ``discover`` is on."""
    codes = list(dict.fromkeys(code.lower() for code in languages))
    if not discover or not texts:
        return codes
    return [*codes, *discover_languages(texts, codes, memo=memo)]


def detect_in_workshop(
    texts: Sequence[str], config: PrepareConfig, memo: TextMemo = IN_MEMORY
) -> list[Detection]:
    """``detect_languages`` among ``workshop_languages``: how a run detects whole notes
    (``ideasynth evaluate`` and the benchmarks use it to detect as a run does)."""
    found = workshop_languages(
        texts, config.languages, discover=config.discover_languages, memo=memo
    )
    return detect_languages(texts, found, memo=memo)


def _remembered_candidates(
    texts: Sequence[str],
    codes: Sequence[str],
    low_accuracy: bool,
    memo: TextMemo,
    keep: int | None = None,
) -> dict[str, list[list[Any]]]:
    """Each text's ``[language, confidence]`` candidates, best first, from lingua among
    ``codes`` (``[ALL_LANGUAGES]``: all of them), the ``keep`` best; from ``memo`` for texts
    it knows, so only new texts need the detector and its models."""
    kind = _memo_kind(codes, low_accuracy)
    known = memo.recall(kind, texts)
    new = list(dict.fromkeys(text for text in texts if text not in known))
    if new:
        detector = get_detector(codes, low_accuracy=low_accuracy)
        results = detector.compute_language_confidence_values_in_parallel(new)
        found = {
            text: [[v.language.iso_code_639_1.name.lower(), float(v.value)] for v in values[:keep]]
            for text, values in zip(new, results, strict=True)
        }
        known.update(memo.remember(kind, found))
    return known


def _memo_kind(codes: Sequence[str], low_accuracy: bool) -> str:
    """What the detector's candidates depend on: lingua's version and mode, the languages,
    and the code that asks for them (``CODE_DIGEST``)."""
    mode = "low" if low_accuracy else "high"
    lingua = package_version("lingua-language-detector")
    languages = "-".join(sorted(set(codes)))
    return f"language/lingua-{lingua}/{mode}/{languages}/{CODE_DIGEST}"


def detect_language(text: str, languages: Sequence[str]) -> Detection:
    return detect_languages([text], languages)[0]


def dominant_languages(detections: Sequence[Detection], sources: Sequence[str]) -> dict[str, str]:
    """Each source's most frequent confidently detected language (ties: alphabetical)."""
    counts: dict[str, Counter[str]] = {}
    for detection, source in zip(detections, sources, strict=True):
        if detection.lang != UNDETERMINED and detection.confidence >= LOW_CONFIDENCE:
            counts.setdefault(source, Counter())[detection.lang] += 1
    return {
        source: min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
        for source, counter in counts.items()
    }


def smooth_by_source(
    detections: Sequence[Detection],
    texts: Sequence[str],
    sources: Sequence[str],
    *,
    dominant: dict[str, str] | None = None,
    low_confidence: float = LOW_CONFIDENCE,
) -> list[Detection]:
    """Prefer the source file's dominant language for short, uncertain notes.

    A workshop file is mostly in one or two languages, so when a note of at most
    ``SHORT_NOTE_WORDS`` words has low confidence and the file's dominant language is among
    its two best candidates, that language is the better bet. The confidence becomes the
    detector's value for that language (so it stays low and visible).
    """
    if dominant is None:
        dominant = dominant_languages(detections, sources)
    out = list(detections)
    for i, (detection, text, source) in enumerate(zip(detections, texts, sources, strict=True)):
        preferred = dominant.get(source)
        if (
            preferred is None
            or detection.lang in (UNDETERMINED, preferred)
            or detection.confidence >= low_confidence
            or letter_words(text) > SHORT_NOTE_WORDS
        ):
            continue
        top2 = dict(detection.candidates[:2])
        if preferred in top2:
            confidence = top2[preferred]
            if letter_words(text) < 2:
                confidence = min(confidence, ONE_WORD_CAP)
            out[i] = replace(detection, lang=preferred, confidence=confidence)
    return out
