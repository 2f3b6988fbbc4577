"""Which language detector to trust with sticky-note-length texts?

Compares lingua (high- and low-accuracy mode), langid and langdetect, each restricted to the
workshop languages (fr, nl, de, en), on labelled sentences truncated to their first 2, 3, 5
and 8 words and in full. Prints accuracy per truncation and per language, throughput, how
well lingua's confidence is calibrated, and whether smoothing short notes towards their
file's dominant language helps.

    python benchmarks/language_id.py [SIB200.tsv] [XSID.tsv]

The data files are for measuring only; tests never read them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.prepare.language import (
    LOW_CONFIDENCE,
    SHORT_NOTE_WORDS,
    Detection,
    detect_languages,
    get_detector,
    letter_words,
    smooth_by_source,
)

LANGS = ("fr", "nl", "de", "en")
TRUNCATIONS: tuple[int | None, ...] = (2, 3, 5, 8, None)
DEFAULT_FILES = (
    Path("/work/shared/benchmarks/sib200_4lang_disjoint.tsv"),
    Path("/work/shared/benchmarks/xsid_4lang_disjoint_16intents.tsv"),
)

Detector = Callable[[Sequence[str]], list[str]]


def load(paths: Sequence[Path]) -> pd.DataFrame:
    frames = []
    for path in paths:
        frame = pd.read_csv(path, sep="\t", keep_default_na=False, dtype={"text": str})
        frame = frame[frame["lang"].isin(LANGS)][["lang", "text"]].copy()
        frame["dataset"] = path.stem.split("_")[0]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def truncate(text: str, words: int | None) -> str:
    return text if words is None else " ".join(text.split()[:words])


def lingua_detector(low_accuracy: bool) -> Detector:
    get_detector(LANGS, low_accuracy=low_accuracy)  # load before timing

    def detect(texts: Sequence[str]) -> list[str]:
        return [d.lang for d in detect_languages(texts, LANGS, low_accuracy=low_accuracy)]

    return detect


def langid_detector() -> Detector:
    from langid.langid import LanguageIdentifier, model

    identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    identifier.set_languages(list(LANGS))

    def detect(texts: Sequence[str]) -> list[str]:
        return [str(identifier.classify(text)[0]) for text in texts]

    return detect


def langdetect_detector() -> Detector:
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    def detect(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            DetectorFactory.seed = 0
            try:
                ranked = [r for r in detect_langs(text) if r.lang in LANGS]
            except LangDetectException:
                ranked = []
            out.append(max(ranked, key=lambda r: r.prob).lang if ranked else "und")
        return out

    return detect


def accuracy_table(data: pd.DataFrame, detectors: dict[str, Detector]) -> None:
    print(f"{len(data)} labelled rows:", dict(data["lang"].value_counts()))
    header = f"| detector | words | all | {' | '.join(LANGS)} | sib200 | xsid | notes/s |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, detect in detectors.items():
        for words in TRUNCATIONS:
            texts = [truncate(t, words) for t in data["text"]]
            start = time.perf_counter()
            predicted = detect(texts)
            elapsed = time.perf_counter() - start
            correct = pd.Series([p == g for p, g in zip(predicted, data["lang"], strict=True)])
            per_lang = [correct[(data["lang"] == lang).to_numpy()].mean() for lang in LANGS]
            per_set = [
                correct[(data["dataset"] == s).to_numpy()].mean() for s in ("sib200", "xsid")
            ]
            cells = " | ".join(f"{v:.1%}" for v in [correct.mean(), *per_lang, *per_set])
            label = "full" if words is None else str(words)
            print(f"| {name} | {label} | {cells} | {len(texts) / elapsed:,.0f} |")


def calibration(data: pd.DataFrame) -> None:
    """Accuracy of lingua's best guess by confidence band, on 2-5 word texts."""
    bands = [(0.0, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]
    texts, gold = [], []
    for words in (2, 3, 5):
        texts += [truncate(t, words) for t in data["text"]]
        gold += list(data["lang"])
    detections = detect_languages(texts, LANGS)
    print("\nlingua calibration on 2/3/5-word texts (confidence band: share, accuracy)")
    print("| confidence | texts | accuracy |\n|---|---|---|")
    for low, high in bands:
        hits = [
            d.lang == g for d, g in zip(detections, gold, strict=True) if low <= d.confidence < high
        ]
        if hits:
            print(f"| {low:.1f}-{min(high, 1.0):.1f} | {len(hits)} | {sum(hits) / len(hits):.1%} |")


PARTNER = {"fr": "nl", "nl": "fr", "de": "en", "en": "de"}


def smoothing(
    data: pd.DataFrame, share: float, threshold: float, bilingual: bool = False, seed: int = 0
) -> None:
    """Simulated workshop files: each row goes to its own language's file with probability
    ``share``, else to another language's file (``bilingual``: always the same partner
    language, as in a Brussels fr/nl workshop); notes get a random length (2, 3, 5, 8 words
    or full). Compares accuracy with and without smoothing."""
    rng = random.Random(seed)
    texts, gold, sources = [], [], []
    for text, lang in zip(data["text"], data["lang"], strict=True):
        others = [PARTNER[lang]] if bilingual else [x for x in LANGS if x != lang]
        home = lang if rng.random() < share else rng.choice(others)
        texts.append(truncate(text, rng.choice(TRUNCATIONS)))
        gold.append(lang)
        sources.append(f"file-{home}")
    raw = detect_languages(texts, LANGS)
    smoothed = smooth_by_source(raw, texts, sources, low_confidence=threshold)

    def acc(detections: list[Detection], keep: Callable[[int], bool]) -> str:
        idx = [i for i in range(len(texts)) if keep(i)]
        return f"{sum(detections[i].lang == gold[i] for i in idx) / len(idx):.2%} (n={len(idx)})"

    def short(i: int) -> bool:
        return letter_words(texts[i]) <= SHORT_NOTE_WORDS

    def minority(i: int) -> bool:
        return sources[i] != f"file-{gold[i]}"

    def both(i: int) -> bool:
        return short(i) and minority(i)

    changed = sum(a.lang != b.lang for a, b in zip(raw, smoothed, strict=True))
    row = f"| {share:.0%}{' bilingual' if bilingual else ''} | < {threshold}"
    print(
        f"{row} | all | {acc(raw, lambda i: True)} | {acc(smoothed, lambda i: True)} | {changed} |"
    )
    print(f"{row} | <= {SHORT_NOTE_WORDS} words | {acc(raw, short)} | {acc(smoothed, short)} | |")
    print(f"{row} | short, minority language | {acc(raw, both)} | {acc(smoothed, both)} | |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--skip-others", action="store_true", help="lingua only (faster)")
    args = parser.parse_args(argv)
    data = load(args.files)

    detectors: dict[str, Detector] = {"lingua-high": lingua_detector(low_accuracy=False)}
    if not args.skip_others:
        detectors["lingua-low"] = lingua_detector(low_accuracy=True)
        detectors["langid"] = langid_detector()
        detectors["langdetect"] = langdetect_detector()
    accuracy_table(data, detectors)
    calibration(data)
    print(f"\nsmoothing notes of <= {SHORT_NOTE_WORDS} words (pipeline uses < {LOW_CONFIDENCE})")
    print("| home share | confidence | rows | without | with | changed |")
    print("|---|---|---|---|---|---|")
    for share in (0.8, 0.95):
        for threshold in (0.5, 0.6, 0.7):
            smoothing(data, share, threshold)
    for share in (0.6, 0.8):
        smoothing(data, share, LOW_CONFIDENCE, bilingual=True)


if __name__ == "__main__":
    main()
