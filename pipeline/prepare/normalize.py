"""Text clean-up that changes how a note is written only where it must, never what it says.

Notes come from spreadsheets, Word tables and photos typed up by volunteers: decomposed
accents, non-breaking spaces, zero-width characters, control characters and stray bullets are
common. :func:`normalize_text` and :func:`clean` remove only those, and the result is the text
every report, the review app and the Day 2 handout show and quote: what the participant
wrote, with their punctuation. Full-width punctuation ("，", "！", "。"), typographic quotes and
apostrophes ("l’écoute", "„so“"), dashes, the ellipsis, superscripts and fractions are kept as
written. Two things are rewritten because they are broken, not a choice of the writer: a
ligature from a PDF copy ("ﬁ" → "fi") and an acute or grave accent typed as an apostrophe
between two letters ("GFK´s" → "GFK’s"), which Unicode's compatibility forms would turn into a
space and a stray combining accent ("GFK ́s").

What compares notes wants a folded form instead, where "l’écoute" and "l'écoute", "！" and
"!", "ＡＩ" and "AI" are the same: :func:`plain_typography` gives it (the embedder reads it,
and :func:`words` compares by it), and :func:`comparison_key` goes further for duplicates.
Neither is ever stored as a note's text. :func:`same_words` tells whether two texts differ in
more than punctuation, spacing and such folding: only then is a note's original worth showing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

COMPAT_TAGS = frozenset({"<compat>", "<wide>", "<narrow>", "<noBreak>", "<font>", "<vertical>"})
"""Compatibility decompositions that :func:`plain_typography` applies (NFKC for these only):
ligatures, fullwidth and halfwidth forms, no-break spaces, styled letters. Superscripts,
fractions and circled digits keep their look even there (NFKC would turn "m²" into "m2" and
"½" into "1⁄2"). The displayed text applies none of them but Latin ligatures
(:func:`normalize_text`)."""

_QUOTES_AND_DASHES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’ (the apostrophe of "l’écoute")
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u02bc": "'",  # ʼ modifier letter apostrophe
        "\u00b4": "'",  # ´ acute accent typed as an apostrophe
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2212": "-",  # minus sign
    }
)
"""What :func:`plain_typography` unifies: apostrophes, curly double quotes, hyphen look-alikes.
French guillemets and en/em dashes stay (correct typography that carries no noise). The displayed
text keeps all of them."""

_ACCENT_AS_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[\u00b4`](?=[^\W\d_])")
"""An acute accent or a backtick between two letters is an apostrophe typed on a keyboard
without one ("GFK´s", "don`t"): written "’", never decomposed into a space and a combining
accent."""
_LINE_BREAKS = re.compile(r"\r\n|[\r\u0085\u2028\u2029\v\f]")
_SPACES = re.compile(r"[^\S\n]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_REPEATED_PUNCT = re.compile(r"([!?])\1+")

_NOISE = r"\s\-–—*•·▪◦●○►>~_=#|,;:/\\"
"""Bullets, dashes and separators. "+" is not noise: "+ de bancs" means "more benches"."""
_SIGN = rf"[-–—~](?=[.,]?\d)|[=#](?=[^{_NOISE}])"
"""What a participant wrote, not a bullet, though it starts the note: a sign before a number
("-20 %", "-5 °C", "~30 personnes"), a number sign or hashtag ("#1 priorité", "#vélo"), an
equals sign against its text ("=gratuit"). Only a spreadsheet reads "=" or "-" as a
formula: the CSV and XLSX exports neutralise such cells, the text people read keeps them."""
_LEADING_NOISE = re.compile(rf"^(?:(?!{_SIGN})[{_NOISE}])+(?=\S)")
_TRAILING_NOISE = re.compile(rf"(?<=\S)[{_NOISE}]+$")
TOKENS = re.compile(
    r"(?:https?://|www\.)[^\s<>\"«»“”]*[^\s<>\"«»“”.,;:!?)\]}'’]"  # a URL, not its full stop
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # an e-mail address
    r"|(?<![\w@])@\w+"  # a mention
    r"|(?<![\w#&])#\w+"  # a hashtag
)
"""Words that are written as one and must stay so: URLs (a trailing "/" or "_" included),
e-mail addresses, @mentions and #hashtags. Neither noise stripping nor the idea splitter
cuts into them."""
_WRAPPING_PAIRS = (
    ('"', '"'),
    ("«", "»"),
    ("»", "«"),
    ("(", ")"),
    ("[", "]"),
    ("\u201c", "\u201d"),  # “…”
    ("\u201e", "\u201c"),  # „…“
    ("\u201e", "\u201d"),  # „…”
    ("\u2018", "\u2019"),  # ‘…’
)
"""Quotes or brackets around the whole note, in ASCII and in typographic quotes alike."""


@lru_cache(maxsize=4096)
def _display_char(char: str) -> str:
    """How one non-ASCII character of the displayed text is rewritten (cached: notes reuse
    few distinct ones): invisible characters go, controls become spaces, Latin ligatures
    become their letters; everything else is kept as written."""
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width, soft hyphen, BOM, bidi marks
        return ""
    if category == "Cc":
        return "\n" if char == "\x85" else " "
    if category in ("Ll", "Lu", "Lt") and unicodedata.decomposition(char).startswith("<compat>"):
        letters = unicodedata.normalize("NFKC", char)
        if letters.isascii() and letters.isalpha():  # "ﬁ", "ﬂ", "ĳ", "ſ"; not "ŀ" ("l·")
            return letters
    return char


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """How one non-ASCII character is folded for comparison (:func:`plain_typography`)."""
    displayed = _display_char(char)
    if displayed != char:
        return displayed
    tag = unicodedata.decomposition(char).split(" ", 1)[0]
    if tag in COMPAT_TAGS:
        folded = unicodedata.normalize("NFKC", char)
        if not any(unicodedata.combining(c) for c in folded):  # "´" is not " ́"
            return folded
    return char


def _display(match: re.Match[str]) -> str:
    return _display_char(match.group(0))


def _folded(match: re.Match[str]) -> str:
    return _fold_char(match.group(0))


def normalize_text(text: str) -> str:
    """The text as written, minus what no participant means: NFC (composed accents), no
    invisible or control characters, Latin ligatures as letters, an accent typed as an
    apostrophe as "’", single spaces, no blank lines. Punctuation, quotes, full-width forms
    and every other character are kept. Line breaks are kept: the splitter reads bullets from
    them.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = _NON_ASCII.sub(_display, text)
        text = unicodedata.normalize("NFC", text)  # a removed character may join a mark
    if "\u00b4" in text or "`" in text:
        text = _ACCENT_AS_APOSTROPHE.sub("\u2019", text)
    # ASCII control characters other than tab/newline
    text = "".join(c if c >= " " or c in "\n\t" else " " for c in text) if _has_ctrl(text) else text
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def plain_typography(text: str) -> str:
    """``text`` (normalised) with its typography made plain, never shown: full-width and
    halfwidth forms, no-break spaces and styled letters in their plain form (NFKC for those),
    apostrophes, curly quotes and hyphen look-alikes unified ("l’écoute" → "l'écoute",
    "好！" → "好!"). Case, accents and words are kept.

    It is what the embedder reads (a run, a review's re-draft and ``evaluate`` alike), so a
    note shown as written sits where its plain form would, and what :func:`words` compares.
    Matching words regardless of case and accents is
    :func:`pipeline.ground.match_key`'s."""
    if text.isascii():
        return text
    text = _NON_ASCII.sub(_folded, text)
    return unicodedata.normalize("NFC", text).translate(_QUOTES_AND_DASHES)


