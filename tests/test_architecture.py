"""Dependency direction: the core never imports HTTP."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "efa_registry"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_does_not_import_litestar_or_api():
    offenders = {
        str(path.relative_to(CORE.parent)): sorted(m for m in imported_modules(path)
                                                   if m.split(".")[0] in {"litestar", "api"})
        for path in CORE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
