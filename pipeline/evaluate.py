"""Clustering quality against known themes, with the metrics of the shared benchmark's README.

- NMI_all: NMI between true labels and themes over ALL rows, unassigned counted as one theme
  (leaving notes unassigned is not free).
- coverage: share of rows given a theme.
- lang_NMI: NMI between language and theme over assigned rows (near 0: themes follow topics),
  with the file's ``lang`` column or, when it has none, the languages detected as a run would.
- ARI over all rows, number of themes, wall time; and AMI over all rows, NMI corrected for
  chance, because at workshop size more and smaller themes raise NMI by chance alone.
- purity: the share of the assigned rows that carry their group's majority label, i.e. each
  group's purity weighted by its size. At the challenge level it says whether a challenge
  gathers facets that belong together, which AMI over thousands of rows can hide.
"""

from __future__ import annotations

import io
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel

from pipeline.cluster import create_clusterer
from pipeline.config import Config
from pipeline.embed.choice import choose_embedder
from pipeline.embed.for_run import run_embedder
from pipeline.ingest.csv_reader import SINGLE_COLUMN, sniff_delimiter
from pipeline.ingest.encoding import decode_text
from pipeline.ingest.errors import ReaderError
from pipeline.prepare.language import detect_in_workshop
from pipeline.prepare.normalize import normalize_text, plain_typography
from pipeline.safe_text import one_line
from pipeline.schema import Note, NoteStatus, Theme

MAX_LABELS_BYTES = 64 * 2**20
"""A labels file is a table of notes: anything larger is not one (``labels = "/dev/zero"``)."""


class EvaluationError(ValueError):
    """A labelled file that cannot be used; one line for people."""


class Metrics(BaseModel):
    n: int
    nmi_all: float
    coverage: float
    lang_nmi: float | None
    ari: float
    ami: float
    """Adjusted mutual information over all rows: NMI corrected for chance. More and smaller
    themes raise NMI by chance alone; on 60-note subsets of SIB-200, NMI_all 0.48 is AMI 0.31."""
    themes: int
    purity: float | None = None
    """Weighted purity over the assigned rows (see ``purity``); None when none is assigned.
    Unassigned rows are in no group: ``coverage`` says how many are left out."""
    seconds: float | None = None
    languages_detected: bool = False
    """lang_NMI was computed on detected languages: the file gives none."""
    rows_without_label: int = 0
    """Rows of the file left out because their label is blank (not sorted by hand)."""

    def table(self) -> str:
        lang = "n/a" if self.lang_nmi is None else f"{self.lang_nmi:.3f}"
        if self.languages_detected and self.lang_nmi is not None:
            lang += " (detected languages: the file has no lang column)"
        rows = [
            ("rows", str(self.n)),
            ("NMI_all", f"{self.nmi_all:.3f}"),
            ("coverage", f"{self.coverage:.3f}"),
            ("lang_NMI", lang),
            ("ARI", f"{self.ari:.3f}"),
            ("AMI", f"{self.ami:.3f}"),
            ("purity", _purity_text(self.purity)),
            ("themes", str(self.themes)),
        ]
        if self.seconds is not None:
            rows.append(("seconds", f"{self.seconds:.1f}"))
        if self.rows_without_label:
            rows.append(("left out", f"{self.rows_without_label} rows without a label"))
        return "\n".join(f"{name:<10} {value}" for name, value in rows)


def _purity_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f} (of the assigned rows)"


def label_counts(true_labels: Sequence[str], groups: Sequence[int]) -> dict[int, Counter[str]]:
    """How many rows of each label every group holds; unassigned rows (-1) are in none."""
    members: dict[int, Counter[str]] = {}
    for label, group in zip(true_labels, groups, strict=True):
        if group != -1:
            members.setdefault(int(group), Counter())[label] += 1
    return members


