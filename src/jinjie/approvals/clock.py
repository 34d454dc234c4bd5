"""Today's date in Asia/Shanghai: the one place the workflow asks for it (tests replace it).
It is core.clock's day (the real date, or a demo's JINJIE_TODAY)."""

from datetime import date

from jinjie.core import clock as core_clock


def today() -> date:
    return core_clock.today()
