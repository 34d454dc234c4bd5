"""The admin shows rule books but does not write them: drafts go through the 评定标准 pages."""

import pytest

from jinjie.org.models import User
from jinjie.rulebooks.models import RuleBook
from jinjie.rulebooks.services import rulebook_load_defaults

pytestmark = pytest.mark.django_db


def test_the_admin_lists_rule_books_but_offers_no_add_or_edit(client):
    rulebook_load_defaults()
    client.force_login(User.objects.create_superuser("root", password="x-secret-pw"))
    book = RuleBook.objects.first()
    assert client.get("/admin/rulebooks/rulebook/").status_code == 200
    assert client.get("/admin/rulebooks/rulebook/add/").status_code == 403
    page = client.get(f"/admin/rulebooks/rulebook/{book.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
