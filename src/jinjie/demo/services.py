"""`demo_create`: writes the demo bureau — org units, one login per role, and N generated employees
with fifteen months of records — in one transaction.

Speed matters here (`jinjie demo --employees 100000` is how the benchmarks get their data, about
three million rows). `bulk_create` spends some 40 µs per row building model instances and SQL, so
the rows go in through `executemany` (SQLite) or COPY (PostgreSQL) on prepared tuples instead:
same tables, same columns (taken from the models), same transaction; values are already what the
driver takes. Only the handful of org units and users go through the ORM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from jinjie.assessments.models import AbilityScore, MonthlyScore
from jinjie.core import clock
from jinjie.core.errors import DomainError
from jinjie.core.statistics import analyze_tables
from jinjie.org.models import OrgKind, OrgUnit, Role, User
from jinjie.people.models import (
    AnnualRating,
    Contribution,
    Employee,
    Publication,
    Qualification,
    RankChange,
    TrainingRecord,
    Violation,
)

from .applications import demo_applications
from .bureau import (
    CITY,
    COUNTIES,
    DEMO_PASSWORD,
    EMPLOYEE_NO_PREFIX,
    LOGINS,
    MENTOR_LOGIN,
    PROVINCE,
    SUPERUSER,
)
from .generate import DEC1, BureauGenerator, Person, Plan
from .selections import demo_selections

MIN_EMPLOYEES = 40  # the worked examples of SPEC 8, the other stories and the logins need the first 24
MAX_EMPLOYEES = 999_999  # employee numbers have six digits (LJ000001)
CHUNK = 5_000  # employees generated and written at a time: bounds the memory, not the transaction


class DemoError(DomainError):
    """The demo cannot be created (message in Chinese); nothing was written."""


@dataclass
class DemoResult:
    created: bool
    employees: int
    period: str = ""  # the quarter the data is shaped for (the last complete one)
    rows: dict[str, int] = field(default_factory=dict)  # table (Chinese) → rows written


ProgressCallback = Callable[[int, int], None]  # (employees written, employees to write)


def demo_exists() -> bool:
    return OrgUnit.objects.filter(parent=None, name=PROVINCE).exists()


def demo_create(
    *,
    employees: int = 600,
    seed: int = 1,
    today: date | None = None,
    on_progress: ProgressCallback | None = None,
) -> DemoResult:
    """Create the demo bureau unless it exists (then return `created=False` and write nothing)."""
    if not MIN_EMPLOYEES <= employees <= MAX_EMPLOYEES:
        raise DemoError(f"员工人数应在 {MIN_EMPLOYEES}–{MAX_EMPLOYEES} 之间，收到 {employees}")
    if demo_exists():
        return DemoResult(created=False, employees=Employee.objects.filter(org_unit__path__startswith=PROVINCE).count())
    taken = sorted(User.objects.filter(username__in=[x.username for x in LOGINS] + [MENTOR_LOGIN, SUPERUSER]).values_list("username", flat=True))
    if taken:
        raise DemoError(f"用户名已被占用：{'、'.join(taken)}；演示数据需要这些用户名，请在空数据库中运行")
    if Employee.objects.filter(employee_no__startswith=EMPLOYEE_NO_PREFIX).exists():
        raise DemoError(f"已有工号以 {EMPLOYEE_NO_PREFIX} 开头的员工；演示数据需要这些工号，请在空数据库中运行")

    plan = Plan.for_today(today or clock.today())
    result = DemoResult(created=True, employees=employees, period=str(plan.period))
    with transaction.atomic():
        units = _create_units()
        county_ids = [units[c.name].pk for c in COUNTIES]
        generator = BureauGenerator(seed=seed, plan=plan)
        writer = _Writer(county_ids)
        wanted = {x.employee_story for x in LOGINS if x.employee_story}
        story_employees: dict[str, tuple[int, int]] = {}  # story → (employee id, unit id)
        people = generator.people(employees)
        done = 0
        if on_progress:
            on_progress(0, employees)
        while chunk := list(islice(people, CHUNK)):
            ids = writer.write(chunk)
            for p in chunk:
                if p.story in wanted and p.story not in story_employees:
                    story_employees[p.story] = (ids[p.employee_no], county_ids[p.county])
            done += len(chunk)
            if on_progress:
                on_progress(done, employees)
        _create_logins(units, story_employees)
        demo_selections(plan=plan)
        result.rows = writer.counts | demo_applications(today=plan.today, plan=plan)
        result.rows.update(_development(plan.today))
        analyze_tables(*(m._meta.db_table for m in (Employee, MonthlyScore, RankChange, TrainingRecord, AbilityScore)))
    return result


def _development(today: date) -> dict[str, int]:
    from .development import development_demo

    return development_demo(today=today, hr=User.objects.get(username="hr"), leader=User.objects.get(username="lingdao"))


# --- org units and logins -------------------------------------------------------------------------


def _create_units() -> dict[str, OrgUnit]:
    province = OrgUnit(name=PROVINCE, kind=OrgKind.PROVINCE)
    province.save()  # save() computes the path; there are only six units
    city = OrgUnit(name=CITY, kind=OrgKind.CITY, parent=province)
    city.save()
    units = {PROVINCE: province, CITY: city}
    for county in COUNTIES:
        unit = OrgUnit(name=county.name, kind=OrgKind.COUNTY, parent=city)
        unit.save()
        units[county.name] = unit
    return units


def _create_logins(units: dict[str, OrgUnit], story_employees: dict[str, tuple[int, int]]) -> None:
    # One hash for all: PBKDF2 takes a good fraction of a second per call, and it is one password.
    password = make_password(DEMO_PASSWORD)
    names = dict(Employee.objects.filter(pk__in=[e for e, _ in story_employees.values()]).values_list("pk", "name"))
    city = units[CITY]
    for login in LOGINS:
        role = Role(login.role)
        user = User(username=login.username, role=role, password=password, track=login.track,
                    first_name=login.full_name)
        if role == Role.EMPLOYEE:
            employee_id, unit_id = story_employees[login.employee_story]
            user.employee_id, user.org_unit_id, user.first_name = employee_id, unit_id, names[employee_id]
        else:
            user.org_unit = city  # the 市局 has its own committee: every role works over its subtree
        user.save()
    admin = User(username=SUPERUSER, role=Role.HR, password=password, first_name="系统管理员",
                 is_staff=True, is_superuser=True, org_unit=units[PROVINCE])
    admin.save()


# --- the bulk writer ---------------------------------------------------------------------------------


class _Writer:
    """Turns generated people into rows of the employee tables and inserts them."""

    def __init__(self, county_ids: Sequence[int]) -> None:
        self.county_ids = county_ids
        self.counts: dict[str, int] = {}
        self._json: dict[int, tuple[dict, object]] = {}  # id(items) → (items, value for the driver)
        self._items_field = MonthlyScore._meta.get_field("items")

    def write(self, people: list[Person]) -> dict[str, int]:
        county_ids = self.county_ids
        self._insert(Employee, (
            "employee_no", "name", "org_unit", "track", "role_start_date", "hire_date", "education",
            "vocational_level", "pay_grade", "current_rank", "rank_since", "law_cert_valid_until", "gender",
            "birth_date", "id_number", "phone", "status",
        ), [
            (p.employee_no, p.name, county_ids[p.county], p.track, p.role_start_date, p.hire_date, p.education,
             p.vocational_level, p.pay_grade, p.current_rank, p.rank_since, p.law_cert_valid_until, p.gender,
             p.birth_date, p.id_number, p.phone, p.status)
            for p in people
        ])
        # Employee numbers are sequential and unique: one range query maps them to the new ids.
        ids = dict(
            Employee.objects.filter(employee_no__gte=people[0].employee_no, employee_no__lte=people[-1].employee_no)
            .values_list("employee_no", "id")
        )
        items = self._items
        scores, ability, training, violations, contributions = [], [], [], [], []
        annual, publications, qualifications, changes = [], [], [], []
        for p in people:
            e = ids[p.employee_no]
            scores += [(e, month, DEC1[tenths], items(values)) for month, tenths, values in p.scores]
            ability += [(e, *row) for row in p.ability]
            training += [(e, *row) for row in p.training]
            violations += [(e, *row) for row in p.violations]
            contributions += [(e, *row) for row in p.contributions]
            annual += [(e, *row) for row in p.annual]
            publications += [(e, *row) for row in p.publications]
            qualifications += [(e, *row) for row in p.qualifications]
            changes += [(e, *row) for row in p.rank_changes]
        self._insert(MonthlyScore, ("employee", "month", "score", "items"), scores)
        self._insert(AbilityScore, ("employee", "period", "score"), ability)
        self._insert(TrainingRecord, ("employee", "date", "kind", "course", "level", "hours", "score", "passed"), training)
        self._insert(Violation, ("employee", "date", "severity", "description"), violations)
        self._insert(Contribution, ("employee", "date", "description"), contributions)
        self._insert(AnnualRating, ("employee", "year", "kind", "rating"), annual)
        self._insert(Publication, ("employee", "date", "title", "journal_level", "author_role", "journal"), publications)
        self._insert(Qualification, ("employee", "level", "granted_date"), qualifications)
        self._insert(RankChange, ("employee", "effective_date", "from_rank", "to_rank", "reason", "source"), changes)
        return ids

    def _items(self, values: dict) -> object:
        # The item dicts come from a small shared pool: serialise each once.
        cached = self._json.get(id(values))
        if cached is None:
            if connection.vendor == "postgresql":
                value = json.dumps(values, ensure_ascii=False)  # COPY text: jsonb parses it
            else:
                value = self._items_field.get_db_prep_save(values, connection)
            cached = self._json[id(values)] = (values, value)
        return cached[1]

    def _insert(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> None:
        """INSERT `rows` (values for `fields`, in order, ready for the driver) into `model`'s table.

        Every other column gets what the ORM would give it: auto_now(_add) → now, else the field's
        default, else NULL; a column with none of these is a programming error, reported at once.
        """
        rows = list(rows)
        meta = model._meta
        label = str(meta.verbose_name)
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        if not rows:
            return
        given = [meta.get_field(name) for name in fields]
        extra_fields, extra_values = [], []
        now = timezone.now()
        for f in meta.concrete_fields:
            if f in given or f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now if isinstance(f, models.DateTimeField) else now.date()
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            else:
                raise RuntimeError(f"演示数据没有为 {model.__name__}.{f.name} 提供值")
            extra_fields.append(f)
            extra_values.append(f.get_db_prep_save(value, connection))
        columns = [f.column for f in given + extra_fields]
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        if extra_values:
            tail = tuple(extra_values)
            rows = [row + tail for row in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # executemany costs a round trip per row there; COPY streams them (10× faster).
                table = f"{quote(meta.db_table)} ({', '.join(quote(c) for c in columns)})"
                with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(sql, rows)
