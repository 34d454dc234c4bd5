"""A rule book belongs to the unit that publishes it and applies to that unit's subtree; nobody
publishes beyond their own subtree, a county makes no standards, and no publication rewrites the
rules of a period already evaluated."""

import copy
from datetime import date

import pytest
from bureau import make_employee, make_tree, make_user

from jinjie.core.errors import NotPermitted
from jinjie.evaluations.models import Proposal
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import Role
from jinjie.rulebooks.models import BookKind, BookStatus
from jinjie.rulebooks.selectors import rulebook_in_force
from jinjie.rulebooks.services import rulebook_create_draft, rulebook_load_defaults, rulebook_publish
from jinjie.rules.book import RuleBookError
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db
LADDER = BookKind.LADDER


@pytest.fixture
def bureau():
    rulebook_load_defaults()
    tree = make_tree()
    return {
        **tree,
        "hr_city": make_user("hr_city", Role.HR, tree["city_a"]),
        "hr_county": make_user("hr_county", Role.HR, tree["county_a"]),
        "hr_other": make_user("hr_other", Role.HR, tree["city_b"]),
    }


def _doc(base="2100"):
    doc = copy.deepcopy(DEFAULT_LADDER_BOOK)
    doc["pay"]["base"] = base
    return doc


def test_a_city_book_applies_to_its_own_subtree_only(bureau):
    book = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2027, 1, 1), actor=bureau["hr_city"])
    rulebook_publish(book=book, actor=bureau["hr_city"])
    assert book.org_unit == bureau["city_a"]
    day = date(2027, 2, 1)
    assert rulebook_in_force(kind=LADDER, on=day, unit=bureau["county_a"]) == book
    assert rulebook_in_force(kind=LADDER, on=day, unit=bureau["city_b"]).org_unit is None
    assert rulebook_in_force(kind=LADDER, on=date(2026, 12, 31), unit=bureau["county_a"]).org_unit is None


def test_a_county_makes_no_standard_and_nobody_publishes_outside_their_subtree(bureau):
    with pytest.raises(RuleBookError, match="由省公司或市局"):
        rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2027, 1, 1), actor=bureau["hr_county"])
    book = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2027, 1, 1), actor=bureau["hr_city"])
    for outsider in (bureau["hr_county"], bureau["hr_other"]):
        with pytest.raises(NotPermitted):
            rulebook_publish(book=book, actor=outsider)
    with pytest.raises(NotPermitted):  # the installation-wide book is the superusers'
        rulebook_create_draft(
            kind=LADDER, document=_doc(), effective_from=date(2027, 1, 1), actor=bureau["hr_city"],
            org_unit=bureau["province"],
        )
    book.refresh_from_db()
    assert book.status == BookStatus.DRAFT


def test_a_book_may_not_take_effect_on_or_before_the_start_of_a_period_already_evaluated(bureau):
    evaluation_run(period="2026Q3", org_unit=bureau["city_a"])
    early = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2026, 7, 1), actor=bureau["hr_city"])
    with pytest.raises(RuleBookError, match="2026Q3 已经测评"):
        rulebook_publish(book=early, actor=bureau["hr_city"])
    early.refresh_from_db()
    assert early.status == BookStatus.DRAFT
    # Inside the evaluated quarter is fine: that quarter keeps the book in force at its start.
    later = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2026, 7, 2), actor=bureau["hr_city"])
    assert rulebook_publish(book=later, actor=bureau["hr_city"]).status == BookStatus.PUBLISHED
    # Another city's evaluations do not bind this one's books, and the reverse.
    other = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2026, 1, 1), actor=bureau["hr_other"])
    assert rulebook_publish(book=other, actor=bureau["hr_other"]).status == BookStatus.PUBLISHED


def test_a_run_over_the_province_evaluates_each_city_with_its_own_book(bureau):
    book = rulebook_create_draft(kind=LADDER, document=_doc(), effective_from=date(2026, 1, 1), actor=bureau["hr_city"])
    rulebook_publish(book=book, actor=bureau["hr_city"])
    mine = make_employee(bureau["county_a"], "A001", "张三")
    theirs = make_employee(bureau["city_b"], "B001", "王五")
    run = evaluation_run(period="2026Q3")
    by_employee = dict(Proposal.objects.values_list("employee_id", "rulebook_id"))
    assert by_employee == {mine.pk: book.pk, theirs.pk: run.rulebook_id}
    assert run.rulebook.org_unit is None
