"""The code's layers hold: the contracts in pyproject.toml pass, every package of ``pipeline``
has its floor, and no chain of imports among ``pipeline`` modules comes back to where it
started (function-level imports included: grimp reads them as any other)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("pipeline")


def cycles(modules: Iterable[str], imports_of: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or of one module that
    imports itself (Tarjan's algorithm, iterative: no recursion limit to hit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(sorted(imports_of.get(root, ())))))
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(imports_of.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in imports_of.get(node, ()):
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_and_only_one() -> None:
    imports = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(cycles(imports, imports)) == [["a", "b", "c"], ["e"]]


def test_no_import_cycle_among_pipeline_modules(graph: grimp.ImportGraph) -> None:
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    found = cycles(graph.modules, imports)
    chains = [
        graph.find_shortest_chain(importer=component[0], imported=component[1])
        for component in found
        if len(component) > 1
    ]
    assert found == [], f"import cycles among pipeline modules: {found}; for example {chains}"


def _layers(top: str = "pipeline.cli") -> list[str]:
    """The layers of the contract whose top layer is ``top``: the package's stack, or the
    composing drafter's own stack inside one of its layers."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["type"] == "layers" and c["layers"][0] == top
    ]
    return list(contract["layers"])


def test_every_pipeline_package_has_its_layer(graph: grimp.ImportGraph) -> None:
    """A new module or package of ``pipeline`` is placed in the stack, not left free of it."""
    placed = {
        name.strip().strip("()")
        for layer in _layers()
        for name in layer.replace(":", "|").split("|")
    }
    top_level = {".".join(m.split(".")[:2]) for m in graph.modules if m != "pipeline"}
    assert sorted(top_level - placed) == []


def test_every_module_of_the_composing_drafter_has_its_layer(graph: grimp.ImportGraph) -> None:
    """A new module of the composing drafter is placed in its stack (the drafter, headings
    and questions, forms, clauses and nouns, words), not left free of it."""
    placed = {
        name.strip()
        for layer in _layers("pipeline.draft.compose.drafter")
        for name in layer.split("|")
    }
    package = "pipeline.draft.compose"
    modules = {m for m in graph.modules if m.startswith(package + ".")}
    assert len(placed) > 10
    assert sorted(modules - placed) == []


def test_the_layers_put_the_run_above_the_review_and_both_above_the_steps() -> None:
    """The order the architecture document draws: cli, flows, batch, run, review, report and
    draft, the steps that describe, then those that read and group notes, config at the
    bottom."""
    order = [name.strip() for layer in _layers() for name in layer.split("|")]
    floor = {
        part.strip().strip("()"): i
        for i, layer in enumerate(_layers())
        for part in layer.replace(":", "|").split("|")
    }
    assert order[:3] == ["pipeline.cli", "flows", "pipeline.batch"]
    assert floor["pipeline.batch"] < floor["pipeline.run"] < floor["pipeline.review"]
    assert floor["pipeline.review"] < floor["pipeline.report"] == floor["pipeline.draft"]
    assert floor["pipeline.draft"] < floor["pipeline.ground"] == floor["pipeline.describe"]
    assert floor["pipeline.describe"] < floor["pipeline.cluster"] == floor["pipeline.prepare"]
    assert floor["pipeline.prepare"] < floor["pipeline.embed"] < floor["pipeline.config"]
    assert floor["pipeline.config"] == floor["pipeline.schema"] == len(_layers()) - 1


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contracts_are_kept() -> None:
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout
