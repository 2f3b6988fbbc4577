"""The batch flow on a real Dask cluster, reached by its TCP address as ``--dask tcp://…`` is.

The cluster has two workers with one thread each. They live in this test's process
(``processes=False``) so that they reuse the models the suite has already loaded; the scheduler
and the transport are the real ones. ``--dask local`` (worker processes) was run by hand: see
docs/batch.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.batch import synthesize_many
from tests.test_batch import texts, write_workshop

distributed = pytest.importorskip("distributed")
pytest.importorskip("prefect_dask")


def test_batch_runs_its_workshops_on_a_dask_cluster(tmp_path: Path):
    root = tmp_path / "root"
    write_workshop(root / "werkstatt-1", texts(0, 9))
    write_workshop(root / "werkstatt-2", texts(3, 12))
    (root / "werkstatt-kaputt").mkdir()
    (root / "werkstatt-kaputt" / "notes.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        assert str(cluster.scheduler_address).startswith("tcp://127.0.0.1:")
        summary = synthesize_many(root, out, dask=cluster.scheduler_address)
        executed = sum(w.state.executed_count for w in cluster.workers.values())
    status = {o.workshop: o for o in summary.outcomes}
    assert status["werkstatt-1"].status == "completed"
    assert status["werkstatt-2"].status == "completed"
    assert status["werkstatt-kaputt"].status == "failed"
    assert "notes.json" in (status["werkstatt-kaputt"].reason or "")
    assert executed >= 3  # every workshop task ran on the cluster's workers
    for name in ("werkstatt-1", "werkstatt-2"):
        (run,) = (out / name).iterdir()
        assert json.loads((run / "manifest.json").read_text())["counts"]["ideas"] > 0
    assert (out / "recurring.html").is_file()
