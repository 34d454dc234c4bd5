"""The demo's career development (SPEC 5, 2.6): portal pages, plans, talks, two mentorships (one with
a mentor login, `daoshi`), a closed survey with answers (three reporting groups of ≥ 5 and one of
3, which the results page hides), and a favour list of last year. Written through the channel's
services where a person would act, and in bulk where the demo plays a crowd (the survey's answers,
stored exactly as survey_answer stores them: random keys, shuffled, no link to the respondents)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password

from jinjie.assessments.schemes import schemes_load_defaults
from jinjie.development.models import (
    Answer,
    MentorMeeting,
    Participation,
    PlanComment,
    PlanVersion,
    QuestionKind,
    SurveyState,
)
from jinjie.development.services import (
    favour_draw,
    mentorship_create,
    plan_add_gap_actions,
    plan_save,
    portal_page_save,
    survey_create,
    talk_record,
)
from jinjie.development.services.surveys import reporting_unit_path
from jinjie.org.models import OrgUnit, Role, User
from jinjie.people.models import Employee, Status
from jinjie.rulebooks.services import rulebook_load_defaults
from jinjie.rules.ladder import RANKS

from .bureau import CITY, DEMO_PASSWORD, MENTOR_LOGIN, PROVINCE, SUPERUSER

PAGES = (
    ("strategy", PROVINCE, "发展战略", """# 人才发展战略

全省烟草商业系统坚持“人才强企”，以**岗位胜任力**为核心，建设客户经理、市场管理员、专卖管理员三支专业队伍。

- 畅通非管理类职级通道：见习 → 初级 → 中级 → 高级，每级分 C、B、A 三档；
- 完善管理类晋升通道：竞聘上岗，公开、平等、竞争、择优；
- 以月度绩效考核、综合能力测评和培训考试为依据，动态管理。
"""),
    ("promotion-policy", CITY, "晋升制度", """# 职级晋升制度（摘要）

| 事项 | 规定 |
|---|---|
| 测评期 | 每季度一次，按自然季度 |
| 晋档 | 达到上一档任职条件，经序列审核或考评委员会审批 |
| 晋级 | 经考评委员会审核、领导审批并公示 7 天 |
| 降档、降级 | 平均绩效低于保级线或降级线 |

详细标准见“岗位标准”页面。对公示有异议的，可在公示期内提出。
"""),
    ("training", CITY, "2026 年培训方案", """# 2026 年培训方案

1. 营销技能提升班（客户经理，每季度一期）；
2. 专卖法律法规专题培训（市场管理员、专卖管理员）；
3. 职业技能等级鉴定辅导（四级、三级）。

