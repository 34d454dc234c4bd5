"""What a page says after an act (its flash message) is in the chosen language too: English on
request, Chinese otherwise, word for word as before."""

import pytest
from django.urls import reverse

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def _submit(client, proposal) -> str:
    response = client.post(reverse("web:proposals_batch"), {"ids": [proposal.pk], "decision": "submit"}, follow=True)
    return response.content.decode()


def test_a_batch_submission_is_reported_in_english_when_english_is_chosen(client_for, evaluated):
    client = client_for(Role.COMMITTEE)
    client.cookies["django_language"] = "en"
    page = _submit(client, evaluated["A001"])
    assert "1 proposals submitted for approval: 1 moved to the next step." in page
    assert "已提交审批" not in page


def test_a_batch_submission_is_reported_in_chinese_by_default(client_for, evaluated):
    page = _submit(client_for(Role.COMMITTEE), evaluated["A001"])
    assert "已提交审批 1 条建议：1 条转入下一环节。" in page


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _print_nothing(client):
    return client.post(reverse("web:proposal_forms_pdf"), {"next": reverse("web:proposals")}, follow=True)


def test_a_refusal_is_in_english_when_english_is_chosen(client_for, evaluated):
    client = client_for(Role.COMMITTEE)
    client.cookies["django_language"] = "en"
    assert _messages(_print_nothing(client)) == ["First tick the proposals whose approval forms to print"]


def test_a_refusal_is_in_chinese_by_default(client_for, evaluated):
    assert _messages(_print_nothing(client_for(Role.COMMITTEE))) == ["请先勾选要打印晋级审批表的建议"]


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "No such proposal, or it is outside your data scope"), ("zh-hans", "没有找到该建议，或不在您的数据范围内")],
)
def test_a_missing_record_is_explained_in_the_chosen_language(client_for, evaluated, language, text):
    client = client_for(Role.COMMITTEE)
    client.cookies["django_language"] = language
    response = client.get(reverse("web:proposal", args=[987654]))
    assert response.status_code == 404
    assert response.context["exception"] == text


def test_a_refused_page_says_why_in_english(client_for, users):
    client = client_for(Role.HR)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("web:staff_user_new"))
    assert response.status_code == 403
    assert "Only system administrators may manage staff logins" in response.content.decode()
