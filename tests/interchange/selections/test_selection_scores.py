"""The selection_scores file (SPEC 6) and the ranking export (SPEC 7): scores go in through the
channel's own checks, all or nothing, with Chinese row errors; a locked stage is not corrected by
a file; an export imported back changes nothing."""

import csv
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jinjie.interchange.selections import dossier_workbook
from jinjie.interchange.services import export_kind, import_file
from jinjie.selections import services as sv
from jinjie.selections.models import ScoreEntry
from jinjie.selections.scoring import scoreboard
from jinjie.selections.selectors import dossier

pytestmark = pytest.mark.django_db


def write(tmp_path, rows, name="scores.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_written_scores_are_imported_by_code_and_employee_number(world, published, advance, tmp_path):
    apps = advance(published, to="written")
    path = write(tmp_path, [["竞聘编号", "工号", "笔试"], ["jp2026-001", "A001", "85.5"], ["JP2026-001", "Ａ００２", "80"]])
    result = import_file(kind="selection_scores", path_or_fileobj=path, actor=world.users["hr"])
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    board = scoreboard(published)
    assert board.written[apps["zhang"].pk].score == D("85.50") and board.written[apps["li"].pk].source == "import"
    assert board.written[apps["li"].pk].entered_by == world.users["hr"]


def test_a_file_with_any_bad_row_writes_nothing_and_names_every_row(world, published, advance, tmp_path):
    advance(published, to="written")
    path = write(tmp_path, [
        ["selection", "employee_no", "written", "speech"],
        ["JP2026-001", "A001", "85", ""],
        ["JP2026-001", "A002", "101", ""],
        ["JP2026-009", "A003", "70", ""],
        ["JP2026-001", "A006", "70", ""],  # 孙八 did not apply
        ["JP2026-001", "A003", "", "80"],  # the speech is not open yet
        ["JP2026-001", "A001", "86", ""],
    ])
    result = import_file(kind="selection_scores", path_or_fileobj=path, actor=world.users["hr"])
    problems = {(e.row, e.column): e.reason for e in result.errors}
    assert "应在 0 到 100 之间" in problems[(3, "written")]
    assert problems[(4, "selection")] == "竞聘编号不存在或不在您的管理范围内"
    assert "没有报名竞聘 JP2026-001" in problems[(5, "employee_no")]
    assert "尚未进入演讲答辩阶段" in problems[(6, "speech")]
    assert "与第 2 行重复" in problems[(7, "selection+employee_no")]
    assert not ScoreEntry.objects.exists()


def test_a_locked_stage_is_not_corrected_by_a_file_but_an_export_goes_back_unchanged(world, published, advance, tmp_path):
    apps = advance(published, to="ranked")
    exported = tmp_path / "out.csv"
    assert export_kind(kind="selection_scores", path=exported, actor=world.users["hr"]) == 4
    rows = list(csv.reader(open(exported, encoding="utf-8-sig")))
    assert rows[0] == ["竞聘编号", "工号", "笔试", "演讲答辩", "民主测评"]
    assert ["JP2026-001", "A001", "85", "90", "92"] in rows
    before = ScoreEntry.objects.count()
    back = import_file(kind="selection_scores", path_or_fileobj=exported, actor=world.users["hr"])
    assert back.ok and (back.created, back.unchanged) == (0, 10), [str(e) for e in back.errors]
    changed = write(tmp_path, [["竞聘编号", "工号", "笔试"], ["JP2026-001", "A001", "86"]])
    result = import_file(kind="selection_scores", path_or_fileobj=changed, actor=world.users["hr"])
    assert "笔试阶段已确认，文件导入不能更正" in result.errors[0].reason
    assert ScoreEntry.objects.count() == before
    assert scoreboard(published).written[apps["zhang"].pk].score == D("85.00")


def test_a_final_speech_score_where_no_judges_sheets_are_entered(world, published, advance, tmp_path):
    apps = advance(published, to="written")
    hr = world.users["hr"]
    sv.scores_enter(selection=published, actor=hr, stage="written", scores={apps["zhang"].pk: "85"})
    sv.stage_complete(selection=published, actor=hr, stage="written")
    path = write(tmp_path, [["竞聘编号", "工号", "演讲答辩"], ["JP2026-001", "A001", "88.5"]])
    result = import_file(kind="selection_scores", path_or_fileobj=path, actor=hr)
    assert result.ok, [str(e) for e in result.errors]
    assert scoreboard(published).speech(apps["zhang"].pk) == D("88.50")
    # A judge then cannot score 张三 (the final score was given), and the final score is theirs.
    with pytest.raises(Exception, match="已直接录入"):
        sv.judge_marks(selection=published, judge=world.judges[0], marks={apps["zhang"].pk: "90"})


def test_another_citys_hr_cannot_import_into_a_selection(world, published, advance, tmp_path):
    advance(published, to="written")
    path = write(tmp_path, [["竞聘编号", "工号", "笔试"], ["JP2026-001", "A001", "85"]])
    result = import_file(kind="selection_scores", path_or_fileobj=path, actor=world.users["hr_b"])
    assert [e.reason for e in result.errors] == ["竞聘编号不存在或不在您的管理范围内"]


def test_jinjie_export_ranking_writes_the_spec_7_columns(world, published, advance, tmp_path):
    advance(published, to="ranked")
    out = tmp_path / "ranking.csv"
    call_command("export", "ranking", "--selection", "JP2026-001", "-o", str(out))
    rows = list(csv.reader(open(out, encoding="utf-8-sig")))
    assert rows[0] == ["post", "employee_no", "name", "written", "speech", "democratic", "total", "position", "inspect", "note"]
    assert rows[1:] == [
        ["客服部主任", "A001", "张三", "85", "90", "92", "89.1", "1", "1", ""],
        ["客服部主任", "A002", "李四", "80", "85", "86.67", "84", "2", "1", ""],
        ["客服部主任", "A003", "王五", "55", "", "", "", "", "0", "未进入面试"],
        ["订单部主任", "A004", "赵六", "78", "81", "85.33", "81.4", "1", "1", ""],
    ]
    xlsx = tmp_path / "ranking.xlsx"
    call_command("export", "ranking", "--selection", "jp2026-001", "-o", str(xlsx))
    assert load_workbook(xlsx).active.max_row == 5
    with pytest.raises(CommandError, match="没有编号为“JP2026-999”的竞聘"):
        call_command("export", "ranking", "--selection", "JP2026-999", "-o", str(out))
    with pytest.raises(CommandError, match="须指定 --selection"):
        call_command("export", "ranking", "-o", str(out))


def test_the_dossier_workbook_has_a_sheet_per_stage_with_every_entry(world, published, advance, tmp_path):
    apps = advance(published, to="ranked")
    sv.scores_enter(selection=published, actor=world.users["hr"], stage="written", scores={apps["li"].pk: "81"}, reason="复核加分")
    path = tmp_path / "dossier.xlsx"
    dossier_workbook(dossier(published, with_events=True), path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "竞聘方案", "报名与资格审查", "报名记录", "笔试", "演讲答辩", "民主测评", "排名", "考察", "任用决定", "进程记录",
    ]
    events = [[c.value for c in row] for row in book["报名记录"].iter_rows(min_row=2)]
    assert ["客服部主任", "A001", "张三", "报名"] == events[0][1:5] and len(events) == 4 * 3  # apply, check, confirm
    written = [[c.value for c in row] for row in book["笔试"].iter_rows(min_row=2)]
    assert ["客服部主任", "A002", "李四", 81, "更正", "复核加分"] == written[-1][:6]
    assert book["演讲答辩"].max_row == 1 + 15  # five judges × three candidates, shown once the speech is complete
