"""The package's dependency order: site → publications → reports engine, never backwards (no import cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "observatorio"

# each package, and the packages of this project it must never import (at module level or inside a function)
FORBIDDEN = {
    "reports": ("publications", "profiles", "campaigns", "site"),
    "publications": ("site", "profiles", "campaigns"),
}


def imported(path: Path) -> set[str]:
    """The observatorio modules `path` imports, as dotted names relative to the package (`publications.model`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = path.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1]  # `reports/render.py` and `reports/__init__.py` are both in `reports`
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.removeprefix("observatorio.") for a in node.names if a.name.startswith("observatorio.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif (node.module or "").startswith("observatorio"):
                module = node.module.removeprefix("observatorio").lstrip(".")
            else:
                continue
            found |= {f"{module}.{a.name}".strip(".") for a in node.names} | {module}
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_module_imports_a_layer_above_its_own(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported(path):
            if name.split(".")[0] in FORBIDDEN[layer]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


def test_the_check_sees_relative_imports():
    """The check itself: the publications package does import the reports engine (the allowed direction)."""
    names = imported(PACKAGE / "publications" / "__init__.py") | imported(PACKAGE / "publications" / "model.py")
    assert "reports" in {n.split(".")[0] for n in names}
    assert "datasets_used" in names
