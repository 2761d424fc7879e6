"""Views and API modules reach case data only through the access functions (cases.access).

A view or API module that imports a case-scoped model, or calls ``.objects`` on one, bypasses
the one door (authorisation + audit) and fails this test.
"""

import ast
from pathlib import Path

import kindveilig

CASE_SCOPED_MODELS = {
    "Case",
    "Person",
    "CaseMember",
    "ChildMaltreatmentForm",
    "Draft",
    "BreakGlassAccess",
    "AuditEvent",
}
PACKAGE = Path(kindveilig.__file__).parent


def entry_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if path.name in {"views.py", "api.py"} and "tests" not in path.parts
    )


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            found += [
                f"imports {alias.name}" for alias in node.names if alias.name in CASE_SCOPED_MODELS
            ]
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "history"}
            and isinstance(node.value, ast.Name)
            and node.value.id in CASE_SCOPED_MODELS
        ):
            found.append(f"queries {node.value.id}.{node.attr}")
    return found


def test_there_are_entry_modules_to_check() -> None:
    names = {path.parent.name for path in entry_modules()}
    assert {"cases", "api", "audit", "accounts", "knowledge"} <= names


def test_views_and_api_use_the_access_functions_only() -> None:
    problems = {str(path.relative_to(PACKAGE)): violations(path) for path in entry_modules()}
    assert {module: found for module, found in problems.items() if found} == {}


def test_the_check_catches_a_direct_query(tmp_path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text(
        "from kindveilig.cases.models import Case\n"
        "def view(request, pk):\n    return Case.objects.get(pk=pk)\n"
    )
    assert violations(bad) == ["imports Case", "queries Case.objects"]
