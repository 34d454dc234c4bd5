"""`jinjie evaluate --period 2026Q3 [--org PATH]` prints counts per move; bad input exits 1 in Chinese."""

import pytest
from django.db import connections

from jinjie.config.cli import main
from jinjie.evaluations.models import EvaluationRun, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    # A command run from the command line closes every connection when it ends, which would drop
    # the test's transaction on PostgreSQL; the exit code and output are what is under test.
    monkeypatch.setattr(connections, "close_all", lambda: None)


def jinjie(*args):
    """Run the `jinjie` entry point as the shell would; returns its exit code."""
    try:
        main(list(args))
    except SystemExit as e:
        return e.code or 0
    return 0


def test_evaluate_prints_the_counts_per_move_with_chinese_labels_and_codes(examples, capsys):
    assert jinjie("evaluate", "--period", "2026Q3") == 0
    out = capsys.readouterr().out
    assert "2026年第3季度" in out and "全部单位" in out
    lines = {line.split()[1]: line for line in out.splitlines() if line.count("│") >= 3 and len(line.split()) > 3}
    for label, code, n in (("晋档", "grade_up", 1), ("晋级", "level_up", 1), ("跳档", "skip_grade", 1),
                           ("跳级", "skip_level", 0), ("降档", "grade_down", 1), ("降级", "level_down", 1),
                           ("保持", "hold", 2), ("数据不全", "incomplete", 1)):
        assert label in lines[label] and code in lines[label] and lines[label].split()[5] == str(n)
    assert "合计" in out and "8" in lines["合计"]
    assert "版本 1" in out
    assert Proposal.objects.count() == 8


def test_evaluate_with_an_org_path_runs_only_that_subtree(books, tree, make, capsys):
    make("IN", tree["county"], scores=(85, 86, 84))
    make("OUT", tree["other"], scores=(85, 86, 84))
    assert jinjie("evaluate", "--period", "2026Q3", "--org", "东海省局/临江市局") == 0
    assert "东海省局/临江市局" in capsys.readouterr().out
    assert list(Proposal.objects.values_list("employee__employee_no", flat=True)) == ["IN"]


def test_evaluate_reports_employees_kept_in_review_and_those_it_cannot_evaluate(examples, make, tree, capsys):
    jinjie("evaluate", "--period", "2026Q3")
    Proposal.objects.filter(employee=examples["A"]).update(state="in_review")
    make("BAD", tree["county"], rank="初级专卖管理员", scores=(85, 86, 84))
    capsys.readouterr()
    assert jinjie("evaluate", "--period", "2026Q3") == 0
    out = capsys.readouterr().out
    assert "已进入审批、未重新计算：1 人" in out and "BAD" in out and "无法测评：1 人" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026Q5"), "测评期格式应为 YYYYQn"),
        (("--period", "三季度"), "测评期格式应为 YYYYQn"),
        (("--period", "2026Q3", "--org", "东海省局/没有这个局"), "没有找到单位"),
    ],
)
def test_evaluate_exits_1_with_a_chinese_message_on_bad_input(examples, capsys, args, message):
    assert jinjie("evaluate", *args) == 1
    assert message in capsys.readouterr().err
    assert not EvaluationRun.objects.exists()


def test_evaluate_exits_1_when_no_rule_book_is_in_force(tree, capsys):
    assert jinjie("evaluate", "--period", "2026Q3") == 1
    assert "没有生效的评定标准" in capsys.readouterr().err
