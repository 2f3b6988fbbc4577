"""French grammar errors in a drafted sentence, by Grammalecte, where it is installed.

The composing drafter copies the participants' words, and with them their slips ("des impôts
sur le revenus"). Grammalecte (Debian's ``python3-grammalecte``, pure Python, offline) finds
agreement, conjugation and case errors, and words its dictionary does not know ("arreter"
for "arrêter"); the drafter then prefers a question without either, and
``benchmarks/drafting.py`` counts the grammar errors. Typography (non-breaking spaces,
apostrophes) is not grammar and is not counted. Without Grammalecte nothing is filtered
and nothing fails.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

DEBIAN_PACKAGE = Path("/usr/lib/python3/dist-packages/grammalecte")
"""Where Debian's ``python3-grammalecte`` puts the package, outside a virtual environment."""
TYPOGRAPHY = frozenset({"nbsp", "esp", "typo", "apos", "maj", "num", "tu", "eif", "ocr"})
"""Grammalecte's kinds of error that are typography, not grammar."""

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _checker() -> Any | None:
    try:
        module = importlib.import_module("grammalecte")
    except ImportError:
        init = DEBIAN_PACKAGE / "__init__.py"
        if not init.exists():
            return None
        spec = importlib.util.spec_from_file_location(
            "grammalecte", init, submodule_search_locations=[str(DEBIAN_PACKAGE)]
        )
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        sys.modules["grammalecte"] = module
        try:
            spec.loader.exec_module(module)
        except Exception:  # a broken optional checker is no checker
            sys.modules.pop("grammalecte", None)
            return None
    try:
        return module.GrammarChecker("fr")
    except Exception:  # idem
        return None


def available() -> bool:
    """Grammalecte can be used here."""
    return _checker() is not None


def french_grammar_errors(text: str) -> list[str] | None:
    """The grammar errors Grammalecte finds in ``text`` (its messages), typography left out;
    ``None`` where Grammalecte is not installed."""
    if _checker() is None:
        return None
    return list(_errors(text)[0])


def french_misspelt(text: str) -> list[str] | None:
    """The lower-case words of ``text`` Grammalecte's dictionary does not know ("arreter",
    "senat": accents a note left out); a name or an acronym ("RIC", "Roubaix") is not
    counted. ``None`` where Grammalecte is not installed."""
    if _checker() is None:
        return None
    return list(_errors(text)[1])


@lru_cache(maxsize=4096)
def french_gender(noun: str) -> str:
    """The gender of a French noun by Grammalecte's lexicon, "m" or "f"; "" where it does
    not say (or is not installed). The tagger leaves a sentence's first word without one
    ("plateforme en ligne …" read as an adjective), and the endings guess wrong ("un
    plateforme"): of "un X" and "une X", the one Grammalecte finds no gender error in."""
    if _checker() is None or not noun.isalpha():
        return ""
    masculine = not _errors(f"un {noun}")[0]
    feminine = not _errors(f"une {noun}")[0]
    if masculine == feminine:
        return ""  # both or neither: an epicene noun, or no word it knows
    return "m" if masculine else "f"


CHECKED_MAX = 16_384
"""Sentences whose errors are remembered: the drafter checks every question it may ask, for
a facet and again for its challenge, about 20 ms each (42 s of a 2,000-answer run)."""


@lru_cache(maxsize=CHECKED_MAX)
def _errors(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(grammar messages, typography left out; misspelt lower-case words)."""
    checker = _checker()
    if checker is None:
        return (), ()
    with _lock:  # the checker keeps state between calls
        grammar, spelling = checker.getParagraphErrors(text)
    messages = tuple(
        str(e.get("sMessage", "")) for e in grammar if e.get("sType") not in TYPOGRAPHY
    )
    words = tuple(
        word for e in spelling if (word := str(e.get("sValue", ""))).isalpha() and word.islower()
    )
    return messages, words
