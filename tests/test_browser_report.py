"""report.html in a real headless Chromium: it renders, links work, the hostile note stays inert.

Opened over ``file://`` (how people open a run folder) and over HTTP (how it is shared), plus
once with JavaScript disabled, since the page must work without it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.report import write_run
from pipeline.schema import NoteStatus, RunResult
from tests.factories import HOSTILE_TEXT, build_run_result, ids

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs /usr/bin/chromium and /usr/bin/chromedriver (Debian chromium-driver)",
    ),
]
"""The marks of every browser test module (``pytestmark = NEEDS_CHROMIUM``)."""
pytestmark = NEEDS_CHROMIUM

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def start_chromium(profile: Path, javascript: bool = True) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    return driver


@pytest.fixture(scope="module")
def result() -> RunResult:
    return build_run_result()


@pytest.fixture(scope="module")
def report(result: RunResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_run(result, tmp_path_factory.mktemp("run"))["report.html"]


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield d
    finally:
        d.quit()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def http_url(report: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(report.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{report.name}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def console_errors(driver: WebDriver) -> list[dict[str, Any]]:
    try:
        logs = driver.get_log("browser")
    except Exception:  # not every driver exposes the log
        return []
    return [entry for entry in logs if entry.get("level") == "SEVERE"]


def in_view(driver: WebDriver, element_id: str) -> bool:
    return bool(
        driver.execute_script(
            "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            "return r.top >= 0 && r.top < window.innerHeight;",
            element_id,
        )
    )


def click(driver: WebDriver, element: Any) -> None:
    """A real click, after an instant scroll (the page scrolls smoothly, which races clicks)."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def assert_no_alert(driver: WebDriver) -> None:
    with pytest.raises(NoAlertPresentException):
        _ = driver.switch_to.alert.text


def check_report(driver: WebDriver, result: RunResult) -> None:
    """What every way of opening the page must show."""
    assert_no_alert(driver)
    assert "rapport ideasynth" in driver.title  # the factory run is French
    for theme in result.themes:
        heading = driver.find_element(By.ID, f"theme-{theme.id}-heading")
        assert heading.is_displayed()
        assert theme.label in heading.text
    svg = driver.find_element(By.CSS_SELECTOR, "svg.notemap")
    assert svg.is_displayed()
    active = [n for n in result.notes if n.status is NoteStatus.ACTIVE]
    assert len(svg.find_elements(By.TAG_NAME, "circle")) == len(active)
    boxes = driver.execute_script(
        "return [...document.querySelectorAll('svg.notemap .map-labels text')].map(t => {"
        "const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });"
    )
    assert len(boxes) == len(result.themes)
    for i, a in enumerate(boxes):  # as drawn: no theme number covers another
        assert not any(
            a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for b in boxes[i + 1 :]
        )

    hostile = driver.find_element(By.CSS_SELECTOR, f"#note-{ids()['hostile']} .note-text")
    assert hostile.text == HOSTILE_TEXT
    assert driver.execute_script("return document.images.length") == 0
    assert driver.execute_script("return document.scripts.length") == 1

    # Follow a citation from a draft to the note it cites.
    cite = driver.find_element(
        By.CSS_SELECTOR, "#theme-t3 .proposal a.cite[href$='" + ids()["hostile"] + "']"
    )
    target = (cite.get_attribute("href") or "").split("#", 1)[1]
    click(driver, cite)
    WebDriverWait(driver, 5).until(
        lambda d: d.execute_script("return location.hash") == "#" + target
    )
    WebDriverWait(driver, 5).until(lambda d: in_view(d, target))
    assert driver.execute_script("return document.querySelector(':target').id") == target
    assert_no_alert(driver)
    assert console_errors(driver) == []


