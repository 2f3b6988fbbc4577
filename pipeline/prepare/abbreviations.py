"""Where a full stop ends a sentence, and where it only shortens a word ("bzw.", "z. B.").

Notes are written fast: "Anpassung Baustandards bzw. Verfahren", "Wohnungen im ländl. Raum",
"Weitergabe an Tafeln usw.verpflichten", "am 2. Mai". A rule that ends a sentence at every
full stop followed by a capital cuts these in two, and a proposal then reads "Anpassung
Baustandards bzw". spaCy's sentencizer for German and Dutch is such a rule; its French model
knows a few abbreviations, not the notes' own.

So the rules here, per language and tested, decide what a full stop after a word means:

- the word is a known abbreviation of fr, nl, de or en ("bzw", "usw", "etc", "bijv", "env",
  "e.g." written "e" "." "g" "."), or a single letter ("z. B.", "u. a.", "p. ex.");
- in German, the word is a cut adjective: lowercase and ending on a consonant and "l"
  ("ländl.", "öffentl.", "jährl."), which no German word does in full;
- in German, the word is a number: an ordinal ("am 2. Mai", "von 2., 3., etc.");
- the next word starts with a lowercase letter: a sentence does not ("usw.verpflichten").

The drafter (``pipeline.draft.compose``) and the idea splitter (``pipeline.prepare.split``)
both ask this module, so a note is cut, and its clauses end, at the same places.
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LISTING = _words("bzw usw etc enz resp od uvm u.ä u.dgl vs")
"""Abbreviations that join or close a list ("Tafeln usw.", "A bzw. B"): said as a
conjunction."""
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "de": _words(
        """
        bzw usw etc z b u a ggf evtl inkl ca vgl bspw zb ua sog ggü mind max min insb bes bzgl
        zzgl d h z t str tel gem lt ehem allg ggfs uvm u.ä dgl od o ä ff s v jh jhd mio mrd
        tsd std sek kl gr dt engl frz
        """
    ),
    "fr": _words(
        """
        p ex cf env etc c-à-d c.-à-d cad càd nb mme mm mlle m st ste av bd ch vol max min
        approx réf ref al ibid éd hab km kg
        """
    ),
    "nl": _words(
        """
        bijv bv o a enz m a w d w z i p v t a v ca incl excl resp evt evtl max min mln mld km
        kg jl jr dhr mevr mw st vs
        """
    ),
    "en": _words(
        """
        e g i etc vs esp approx incl resp mr mrs ms dr st max min dept govt jan feb mar
        apr jun jul aug sep sept oct nov dec
        """
    ),
}
"""Per language, the words a full stop shortens, lowercased and without their stop."""
NUMBERED = _words("no nr n° nº art abs fig blz p s")
"""Abbreviations that stand before a number only ("Art. 3", "no. 5"): "Say no. Then …" ends."""
EVERY_LANGUAGE = LISTING | _words("ca max min incl inkl approx resp ggf bzgl bijv")
"""A note in one language often borrows another's ("bzw." in a Dutch note): these hold in
all; each language's own list holds in that language (and all of them in any other)."""
ALL_LISTS = frozenset().union(*ABBREVIATIONS.values())

_CUT_ADJECTIVE = re.compile(r"[a-zäöüß]*[bcdfghjkmnpqrstvwxzß]l")
"""A German adjective cut after its stem's "l" ("ländl", "öffentl", "staatl", "jährl")."""


def shortens(word: str, language: str, following: str = "") -> bool:
    """A full stop right after ``word`` shortens it and ends no sentence; ``following`` is
    the text that comes after the stop (its first word matters)."""
    bare = word.strip()
    if not bare:
        return False
    lowered = bare.lower()
    if lowered in ABBREVIATIONS.get(language, ALL_LISTS) or lowered in EVERY_LANGUAGE:
        return True
    if lowered in NUMBERED and following.lstrip()[:1].isdigit():
        return True
    if len(bare) == 1 and bare.isalpha() and not (language == "fr" and lowered in "ay"):
        return True  # "z. B.", "u. a.", "p. ex.", an initial; not French "il y a."
    if "." in bare and all(len(part) <= 2 for part in bare.split(".") if part):
        return True  # "z.B", "u.a", "e.g", "o.ä"
    if language == "de" and bare.isdigit() and len(bare) <= 3 and following.strip():
        return True  # an ordinal: "am 2. Mai", "von 2., 3., etc."
    if cut_adjective(bare, language):
        return True
    next_word = following.lstrip()[:1]
    return next_word.isalpha() and next_word.islower()


def cut_adjective(word: str, language: str) -> bool:
    """A German adjective cut short ("ländl", "öffentl"), without its stop."""
    return language == "de" and _CUT_ADJECTIVE.fullmatch(word) is not None


def lists(word: str) -> bool:
    """The abbreviation joins or closes a list ("bzw.", "usw.", "etc."): a conjunction."""
    return word.strip().lower().rstrip(".") in LISTING


_LAST_WORD = re.compile(r"([^\s(\[«\"'“„]+)\.$")


def ends_in_abbreviation(sentence: str, language: str, following: str = "") -> bool:
    """``sentence`` ends with a full stop that only shortens its last word."""
    match = _LAST_WORD.search(sentence.rstrip())
    if match is None:
        return False
    word = match.group(1)
    tail = word.rsplit(".", 1)[-1]
    # "usw.verpflichten." ends on a word of its own ("verpflichten"); "u.a." is one whole.
    return shortens(tail if "." in word and len(tail) > 2 else word, language, following)


def rejoin(sentences: Sequence[str], language: str) -> list[str]:
    """Sentences from a splitter that cut at full stops, joined again where the stop only
    shortened a word: ["Anpassung Baustandards bzw.", "Verfahren vereinfachen."] is one."""
    out: list[str] = []
    for sentence in sentences:
        if out and (
            ends_in_abbreviation(out[-1], language, sentence)
            or _cut_mid_sentence(out[-1], sentence)
        ):
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out


def _cut_mid_sentence(before: str, after: str) -> bool:
    """Whether a splitter cut where no sentence ends: the piece before ends in a letter or a
    comma, not a stop, and the one after goes on in lowercase (French "celle ci doit …" was
    cut into "… l'élection celle" and "ci doit être …")."""
    last = before.rstrip()[-1:]
    first = after.lstrip()[:1]
    return bool(last) and (last.isalnum() or last == ",") and first.islower()


_STOP = re.compile(r"[.!?…]+")


def split_sentences(text: str, language: str) -> list[str]:
    """``text`` cut at its sentence ends: a ".", "!", "?" or "…" followed by a space and a
    capital letter (or a digit or an opening quote), except where the stop only shortens a
    word. The pieces keep their closing punctuation and join back to the text's words."""
    out: list[str] = []
    start = 0
    for match in _STOP.finditer(text):
        end = match.end()
        after = text[end:]
        stripped = after.lstrip()
        if not after[:1].isspace() or not stripped:
            continue
        if not (stripped[:1].isupper() or stripped[:1].isdigit() or stripped[:1] in "\"«“„'("):
            continue
        if match.group() == "." and ends_in_abbreviation(text[start:end], language, after):
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
