"""The 竞聘 pages: the list, drafting, the dossier at every stage, the posting an applicant reads
(required / actual / 符合), applying and withdrawing, a judge's own sheet, the exports and the
attachments — each only for whom the authority says, another unit's selection not found."""

from datetime import date

import pytest
from bureau import make_user
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from selection_world import DEADLINE

from jinjie.org.models import Role
from jinjie.selections import services as sv
from jinjie.selections.models import Application, Selection

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def test_hr_drafts_a_selection_on_the_page(world, client_for):
    client = client_for("hr")
    form = client.get(reverse("web:selection_new")).content.decode()
    assert "ladder_rank" in form and "0.30" in form
    response = client.post(reverse("web:selection_new"), {
        "org_unit": world.tree["city_a"].pk, "title": "客服部主任竞聘", "deadline": "2026-06-30",
        "posts": "客服部主任 | 1 | 负责客户服务\n订单部主任|2", "criteria": '[{"type": "age", "op": "<=", "value": "45"}]',
        "w_written": "0.3", "w_speech": "0.4", "w_democratic": "0.3", "pass_line": "60", "inspect_ratio": "2",
        "inspect_min": "70", "drop_extremes_from": "5", "notice_days": "5",
    })
    selection = Selection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:selection", args=[selection.pk])
    assert [(p.title, p.places, p.duties) for p in selection.posts.all()] == [("客服部主任", 1, "负责客户服务"), ("订单部主任", 2, "")]


def test_bad_weights_on_the_page_are_a_chinese_form_error_and_nothing_is_written(world, client_for):
    response = client_for("hr").post(reverse("web:selection_new"), {
        "org_unit": world.tree["city_a"].pk, "title": "竞聘", "deadline": "2026-06-30", "posts": "主任",
        "criteria": '[{"type": "age", "op": "<=", "value": "45"}]', "w_written": "0.5", "w_speech": "0.4", "w_democratic": "0.3", "pass_line": "60",
        "inspect_ratio": "2", "inspect_min": "70", "drop_extremes_from": "5", "notice_days": "5",
    })
    assert response.status_code == 200 and "三项权重之和应为 1" in response.content.decode()
    assert not Selection.objects.exists()


def test_an_employee_reads_the_posting_with_their_own_check_and_applies(world, published, client_for):
    client = client_for("zhang")
    page = client.get(reverse("web:selection_posting", args=[published.pk])).content.decode()
    assert "客服部主任" in page and "工作 99 个月" not in page
    assert page.count("符合") >= 6 and "不符合" not in page
    post = published.posts.get(title="客服部主任")
    response = client.post(reverse("web:selection_apply", args=[published.pk]), {"post": post.pk})
    assert response.status_code == 302
    assert Application.objects.get(employee=world.people["zhang"]).post == post
    assert "撤回报名" in client.get(reverse("web:selection_posting", args=[published.pk])).content.decode()
    client.post(reverse("web:selection_withdraw", args=[published.pk]), {"reason": "家庭原因"})
    assert Application.objects.get(employee=world.people["zhang"]).withdrawn_at is not None


def test_an_ineligible_employee_sees_why_and_is_refused(world, published, client_for):
    client = client_for("sun")
    page = client.get(reverse("web:selection_posting", args=[published.pk])).content.decode()
    assert "不符合" in page and "您不符合报名条件" in page
    post = published.posts.first()
    response = client.post(reverse("web:selection_apply", args=[published.pk]), {"post": post.pk}, follow=True)
    assert "不符合报名条件：职级" in response.content.decode()
    assert not Application.objects.exists()


def test_the_dossier_is_for_its_readers_in_their_unit(world, published, client_for):
    url = reverse("web:selection", args=[published.pk])
    for key in ("hr", "leader", "director", "discipline"):
        assert client_for(key).get(url).status_code == 200, key
    for key in ("committee", "assessor", "zhang"):
        assert client_for(key).get(url).status_code == 403, key
    assert client_for("hr_b").get(url).status_code == 404


