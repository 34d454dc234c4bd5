"""Every Chinese text the web layer writes itself (a flash message, a refusal, a 404 or 403 text, a
form error, a label, an export's file name) goes through gettext, so an English reader gets English
and a Chinese reader gets the same words as before. This reads the source of jinjie.web: a Chinese
string literal outside a gettext call (gettext, gettext_lazy, gettext_noop …) fails here, unless it is
a docstring (not shown) or named in ALLOWED with the reason it must stay Chinese.

A Chinese word that is a key and is translated later (a counter's key, a breadcrumb label that the
template translates) is marked with gettext_noop: it stays Chinese in the code and goes into the
catalogue. Texts that come from the domain (DomainError messages of the services, the labels of
jinjie.rules) are the domain's, not read here."""

import ast
import re
from pathlib import Path

import jinjie.web

HAN = re.compile(r"[\u3400-\u9fff]")
WEB = Path(jinjie.web.__file__).parent
GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}

# (file under jinjie/web, the literal as written, f-string parts joined with {}) → why it stays Chinese.
ALLOWED = {
    ("middleware.py", "首次登录须先修改初始密码"): "the API's answer (the API answers in Chinese, like its DomainErrors)",
    ("middleware.py", "{}：请在网页上登录并设置新密码"): "the API's answer (the API answers in Chinese)",
    ("views/people.py", "员工档案页面查看"): "the purpose written to the PII access log: data, not a page text",
    ("views/selections.py", "合格"): "compared with an inspection's stored conclusion: data",
    ("views/surveys.py", "评分"): "a keyword a user may type in a survey's questions (scale works too)",
    ("views/surveys.py", "单选"): "a keyword a user may type in a survey's questions (choice works too)",
    ("views/surveys.py", "文字"): "a keyword a user may type in a survey's questions (text works too)",
    ("rulebook_forms.py", "是"): "the word a yes/no condition is typed and stored with (its choice is translated)",
    ("rulebook_forms.py", "否"): "the word a yes/no condition is typed and stored with (its choice is translated)",
    ("rulebook_forms.py", "本岗位任职月数"): "the label written into the rule book's document and compared with it: data",
    ("rulebook_editor.py", '（应写成字符串，例如 "[^"]*"）'): "a pattern reading the rule engine's Chinese message",
    ("rulebook_editor.py", "，例如 \\[.*\\]$"): "a pattern reading the rule engine's Chinese message",
    ("rulebook_editor.py", "（JSON 对象）"): "a pattern reading the rule engine's Chinese message",
    ("templatetags/jinjie_web.py", "(?P<year>\\d{4})年第(?P<quarter>\\d)季度"): "a pattern reading a Chinese report title",
    ("templatetags/jinjie_web.py", "近 (?P<n>\\d+) 个测评期，"): "a pattern reading a Chinese report title",
    ("templatetags/jinjie_web.py", "近 %(n)s 个测评期，"): "the lead of a report title's msgid, translated with the title",
}


def _name(func) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def unwrapped(source: str) -> list[tuple[int, str]]:
    """The Chinese string literals of `source` outside gettext calls and docstrings, with their lines."""
    tree = ast.parse(source)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                inside.add(id(first.value))
        elif isinstance(node, ast.Call) and _name(node.func) in GETTEXT:
            inside.update(id(a) for a in node.args)
        elif isinstance(node, ast.JoinedStr):
            inside.update(id(v) for v in node.values)
    found = []
    for node in ast.walk(tree):
        if id(node) in inside:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        else:
            continue
        if HAN.search(text):
            found.append((node.lineno, text))
    return sorted(found)


def _sources():
    for path in sorted(WEB.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(WEB).as_posix(), path.read_text(encoding="utf-8")


def test_the_scan_finds_what_it_should_and_skips_what_it_should():
    source = '''
"""模块说明"""
from django.utils.translation import gettext
def f(name):
    """函数说明"""
    # 注释
    gettext("已保存")
    gettext("%(name)s 已保存") % {"name": name}
    return f"{name} 已保存", "未包装"
'''
    assert unwrapped(source) == [(9, "{} 已保存"), (9, "未包装")]


def test_every_chinese_text_of_the_web_layer_is_wrapped_for_translation():
    found, used = [], set()
    for name, source in _sources():
        for line, text in unwrapped(source):
            if (name, text) in ALLOWED:
                used.add((name, text))
            else:
                found.append(f"{name}:{line}: {text!r}")
    assert found == [], "未包装翻译的中文字符串（请用 gettext，或在 ALLOWED 中写明理由）：\n" + "\n".join(found)
    assert set(ALLOWED) - used == set(), "ALLOWED 中已不存在的条目，请删除"
