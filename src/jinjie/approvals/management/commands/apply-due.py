"""`jinjie apply-due`: the SPEC's spelling of `jinjie apply_due` (Django names a command by its file)."""

from .apply_due import Command  # noqa: F401