def test_hr_walks_the_stages_on_the_dossier(world, published, advance, client_for):
    apps = advance(published, to="written")
    client = client_for("hr")
    url = lambda action: reverse("web:selection_act", args=[published.pk, action])  # noqa: E731
    page = client.get(reverse("web:selection", args=[published.pk])).content.decode()
    assert "保存笔试成绩" in page
    client.post(url("written"), {f"s_{apps['zhang'].pk}": "85", f"s_{apps['li'].pk}": "80", f"s_{apps['zhao'].pk}": "78"})
    response = client.post(url("complete"), {"stage": "written"}, follow=True)
    assert "笔试已确认" in response.content.decode()
    published.refresh_from_db()
    assert published.state == "speech"
    # A refused act is a message on the page, nothing written.
    response = client.post(url("complete"), {"stage": "written"}, follow=True)
    assert "笔试阶段已经完成" in response.content.decode()
    assert client.post(url("nonsense"), {}).status_code == 404


def test_during_the_speech_hr_sees_progress_but_no_judges_marks(world, published, advance, client_for):
    apps = advance(published, to="speech")
    sv.judge_marks(selection=published, judge=world.judges[0], marks={apps["zhang"].pk: "93.5"})
    page = client_for("hr").get(reverse("web:selection", args=[published.pk])).content.decode()
    assert "已评 1 / 3 人" in page and "93.5" not in page
    sv.stage_complete(selection=published, actor=world.users["hr"], stage="speech")
    assert "93.50" in client_for("hr").get(reverse("web:selection", args=[published.pk])).content.decode()


def test_a_judge_reads_and_writes_only_their_own_sheet(world, published, advance, client_for):
    apps = advance(published, to="speech")
    sv.judge_marks(selection=published, judge=world.judges[0], marks={apps["zhang"].pk: "93.5"})
    url = reverse("web:selection_sheet", args=[published.pk])
    mine = client_for("judge1").get(url).content.decode()
    theirs = client_for("judge2").get(url).content.decode()
    assert 'value="93.50"' in mine and "93.5" not in theirs
    client_for("judge2").post(url, {f"m_{apps['zhang'].pk}": "70"})
    from jinjie.selections.scoring import scoreboard

    marks = scoreboard(published).marks[apps["zhang"].pk]
    assert (marks[world.judges[0].pk].score, marks[world.judges[1].pk].score) == (93.5, 70)
    # Not a judge of it: not found; not a judging role: refused.
    assert client_for("leader").get(url).status_code == 404
    assert client_for("zhang").get(url).status_code == 403


def test_the_exports_and_the_attachment_are_the_readers(world, published, advance, client_for, today):
    sv.application_apply(
        selection=published, post=published.posts.first(), employee=world.people["sun"], actor=world.users["hr"],
        exception_reason="破格理由", attachment=SimpleUploadedFile("说明.pdf", PDF),
    )
    advance(published, to="review")
    hr = client_for("hr")
    for name, kind in (("dossier.pdf", "application/pdf"), ("dossier.xlsx", "spreadsheetml"), ("ranking.csv", "text/csv"),
                       ("ranking.xlsx", "spreadsheetml")):
        response = hr.get(reverse("web:selection_export", args=[published.pk, name]))
        assert response.status_code == 200 and kind in response["Content-Type"], name
    pdf = hr.get(reverse("web:selection_export", args=[published.pk, "dossier.pdf"])).content
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert "post,employee_no,name,written" in hr.get(reverse("web:selection_export", args=[published.pk, "ranking.csv"])).content.decode("utf-8-sig")
    attachment = published.attachments.get()
    url = reverse("web:selection_attachment", args=[published.pk, attachment.pk])
    response = hr.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for("discipline").get(url).status_code == 200
    assert client_for("hr_b").get(url).status_code == 404
    assert client_for("sun").get(url).status_code == 403


def test_the_leader_decides_on_the_page(world, published, advance, client_for, today):
    apps = advance(published, to="inspection")
    page = client_for("leader").get(reverse("web:selection", args=[published.pk])).content.decode()
    assert "作出任用决定" in page
    posts = {p.title: p.pk for p in published.posts.all()}
    response = client_for("leader").post(
        reverse("web:selection_act", args=[published.pk, "decide"]),
        {f"post_{posts['客服部主任']}": apps["zhang"].pk, f"post_{posts['订单部主任']}": apps["zhao"].pk}, follow=True,
    )
    assert "任用决定已作出" in response.content.decode()
    today(date(2026, 7, 27))
    response = client_for("hr").post(reverse("web:selection_act", args=[published.pk, "notice"]), {"title": ""}, follow=True)
    assert "已发布任前公示" in response.content.decode()
    published.refresh_from_db()
    assert published.state == "notice" and published.notice.day_kind == "working"