def test_report_in_chromium_over_file_url(
    driver: WebDriver, report: Path, result: RunResult, tmp_path: Path
) -> None:
    driver.get(report.as_uri())
    check_report(driver, result)

    # JS niceties: the language filter appears and hides notes in other languages.
    bar = driver.find_element(By.ID, "lang-filter")
    assert bar.is_displayed()
    nl_note = driver.find_element(By.ID, f"note-{ids()['bike_nl']}")
    de_note = driver.find_element(By.ID, f"note-{ids()['bike_de']}")
    click(driver, bar.find_element(By.CSS_SELECTOR, "button[data-lang='nl']"))
    assert nl_note.is_displayed() and not de_note.is_displayed()
    click(driver, bar.find_element(By.CSS_SELECTOR, "button[data-lang='*']"))
    assert de_note.is_displayed()

    # Clicking a dot on the map jumps to its note.
    dot = driver.find_elements(By.CSS_SELECTOR, "svg.notemap circle")[-1]
    click(driver, dot)
    expected = "#" + (dot.get_attribute("data-target") or "")
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return location.hash") == expected)

    driver.execute_script("window.scrollTo(0, 0)")
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1280, min(height + 120, 12000))
    shot = tmp_path / "report.png"
    try:
        assert driver.save_screenshot(str(shot))
    finally:
        driver.set_window_size(1280, 900)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_no_alert(driver)
    assert console_errors(driver) == []


def test_report_in_chromium_over_http(driver: WebDriver, http_url: str, result: RunResult) -> None:
    driver.get(http_url)
    check_report(driver, result)


