"""What users read names the rules, never the project's specification: no "SPEC 2.2" or "第 6 节"
in a template, a translation, or a string of the web layer that a page shows."""

import ast
import re
from pathlib import Path

import jinjie

SRC = Path(jinjie.__file__).resolve().parent
SECTION = re.compile(r"SPEC|第\s*\d+(\.\d+)?\s*节")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _shown_strings(path: Path):
    """String constants of a module, less its docstrings (those are for developers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_template_or_translation_names_a_section_of_the_specification():
    files = [*SRC.joinpath("templates").rglob("*.html"), *SRC.rglob("*.po")]
    assert len(files) > 20
    found = [f"{f.relative_to(SRC)}:{n}" for f in files for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
             if SECTION.search(line)]
    assert found == []


def test_no_chinese_string_of_the_web_layer_names_a_section_of_the_specification():
    modules = list(SRC.joinpath("web").rglob("*.py"))
    found = [f"{m.relative_to(SRC)}:{n}" for m in modules for n, text in _shown_strings(m) if CJK.search(text) and SECTION.search(text)]
    assert found == []
