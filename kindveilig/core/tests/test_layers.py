"""The apps form one order of layers; every import between them points down.

The graph is computed from the source (test code and migrations aside): which ``kindveilig``
app imports which. It must have no cycle, ``core`` must import no app, and every edge must
follow the order written in ARCHITECTURE.md (``LAYERS``). A new app must be given its place
here before it can import anything.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

import kindveilig

PACKAGE = Path(kindveilig.__file__).parent

# Bottom first. An app may import the apps before it in this list, never one after it.
LAYERS = [
    "core",
    "knowledge",
    "method",
    "audit",
    "accounts",
    "cases",
    # The method's stages come here, in this order, as they are built:
    "investigation",
    "assessment",
    "plans",
    "followup",
    "approvals",
    "oversight",
    "api",
    "demo",
]


def app_modules() -> Iterable[tuple[str, Path]]:
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        yield parts[0], path


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            # "from kindveilig import cases" imports the app itself.
            if node.module == "kindveilig":
                names.extend(f"kindveilig.{alias.name}" for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("kindveilig.")}


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for app, path in app_modules():
        graph.setdefault(app, set()).update(imported_apps(path) - {app})
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph as a path (first node repeated at the end), or []."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    rank = {app: index for index, app in enumerate(LAYERS)}
    return sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        if source not in rank or target not in rank or rank[target] >= rank[source]
    )


def test_the_graph_sees_the_apps_and_their_imports() -> None:
    graph = import_graph()
    assert {"core", "audit", "accounts", "cases", "api", "demo", "method"} <= set(graph)
    assert "cases" in graph["api"] and "audit" in graph["cases"]


def test_core_imports_no_app() -> None:
    assert import_graph()["core"] == set()


def test_the_apps_import_each_other_without_a_cycle() -> None:
    assert find_cycle(import_graph()) == []


def test_every_import_points_down_the_layers() -> None:
    assert upward_imports(import_graph()) == []


def test_every_app_has_its_place_in_the_layers() -> None:
    apps = {path.relative_to(PACKAGE).parts[0] for path in PACKAGE.glob("*/__init__.py")}
    assert apps <= set(LAYERS)


def test_the_checks_catch_a_cycle_and_an_upward_import() -> None:
    graph = {"core": {"cases"}, "cases": {"audit"}, "audit": {"cases"}}
    assert find_cycle(graph) == ["audit", "cases", "audit"]
    assert upward_imports(graph) == ["audit imports cases", "core imports cases"]
