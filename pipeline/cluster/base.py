"""The Clusterer protocol and its registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from pipeline.config import ClusterConfig
from pipeline.registry import UnknownBackendError
from pipeline.schema import Assignment


class Clusterer(Protocol):
    """Assigns each embedding row to a cluster index (0..k-1, by decreasing size) or -1.

    ``langs`` gives each row's language so a backend can remove language bias.
    Same inputs and config → same output (seeded).
    """

    def fit(self, embeddings: np.ndarray, langs: Sequence[str]) -> Assignment: ...


ClustererFactory = Callable[[ClusterConfig], Clusterer]
clusterers: dict[str, ClustererFactory] = {}


def register(name: str) -> Callable[[ClustererFactory], ClustererFactory]:
    def decorator(factory: ClustererFactory) -> ClustererFactory:
        clusterers[name] = factory
        return factory

    return decorator


def create_clusterer(config: ClusterConfig) -> Clusterer:
    factory = clusterers.get(config.method)
    if factory is None:
        raise UnknownBackendError(
            f"unknown clustering method {config.method!r}; "
            f"choose one of: {', '.join(sorted(clusterers))}"
        )
    return factory(config)


def relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 0..k-1 by decreasing size (ties by first appearance); -1 stays."""
    ids = [c for c in dict.fromkeys(labels.tolist()) if c != -1]
    order = sorted(ids, key=lambda c: -int((labels == c).sum()))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(c, -1) for c in labels.tolist()], dtype=int)
