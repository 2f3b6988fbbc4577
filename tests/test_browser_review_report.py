"""Each review decision shows in the regenerated report.html, read in a real Chromium.

A French facilitator reviews the run in the app (French pages: its drafts are French) with
the keyboard where a form allows it: rename, merge, split, move, edit a draft, approve, undo.
After each decision the test opens the run folder's ``report.html`` in the same browser and
reads, from its DOM, that the report shows what was decided. A last test asks for German
pages with ``ui_lang``.

One run folder, one app server and one browser serve the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report import write_run
from tests.factories import build_run_result, ids
from tests.test_browser_report import (
    NEEDS_CHROMIUM,
    assert_no_alert,
    click,
    console_errors,
    start_chromium,
)
from tests.test_browser_review import check_page, wait_for_path
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHALLENGE = "Comment pourrions-nous rendre chaque quartier plus lisible pour ses habitants ?"
PROPOSAL = "Un panneau d'affichage par quartier, tenu à jour chaque semaine."


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("atelier") / "20250314T093205Z"
    write_run(build_run_result(), folder)
    return folder


@pytest.fixture(scope="module")
def server(run_dir: Path) -> Iterator[Server]:
    s = Server(run_dir)  # the run's own language: French
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-review-report"))
    try:
        yield d
    finally:
        d.quit()


def saved(driver: WebDriver) -> None:
    """The app took the decision: it redirected with ``done=`` and says so."""
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
    assert driver.find_element(By.ID, "done").text.startswith("Enregistré")
    check_page(driver)


def report(driver: WebDriver, run_dir: Path) -> WebDriver:
    """The run folder's report.html, opened as a file, as the facilitator would."""
    driver.get((run_dir / "report.html").as_uri())
    assert_no_alert(driver)
    assert console_errors(driver) == []
    return driver


def theme(driver: WebDriver, theme_id: str) -> WebElement:
    return driver.find_element(By.ID, f"theme-{theme_id}")


def note_ids_in(section: WebElement) -> set[str]:
    return {
        str(li.get_attribute("id")).removeprefix("note-")
        for li in section.find_elements(By.CSS_SELECTOR, "ul.notes > li.note")
    }


