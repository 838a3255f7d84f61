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


def test_kit_loads_no_database_or_model_code():
    code = (
        "import sys, kit.openapi, kit.problems, kit.settings, kit.jsonio\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'peewee', 'sklearn', 'ticket_api', 'dash', 'pandas', 'campusdesk'})\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_command_line_loads_no_model_code_for_a_service():
    code = (
        "import sys\n"
        "from campusdesk.cli import build_parser\n"
        "from metrics_services import create_app\n"
        "args = build_parser().parse_args(['metrics', 'unclosed'])\n"
        "create_app(args.name)\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'peewee', 'sklearn', 'dash', 'pandas'}\n"
        "heavy |= {m for m in sys.modules if m in ('ticket_api.models', 'ticket_api.db')}\n"
        "print(','.join(sorted(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
