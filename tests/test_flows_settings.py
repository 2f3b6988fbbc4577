"""Prefect settings that ``flows`` sets for every run started through it."""

from __future__ import annotations

import os
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
