"""Export → import is the identity, for generated data, in CSV and XLSX.

For each generated set of records: importing the export of the stored data changes nothing (no
create, no update, no revision); and importing it into a database without those records
re-creates them identically. Each example runs in a savepoint that is rolled back, so the
"fresh database" is the same database with the records rolled away (append-only history included).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jinjie.assessments.models import MonthlyScore
from jinjie.interchange.services import export_kind, import_file
from jinjie.interchange.validate import item_value
from jinjie.people.idcard import checksum_char
from jinjie.people.models import (
    EDUCATION_CHOICES,
    LADDER_RANKS,
    MONOPOLY_LEVELS,
    Employee,
    RankChange,
    RecordRevision,
    TrainingRecord,
)

from .conftest import make_employee

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
FORMATS = ["csv", "xlsx"]

# Text as people type it, with the characters a spreadsheet would take for a formula, quotes, and
# line breaks inside; stored stripped (imports strip), never blank where the text is required.
TEXT_ALPHABET = st.one_of(
    st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="\x85\u2028\u2029"),
    st.sampled_from("=+-@'\n 一二三"),
)


def text(max_size: int, min_size: int = 0):
    return st.text(TEXT_ALPHABET, max_size=max_size).map(str.strip).filter(lambda t: len(t) >= min_size)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
scores = st.decimals(min_value=0, max_value=100, places=2)


def id_numbers():
    def build(birth: date, seq: int) -> str:
        first17 = f"110105{birth:%Y%m%d}{seq:03d}"
        return first17 + checksum_char(first17)

    return st.builds(build, st.dates(min_value=date(1960, 1, 1), max_value=date(2005, 12, 31)), st.integers(0, 999))


EMPLOYEE_FIELDS = [
    "name",
    "track",
    "role_start_date",
    "hire_date",
    "education",
    "vocational_level",
    "pay_grade",
    "current_rank",
    "rank_since",
    "law_cert_valid_until",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "status",
]


@st.composite
def employee_records(draw):
    track = draw(st.sampled_from(["客户经理", "市场管理员", "专卖管理员"]))
    ranks = ("见习", *MONOPOLY_LEVELS) if track == "专卖管理员" else LADDER_RANKS
    return {
        "name": draw(text(50, min_size=1)),
        "track": track,
        "role_start_date": draw(dates),
        "hire_date": draw(st.none() | dates),
        "education": draw(st.sampled_from(["", *(e for e, _ in EDUCATION_CHOICES)])),
        "vocational_level": draw(st.sampled_from(["", "五级", "四级", "三级", "二级", "一级"])),
        "pay_grade": draw(st.none() | st.integers(1, 99)),
        "current_rank": draw(st.sampled_from(ranks)),
        "rank_since": draw(st.none() | dates),
        "law_cert_valid_until": draw(st.none() | dates),
        "gender": draw(st.sampled_from(["", "男", "女"])),
        "birth_date": draw(st.none() | dates),
        "id_number": draw(st.just("") | id_numbers()),
        "phone": draw(st.just("") | st.from_regex(r"\A1[3-9][0-9]{9}\Z")),
        "status": draw(st.sampled_from(["在岗", "离岗"])),
    }


# A scheme whose item names a spreadsheet would run as a formula (=拜访) or that are not Chinese:
# published for these tests, so that rows with items pass the SPEC 5 checks of the import.
ITEMS = (("卷烟营销指标", 50), ("=拜访", 30), ("Visits 135", 20))


def publish_test_scheme():
    from jinjie.assessments.models import AssessmentScheme

    AssessmentScheme.objects.get_or_create(
        track="客户经理", version=99,
        defaults={"effective_from": date(2000, 1, 1), "status": "published",
                  "items": [{"name": n, "max": str(m)} for n, m in ITEMS]},
    )


@st.composite
def score_records(draw):
    keys = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 12)), min_size=1, max_size=12, unique=True))
    records = []
    for employee, month in keys:
        if draw(st.booleans()):
            # all of the scheme's items (SPEC 5: all or none), the score their sum
            values = [draw(st.decimals(min_value=0, max_value=top, places=2)) for _, top in ITEMS]
            score, items = sum(values), {name: item_value(v) for (name, _), v in zip(ITEMS, values, strict=True)}
        else:
            score, items = draw(scores), {}
        records.append({"employee": employee, "month": f"2026-{month:02d}", "score": score, "items": items})
    return records


@st.composite
def training_records(draw):
    def record(employee, day, kind, course, level, hours, score, passed):
        return {
            "employee": employee,
            "date": day,
            "kind": kind,
            "course": course,
            "level": level if kind == "等级考试" else "",
            "hours": hours,
            "score": score,
            "passed": passed,
        }

    built = st.builds(
        record,
        st.integers(0, 2),
        dates,
        st.sampled_from(["培训", "考试", "等级考试"]),
        text(40),
        st.sampled_from(MONOPOLY_LEVELS),
        st.none() | st.decimals(min_value=0, max_value=9999, places=1),
        st.none() | scores,
        st.none() | st.booleans(),
    )
    key = lambda r: (r["employee"], r["date"], r["kind"], r["course"], r["level"])  # noqa: E731
    return draw(st.lists(built, min_size=1, max_size=8, unique_by=key))


@st.composite
def rank_changes(draw):
    ranks = st.sampled_from(LADDER_RANKS)
    pairs = st.tuples(ranks | st.just(""), ranks).filter(lambda p: p[0] != p[1])
    built = st.builds(
        lambda employee, day, pair, reason: {
            "employee": employee,
            "effective_date": day,
            "from_rank": pair[0],
            "to_rank": pair[1],
            "reason": reason,
        },
        st.integers(0, 2),
        dates,
        pairs,
        text(60),
    )
    return draw(st.lists(built, min_size=1, max_size=8, unique_by=lambda r: (r["employee"], r["effective_date"])))


def _create(kind, records, people):
    if kind == "employees":
        for i, record in enumerate(records):
            make_employee(people["unit"], f"R{i:03d}", **record)
        return
    model = {"scores": MonthlyScore, "training": TrainingRecord, "rank_history": RankChange}[kind]
    for record in records:
        model.objects.create(**(record | {"employee": people["employees"][record["employee"]]}))


def _snapshot(kind):
    if kind == "employees":
        fields = ["employee_no", "org_unit__path", *EMPLOYEE_FIELDS]
        return sorted(Employee.objects.values_list(*fields))
    if kind == "scores":
        return sorted(
            (no, month, score, sorted(items.items()))
            for no, month, score, items in MonthlyScore.objects.values_list("employee__employee_no", "month", "score", "items")
        )
    if kind == "training":
        fields = ["employee__employee_no", "date", "kind", "course", "level", "hours", "score", "passed"]
        return sorted(TrainingRecord.objects.values_list(*fields), key=repr)
    fields = ["employee__employee_no", "effective_date", "from_rank", "to_rank", "reason"]
    return sorted(RankChange.objects.values_list(*fields))


def _administrator():
    from jinjie.org.models import Role, User

    return User.objects.get_or_create(
        username="round-trip-admin", defaults={"role": Role.HR, "is_superuser": True, "is_staff": True}
    )[0]


def _round_trip(kind, records, fmt, people, tmp_path):
    if kind == "scores":
        publish_test_scheme()
    with transaction.atomic():
        with transaction.atomic():
            _create(kind, records, people)
            stored = _snapshot(kind)
            path = tmp_path / f"{kind}.{fmt}"
            # Into an empty database the full 身份证号 must travel: a logged reveal by an administrator.
            reveal = {"actor": _administrator(), "reveal_id_numbers": True} if kind == "employees" else {}
            assert export_kind(kind=kind, path=path, **reveal) == len(stored)
            again = import_file(kind=kind, path_or_fileobj=path)
            assert again.ok, [str(e) for e in again.errors]
            assert (again.created, again.updated, again.unchanged) == (0, 0, len(stored))
            assert not RecordRevision.objects.exists()
            assert _snapshot(kind) == stored
            transaction.set_rollback(True)  # the records are gone: a database without them
        assert _snapshot(kind) == []
        fresh = import_file(kind=kind, path_or_fileobj=path)
        assert fresh.ok, [str(e) for e in fresh.errors]
        assert fresh.created == len(stored)
        assert _snapshot(kind) == stored
        transaction.set_rollback(True)


@pytest.fixture
def people(org):
    return {"unit": org["county"], "employees": [make_employee(org["county"], f"P{i}") for i in range(3)]}


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(records=st.lists(employee_records(), min_size=1, max_size=6))
def test_employees_survive_export_and_import(fmt, records, org, tmp_path):
    _round_trip("employees", records, fmt, {"unit": org["county"]}, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(records=score_records())
def test_scores_with_items_survive_export_and_import(fmt, records, people, tmp_path):
    _round_trip("scores", records, fmt, people, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(records=training_records())
def test_training_records_survive_export_and_import(fmt, records, people, tmp_path):
    _round_trip("training", records, fmt, people, tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(records=rank_changes())
def test_rank_history_survives_export_and_import(fmt, records, people, tmp_path):
    _round_trip("rank_history", records, fmt, people, tmp_path)


def test_an_export_has_the_import_headers_in_order_and_iso_dates(people, tmp_path):
    TrainingRecord.objects.create(
        employee=people["employees"][0], date=date(2026, 3, 1), kind="考试", course="=SUM(A1)", score=Decimal("85.50")
    )
    path = tmp_path / "training.csv"
    export_kind(kind="training", path=path)
    assert path.read_text(encoding="utf-8-sig").splitlines() == [
        "工号,日期,类别,课程,等级,学时,成绩,是否合格",
        "P0,2026-03-01,考试,'=SUM(A1),,,85.5,",
    ]
