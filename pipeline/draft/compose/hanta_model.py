"""HanTa's taggers with their word-transition table kept compact, and loaded from a compact
copy once a machine has one.

HanTa holds each model's word transitions (tag pair → next tag → log probability) as nested
dicts of Python floats. The Dutch model's 10.3 million of them took 800 MB of memory (German
and English: 30 MB each), a third of a 10,000-note run's peak, for a table that tagging reads
a few rows of per word. ``Transitions`` holds the same table in three arrays (next tags, the
index of each log probability in a table of the distinct ones, and that table: 40 MB for
Dutch) and makes a row into the dict HanTa reads when it is asked for it: the same keys, in
the same order, with the same floats, so the tags are the same.

Unpickling HanTa's own model builds the 800 MB table, so the compact model is written to the
user cache (``compact_folder``) by a child process, the first time on a machine (or by
``scripts/bootstrap.sh``), and every run loads 40 MB from there. Where no copy can be written,
the run compacts the table itself after loading it.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache, partial
from operator import itemgetter
from pathlib import Path
from types import MethodType
from typing import Any

import numpy as np
from numpy import logaddexp

from pipeline.memo import package_version

HANTA_MODELS = {"de": "morphmodel_ger.pgz", "nl": "morphmodel_dutch.pgz", "en": "morphmodel_en.pgz"}
"""HanTa's model file per language the drafter tags with it (French is spaCy's)."""

log = logging.getLogger(__name__)

FIELDS = (
    "tag2int",
    "int2tag",
    "LP_s_t",
    "LP_len_t",
    "Int_t",
    "LP_hapax_t",
    "LP_trans",
    "LP_m_t",
    "stemdict",
    "LP_trans_word",
    "LP_wtag",
    "LP_case_t",
    "nonstemtags",
    "lemmasuffixtable",
    "capitalizedlemmata",
    "cache",
)
"""HanTa's model tuple, in its order (``HanoverTagger.__init__``)."""
TAG_MAX = int(np.iinfo(np.uint16).max)
ROWS_KEPT = 4096
"""Rows made into dicts that a table keeps (tagging reads a few of them per word)."""
COMPACT_VERSION = "1"


class Transitions(Mapping[Any, dict[int, float]]):
    """HanTa's word transitions, read-only: ``table[state]`` is the dict of next tag → log
    probability that HanTa's own table holds for ``state``, the same in every respect."""

    def __init__(
        self,
        rows: dict[Any, tuple[int, int]],
        tags: np.ndarray,
        value_index: np.ndarray,
        values: np.ndarray,
    ) -> None:
        self._rows = rows
        self._tags = tags
        self._value_index = value_index
        self._values = values
        self._made: dict[Any, dict[int, float]] = {}

    @classmethod
    def of(cls, table: Mapping[Any, Mapping[int, float]]) -> Transitions | None:
        """The compact copy of ``table``, or ``None`` when it holds something other than
        int tags up to 65,535 and float log probabilities (then the table is kept as it is).
        Built row by row into arrays, so that it needs a tenth of the table's memory more."""
        total = 0
        for row in table.values():
            if not all(type(tag) is int and 0 <= tag <= TAG_MAX for tag in row) or not all(
                type(value) is float for value in row.values()
            ):
                return None
            total += len(row)
        if not total:
            return None
        rows: dict[Any, tuple[int, int]] = {}
        tags = np.empty(total, dtype=np.uint16)
        floats = np.empty(total, dtype=np.float64)
        start = 0
        for state, row in table.items():
            stop = start + len(row)
            tags[start:stop] = np.fromiter(row.keys(), dtype=np.uint16, count=len(row))
            floats[start:stop] = np.fromiter(row.values(), dtype=np.float64, count=len(row))
            rows[state] = (start, stop)
            start = stop
        values, index = np.unique(floats, return_inverse=True)
        del floats
        kind = np.uint16 if len(values) <= TAG_MAX + 1 else np.uint32
        return cls(rows, tags, index.astype(kind), values)

    def __getitem__(self, state: Any) -> dict[int, float]:
        made = self._made.get(state)
        if made is None:
            start, stop = self._rows[state]  # KeyError for a state HanTa's table lacks too
            values = self._values[self._value_index[start:stop]]
            made = dict(zip(self._tags[start:stop].tolist(), values.tolist(), strict=True))
            if len(self._made) >= ROWS_KEPT:
                self._made.clear()
            self._made[state] = made
        return made

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getstate__(self) -> dict[str, Any]:
        return {
            "rows": self._rows,
            "tags": self._tags,
            "value_index": self._value_index,
            "values": self._values,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["rows"], state["tags"], state["value_index"], state["values"]
        )


