"""Score sheets (SPEC 4): the 笔试 by form or file, the judges' own sheets with 回避, ballots; a
stage locked when HR marks it complete, changed afterwards only by a correction with its reason;
the ranking the dossier shows."""

from decimal import Decimal as D

import pytest

from jinjie.core.errors import BatchRefused, NotPermitted
from jinjie.selections import services as sv
from jinjie.selections.models import BallotEntry, ScoreEntry, SelectionTransition
from jinjie.selections.scoring import scoreboard
from jinjie.selections.selectors import judge_sheet
from jinjie.selections.workflow import SelectionError


def test_the_stages_run_in_order_and_lock_when_complete(world, published, advance):
    apps = advance(published, to="written")
    hr = world.users["hr"]
    assert published.state == "written"
    # Nothing of a later stage before its time.
    with pytest.raises(SelectionError, match="尚未进入民主测评阶段"):
        sv.ballots_enter(selection=published, actor=hr, ballots={apps["zhang"].pk: (1, 0, 0, 0)})
    with pytest.raises(SelectionError, match="不能确认演讲答辩"):
        sv.stage_complete(selection=published, actor=hr, stage="speech")
    sv.scores_enter(selection=published, actor=hr, stage="written", scores={apps["zhang"].pk: "85", apps["li"].pk: "80.5"})
    sv.scores_enter(selection=published, actor=hr, stage="written", scores={apps["li"].pk: "81"})  # re-entered while open
    sv.stage_complete(selection=published, actor=hr, stage="written")
    with pytest.raises(SelectionError, match="笔试阶段已经完成"):
        sv.stage_complete(selection=published, actor=hr, stage="written")
    # Locked: no reason, no change.
    with pytest.raises(SelectionError, match="请填写更正理由"):
        sv.scores_enter(selection=published, actor=hr, stage="written", scores={apps["li"].pk: "82"})
    result = sv.scores_enter(
        selection=published, actor=hr, stage="written", scores={apps["li"].pk: "82"}, reason="复核试卷，漏计一题",
    )
    assert result.correction and result.written == 1
    entries = list(ScoreEntry.objects.filter(application=apps["li"], stage="written").values_list("score", "correction", "reason"))
    assert entries == [(D("80.50"), False, ""), (D("81.00"), False, ""), (D("82.00"), True, "复核试卷，漏计一题")]
    assert scoreboard(published).written[apps["li"].pk].score == D("82.00")  # the latest counts
    events = list(SelectionTransition.objects.filter(selection=published).values_list("event", flat=True))
    assert events == ["create", "publish", "close", "complete_review", "complete_written"]


def test_a_batch_of_scores_is_written_whole_or_not_at_all(world, published, advance):
    apps = advance(published, to="written")
    hr = world.users["hr"]
    with pytest.raises(BatchRefused) as refused:
        sv.scores_enter(
            selection=published, actor=hr, stage="written",
            scores={apps["zhang"].pk: "85", apps["li"].pk: "101", apps["wang"].pk: "7.125", 999999: "60"},
        )
    reasons = dict(refused.value.errors)
    assert "应在 0 到 100 之间" in reasons[apps["li"].pk] and "最多 2 位小数" in reasons[apps["wang"].pk]
    assert "不是本次竞聘的有效报名" in reasons[999999]
    assert not ScoreEntry.objects.exists()


def test_below_the_pass_line_no_speech_and_no_ballots(world, published, advance):
    apps = advance(published, to="speech")
    with pytest.raises(BatchRefused, match="未进入面试"):
        sv.judge_marks(selection=published, judge=world.judges[0], marks={apps["wang"].pk: "90"})


def test_a_judge_enters_only_their_own_sheet_and_sees_only_their_own_marks(world, published, advance):
    apps = advance(published, to="speech")
    one, two = world.judges[0], world.judges[1]
    sv.judge_marks(selection=published, judge=one, marks={apps["zhang"].pk: "90", apps["li"].pk: "85"})
    sv.judge_marks(selection=published, judge=two, marks={apps["zhang"].pk: "70"})
    sheet_one, sheet_two = judge_sheet(selection=published, judge=one), judge_sheet(selection=published, judge=two)
    assert {r.application.pk: r.mark for r in sheet_one.rows} == {apps["zhang"].pk: D("90.00"), apps["li"].pk: D("85.00"), apps["zhao"].pk: None}
    assert {r.application.pk: r.mark for r in sheet_two.rows} == {apps["zhang"].pk: D("70.00"), apps["li"].pk: None, apps["zhao"].pk: None}
    # A second entry by judge two is judge two's: judge one's mark is untouched.
    sv.judge_marks(selection=published, judge=two, marks={apps["zhang"].pk: "72"})
    marks = scoreboard(published).marks[apps["zhang"].pk]
    assert (marks[one.pk].score, marks[two.pk].score) == (D("90.00"), D("72.00"))
    # HR is no judge; a judge of another selection neither.
    with pytest.raises(NotPermitted, match="不是竞聘“JP2026-001”的评委"):
        sv.judge_marks(selection=published, judge=world.users["hr"], marks={apps["zhang"].pk: "99"})
    with pytest.raises(NotPermitted):
        judge_sheet(selection=published, judge=world.users["leader"])


