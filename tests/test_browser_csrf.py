"""Cross-site request forgery against the review app, in a real headless Chromium.

The analyst has the review open (so the browser holds the app's cookies) and visits another
page: one that auto-submits a rename form to the app, and one that does it from sandboxed
iframes (``Origin: null``), guessing version numbers as a real attack did. The browser does
send the forms (the test reads the app's refusal in the page and in each frame), and the
decision log stays empty.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.report import write_run
from pipeline.review.rundir import DECISIONS_DB
from pipeline.review.store import DecisionLog
from tests.factories import build_run_result
from tests.test_browser_report import NEEDS_CHROMIUM, start_chromium
from tests.test_review_security import Server

pytestmark = NEEDS_CHROMIUM

from selenium.webdriver.chrome.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def rename_form(app: str, version: int, target: str = "_self") -> str:
    return (
        f'<form method="post" action="{app}/act" target="{target}">'
        '<input type="hidden" name="op" value="rename">'
        '<input type="hidden" name="theme_id" value="t1">'
        f'<input type="hidden" name="label" value="forged {version}">'
        f'<input type="hidden" name="version" value="{version}">'
        '<input type="hidden" name="back" value="/"></form>'
        "<script>document.forms[0].submit()</script>"
    )


@pytest.fixture
def attacker(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A foreign web site: another origin (another port) on loopback, so the browser even
    sends the app's SameSite cookies with its forms (same site, different origin)."""
    folder = tmp_path / "site"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def driver(tmp_path: Path) -> Iterator[WebDriver]:
    d = start_chromium(tmp_path / "profile")
    try:
        yield d
    finally:
        d.quit()


def test_foreign_pages_and_sandboxed_iframes_cannot_change_the_review(
    tmp_path: Path, driver: WebDriver, attacker: tuple[str, Path]
) -> None:
    run_dir = tmp_path / "atelier" / "20250314T093205Z"
    write_run(build_run_result(), run_dir)
    server = Server(run_dir)
    app = f"http://127.0.0.1:{server.port}"
    site, folder = attacker
    try:
        driver.get(app + "/")  # the analyst is reviewing: the browser holds the app's cookies
        assert driver.get_cookies()
        log = DecisionLog(run_dir / DECISIONS_DB)

        # 1. A foreign page that auto-submits a form to the app.
        (folder / "form.html").write_text(rename_form(app, 0), encoding="utf-8")
        driver.get(f"{site}/form.html")
        WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(app))
        # Refused, in the workshop's language (the run drafts in French).
        assert "refusé" in driver.find_element(By.TAG_NAME, "body").text
        assert log.read() == []

        # 2. Sandboxed iframes (Origin: null), chaining guessed version numbers.
        frames = "".join(
            f'<iframe sandbox="allow-forms allow-scripts" id="f{v}" srcdoc="'
            + rename_form(app, v).replace('"', "&quot;")
            + '"></iframe>'
            for v in range(3)
        )
        (folder / "frames.html").write_text(f"<!DOCTYPE html>{frames}", encoding="utf-8")
        driver.get(f"{site}/frames.html")
        WebDriverWait(driver, 15).until(lambda d: len(server.recorder.posts) >= 4)
        # Each frame did post (the browser sends Origin: null); each post was refused. The
        # frames cannot show the refusal: the app may not be framed (X-Frame-Options).
        assert server.recorder.posts == [
            ("/act", site, 403),
            *[("/act", "null", 403)] * 3,
        ]
        assert log.read() == []

        # The analyst's own form, in the same browser, still works.
        driver.get(app + "/themes/t1")
        field = driver.find_element(By.CSS_SELECTOR, "#rename-form input[name=label]")
        field.clear()
        field.send_keys("Renamed by the analyst")
        driver.find_element(By.CSS_SELECTOR, "#rename-form button").click()
        try:
            WebDriverWait(driver, 10).until(lambda d: "done=" in d.current_url)
        except Exception:
            raise AssertionError(driver.current_url + driver.page_source[:1500]) from None
        assert [d.action.label for d in log.read()] == ["Renamed by the analyst"]
    finally:
        server.stop()