_lock = threading.Lock()


def compact_folder() -> Path:
    """Where compact models are kept: the user cache, as numba keeps compiled code, not the
    run's cache folder (they depend on HanTa's files, not on the notes)."""
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "ideasynth" / "hanta"


def _compact_path(model_file: str, folder: Path) -> Path | None:
    source = _model_source(model_file)
    if source is None:
        return None
    stat = source.stat()
    version = package_version("HanTa", "hanta")
    name = f"{source.stem}-{version}-{stat.st_size}-{int(stat.st_mtime)}-{COMPACT_VERSION}.pkl"
    return folder / name


def _model_source(model_file: str) -> Path | None:
    try:
        from HanTa import HanoverTagger
    except ImportError:
        return None
    path = Path(HanoverTagger.__file__).parent / model_file
    return path if path.is_file() else None


def load_tagger(model_file: str, folder: Path | None = None) -> Any:
    """HanTa's tagger for ``model_file`` (one of its model files), with compact word
    transitions: from the compact copy in ``folder`` (default ``compact_folder()``), which a
    separate process writes the first time, so that this one never holds HanTa's full table;
    from HanTa's file, compacted here, where no copy can be written or read."""
    path = _compact_path(model_file, folder or compact_folder())
    with _lock:
        if path is not None and not path.is_file():
            _write_in_another_process(model_file, path)
        if path is not None and path.is_file():
            tagger = _from_copy(path)
            if tagger is not None:
                return tagger
        from HanTa import HanoverTagger

        tagger = HanoverTagger.HanoverTagger(model_file)
        compact = Transitions.of(tagger.LP_trans_word)
        if compact is not None:
            tagger.LP_trans_word = compact
            _return_freed_memory()
        return tagger


def _from_copy(path: Path) -> Any | None:
    from HanTa import HanoverTagger

    try:
        with open(path, "rb") as handle:
            model = pickle.load(handle)
        tagger = HanoverTagger.HanoverTagger.__new__(HanoverTagger.HanoverTagger)
        HanoverTagger.HanoverTagger.__init__(tagger, None, model=model)
    except Exception as error:  # a damaged copy: HanTa's own file still works
        log.info("compact HanTa model %s unusable (%s)", path, error)
        return None
    tagger.strict = False  # as when HanTa loads a model file itself
    return tagger


def _write_in_another_process(model_file: str, path: Path) -> None:
    """The compact copy of ``model_file`` written to ``path`` by a child process, whose
    memory goes back to the system when it ends (unpickling HanTa's Dutch model takes
    800 MB for a moment)."""
    # Imported by its name (not run as ``__main__``), so the copy names ``Transitions``
    # where it is imported from.
    program = (
        f"import sys, pathlib, {__name__} as m; "
        "m.write_copy(sys.argv[1], pathlib.Path(sys.argv[2]))"
    )
    command = [sys.executable, "-c", program, model_file, str(path)]
    root = str(Path(__file__).resolve().parents[3])  # where this ``pipeline`` is imported from
    paths = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        log.info("no compact HanTa model written: %s", done.stderr.strip()[-500:])


def write_copy(model_file: str, path: Path) -> None:
    """Compact ``model_file`` and write it to ``path`` (what the child process does)."""
    from HanTa import HanoverTagger

    tagger = HanoverTagger.HanoverTagger(model_file)
    compact = Transitions.of(tagger.LP_trans_word)
    if compact is None:
        raise SystemExit(f"{model_file}: its word transitions cannot be made compact")
    tagger.LP_trans_word = compact
    _write(path, tuple(getattr(tagger, field) for field in FIELDS))


