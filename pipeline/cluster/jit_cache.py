"""Keep UMAP's compiled numba code on disk, so only the first process on a machine compiles it.

UMAP's numba functions compile the first time each process calls them: about 11 s on a 2-core
machine, longer than clustering a 500-note workshop takes and paid again by every
``ideasynth run``. UMAP does not ask numba to cache them (pynndescent does for some), so
``cache_umap_compilation`` turns numba's own on-disk cache on for every numba function of umap
and pynndescent before their first call. Numba keys each entry on the function's source file
(modification time and size), its signature and the CPU, so an upgraded umap compiles afresh;
where the package folder is read-only numba writes to its user-wide cache folder instead.
Measured on the sample's 391 notes: the first clustering in a process took 13.0 s, and 1.0 s
once another process had compiled it.
"""

from __future__ import annotations

import sys
import threading

PACKAGES = ("umap", "pynndescent")

_done = False
_lock = threading.Lock()


def cache_umap_compilation() -> int:
    """Turn the disk cache on for the numba functions of ``PACKAGES``; returns how many were
    turned on (0 on later calls: once per process is enough)."""
    global _done
    with _lock:
        if _done:
            return 0
        import umap  # noqa: F401  (imports its submodules and pynndescent)
        from numba.core.caching import NullCache
        from numba.core.registry import CPUDispatcher

        turned_on = 0
        modules = [
            module
            for name, module in list(sys.modules.items())
            if name.split(".")[0] in PACKAGES and module is not None
        ]
        for module in modules:
            for value in list(vars(module).values()):
                # ``_cache`` is numba's own record of whether a function caches (NullCache:
                # not); ``enable_caching`` is what ``@njit(cache=True)`` calls.
                if isinstance(value, CPUDispatcher) and isinstance(
                    getattr(value, "_cache", None), NullCache
                ):
                    value.enable_caching()
                    turned_on += 1
        _done = True
        return turned_on