def test_report_works_without_javascript(
    report: Path, result: RunResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    driver = start_chromium(tmp_path_factory.mktemp("chromium-nojs"), javascript=False)
    try:
        driver.get(report.as_uri())
        assert not driver.find_element(By.ID, "lang-filter").is_displayed()
        check_report(driver, result)
    finally:
        driver.quit()


def test_about_this_run_reads_for_a_facilitator_in_the_runs_language(
    driver: WebDriver, result: RunResult, tmp_path: Path
) -> None:
    """The drafter described in the run's language, not by its internal name; the settings
    as the ideasynth.toml that would give them, their keys as typed, the caption translated."""
    import tomllib

    from pipeline.config import Config
    from pipeline.schema import DraftingStats

    config = Config()
    config.draft.drafter = "llama-cpp"
    config.draft.model_path = Path("/models/gemma-3-270m-it-Q4_K_M.gguf")
    config.cluster.min_cluster_size = 4
    german = result.model_copy(deep=True)
    german.manifest.config = {**config.model_dump(mode="json"), "output_language": "de"}
    german.manifest.drafting = DraftingStats(
        drafter="llama-cpp", model="gemma-3-270m-it-Q4_K_M.gguf", drafts=1
    )
    german.drafts[0].drafter = "llama-cpp"
    page = write_run(german, tmp_path / "run")["report.html"]
    driver.get(page.as_uri())

    about = driver.find_element(By.ID, "about")
    assert "Über diesen Durchlauf" in about.text
    drafters = driver.find_element(By.ID, "about-drafters").text
    assert drafters == (
        "nach Regeln aus den Notizen zusammengesetzt, ohne generatives Modell; "
        "Sprachmodell gemma-3-270m-it-Q4_K_M.gguf, auf diesem Rechner ausgeführt"
    )
    settings = driver.find_element(By.ID, "about-settings")
    summary = settings.find_element(By.TAG_NAME, "summary")
    assert summary.text == "Einstellungen dieses Durchlaufs"
    click(driver, summary)
    text = settings.find_element(By.TAG_NAME, "pre").text
    assert settings.find_element(By.TAG_NAME, "p").text.startswith(
        "So, wie man sie in ideasynth.toml schreibt"
    )
    assert '[draft]\ndrafter = "llama-cpp"\n' in text
    assert "\n[cluster]\n" in text and "\nmin_cluster_size = 4\n" in text
    assert "output_language" not in text and "{" not in text and "null" not in text
    written = tomllib.loads(text)  # a valid ideasynth.toml, giving the run's settings back
    assert Config.model_validate(written) == config
    assert console_errors(driver) == []

    driver.get(write_run(result, tmp_path / "fr")["report.html"].as_uri())  # the French run
    assert driver.find_element(By.ID, "about-drafters").text == (
        "rédaction par des règles à partir des notes, sans modèle génératif"
    )  # a noun: it follows "Défi proposé" and "Facette proposée" alike
    summary = driver.find_element(By.CSS_SELECTOR, "#about-settings summary")
    assert summary.text == "Réglages de ce traitement"


def test_a_long_citation_list_folds_on_its_line(
    driver: WebDriver, result: RunResult, tmp_path: Path
) -> None:
    """ "[n1, …, n5 25 more]": the folded rest and the closing bracket stay on the line of
    the citations, closed and opened (a details element lays its content out as a block,
    which put "]" on a line of its own)."""
    draft = next(d for d in result.drafts if d.proposal)
    backed = draft.proposal[0].model_copy(update={"cites": [n.id for n in result.notes][:12]})
    widened = draft.model_copy(update={"proposal": [backed, *draft.proposal[1:]]})
    run = result.model_copy(
        update={"drafts": [widened if d is draft else d for d in result.drafts]}
    )
    driver.get(write_run(run, tmp_path)["report.html"].as_uri())
    folds = driver.find_elements(By.CSS_SELECTOR, "details.more-cites")
    assert folds, "no citation list long enough to fold: the check below is idle"
    fold = folds[0]
    click(driver, fold.find_element(By.TAG_NAME, "summary"))
    assert fold.get_attribute("open") is not None

    def tops() -> tuple[float, float, float]:
        """The tops of the summary, of the last citation folded, and of the "]"."""
        return tuple(
            driver.execute_script(
                "const cites = arguments[0].closest('.cites');"
                "const r = document.createRange();"
                "r.setStart(cites.lastChild, 0); r.setEnd(cites.lastChild, 1);"
                "const folded = arguments[0].querySelectorAll('a');"
                "return [arguments[0].querySelector('summary').getBoundingClientRect().top,"
                " folded[folded.length - 1].getBoundingClientRect().top,"
                " r.getBoundingClientRect().top];",
                fold,
            )
        )

    _, last, bracket = tops()
    assert abs(bracket - last) < 2, (last, bracket)  # open: "…, n31]"
    click(driver, fold.find_element(By.TAG_NAME, "summary"))  # closed again
    summary, _, bracket = tops()
    assert abs(bracket - summary) < 2, (summary, bracket)  # closed: "25 more]"


def test_a_challenges_other_questions_are_offered_in_the_report(
    driver: WebDriver, result: RunResult, tmp_path: Path
) -> None:
    """The other questions a challenge's notes offer, which the review adopts in one click,
    are in the report too, folded under its question, in the run's language, each citing
    its notes; the report's Markdown says them as well."""
    from pipeline.schema import Sentence

    draft = next(d for d in result.drafts if d.proposal)
    other = Sentence(
        text="Comment pourrions-nous tracer des pistes cyclables ?", cites=[ids()["bike_nl"]]
    )
    offered = draft.model_copy(update={"challenge_alternatives": [other]})
    run = result.model_copy(
        update={"drafts": [offered if d is draft else d for d in result.drafts]}
    )
    written = write_run(run, tmp_path)
    driver.get(written["report.html"].as_uri())
    folds = driver.find_elements(By.CSS_SELECTOR, "details.alternatives")
    assert len(folds) == 1  # the one draft with alternatives
    fold = folds[0]
    summary = fold.find_element(By.TAG_NAME, "summary")
    assert summary.text == "Autres questions que proposent les notes, à adopter à la relecture"
    assert not fold.find_element(By.TAG_NAME, "li").is_displayed()  # folded until asked
    click(driver, summary)
    item = fold.find_element(By.TAG_NAME, "li")
    assert item.is_displayed() and other.text in item.text
    cite = item.find_element(By.CSS_SELECTOR, "a.cite")
    assert (cite.get_attribute("href") or "").endswith("#note-" + ids()["bike_nl"])
    markdown = written["report.md"].read_text(encoding="utf-8")
    assert "Autres questions que proposent les notes" in markdown
    assert f"- {other.text} [{ids()['bike_nl']}]" in markdown
    assert_no_alert(driver)
    assert console_errors(driver) == []