def type_into(field: WebElement, text: str) -> None:
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def test_each_decision_shows_in_the_regenerated_report(
    run_dir: Path, server: Server, driver: WebDriver
) -> None:
    k = ids()
    base = server.url
    before = report(driver, run_dir)
    t1_notes = note_ids_in(theme(before, "t1"))
    t2_notes = note_ids_in(theme(before, "t2"))
    assert len(t1_notes) == 7 and len(t2_notes) == 6

    # Rename t1, typed and sent with Enter.
    driver.get(base + "/themes/t1")
    type_into(driver.find_element(By.ID, "rename-label"), "Le vélo au quotidien")
    driver.find_element(By.ID, "rename-label").send_keys(Keys.ENTER)
    saved(driver)
    heading = theme(report(driver, run_dir), "t1").find_element(By.TAG_NAME, "h2")
    assert heading.text.endswith("Le vélo au quotidien")
    assert "Le vélo au quotidien" in driver.find_element(By.CSS_SELECTOR, "nav.toc").text

    # Merge t2 into t1: boxes ticked with Space, the target chosen, Enter on the button.
    driver.get(base + "/")
    for tid in ("t1", "t2"):
        driver.find_element(By.ID, f"merge-{tid}").send_keys(Keys.SPACE)
    Select(driver.find_element(By.ID, "into")).select_by_value("t1")
    driver.find_element(By.ID, "merge").send_keys(Keys.ENTER)
    wait_for_path(driver, "/themes/t1")
    saved(driver)
    # Drafted again for its 13 notes, titled by its new name, in the app as in the report.
    assert driver.find_element(By.CSS_SELECTOR, ".draft-title").text == "Le vélo au quotidien"
    report(driver, run_dir)
    assert driver.find_elements(By.ID, "theme-t2") == []  # merged away
    title = theme(driver, "t1").find_element(By.CSS_SELECTOR, "article.draft h3").text
    assert title.startswith("Le vélo au quotidien")
    merged = theme(driver, "t1")
    assert note_ids_in(merged) == t1_notes | t2_notes
    assert merged.find_element(By.CSS_SELECTOR, ".theme-meta strong").text == "13"
    assert "13 notes" in driver.find_element(By.CSS_SELECTOR, "nav.toc").text

    # Split two notes out of t3 into a new theme.
    driver.get(base + "/themes/t3")
    for key in ("info_fr", "minutes_en"):
        click(driver, driver.find_element(By.ID, f"pick-{k[key]}"))
    driver.find_element(By.ID, "split-label").send_keys("Informer les habitants")
    click(driver, driver.find_element(By.ID, "split"))
    wait_for_path(driver, "/themes/T01")
    saved(driver)
    report(driver, run_dir)
    split = theme(driver, "T01")
    assert split.find_element(By.TAG_NAME, "h2").text.endswith("Informer les habitants")
    assert note_ids_in(split) == {k["info_fr"], k["minutes_en"]}
    assert not note_ids_in(theme(driver, "t3")) & {k["info_fr"], k["minutes_en"]}

    # Move one note from t1 to t3.
    driver.get(base + "/themes/t1")
    click(driver, driver.find_element(By.ID, f"pick-{k['streets_nl']}"))
    Select(driver.find_element(By.ID, "move-target")).select_by_value("t3")
    click(driver, driver.find_element(By.ID, "move"))
    saved(driver)
    report(driver, run_dir)
    assert k["streets_nl"] in note_ids_in(theme(driver, "t3"))
    assert k["streets_nl"] not in note_ids_in(theme(driver, "t1"))

    # Edit t3's draft: the editor opened with the keyboard, the analyst's words saved.
    driver.get(base + "/themes/t3")
    summary = driver.find_element(By.CSS_SELECTOR, "#edit-form").find_element(
        By.XPATH, "preceding-sibling::summary"
    )
    summary.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "edit-challenge").is_displayed())
    type_into(driver.find_element(By.ID, "edit-challenge"), CHALLENGE)
    type_into(driver.find_element(By.ID, "edit-proposal"), PROPOSAL)
    click(driver, driver.find_element(By.ID, "save-draft"))
    saved(driver)
    assert driver.find_element(By.ID, "challenge").text == CHALLENGE
    by = driver.find_element(By.ID, "draft-by").get_attribute("textContent") or ""
    assert by.startswith("Formulé pendant la relecture")
    report(driver, run_dir)
    draft = theme(driver, "t3").find_element(By.CSS_SELECTOR, "article.draft")
    assert draft.find_element(By.CSS_SELECTOR, ".challenge").text.startswith(CHALLENGE)
    assert PROPOSAL in draft.find_element(By.CSS_SELECTOR, ".proposal").text
    # the analyst's words, marked as theirs (in French: the factory run is French)
    assert "rédigé pendant la relecture" in draft.text.lower()
    assert theme(driver, "t3").find_elements(By.CSS_SELECTOR, ".approval-approved") == []

    # Approve it.
    driver.get(base + "/themes/t3")
    click(driver, driver.find_element(By.ID, "approve"))
    saved(driver)
    assert driver.find_element(By.ID, "approval").text == "approuvé"
    report(driver, run_dir)
    marker = theme(driver, "t3").find_element(By.CSS_SELECTOR, ".approval-approved")
    assert "approuvée" in marker.text.lower()
    assert CHALLENGE in theme(driver, "t3").find_element(By.CSS_SELECTOR, ".challenge").text

    # Undo, from the button every page carries: the approval goes, the edit stays.
    driver.get(base + "/history")
    undo = driver.find_element(By.ID, "undo")
    assert undo.text == "Annuler : approbation du défi de t3"
    undo.send_keys(Keys.ENTER)
    saved(driver)
    report(driver, run_dir)
    t3 = theme(driver, "t3")
    assert t3.find_elements(By.CSS_SELECTOR, ".approval-approved") == []
    assert CHALLENGE in t3.find_element(By.CSS_SELECTOR, ".challenge").text
    assert driver.find_elements(By.ID, "theme-t2") == []  # earlier decisions still stand

    # The history tells it all in French, the undone approval struck through.
    driver.get(base + "/history")
    history = driver.find_element(By.CSS_SELECTOR, "table.history").text
    for line in (
        "renommage de t1 en « Le vélo au quotidien »",
        "fusion de t2 dans t1",
        "2 notes de t3 détachées dans T01 « Informer les habitants »",
        "déplacement de 1 note vers t3",
        "modification du défi de t3",
        "approbation du défi de t3 (annulée)",
        "annulation de la dernière action",
    ):
        assert line in history


def test_the_pages_are_french_for_a_french_workshop_and_german_when_asked(
    run_dir: Path, server: Server, driver: WebDriver
) -> None:
    driver.get(server.url + "/")
    check_page(driver)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert driver.title.endswith("relecture ideasynth")
    nav = driver.find_element(By.CSS_SELECTOR, "nav[aria-label=Pages]").text
    assert nav.split("\n") == [
        "Thèmes",
        "Notes non classées (3)",
        "Mises de côté (0)",
        "Rejetées (4)",  # what preparation set aside: 2 notes and 2 input rows
        "Historique",
        "Rapport",
        "Plan d'action",  # the Day 2 page, in the workshop's language too
    ]
    # Keyboard: the first Tab reaches the skip link, in French; Enter moves into the content.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    assert skip.get_attribute("class") == "skip" and skip.text == "Aller au contenu"
    skip.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(
        lambda d: d.execute_script("return document.activeElement.id") == "main"
    )
    # The keyboard's place is always shown: Tab from the name field to its button.
    driver.get(server.url + "/themes/t1")
    driver.find_element(By.ID, "rename-label").send_keys(Keys.TAB)
    button = driver.switch_to.active_element
    assert button.get_attribute("id") == "rename" and button.text == "Renommer"
    assert button.value_of_css_property("outline-style") == "solid"

    german = Server(run_dir, ui_lang="de")
    try:
        driver.get(german.url + "/themes/t1")
        check_page(driver)
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
        assert driver.find_element(By.CSS_SELECTOR, "label[for=rename-label]").text == (
            "Neuer Name"
        )
        assert driver.find_element(By.ID, "rename").text == "Umbenennen"
        assert driver.find_element(By.ID, "split").text == "In ein neues Thema abspalten"
        driver.get(german.url + "/history")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Verlauf"
    finally:
        german.stop()
