"""PostgreSQL: statistics on a proposal's current step (route[step_index]), for the queues' plans.

The queues filter on the current step (approvals.selectors.current_step_in: step_index = i AND
route -> i = step, for each i). Without statistics on those expressions PostgreSQL guessed a
reviewer's 3,792 proposals at track_review (of 22,856 in review) to be 26, sorted them all to take
the oldest fifty instead of walking the waiting-order index, and 待我审批 of 序列审核 took 113–119 ms
(53 ms of SQL; 3 ms with these statistics). The expressions are those the query writes, so the
planner matches them. SQLite has no such statistics and plans these queries well without them.
"""

from django.db import migrations

STEPS = 6  # rules.book.MAX_ROUTE_STEPS when written: the positions the filter tests (step_index 0–5)

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS proposal_current_step (mcv) ON step_index, "
    + ", ".join(f"(route -> {i})" for i in range(STEPS))
    + " FROM evaluations_proposal"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE evaluations_proposal")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS proposal_current_step")


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0009_queue_indexes_in_review_only")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