def _has_ctrl(text: str) -> bool:
    return any(c < " " and c not in "\n\t" for c in text)


def flatten(text: str) -> str:
    """One line: line breaks become spaces (a note wrapped on a sticky note is one text)."""
    return " ".join(text.split())


def strip_noise(text: str) -> str:
    """Remove leading bullets/dashes, trailing separators, quotes or brackets wrapping the
    whole note, and repeated "!!!"/"???". Never strips a note down to nothing: a note made
    only of symbols is kept as it is so that rejection can say why.
    """
    original = text
    text = _REPEATED_PUNCT.sub(r"\1", text.strip())
    for _ in range(3):  # "- « idea » ;" needs a few rounds
        before = text
        text = _LEADING_NOISE.sub("", text)
        text = _strip_trailing_noise(text)
        for left, right in _WRAPPING_PAIRS:
            inner = text[len(left) : -len(right)]
            if (
                len(text) > 2
                and text.startswith(left)
                and text.endswith(right)
                and left not in inner
                and right not in inner
            ):
                text = inner.strip()
        if text == before:
            break
    return text if text else original.strip()


def _strip_trailing_noise(text: str) -> str:
    """``text`` without its trailing separators, but never the end of a URL, an address, a
    mention or a hashtag ("… https://x.org/wiki/" keeps its "/")."""
    match = _TRAILING_NOISE.search(text)
    if match is None:
        return text
    token_ends = [token.end() for token in TOKENS.finditer(text)]
    return text[: max([match.start(), *token_ends])]


def clean(text: str) -> str:
    """The text of an atomic note: normalised, on one line, without surrounding noise."""
    return strip_noise(flatten(normalize_text(text)))


_NOT_WORD = re.compile(r"[\W_]+")


def comparison_key(text: str) -> str:
    """Casefolded, accent-free, punctuation-free text: what "the same note" means when
    checking duplicates and placeholders ("Café !" and "cafe" have the same key)."""
    text = text.casefold()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text).split())


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of ``text``, casefolded and with plain typography (:func:`plain_typography`),
    in order: what two texts must share to say the same thing, whatever their punctuation,
    spacing or quotes."""
    return _WORD.findall(plain_typography(normalize_text(text)).casefold())


def same_words(original: str, shown: str) -> bool:
    """Whether ``shown`` (a note's cleaned text) says in the same words what ``original`` (what
    was read) does: only then does a note not need its original shown beside it. Punctuation,
    quotes, bullets, spaces and invisible characters are not words; a word cut, dropped or
    changed, or a part split off a longer note, is."""
    return original == shown or words(original) == words(shown)
