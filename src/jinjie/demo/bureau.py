"""The fictional bureau: its units, their (made-up) ID-card region codes, and the demo logins.

东海省 does not exist: its region code 39 is not assigned to any province, so no demo ID number can
belong to a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE = "东海省烟草专卖局(公司)"
CITY = "临江市烟草专卖局(公司)"
EMPLOYEE_NO_PREFIX = "LJ"  # 临江
DEMO_PASSWORD = "jinjie2026"


@dataclass(frozen=True)
class County:
    name: str
    region_code: str  # first six digits of an ID number issued there
    share: float  # share of the field staff working there


COUNTIES: tuple[County, ...] = (
    County("城区营销部", "390202", 0.34),
    County("青山县局", "390221", 0.24),
    County("白沙县局", "390222", 0.22),
    County("江口县局", "390223", 0.20),
)
# Some staff were born elsewhere in the province (海州市, the provincial capital, and 临江 proper).
OTHER_REGION_CODES: tuple[str, ...] = ("390102", "390103", "390201", "390224")


@dataclass(frozen=True)
class Login:
    """One demo login. `employee_story` names the generated employee it is tied to (employee role)."""

    username: str
    role: str  # a value of org.models.Role (kept as text so that this module needs no Django)
    full_name: str
    track: str = ""
    department: str = ""  # shown in the login table: 营销中心, 专卖监督管理科 …
    employee_story: str = ""


LOGINS: tuple[Login, ...] = (
    Login("hr", "hr", "李娟", department="人事劳资科"),
    Login("kaoping", "assessor", "周建国", department="督察考评中心"),
    Login("yingxiao", "track_reviewer", "陈海峰", track="客户经理", department="营销中心"),
    Login("zhuanmai", "track_reviewer", "吴立新", track="市场管理员", department="专卖监督管理科"),
    Login("weiyuanhui", "committee", "郑晓东", department="考评委员会办公室"),
    Login("lingdao", "leader", "孙卫东", department="分局(公司)领导"),
    Login("juzhang", "director", "高志远", department="局长(经理)"),
    Login("jijian", "discipline", "何文静", department="纪检监察室"),
    # The employees: case A of SPEC 8 (qualifies for 初级A this quarter), case C (30 of the 36 months
    # needed for 中级C: the "还差" page), a 专卖管理员 who may apply for 中级专卖管理员, case B (晋级
    # 初级A → 中级C: committee › leader › notice) and a 跳级 初级B → 中级C (committee › director › notice).
    Login("yuangong1", "employee", "", employee_story="A"),
    Login("yuangong2", "employee", "", employee_story="C"),
    Login("yuangong3", "employee", "", employee_story="monopoly_ready"),
    Login("yuangong4", "employee", "", employee_story="B"),
    Login("yuangong5", "employee", "", employee_story="skip_level"),
    # … and a 中级 employee who meets the default criteria of a 竞聘 and has not applied to the open one.
    Login("yuangong6", "employee", "", employee_story="selection_open"),
)
SUPERUSER = "admin"
# A mentor (SPEC 5 导师制): an employee of 中级 or above, paired with yuangong2 by the demo's HR.
MENTOR_LOGIN = "daoshi"
