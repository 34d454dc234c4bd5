"""After a bulk write the planner statistics are refreshed, once the write has committed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinjie.core.statistics import analyze_tables

pytestmark = pytest.mark.django_db


def test_analyze_runs_after_commit_and_not_before(django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True) as callbacks:
        analyze_tables("evaluations_proposal")
        assert not any("ANALYZE" in q["sql"] for q in queries.captured_queries)
    assert len(callbacks) == 1
    assert any(q["sql"].startswith("ANALYZE") and "evaluations_proposal" in q["sql"] for q in queries.captured_queries)


def _analyses(capture, **options) -> bool:
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        analyze_tables("org_orgunit", **options)
    return any(q["sql"].startswith("ANALYZE") for q in queries.captured_queries)


def test_a_table_about_the_size_its_statistics_describe_is_not_analysed_again(django_capture_on_commit_callbacks):
    from jinjie.org.models import OrgUnit

    top = OrgUnit.objects.create(name="省局", kind="province")
    for i in range(19):
        OrgUnit.objects.create(name=f"第{i}县局", parent=top)
    total = OrgUnit.objects.count()
    assert _analyses(django_capture_on_commit_callbacks, unless_within=0.1)  # no statistics yet
    OrgUnit.objects.create(name="又一县局", parent=top)  # one more: within a tenth of `total`
    assert total >= 10
    assert not _analyses(django_capture_on_commit_callbacks, unless_within=0.1)
    assert _analyses(django_capture_on_commit_callbacks)  # without the option: always
    for i in range(total // 5):
        OrgUnit.objects.create(name=f"新县局{i}", parent=top)  # a fifth more than the statistics say
    assert _analyses(django_capture_on_commit_callbacks, unless_within=0.1)
