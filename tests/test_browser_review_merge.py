"""Merging, splitting and editing as a French facilitator did on a real workshop, in a real
Chromium against the real app on a real uvicorn server.

The audit found: ticking one theme and pressing « Fusionner » merged it into the list's first
theme; the merged theme took the other theme's name and both keyphrase lists end to end,
while the page gave no sign of the twenty seconds it took; an approved challenge stayed
approved, unremarked, with forty more notes; a split without a name was called « Split from
… » and the history quoted an empty name; the edit box held the proposals as the draft shows
them, shortened (« … »), so saving only the question stored the cut sentences; and the
reviewer's name was gone once the browser closed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.report import write_run
from pipeline.review.app import REVIEWER_COOKIE
from pipeline.schema import RunResult, Sentence
from tests.factories import build_run_result, ids
from tests.test_browser_report import (
    NEEDS_CHROMIUM,
    click,
    console_errors,
    start_chromium,
)
from tests.test_browser_review import check_page, wait_for_path
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CUT = "Des pistes cyclables séparées …"
WHOLE = "Des pistes cyclables séparées de la circulation sur les grands axes"
EDIT_SUMMARY = "//details[.//form[@id='edit-form']]/summary"
PROPOSALS = "article.draft li.proposal"


def titled_run() -> RunResult:
    """The fixture run as the pipeline names themes, by their draft's title; t1's first
    proposal shortened for display, as the drafter shortens long ones."""
    run = build_run_result()
    k = ids()
    titles = {d.theme_id: d.title.text for d in run.drafts}
    themes = [t.model_copy(update={"label": titles[t.id]}) for t in run.themes]
    drafts = []
    for d in run.drafts:
        if d.theme_id == "t1":
            cut = Sentence(text=CUT, cites=[k["bike_fr"], k["bike_en"], k["bike_fr_dup"]])
            d = d.model_copy(update={"proposal": [cut, *d.proposal[1:]]})
        drafts.append(d)
    return run.model_copy(update={"themes": themes, "drafts": drafts})


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier" / "20261206T115124Z"
    write_run(titled_run(), folder)
    return folder


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-review-merge"))
    d.set_page_load_timeout(90)  # a merge re-drafts; the first loads the language models
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture
def server(run_dir: Path) -> Iterator[Server]:
    running = Server(run_dir, ui_lang="fr")
    try:
        yield running
    finally:
        running.stop()


class SlowPosts:
    """The real app, answering each POST ``delay`` seconds late: a re-draft that takes a
    while, as on a real workshop."""

    def __init__(self, app: Any, delay: float) -> None:
        self.app, self.delay = app, delay

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            await asyncio.sleep(self.delay)
        await self.app(scope, receive, send)


def busy_state(driver: WebDriver) -> list[str] | None:
    """The page's cursor, and the merge button's mark and cursor; ``None`` once another
    page replaced the list."""
    return driver.execute_script(  # type: ignore[no-any-return]
        "const b = document.getElementById('merge');"
        "return b && [getComputedStyle(document.body).cursor,"
        " getComputedStyle(b, '::after').content, getComputedStyle(b).cursor];"
    )


def version(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "version").text


def tick(driver: WebDriver, *theme_ids: str) -> None:
    for tid in theme_ids:
        box = driver.find_element(By.ID, f"merge-{tid}")
        if not box.is_selected():
            click(driver, box)


def test_a_merge_needs_two_ticked_themes_and_a_chosen_target(
    server: Server, driver: WebDriver
) -> None:
    base = server.url
    driver.get(base + "/themes/t1")
    click(driver, driver.find_element(By.ID, "approve"))
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)

    driver.get(base + "/")
    check_page(driver)
    into = Select(driver.find_element(By.ID, "into"))
    assert into.first_selected_option.get_attribute("value") == ""  # no theme by default
    before = list(server.recorder.posts)

    # One theme ticked, no target chosen: the browser asks for the target, nothing is sent.
    tick(driver, "t2")
    click(driver, driver.find_element(By.ID, "merge"))
    time.sleep(0.5)
    assert driver.current_url.rstrip("/") == base
    assert server.recorder.posts == before
    assert version(driver) == "1"

    # One theme ticked and another chosen as the target: the server refuses, in French.
    Select(driver.find_element(By.ID, "into")).select_by_value("t1")
    click(driver, driver.find_element(By.ID, "merge"))
    WebDriverWait(driver, 10).until(lambda d: "/act" in d.current_url)
    assert "Cochez au moins deux thèmes à fusionner" in driver.find_element(By.ID, "main").text

    # Two ticked, into a third that is not: refused too.
    driver.get(base + "/")
    tick(driver, "t2", "t3")
    Select(driver.find_element(By.ID, "into")).select_by_value("t1")
    click(driver, driver.find_element(By.ID, "merge"))
    WebDriverWait(driver, 10).until(lambda d: "/act" in d.current_url)
    assert "Fusionnez les thèmes cochés dans l’un d’eux : t1 n’est pas coché" in (
        driver.find_element(By.ID, "main").text
    )
    driver.get(base + "/")
    assert version(driver) == "1"  # nothing merged
    assert all("422" in e["message"] for e in console_errors(driver))  # the two refusals

    # Two ticked, the target one of them: merged, while the page says it is at work (the
    # button keeps the focus the click gave it until the answer's page comes).
    server.recorder.app = SlowPosts(server.recorder.app, 2.0)
    tick(driver, "t1", "t2")
    Select(driver.find_element(By.ID, "into")).select_by_value("t1")
    button = driver.find_element(By.ID, "merge")
    assert busy_state(driver) == ["auto", "none", "pointer"]
    pointer = ActionChains(driver)
    pointer.click_and_hold(button).perform()
    assert busy_state(driver) == ["progress", '" …"', "progress"]
    pointer.release().perform()
    sent = busy_state(driver)  # the POST is on its way, answered two seconds late
    assert sent in (None, ["progress", '" …"', "progress"])
    wait_for_path(driver, "/themes/t1")
    check_page(driver)

    # The target keeps its name; the keyphrases are one list, not two pasted together.
    title = driver.find_element(By.ID, "theme-title").text
    assert title.startswith("Des axes cyclables sûrs et séparés"), title
    chips = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "ul.chips li")]
    assert len(chips) == 5 and len({c.casefold() for c in chips}) == 5, chips
    assert "pistes cyclables" in chips and "arbres" in chips

    # Still approved, but the page says notes came in since.
    assert driver.find_element(By.ID, "approval").get_attribute("data-state") == "approved"
    flags = driver.find_element(By.CSS_SELECTOR, ".draft .flags").text
    assert "approuvé avant qu’une fusion n’y ajoute des notes (6) : à relire" in flags
    driver.get(base + "/")
    assert "approuvé avant qu’une fusion" in driver.find_element(By.ID, "row-t1").text

    # Approving it again is the re-check: the flag goes.
    driver.get(base + "/themes/t1")
    click(driver, driver.find_element(By.ID, "approve"))
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
    assert "approuvé avant qu’une fusion" not in driver.find_element(By.TAG_NAME, "main").text


def test_the_name_stays_and_a_split_is_named_in_the_workshops_language(
    server: Server, driver: WebDriver
) -> None:
    base = server.url
    driver.get(base + "/")
    who = driver.find_element(By.ID, "who")
    who.clear()
    who.send_keys("Claire")
    click(driver, driver.find_element(By.CSS_SELECTOR, "form.reviewer button"))
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.ID, "who").get_attribute("value") == "Claire"
    )
    cookie = driver.get_cookie(REVIEWER_COOKIE)
    assert cookie is not None and cookie["value"] == "Claire"
    # Kept when the browser closes: an expiry a year ahead, not a session cookie.
    assert cookie.get("expiry", 0) > time.time() + 360 * 24 * 3600
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"

    # Split two notes of t1 without a name.
    driver.get(base + "/themes/t1")
    boxes = driver.find_elements(By.CSS_SELECTOR, "#notes-form input[type=checkbox]")
    for box in boxes[:2]:
        click(driver, box)
    click(driver, driver.find_element(By.ID, "split"))
    WebDriverWait(driver, 20).until(lambda d: "/themes/T" in d.current_url)
    check_page(driver)
    name = driver.find_element(By.ID, "theme-title").text.rsplit(" ", 1)[0]
    assert name and "Split from" not in name
    drafted = driver.find_element(By.ID, "draft-title").text
    assert name == drafted or name == "Détaché de Des axes cyclables sûrs et séparés"

    driver.get(base + "/history")
    history = driver.find_element(By.TAG_NAME, "main").text
    assert f"« {name} »" in history or f"“{name}”" in history, history
    assert "«  »" not in history and "“”" not in history
    assert "Claire" in history and "analyst" not in history


def test_the_edit_box_holds_whole_proposals_and_an_untouched_one_keeps_its_notes(
    server: Server, driver: WebDriver
) -> None:
    base = server.url
    driver.get(base + "/themes/t1")
    shown = driver.find_elements(By.CSS_SELECTOR, PROPOSALS)[0].text
    assert shown.startswith(CUT)  # the draft shows it shortened
    click(driver, driver.find_element(By.XPATH, EDIT_SUMMARY))
    box = driver.find_element(By.ID, "edit-proposal")
    lines = (box.get_attribute("value") or "").splitlines()
    assert lines[0] == WHOLE  # whole, as the note says it
    assert not any(line.endswith("…") for line in lines)

    # Only the question changes.
    question = driver.find_element(By.ID, "edit-challenge")
    question.clear()
    question.send_keys("Comment pourrions-nous relier les quartiers par des pistes sûres ?")
    click(driver, driver.find_element(By.ID, "save-draft"))
    WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
    check_page(driver)
    k = ids()
    proposals = [p.text for p in driver.find_elements(By.CSS_SELECTOR, PROPOSALS)]
    # Each with the number of notes that make it, as in the report and the handout.
    assert proposals[0] == f"{CUT} (3 notes) [{k['bike_fr']}, {k['bike_en']}, {k['bike_fr_dup']}]"
    assert len(proposals) == 3

    # One line changed: that line is the analyst's, the others keep theirs.
    click(driver, driver.find_element(By.XPATH, EDIT_SUMMARY))
    box = driver.find_element(By.ID, "edit-proposal")
    lines = (box.get_attribute("value") or "").splitlines()
    assert lines[0] == WHOLE
    lines[1] = "Des arceaux vélo couverts devant chaque gare."
    box.clear()
    box.send_keys("\n".join(lines))
    click(driver, driver.find_element(By.ID, "save-draft"))
    WebDriverWait(driver, 10).until(lambda d: "done=2" in d.current_url)
    proposals = [p.text for p in driver.find_elements(By.CSS_SELECTOR, PROPOSALS)]
    assert proposals[0].startswith(f"{CUT} (3 notes) [")
    assert proposals[1].startswith("Des arceaux vélo couverts devant chaque gare. (2 notes) [")
    assert (
        proposals[2]
        == f"Transformer les rues des quartiers en rues cyclables. (1 note) [{k['streets_nl']}]"
    )
