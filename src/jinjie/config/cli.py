"""The `jinjie` command: Django's management commands under the project's own name.

`jinjie init`, `jinjie import scores FILE`, `jinjie evaluate --period 2026Q3` … are management
commands; this entry point only picks the settings (the demo/dev settings unless told otherwise).
"""

import os
import sys


def django_argv(args: list[str]) -> list[str]:
    """SPEC 7 spells commands with hyphens (`jinjie apply-due`); Django names them by module."""
    args = list(args)
    command_at = 1 if args[:1] == ["help"] else 0
    if len(args) > command_at and not args[command_at].startswith("-"):
        args[command_at] = args[command_at].replace("-", "_")
    return ["jinjie", *args]


# `jinjie serve` is the production server: production settings unless told otherwise.
PRODUCTION_COMMANDS = {"serve"}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    production = bool(args) and args[0] in PRODUCTION_COMMANDS
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "jinjie.config.settings.production" if production else "jinjie.config.settings.dev"
    )
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    try:
        execute_from_command_line(django_argv(args))
    except (OperationalError, ProgrammingError) as e:
        if not missing_table(e):
            raise
        # A fresh database: say what to do instead of printing a traceback.
        sys.stderr.write(f"数据库尚未初始化或结构不是最新，请先运行 jinjie init（{e}）\n")
        sys.exit(1)


def missing_table(error: Exception) -> bool:
    text = str(error)
    return "no such table" in text or ("relation" in text and "does not exist" in text)


if __name__ == "__main__":  # `python -m jinjie.config.cli …` (what demo-server starts)
    main()
