"""One name, one wording and one count per unit, on every page, after a review in a browser.

Audits on real workshops found that a review action changed more than it said: moving one
note out of a facet re-drafted its challenge with another heading and question; the app's
challenge table, the report, ``themes.csv`` and the handout then each named the challenge
differently; the report's "Themes" tile counted the themes before a merge; a renamed theme
kept the flag asking for a title, and an adopted alternative read "edited by an analyst".

Here the bundled sample workshop is run for real, reviewed in a real Chromium through the
app served by a real uvicorn server, and every page is read back: the app's table and
pages, ``report.html`` (opened as a file), ``handout.md`` and ``themes.csv`` (downloaded from
the app). A re-run then carries the review over, through ``ideasynth run``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app as cli
from pipeline.config import config_for_input
from pipeline.review.actions import _composed, apply_action, replay
from pipeline.review.app import Review
from pipeline.review.reviewed import reviewed_result
from pipeline.run import run_workshop
from pipeline.schema import ActionKind, ReviewAction
from tests.test_browser_report import NEEDS_CHROMIUM, click, start_chromium
from tests.test_browser_review import check_page
from tests.test_review_security import Server

pytestmark = [*NEEDS_CHROMIUM, pytest.mark.slow]

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

SAMPLE = Path(__file__).parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-review-names"))
    try:
        yield d
    finally:
        d.quit()


def run_of(folder: Path, files: list[str] | None = None, lang: str | None = None) -> Path:
    """The sample workshop (or some of its files) copied into ``folder`` and run for real."""
    workshop = folder / "atelier"
    if files is None:
        shutil.copytree(SAMPLE, workshop)
    else:
        workshop.mkdir(parents=True)
        for name in files:
            shutil.copy(SAMPLE / name, workshop / name)
    _, run_dir = run_workshop(workshop, config_for_input(workshop), folder / "runs", language=lang)
    return run_dir


def saved(driver: WebDriver) -> None:
    WebDriverWait(driver, 30).until(lambda d: "done=" in d.current_url)
    check_page(driver)


def fetched(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return str(answer.read().decode("utf-8"))


def move_note(driver: WebDriver, base: str, theme_id: str, note_id: str, target: str) -> None:
    driver.get(f"{base}/themes/{theme_id}")
    click(driver, driver.find_element(By.ID, f"pick-{note_id}"))
    Select(driver.find_element(By.ID, "move-target")).select_by_value(target)
    click(driver, driver.find_element(By.ID, "move"))
    saved(driver)


def names_everywhere(driver: WebDriver, base: str, run_dir: Path) -> dict[str, dict[str, str]]:
    """{challenge id: {page: its name there, "question": its question in the app}} for
    every challenge: the app's table and page, report.html, themes.csv, the handout."""
    driver.get(base + "/")
    rows = driver.find_elements(By.CSS_SELECTOR, "#challenges tbody tr")
    table = {
        r.get_attribute("id").removeprefix("row-"): r.find_element(By.CSS_SELECTOR, "th a").text
        for r in rows
    }
    csv_rows = {
        row["theme_id"]: row
        for row in csv.DictReader(io.StringIO(fetched(base + "/export/themes.csv")))
    }
    handout = fetched(base + "/export/handout.md")
    driver.get((run_dir / "report.html").as_uri())
    report = {
        cid: driver.find_element(By.ID, f"theme-{cid}-heading").text.removeprefix(cid).strip()
        for cid in table
    }
    out: dict[str, dict[str, str]] = {}
    for cid, name in table.items():
        driver.get(f"{base}/themes/{cid}")
        heading = driver.find_element(By.ID, "theme-title").text
        out[cid] = {
            "app table": name,
            "app page": re.sub(rf"^\S+ (.*) {cid}$", r"\1", heading),
            "app draft title": driver.find_element(By.ID, "draft-title").text,
            "question": driver.find_element(By.ID, "challenge").text,
            "report": report[cid],
            "themes.csv label": csv_rows[cid]["label"],
            "themes.csv title": csv_rows[cid]["title"],
        }
        found = re.search(
            rf"^## (?:\S+ \d+ — )?(.+)\n\n\*\*[^*]+\*\* {re.escape(out[cid]['question'])}$",
            handout,
            re.M,
        )
        out[cid]["handout"] = found.group(1) if found else "(not found)"
    return out