def purity(true_labels: Sequence[str], groups: Sequence[int]) -> float | None:
    """The weighted share of a group's rows that carry its majority label: over all groups,
    the rows carrying their group's majority label divided by the assigned rows, so each group
    weighs as many rows as it holds. In a tie for the majority, the count is the same whichever
    label holds it. Unassigned rows (-1) are in no group and left out: read it with the
    coverage. None when no row is assigned.

    Every row alone in its own group would score 1.0, so purity rewards many small groups; it
    is read next to AMI and the number of groups, at the challenge level, whose count is
    bounded.
    """
    counts = label_counts(true_labels, groups).values()
    assigned = sum(sum(c.values()) for c in counts)
    if not assigned:
        return None
    return sum(max(c.values()) for c in counts) / assigned


def majority_labels(counts: Counter[str]) -> list[str]:
    """A group's majority label, or all of them (sorted) when several tie."""
    top = max(counts.values(), default=0)
    return sorted(label for label, n in counts.items() if n == top and n > 0)


def score(
    true_labels: Sequence[str], themes: Sequence[int], langs: Sequence[str] | None = None
) -> Metrics:
    """Metrics for predicted ``themes`` (-1 = unassigned) against ``true_labels``."""
    # Imported here: a run imports this module for ``score_against_labels``, and a re-run
    # that keeps its themes and has no labels file never needs scikit-learn.
    from sklearn.metrics import (
        adjusted_mutual_info_score,
        adjusted_rand_score,
        normalized_mutual_info_score,
    )

    predicted = np.asarray(themes)
    assigned = predicted != -1
    lang_nmi = None
    if langs is not None and assigned.any():
        lang_nmi = float(
            normalized_mutual_info_score(np.asarray(langs)[assigned], predicted[assigned])
        )
    return Metrics(
        n=len(predicted),
        nmi_all=round(float(normalized_mutual_info_score(true_labels, predicted)), 4),
        coverage=round(float(assigned.mean()) if len(predicted) else 0.0, 4),
        lang_nmi=None if lang_nmi is None else round(lang_nmi, 4),
        ari=round(float(adjusted_rand_score(true_labels, predicted)), 4),
        ami=round(float(adjusted_mutual_info_score(true_labels, predicted)), 4),
        themes=len(set(predicted[assigned].tolist())),
        purity=None if (value := purity(true_labels, themes)) is None else round(value, 4),
    )


LABELLED_COLUMNS = ("label", "text", "lang")
UNLABELLED = "unlabelled"
SNIFF_CHARS = 65536


def read_labelled_tsv(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """A labelled file with at least ``label`` and ``text`` columns and, if it has one,
    ``lang``, each text's language (see ``known_languages``). Rows without text are dropped;
    so are rows without a label (notes nobody sorted), counted in ``frame.attrs["unlabelled"]``.

    Read as notes are (``pipeline.ingest``): the encoding is detected (UTF-8 with or without a
    BOM, UTF-16, cp1252 from Excel on Windows) and the delimiter sniffed among tab, comma and
    semicolon, whatever the file is called, because a workshop's own hand-sorted notes are
    usually a spreadsheet export; ``encoding`` forces one, as ``ingest.encoding`` does for
    notes. Those three column names are matched without regard to case or surrounding spaces
    ("Label", " Text"), and labels and languages are stripped of surrounding spaces. A row with
    more cells than the header is an error, not a silent loss."""
    if not path.is_file():
        raise EvaluationError(f"{path}: file not found")
    try:
        text, _ = decode_text(path.read_bytes(), encoding)
    except ReaderError as exc:
        raise EvaluationError(exc.line(str(path))) from None
    delimiter = sniff_delimiter(text[:SNIFF_CHARS])
    kind = {"\t": "TSV", ";": "semicolon-separated CSV"}.get(delimiter, "CSV")
    try:
        with warnings.catch_warnings():
            # pandas warns, and drops cells, when the first row has more cells than the header.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter if delimiter != SINGLE_COLUMN else "\t",
                keep_default_na=False,
                dtype=str,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, pd.errors.ParserWarning) as exc:
        reason = " ".join(str(exc).split())
        raise EvaluationError(
            f"{path}: cannot read as {kind} ({reason}; quote texts that hold the delimiter)"
        ) from None
    frame = frame.rename(columns=_canonical_names(path, list(frame.columns)))
    missing = {"label", "text"} - set(frame.columns)
    if missing:
        raise EvaluationError(
            f"{path}: missing column(s) {', '.join(sorted(missing))} "
            f"(found: {', '.join(map(str, frame.columns))})"
        )
    for column in ("label", "lang"):
        if column in frame.columns:
            frame[column] = frame[column].str.strip()
    frame = frame[frame["text"].str.strip() != ""]
    labelled = frame["label"] != ""
    frame = frame[labelled].reset_index(drop=True)
    if frame.empty:
        raise EvaluationError(f"{path}: no labelled rows")
    frame.attrs[UNLABELLED] = int((~labelled).sum())
    return frame


