"""The nightly deployment: registered with a real (temporary, local) Prefect API, its cron
schedule and parameters read back from it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from prefect.client.orchestration import get_client

from flows.nightly import main, nightly_deployment


def test_the_nightly_deployment_is_stored_with_its_cron_schedule(tmp_path: Path):
    root = tmp_path / "workshops"
    root.mkdir()
    deployment = nightly_deployment(root, tmp_path / "runs", "30 1 * * *", concurrency=2)
    deployment_id = deployment.apply()

    async def read_back():  # type: ignore[no-untyped-def]
        async with get_client() as client:
            return await client.read_deployment(deployment_id)

    stored = asyncio.run(read_back())
    assert stored.name == "ideasynth-nightly"
    assert stored.entrypoint == "flows/batch.py:synthesize_many"
    assert [s.schedule.cron for s in stored.schedules] == ["30 1 * * *"]
    assert stored.parameters["root"] == str(root.resolve())
    assert stored.parameters["concurrency"] == 2


def test_serving_a_missing_folder_is_one_line(tmp_path: Path, capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "missing")])
    assert exit_info.value.code == 2
    assert "missing: not a folder" in capsys.readouterr().err
