"""CSV as Chinese Excel saves it: "CSV (逗号分隔)" is GBK (read as GB18030, its superset), "CSV UTF-8"
is UTF-8 with a BOM; both are read. The encoding is decided from the bytes, streaming, and a file
that changes encoding half-way is refused naming the row."""

import tracemalloc
from datetime import date
from decimal import Decimal

import pytest

from jinjie.assessments.models import MonthlyScore
from jinjie.interchange.readers import open_table
from jinjie.people.models import Contribution, Employee

from .conftest import COUNTY

pytestmark = pytest.mark.django_db

EMPLOYEE_HEADER = "工号,姓名,所属单位,岗位序列,本岗位起始日期,学历\r\n"


def file_error(result) -> str:
    assert not result.ok
    assert [e.row for e in result.errors] == [None], [str(e) for e in result.errors]
    return result.errors[0].reason


def test_a_gbk_csv_with_chinese_headers_and_names_is_read(org, tmp_path, run_import):
    text = EMPLOYEE_HEADER + f"N001,张三,{COUNTY},客户经理,2024-01-15,大专\r\nN002,欧阳晓燕,{COUNTY},市场管理员,2023-05-01,本科\r\n"
    path = tmp_path / "employees.csv"
    path.write_bytes(text.encode("gbk"))
    result = run_import("employees", path)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    assert sorted(Employee.objects.values_list("employee_no", "name", "org_unit__path", "track", "education")) == [
        ("N001", "张三", COUNTY, "客户经理", "大专"),
        ("N002", "欧阳晓燕", COUNTY, "市场管理员", "本科"),
    ]


def test_characters_only_gb18030_has_are_read_too(org, tmp_path, run_import):
    # 䶮 (U+4DAE, as in 刘䶮) is outside GBK: Excel's GB18030 output carries it in four bytes.
    path = tmp_path / "employees.csv"
    path.write_bytes((EMPLOYEE_HEADER + f"N003,刘䶮,{COUNTY},客户经理,2024-01-15,\r\n").encode("gb18030"))
    assert run_import("employees", path).ok
    assert Employee.objects.get().name == "刘䶮"


def test_utf8_with_and_without_bom_is_still_utf8(employees, tmp_path, run_import):
    for name, prefix in (("bom.csv", b"\xef\xbb\xbf"), ("plain.csv", b"")):
        path = tmp_path / name
        path.write_bytes(prefix + "工号,月份,考核得分\nE001,2026-07,85\n".encode())
        assert run_import("scores", path).ok
    assert list(MonthlyScore.objects.values_list("month", "score")) == [("2026-07", Decimal("85"))]


def test_a_long_ascii_start_does_not_decide_the_encoding(employees, tmp_path, run_import):
    # English headers and ASCII notes for thousands of rows (past any first-chunk sniff), then Chinese.
    lines = ["employee_no,date,description"]
    lines += [f"E001,2026-01-01,note {i:05d}" for i in range(4000)]
    lines.append("E001,2026-02-01,获省局表彰")
    path = tmp_path / "contributions.csv"
    path.write_bytes("\n".join(lines).encode("gbk"))
    result = run_import("contributions", path)
    assert result.ok, [str(e) for e in result.errors[:3]]
    assert Contribution.objects.get(date=date(2026, 2, 1)).description == "获省局表彰"


def test_a_file_that_turns_from_utf8_to_gbk_is_refused_naming_the_row(employees, tmp_path, run_import):
    head = "工号,日期,说明\n".encode()
    rows = b"".join(f"E001,2026-01-01,说明{i:05d}\n".encode() for i in range(5000))  # well past the sniffed part
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + rows + "E002,2026-01-02,获省局表彰\n".encode("gbk") + "E003,2026-01-03,好\n".encode())
    reason = file_error(run_import("contributions", path))
    assert reason == (
        "第 5002 行不是 UTF-8 编码，而文件在它之前是 UTF-8：同一文件混用了两种编码。"
        "请将文件另存为“CSV UTF-8(逗号分隔)”，或直接上传 .xlsx"
    )
    assert not Contribution.objects.exists()


def test_bytes_that_are_not_gbk_either_are_refused_naming_the_row(employees, tmp_path, run_import):
    path = tmp_path / "broken.csv"
    path.write_bytes("工号,月份,考核得分\nE001,2026-07,85\n".encode("gbk") + b"E002,2026-07,\x80\xff\n")
    assert file_error(run_import("scores", path)).startswith("第 3 行含有 GBK/GB18030 编码以外的字节。")


def test_quoted_line_breaks_and_old_mac_line_ends_are_read(employees, tmp_path, run_import):
    path = tmp_path / "mac.csv"
    path.write_bytes('工号,日期,说明\rE001,2026-03-01,"第一行\r\n第二行"\rE002,2026-03-02,好\r'.encode("gbk"))
    result = run_import("contributions", path)
    assert result.ok, [str(e) for e in result.errors]
    assert sorted(Contribution.objects.values_list("description", flat=True)) == ["好", "第一行\n第二行"]


def test_a_line_longer_than_any_row_is_refused(employees, tmp_path, run_import):
    path = tmp_path / "long.csv"
    path.write_bytes(b"employee_no,month,score\nE001,2026-07," + b"9" * (2 * 1024 * 1024) + b"\n")
    assert file_error(run_import("scores", path)) == "第 2 行过长（一行超过 1 MB），不是有效的 CSV 文件"


def test_a_large_gbk_file_is_read_as_a_stream(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "wb") as out:
        out.write(b"employee_no,date,description\n")
        for block in range(40):
            out.write(b"".join(b"E%06d,2026-01-01,note\n" % (block * 5000 + i) for i in range(5000)))
        out.write("E999999,2026-01-01,获省局表彰\n".encode("gbk"))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with open_table(path) as table:
            rows = sum(1 for _ in table.rows())
            encoding = table.encoding
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (rows, encoding) == (200_001, "gb18030")
    assert peak < 2 * 1024 * 1024 < size, f"peak {peak / 1048576:.1f} MB for a {size / 1048576:.1f} MB file"
