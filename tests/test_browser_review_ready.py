"""The review app in a real Chromium at 1280px, in German: the theme list fits its page (no
column cut off), and a draft whose question is still the drafter's stand-in cannot be
approved: the page says why, the edit box starts empty with the stand-in as its hint, and a
forced post is refused with the reason in the run's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report import write_run
from tests.test_browser_report import NEEDS_CHROMIUM, click, start_chromium
from tests.test_handout_ready import PLACEHOLDER_DE, german_run
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Flags as the German drafter writes them: long, in long words.
FLAGS = [
    "prüfen Sie die Energiespeichermöglichkeiten-Wasserstoffinfrastrukturförderung",
    "keine Notiz lässt sich als Frage formulieren (es sind Feststellungen oder Fragen): "
    "Schreiben Sie die Herausforderung bei der Sichtung",
    "nur 0 umsetzbare Ideen unter den Notizen: Die anderen sind Feststellungen oder Fragen",
    "die Herausforderung: von den zitierten Notizen schwach gestützt (beste Ähnlichkeit "
    "0.096 < 0.30); prüfen Sie, ob es sagt, was die Notizen sagen",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = german_run()
    run.drafts = [d.model_copy(update={"flags": [*d.flags, *FLAGS]}) for d in run.drafts]
    run.drafts[1] = run.drafts[1].model_copy(
        update={
            "challenge": run.drafts[1].challenge.model_copy(
                update={"text": "Wie könnten wir Salzwasserstromspeicherkraftwerksanlagen bauen?"}
            )
        }
    )
    run.themes = [
        t.model_copy(
            update={
                "label": f"Speicherinfrastrukturerrichtungsgesetzgebung {t.label}",
                "keyphrases": [
                    "Energiespeichermöglichkeiten",
                    "Wasserstoffinfrastruktur",
                    "Salzwasserstromspeicher",
                    *t.keyphrases,
                ],
            }
        )
        for t in run.themes
    ]
    folder = tmp_path_factory.mktemp("klimarat") / "20261206T093146Z"
    write_run(run, folder)
    return folder


@pytest.fixture(scope="module")
def server(run_dir: Path) -> Iterator[Server]:
    running = Server(run_dir)  # the run's language: German
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-ready-profile"))
    try:
        yield d
    finally:
        d.quit()


def test_the_theme_list_fits_a_1280px_window(
    server: Server, driver: WebDriver, tmp_path: Path
) -> None:
    driver.set_window_size(1280, 900)
    driver.get(server.url + "/")
    assert driver.execute_script("return window.innerWidth") == 1280
    tables = driver.execute_script(
        "return [...document.querySelectorAll('table.themes')].map(t => ({"
        " id: t.id, table: t.scrollWidth, wrap: t.parentElement.scrollWidth,"
        " room: t.parentElement.clientWidth}))"
    )
    assert tables  # the themes (a run without challenges has no challenge table)
    for table in tables:
        assert table["wrap"] <= table["room"], table  # nothing to scroll sideways to
        assert table["table"] <= table["room"], table
    headers = driver.find_elements(By.CSS_SELECTOR, "table.themes:not(.challenges) thead th")
    last = headers[-1]
    assert last.text.casefold() == "zu prüfen"
    right = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(), w = arguments[0].closest('.table-wrap')"
        ".getBoundingClientRect(); return [r.right, w.right]",
        last,
    )
    assert right[0] <= right[1] + 0.5, right  # the last column is inside the page
    # The tick column is as wide as its box; its header is read aloud, not shown.
    tick = headers[0].size["width"]
    assert tick < 60, tick
    assert headers[0].get_attribute("textContent") == "Zusammenführen"
    driver.set_window_size(1280, 3000)
    driver.save_screenshot(str(tmp_path / "themes-1280.png"))
    assert (tmp_path / "themes-1280.png").stat().st_size > 10_000


def test_a_stand_in_question_is_not_approved_and_the_page_says_why(
    server: Server, driver: WebDriver
) -> None:
    driver.set_window_size(1280, 900)
    driver.get(server.url + "/themes/t1")
    approve = driver.find_element(By.ID, "approve")
    assert approve.get_attribute("disabled") is not None
    hint = driver.find_element(By.ID, "approve-hint").text
    assert hint.startswith("Die Frage ist noch zu formulieren")
    assert approve.get_attribute("aria-describedby") == "approve-hint"
    box = driver.find_element(By.ID, "edit-challenge")
    assert box.get_attribute("value") == ""
    assert box.get_attribute("placeholder") == PLACEHOLDER_DE
    # Another theme's draft is approved as before.
    driver.get(server.url + "/themes/t2")
    assert driver.find_element(By.ID, "approve").get_attribute("disabled") is None
    assert driver.find_elements(By.ID, "approve-hint") == []
    assert driver.find_element(By.ID, "edit-challenge").get_attribute("value")

    # The button forced back on (as an old page would post): refused, in German.
    driver.get(server.url + "/themes/t1")
    driver.execute_script("document.getElementById('approve').disabled = false")
    click(driver, driver.find_element(By.ID, "approve"))
    WebDriverWait(driver, 10).until(lambda d: "Frage von t1" in d.page_source)
    body = driver.find_element(By.TAG_NAME, "main").text
    assert "Die Frage von t1 ist noch zu formulieren" in body
    assert "„Entwurf bearbeiten“" in body
    driver.get(server.url + "/themes/t1")
    assert driver.find_element(By.ID, "approval").get_attribute("data-state") == "pending"