def one_name_each(names: dict[str, dict[str, str]]) -> None:
    for cid, said in names.items():
        shown = {k: v for k, v in said.items() if k != "question"}
        assert len(set(shown.values())) == 1, (cid, said)


def a_move_the_drafter_would_reword(run_dir: Path) -> tuple[str, str, str, str]:
    """(challenge, facet, note, target): a note of a challenge's facet, not one its question
    cites, whose move makes the drafter word the challenge otherwise (on the sample: one
    note out of B4's T15 turned "Limites de l'IA" into "Confiance à l'outil")."""
    review = Review(run_dir)
    _, base = review.state()
    for challenge in base.challenges.values():
        draft = base.drafts[challenge.id].draft
        assert draft is not None
        for facet in base.facets(challenge.id):
            other = next(t for t in base.themes.values() if t.parent_id != challenge.id)
            for note in [n for n in facet.note_ids if n not in draft.challenge.cites][:3]:
                state = replay(review.run, [])
                move = ReviewAction(kind=ActionKind.MOVE, note_ids=[note], target=other.id)
                apply_action(state, move, "test", "")
                fresh = _composed(state, state.challenges[challenge.id], draft)
                if fresh.title.text != draft.title.text:
                    return challenge.id, facet.id, note, other.id
    pytest.skip("no move of one note rewords a challenge in this run")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_of(tmp_path_factory.mktemp("names"))


def test_one_note_moved_keeps_the_challenge_then_every_page_names_it_alike(
    sample: Path, driver: WebDriver
) -> None:
    challenge, facet, note, target = a_move_the_drafter_would_reword(sample)
    server = Server(sample)
    try:
        before = names_everywhere(driver, server.url, sample)
        one_name_each(before)
        move_note(driver, server.url, facet, note, target)
        after = names_everywhere(driver, server.url, sample)
        # The challenge keeps its heading and its question: the note moved was not theirs.
        assert after[challenge] == before[challenge]
        one_name_each(after)

        # A note its question cites moved away: then it is drafted again, and its new
        # heading is its name on every page.
        _, state = Review(sample).state()
        cited = state.drafts[challenge].draft.challenge.cites  # type: ignore[union-attr]
        holder = next(f for f in state.facets(challenge) if cited[0] in f.note_ids)
        move_note(driver, server.url, holder.id, cited[0], target)
        one_name_each(names_everywhere(driver, server.url, sample))

        # Adopt another title for a theme, rename another, merge two of different
        # challenges: still one name per challenge everywhere.
        _, state = Review(sample).state()
        themes = [t for t in state.themes.values() if state.drafts[t.id].draft]
        adopted = next(t for t in themes if state.drafts[t.id].draft.title_alternatives)  # type: ignore[union-attr]
        driver.get(f"{server.url}/themes/{adopted.id}")
        click(driver, driver.find_element(By.ID, "adopt-title-alternative-1"))
        saved(driver)
        page = driver.find_element(By.TAG_NAME, "main").text
        assert "edited by an analyst" not in page and "modifié par" not in page
        renamed = next(t for t in themes if t.id != adopted.id)
        driver.get(f"{server.url}/themes/{renamed.id}")
        field = driver.find_element(By.ID, "rename-label")
        field.clear()
        field.send_keys("Notre nom pour ce thème")
        click(driver, driver.find_element(By.ID, "rename"))
        saved(driver)
        into, source = themes[0], next(t for t in themes if t.parent_id != themes[0].parent_id)
        driver.get(server.url + "/")
        click(driver, driver.find_element(By.ID, f"merge-{into.id}"))
        click(driver, driver.find_element(By.ID, f"merge-{source.id}"))
        Select(driver.find_element(By.ID, "into")).select_by_value(into.id)
        click(driver, driver.find_element(By.ID, "merge"))
        saved(driver)
        one_name_each(names_everywhere(driver, server.url, sample))

        # The counts are those of the themes listed, in the app and in the report.
        _, state = Review(sample).state()
        driver.get(server.url + "/")
        # Every theme has one box to tick for merging: in the themes' table, or on its
        # challenge's row when it is that challenge's only theme ("B7 = T18").
        boxes = driver.find_elements(By.CSS_SELECTOR, "input[name='theme'][type='checkbox']")
        listed = len({b.get_attribute("value") for b in boxes})
        assert listed == len(boxes) == len(state.themes)
        driver.get((sample / "report.html").as_uri())
        cards = driver.find_elements(By.CSS_SELECTOR, "section.theme")
        tiles = {
            t.find_element(By.TAG_NAME, "dt").text: t.find_element(By.TAG_NAME, "dd").text
            for t in driver.find_elements(By.CSS_SELECTOR, "dl.stats > div")
        }
        assert tiles["Thèmes"] == str(len(cards)) == str(listed)
        in_a_theme = sum(len(t.note_ids) for t in state.themes.values())
        assert tiles["Dans un thème"] == str(in_a_theme)
        assert "Les comptes concordent" in driver.find_element(By.CLASS_NAME, "reconcile").text
    finally:
        server.stop()

    # The re-run carries the review: its console counts what it lists, and says which
    # count is the run's own and which the review's.
    workshop = sample.parents[2] / "atelier"
    said = CliRunner().invoke(cli, ["run", str(workshop), "--out", str(sample.parents[1])])
    assert said.exit_code == 0, said.output
    out = " ".join(said.output.split())
    shown = re.search(r"(\d+) défis, (\d+) thèmes", out)
    assert shown and f"Thèmes {shown.group(2)} ·" in out
    assert shown.group(2) == str(listed)
    checked = re.search(r"\((\d+) propositions sur (\d+) fondées sur leurs notes\)", out)
    summed = re.search(r"Propositions fondées sur leurs notes : (\d+) sur (\d+)\.", out)
    assert checked and summed and checked.groups() == summed.groups()
    assert "thèmes trouvés gardent leur identifiant" in out
    assert "Les thèmes et les comptes ci-dessus sont ceux de la relecture" in out


