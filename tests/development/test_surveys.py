"""职业满意度调查 (SPEC 5): answers carry no link to the person; each employee answers once; a group
under five answers is never shown (nor one that could be worked out from the others)."""

from datetime import date

import pytest
from bureau import make_employee, make_user
from django.db import models

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.development.models import Answer, Participation, Survey
from jinjie.development.selectors.surveys import SUPPRESSED, survey_results
from jinjie.development.services import survey_answer, survey_close, survey_create, survey_open
from jinjie.org.models import Role, User
from jinjie.people.models import Employee

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"kind": "scale", "text": "您对职业发展机会满意吗？"},
    {"kind": "choice", "text": "最希望参加的培训", "options": ["营销技能", "法律法规"]},
    {"kind": "text", "text": "建议"},
]


@pytest.fixture
def survey(users, tree, today):
    s = survey_create(actor=users["hr"], title="2026 年职业满意度调查", org_unit=tree["city_a"], tracks=["客户经理", "市场管理员"],
                      opens=date(2026, 10, 1), closes=date(2026, 10, 31), questions=QUESTIONS)
    return survey_open(survey=s, actor=users["hr"])


def respondents(unit, prefix, n, track="客户经理"):
    out = []
    for i in range(n):
        e = make_employee(unit, f"{prefix}{i:02d}", f"员工{prefix}{i}", track=track)
        out.append(make_user(f"u{prefix}{i}", Role.EMPLOYEE, unit, employee=e))
    return out


def answer(survey, user, scale="4", choice="营销技能", text=""):
    q = {x.position: x.pk for x in survey.questions.all()}
    return survey_answer(survey=survey, actor=user, answers={q[1]: scale, q[2]: choice, q[3]: text})


def test_the_answers_table_has_no_column_that_names_or_dates_a_person():
    for model in (Answer, Participation):
        assert isinstance(model._meta.pk, models.UUIDField)  # random keys: no insertion order
    for f in Answer._meta.get_fields():
        if f.is_relation:
            assert f.related_model not in (Employee, User, Participation), f.name
        assert not isinstance(f, models.DateTimeField | models.DateField), f.name
    assert not any(f.is_relation and f.related_model is Answer for f in Participation._meta.get_fields())


def test_nothing_the_application_offers_ties_an_answer_to_its_author(survey, tree):
    people = respondents(tree["county_a"], "P", 6)
    for i, user in enumerate(people):
        answer(survey, user, scale=str(i % 5 + 1), text=f"意见{i}")
    answers = list(Answer.objects.filter(survey=survey).values())
    assert len(answers) == 18
    # what is stored: survey, question, the reporting group and the value — nothing of the person
    assert set(answers[0]) == {"id", "survey_id", "question_id", "group_unit_id", "group_track", "number", "choice", "text"}
    assert {a["group_unit_id"] for a in answers} == {tree["county_a"].pk}  # the reporting unit, not finer
    # neither key order nor any shared value lines answers up with the participation rows
    participation_ids = {str(p) for p in Participation.objects.values_list("id", flat=True)}
    assert not participation_ids & {str(a["id"]) for a in answers}
    # the results offer aggregates only: no answer id, no participation id, no employee
    for r in survey_results(survey=survey):
        for cell in [r.overall, *r.by_unit, *r.by_track]:
            assert set(vars(cell)) == {"label", "count", "shown", "mean", "distribution", "texts"}


def test_a_second_answer_is_refused_and_writes_nothing(survey, tree):
    [user] = respondents(tree["county_a"], "Q", 1)
    assert answer(survey, user) == 2  # a blank free text stores nothing
    before = Answer.objects.count()
    with pytest.raises(DomainError, match="每人只能填写一次"):
        answer(survey, user, scale="1")
    assert Answer.objects.count() == before and Participation.objects.count() == 1


def test_outside_the_audience_or_the_window_is_refused(survey, tree, users, today):
    [outsider] = respondents(tree["city_b"], "X", 1)
    with pytest.raises(NotPermitted):
        answer(survey, outsider)
    [monopoly] = respondents(tree["county_a"], "M", 1, track="专卖管理员")
    with pytest.raises(DomainError, match="不在本次调查的范围内"):
        answer(survey, monopoly)
    [late] = respondents(tree["county_a"], "L", 1)
    today(date(2026, 11, 1))
    with pytest.raises(DomainError, match="不在填写期内"):
        answer(survey, late)
    assert not Answer.objects.exists()


def test_a_group_of_four_is_never_shown_and_its_complement_is_hidden_too(survey, tree, users):
    for i, user in enumerate(respondents(tree["county_a"], "A", 6)):
        answer(survey, user, scale="5", text=f"甲县局意见{i}")
    for user in respondents(tree["county_c"], "C", 4):
        answer(survey, user, scale="1", text="丙县局意见")
    scale, choice, text = survey_results(survey=survey)
    assert (scale.overall.shown, scale.overall.count, str(scale.overall.mean)) == (True, 10, "3.40")
    by_unit = {c.label: c for c in scale.by_unit}
    # 丙县局 has 4: hidden; 甲县局 (6) would give 丙县局 away as total − 甲县局: hidden as well
    assert not by_unit["丙县局"].shown and not by_unit["甲县局"].shown
    assert by_unit["丙县局"].mean is None and by_unit["丙县局"].distribution == []
    texts = {c.label: c for c in text.by_unit}
    assert texts["丙县局"].texts == [] and texts["甲县局"].texts == []
    assert sorted(text.overall.texts) == sorted([f"甲县局意见{i}" for i in range(6)] + ["丙县局意见"] * 4)


def test_free_text_comes_in_random_order(survey, tree):
    for i, user in enumerate(respondents(tree["county_a"], "R", 8)):
        answer(survey, user, text=f"意见{i}")
    orders = {tuple(survey_results(survey=survey)[2].overall.texts) for _ in range(20)}
    assert len(orders) > 1


def test_a_lone_group_of_four_shows_nothing_at_all(survey, tree, web):
    for user in respondents(tree["county_a"], "F", 4):
        answer(survey, user)
    [scale, *_] = survey_results(survey=survey)
    assert not scale.overall.shown and all(not c.shown for c in scale.by_unit + scale.by_track)
    page = web("hr").get(f"/surveys/{survey.pk}/results/").content.decode()
    assert SUPPRESSED in page


def test_the_results_export_holds_the_aggregates_only(survey, tree, web):
    for user in respondents(tree["county_a"], "E", 5):
        answer(survey, user, scale="3", text="私密意见")
    response = web("hr").get(f"/surveys/{survey.pk}/results.xlsx")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("question", "kind", "breakdown", "group", "answers", "mean", "distribution", "note")
    overall = next(r for r in rows if r[:4] == ("您对职业发展机会满意吗？", "1–5 分", "全部", "全部"))
    assert (overall[4], float(overall[5]), overall[6]) == (5, 3.0, "1:0；2:0；3:5；4:0；5:0")
    assert not any("私密意见" in str(c) for row in rows for c in row)


def test_only_hr_manages_and_reads_results(survey, users, web, api):
    with pytest.raises(NotPermitted):
        survey_close(survey=survey, actor=users["leader"])
    assert web("zhang").get(f"/surveys/{survey.pk}/results/").status_code == 403
    assert api("zhang").get(f"/api/surveys/{survey.pk}/results/").status_code == 403
    assert web("hr_b").get(f"/surveys/{survey.pk}/results/").status_code == 404
    assert Survey.objects.get().state == "open"