def _canonical_names(path: Path, columns: list[str]) -> dict[str, str]:
    """``label``, ``text`` and ``lang`` for the columns that mean them; two columns that both
    do ("Label" and "label") are an error, since either could be the one meant."""
    renamed = {}
    for name in LABELLED_COLUMNS:
        matching = [c for c in columns if str(c).strip().lower() == name]
        if len(matching) > 1:
            raise EvaluationError(
                f"{path}: columns {' and '.join(map(repr, matching))} could both be {name!r} "
                "(rename one)"
            )
        if matching:
            renamed[matching[0]] = name
    return renamed


def known_languages(frame: pd.DataFrame, detected: Sequence[str]) -> tuple[list[str], bool]:
    """Each row's language for lang_NMI, and whether it was detected: the file's ``lang``
    column, or, in a file without one (as a workshop's own labelled notes usually are),
    ``detected``."""
    if "lang" in frame.columns:
        return frame["lang"].tolist(), False
    return list(detected), True


class Evaluation(BaseModel):
    """A labelled file's scores at both levels of a run: the fine themes, and the challenges
    (broad themes) that group them."""

    fine: Metrics
    challenges: Metrics
    embedder: str = ""
    """The ``embed.model`` the texts were embedded with, chosen as a run would
    (``pipeline.embed.choice``)."""

    def table(self) -> str:
        """The fine level's table, then the challenges' figures that differ in kind."""
        c = self.challenges
        lang = "n/a" if c.lang_nmi is None else f"{c.lang_nmi:.3f}"
        rows = [
            ("NMI_all", f"{c.nmi_all:.3f}"),
            ("coverage", f"{c.coverage:.3f}"),
            ("lang_NMI", lang),
            ("ARI", f"{c.ari:.3f}"),
            ("AMI", f"{c.ami:.3f}"),
            ("purity", _purity_text(c.purity)),
            ("groups", str(c.themes)),
        ]
        return (
            f"{self.fine.table()}\n"
            f"challenges (the top level, {c.themes} groups of the {self.fine.themes} themes)\n"
            + "\n".join(f"  {name:<10} {value}" for name, value in rows)
        )

    def summary(self) -> dict[str, dict[str, object]]:
        """``{"fine": {...}, "challenges": {...}}``: NMI_all, coverage, lang_NMI, AMI, ARI,
        purity (over the assigned rows), themes (and rows, seconds where known) at each
        level."""
        keys = (
            "n",
            "nmi_all",
            "coverage",
            "lang_nmi",
            "ami",
            "ari",
            "purity",
            "themes",
            "seconds",
        )
        names = {"nmi_all": "NMI_all", "lang_nmi": "lang_NMI", "ami": "AMI", "ari": "ARI"}
        return {
            level: {names.get(k, k): getattr(m, k) for k in keys}
            for level, m in (("fine", self.fine), ("challenges", self.challenges))
        }


