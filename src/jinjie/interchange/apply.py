"""Writing a planned import: replay the spool with bulk_create / bulk_update, history alongside.

Called inside the import's one transaction (services.import_file). Every update writes its
RecordRevision, every rank change its RankChange, in that same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.utils import timezone

from jinjie.core.values import to_json
from jinjie.people.idcard import mask_id_number
from jinjie.people.models import Employee, RankChange, RankChangeSource, RecordRevision

from .bulk import insert_rows, update_rows
from .plan import Planner, chunks

EMPLOYEE_IMPORT_REASON = "员工信息导入时变更职级"


def _for_history(values: dict) -> dict:
    # The history can never be deleted and is read without the ID-number access log, so it keeps
    # only the masked form of a 身份证号 (enough to see that it changed, not to read it).
    if values.get("id_number"):
        return {**values, "id_number": mask_id_number(values["id_number"])}
    return values


def apply_plan(
    planner: Planner,
    *,
    filename: str,
    actor=None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> None:
    kind = planner.kind
    model = kind.model
    now = timezone.now()
    source_ref = f"import:{filename}"[:50]
    update_fields = planner.update_attnames
    total = planner.created + planner.updated
    done = 0
    extra = {}
    if model is RankChange:
        extra = {"source": RankChangeSource.IMPORT, "source_ref": source_ref, "recorded_by": actor}
    for batch in planner.spool:
        insert_rows(model, batch.creates, **extra)
        if batch.updates:
            if kind.is_employees:
                for update in batch.updates:
                    update.fields["updated_at"] = now
            update_rows(model, update_fields, [(u.pk, u.fields) for u in batch.updates])
            insert_rows(
                RecordRevision,
                [
                    {
                        "kind": kind.name,
                        "record_key": u.record_key,
                        "employee_id": u.employee_id,
                        "old_values": _for_history(u.old),
                        "new_values": _for_history(u.new),
                    }
                    for u in batch.updates
                ],
                source=filename[:300],
                changed_by=actor,
            )
        insert_rows(
            RankChange,
            [
                {"employee_id": pk, "from_rank": from_rank, "to_rank": to_rank, "effective_date": effective}
                for pk, from_rank, to_rank, effective in batch.rank_changes
            ],
            reason=EMPLOYEE_IMPORT_REASON,
            source=RankChangeSource.IMPORT,
            source_ref=source_ref,
            recorded_by=actor,
        )
        done += len(batch.creates) + len(batch.updates)
        if progress:
            progress("写入", done, total)
    if planner.latest_changes:
        move_current_ranks(planner.latest_changes, filename=filename, actor=actor, now=now)


def move_current_ranks(latest: dict[int, tuple[date, str]], *, filename: str, actor, now: datetime) -> int:
    """The current rank follows the history: a new change on or after rank_since becomes current.

    The employees are locked (PostgreSQL; SQLite's IMMEDIATE transaction already holds the write
    lock) in primary-key order before their rank is read, so two imports cannot interleave here.
    """
    employees: list[tuple[int, dict]] = []
    revisions: list[dict] = []
    for chunk in chunks(sorted(latest)):
        rows = (
            Employee.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "employee_no", "current_rank", "rank_since")
        )
        for pk, number, rank, since in rows:
            effective, to_rank = latest[pk]
            if since is not None and effective < since:
                continue
            if (rank, since) == (to_rank, effective):
                continue
            employees.append((pk, {"current_rank": to_rank, "rank_since": effective, "updated_at": now}))
            revisions.append(
                {
                    "kind": "employees",
                    "record_key": number,
                    "employee_id": pk,
                    "old_values": {"current_rank": rank, "rank_since": to_json(since)},
                    "new_values": {"current_rank": to_rank, "rank_since": to_json(effective)},
                }
            )
    update_rows(Employee, ["current_rank", "rank_since", "updated_at"], employees)
    insert_rows(RecordRevision, revisions, source=filename[:300], changed_by=actor)
    return len(employees)
