"""评定标准 drafted as forms: the page opens on the tables with today's date, saves what the forms
give back, checks without saving, carries edits over to the JSON editor and back, and the draft's
page shows every difference from the standard in force before the publish button."""

import copy
import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from jinjie.org.models import Role
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.services import rulebook_create_draft
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK, DEFAULT_MONOPOLY_BOOK
from jinjie.web.rulebook_diff import book_diff

from .conftest import make_user
from .html_forms import form_data, single

pytestmark = pytest.mark.django_db

DEFAULTS = {"ladder": DEFAULT_LADDER_BOOK, "monopoly": DEFAULT_MONOPOLY_BOOK}


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _post(client, url, data, action="save"):
    return client.post(url, {**single(data), "action": action})


def test_the_draft_page_opens_on_the_tables_with_todays_date(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=["ladder"])
    page = _page(client, url)
    assert 'id="entry-editor"' in page and 'id="route-editor"' in page and 'id="pay-editor"' in page
    data = form_data(page)
    assert data["effective_from"] == [timezone.localdate().isoformat()]  # what a date input accepts
    assert data["editor"] == ["form"]
    json_page = _page(client, url + "?mode=json")
    assert "&quot;初级C&quot;" in json_page and 'name="document"' in json_page
    assert form_data(json_page)["effective_from"] == [timezone.localdate().isoformat()]


@pytest.mark.parametrize("kind", ["ladder", "monopoly"])
def test_saving_the_untouched_forms_drafts_the_standard_in_force_as_it_is(client_for, rulebooks, users, kind):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=[kind])
    data = form_data(_page(client, url))
    response = _post(client, url, data)
    assert response.status_code == 302
    draft = RuleBook.objects.get(kind=kind, status=BookStatus.DRAFT)
    assert draft.document == DEFAULTS[kind]
    assert draft.effective_from == timezone.localdate()
    assert draft.org_unit == users[Role.HR].org_unit
    detail = _page(client, reverse("web:rulebook", args=[draft.pk]))
    assert "与现行标准相同" in detail


def test_an_edit_is_saved_and_the_draft_page_shows_what_it_changes_before_publishing(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=["ladder"])
    data = form_data(_page(client, url))
    data.update({"effective_from": ["2027-01-01"], "note": ["2027 年调整"], "p-base": ["2100"], "e4-perf_avg": ["87"]})
    assert _post(client, url, data).status_code == 302
    draft = RuleBook.objects.get(kind="ladder", status=BookStatus.DRAFT)
    expected = copy.deepcopy(DEFAULT_LADDER_BOOK)
    expected["pay"]["base"] = "2100"
    expected["ranks"]["中级C"]["criteria"][3]["value"] = "87"
    assert draft.document == expected
    assert draft.effective_from == date(2027, 1, 1) and draft.note == "2027 年调整"
    page = _page(client, reverse("web:rulebook", args=[draft.pk]))
    assert page.index('id="rulebook-diff"') < page.index("确认发布")
    for text in ("<td>岗位工资基数</td><td class=\"text-secondary\">2000</td><td class=\"fw-semibold\">2100</td>",
                 "<td>中级C · 任职条件 · 平均绩效</td><td class=\"text-secondary\">≥ 86</td><td class=\"fw-semibold\">≥ 87</td>",
                 "共 2 处不同"):
        assert text in page, text
    assert "与现行标准相同" not in page


def test_check_validates_the_forms_and_saves_nothing(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=["ladder"])
    data = form_data(_page(client, url))
    ok = _post(client, url, data, action="check")
    assert ok.status_code == 200 and 'id="check-ok"' in ok.content.decode()
    data["p-c2"] = ["0"]
    bad = _post(client, url, data, action="check").content.decode()
    assert "应为正数，实为 &#x27;0&#x27;" in bad and 'id="check-ok"' not in bad
    assert _post(client, url, data).status_code == 200  # saving the same is refused too
    assert not RuleBook.objects.filter(status=BookStatus.DRAFT).exists()