@pytest.mark.parametrize("key", ["hr", "zhang", "judge1", "leader", "discipline", "committee", "hr_b"])
def test_the_list_shows_each_user_their_selections(world, published, key, client_for):
    page = client_for(key).get(reverse("web:selections")).content.decode()
    # 乙市局's HR reaches nothing of 甲市局; everyone of 甲市局 sees the published posting.
    assert ("JP2026-001" in page) == (key != "hr_b")


def test_a_posting_of_the_unit_above_is_listed_for_the_readers_below_too_without_its_dossier(world, published, client_for):
    root = world.tree["province"]
    hr_p = make_user("hr_p", Role.HR, root)
    above = sv.selection_create(actor=hr_p, org_unit=root, title="省公司中层岗位竞聘", deadline=DEADLINE,
                                posts=[{"title": "办公室主任", "places": 1}])
    sv.selection_publish(selection=above, actor=hr_p)
    # Everyone below reads the 省公司's posting (selections.browse), a dossier reader of 甲市局 as
    # much as its committee or an employee; its 纪实 is the 省公司's, not theirs.
    for key in ("hr", "leader", "discipline", "committee", "zhang"):
        client = client_for(key)
        page = client.get(reverse("web:selections")).content.decode()
        assert f'href="{reverse("web:selection_posting", args=[above.pk])}"' in page, key
        assert f'href="{reverse("web:selection", args=[above.pk])}"' not in page, key
        assert client.get(reverse("web:selection_posting", args=[above.pk])).status_code == 200, key
        assert client.get(reverse("web:selection", args=[above.pk])).status_code in (403, 404), key
    own = client_for("hr").get(reverse("web:selections")).content.decode()
    assert f'href="{reverse("web:selection", args=[published.pk])}"' in own
    # HR's work list is its own subtree's selections.
    home = client_for("hr").get("/").content.decode()
    assert published.code in home and above.code not in home


def test_the_posting_reaches_the_home_pages_of_whom_it_concerns(world, published, advance, client_for):
    career = client_for("zhang").get(reverse("web:career")).content.decode()
    assert "竞聘上岗公告" in career and "您符合报名条件" in career
    assert "您暂不符合报名条件" in client_for("sun").get(reverse("web:career")).content.decode()
    assert "JP2026-001" in client_for("hr").get("/").content.decode()
    apps = advance(published, to="speech")
    assert "待我评分(演讲答辩)" in client_for("judge1").get("/").content.decode()
    assert "待我评分" not in client_for("director").get("/").content.decode()
    assert apps


def test_the_period_page_lists_the_management_post_holders(world, client_for):
    from jinjie.evaluations.services import evaluation_run
    from jinjie.people.models import PostAssignment
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()
    PostAssignment.objects.create(employee=world.people["zhang"], post="客服部主任", org_unit=world.tree["city_a"],
                                  start_date=date(2026, 1, 1))
    evaluation_run(period="2026Q3", org_unit=world.tree["city_a"])
    page = client_for("committee").get(reverse("web:periods") + f"?period=2026Q3&unit={world.tree['city_a'].pk}").content.decode()
    assert "管理岗, 不参加测评 1 人" in page and "A001 客服部主任" in page


def test_objections_to_the_notice_are_counted_for_every_reader_and_read_by_the_committee_and_discipline(
    world, published, advance, client_for, today
):
    from jinjie.approvals.services import objection_file
    from jinjie.selections.models import Appointee

    apps = advance(published, to="notice")
    today(date(2026, 7, 29))
    proposal = Appointee.objects.get(application=apps["zhang"]).proposal
    objection_file(notice_item=proposal.notice_item, filer=world.users["sun"], text="张三曾有投诉未处理完毕")
    url = reverse("web:selection", args=[published.pk])
    hr = client_for("hr").get(url).content.decode()
    assert "提出 1，待处理 1，成立 0，不成立 0" in hr and "张三曾有投诉未处理完毕" not in hr
    assert "张三曾有投诉未处理完毕" in client_for("discipline").get(url).content.decode()
    pdf = client_for("discipline").get(reverse("web:selection_export", args=[published.pk, "dossier.pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
