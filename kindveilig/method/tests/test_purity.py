"""The method engine stays pure: no Django, no app but the knowledge schema, no clock.

Rules that could read the database or the time would give different answers to the same case
on different days, untestable and unexplainable. This test reads every module of the package.
"""

import ast
import sys
from pathlib import Path

import kindveilig.method

PACKAGE = Path(kindveilig.method.__file__).parent
ALLOWED_KINDVEILIG = ("kindveilig.method", "kindveilig.knowledge.schema")
CLOCK_CALLS = {"now", "today", "utcnow", "time", "monotonic", "perf_counter"}


def engine_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "tests" not in path.parts)


def imported_modules(tree: ast.AST) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for name in imported_modules(tree):
        top = name.split(".")[0]
        if top == "kindveilig":
            if not name.startswith(ALLOWED_KINDVEILIG):
                found.append(f"imports {name}")
        elif top not in sys.stdlib_module_names:
            found.append(f"imports {name} (not the standard library)")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
        ):
            found.append(f"reads the clock ({node.func.attr})")
    return found


def test_the_engine_has_modules_to_check() -> None:
    assert {path.name for path in engine_modules()} >= {"__init__.py", "outcome.py"}


def test_the_engine_imports_nothing_but_the_standard_library_and_the_knowledge_schema() -> None:
    report = {str(path.relative_to(PACKAGE)): problems(path) for path in engine_modules()}
    assert {module: found for module, found in report.items() if found} == {}


def test_the_knowledge_schema_it_may_import_is_pure_too() -> None:
    schema = Path(kindveilig.method.__file__).parent.parent / "knowledge" / "schema.py"
    imports = imported_modules(ast.parse(schema.read_text(encoding="utf-8")))
    assert not [name for name in imports if name.startswith(("django", "kindveilig"))]


def test_the_check_catches_django_another_app_and_the_clock(tmp_path) -> None:
    bad = tmp_path / "rule.py"
    bad.write_text(
        "import datetime\n"
        "from django.utils import timezone\n"
        "from kindveilig.cases.models import Case\n"
        "from kindveilig.knowledge.schema import KnowledgeBase\n"
        "def decide():\n    return datetime.date.today()\n"
    )
    assert problems(bad) == [
        "imports django.utils (not the standard library)",
        "imports kindveilig.cases.models",
        "reads the clock (today)",
    ]
