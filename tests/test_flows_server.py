"""Prefect's temporary server, started while the pipeline imports (``flows.server``)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import psutil

from flows.server import EarlyServer, adopt

ROOT = Path(__file__).resolve().parents[1]

EARLY = """
import sys
from flows.server import adopt, launch

early = launch()  # before Prefect is imported, as `ideasynth run` does
print("early pid", early.process.pid)
from prefect import flow, task

@task
def double(x):
    return 2 * x

@flow
def tiny():
    return double(21)

print("adopted", adopt(early))
print("result", tiny())
from prefect.settings import get_current_settings
print("api", get_current_settings().api.url == early.api_url)
print("server code imported here", "prefect.server.api.server" in sys.modules)
"""


def test_the_early_server_runs_the_flow_and_stops_with_the_process(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", EARLY],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "adopted True" in done.stdout
    assert "result 42" in done.stdout
    assert "api True" in done.stdout  # the flow and its task talked to the early server …
    assert "server code imported here False" in done.stdout  # … not to one Prefect started
    assert "Starting temporary server" not in done.stdout + done.stderr
    pid = int(done.stdout.split("early pid ")[1].split()[0])
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(pid).wait(timeout=30)  # it was told to stop when the run's process ended
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_no_early_server_where_prefect_has_one_configured():
    """A fresh process, as the CLI is: in this one Prefect is imported already."""
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:4200/api", "PYTHONPATH": str(ROOT)}
    code = "from flows.server import launch; print('early', launch())"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stdout.strip() == "early None", done.stderr


def test_a_process_that_never_answers_is_stopped_and_prefect_left_as_it_was():
    before = os.environ.get("PREFECT_API_URL")
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        early = EarlyServer(process, port=9)  # nothing answers on the discard port
        assert adopt(early, timeout=1.0) is False
        assert process.wait(timeout=10) == -15  # told to stop (SIGTERM), not left behind
        assert os.environ.get("PREFECT_API_URL") == before
    finally:
        process.kill()
        process.wait()
