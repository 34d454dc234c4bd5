"""Rule books are versioned and effective-dated; a published version never changes."""

import copy
from datetime import date

import pytest

from jinjie.rulebooks.models import BookKind, BookStatus
from jinjie.rulebooks.selectors import rulebook_in_force
from jinjie.rulebooks.services import (
    rulebook_create_draft,
    rulebook_load_defaults,
    rulebook_publish,
    rulebook_update_draft,
)
from jinjie.rules.book import RuleBookError
from jinjie.rules.defaults import DEFAULT_LADDER_BOOK

pytestmark = pytest.mark.django_db


def test_a_new_version_takes_over_from_its_effective_date():
    (v1, _) = rulebook_load_defaults()
    v2 = rulebook_create_draft(kind=BookKind.LADDER, document=copy.deepcopy(DEFAULT_LADDER_BOOK), effective_from=date(2027, 1, 1))
    assert v2.version == 2 and v2.status == BookStatus.DRAFT
    assert rulebook_in_force(kind=BookKind.LADDER, on=date(2027, 1, 1)) == v1  # drafts are not in force
    rulebook_publish(book=v2)
    assert rulebook_in_force(kind=BookKind.LADDER, on=date(2026, 12, 31)) == v1
    assert rulebook_in_force(kind=BookKind.LADDER, on=date(2027, 1, 1)) == v2


def test_a_malformed_book_is_refused_with_a_chinese_message():
    broken = copy.deepcopy(DEFAULT_LADDER_BOOK)
    broken["ranks"] = "nonsense"
    with pytest.raises(RuleBookError) as err:
        rulebook_create_draft(kind=BookKind.LADDER, document=broken, effective_from=date(2027, 1, 1))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_a_published_version_cannot_be_edited():
    (v1, _) = rulebook_load_defaults()
    with pytest.raises(RuleBookError, match="已发布"):
        rulebook_update_draft(book=v1, document=copy.deepcopy(DEFAULT_LADDER_BOOK), effective_from=date(2027, 1, 1))
