"""Group note embeddings into themes; noise stays "unassigned", never dropped.

``create_clusterer(config)`` builds the backend named by ``config.method``.
"""

from __future__ import annotations

# Importing the backends registers them.
from pipeline.cluster import umap_hdbscan as _umap_hdbscan  # noqa: F401
from pipeline.cluster.base import Clusterer, clusterers, create_clusterer
from pipeline.cluster.language import centre_by_language

__all__ = ["Clusterer", "centre_by_language", "clusterers", "create_clusterer"]
