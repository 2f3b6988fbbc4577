"""The review app under attack: forged forms, odd tokens, oversized bodies, cut-off runs.

Forms are checked with FastAPI's test client; the body cap against a real uvicorn server on
a loopback port, with a chunked upload that never declares its length.
"""

from __future__ import annotations

import http.client
import re
import select
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from pipeline.report import write_run
from pipeline.report.writer import COMPLETE_JSON
from pipeline.review.app import MAX_FORM_BYTES, SESSION_COOKIE, create_app
from pipeline.review.rundir import DECISIONS_DB, RunFolderError, load_run
from pipeline.review.store import DecisionLog
from tests.factories import build_run_result

LOCAL = "http://127.0.0.1:8765"
FORM_FIELD = re.compile(r'<form [^>]*method="post"[^>]*>(.*?)</form>', re.S)
CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf" value="([0-9a-f]{64})">')


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "atelier" / "20250314T093205Z"
    write_run(build_run_result(), folder)
    return folder


def decisions(run_dir: Path) -> int:
    return len(DecisionLog(run_dir / DECISIONS_DB).read())


def csrf_of(client: TestClient, path: str = "/") -> str:
    found = CSRF_INPUT.search(client.get(path).text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def rename(client: TestClient, **extra: str) -> int:
    data = {"op": "rename", "theme_id": "t1", "label": "forged", "version": "0", "back": "/"}
    data.update(extra)
    return client.post("/act", data=data, follow_redirects=False).status_code


def test_every_form_of_every_page_carries_the_session_token(run_dir: Path) -> None:
    client = TestClient(create_app(run_dir), base_url=LOCAL)
    first = client.get("/")
    cookie = first.headers["set-cookie"].lower()
    assert SESSION_COOKIE in cookie and "httponly" in cookie and "samesite=strict" in cookie
    token = csrf_of(client)
    assert rename(client, csrf=token) == 303  # something to undo: the undo form shows too
    pages = ["/", "/themes/t1", "/unassigned", "/noise", "/history"]
    forms = 0
    for path in pages:
        for form in FORM_FIELD.findall(client.get(path).text):
            forms += 1
            assert f'name="csrf" value="{token}"' in form, (path, form[:200])
    assert forms >= 8
    # Another browser (another session) gets another token.
    other = TestClient(create_app(run_dir), base_url=LOCAL)
    assert csrf_of(other) != csrf_of(TestClient(create_app(run_dir), base_url=LOCAL))


@pytest.mark.parametrize(
    ("headers", "token"),
    [
        ({}, None),  # no Origin, no token: a form from a page that hides its origin
        ({}, "0" * 64),  # a guessed token
        ({"origin": "null"}, "valid"),  # a sandboxed iframe or a data: page
        ({"origin": "http://evil.example"}, "valid"),
        ({"sec-fetch-site": "cross-site"}, "valid"),
        ({"origin": "http://127.0.0.1:8766"}, "valid"),  # another port is another origin
    ],
)
def test_forged_posts_change_nothing(run_dir: Path, headers: dict[str, str], token: str | None):
    client = TestClient(create_app(run_dir), base_url=LOCAL)
    valid = csrf_of(client)
    extra = {} if token is None else {"csrf": valid if token == "valid" else token}
    data = {"op": "rename", "theme_id": "t1", "label": "forged", "version": "0", "back": "/"}
    reply = client.post("/act", data={**data, **extra}, headers=headers, follow_redirects=False)
    assert reply.status_code == 403
    named = client.post("/reviewer", data={"who": "mallory", **extra}, headers=headers)
    assert named.status_code == 403
    assert decisions(run_dir) == 0
    assert "mallory" not in client.get("/").text
    # The same form with this session's token and no Origin at all (as some clients send
    # it) is accepted: the token, not the Origin header, is what protects the review.
    assert rename(client, csrf=valid) == 303
    assert decisions(run_dir) == 1


def test_a_token_from_another_session_or_server_is_refused(run_dir: Path) -> None:
    alice = TestClient(create_app(run_dir), base_url=LOCAL)
    mallory = TestClient(alice.app, base_url=LOCAL)
    stolen = csrf_of(mallory)  # mallory's own session on the same server
    csrf_of(alice)
    assert rename(alice, csrf=stolen) == 403
    restarted = TestClient(create_app(run_dir), base_url=LOCAL)
    restarted.cookies.update(alice.cookies)  # same session cookie, new server secret
    assert rename(restarted, csrf=csrf_of(alice)) == 403
    assert decisions(run_dir) == 0


@pytest.mark.parametrize("token", ["pässwort", "s3cret-tökén-😀", "plain-ascii"])
def test_tokens_are_compared_as_bytes(run_dir: Path, token: str) -> None:
    client = TestClient(create_app(run_dir, host="0.0.0.0", token=token), base_url=LOCAL)
    for wrong in ("wrong", "pässwort-nicht", "ü", "😀"):
        assert client.get("/", params={"token": wrong}).status_code == 401
    for cookie in ("ä", token, "\x00", "a" * 5000):  # the raw token is not the cookie either
        raw = f"ideasynth_token={cookie}".encode()
        assert client.get("/", headers={"cookie": raw}).status_code == 401  # type: ignore[dict-item]
    entry = client.get("/", params={"token": token}, follow_redirects=False)
    assert entry.status_code == 303
    assert client.get("/").status_code == 200
    assert rename(client, csrf=csrf_of(client)) == 303


class Recorder:
    """ASGI wrapper around the real app that notes each POST: (path, Origin, status)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.posts: list[tuple[str, str | None, int]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        origin = dict(scope["headers"]).get(b"origin")

        async def noted(message: Any) -> None:
            if message["type"] == "http.response.start":
                shown = origin.decode("latin-1") if origin is not None else None
                self.posts.append((scope["path"], shown, message["status"]))
            await send(message)

        return await self.app(scope, receive, noted)


class Server:
    """A real uvicorn server in a thread, on a free loopback port, serving the app for
    ``run_dir`` (``options`` go to ``create_app``); ``recorder`` notes the POSTs it
    answered. The browser tests use it too."""

    def __init__(self, run_dir: Path, **options: Any) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.recorder = Recorder(create_app(run_dir, **options))
        config = uvicorn.Config(
            self.recorder, host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def server(run_dir: Path) -> Iterator[Server]:
    running = Server(run_dir)
    try:
        yield running
    finally:
        running.stop()


def answer_before_the_end(port: int, path: str, megabytes: int) -> str:
    """Send ``megabytes`` MB of a chunked POST body (never declared, never finished) and
    return the status line the server sends while the body is still open; "" if none."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        chunk = b"label=" + b"a" * (65536 - 6)
        try:
            for _ in range(megabytes * 16):
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except OSError:
            pass  # the server answered and closed while we were still sending
        ready, _, _ = select.select([sock], [], [], 5)
        if not ready:
            return ""
        return sock.recv(4096).split(b"\r\n", 1)[0].decode()


def test_an_oversized_body_is_refused_while_streaming(server: Server, run_dir: Path) -> None:
    """The app answers 413 once the body passes its cap, while the client is still sending:
    it never waits for (and never holds) the rest."""
    assert answer_before_the_end(server.port, "/act", 3) == "HTTP/1.1 413 Request Entity Too Large"
    assert answer_before_the_end(server.port, "/reviewer", 3).split(" ")[1] == "413"
    # A declared length over the cap is refused before one byte of the body is read.
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest("POST", "/act")
    conn.putheader("Content-Length", str(MAX_FORM_BYTES * 1000))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
    assert decisions(run_dir) == 0


def test_a_run_folder_cut_off_while_written_is_not_reviewed(run_dir: Path) -> None:
    (run_dir / COMPLETE_JSON).unlink()
    with pytest.raises(RunFolderError, match="not a complete run"):
        load_run(run_dir)
    with pytest.raises(RunFolderError, match=COMPLETE_JSON):
        create_app(run_dir)
    whole = run_dir.parent / "whole"
    shutil.copytree(run_dir, whole)
    write_run(build_run_result(), whole)
    assert load_run(whole).themes


@pytest.mark.parametrize("token", ["a+b&c#d e", "pässwort/?=%", "plain-ascii"])
def test_the_printed_url_opens_the_review_whatever_the_token(run_dir: Path, token: str) -> None:
    """The URL ``ideasynth review`` prints and opens, with a token holding "+", "&", "#", a
    space or an accent, is let in by a real server: the token is URL-encoded in it."""
    from pipeline.cli import review_url

    running = Server(run_dir, host="0.0.0.0", token=token)
    try:
        url = review_url("127.0.0.1", running.port, token)
        assert url.startswith(f"http://127.0.0.1:{running.port}/?token=")
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=10)
        connection.request("GET", url.removeprefix(f"http://127.0.0.1:{running.port}"))
        entry = connection.getresponse()
        entry.read()
        assert entry.status == 303, entry.status  # let in, then sent on without the token
        connection.close()
    finally:
        running.stop()
