"""Text clean-up that changes how a note is written, never what it says.

Notes come from spreadsheets, Word tables and photos typed up by volunteers: decomposed
accents, non-breaking spaces, ligatures, fullwidth characters, zero-width characters and
stray bullets are common, and each of them would make two identical ideas look different
to the duplicate check, the language detector and the embedder.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

COMPAT_TAGS = frozenset({"<compat>", "<wide>", "<narrow>", "<noBreak>", "<font>", "<vertical>"})
"""Compatibility decompositions applied (NFKC for these only): ligatures, fullwidth, no-break
spaces, styled letters. Superscripts, fractions and circled digits keep their look (NFKC
would turn "m²" into "m2" and "½" into "1⁄2")."""

_QUOTES_AND_DASHES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’ (the apostrophe of "l’écoute")
        "\u201a": "'",  # ‚
        "\u201b": "'",  # ‛
        "\u02bc": "'",  # ʼ modifier letter apostrophe
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
"""Only unambiguous variants: apostrophes, curly double quotes, hyphen look-alikes. French
guillemets and en/em dashes are kept (they are correct typography and carry no noise)."""

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
_WRAPPING_PAIRS = (('"', '"'), ("«", "»"), ("»", "«"), ("(", ")"), ("[", "]"))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """How one non-ASCII character is rewritten (cached: notes reuse few distinct ones)."""
    category = unicodedata.category(char)
    if category == "Cf":  # zero-width, soft hyphen, BOM, bidi marks
        return ""
    if category == "Cc":
        return "\n" if char == "\x85" else " "
    tag = unicodedata.decomposition(char).split(" ", 1)[0]
    if tag in COMPAT_TAGS:
        return unicodedata.normalize("NFKC", char)
    return char


def _fold(match: re.Match[str]) -> str:
    return _fold_char(match.group(0))


def normalize_text(text: str) -> str:
    """NFC + selected NFKC, unified apostrophes/quotes/hyphens, no invisible characters,
    single spaces, no blank lines. Line breaks are kept: the splitter reads bullets from them.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        text = _NON_ASCII.sub(_fold, text)
        text = unicodedata.normalize("NFC", text)  # NFKC of a character may leave a combining mark
        text = text.translate(_QUOTES_AND_DASHES)
    # ASCII control characters other than tab/newline
    text = "".join(c if c >= " " or c in "\n\t" else " " for c in text) if _has_ctrl(text) else text
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


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
        text = _TRAILING_NOISE.sub("", text)
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
