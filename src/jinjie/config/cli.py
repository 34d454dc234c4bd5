"""The `jinjie` command: Django's management commands under the project's own name.

`jinjie init`, `jinjie import scores FILE`, `jinjie evaluate --period 2026Q3` … are management
commands; this entry point only picks the settings (the demo/dev settings unless told otherwise).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinjie.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jinjie", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
