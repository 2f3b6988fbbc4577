"""Language-model drafting against real servers on loopback, never mocked HTTP.

Most tests talk to a small OpenAI-compatible server written here (``ScriptedServer``), which
answers each request with the next scripted reply: a draft, an HTTP error, a delay, broken
JSON. The last tests start llama-cpp-python's own server, and its in-process model, with the
bundled Gemma 3 270M GGUF; they are skipped when llama-cpp-python is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from pipeline.config import Config, ConfigError, DraftConfig
from pipeline.draft import create_drafter, draft_all
from pipeline.draft.llama_cpp import llama_cpp_available
from pipeline.draft.llm import PromptError
from pipeline.draft.openai_compat import RemoteEndpointRefused
from pipeline.embed import create_embedder
from pipeline.ground import ground_drafts
from pipeline.run import run_workshop
from pipeline.schema import Note, Theme

NOTES = {
    "t1a": ("fr", "Former les agents à l'écoute active, contact: marie.dupont@ville.be"),
    "t1b": ("fr", "Des ateliers d'animation de réunions pour les agents, avec Mme Lambert"),
    "t1c": ("nl", "Ambtenaren opleiden in actief luisteren, bel 0470 12 34 56"),
    "t2a": ("fr", "Publier le suivi de chaque proposition citoyenne"),
    "t2b": ("en", "Tell participants what happened to their ideas"),
}


def _notes() -> list[Note]:
    return [
        Note(id=i, text=t, original_text=t, source="s.csv", location=f"row {k}", lang=lang)
        for k, (i, (lang, t)) in enumerate(NOTES.items())
    ]


def _themes() -> list[Theme]:
    return [
        Theme(
            id="T01",
            label="formation",
            note_ids=["t1a", "t1b", "t1c"],
            size=3,
            languages={"fr": 2, "nl": 1},
            keyphrases=["agent", "écoute"],
            representative_ids=["t1a", "t1b"],
        ),
        Theme(
            id="T02",
            label="suivi",
            note_ids=["t2a", "t2b"],
            size=2,
            languages={"fr": 1, "en": 1},
            keyphrases=["suivi"],
            representative_ids=["t2a"],
        ),
    ]


GOOD = {
    "title": "Former les agents à l'écoute",
    "challenge": "Comment pourrions-nous former les agents à l'écoute active des citoyens ?",
    "proposal": "Les notes proposent des ateliers d'animation de réunions pour les agents. "
    "Elles demandent aussi une formation à l'écoute active.",
    "cited_ids": ["n1", "n2"],
}
ENGLISH = {
    "title": "Training staff to listen",
    "challenge": "How might we train public staff to listen actively to citizens?",
    "proposal": "The notes propose facilitation workshops for staff and training in active "
    "listening for everyone who meets the public.",
    "cited_ids": ["n1"],
}


def completion(content: str, tokens_in: int = 120, tokens_out: int = 40) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out},
    }


class ScriptedServer:
    """A real HTTP server on 127.0.0.1 speaking the chat-completions wire format.

    ``script`` is a list of replies, used in order (the last one repeats): a dict is sent as
    the answer's JSON content; ``("status", 500)`` an HTTP error; ``("sleep", s, reply)``
    waits, then replies; ``("raw", text)`` sends ``text`` as the answer's content.
    """

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    server.requests.append({"path": self.path, "body": body})
                    server.times.append(time.monotonic())
                    reply = server.script.pop(0) if len(server.script) > 1 else server.script[0]
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._reply(reply)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _reply(self, reply: Any) -> None:
                if isinstance(reply, tuple) and reply[0] == "sleep":
                    time.sleep(reply[1])
                    reply = reply[2]
                if isinstance(reply, tuple) and reply[0] == "status":
                    self._send(reply[1], {"error": {"message": "scripted failure"}})
                elif isinstance(reply, tuple) and reply[0] == "raw":
                    self._send(200, completion(reply[1]))
                else:
                    self._send(200, completion(json.dumps(reply, ensure_ascii=False)))

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def prompt(self, i: int = 0) -> str:
        return "\n".join(m["content"] for m in self.requests[i]["body"]["messages"])


def _config(url: str, **overrides: Any) -> DraftConfig:
    settings: dict[str, Any] = {
        "drafter": "openai",
        "base_url": url,
        "model": "scripted",
        "retries": 1,
        "backoff_seconds": 0.05,
        "timeout_seconds": 5,
        "concurrency": 1,
    }
    return DraftConfig(**{**settings, **overrides})


def _draft_first(url: str, **overrides: Any):
    drafts, stats = draft_all(_themes()[:1], _notes(), "fr", _config(url, **overrides))
    return drafts[0], stats


def test_a_valid_answer_becomes_a_draft_citing_theme_notes():
    with ScriptedServer([GOOD]) as server:
        draft, stats = _draft_first(server.url)
    assert draft.drafter == "openai" and draft.fallback is None and draft.language == "fr"
    assert draft.challenge.text == GOOD["challenge"]
    assert draft.challenge.cites == ["t1a", "t1b"]  # aliases mapped back to note ids
    assert len(draft.proposal) == 2
    assert (stats.calls, stats.retries, stats.fallbacks) == (1, 0, 0)
    assert (stats.tokens_in, stats.tokens_out, stats.drafts) == (120, 40, 1)
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    schema = request["body"]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["cited_ids"]["items"]["enum"] == ["n1", "n2", "n3"]


def test_personal_data_never_reaches_the_server_and_is_restored_locally():
    answer = {
        **GOOD,
        "proposal": "Les notes proposent des ateliers avec [PERSON_1] pour les "
        "agents, qui apprennent à écouter les citoyens.",
    }
    with ScriptedServer([answer]) as server:
        draft, _ = _draft_first(server.url)
    sent = server.prompt()
    for secret in ("marie.dupont@ville.be", "Lambert", "0470 12 34 56"):
        assert secret not in sent
    assert "[EMAIL_1]" in sent and "[PERSON_1]" in sent and "[PHONE_1]" in sent
    assert "Lambert" in draft.proposal[0].text and "[PERSON_1]" not in draft.proposal[0].text


def test_http_500_is_retried_with_back_off_then_succeeds():
    with ScriptedServer([("status", 500), GOOD]) as server:
        draft, stats = _draft_first(server.url, backoff_seconds=0.3)
    assert draft.drafter == "openai" and draft.fallback is None
    assert (stats.calls, stats.retries, stats.fallbacks) == (2, 1, 0)
    assert stats.failures == {"http 500": 1}
    assert server.times[1] - server.times[0] >= 0.3


def test_a_timeout_falls_back_to_the_composed_draft_with_a_visible_flag():
    with ScriptedServer([("sleep", 2.0, GOOD)]) as server:
        draft, stats = _draft_first(server.url, timeout_seconds=0.3, retries=0)
    assert draft.drafter == "compose" and draft.requested_drafter == "openai"
    assert draft.fallback and draft.fallback.startswith("timeout")
    # Flagged in the draft's language (French here).
    assert "la proposition composée" in draft.flags[0] and "timeout" in draft.flags[0]
    assert (stats.calls, stats.fallbacks, stats.failures) == (1, 1, {"timeout": 1})


def test_malformed_json_is_asked_again_with_the_reason():
    with ScriptedServer([("raw", '{"title": "Former", "challenge": '), GOOD]) as server:
        draft, stats = _draft_first(server.url)
    assert draft.fallback is None and stats.failures == {"json": 1} and stats.retries == 1
    second = server.requests[1]["body"]["messages"]
    assert second[-2]["role"] == "assistant" and second[-1]["role"] == "user"
    assert "not valid JSON" in second[-1]["content"]


def test_an_answer_in_the_wrong_language_is_rejected():
    with ScriptedServer([ENGLISH]) as server:
        draft, stats = _draft_first(server.url)
    assert draft.drafter == "compose" and draft.fallback.startswith("language")
    assert stats.failures == {"language": 2} and stats.calls == 2 and len(server.requests) == 2


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ({**GOOD, "title": GOOD["challenge"]}, "title"),
        ({**GOOD, "title": "Comment pourrions-nous former les agents"}, "title"),
        (
            {
                **GOOD,
                "proposal": "Former les agents à l'écoute active. Former les agents à l'écoute "
                "active.",
            },
            "repeat",
        ),
        (
            {
                **GOOD,
                "proposal": "Les notes proposent des ateliers d'animation pour les agents. "
                "Ambtenaren moeten leren actief luisteren naar alle burgers.",
            },
            "language",
        ),
        ({**GOOD, "cited_ids": ["n1", "n2", "n3"]}, "cites"),
    ],
    ids=["title-is-question", "title-is-stem", "repeated", "dutch-sentence", "cites-all"],
)
def test_answers_nobody_could_hand_out_are_rejected_and_fall_back(answer, kind):
    with ScriptedServer([answer]) as server:
        draft, stats = _draft_first(server.url, retries=0)
    assert stats.failures == {kind: 1}
    assert draft.drafter == "compose" and draft.fallback.startswith(kind)
    assert draft.challenge.text.startswith("Comment pourrions-nous")


def test_citing_notes_outside_the_theme_is_rejected_and_every_cited_id_is_valid():
    outside = {**GOOD, "cited_ids": ["n1", "t2a"]}  # a real note, but of the other theme
    with ScriptedServer([outside]) as server:
        drafts, stats = draft_all(_themes(), _notes(), "fr", _config(server.url))
    assert stats.failures.get("cites", 0) >= 2
    first = drafts[0]
    assert first.fallback is not None and "not in theme T01: t2a" in first.fallback
    for draft, theme in zip(drafts, _themes(), strict=True):
        assert draft.cited_ids() <= set(theme.note_ids)


def test_an_invented_number_and_name_pass_validation_but_grounding_flags_them():
    invented = {
        **GOOD,
        "proposal": "Les notes proposent de former 250 agents avec le cabinet Deloitte.",
    }
    with ScriptedServer([invented]) as server:
        drafts, _ = draft_all(_themes()[:1], _notes(), "fr", _config(server.url))
    assert drafts[0].fallback is None
    embed = create_embedder("use-m3").embed
    grounded = ground_drafts(drafts, _themes(), _notes(), {}, embed, 0.3)[0]
    assert set(grounded.proposal[0].unverified) == {"250", "Deloitte"}
    assert grounded.grounded is False
    assert any("250" in f and "Deloitte" in f for f in grounded.flags)


def test_concurrency_and_rate_limits_hold():
    themes = [t.model_copy(update={"id": f"T{i}"}) for i in range(4) for t in _themes()[:1]]
    with ScriptedServer([("sleep", 0.4, GOOD)]) as server:
        drafts, stats = draft_all(themes, _notes(), "fr", _config(server.url, concurrency=2))
    assert server.max_in_flight == 2 and stats.calls == 4 and not stats.fallbacks
    assert [d.theme_id for d in drafts] == ["T0", "T1", "T2", "T3"]
    with ScriptedServer([GOOD]) as server:
        draft_all(
            themes, _notes(), "fr", _config(server.url, concurrency=4, requests_per_minute=300)
        )
    # 300 a minute: one every 0.2 s. The server sees arrivals, which a loaded machine can
    # delay by some milliseconds each (0.167 s once); unlimited, all four arrive at once.
    gaps = [b - a for a, b in zip(server.times, server.times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.1
    assert server.times[-1] - server.times[0] >= 0.5


def test_a_users_own_prompt_files_are_used(tmp_path):
    (tmp_path / "fr.txt").write_text(
        "[system]\nConsigne maison.\n[user]\nNotes ($n_notes) :\n$notes\nRéponse en JSON.\n",
        encoding="utf-8",
    )
    with ScriptedServer([GOOD]) as server:
        _draft_first(server.url, prompts_dir=tmp_path)
    assert server.requests[0]["body"]["messages"][0]["content"] == "Consigne maison."
    assert "Notes (3) :" in server.prompt()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[user]\nRien.\n", "must contain $notes"),
        ("[user]\n$notes $budget\n", "unknown placeholder $budget"),
    ],
)
def test_a_broken_prompt_file_is_one_line_naming_it(tmp_path, text, problem):
    (tmp_path / "fr.txt").write_text(text, encoding="utf-8")
    with ScriptedServer([GOOD]) as server, pytest.raises(PromptError) as info:
        _draft_first(server.url, prompts_dir=tmp_path)
    message = str(info.value)
    assert str(tmp_path / "fr.txt") in message and problem in message and "\n" not in message
    assert server.requests == []  # refused before any call


def _lan_address() -> str | None:
    """This machine's address on a network interface (not loopback), if it has one."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # UDP: picks a route, sends nothing
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_a_remote_endpoint_is_refused_before_any_connection():
    # A name that would fail DNS still gets the refusal: no lookup is even tried.
    with pytest.raises(RemoteEndpointRefused) as info:
        create_drafter(_config("https://llm.example.invalid/v1"))
    assert "allow_remote" in str(info.value) and "\n" not in str(info.value)

    address = _lan_address()
    if address is None:
        pytest.skip("no non-loopback network address to listen on")
    listener = socket.socket()
    listener.bind(("0.0.0.0", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    url = f"http://{address}:{listener.getsockname()[1]}/v1"
    try:
        with pytest.raises(RemoteEndpointRefused):
            draft_all(_themes()[:1], _notes(), "fr", _config(url))
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody knocked
        # The same listener does see the drafter when remote endpoints are allowed.
        drafter = create_drafter(_config(url, allow_remote=True, retries=0, timeout_seconds=2))
        by_id = {n.id: n for n in _notes()}
        worker = threading.Thread(target=drafter.draft, args=(_themes()[0], by_id, "fr"))
        worker.start()
        listener.settimeout(5)
        connection, _ = listener.accept()
        connection.close()
        worker.join(timeout=10)
    finally:
        listener.close()


def test_a_run_refuses_a_remote_endpoint_before_reading_anything(tmp_path):
    config = Config(draft=_config("https://api.example.com/v1"))
    with pytest.raises(RemoteEndpointRefused):
        run_workshop(tmp_path / "no-such-folder", config, tmp_path / "runs")
    assert not (tmp_path / "runs").exists()


def test_missing_endpoint_or_model_is_a_config_error():
    with pytest.raises(ConfigError, match="base_url"):
        create_drafter(DraftConfig(drafter="openai"))
    with pytest.raises(ConfigError, match="needs a model"):
        create_drafter(DraftConfig(drafter="openai", base_url="http://127.0.0.1:1/v1"))


# --- llama-cpp-python: its own server and the in-process backend ---------------------------

needs_llama = pytest.mark.skipif(
    not llama_cpp_available(),
    reason='llama-cpp-python is not installed (pip install -e ".[llm]"; it compiles)',
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server() -> Iterator[str]:
    from pipeline.draft.llama_cpp import bundled_model_path

    try:
        model = bundled_model_path()
    except ConfigError as exc:
        pytest.skip(str(exc))
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.draft.llama_runtime",  # llama-cpp-python's server, AMX-safe
            "--model",
            str(model),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "2048",
            "--seed",
            "42",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_PROXY": "*"},
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url + "/models", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("llama-cpp-python's server did not start")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _check_real_model_draft(draft: Any, stats: Any, name: str) -> None:
    theme = _themes()[0]
    assert draft.cited_ids() <= set(theme.note_ids)
    assert stats.calls == 1 and stats.tokens_in > 0 and stats.tokens_out > 0
    if draft.fallback is None:
        assert draft.drafter == name and draft.language == "fr"
    else:  # the 270M demo model usually fails validation: that must be visible
        assert draft.drafter == "compose" and draft.requested_drafter == name
        assert stats.fallbacks == 1 and sum(stats.failures.values()) == 1
        assert name in draft.flags[0]


@needs_llama
@pytest.mark.slow
def test_openai_backend_against_llama_cpp_pythons_own_server(llama_server):
    config = _config(
        llama_server,
        model="gemma",
        response_format="json_object",
        retries=0,
        max_tokens=160,
        timeout_seconds=120,
    )
    drafts, stats = draft_all(_themes()[:1], _notes(), "fr", config)
    _check_real_model_draft(drafts[0], stats, "openai")


IN_PROCESS_DRAFT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from tests.test_draft_llm import _notes, _themes
from pipeline.config import DraftConfig
from pipeline.draft import create_drafter
drafter = create_drafter(DraftConfig(drafter="llama-cpp", retries=0, max_tokens=160))
drafts = drafter.draft_all(_themes()[:1], {n.id: n for n in _notes()}, "fr")
stats = drafter.stats
llama = drafter.client._llama
print(json.dumps({
    "draft": drafts[0].model_dump(mode="json"),
    "stats": stats.model_dump(mode="json"),
    "use_extra_bufts": bool(llama.model_params.use_extra_bufts),
}))
"""


@needs_llama
@pytest.mark.slow
def test_llama_cpp_backend_drafts_in_process_without_extra_buffers(tmp_path):
    """The model loads with ``use_extra_bufts`` off and decodes. Run in a child process: on
    a CPU with AMX the unsafe setting is a segmentation fault, which must fail this test
    rather than end the whole test run."""
    from pipeline.draft.llama_cpp import bundled_model_path
    from pipeline.schema import Draft, DraftingStats

    try:
        bundled_model_path()
    except ConfigError as exc:
        pytest.skip(str(exc))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    child = subprocess.run(
        [sys.executable, "-c", IN_PROCESS_DRAFT, root],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "IDEASYNTH_LLAMA_EXTRA_BUFFERS": ""},
    )
    assert child.returncode == 0, f"exit {child.returncode}: {child.stderr[-2000:]}"
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["use_extra_bufts"] is False
    draft = Draft.model_validate(result["draft"])
    stats = DraftingStats.model_validate(result["stats"])
    _check_real_model_draft(draft, stats, "llama-cpp")


@needs_llama
def test_models_load_without_extra_buffer_types_unless_asked(monkeypatch):
    import llama_cpp.llama_cpp as low_level

    from pipeline.draft.llama_runtime import disable_extra_buffers

    original = low_level.llama_model_default_params
    try:
        monkeypatch.setenv("IDEASYNTH_LLAMA_EXTRA_BUFFERS", "1")
        assert disable_extra_buffers() is False
        assert low_level.llama_model_default_params().use_extra_bufts is True
        monkeypatch.delenv("IDEASYNTH_LLAMA_EXTRA_BUFFERS")
        assert disable_extra_buffers() is True
        assert low_level.llama_model_default_params().use_extra_bufts is False
        assert disable_extra_buffers() is True  # once per process: not wrapped twice
        assert low_level.llama_model_default_params.__wrapped_original__ is original  # type: ignore[attr-defined]
    finally:
        low_level.llama_model_default_params = original


def test_llama_cpp_refuses_a_file_that_is_not_gguf(tmp_path):
    if not llama_cpp_available():
        with pytest.raises(ConfigError, match="llama-cpp-python"):
            create_drafter(DraftConfig(drafter="llama-cpp"))
        return
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(ConfigError, match="not a GGUF model file"):
        create_drafter(DraftConfig(drafter="llama-cpp", model_path=fake))
    with pytest.raises(ConfigError, match="not found"):
        create_drafter(DraftConfig(drafter=f"llama-cpp:{tmp_path / 'missing.gguf'}"))
