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
