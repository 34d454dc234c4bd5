"""`jinjie init` loads the default rule books, and running it again changes nothing."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from jinjie.rulebooks.models import BookKind, BookStatus, RuleBook
from jinjie.rulebooks.selectors import parsed_rulebook, rulebook_in_force

pytestmark = pytest.mark.django_db


def test_init_publishes_the_default_rule_books_once():
    call_command("init")
    call_command("init")
    assert RuleBook.objects.filter(kind=BookKind.LADDER, status=BookStatus.PUBLISHED).count() == 1
    assert RuleBook.objects.filter(kind=BookKind.MONOPOLY, status=BookStatus.PUBLISHED).count() == 1


def test_init_grants_no_admin_rights_through_groups():
    # Who may do what is org.authority's; the admin is for superusers only, so no role group
    # carries Django permissions that could open it.
    call_command("init")
    assert not Permission.objects.filter(group__isnull=False).exists()


def test_the_ladder_book_in_force_parses():
    call_command("init")
    book = rulebook_in_force(kind=BookKind.LADDER, on=date(2026, 7, 1))
    assert parsed_rulebook(book) is parsed_rulebook(book)  # parsed once per published version
