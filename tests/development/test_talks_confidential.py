"""A talk's 保密 note reaches HR only (SPEC 5): never the employee, their mentor or the unit leader —
not through the selector, the page, the API nor the export."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jinjie.core.errors import DomainError, NotPermitted
from jinjie.development.models import TalkNote
from jinjie.development.selectors.talks import talks_for
from jinjie.development.services import mentorship_create, talk_acknowledge, talk_actions_to_plan, talk_record
from jinjie.interchange.exports import export_talks

pytestmark = pytest.mark.django_db
SECRET = "家庭困难，考虑调岗（保密）"


@pytest.fixture
def talk(users, staff, today):
    mentorship_create(mentor=staff["sun"], mentee=staff["zhang"], start_date=date(2026, 9, 1), end_date=date(2027, 8, 31),
                      goals="一年内达到中级C的条件", actor=users["hr"])
    return talk_record(
        employee=staff["zhang"], actor=users["hr"], date=date(2026, 10, 8), participants="人事、张三",
        topics="职业发展方向", agreed_actions=["参加营销技能培训", "考取四级证书"], follow_up=date(2027, 1, 10),
        confidential_note=SECRET,
    )


def test_the_note_is_stored_apart_and_hr_reads_it(talk, users):
    assert TalkNote.objects.get(talk=talk).text == SECRET
    [view] = talks_for(user=users["hr"])
    assert (view.talk.pk, view.note, view.may_read_note) == (talk.pk, SECRET, True)


@pytest.mark.parametrize("who", ["zhang", "sun", "leader"])
def test_nobody_else_gets_the_note_from_the_selector(talk, users, who):
    views = talks_for(user=users[who])
    assert all(v.note is None and not v.may_read_note for v in views)
    if who in ("zhang", "leader"):
        assert [v.talk.pk for v in views] == [talk.pk]  # they do read the talk, without the note


@pytest.mark.parametrize("who", ["zhang", "sun", "leader"])
def test_nobody_else_sees_the_note_on_the_pages(talk, web, who):
    for url in (f"/talks/{talk.pk}/", "/talks/", "/me/", f"/plans/{talk.employee_id}/"):
        body = web(who).get(url).content.decode()
        assert SECRET not in body, url
    hr = web("hr").get(f"/talks/{talk.pk}/").content.decode()
    assert SECRET in hr


@pytest.mark.parametrize("who", ["zhang", "sun", "leader"])
def test_nobody_else_gets_the_note_from_the_api(talk, api, who):
    for url in ("/api/talks/", f"/api/talks/{talk.pk}/"):
        response = api(who).get(url)
        assert SECRET not in response.content.decode()
    listed = api("zhang").get("/api/talks/").json()
    assert listed[0]["confidential_note"] is None
    assert api("hr").get(f"/api/talks/{talk.pk}/").json()["confidential_note"] == SECRET


@pytest.mark.parametrize("who", ["zhang", "leader"])
def test_nobody_else_gets_the_note_in_the_export(talk, users, web, who):
    response = web(who).get("/talks/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert SECRET not in cells and "confidential_note" not in cells
    buffer = io.BytesIO()
    export_talks(views=talks_for(user=users["hr"]), path=buffer, fmt="xlsx")
    hr_cells = [c for row in load_workbook(buffer).active.iter_rows(values_only=True) for c in row]
    assert SECRET in hr_cells


def test_only_hr_may_write_a_note(users, staff):
    with pytest.raises(DomainError, match="只有人事劳资可以填写保密记录"):
        talk_record(employee=staff["zhang"], actor=users["leader"], date="2026-10-08", participants="领导、张三",
                    topics="谈话", confidential_note="x")
    talk = talk_record(employee=staff["zhang"], actor=users["leader"], date="2026-10-08", participants="领导、张三", topics="谈话")
    assert not TalkNote.objects.filter(talk=talk).exists()


def test_the_employee_acknowledges_once_and_takes_the_actions_into_the_plan(talk, users):
    with pytest.raises(NotPermitted):
        talk_acknowledge(talk=talk, actor=users["sun"])
    assert talk_acknowledge(talk=talk, actor=users["zhang"]).acknowledged_at is not None
    with pytest.raises(DomainError, match="已确认"):
        talk_acknowledge(talk=talk, actor=users["zhang"])
    version = talk_actions_to_plan(talk=talk, actor=users["zhang"])
    assert [a["text"] for a in version.actions] == ["参加营销技能培训", "考取四级证书"]
    assert {a["due"] for a in version.actions} == {"2027-01-10"}
    with pytest.raises(DomainError, match="都已在计划中"):
        talk_actions_to_plan(talk=talk, actor=users["zhang"])


def test_a_talk_of_another_city_is_not_found(talk, users, web, api):
    assert talks_for(user=users["hr_b"]) == []
    assert web("hr_b").get(f"/talks/{talk.pk}/").status_code == 404
    assert api("hr_b").get(f"/api/talks/{talk.pk}/").status_code == 404
    assert web("wang").get(f"/talks/{talk.pk}/").status_code == 404
