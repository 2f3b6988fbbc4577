"""UMAP's numba code is compiled once per machine, not once per process."""

from __future__ import annotations

import json
import subprocess
import sys

CLUSTER_AND_COUNT = """
import json
import numpy as np
from pipeline.cluster.umap_hdbscan import UmapHdbscanClusterer
from pipeline.config import ClusterConfig
from umap import layouts

data = np.random.default_rng(0).normal(size=(80, 16)).astype(np.float32)
UmapHdbscanClusterer(ClusterConfig())._umap(data, 2, 10)
stats = layouts._nb_optimize_layout_euclidean_single_epoch.stats
print(json.dumps({"hits": sum(stats.cache_hits.values()),
                  "misses": sum(stats.cache_misses.values())}))
"""


def _in_a_new_process() -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", CLUSTER_AND_COUNT], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_second_process_loads_umaps_compiled_code_instead_of_compiling_it():
    _in_a_new_process()  # compiles, unless an earlier process already did
    second = _in_a_new_process()
    assert second["misses"] == 0
    assert second["hits"] >= 1
