"""Crash safety with real processes killed by SIGKILL: the embedding cache stays whole, and a
batch killed midway then started again ends with the outputs of an uninterrupted batch,
nothing duplicated or lost."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from flows.batch import synthesize_many
from pipeline.embed.cache import EmbeddingCache
from tests.conftest import REPO
from tests.test_batch import texts, write_workshop

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import numpy as np
    from pipeline.embed.cache import EmbeddingCache

    cache = EmbeddingCache(Path(sys.argv[1]))
    batch = 0
    while True:  # until killed: batches of 200 vectors, each derived from its key
        items = []
        for i in range(200):
            key = f"k{batch}-{i}"
            seed = batch * 1000 + i
            items.append((key, np.random.default_rng(seed).random(64, dtype=np.float32)))
        cache.put_many(items)
        batch += 1
    """
)


def test_embedding_cache_survives_sigkill_mid_write(tmp_path: Path):
    folder = tmp_path / "cache"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(folder)], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(0.3)
            if (folder / "embeddings.sqlite").exists() and len(EmbeddingCache(folder)) >= 2000:
                break
        os.kill(proc.pid, signal.SIGKILL)  # while it keeps writing
    finally:
        proc.kill()
        proc.wait()
    with sqlite3.connect(folder / "embeddings.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = [row[0] for row in db.execute("SELECT key FROM vectors")]
    assert len(keys) >= 2000
    batches: dict[int, int] = {}
    for key in keys:
        batch = int(key[1:].split("-")[0])
        batches[batch] = batches.get(batch, 0) + 1
    assert set(batches.values()) == {200}, "a batch is written whole or not at all"
    assert sorted(batches) == list(range(len(batches))), "no committed batch is lost"
    cache = EmbeddingCache(folder)
    found = cache.get_many(keys)
    for key in keys[:: max(1, len(keys) // 50)]:
        batch, i = (int(part) for part in key[1:].split("-"))
        expected = np.random.default_rng(batch * 1000 + i).random(64, dtype=np.float32)
        np.testing.assert_array_equal(found[key], expected)
    cache.put_many([("after", np.ones(64, dtype=np.float32))])  # still writable
    assert len(cache) == len(keys) + 1


VOLATILE_MANIFEST = ("run_id", "created", "timings", "packages")


def _without_timings(value: object) -> object:
    """Seconds measured anywhere in a manifest (steps, clustering stages) vary run to run."""
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "timings"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def _normalised_text(path: Path, run_id: str) -> str:
    text = path.read_text(encoding="utf-8").replace(run_id, "RUN")
    text = re.sub(r"(&#34;|\")timings(&#34;|\"): \{[^}]*\}", "TIMINGS", text)
    text = re.sub(
        r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?(\s*\(UTC[^)]*\)|[+-]\d\d:\d\d)?", "T", text
    )
    return re.sub(r"\d+[.,]\d+\s?s\b", "N s", text)  # "0.11 s", "0,11 s"


def run_contents(run_dir: Path) -> dict[str, object]:
    """Everything a run folder holds, less what names or times the run itself."""
    contents: dict[str, object] = {}
    for path in sorted(run_dir.iterdir()):
        if path.suffix == ".parquet":
            contents[path.name] = pq.read_table(path).to_pylist()
        elif path.name == "manifest.json":
            manifest = json.loads(path.read_text(encoding="utf-8"))
            kept = {k: v for k, v in manifest.items() if k not in VOLATILE_MANIFEST}
            contents[path.name] = _without_timings(kept)
        else:
            contents[path.name] = _normalised_text(path, run_dir.name)
    return contents


def batch_contents(out: Path) -> dict[str, object]:
    contents: dict[str, object] = {}
    for workshop in sorted(p for p in out.iterdir() if p.is_dir()):
        runs = sorted(p for p in workshop.iterdir() if p.is_dir())
        contents[workshop.name] = [run_contents(r) for r in runs]
    saved = (out / "recurring.json").read_text(encoding="utf-8").replace(str(out), "OUT")
    summary = json.loads(re.sub(r"/\d{8}T\d{6}Z(-\d+)?", "/RUN", saved))
    contents["recurring"] = summary["recurring"]
    contents["outcomes"] = [(o["workshop"], o["reason"]) for o in summary["outcomes"]]
    return contents


def paired_texts() -> list[str]:
    """About 260 notes, each two notes of one topic joined: new to every cache, so the
    workshop takes seconds where a 12-note one, its texts all cached, takes 0.2 s."""
    notes = texts(0, 12)
    half = len(notes) // 2  # the feedback notes, then the AI notes
    return [
        f"{a.rstrip('.')} — {b[:1].lower()}{b[1:]}"
        for group in (notes[:half], notes[half:])
        for a in group
        for b in group
        if a != b
    ]


def test_batch_killed_midway_resumes_to_the_same_outputs(tmp_path: Path):
    root = tmp_path / "root"
    write_workshop(root / "atelier-0", texts(0, 12))
    write_workshop(root / "atelier-1", paired_texts())  # long enough to be killed in
    write_workshop(root / "atelier-2", texts(3, 12))
    (root / "atelier-x").mkdir()
    (root / "atelier-x" / "notes.txt").write_bytes(b"")  # fails, listed each time

    killed_out = tmp_path / "killed"
    command = [str(Path(sys.executable).with_name("ideasynth")), "batch", str(root)]
    proc = subprocess.Popen(
        [*command, "--out", str(killed_out)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: Prefect's server is killed with it
    )
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None:
            if (killed_out / "atelier-0").is_dir():
                break  # the first workshop is done; the second is under way
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (killed_out / "recurring.json").exists()
    for workshop in ("atelier-1", "atelier-2"):  # nothing half-written in place
        assert not (killed_out / workshop).exists() or not any((killed_out / workshop).iterdir())

    resumed = {o.workshop: o.status for o in synthesize_many(root, killed_out).outcomes}
    assert resumed == {
        "atelier-0": "skipped",
        "atelier-1": "completed",
        "atelier-2": "completed",
        "atelier-x": "failed",
    }
    assert not (killed_out / ".staging").exists()
    uninterrupted = tmp_path / "uninterrupted"
    synthesize_many(root, uninterrupted)
    assert batch_contents(killed_out) == batch_contents(uninterrupted)