def challenge_labels(
    embeddings: np.ndarray, langs: Sequence[str], labels: Sequence[int], config: Config
) -> list[int]:
    """Each row's challenge (broad theme) as a run's hierarchy step groups the fine themes
    ``labels``, in the space they were found in; -1 stays -1."""
    from pipeline.cluster.hierarchy import broad_groups, broad_labels, theme_centroids
    from pipeline.cluster.language import centre_by_language

    space = embeddings
    if config.cluster.language_centering and len(set(langs)) > 1:
        space = centre_by_language(embeddings, langs)
    array = np.asarray(labels)
    sizes = [int((array == c).sum()) for c in range(int(array.max()) + 1)] if len(array) else []
    groups = broad_groups(
        theme_centroids(space, labels),
        config.cluster.broad_themes,
        sizes,
        embeddings=space,
        labels=labels,
    )
    return list(labels) if groups is None else broad_labels(labels, groups)


def evaluate_file(path: Path, config: Config, cache_dir: Path) -> Evaluation:
    """Cluster the texts of a labelled file exactly as a first run would (detected languages,
    the embedder a run of that many notes chooses, the same clusterer; no splitting, so rows
    and labels stay aligned) and score them, at the fine level and at the challenges' level."""
    frame = read_labelled_tsv(path, config.ingest.encoding)
    started = time.perf_counter()
    texts = [normalize_text(t) for t in frame["text"]]
    langs = [d.lang for d in detect_in_workshop(texts, config.prepare)]
    choice = choose_embedder(config.embed, len(texts))  # the rule a run follows
    embedder = run_embedder(
        choice.applied(config.embed).model_copy(update={"cache_dir": cache_dir})
    )
    embeddings = embedder.embed([plain_typography(t) for t in texts])  # as a run embeds its notes
    assignment = create_clusterer(config.cluster).fit(embeddings, langs)
    truth_langs, detected = known_languages(frame, langs)
    truth = frame["label"].tolist()
    metrics = score(truth, assignment.labels, truth_langs)
    challenges = score(
        truth, challenge_labels(embeddings, langs, assignment.labels, config), truth_langs
    )
    metrics.seconds = challenges.seconds = round(time.perf_counter() - started, 2)
    for level in (metrics, challenges):
        level.languages_detected = detected
        level.rows_without_label = frame.attrs[UNLABELLED]
    return Evaluation(fine=metrics, challenges=challenges, embedder=choice.spec)


def _match_key(source: str, text: str) -> tuple[str, str]:
    return source, " ".join(unicodedata.normalize("NFC", text).split())


def intended_labels(notes: Sequence[Note], labels_path: Path) -> dict[str, str]:
    """The intended theme of each active note that a ``source,text,theme`` file labels, by
    note id; a split note's ideas inherit their parent's label. A file that cannot be read
    as such a CSV raises ``EvaluationError``, one line naming it."""
    if not labels_path.is_file():
        found = "not a file" if labels_path.exists() else "file not found"
        raise EvaluationError(f"{labels_path}: {found}")
    if labels_path.stat().st_size > MAX_LABELS_BYTES:
        limit = MAX_LABELS_BYTES // 2**20
        raise EvaluationError(f"{labels_path}: larger than {limit} MB, not a labels file")
    try:
        text, _ = decode_text(labels_path.read_bytes(), None)
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), keep_default_na=False, dtype=str)
    except ReaderError as exc:
        raise EvaluationError(exc.line(str(labels_path))) from None
    except (OSError, ValueError, pd.errors.ParserWarning) as exc:
        reason = one_line(" ".join(str(exc).split()))[:200]
        raise EvaluationError(f"{labels_path}: cannot read as CSV ({reason})") from None
    missing = {"source", "text", "theme"} - set(frame.columns)
    if missing:
        raise EvaluationError(f"{labels_path}: missing column(s) {', '.join(sorted(missing))}")
    truth = {
        _match_key(s, t): th for s, t, th in zip(frame.source, frame.text, frame.theme, strict=True)
    }
    by_id = {n.id: n for n in notes}
    labels = {}
    for note in notes:
        if note.status != NoteStatus.ACTIVE:
            continue
        root = by_id.get(note.parent_id, note) if note.parent_id else note
        if label := truth.get(_match_key(root.source, root.original_text)):
            labels[note.id] = label
    return labels


