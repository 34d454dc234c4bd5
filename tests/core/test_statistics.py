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
