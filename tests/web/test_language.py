"""Chinese first; the chrome (navigation, login, work lists) is also available in English."""

import pytest

from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default(client_for, users, rulebooks):
    page = client_for(Role.COMMITTEE).get("/").content.decode()
    assert "工作台" in page and "退出" in page and 'lang="zh-hans"' in page


def test_english_can_be_chosen(client_for, users, rulebooks):
    client = client_for(Role.COMMITTEE)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Workbench" in page and "Log out" in page and "Waiting for my decision" in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get("/").content.decode()
