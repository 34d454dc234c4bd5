"""A ladder rule book may not change the rules of a period already evaluated (issue: a draft dated
2026-01-01 published in December would have rewritten three evaluated quarters).

An evaluation uses the book in force at the period's start, so a new book changes period P's rules
exactly when its effective date is on or before P's start. Registered with the rule-book service
(rulebooks.services.register_publication_guard) by EvaluationsConfig.ready().
"""

from __future__ import annotations

from django.db.models import Max, Q

from jinjie.org.models import PATH_SEP
from jinjie.rulebooks.models import BookKind, RuleBook
from jinjie.rules.calendar import Period

from .models import EvaluationRun


def _runs_touching(book: RuleBook):
    if book.org_unit_id is None:
        return EvaluationRun.objects.all()
    unit = book.org_unit
    parts = unit.path.split(PATH_SEP)
    above = [PATH_SEP.join(parts[:i]) for i in range(1, len(parts))]
    return EvaluationRun.objects.filter(
        Q(org_unit__isnull=True) | unit.subtree_filter(prefix="org_unit__") | Q(org_unit__path__in=above)
    )


def evaluated_periods_guard(book: RuleBook) -> str | None:
    if book.kind != BookKind.LADDER:
        return None
    latest = _runs_touching(book).aggregate(m=Max("period"))["m"]
    if not latest:
        return None
    start = Period.parse(latest).start
    if book.effective_from <= start:
        return (
            f"{latest} 已经测评（按 {start} 起生效的标准）：新版本的生效日期须晚于 {start}，"
            "不能改变已测评期间的规则"
        )
    return None