def _return_freed_memory() -> None:
    """Hand the freed table back to the system where the C library can (glibc): half of its
    800 MB would otherwise stay with the process."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _write(path: Path, model: tuple[Any, ...]) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError as error:  # a read-only home: the next process loads HanTa's file again
        log.info("cannot keep the compact HanTa model in %s (%s)", path.parent, error)
        partial.unlink(missing_ok=True)


def prepare_all() -> list[Path]:
    """Write the compact copy of every model the drafter uses (``scripts/bootstrap.sh``);
    returns the copies."""
    for model_file in HANTA_MODELS.values():
        load_tagger(model_file)
    folder = compact_folder()
    return sorted(folder.glob("*.pkl")) if folder.is_dir() else []


# --- HanTa's sentence Viterbi, reading only the tags a word can have ---------------------

EMPTY, START, END, UNKNOWN, END_UNKNOWN = 0, 1, 2, 3, -3
"""HanTa's reserved tags (``HanTa.HanoverTagger``)."""
BEAM = 5
"""HanTa's: only the states within 1 of the fifth best go on to the next word."""
LOWER_BOUND = -1e6
"""HanTa's: a path less likely than this is dropped."""


class _Tie(Exception):
    """Two paths reach a state with the same log probability: HanTa keeps the first it
    meets, which depends on the order it reads them in."""


def use_quick_viterbi(tagger: Any) -> None:
    """Make ``tagger`` tag sentences with ``tag_sent_viterbi`` below instead of HanTa's own.

    Why: HanTa's Viterbi reads, for every word and every state kept, the whole row of next
    tags (hundreds for Dutch) to find the few the word can have. At 10,000 notes that was
    8 of the drafter's 12 s of Dutch, German and English tagging; reading the word's few
    tags from the row gives the same tags (``tests/test_hanta_model.py``) five times faster."""
    tagger.tag_sent_viterbi = MethodType(tag_sent_viterbi, tagger)


def tag_sent_viterbi(tagger: Any, sent: Sequence[str], casesensitive: bool = True) -> list[int]:
    """HanTa's ``tag_sent_viterbi`` (its best tag per word), computed the same way: the same
    sums in the same order, so the same floats. It looks up each of the word's possible tags
    in a state's row of next tags instead of walking the row. Only the order in which paths
    are met differs, and that only matters where two paths tie exactly: then HanTa's own
    decides, as it would have."""
    try:
        return _viterbi(tagger, sent, casesensitive)
    except _Tie:
        return list(type(tagger).tag_sent_viterbi(tagger, sent, casesensitive))


def _viterbi(tagger: Any, sent: Sequence[str], casesensitive: bool) -> list[int]:
    transitions = tagger.LP_trans_word
    backpointers: list[dict[tuple[int, int], tuple[int, int]]] = []
    previous: dict[tuple[int, int], float] = {(EMPTY, START): 0.0}
    for i, word in enumerate(sent):
        # HanTa reads the first word's case as telling nothing (a sentence's start).
        found = tagger._tag_word(
            word, cutoff=5, casesensitive=casesensitive and i > 0, conditional=True
        )
        possible = dict(found)
        if len(possible) == 1 and UNKNOWN in possible:
            possible = {}  # HanTa: an unknown word may be anything
        bound = (
            sorted(previous.values(), reverse=True)[BEAM] - 1
            if len(previous) > BEAM
            else LOWER_BOUND
        )
        row: dict[tuple[int, int], float] = {}
        back: dict[tuple[int, int], tuple[int, int]] = {}
        for state, lp0 in previous.items():
            if lp0 < bound:
                continue
            following = transitions[state]
            if possible:
                steps = [(c, following[c], lp) for c, lp in possible.items() if c in following]
            else:
                steps = [(c, lp, 0.0) for c, lp in following.items()]
            for c, lp_tc, lp_wc in steps:
                if c == END:
                    continue
                lp = lp0 + lp_tc + lp_wc
                if lp > LOWER_BOUND:
                    reached = (state[1], c)
                    best = row.get(reached)
                    if best is None or lp > best:
                        row[reached] = lp
                        back[reached] = state
                    elif lp == best:
                        raise _Tie
        backpointers.append(back)
        previous = row
    best_lp, last = -math.inf, None
    for state, lp0 in previous.items():
        lp = lp0 + transitions[state].get(END, -math.inf)
        if lp > best_lp:
            best_lp, last = lp, state
        elif lp == best_lp and last is not None:
            raise _Tie
    if last is None:
        raise _Tie  # no path ends: HanTa's own fails as it fails
    tags = [last[1]]
    state = last
    for i in range(len(backpointers) - 1, 0, -1):
        state = backpointers[i][state]
        tags.append(state[1])
    return tags[::-1]


