"""Who may import whom: the kit at the bottom, the services and the dashboard on it, the
command line on top of everything (docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "kit",
    "ticket_api",
    "metrics_services",
    "dash_app",
    "components",
    "callbacks",
    "campusdesk",
)
#: For each package, the project packages it may import.
ALLOWED = {
    "kit": set(),
    "ticket_api": {"kit"},
    "metrics_services": {"kit"},
    "components": set(),
    "callbacks": {"kit", "components", "dash_app"},
    "dash_app": {"kit", "components", "callbacks"},
    "campusdesk": {"kit", "ticket_api", "metrics_services", "dash_app"},
}


def _imports(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_packages_import_only_layers_below(package):
    if not (ROOT / package).is_dir():
        pytest.skip(f"{package}/ is not in this tree")
    wrong = {k: v for k, v in _imports(package).items() if k not in ALLOWED[package]}
    assert not wrong, f"{package} imports {wrong}"


HEAVY = ("peewee", "sklearn", "dash", "pandas", "ticket_api.models", "ticket_api.db")


def heavy_modules_after(code: str, also: tuple[str, ...] = ()) -> set[str]:
    """The database, model and dashboard modules a fresh interpreter holds after ``code``."""
    probe = code + "\nimport sys\nprint(','.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.strip().split(","))
    return {m for m in loaded if m in HEAVY + also or m.split(".")[0] in HEAVY + also}


def test_kit_loads_no_database_or_model_code():
    code = "import kit.openapi, kit.problems, kit.settings, kit.jsonio, kit.campus_time"
    assert heavy_modules_after(code, also=("ticket_api", "campusdesk")) == set()


def test_the_command_line_loads_no_model_code_for_a_service():
    code = (
        "from campusdesk.cli import build_parser\n"
        "from metrics_services import create_app\n"
        "args = build_parser().parse_args(['metrics', 'unclosed'])\n"
        "create_app(args.name)"
    )
    assert heavy_modules_after(code) == set()
