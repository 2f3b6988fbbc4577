"""Notes that carry no idea: empty, too short, only symbols, a placeholder, a web address
alone, a statement that only describes its writer (``pipeline.prepare.profile``) or a reply
that only agrees (``pipeline.prepare.reply``).

They are kept in the output with a short reason instead of being dropped, so the counts
reconcile and a reviewer can see (and overrule) every decision. The reason is recorded in
English, as the run's files keep it; the reports show it in the run's language
(``pipeline.report.view.shown_reason``, where a new reason needs its message).
"""

from __future__ import annotations

import re

from pipeline.config import PrepareConfig
from pipeline.prepare.normalize import comparison_key
from pipeline.prepare.profile import is_profile_statement
from pipeline.prepare.reply import is_bare_reply

_LETTER = re.compile(r"[^\W\d_]")

PLACEHOLDERS = frozenset(
    {
        # en
        "test", "tests", "testing", "ok", "okay", "xxx", "n a", "na", "tbd", "tba", "tbc",
        "todo", "to do", "nothing", "none", "idem", "ditto", "lorem ipsum", "blabla",
        "bla bla", "bla", "asdf", "qwerty", "dummy", "example", "sample", "null", "nan", "no idea",
        # fr
        "oke", "ras", "rien", "rien a signaler", "a completer", "a remplir", "a definir",
        "exemple", "neant", "aucune idee", "pas d idee",
        # nl
        "niets", "nvt", "n v t", "in te vullen", "aan te vullen", "nog in te vullen",
        "voorbeeld", "geen", "geen idee",
        # de
        "nichts", "keine", "beispiel", "auszufullen", "zu erganzen", "entfallt", "keine ahnung",
    }
)  # fmt: skip
"""Comparison keys (casefolded, no accents or punctuation) of filler notes in the four
languages: "à compléter" → "a completer", "n/a" → "n a", "oké" → "oke"."""

_PLACEHOLDER_PATTERNS = re.compile(
    r"^(?:x{2,}|(?:test\s*)+\d*|(?:bla\s*)+|lorem ipsum.*|(?P<c>[a-z])(?P=c){2,})$"
)
"""Repeated filler: "xxxx", "aaa", "test test", "test 2", "blablabla", "lorem ipsum dolor…"."""

_LONGEST_PLACEHOLDER = 40
"""Longer notes are placeholders only when they start with "lorem ipsum" (saves a key)."""
MAX_QUOTED = 40
PROFILE_REASON = "describes its writer, not an idea (age, income, residence, occupation, …)"
REPLY_REASON = "only answers another note (agrees, disagrees, +1), no idea of its own"
LINK_REASON = "only a web address, no words of its own"
WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+")
"""A web address in a note: no words of the note's own."""


def _quote(text: str) -> str:
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def is_placeholder(text: str) -> bool:
    if len(text) > _LONGEST_PLACEHOLDER and not text[:12].casefold().startswith("lorem ipsum"):
        return False  # only "lorem ipsum …" is a long placeholder; skip the key for the rest
    key = comparison_key(text)
    return key in PLACEHOLDERS or _PLACEHOLDER_PATTERNS.match(key) is not None


def reject_reason(text: str, config: PrepareConfig) -> str | None:
    """Why this normalised note is not an idea, as a short sentence; None to keep it.

    A note without any letter is reported as "no words" whatever its length ("???" or "👍👍"
    say more that way than "too short"); a note with letters is checked for length first.
    """
    if not text.strip():
        return "empty"
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return "no words: only symbols, emoji or numbers"
    if len(text) < config.min_chars:
        return f"too short: {len(text)} character{'s' if len(text) != 1 else ''}"
    if letters < config.min_letters:
        return "no words: only symbols, emoji or numbers"
    if is_placeholder(text):
        return f"placeholder: '{_quote(text)}'"
    if ("http" in text or "www." in text) and not _LETTER.search(WEB_ADDRESS.sub("", text)):
        # A pasted link alone: nothing to group or to quote in a handout; kept in the
        # rejected list, where a reviewer sees what it points to.
        return LINK_REASON
    if config.reject_profiles and is_profile_statement(text):
        return PROFILE_REASON
    if config.reject_replies and is_bare_reply(text):
        return REPLY_REASON
    return None
