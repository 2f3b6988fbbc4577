"""A challenge that holds one theme is listed once on the app's home page, in Chromium.

The home page has a table of challenges and one of themes; a challenge holding a single
theme (its notes, its draft and its state are that theme's) used to be listed in both, and
read as two units. It is now one row of the challenges' table, "B2 = t3", as the console's
table says it, whose box ticks the theme for a merge like the themes' own boxes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report import write_run
from pipeline.review.rundir import DECISIONS_DB
from pipeline.review.store import DecisionLog
from pipeline.schema import ActionKind, RunResult
from tests.test_browser_report import NEEDS_CHROMIUM, click, start_chromium
from tests.test_browser_review import check_page
from tests.test_review_challenges import _challenge, challenge_run
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-one-theme"))
    try:
        yield d
    finally:
        d.quit()


@contextlib.contextmanager
def _served_home(driver: WebDriver, run: RunResult, tmp_path: Path) -> Iterator[Path]:
    """``run`` written and served, its home page open in ``driver``; yields its folder."""
    run_dir = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, run_dir)
    server = Server(run_dir, ui_lang="en")
    try:
        driver.get(server.url + "/")
        check_page(driver)
        yield run_dir
    finally:
        server.stop()


def test_a_one_theme_challenge_is_listed_once_and_its_theme_still_merges(
    driver: WebDriver, tmp_path: Path
) -> None:
    run = challenge_run()  # B1 holds t1 and t2; B2 holds t3 alone
    with _served_home(driver, run, tmp_path) as run_dir:
        challenges = driver.find_element(By.ID, "challenges")
        row = challenges.find_element(By.ID, "row-B2")
        assert "B2 = t3" in row.text
        assert "Informer les habitants" in row.text
        assert "habitants · information · <meetings>" in row.text  # the theme's own name
        # Once: the themes' table lists t1 and t2, not t3.
        themes = driver.find_element(By.CSS_SELECTOR, "table.themes:not(.challenges) tbody")
        listed = [r.get_attribute("id") for r in themes.find_elements(By.TAG_NAME, "tr")]
        assert listed == ["row-t1", "row-t2"]
        caption = driver.find_element(By.ID, "themes-caption").text
        assert "1 theme that is its challenge’s only one is listed with it above." in caption
        # Its anchor is the challenge's row, which also shows the theme's flags to check.
        assert row.find_element(By.ID, "row-t3").tag_name == "th"
        flags = [f.text for f in row.find_elements(By.CSS_SELECTOR, "ul.flags li")]
        assert any("fallback drafter" in f or "fallback" in f.casefold() for f in flags), flags
        # A challenge of two themes is listed as before, its themes in the themes' table.
        assert (
            "=" not in challenges.find_element(By.ID, "row-B1").find_element(By.TAG_NAME, "th").text
        )
        # Its theme's page is one click away.
        link = row.find_element(By.CSS_SELECTOR, 'a[href="/themes/t3"]')
        assert link.text == "t3"

        # Ticked in the challenges' table, t3 merges into t1 like any theme.
        click(driver, row.find_element(By.ID, "merge-t3"))
        click(driver, driver.find_element(By.ID, "merge-t1"))
        Select(driver.find_element(By.ID, "into")).select_by_value("t1")
        click(driver, driver.find_element(By.ID, "merge"))
        WebDriverWait(driver, 30).until(lambda d: "done=" in d.current_url)
        check_page(driver)
        (decision,) = DecisionLog(run_dir / DECISIONS_DB).read()
        assert decision.action.kind is ActionKind.MERGE
        assert decision.action.theme_ids == ["t1", "t3"]


def test_where_every_theme_is_its_challenges_only_one_no_empty_table_shows(
    driver: WebDriver, tmp_path: Path
) -> None:
    """The Polis workshop file's six challenges each hold one theme: the themes' table had
    its headers and no row, which read as broken. It says where the themes are instead, and
    they still merge from the challenges' table."""
    run = challenge_run()
    run.broad_themes, run.drafts = [], [d for d in run.drafts if d.theme_id.startswith("t")]
    run.themes = [t.model_copy(update={"parent_id": f"B{i}"}) for i, t in enumerate(run.themes, 1)]
    for i, theme in enumerate(run.themes, 1):
        _challenge(run, f"B{i}", [theme], f"Défi {i}", f"Comment pourrions-nous agir, cas {i} ?")
    with _served_home(driver, run, tmp_path):
        assert not driver.find_elements(By.CSS_SELECTOR, "table.themes:not(.challenges)")
        hint = driver.find_element(By.ID, "themes-caption")
        assert "Each theme is its challenge’s only one" in hint.text
        rows = driver.find_element(By.ID, "challenges").find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == len(run.themes) == 3
        assert driver.find_element(By.ID, "merge-t1").get_attribute("form") == "merge-form"
        assert driver.find_element(By.ID, "merge")  # the merge bar is there