# --- HanTa's analysis of one word, with its morpheme scores looked up once ---------------

LOWEST = -1e6
"""HanTa's: a word analysis drops a path less likely than this."""
GUESS_WHOLE_WORD = 4.6
"""HanTa's: what guessing the whole word as one unknown morpheme costs."""
LONGEST_LENGTH = 24
"""HanTa's: morphemes longer than this have its length table's last entry."""


def use_quick_analysis(tagger: Any) -> None:
    """Make ``tagger`` analyse words with ``analyze_forward`` and ``analyze_viterbi`` below
    instead of HanTa's own: the same tables, the same sums in the same order, so the same
    floats, paths and ties (``tests/test_hanta_model.py``).

    Why: a word HanTa's lexicon lacks is analysed letter by letter, each segment scored
    against each tag that may follow each path kept, through a method call that looks the
    tag's tables up again every time: at 10,000 notes, 3 to 4 s of the drafter's 6 s of
    HanTa tagging. Here the tables are read once per tagger and the score is computed in
    the loop. A word is analysed once, however it is capitalised (HanTa analyses its
    lowercase form)."""
    guesses = _guesses(tagger)
    forward = partial(analyze_forward, tagger, guesses)
    viterbi = partial(analyze_viterbi, tagger, guesses)
    tagger.analyze_forward = lru_cache(maxsize=WORD_ANALYSES)(forward)
    tagger.analyze_viterbi = lru_cache(maxsize=WORD_ANALYSES)(viterbi)


WORD_ANALYSES = 2**17
"""Words (and word-and-tag pairs) whose analysis a tagger keeps; HanTa's callers only read
the lists it returns."""

Guess = tuple[dict[str, float], list[float]]
"""A tag's log probabilities of a morpheme's last letters, and of its length plus HanTa's
constants (``Int_t + LP_hapax_t[tag] + LP_len_t[tag][length]``, summed in HanTa's order)."""


def _guesses(tagger: Any) -> dict[int, Guess]:
    """What HanTa's ``lp_m_t`` guesses a morpheme's log probability from, per tag, for a
    morpheme its lexicon lacks (the tags with no such figures get ``-inf``)."""
    out: dict[int, Guess] = {}
    for tag in tagger.LP_m_t:
        if tag in tagger.LP_hapax_t and tag in tagger.LP_s_t:
            start = tagger.Int_t + tagger.LP_hapax_t[tag]
            out[tag] = (tagger.LP_s_t[tag], [start + lp for lp in tagger.LP_len_t[tag]])
    return out


def _guessed(m: str, mlen: int, wlen: int, guess: Guess) -> float:
    """HanTa's ``lp_m_t`` for a morpheme ``m`` (of ``mlen`` letters, in a word of ``wlen``)
    that the tag's lexicon lacks, when it may be guessed: from its last letters and
    length."""
    suffixes, by_length = guess
    if mlen > 4 and m[-4:] in suffixes:
        suffix = suffixes[m[-4:]]
    elif mlen > 3 and m[-3:] in suffixes:
        suffix = suffixes[m[-3:]]
    elif mlen > 2 and m[-2:] in suffixes:
        suffix = suffixes[m[-2:]]
    elif mlen > 1 and m[-1:] in suffixes:
        suffix = suffixes[m[-1:]]
    else:
        suffix = suffixes[""]
    lp = by_length[min(mlen, LONGEST_LENGTH)] + suffix
    if wlen == mlen:
        lp -= GUESS_WHOLE_WORD
    return lp


