"""Views and API modules reach case data only through the access functions (cases.access).

A view or API module that queries a case-scoped model (``.objects``, ``.history``, a manager)
or builds one itself bypasses the one door (authorisation + audit) and fails this test. Naming
a model is allowed: ``access_case_record(user, case_id, Person, person_id, ...)`` asks the door
for a record of that kind.

The list of case-scoped models is derived, not written down: the case itself, every model built
on ``CaseRecord`` and every other model with a link to a case. A new kind of record is covered
the day it is added. The audit log is protected the same way (only the auditor's selectors read
it).
"""

import ast
from pathlib import Path

from django.apps import apps

import kindveilig
from kindveilig.cases.models import Case, CaseRecord

PACKAGE = Path(kindveilig.__file__).parent
FORBIDDEN_ATTRIBUTES = {"objects", "history", "_default_manager", "_base_manager"}
ALSO_PROTECTED = {"AuditEvent"}


def case_scoped_models() -> set[type]:
    found = {Case}
    for model in apps.get_models():
        if issubclass(model, CaseRecord) or any(
            getattr(field, "related_model", None) is Case and not field.auto_created
            for field in model._meta.get_fields()
        ):
            found.add(model)
    return found


def protected_names() -> set[str]:
    return {model.__name__ for model in case_scoped_models()} | ALSO_PROTECTED


def entry_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        # views.py and api.py, or any module of a views/ or api/ package (an app split by part)
        if (path.name in {"views.py", "api.py"} or path.parent.name in {"views", "api"})
        and "tests" not in path.parts
    )


def violations(path: Path, protected: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in FORBIDDEN_ATTRIBUTES
            and isinstance(node.value, ast.Name)
            and node.value.id in protected
        ):
            found.append(f"queries {node.value.id}.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in protected
        ):
            found.append(f"builds {node.func.id}")
    return found


def test_case_scoped_models_are_derived_from_the_base_and_the_case_link() -> None:
    names = protected_names()
    assert {"Case", "Person", "CaseMember", "ChildMaltreatmentForm", "Draft"} <= names
    assert "BreakGlassAccess" in names  # no CaseRecord, but linked to a case
    assert "HistoricalPerson" in names  # history rows are case data too
    assert "User" not in names and "Organisation" not in names


def test_there_are_entry_modules_to_check() -> None:
    names = {path.parent.name for path in entry_modules()}
    assert {"cases", "api", "oversight", "accounts", "knowledge"} <= names


def test_views_and_api_use_the_access_functions_only() -> None:
    protected = protected_names()
    problems = {
        str(path.relative_to(PACKAGE)): violations(path, protected) for path in entry_modules()
    }
    assert {module: found for module, found in problems.items() if found} == {}


def test_the_check_catches_a_direct_query_and_a_hand_built_record(tmp_path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text(
        "from kindveilig.cases.models import Case, Person\n"
        "def view(request, pk):\n"
        "    Person(case_id=pk).save()\n"
        "    return Case.objects.get(pk=pk)\n"
    )
    assert violations(bad, protected_names()) == ["builds Person", "queries Case.objects"]