def test_a_bad_date_is_refused_beside_its_field_and_the_edits_stay(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=["ladder"])
    data = form_data(_page(client, url))
    data.update({"effective_from": ["2026-02-30"], "p-base": ["2300"]})
    page = _post(client, url, data).content.decode()
    assert form_data(page)["p-base"] == ["2300"]
    assert "invalid-feedback" in page
    assert not RuleBook.objects.filter(status=BookStatus.DRAFT).exists()


def test_the_edits_go_over_to_the_json_editor_and_back(client_for, rulebooks, users):
    client = client_for(Role.HR)
    url = reverse("web:rulebook_new", args=["ladder"])
    data = form_data(_page(client, url))
    data["e4-perf_avg"] = ["87"]
    json_page = _post(client, url, data, action="to_json").content.decode()
    posted = form_data(json_page)
    document = json.loads(posted["document"][0])
    assert document["ranks"]["中级C"]["criteria"][3]["value"] == "87"
    document["pay"]["base"] = "2300"
    posted["document"] = [json.dumps(document, ensure_ascii=False)]
    forms_page = _post(client, url, posted, action="to_form").content.decode()
    back = form_data(forms_page)
    assert back["p-base"] == ["2300"] and back["e4-perf_avg"] == ["87"] and back["editor"] == ["form"]
    assert not RuleBook.objects.filter(status=BookStatus.DRAFT).exists()
    assert _post(client, url, back).status_code == 302
    assert RuleBook.objects.get(status=BookStatus.DRAFT).document["pay"]["base"] == "2300"


def test_the_json_editor_still_saves_a_document(client_for, rulebooks, users):
    client = client_for(Role.HR)
    doc = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    doc["route"] = ["committee"]
    response = client.post(
        reverse("web:rulebook_new", args=["monopoly"]),
        {"editor": "json", "document": json.dumps(doc, ensure_ascii=False), "effective_from": "2027-01-01", "action": "save"},
    )
    assert response.status_code == 302
    assert RuleBook.objects.get(status=BookStatus.DRAFT).document == doc


