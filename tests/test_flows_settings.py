"""Prefect settings that ``flows`` sets for every run started through it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

A_FLOW = """
import flows
from prefect import flow, task
from prefect.settings import PREFECT_SERVER_ANALYTICS_ENABLED

@task
def double(x):
    return 2 * x

@flow
def tiny():
    return double(21)

print("analytics", PREFECT_SERVER_ANALYTICS_ENABLED.value())
print("result", tiny())
"""


def test_a_run_works_with_a_new_nested_prefect_home_and_no_telemetry(tmp_path):
    home = tmp_path / "not" / "there" / "yet" / "prefect"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90")
    done = subprocess.run(
        [sys.executable, "-c", A_FLOW],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "analytics False" in done.stdout
    assert "result 42" in done.stdout
    assert any(home.glob("*.db"))  # the temporary server's database lives there


TELEMETRY = """
import threading

import flows
from prefect import flow
from prefect._internal.analytics import is_telemetry_enabled
from prefect.settings import get_current_settings

@flow
def tiny():
    return 42

print("result", tiny())
print("sdk telemetry", is_telemetry_enabled())
print("server analytics", get_current_settings().server.analytics_enabled)
# Prefect starts this thread to send its first usage event (first flow defined, first run).
print("sender", any(t.name == "prefect-analytics" for t in threading.enumerate()))
"""


def _in_a_terminal(code: str, env: dict[str, str], cwd: Path) -> str:
    """Run ``code`` in a fresh Python with stdout and stderr on a pseudo-terminal, as a
    facilitator's shell would, and return all it printed."""
    import pty
    import select

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=cwd,
        close_fds=True,
    )
    os.close(terminal)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([controller], [], [], 180)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_no_telemetry_notice_and_no_usage_data_in_a_terminal(tmp_path):
    """A first run in an interactive terminal, with a Prefect home never used before, is where
    Prefect announces and starts collecting usage data. Nothing from the user's environment
    that would turn it off is kept (no DO_NOT_TRACK, no CI variable, no Prefect setting), and
    the process runs outside the repository, so pyproject.toml's settings do not count."""
    from prefect._internal.analytics.ci_detection import CI_ENV_VARS

    home = tmp_path / "prefect-home"
    dropped = {"DO_NOT_TRACK", *CI_ENV_VARS}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k not in dropped}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90",
        PYTHONPATH=str(ROOT),
    )
    printed = _in_a_terminal(TELEMETRY, env, tmp_path)
    assert "result 42" in printed, printed[-2000:]
    assert "anonymous usage data" not in printed
    assert "telemetry" not in printed.replace("sdk telemetry False", "")
    assert "sdk telemetry False" in printed
    assert "server analytics False" in printed
    assert "sender False" in printed  # no usage event was queued, so none can be sent
    assert not (home / ".sdk_telemetry" / "notice_shown").exists()


def test_a_refused_run_ends_with_its_own_error_line_and_nothing_from_prefect(tmp_path):
    """``--drafter openai`` without an endpoint is refused once Prefect's flow has started; at
    exit Prefect's events worker still held the flow's last event and printed "EventsWorker -
    Still processing items: 1 items remaining...". Only ideasynth's own lines reach the
    console."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PREFECT_", "IDEASYNTH_LLM_", "OPENAI_"))
    }
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="90",
    )
    ideasynth = Path(sys.executable).with_name("ideasynth")
    done = subprocess.run(
        [str(ideasynth), "run", "data/sample", "--drafter", "openai", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    # In the sample workshop's language, French.
    assert "le rédacteur openai a besoin de base_url" in done.stderr
    printed = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    prefect = [
        line
        for line in printed
        if re.match(r"\d\d:\d\d:\d\d\.\d{3} \| ", line)  # Prefect's log format
        or re.search(r"EventsWorker|APILogWorker|prefect\.|Traceback", line)
    ]
    assert prefect == [], printed
    assert len(printed) <= 2, printed  # "starting …" and the error line
