"""/api/selections/…: every step of a selection through the API, with the same rights, scoping and
Chinese refusals as the pages; a judge reads and writes only their own sheet."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jinjie.selections.models import Application, ScoreEntry, Selection
from jinjie.selections.scoring import scoreboard

pytestmark = pytest.mark.django_db

BODY = {
    "title": "2026年客服部主任竞聘", "deadline": "2026-06-30",
    "posts": [{"title": "客服部主任", "places": 1, "duties": "客户服务"}, {"title": "订单部主任"}],
}


def test_hr_creates_and_publishes_and_others_may_not(world, api_for):
    response = api_for("hr").post("/api/selections/", BODY, format="json")
    assert response.status_code == 201, response.data
    assert response.data["selection"]["code"] == "JP2026-001" and response.data["selection"]["state"] == "draft"
    assert len(response.data["criteria"]) == 6
    pk = response.data["selection"]["id"]
    assert api_for("hr").post(f"/api/selections/{pk}/publish/").data["selection"]["state"] == "published"
    for key in ("leader", "zhang", "committee"):
        refused = api_for(key).post("/api/selections/", BODY, format="json")
        assert refused.status_code == 403 and refused.data["detail"].startswith("您的角色"), key
    assert api_for("hr_b").get(f"/api/selections/{pk}/").status_code == 404


def test_bad_weights_are_a_400_in_chinese_and_nothing_is_written(world, api_for):
    body = {**BODY, "scheme": {"weights": {"written": "0.3", "speech": "0.3", "democratic": "0.3"}}}
    response = api_for("hr").post("/api/selections/", body, format="json")
    assert response.status_code == 400 and "三项权重之和应为 1" in response.data["detail"]
    response = api_for("hr").post("/api/selections/", {**BODY, "state": "appointed"}, format="json")
    assert response.status_code == 400 and "不接受的字段：state" in response.data["detail"]
    assert not Selection.objects.exists()


def test_an_employee_applies_and_hr_recommends_with_an_exception(world, published, api_for):
    post = published.posts.get(title="客服部主任")
    posting = api_for("zhang").get(f"/api/selections/{published.pk}/posting/").data
    assert posting["may_apply"] and [r["passed"] for r in posting["criteria"]] == [True] * 6
    response = api_for("zhang").post(f"/api/selections/{published.pk}/applications/", {"post": post.pk}, format="json")
    assert response.status_code == 201 and response.data["via"] == "self"
    refused = api_for("sun").post(f"/api/selections/{published.pk}/applications/", {"post": post.pk}, format="json")
    assert refused.status_code == 400 and "不符合报名条件" in refused.data["detail"]
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = api_for("hr").post(
        f"/api/selections/{published.pk}/applications/",
        {"post": post.pk, "employee_no": "A006", "exception_reason": "表现突出", "attachment": upload}, format="multipart",
    )
    assert response.status_code == 201, response.data
    assert response.data["via"] == "recommended"
    # The employee's list of applications is the readers'.
    assert api_for("zhang").get(f"/api/selections/{published.pk}/applications/").status_code == 403
    assert len(api_for("hr").get(f"/api/selections/{published.pk}/applications/").data) == 2
    app = Application.objects.get(employee=world.people["zhang"])
    withdrawn = api_for("zhang").post(f"/api/selections/{published.pk}/applications/{app.pk}/withdraw/", {}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.data["withdrawn_at"]


def test_a_whole_selection_through_the_api(world, published, advance, api_for, today):
    apps = advance(published, to="review")
    hr = api_for("hr")
    url = f"/api/selections/{published.pk}"
    for app in apps.values():
        assert hr.post(f"{url}/review/", {"application": app.pk, "result": "confirm"}, format="json").status_code == 200
    assert hr.post(f"{url}/complete/", {"stage": "review"}, format="json").data["selection"]["state"] == "written"
    scores = [{"application": apps[k].pk, "score": v} for k, v in (("zhang", "85"), ("li", "80"), ("wang", "55"), ("zhao", "78"))]
    assert hr.post(f"{url}/scores/", {"stage": "written", "scores": scores}, format="json").data["written"] == 4
    hr.post(f"{url}/complete/", {"stage": "written"}, format="json")
    # Each judge: their own sheet only.
    for i, judge in enumerate(world.judges):
        client = api_for(judge.username)
        sheet = client.get(f"{url}/sheet/").data
        assert [r["mark"] for r in sheet["rows"]] == [None, None, None], sheet  # nobody else's marks either
        marks = [{"application": apps[k].pk, "score": str(80 + i)} for k in ("zhang", "li", "zhao")]
        assert client.post(f"{url}/sheet/", {"marks": marks}, format="json").data["written"] == 3
    assert api_for("judge1").get(f"{url}/sheet/").data["rows"][0]["mark"] == "80.00"
    assert api_for("leader").get(f"{url}/sheet/").status_code == 404  # may judge, but is no judge of this one
    assert api_for("zhang").get(f"{url}/sheet/").status_code == 403  # an employee judges nothing
    hr.post(f"{url}/complete/", {"stage": "speech"}, format="json")
    ballots = [{"application": apps[k].pk, "excellent": 10, "competent": 5, "basic": 0, "incompetent": 0} for k in ("zhang", "li", "zhao")]
    assert hr.post(f"{url}/ballots/", {"ballots": ballots}, format="json").status_code == 200
    hr.post(f"{url}/complete/", {"stage": "democratic"}, format="json")
    ranking = hr.get(f"{url}/ranking/").data
    # speech (80 … 84, extremes dropped) 82; ballots (10×100 + 5×80) / 15 = 93.33;
    # 张三 25.5 + 32.8 + 27.999 = 86.30, 李四 24 + … = 84.80, 赵六 23.4 + … = 84.20.
    assert [(r["name"], r["total"], r["position"]) for r in ranking] == [
        ("张三", "86.3", 1), ("李四", "84.8", 2), ("王五", None, None), ("赵六", "84.2", 1),
    ]
    hr.post(f"{url}/inspect/")
    for key in ("zhang", "li", "zhao"):
        body = {"application": apps[key].pk, "inspectors": "组织部", "date": "2026-07-20", "findings": "好", "conclusion": "合格"}
        assert hr.post(f"{url}/inspections/", body, format="json").status_code == 200
    decided = api_for("leader").post(f"{url}/decide/", {}, format="json")
    assert decided.status_code == 200 and [a["name"] for a in decided.data["decision"]["appointees"]] == ["张三", "赵六"]
    today(date(2026, 7, 27))
    notice = hr.post(f"{url}/notice/", {}, format="json")
    assert notice.status_code == 201 and notice.data["end_date"] == "2026-08-03"
    assert api_for("discipline").get(f"{url}/").data["selection"]["state"] == "notice"
    assert scoreboard(published).speech(apps["zhang"].pk) == D("82.00")  # 80 … 84, extremes dropped


def test_a_judge_cannot_write_another_judges_sheet_or_for_a_recused_candidate(world, published, advance, api_for):
    apps = advance(published, to="speech")
    url = f"/api/selections/{published.pk}"
    api_for("hr").post(f"{url}/recusals/", {"judge": world.judges[0].pk, "application": apps["li"].pk, "reason": "亲属"}, format="json")
    refused = api_for("judge1").post(f"{url}/sheet/", {"marks": [{"application": apps["li"].pk, "score": "90"}]}, format="json")
    assert refused.status_code == 403 and "回避" in refused.data["detail"]
    # There is no field to name another judge: a sheet entry is always the caller's own.
    smuggled = api_for("judge1").post(
        f"{url}/sheet/", {"marks": [{"application": apps["zhang"].pk, "score": "90"}], "judge": world.judges[1].pk}, format="json"
    )
    assert smuggled.status_code == 400 and "不接受的字段：judge" in smuggled.data["detail"]
    assert not ScoreEntry.objects.filter(stage="speech").exists()
    # HR reading the dossier during the speech sees no judge's marks.
    api_for("judge2").post(f"{url}/sheet/", {"marks": [{"application": apps["zhang"].pk, "score": "91"}]}, format="json")
    ranking = api_for("hr").get(f"{url}/ranking/").data
    assert all(r["speech"] is None for r in ranking)
    assert api_for("hr").get(f"{url}/").data["sheets_visible"] is False
