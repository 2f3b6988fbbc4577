"""Rejection rules: every rule, with a reason a person can read."""

from __future__ import annotations

import pytest

from pipeline.config import PrepareConfig
from pipeline.prepare.normalize import clean
from pipeline.prepare.reject import is_placeholder, reject_reason

DEFAULT = PrepareConfig()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        (" \u200b\u00a0\n ", "empty"),
        ("ok", "too short: 2 characters"),
        ("x", "too short: 1 character"),
        ("???", "no words: only symbols, emoji or numbers"),
        ("👍👍", "no words: only symbols, emoji or numbers"),
        ("…", "no words: only symbols, emoji or numbers"),
        ("-", "no words: only symbols, emoji or numbers"),
        ("12 / 34", "no words: only symbols, emoji or numbers"),
        ("1 2 3 a", "no words: only symbols, emoji or numbers"),
        ("test", "placeholder: 'test'"),
        ("Test 2", "placeholder: 'Test 2'"),
        ("n/a", "placeholder: 'n/a'"),
        ("N.v.t.", "placeholder: 'N.v.t.'"),
        ("À compléter", "placeholder: 'À compléter'"),
        ("xxxx", "placeholder: 'xxxx'"),
        ("Oké", "placeholder: 'Oké'"),
        ("idem", "placeholder: 'idem'"),
        ("RAS", "placeholder: 'RAS'"),
        ("rien", "placeholder: 'rien'"),
        ("niets", "placeholder: 'niets'"),
        ("Nichts", "placeholder: 'Nichts'"),
        ("nothing", "placeholder: 'nothing'"),
        ("TBD", "placeholder: 'TBD'"),
        ("todo", "placeholder: 'todo'"),
        ("Lorem ipsum dolor sit amet", "placeholder: 'Lorem ipsum dolor sit amet'"),
        ("https://www.example.org/forum/thread?id=1234", "only a web address, no words of its own"),
        ("www.decidim.org  -  http://x.org/a", "only a web address, no words of its own"),
    ],
)
def test_rejection_reasons(raw: str, reason: str) -> None:
    assert reject_reason(clean(raw), DEFAULT) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Bus",
        "Plus de bancs",
        "Testen van nieuwe methoden met burgers",
        "Okay for weekend meetings",
        "Rien sans les habitants",
        "+ de bancs",
        "Use Decidim like https://decidim.org for every consultation",
        "Voir https://example.org/plan",
    ],
)
def test_real_ideas_are_kept(text: str) -> None:
    assert reject_reason(clean(text), DEFAULT) is None


def test_thresholds_come_from_the_config() -> None:
    strict = PrepareConfig(min_chars=10, min_letters=5)
    assert reject_reason("Plus bus", strict) == "too short: 8 characters"
    assert reject_reason("AI 2030 - 2040", strict) == "no words: only symbols, emoji or numbers"
    assert reject_reason("Plus de bus", strict) is None


def test_long_placeholder_quotes_are_shortened() -> None:
    text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod"
    reason = reject_reason(text, DEFAULT)
    assert reason is not None and reason.startswith("placeholder: 'Lorem ipsum")
    assert reason.endswith("…'") and len(reason) < 60


def test_placeholders_are_whole_notes_only() -> None:
    assert is_placeholder("test")
    assert not is_placeholder("test the new app with residents")
