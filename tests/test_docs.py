"""The README stays short and for users; the rest lives in docs/, and every link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SET_UP = "bash scripts/bootstrap.sh"
TESTS = ".venv/bin/python -m pytest"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PROJECT_DOCS = [README, ROOT / "CHANGELOG.md", ROOT / "models" / "README.md", *DOCS]
LINK = re.compile(r"\]\(([^)#\s]+)(#[^)\s]*)?\)")


def test_readme_is_short_with_the_two_commands_first() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 350
    head = "\n".join(lines[:60])
    assert SET_UP in head
    assert TESTS in head


def test_ci_runs_the_readme_commands() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert SET_UP in ci
    assert TESTS in ci


@pytest.mark.parametrize("page", PROJECT_DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_speak_of_the_project_not_of_issues(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"\bissues? #?\d+", text, re.IGNORECASE), page


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = [
        target
        for target, _ in LINK.findall(text)
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert broken == []


def test_every_docs_page_is_listed_in_the_index() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = {p.name for p in (ROOT / "docs").glob("*.md")} - {"index.md"}
    assert {p for p in pages if f"({p})" not in index} == set()