培训考试成绩计入“培训成绩”，用于职级评定。报名请联系人事劳资科。
"""),
)

QUESTIONS = [
    {"kind": QuestionKind.SCALE, "text": "您对本单位提供的职业发展机会满意吗？"},
    {"kind": QuestionKind.SCALE, "text": "您认为职级晋升标准公开透明吗？"},
    {"kind": QuestionKind.CHOICE, "text": "您最希望参加哪类培训？", "options": ["营销技能", "法律法规", "数据分析", "管理能力"]},
    {"kind": QuestionKind.TEXT, "text": "您对职业发展工作有什么建议？"},
]
SUGGESTIONS = ["希望增加培训机会", "晋升标准再细化一些", "导师制很有帮助", "希望多组织交流学习", "考核分项说明更清楚些", ""]


def development_demo(*, today, hr: User, leader: User, rng_seed: int = 1) -> dict[str, int]:
    """Everything above, for the demo bureau just written; returns counts for the summary."""
    rng = random.Random(rng_seed)
    rulebook_load_defaults()  # idempotent: the gap and the favour list read the rule book in force
    schemes_load_defaults()
    province = OrgUnit.objects.get(parent=None, name=PROVINCE)
    city = OrgUnit.objects.get(parent=province, name=CITY)
    start = today - timedelta(days=120)
    admin = User.objects.get(username=SUPERUSER)  # the province's pages are above the 市局's HR
    for slug, unit, title, body in PAGES:
        portal_page_save(actor=admin if unit == PROVINCE else hr, slug=slug, title=title, body=body, effective_from=start.replace(day=1),
                         org_unit=province if unit == PROVINCE else city)

    staff = list(Employee.objects.filter(org_unit__path__startswith=city.path, status=Status.ACTIVE).select_related("org_unit").order_by("employee_no"))
    logins = {u.username: u for u in User.objects.filter(username__in=["yuangong1", "yuangong2"]).select_related("employee__org_unit")}
    case_c, case_a = logins["yuangong2"].employee, logins["yuangong1"].employee

    # Plans: case C from the gap, case A written by hand.
    plan_add_gap_actions(employee=case_c, actor=logins["yuangong2"])
    plan_save(employee=case_a, actor=logins["yuangong1"], target_rank="初级A", goals="本季度达到初级A，明年争取中级C",
              actions=[{"text": "参加营销技能提升班", "status": "doing"}, {"text": "考取四级职业技能等级", "status": "todo"}])

    # Two mentorships; the first mentor gets a login (daoshi).
    senior = RANKS.index("中级C")
    seniors = [e for e in staff if e.current_rank in RANKS and RANKS.index(e.current_rank) >= senior
               and e.pk not in (case_a.pk, case_c.pk)]
    seniors.sort(key=lambda e: (e.org_unit_id != case_c.org_unit_id, e.track != case_c.track, e.employee_no))
    mentor, second_mentor = seniors[0], seniors[1]
    mentor_user = User.objects.create(
        username=MENTOR_LOGIN, role=Role.EMPLOYEE, password=make_password(DEMO_PASSWORD), first_name=mentor.name,
        employee=mentor, org_unit=mentor.org_unit,
    )
    first = mentorship_create(mentor=mentor, mentee=case_c, start_date=start, end_date=start + timedelta(days=365),
                              goals="一年内补齐中级C的任职条件，培训成绩稳定在 75 分以上", actor=hr)
    mentorship_create(mentor=second_mentor, mentee=case_a, start_date=start, end_date=start + timedelta(days=180),
                      goals="巩固初级A，准备职业技能等级鉴定", actor=hr)
    # What happened since the pairing began (the services check against the real clock, the demo
    # lives on `today`): written as the services would have.
    MentorMeeting.objects.create(mentorship=first, date=start + timedelta(days=30), notes="讨论任职年限与培训计划",
                                 recorded_by=mentor_user)
    latest = PlanVersion.objects.filter(plan__employee=case_c).order_by("-number").first()
    PlanComment.objects.create(plan=latest.plan, version=latest.number, author=mentor_user, capacity="导师",
                               text="行动可行，建议先完成营销技能培训。")
    # Talks: HR's (with a 保密 note) and the leader's.
    talk_record(employee=case_c, actor=hr, date=today - timedelta(days=20), participants=f"李娟（人事劳资科）、{case_c.name}",
                topics="回顾近一年绩效，讨论晋级中级C的路径", agreed_actions=["参加营销技能提升班", "每季度与导师面谈一次"],
                follow_up=today + timedelta(days=70), confidential_note="本人提出家庭原因希望调整片区，暂不公开。")
    talk_record(employee=case_a, actor=leader, date=today - timedelta(days=10), participants=f"孙卫东（分局领导）、{case_a.name}",
                topics="肯定本季度表现，鼓励报名参加竞聘", agreed_actions=["了解竞聘条件"])

    # A closed survey of the 市局: groups are its counties × tracks.
    survey = survey_create(actor=hr, title=f"{today.year} 年职业满意度调查", org_unit=city, tracks=["客户经理", "市场管理员"],
                           opens=today - timedelta(days=40), closes=today - timedelta(days=10), questions=QUESTIONS,
                           intro="匿名调查，结果只按 5 人以上的群体汇总。")
    counts = _survey_answers(survey, staff, rng)
    survey.state = SurveyState.CLOSED
    survey.save(update_fields=["state"])

    favour = favour_draw(year=today.year - 1, kind="评先", org_unit=city, actor=hr)
    return {"职业发展中心页面": len(PAGES), "调查答卷": counts, "评先名单人数": favour.entries.count()}


def _survey_answers(survey, staff, rng) -> int:
    """Respondents per county: 12, 9, 7 and 3 (the last one too few to show)."""
    questions = list(survey.questions.order_by("position"))
    by_county: dict[int, list[Employee]] = {}
    for e in staff:
        if e.track in survey.tracks and e.track == "客户经理":
            by_county.setdefault(e.org_unit_id, []).append(e)
    wanted = [12, 9, 7, 3]
    groups = dict(OrgUnit.objects.filter(parent=survey.org_unit).values_list("path", "pk"))
    participations, answers = [], []
    for (_, people), n in zip(sorted(by_county.items()), wanted, strict=False):
        for e in rng.sample(people, min(n, len(people))):
            path = reporting_unit_path(survey.org_unit, e.org_unit.path)
            unit_id = groups[path]
            participations.append(Participation(survey=survey, employee=e))
            for q in questions:
                if q.kind == QuestionKind.SCALE:
                    value = {"number": rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 3])[0]}
                elif q.kind == QuestionKind.CHOICE:
                    value = {"choice": rng.choice(q.options)}
                else:
                    text = rng.choice(SUGGESTIONS)
                    if not text:
                        continue
                    value = {"text": text}
                answers.append(Answer(survey=survey, question=q, group_unit_id=unit_id, group_track=e.track, **value))
    rng.shuffle(answers)
    Participation.objects.bulk_create(participations)
    Answer.objects.bulk_create(answers)
    return len(participations)