def test_a_draft_is_edited_through_the_forms(client_for, rulebooks, users, tree):
    client = client_for(Role.HR)
    draft = rulebook_create_draft(
        kind=BookKind.MONOPOLY, document=copy.deepcopy(DEFAULT_MONOPOLY_BOOK), effective_from=date(2027, 1, 1),
        org_unit=tree["city_a"],
    )
    url = reverse("web:rulebook_edit", args=[draft.pk])
    data = form_data(_page(client, url))
    assert data["effective_from"] == ["2027-01-01"] and "org_unit" not in data
    data["m1-0-value"] = ["18"]
    assert _post(client, url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.document["levels"]["初级专卖管理员"]["criteria"][0]["value"] == "18"
    page = _page(client, reverse("web:rulebook", args=[draft.pk]))
    assert "初级专卖管理员 · 专卖管理工作月数" in page and "≥ 18 个月" in page


def test_a_refusal_about_no_field_is_shown_at_the_top(client_for, rulebooks, users, tree):
    # A county HR applies its city's standard: the service refuses a draft of theirs.
    county_hr = make_user("hr_county", Role.HR, tree["county_a"])
    from django.test import Client

    client = Client()
    client.force_login(county_hr)
    url = reverse("web:rulebook_new", args=["ladder"])
    data = form_data(_page(client, url))
    page = _post(client, url, data).content.decode()
    assert 'id="editor-errors"' in page and "评定标准由省公司或市局(分局)制定" in page
    assert not RuleBook.objects.filter(status=BookStatus.DRAFT).exists()


def test_the_comparison_uses_the_book_in_force_for_the_drafts_unit_on_its_date(client_for, rulebooks, users, tree):
    client = client_for(Role.HR)
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["notice"] = {"days": "5", "counting": "working"}
    draft = rulebook_create_draft(kind=BookKind.LADDER, document=doc, effective_from=date(2027, 1, 1), org_unit=tree["city_a"])
    page = _page(client, reverse("web:rulebook", args=[draft.pk]))
    assert "现行：v1（全部单位" in page
    assert "<td>公示期</td><td class=\"text-secondary\">7 个自然日</td><td class=\"fw-semibold\">5 个工作日</td>" in page
    # Everyone else reads the published standard; they see neither drafts nor comparisons.
    published = RuleBook.objects.get(kind="ladder", version=1)
    assert 'id="rulebook-diff"' not in _page(client_for(Role.COMMITTEE), reverse("web:rulebook", args=[published.pk]))


# ---- the comparison itself ----------------------------------------------------------------------


def test_moving_a_criterion_is_no_change_and_a_new_one_shows_against_a_dash():
    moved = copy.deepcopy(DEFAULT_LADDER_BOOK)
    criteria = moved["ranks"]["初级A"]["criteria"]
    criteria.insert(0, criteria.pop(3))
    assert book_diff("ladder", DEFAULT_LADDER_BOOK, moved) == []
    added = copy.deepcopy(DEFAULT_LADDER_BOOK)
    added["ranks"]["初级A"]["criteria"].append({"type": "ability", "op": ">=", "value": "60"})
    [change] = book_diff("ladder", DEFAULT_LADDER_BOOK, added)
    assert (change.label, change.in_force, change.draft) == ("初级A · 任职条件 · 综合能力测评", "—", "≥ 60")


def test_the_comparison_names_routes_pay_and_unknown_sections_in_chinese():
    draft = copy.deepcopy(DEFAULT_LADDER_BOOK)
    draft["routes"]["grade_up:初级"] = ["committee"]
    draft["pay"]["coefficients"]["高级A"] = "2.50"  # the same number: no change
    draft["pay"]["coefficients"]["高级B"] = "2.4"
    # The favour section (SPEC 2.6, the default book has 中级 3, 高级 6): compared value by value.
    draft["favour"] = {"bonus": {"中级": "4", "高级": "6"}}
    changes = {c.label: (c.in_force, c.draft) for c in book_diff("ladder", DEFAULT_LADDER_BOOK, draft)}
    assert changes["审批路径 · 晋档（至初级）"] == ("序列审核", "考评委员会")
    assert changes["薪酬系数 · 高级B"] == ("2.3", "2.4")
    assert changes["其他设置 · 评先、外派学习、推荐干部名单 › 职级加分 › 中级"] == ("3", "4")
    draft["favour"] = copy.deepcopy(DEFAULT_LADDER_BOOK["favour"])
    changes = {c.label: (c.in_force, c.draft) for c in book_diff("ladder", DEFAULT_LADDER_BOOK, draft)}
    assert changes == {"审批路径 · 晋档（至初级）": ("序列审核", "考评委员会"), "薪酬系数 · 高级B": ("2.3", "2.4")}


def test_the_monopoly_comparison_reads_conditions_and_manual_items():
    draft = copy.deepcopy(DEFAULT_MONOPOLY_BOOK)
    draft["levels"]["专卖管理师"]["criteria"][2]["value"] = "7"
    draft["levels"]["专卖管理师"]["manual"] = ["组织完成复杂的专卖执法工作"]
    draft["route"] = ["committee", "leader", "notice"]
    changes = {c.label: (c.in_force, c.draft) for c in book_diff("monopoly", DEFAULT_MONOPOLY_BOOK, draft)}
    assert changes["审批路径"] == ("考评委员会 › 公示", "考评委员会 › 分局(公司)领导 › 公示")
    assert changes["专卖管理师 · 工资档次"] == ("≤ 8 档", "≤ 7 档")
    assert changes["专卖管理师 · 人工评议"][1] == "组织完成复杂的专卖执法工作"
    assert len(changes) == 3
