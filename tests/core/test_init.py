"""`jinjie init` loads the default rule books and roles, and running it again changes nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from jinjie.org.models import Role
from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.selectors import parsed_rulebook, rulebook_in_force

pytestmark = pytest.mark.django_db


def test_init_publishes_the_default_rule_books_once_and_creates_a_group_per_role():
    call_command("init")
    call_command("init")
    assert RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.PUBLISHED).count() == 1
    assert RuleBook.objects.filter(kind=BookKind.MONOPOLY, status=BookStatus.PUBLISHED).count() == 1
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}
    hr = Group.objects.get(name=Role.HR.label)
    assert hr.permissions.filter(codename="change_employee").exists()
    assert not hr.permissions.filter(codename="change_rankchange").exists()


def test_the_ladder_book_in_force_parses():
    call_command("init")
    book = rulebook_in_force(kind=BookKind.LADDER, on=date(2026, 7, 1))
    assert parsed_rulebook(book) is parsed_rulebook(book)  # parsed once per published version
