"""A draft's alternatives in the review app, in a real headless Chromium.

The theme page shows the drafter's next best titles and questions beside the draft; one
click adopts one. The test reads the page as a French facilitator would (the runs' drafts
are French), then the run folder's regenerated ``report.html`` and the app's ``themes.csv``,
then undoes the choice from the button every page carries. It does so on the fixture run,
whose alternatives are written here, with the keyboard too, and on a real run of the bundled
sample, whose drafter fills them.
"""

from __future__ import annotations

import csv
import io
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report import write_run
from pipeline.review.rundir import load_run
from pipeline.schema import Draft, DraftLevel
from tests.factories import build_run_result
from tests.test_browser_report import NEEDS_CHROMIUM, click, start_chromium
from tests.test_browser_review import check_page, focused
from tests.test_browser_review_report import report, saved, theme
from tests.test_review_alternatives import PARKED, SAFE, TITLE_SAFE, with_alternatives
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402

SAMPLE = Path(__file__).parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-alternatives"))
    try:
        yield d
    finally:
        d.quit()


def alternatives(driver: WebDriver, part: str) -> list[str]:
    """The alternatives the page offers for the draft's title or question, in order."""
    group = driver.find_elements(By.ID, f"{part}-alternatives")
    if not group:
        return []
    return [e.text for e in group[0].find_elements(By.CSS_SELECTOR, ".alternative-text")]


def adopt_button(driver: WebDriver, part: str, text: str) -> WebElement:
    """The button that adopts ``text``; its accessible description is that text."""
    for button in driver.find_elements(By.CSS_SELECTOR, f"#{part}-alternatives button"):
        described = driver.find_element(By.ID, str(button.get_attribute("aria-describedby")))
        if described.text == text:
            return button
    raise AssertionError(f"no button adopts {text!r}")


def csv_rows(server: Server) -> dict[str, dict[str, str]]:
    with urllib.request.urlopen(server.url + "/export/themes.csv", timeout=30) as reply:
        text = reply.read().decode("utf-8")
    return {row["theme_id"]: row for row in csv.DictReader(io.StringIO(text))}


def report_question(driver: WebDriver, run_dir: Path, unit_id: str) -> str:
    """The question the regenerated report shows for a unit (its draft's, not the
    pipeline's proposal beside it)."""
    draft = theme(report(driver, run_dir), unit_id).find_element(By.CSS_SELECTOR, "article.draft")
    return draft.find_element(By.CSS_SELECTOR, ".challenge").text


def undo(driver: WebDriver, server: Server, says: str) -> None:
    driver.get(server.url + "/history")
    button = driver.find_element(By.ID, "undo")
    assert button.text == f"Annuler : {says}"
    button.send_keys(Keys.ENTER)
    saved(driver)


