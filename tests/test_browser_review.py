"""The review app in a real headless Chromium, driven as a new user would, keyboard included.

A real uvicorn server on a free loopback port serves a run folder; the test renames, merges
and splits themes, approves a draft, downloads the DOCX handout, then stops the server, starts
a new one on the same folder and finds everything still there. The hostile note stays inert
text in the app and in report.html.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from pipeline.report import write_run
from tests.factories import HOSTILE_TEXT, build_run_result, ids
from tests.test_browser_report import (
    NEEDS_CHROMIUM,
    assert_no_alert,
    click,
    console_errors,
    start_chromium,
)
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("atelier") / "20250314T093205Z"
    write_run(build_run_result(), folder)
    return folder


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-review-profile"))
    try:
        yield d
    finally:
        d.quit()


def unlabelled_controls(driver: WebDriver) -> list[str]:
    """Form controls a screen reader could not name: no <label>, no aria-label."""
    return list(
        driver.execute_script(
            "return [...document.querySelectorAll('input, select, textarea')]"
            ".filter(e => e.type !== 'hidden' && e.labels.length === 0"
            " && !e.getAttribute('aria-label')).map(e => e.name + '#' + e.id);"
        )
    )


def check_page(driver: WebDriver) -> None:
    assert_no_alert(driver)
    assert unlabelled_controls(driver) == []
    assert driver.execute_script("return document.scripts.length") == 0
    assert driver.execute_script("return document.images.length") == 0
    assert console_errors(driver) == []


def focused(driver: WebDriver) -> str:
    return str(driver.execute_script("return document.activeElement.id || ''"))


def wait_for_path(driver: WebDriver, path: str) -> None:
    WebDriverWait(driver, 10).until(lambda d: d.current_url.split("?")[0].endswith(path))


def test_review_as_a_new_user_then_restart(
    run_dir: Path, driver: WebDriver, tmp_path: Path
) -> None:
    k = ids()
    run = build_run_result()
    server = Server(run_dir, ui_lang="en")  # the words this test reads are English
    base = server.url
    driver.get(base + "/")
    check_page(driver)
    assert "ideasynth review" in driver.title

    # Keyboard: the first Tab reaches the skip link, Enter moves into the content.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert driver.execute_script("return document.activeElement.className") == "skip"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: focused(d) == "main")

    # Who am I: an empty field asking for a name (not "analyst"), typed, submitted with Enter.
    who = driver.find_element(By.ID, "who")
    assert who.get_attribute("value") == "" and who.get_attribute("placeholder") == "your name"
    who.clear()
    who.send_keys("Ana", Keys.ENTER)
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.ID, "who").get_attribute("value") == "Ana"
    )

    # Rename t1 with the keyboard only.
    driver.get(base + "/themes/t1")
    check_page(driver)
    # Who drafted it, as a facilitator reads it; its proposals numbered, each with its notes.
    by = driver.find_element(By.ID, "draft-by").get_attribute("textContent") or ""
    assert by.startswith("Proposed by ideasynth") and "(compose)" not in by
    drafted = next(d for d in run.drafts if d.theme_id == "t1")
    shown = driver.find_elements(By.CSS_SELECTOR, "#proposals-heading + ol.proposals > li")
    assert len(shown) == len(drafted.proposal) > 0
    for line, proposal in zip(shown, drafted.proposal, strict=True):
        n = len(proposal.cites)
        assert f"({n} note{'s' if n > 1 else ''})" in line.text
    box = driver.find_element(By.ID, "rename-label")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("Safe cycling", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
    assert driver.find_element(By.ID, "theme-title").text.startswith("Safe cycling")
    assert driver.find_element(By.ID, "done").get_attribute("role") == "status"

    # Merge t2 into t1: checkboxes ticked with Space, the target chosen, Merge pressed.
    driver.get(base + "/")
    for tid in ("t1", "t2"):
        driver.find_element(By.ID, f"merge-{tid}").send_keys(Keys.SPACE)
    Select(driver.find_element(By.ID, "into")).select_by_value("t1")
    driver.find_element(By.ID, "merge").send_keys(Keys.ENTER)
    wait_for_path(driver, "/themes/t1")
    assert k["garden_de"] in driver.find_element(By.ID, "notes-form").get_attribute("innerHTML")

    # Split two notes out of t3 into a new theme.
    driver.get(base + "/themes/t3")
    hostile = driver.find_element(By.CSS_SELECTOR, f"#note-{k['hostile']} .note-text")
    assert hostile.text == HOSTILE_TEXT  # shown as text, never as markup
    check_page(driver)
    for key in ("info_fr", "minutes_en"):
        click(driver, driver.find_element(By.ID, f"pick-{k[key]}"))
    driver.find_element(By.ID, "split-label").send_keys("Information")
    click(driver, driver.find_element(By.ID, "split"))
    wait_for_path(driver, "/themes/T01")
    assert driver.find_element(By.ID, "theme-title").text.startswith("Information")

    # Approve t3's draft: the split changed its notes, so it reads as drafted again.
    driver.get(base + "/themes/t3")
    approved = driver.find_element(By.ID, "challenge").text
    assert approved != run.drafts[2].challenge.text
    click(driver, driver.find_element(By.ID, "approve"))
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
    assert driver.find_element(By.ID, "approval").text == "approved"
    assert_no_alert(driver)

    # Export the DOCX handout through the link, as a download.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.get(base + "/")
    click(driver, driver.find_element(By.ID, "export-docx"))
    handout = downloads / "handout.docx"
    WebDriverWait(driver, 15).until(lambda d: handout.is_file() and handout.stat().st_size > 0)
    time.sleep(0.3)  # Chromium renames the finished download into place; let it settle
    text = "\n".join(p.text for p in docx.Document(str(handout)).paragraphs)
    assert approved in text and HOSTILE_TEXT in text

    # report.html shows the approval, and the hostile note is inert there too.
    driver.get(base + "/files/report.html")
    assert_no_alert(driver)
    assert "approuvée" in driver.find_element(By.ID, "theme-t3").text.lower()  # a French run
    report_note = driver.find_element(By.CSS_SELECTOR, f"#note-{k['hostile']} .note-text")
    assert report_note.text == HOSTILE_TEXT
    assert driver.execute_script("return document.images.length") == 0
    server.stop()

    # Stop and start again: a new server process state, the same folder; everything is there.
    again = Server(run_dir, ui_lang="en")
    try:
        driver.get(again.url + "/")
        check_page(driver)
        rows = driver.find_element(By.CSS_SELECTOR, "table.themes tbody").text
        assert "Safe cycling" in rows and "Information" in rows
        assert driver.find_elements(By.ID, "row-t2") == []  # merged away
        assert "approved" in driver.find_element(By.ID, "row-t3").text
        driver.get(again.url + "/history")
        history = driver.find_element(By.CSS_SELECTOR, "table.history").text
        for line in ("renamed t1", "merged t2 into t1", "split 2 notes from t3", "approved"):
            assert line in history
        assert "Ana" in history
    finally:
        again.stop()