@pytest.fixture(scope="module")
def in_english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's French post-its, drafted in English: no note names its theme in
    English, so the drafter asks the reviewer for titles, however the notes cluster (with
    the brainwriting sheet, whose few English lines name some themes, whether any theme
    was left without one depended on the machine's clustering)."""
    folder = tmp_path_factory.mktemp("english")
    return run_of(folder, ["table2_postits_fr.csv"], lang="en")


ASKS_FOR_A_TITLE = "names the theme: give it a title when reviewing"


def test_a_flag_goes_once_the_reviewer_did_what_it_asks(
    in_english: Path, driver: WebDriver
) -> None:
    review = Review(in_english)
    _, state = review.state()
    flagged = next(
        t.id
        for t in state.themes.values()
        if any(ASKS_FOR_A_TITLE in f for f in state.drafts[t.id].draft.flags)  # type: ignore[union-attr]
    )
    server = Server(in_english)
    try:
        driver.get(f"{server.url}/themes/{flagged}")
        assert ASKS_FOR_A_TITLE in driver.find_element(By.TAG_NAME, "main").text
        field = driver.find_element(By.ID, "rename-label")
        field.clear()
        field.send_keys("Our own title")
        click(driver, driver.find_element(By.ID, "rename"))
        saved(driver)
        page = driver.find_element(By.TAG_NAME, "main").text
        assert ASKS_FOR_A_TITLE not in page
        assert driver.find_element(By.ID, "draft-title").text == "Our own title"
        driver.get(server.url + "/")
        assert ASKS_FOR_A_TITLE not in driver.find_element(By.ID, f"row-{flagged}").text
        driver.get((in_english / "report.html").as_uri())
        card = driver.find_element(By.ID, f"theme-{flagged}")
        assert "Our own title" in card.text
        assert ASKS_FOR_A_TITLE not in card.text and "weakly supported" not in card.text
    finally:
        server.stop()
    # A re-run carries the rename, and the flag stays gone.
    workshop = in_english.parents[2] / "atelier"
    _, again = run_workshop(
        workshop, config_for_input(workshop), in_english.parents[1], language="en"
    )
    rerun = Review(again)
    _, state = rerun.state()
    drafts = {d.theme_id: d for d in reviewed_result(rerun.run, state).drafts}
    assert drafts[flagged].title.text == "Our own title"
    assert not any(ASKS_FOR_A_TITLE in f for f in drafts[flagged].flags)
