"""Name → factory registries for pluggable backends (embedders, clusterers, drafters).

A backend is chosen by a string in config. ``"name"`` or ``"name:argument"``: the part after
the first colon is passed to the factory, so ``sentence-transformers:all-MiniLM-L6-v2`` builds
the sentence-transformers backend for that model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class UnknownBackendError(ValueError):
    pass


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[[str | None], T]] = {}

    def register(
        self, name: str
    ) -> Callable[[Callable[[str | None], T]], Callable[[str | None], T]]:
        def decorator(factory: Callable[[str | None], T]) -> Callable[[str | None], T]:
            self._factories[name] = factory
            return factory

        return decorator

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, spec: str) -> T:
        name, _, argument = spec.partition(":")
        factory = self._factories.get(name)
        if factory is None:
            raise UnknownBackendError(
                f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}"
            )
        return factory(argument or None)