def score_against_labels(
    notes: Sequence[Note], labels_path: Path, themes: Sequence[Theme] = ()
) -> dict[str, object]:
    """Score a run's themes against a ``source,text,theme`` file (the sample's intended themes).

    A split note's ideas inherit their parent's label; notes the file does not label are left
    out and counted. With the run's fine ``themes``, whose ``parent_id`` is their challenge,
    the challenges are scored too (under ``challenges``).
    """
    labels = intended_labels(notes, labels_path)
    true_labels, predicted, langs, unlabelled = [], [], [], 0
    theme_index: dict[str, int] = {}
    for note in notes:
        if note.status != NoteStatus.ACTIVE:
            continue
        label = labels.get(note.id)
        if not label:
            unlabelled += 1
            continue
        true_labels.append(label)
        theme = note.theme_id or "unassigned"
        predicted.append(
            -1 if theme == "unassigned" else theme_index.setdefault(theme, len(theme_index))
        )
        langs.append(note.lang)
    if not true_labels:
        return {"labels_file": str(labels_path), "scored": 0, "unlabelled": unlabelled}
    metrics = score(true_labels, predicted, langs)
    result: dict[str, object] = {
        "labels_file": str(labels_path),
        "scored": len(true_labels),
        "unlabelled": unlabelled,
        **metrics.model_dump(exclude_none=True, exclude={"rows_without_label"}),
    }
    parent = {t.id: t.parent_id for t in themes if t.parent_id}
    if parent:
        challenge_of = {i: parent.get(theme) for theme, i in theme_index.items()}
        ids: dict[str, int] = {}
        grouped = []
        for fine in predicted:
            challenge = challenge_of.get(fine) if fine >= 0 else None
            grouped.append(-1 if challenge is None else ids.setdefault(challenge, len(ids)))
        challenges = score(true_labels, grouped, langs)
        result["challenges"] = {
            **challenges.model_dump(
                exclude_none=True, exclude={"rows_without_label", "languages_detected"}
            ),
            **gathered_themes(true_labels, predicted, grouped, ids),
        }
    return result


def gathered_themes(
    true_labels: Sequence[str],
    facets: Sequence[int],
    challenges: Sequence[int],
    challenge_ids: dict[str, int],
) -> dict[str, object]:
    """Per challenge: its labelled notes, facets, purity, majority label and the labels its
    facets come from (a facet comes from its majority label, from each of them on a tie, so a
    tie never hides a mixed challenge); and the most labels any challenge gathers."""
    facet_counts = label_counts(true_labels, facets)
    challenge_counts = label_counts(true_labels, challenges)
    facets_of: dict[int, set[int]] = {}
    for facet, challenge in zip(facets, challenges, strict=True):
        if challenge != -1:
            facets_of.setdefault(challenge, set()).add(facet)
    per_challenge: list[dict[str, object]] = []
    most = 0
    for challenge_id, index in sorted(challenge_ids.items(), key=lambda c: _natural_key(c[0])):
        counts = challenge_counts[index]
        notes = sum(counts.values())
        gathered = {label for f in facets_of[index] for label in majority_labels(facet_counts[f])}
        most = max(most, len(gathered))
        per_challenge.append(
            {
                "id": challenge_id,
                "notes": notes,
                "facets": len(facets_of[index]),
                "purity": round(max(counts.values()) / notes, 4),
                "majority": majority_labels(counts),
                "intended_themes": sorted(gathered),
            }
        )
    return {"per_challenge": per_challenge, "max_intended_themes": most}


def _natural_key(identifier: str) -> tuple[str, int]:
    """``B2`` before ``B10``."""
    stem = identifier.rstrip("0123456789")
    digits = identifier[len(stem) :]
    return stem, int(digits) if digits else -1
