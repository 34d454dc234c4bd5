"""评定标准: the published standard as tables for everyone; HR drafts, validates and publishes."""

import copy
import json
from datetime import date

import pytest
from django.urls import reverse

from jinjie.org.models import Role
from jinjie.rulebooks.models import BookStatus, RuleBook
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


def test_everyone_reads_the_standard_as_tables(client_for, rulebooks, users):
    page = client_for(Role.EMPLOYEE).get(reverse("web:rulebooks")).content.decode()
    for text in ("任职条件", "中级C", "≥ 36 个月 或", "保级线", "降级线", "审批路径", "考评委员会 › 分局(公司)领导 › 公示",
                 "职级薪酬", "3,200.00 元", "专卖管理员等级申报条件", "高级专卖管理师"):
        assert text in page, text
    assert "起草新版本" not in page


def _draft_post(client, kind="ladder", document=None, effective_from="2027-01-01", note="2027 年修订"):
    doc = document if document is not None else copy.deepcopy(DEFAULT_LADDER_BOOK)
    text = doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)
    return client.post(reverse("web:rulebook_new", args=[kind]), {"document": text, "effective_from": effective_from, "note": note})


def test_hr_drafts_checks_and_publishes_a_new_version(client_for, rulebooks, users):
    client = client_for(Role.HR)
    assert "起草新版本" in client.get(reverse("web:rulebooks")).content.decode()
    assert "&quot;初级C&quot;" in client.get(reverse("web:rulebook_new", args=["ladder"]) + "?mode=json").content.decode()
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["pay"]["base"] = "2100"
    response = _draft_post(client, document=doc)
    draft = RuleBook.objects.get(kind="ladder", version=2)
    assert response.status_code == 302 and draft.status == BookStatus.DRAFT
    assert "3,360.00 元" in client.get(reverse("web:rulebook", args=[draft.pk])).content.decode()  # 2100 × 1.6
    client.post(reverse("web:rulebook_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == BookStatus.PUBLISHED and draft.effective_from == date(2027, 1, 1)


def test_bad_json_is_a_chinese_error_and_saves_nothing(client_for, rulebooks, users):
    response = _draft_post(client_for(Role.HR), document='{"kind": "ladder",')
    assert "JSON 格式错误" in response.content.decode()
    assert RuleBook.objects.filter(kind="ladder").count() == 1


def test_an_invalid_rule_book_lists_every_problem_and_saves_nothing(client_for, rulebooks, users):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["ranks"]["中级C"]["criteria"][2]["op"] = ">>"
    doc["pay"]["coefficients"]["初级B"] = "abc"
    page = _draft_post(client_for(Role.HR), document=doc).content.decode()
    assert "中级C" in page and "&gt;&gt;" in page
    assert "初级B" in page
    assert RuleBook.objects.filter(kind="ladder").count() == 1


def test_the_check_button_validates_without_saving(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_check", args=["ladder"])
    ok = client.post(url, {"document": json.dumps(DEFAULT_LADDER_BOOK), "effective_from": "2027-01-01"}, headers={"HX-Request": "true"})
    assert 'id="check-ok"' in ok.content.decode()
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    del doc["routes"]
    bad = client.post(url, {"document": json.dumps(doc), "effective_from": "2027-01-01"}, headers={"HX-Request": "true"})
    assert 'id="check-errors"' in bad.content.decode() and "routes" in bad.content.decode()
    assert RuleBook.objects.filter(kind="ladder").count() == 1


def test_a_published_version_cannot_be_edited_or_published_again(client_for, rulebooks, users):
    client = client_for(Role.HR)
    _draft_post(client)
    book = RuleBook.objects.get(kind="ladder", version=2)
    client.post(reverse("web:rulebook_publish", args=[book.pk]))
    edit = client.get(reverse("web:rulebook_edit", args=[book.pk]), follow=True)
    assert any("不能修改" in str(m) for m in edit.context["messages"])
    again = client.post(reverse("web:rulebook_publish", args=[book.pk]), follow=True)
    assert any("已发布" in str(m) for m in again.context["messages"])


def test_a_draft_belongs_to_the_city_of_the_hr_who_drafts_it(client_for, rulebooks, users, tree):
    _draft_post(client_for(Role.HR))
    draft = RuleBook.objects.get(kind="ladder", version=2)
    assert draft.org_unit == tree["city_a"]
    # Another city's HR neither sees nor publishes it; the installation-wide default is not theirs either.
    assert client_for("hr_b").post(reverse("web:rulebook_publish", args=[draft.pk])).status_code == 404
    default = RuleBook.objects.get(kind="ladder", version=1)
    assert client_for(Role.HR).post(reverse("web:rulebook_publish", args=[default.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == BookStatus.DRAFT


def test_only_hr_drafts_and_publishes(client_for, rulebooks, users):
    book = RuleBook.objects.get(kind="ladder", version=1)
    for role in (Role.COMMITTEE, Role.EMPLOYEE, Role.ASSESSOR):
        client = client_for(role)
        assert _draft_post(client).status_code == 403
        assert client.post(reverse("web:rulebook_publish", args=[book.pk])).status_code == 403
    assert RuleBook.objects.filter(kind="ladder").count() == 1


def test_drafts_are_hidden_from_everyone_but_hr(client_for, rulebooks, users):
    _draft_post(client_for(Role.HR))
    draft = RuleBook.objects.get(kind="ladder", version=2)
    assert client_for(Role.COMMITTEE).get(reverse("web:rulebook", args=[draft.pk])).status_code == 404
    assert client_for(Role.HR).get(reverse("web:rulebook", args=[draft.pk])).status_code == 200