def test_a_judge_stands_aside_for_a_declared_relation_and_for_themself(world, published, advance):
    apps = advance(published, to="speech")
    hr, one = world.users["hr"], world.judges[0]
    sv.recusal_declare(selection=published, actor=hr, judge=one, application=apps["li"], reason="夫妻关系")
    with pytest.raises(NotPermitted, match="回避"):
        sv.judge_marks(selection=published, judge=one, marks={apps["zhang"].pk: "90", apps["li"].pk: "99"})
    assert not ScoreEntry.objects.filter(stage="speech").exists()  # the whole sheet was refused
    sheet = judge_sheet(selection=published, judge=one)
    assert [r.recused for r in sheet.rows] == [False, True, False]
    # A judge who is also a candidate is recused for themself without any declaration.
    world.users["zhao"].employee = None
    world.users["zhao"].save()
    one.employee = apps["zhao"].employee
    one.save()
    with pytest.raises(NotPermitted, match="回避"):
        sv.judge_marks(selection=published, judge=one, marks={apps["zhao"].pk: "99"})
    sv.judge_marks(selection=published, judge=one, marks={apps["zhang"].pk: "90"})


def test_five_judges_drop_the_extremes_and_a_locked_sheet_takes_a_correction(world, published, advance):
    apps = advance(published, to="democratic")
    board = scoreboard(published)
    assert board.speech(apps["zhang"].pk) == D("90.00")  # 90 88 92 86 95 → (90 + 88 + 92) / 3
    one = world.judges[0]
    with pytest.raises(SelectionError, match="请填写更正理由"):
        sv.judge_marks(selection=published, judge=one, marks={apps["zhang"].pk: "60"})
    sv.judge_marks(selection=published, judge=one, marks={apps["zhang"].pk: "60"}, reason="誊写错误，原评分表为 60")
    assert scoreboard(published).speech(apps["zhang"].pk) == D("88.67")  # 60 88 92 86 95 → (88 + 92 + 86) / 3
    latest = ScoreEntry.objects.filter(application=apps["zhang"], judge=one).latest("id")
    assert (latest.correction, latest.reason) == (True, "誊写错误，原评分表为 60")


def test_ballots_are_counts_and_the_latest_counts(world, published, advance):
    apps = advance(published, to="democratic")
    hr = world.users["hr"]
    sv.ballots_enter(selection=published, actor=hr, ballots={apps["zhang"].pk: (20, 8, 2, 0)})
    sv.ballots_enter(selection=published, actor=hr, ballots={apps["zhang"].pk: {"excellent": 21, "competent": 7, "basic": 2, "incompetent": 0}})
    assert scoreboard(published).democratic(apps["zhang"].pk) == D("92.67")  # (2100 + 560 + 120) / 30
    assert BallotEntry.objects.filter(application=apps["zhang"]).count() == 2
    with pytest.raises(BatchRefused, match="有效票数为 0"):
        sv.ballots_enter(selection=published, actor=hr, ballots={apps["li"].pk: (0, 0, 0, 0)})
    # A final score instead of ballots is refused once ballots exist (one way per candidate).
    with pytest.raises(BatchRefused, match="已录入民主测评票数"):
        sv.scores_enter(selection=published, actor=hr, stage="democratic", scores={apps["zhang"].pk: "90"})


def test_the_ranking_of_the_worked_selection(world, published, advance):
    apps = advance(published, to="ranked")
    by_app = scoreboard(published).by_application
    rows = {key: by_app[apps[key].pk] for key in apps}
    assert (rows["zhang"].total, rows["zhang"].position, rows["zhang"].inspect) == (D("89.10"), 1, True)
    assert (rows["li"].total, rows["li"].position, rows["li"].inspect) == (D("84.00"), 2, True)
    assert (rows["zhao"].total, rows["zhao"].position) == (D("81.40"), 1)
    assert (rows["wang"].total, rows["wang"].note) == (None, "未进入面试")


def test_hr_names_judges_only_from_the_staff(world, draft):
    with pytest.raises(SelectionError, match="不能担任评委"):
        sv.judge_name(selection=draft, actor=world.users["hr"], user=world.users["zhang"])
    # A judge scores inside their own subtree: 乙市局's HR could never score 甲市局's candidates.
    with pytest.raises(SelectionError, match="不能担任评委.*不在您的管理范围内"):
        sv.judge_name(selection=draft, actor=world.users["hr"], user=world.users["hr_b"])
    sv.judge_name(selection=draft, actor=world.users["hr"], user=world.users["leader"])
    with pytest.raises(SelectionError, match="已是本次竞聘的评委"):
        sv.judge_name(selection=draft, actor=world.users["hr"], user=world.users["leader"])
    with pytest.raises(NotPermitted):
        sv.judge_name(selection=draft, actor=world.users["leader"], user=world.users["director"])