def analyze_forward(tagger: Any, guesses: dict[int, Guess], word: str) -> list[tuple[int, float]]:
    """HanTa's ``analyze_forward``: each part of speech ``word`` may have, with its log
    probability, most likely first."""
    wlen = len(word)
    guessing = not tagger.strict
    short = wlen < 4
    known = tagger.LP_m_t
    nonfinal = tagger.LP_trans_nonfinal
    table: list[dict[tuple[int, int], float]] = [{(EMPTY, START): 0}]
    table += [{} for _ in range(wlen + 1)]
    for i in range(wlen + 1):
        row = table[i]
        bound = sorted(row.values(), reverse=True)[3] - 1 if len(row) > 3 else LOWEST
        for state, lp in row.items():
            if lp < bound:
                continue
            followup = nonfinal.get(state, [])
            came = state[1]
            for j in range(i + 1, wlen + 1):
                cell = table[j]
                m = word[i:j]
                mlen = j - i
                for tag1, lpt in followup:
                    score = known[tag1].get(m)  # KeyError for a tag with no lexicon, as HanTa's
                    if score is None:
                        guess = guesses.get(tag1) if guessing else None
                        if guess is None or not (short or mlen > 2):
                            continue  # -inf: no path
                        score = _guessed(m, mlen, wlen, guess)
                    lp1 = lp + lpt + score
                    if lp1 > LOWEST:
                        new = (came, tag1)
                        old = cell.get(new)
                        if old is None or lp1 > old:
                            cell[new] = lp1
    last = table[-1]
    for state, lp in table[-2].items():
        for tag1, lpt in tagger.LP_trans_final.get(state, []):
            lp1 = lp + lpt
            if lp1 > LOWEST:
                new = (state[1], tag1)
                if new not in last or lp1 > last[new]:
                    last[new] = lp1
    results: dict[int, float] = {}
    for state, lp in last.items():
        if lp == -math.inf:
            continue
        pos = -state[1]
        results[pos] = logaddexp(results[pos], lp) if pos in results else lp
    ranked = sorted(results.items(), key=itemgetter(1), reverse=True)
    return ranked or [(UNKNOWN, 0)]


def analyze_viterbi(
    tagger: Any, guesses: dict[int, Guess], word: str, targetpos: int
) -> list[tuple[int, int]]:
    """HanTa's ``analyze_viterbi``: ``word``'s most likely morphemes given its part of
    speech, as (tag, end) pairs: without guessed morphemes where it can, else with them."""
    wlen = len(word)
    short = wlen < 4
    known = tagger.LP_m_t
    reachable = tagger.reachability.get(targetpos, frozenset())
    nonfinal = tagger.LP_trans_nonfinal
    for guessing in (False, True):
        table: list[dict[tuple[int, int], float]] = [{(EMPTY, START): 0}]
        table += [{} for _ in range(wlen + 1)]
        backpointer: list[dict[tuple[int, int], tuple[tuple[int, int], int]]] = [
            {} for _ in range(wlen + 2)
        ]
        for i in range(wlen + 1):
            row = table[i]
            bound = sorted(row.values(), reverse=True)[3] - 1 if len(row) > 3 else LOWEST
            for state, lp in row.items():
                if lp < bound:
                    continue
                followup = [(t, p) for t, p in nonfinal.get(state, []) if t in reachable]
                came = state[1]
                for j in range(i + 1, wlen + 1):
                    cell, back = table[j], backpointer[j]
                    m = word[i:j]
                    mlen = j - i
                    for tag1, lpt in followup:
                        score = known[tag1].get(m)
                        if score is None:
                            guess = guesses.get(tag1) if guessing else None
                            if guess is None or not (short or mlen > 2):
                                continue
                            score = _guessed(m, mlen, wlen, guess)
                        lp1 = lp + lpt + score
                        if lp1 > LOWEST:
                            new = (came, tag1)
                            old = cell.get(new)
                            if old is None or lp1 > old:
                                cell[new] = lp1
                                back[new] = (state, i)
        for state, lp in table[-2].items():
            for tag1, lpt in tagger.LP_trans_final.get(state, []):
                if tag1 == targetpos:
                    lp1 = lp + lpt
                    if lp1 > LOWEST:
                        new = (state[1], tag1)
                        if new not in table[-1] or lp1 > table[-1][new]:
                            table[-1][new] = lp1
                            backpointer[-1][new] = (state, wlen)
                    break
        if table[-1]:
            break  # a second try, with guessed morphemes, only when the first found none
    pmax = -math.inf
    best = (EMPTY, EMPTY)
    for state, lp in table[-1].items():
        if lp > pmax:
            pmax, best = lp, state
    i = len(backpointer) - 1
    if best == (EMPTY, EMPTY):
        states = [((UNKNOWN, END_UNKNOWN), i), ((START, UNKNOWN), i - 1)]
    else:
        states = [(best, i)]
        state = best
        while i > 0:
            state, i = backpointer[i][state]
            states.append((state, i))
        states = states[:-1]
    return [(state[1], i) for state, i in states[::-1]]