def test_adopt_an_alternative_see_it_everywhere_and_undo(tmp_path: Path, driver: WebDriver) -> None:
    run = with_alternatives(build_run_result())
    pipeline = run.drafts[0]
    run_dir = tmp_path / "atelier" / "20250314T093205Z"
    write_run(run, run_dir)
    server = Server(run_dir)
    try:
        page = server.url + "/themes/t1"
        driver.get(page)
        check_page(driver)
        heading = driver.find_element(By.ID, "challenge-alternatives-heading").text
        assert heading == "Autres questions proposées"
        assert alternatives(driver, "challenge") == [SAFE, PARKED]
        assert alternatives(driver, "title") == [x.text for x in pipeline.title_alternatives]
        button = adopt_button(driver, "challenge", PARKED)
        assert button.text == "Adopter cette question"
        assert driver.find_element(By.ID, "alternatives-hint").text.startswith(
            "La formulation remplacée"
        )

        # One click adopts it: the draft reads it, the replaced question is offered back.
        click(driver, button)
        saved(driver)
        assert driver.find_element(By.ID, "challenge").text == PARKED
        assert alternatives(driver, "challenge") == [SAFE, pipeline.challenge.text]
        by = driver.find_element(By.ID, "draft-by").get_attribute("textContent") or ""
        assert by.startswith("Formulé pendant la relecture")
        assert driver.find_element(By.ID, "approval").text == "à relire"
        assert report_question(driver, run_dir, "t1").startswith(PARKED)
        assert csv_rows(server)["t1"]["challenge"] == PARKED

        # Undo, from the button every page carries: the pipeline's question is back.
        undo(driver, server, f"choix d’une autre question pour t1 : « {PARKED} »")
        driver.get(page)
        assert driver.find_element(By.ID, "challenge").text == pipeline.challenge.text
        assert alternatives(driver, "challenge") == [SAFE, PARKED]
        assert report_question(driver, run_dir, "t1").startswith(pipeline.challenge.text)
        assert csv_rows(server)["t1"]["challenge"] == pipeline.challenge.text

        # With the keyboard: a title adopted with Enter, the focus shown on its button.
        driver.get(page)
        button = adopt_button(driver, "title", TITLE_SAFE)
        driver.find_element(By.ID, "rename").send_keys(Keys.TAB)  # the next control: the title's
        assert focused(driver) == button.get_attribute("id")
        assert button.value_of_css_property("outline-style") == "solid"
        assert button.text == "Adopter ce titre"
        button.send_keys(Keys.ENTER)
        saved(driver)
        assert driver.find_element(By.ID, "draft-title").text == TITLE_SAFE
        assert alternatives(driver, "title")[0] == pipeline.title.text
        title = theme(report(driver, run_dir), "t1").find_element(
            By.CSS_SELECTOR, "article.draft h3"
        )
        assert title.text.startswith(TITLE_SAFE)
        assert csv_rows(server)["t1"]["title"] == TITLE_SAFE

        driver.get(server.url + "/history")
        history = driver.find_element(By.CSS_SELECTOR, "table.history").text
        assert f"choix d’une autre question pour t1 : « {PARKED} » (annulée)" in history
        assert f"choix d’un autre titre pour t1 : « {TITLE_SAFE} »" in history

        # How it reads: the page as a facilitator sees it, kept for a person to look at.
        driver.get(page)
        shot = tmp_path / "alternatives.png"
        driver.execute_script("document.getElementById('draft-heading').scrollIntoView()")
        assert driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sample_run(sample_run_copy: Path) -> Path:
    """A real run of the bundled sample workshop."""
    return sample_run_copy


def test_on_a_real_run_of_the_sample(sample_run: Path, driver: WebDriver) -> None:
    run = load_run(sample_run)
    offered = [d for d in run.drafts if d.challenge_alternatives]
    assert offered, "the drafter gave no alternative question"
    draft: Draft = next((d for d in offered if d.level is DraftLevel.CHALLENGE), offered[0])
    picked = draft.challenge_alternatives[0].text
    server = Server(sample_run)
    try:
        page = f"{server.url}/themes/{draft.theme_id}"
        driver.get(page)
        check_page(driver)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert driver.find_element(By.ID, "challenge").text == draft.challenge.text
        assert alternatives(driver, "challenge") == [s.text for s in draft.challenge_alternatives]
        assert alternatives(driver, "title") == [s.text for s in draft.title_alternatives]

        click(driver, adopt_button(driver, "challenge", picked))
        saved(driver)
        assert driver.find_element(By.ID, "challenge").text == picked
        assert draft.challenge.text in alternatives(driver, "challenge")
        assert report_question(driver, sample_run, draft.theme_id).startswith(picked)
        assert csv_rows(server)[draft.theme_id]["challenge"] == picked

        undo(driver, server, f"choix d’une autre question pour {draft.theme_id} : « {picked} »")
        driver.get(page)
        assert driver.find_element(By.ID, "challenge").text == draft.challenge.text
        assert report_question(driver, sample_run, draft.theme_id).startswith(draft.challenge.text)
        assert csv_rows(server)[draft.theme_id]["challenge"] == draft.challenge.text

        # A title: the unit is named by its draft's title, so its name follows, everywhere.
        assert draft.title_alternatives, "the drafter gave no alternative title"
        title = draft.title_alternatives[0].text
        driver.get(page)
        adopt_button(driver, "title", title).send_keys(Keys.ENTER)
        saved(driver)
        assert driver.find_element(By.ID, "draft-title").text == title
        assert driver.find_element(By.ID, "theme-title").text.endswith(f"{title} {draft.theme_id}")
        assert alternatives(driver, "title")[0] == draft.title.text
        heading = theme(report(driver, sample_run), draft.theme_id).find_element(By.TAG_NAME, "h2")
        assert title in heading.text
        row = csv_rows(server)[draft.theme_id]
        assert row["label"] == title and row["title"] == title
    finally:
        server.stop()
