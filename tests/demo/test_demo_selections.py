"""The demo's 竞聘上岗: one selection carried to appointment in the demo's quarter (judges, ballots,
the 任前公示 and the post records), one open for applications that yuangong6 may apply to."""

from datetime import date

import pytest

from jinjie.demo.services import demo_create
from jinjie.evaluations.services import evaluation_run
from jinjie.org.models import User
from jinjie.people.models import PostAssignment
from jinjie.selections.models import BallotEntry, Judge, ScoreEntry, Selection
from jinjie.selections.selectors import applicant_view

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo(monkeypatch):
    from jinjie.approvals import clock

    demo_create(employees=40, seed=7, today=TODAY)
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def test_one_selection_was_carried_to_appointment_and_one_is_open(demo):
    finished, open_ = Selection.objects.order_by("pk")
    assert (finished.code, finished.state) == ("JP2026-001", "appointed")
    assert open_.state == "published" and open_.deadline == date(2026, 12, 12)
    assert Judge.objects.filter(selection=finished).count() == 5 == Judge.objects.filter(selection=open_).count()
    assert ScoreEntry.objects.filter(application__selection=finished, stage="speech").count() >= 10
    assert BallotEntry.objects.filter(application__selection=finished).exists()
    posts = list(PostAssignment.objects.order_by("post").values_list("post", "start_date"))
    assert [p for p, _ in posts] == ["客服部主任", "订单部主任"]
    assert all(date(2026, 7, 1) < start < date(2026, 9, 30) for _, start in posts)
    assert finished.notice.day_kind == "working" and finished.notice.days == 5


def test_the_appointees_sit_out_the_quarter_and_yuangong6_may_apply(demo):
    from jinjie.rulebooks.services import rulebook_load_defaults

    rulebook_load_defaults()
    run = evaluation_run(period="2026Q3")
    assert len(run.managers) == 2
    user = User.objects.get(username="yuangong6")
    view = applicant_view(user, Selection.objects.get(state="published"))
    assert view.may_apply, view.reason
