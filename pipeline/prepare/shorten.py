"""Shortening a participant's text for a line of the handout, the report or a proposal.

A cut text ends where a reader expects a cut (a sentence, a clause, a whole word) and says
so with " …": "… how we want them to function in society- rewrite …" and "… to let it sink
in. The …" left a reader guessing what was left out and whether anything was."""

from __future__ import annotations

import re

from pipeline.prepare.abbreviations import shortens

ELLIPSIS = " …"
MIN_KEPT_WORDS = 6
"""A shortened quote or proposal keeps at least this many words before the cut it ends at."""

_SENTENCE_END = re.compile(r"[.!?…][\"'”“»«)\]]*$")
_CLAUSE_END = re.compile(r"(?:[,;:]|\w-)[\"'”“»)\]]*$")
_DASHES = {"-", "–", "—", "/"}

# Words a cut must not end on: articles, conjunctions, prepositions, pronouns that begin
# what the cut leaves out ("… to let it sink in. The …", "… the need for a …").
_DANGLING_WORDS = """a an the and or but nor of to in on at by for with from into as that
    which who whom
    whose this these those is are was were be its their our your my his her if than so
    le la les l un une des du de d et ou mais à au aux en pour par sur dans avec que qui
    dont ce ces cet cette son sa ses leur leurs ne pas plus
    der die das den dem des ein eine einen einem einer eines und oder aber zu zum zur von
    vom mit für auf im an am bei aus nach dass als wie wenn ob nicht sich es sie er wir
    de het een en of maar van te op voor met bij aan om dat die als naar uit door
    most many much few some several such other each every all
    moins tous toutes chaque
    meisten viele alle jede jeder jedes
    meeste veel alle elke"""
DANGLING = frozenset(_DANGLING_WORDS.split())
"""(Quantifiers too: "… with allowances for the most …" waits for its noun.)"""

_CLAUSE_OPENER_WORDS = """so that which because since while whereas although though unless
    que qui parce car donc afin lorsque puisque quand alors
    dass weil damit sodass wobei obwohl denn also wenn
    dat omdat zodat waardoor want dus wanneer"""
CLAUSE_OPENERS = frozenset(_CLAUSE_OPENER_WORDS.split())
"""Words that open a clause: a cut between words a few words after one leaves the clause
hanging ("… of the worst off so that means …"), so the cut goes before it."""
OPENER_WINDOW = 4
"""How many of the last kept words are searched for a clause opener to cut before."""


def shortened(text: str, limit: int, language: str = "en", *, whole: bool = False) -> str:
    """``text`` in at most ``limit`` words, cut where a reader expects a cut: at the end of its
    last sentence that fits, else of a clause ("… in society-", "…,", "… werden –") in its
    second half, else between words, never on a word that begins what is left out (an
    article, a conjunction, the first word of the next sentence) nor on an abbreviation
    ("od.", "z.B."). A cut text ends with " …": the ellipsis says words are left out.
    ``whole``: a text cut where what it keeps is whole, after a sentence or before a clause
    it opens ("… of the worst off", not "… so that means …"), ends there without the
    ellipsis: a proposal says its idea, and the note it cites says the rest."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return cut_words(words[:limit], language, whole=whole)


def _abbreviation(word: str, language: str) -> bool:
    """A word whose full stop shortens it ("od.", "d.h.", "etc."): no sentence ends there."""
    bare = word.rstrip("\"'”“»)]")
    return bare.endswith(".") and shortens(bare.rstrip(".").split(".")[-1], language)


def cut_words(head: list[str], language: str, *, whole: bool = False) -> str:
    """``head`` (the words that fit) cut as ``shortened`` cuts, with the ellipsis (not after
    a whole sentence or clause, when ``whole``)."""

    def sentence_end(i: int) -> bool:
        return bool(_SENTENCE_END.search(head[i])) and not _abbreviation(head[i], language)

    def clause_end(i: int) -> bool:
        dash_follows = i + 1 < len(head) and head[i + 1] in _DASHES
        return dash_follows or bool(_CLAUSE_END.search(head[i]))

    for ends, floor in ((sentence_end, MIN_KEPT_WORDS), (clause_end, len(head) // 2)):
        floor = min(floor, len(head))
        at = next((i for i in range(len(head) - 1, floor - 2, -1) if ends(i)), None)
        if at is not None:
            if whole and ends is sentence_end:
                return " ".join(head[: at + 1])
            return _closed(head[: at + 1])
    opens = [
        i
        for i in range(max(MIN_KEPT_WORDS, len(head) - OPENER_WINDOW), len(head))
        if head[i].casefold().strip(".,;:!?()\"'“”«»„") in CLAUSE_OPENERS
    ]
    if opens:
        head = head[: opens[0]]  # "… of the worst off", not "… of the worst off so that means"
        if whole:
            return " ".join(head).rstrip(" ,;:-–—/")
    while len(head) > MIN_KEPT_WORDS and (
        head[-1].casefold().strip(".,;:!?()\"'“”«»„") in DANGLING
        or head[-1] in _DASHES
        or _abbreviation(head[-1], language)
    ):
        head = head[:-1]
    return _closed(head)


def _closed(head: list[str]) -> str:
    """The kept words, their trailing comma or dash dropped, and the ellipsis."""
    line = " ".join(head).rstrip(" ,;:-–—/")
    return (line or " ".join(head)) + ELLIPSIS
