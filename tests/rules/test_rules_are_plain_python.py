"""ARCHITECTURE principle 1: the rule engine is plain Python — no Django, no I/O."""

import ast
import subprocess
import sys
from pathlib import Path

import jinjie.rules

RULES_DIR = Path(jinjie.rules.__file__).parent
ALLOWED = {
    "__future__",
    "collections",
    "copy",
    "dataclasses",
    "datetime",
    "decimal",
    "functools",
    "operator",
    "re",
    "types",
    "typing",
}


def test_rules_import_only_the_standard_library_and_each_other():
    for path in RULES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                # The one exception: the root of domain refusals, itself plain Python.
                assert name.split(".")[0] in ALLOWED or name == "jinjie.core.errors", f"{path.name} imports {name}"


def test_importing_the_rules_loads_no_django():
    code = "import sys, jinjie.rules; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    src = str(RULES_DIR.parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": src}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
