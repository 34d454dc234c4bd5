"""The quarterly run stores SPEC 8's outcomes from the database's records, and re-runs only drafts."""

from datetime import date

import pytest

from jinjie.evaluations.models import EvaluationRun, Proposal, ProposalState
from jinjie.evaluations.services import EvaluationError, evaluation_run
from jinjie.people.models import Employee
from jinjie.rulebooks.models import RuleBook

pytestmark = pytest.mark.django_db

EXPECTED = {
    # case: (to_rank, move, route, reassign, state)
    "A": ("初级A", "grade_up", ["track_review"], False, "draft"),
    "B": ("中级C", "level_up", ["committee", "leader", "notice"], False, "draft"),
    "C": ("初级A", "hold", [], False, "no_action"),
    "D": ("中级A", "skip_grade", ["committee", "leader", "notice"], False, "draft"),
    "E": ("中级C", "grade_down", ["committee"], False, "draft"),
    "F": ("见习", "level_down", ["committee"], True, "draft"),
    "G": ("初级B", "hold", [], False, "no_action"),
    "H": ("初级B", "incomplete", [], False, "no_action"),
}


def outcomes(period="2026Q3"):
    return {
        p.employee.employee_no: (p.to_rank, p.move, p.route, p.reassign, p.state)
        for p in Proposal.objects.filter(period=period).select_related("employee")
    }


def test_a_run_gives_the_worked_examples_of_spec_8_from_stored_records(examples):
    run = evaluation_run(period="2026Q3")
    assert outcomes() == EXPECTED
    assert run.counts == {
        "grade_up": 1, "level_up": 1, "skip_grade": 1, "skip_level": 0,
        "grade_down": 1, "level_down": 1, "hold": 2, "incomplete": 1,
    }
    assert run.finished_at is not None and run.kept == 0 and run.problems == []


def test_every_proposal_records_the_rule_book_version_and_its_reasons(examples, books):
    ladder, _ = books
    run = evaluation_run(period="2026Q3")
    assert run.rulebook == ladder
    proposals = list(Proposal.objects.filter(period="2026Q3"))
    assert {p.rulebook_id for p in proposals} == {ladder.pk}
    assert all(p.run_id == run.pk and p.step_index == 0 for p in proposals)
    c = Proposal.objects.get(employee=examples["C"])
    months = next(r for r in c.reasons if r["code"] == "months_in_role")
    assert set(months) == {"code", "label", "required", "actual", "passed", "text"}
    assert months["passed"] is False and "30" in months["actual"] and "36" in months["text"]
    e = Proposal.objects.get(employee=examples["E"])
    keep = next(r for r in e.reasons if r["code"] == "keep.perf_avg")
    assert keep["actual"] == "78.33" and keep["passed"] is False
    assert "中级C" in e.summary


def test_the_rule_book_in_force_at_the_period_start_is_used(examples, books):
    ladder, _ = books
    later = RuleBook.objects.create(
        kind="ladder", version=2, effective_from=date(2026, 7, 2), document=ladder.document, status="published"
    )
    assert evaluation_run(period="2026Q3").rulebook == ladder
    assert evaluation_run(period="2026Q4").rulebook == later


def test_a_rerun_replaces_drafts_but_never_a_proposal_in_review(examples):
    first = evaluation_run(period="2026Q3")
    in_review = Proposal.objects.get(employee=examples["A"])
    in_review.state = ProposalState.IN_REVIEW
    in_review.step_index = 1
    in_review.save()
    # The facts change after the first run: B falls under the keep line, A would too.
    b = examples["B"]
    b.scores.filter(month="2026-09").update(score=60)
    examples["A"].scores.update(score=50)

    second = evaluation_run(period="2026Q3")
    assert second.kept == 1
    kept = Proposal.objects.get(employee=examples["A"])
    assert (kept.pk, kept.state, kept.step_index, kept.move, kept.run_id) == (
        in_review.pk, "in_review", 1, "grade_up", first.pk,
    )
    redone = Proposal.objects.get(employee=b)
    assert redone.run_id == second.pk and redone.move != "level_up"
    assert Proposal.objects.filter(period="2026Q3").count() == 8
    assert not Proposal.objects.filter(run=first).exclude(pk=in_review.pk).exists()
    assert sum(second.counts.values()) == 7


def test_a_rerun_drops_the_draft_of_someone_who_has_left(examples):
    evaluation_run(period="2026Q3")
    Employee.objects.filter(pk=examples["A"].pk).update(status="离岗")
    evaluation_run(period="2026Q3")
    assert not Proposal.objects.filter(employee=examples["A"]).exists()


def test_the_scope_is_the_org_subtree(books, tree, make):
    inside = make("IN", tree["county"], rank="初级B", scores=(85, 86, 84))
    at_city = make("CITY", tree["city"], rank="初级B", scores=(85, 86, 84))
    outside = make("OUT", tree["other"], rank="初级B", scores=(85, 86, 84))
    run = evaluation_run(period="2026Q3", org_unit=tree["city"])
    assert run.org_unit == tree["city"]
    assert set(Proposal.objects.values_list("employee_id", flat=True)) == {inside.pk, at_city.pk}
    # A run of another unit leaves the city's outcomes alone.
    evaluation_run(period="2026Q3", org_unit=tree["other"])
    assert set(Proposal.objects.values_list("employee_id", flat=True)) == {inside.pk, at_city.pk, outside.pk}
    assert Proposal.objects.get(employee=inside).run == run


def test_only_active_customer_managers_and_market_administrators_are_evaluated(books, tree, make):
    make("CM", tree["county"], scores=(85, 86, 84))
    make("MA", tree["county"], track="市场管理员", scores=(85, 86, 84))
    make("MO", tree["county"], track="专卖管理员", rank="初级专卖管理员", scores=(85, 86, 84))
    make("LEFT", tree["county"], status="离岗", scores=(85, 86, 84))
    evaluation_run(period="2026Q3")
    assert set(Proposal.objects.values_list("employee__employee_no", flat=True)) == {"CM", "MA"}


def test_an_employee_whose_rank_is_not_on_the_ladder_is_reported_not_evaluated(books, tree, make):
    make("OK", tree["county"], scores=(85, 86, 84))
    make("BAD", tree["county"], rank="中级专卖管理员", scores=(85, 86, 84))
    run = evaluation_run(period="2026Q3")
    assert [p["employee_no"] for p in run.problems] == ["BAD"]
    assert "中级专卖管理员" in run.problems[0]["message"]
    assert list(Proposal.objects.values_list("employee__employee_no", flat=True)) == ["OK"]


def test_a_bad_period_or_no_rule_book_writes_nothing(tree):
    Employee.objects.create(employee_no="A", name="甲", org_unit=tree["county"], track="客户经理",
                            role_start_date=date(2020, 1, 1))
    with pytest.raises(EvaluationError, match="YYYYQn"):
        evaluation_run(period="2026Q5")
    with pytest.raises(EvaluationError, match="评定标准"):
        evaluation_run(period="2026Q3")
    assert not EvaluationRun.objects.exists() and not Proposal.objects.exists()


def test_progress_is_reported_up_to_the_number_evaluated(examples):
    seen = []
    evaluation_run(period="2026Q3", progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert seen[-1] == ("测评", 8, 8)


def test_a_promotion_waits_until_the_rank_was_held_the_whole_period(books, tree, make):
    make("NEW", tree["county"], rank="初级B", role_since=date(2024, 1, 15), vocational="五级",
         scores=(85, 86, 84), training=70, rank_since=date(2026, 8, 1))
    evaluation_run(period="2026Q3")
    assert Proposal.objects.get().move == "hold"


def test_an_outstanding_contribution_and_the_latest_exam_are_read_from_their_windows(books, tree, make):
    # 中级C with a contribution in the period: outstanding, qualified for 中级A → skip_grade.
    e = make("K", tree["county"], rank="中级C", role_since=date(2019, 3, 1), education="本科", vocational="四级",
             scores=(90, 90, 90), training=80, ability=80, contributions=[date(2026, 7, 9)])
    # An older, better exam must not count: the most recent one in the window is 70 (< 75 for 中级A).
    e.training.create(date=date(2026, 9, 1), kind="考试", course="补考", score=70)
    e.training.create(date=date(2025, 9, 30), kind="考试", course="去年", score=99)  # outside the window
    evaluation_run(period="2026Q3")
    p = Proposal.objects.get()
    assert p.move == "grade_up" and p.to_rank == "中级B"
    assert any(r["code"] == "skip.training_score" and not r["passed"] for r in p.reasons)


def test_reasons_are_stored_as_json_that_reads_back_exactly_whatever_the_text(books, tree, make):
    # An unrecognised education written with quotes, a backslash, a tab, a carriage return and a
    # line break ends up inside a reason text and the summary (COPY's text format on PostgreSQL
    # gives the last four a meaning: the writer escapes them).
    odd = '高"中\\\t乙\r\n'
    e = make("Q", tree["county"], rank="初级B", education=odd, scores=(85, 86, 84), training=70)
    evaluation_run(period="2026Q3")
    stored = Proposal.objects.get(employee=e).reasons
    education = next(r for r in stored if r["code"] == "education")
    assert education["actual"] == odd and education["passed"] is False
    assert odd in education["text"]
    assert all(isinstance(r["passed"], bool) for r in stored)
    assert odd in Proposal.objects.get(employee=e).summary


def test_a_stored_proposal_is_exactly_the_engines_outcome(examples, books):
    from jinjie.evaluations.facts import load_ladder_facts
    from jinjie.rulebooks.selectors import parsed_rulebook
    from jinjie.rules.calendar import Period
    from jinjie.rules.evaluate import evaluate

    evaluation_run(period="2026Q3")
    period, book = Period.parse("2026Q3"), parsed_rulebook(books[0])
    facts_by_employee = load_ladder_facts(period=period).facts
    # The eight worked examples at least: a comparison over nothing would prove nothing.
    assert len(facts_by_employee) >= 8 and Proposal.objects.count() == len(facts_by_employee)
    moves = set()
    for employee_id, facts in facts_by_employee.items():
        expected = evaluate(facts, period, book).as_dict()
        p = Proposal.objects.get(employee_id=employee_id)
        stored = {"from_rank": p.from_rank, "to_rank": p.to_rank, "move": p.move, "reassign": p.reassign,
                  "route": p.route, "reasons": p.reasons, "summary": p.summary}
        assert stored == expected
        moves.add(p.move)
    assert len(moves) >= 5  # promotions, demotions, holds, incompletes: not one shape repeated


def test_an_employee_with_a_superseded_proposal_is_left_alone_drafts_included(examples):
    evaluation_run(period="2026Q3")
    d = Proposal.objects.get(employee=examples["D"])
    d.state = ProposalState.SUPERSEDED
    d.save()
    replacement = Proposal.objects.create(
        employee=examples["D"], period="2026Q3", from_rank="中级C", to_rank="中级B", move="grade_up",
        route=["committee", "leader"], rulebook=d.rulebook, state=ProposalState.DRAFT,
    )
    run = evaluation_run(period="2026Q3")
    assert set(Proposal.objects.filter(employee=examples["D"]).values_list("pk", flat=True)) == {d.pk, replacement.pk}
    assert run.kept == 1 and sum(run.counts.values()) == 7


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_run_outside_any_transaction_holds_its_own_locks(examples):
    """A web request runs without a surrounding transaction: the run takes one of its own for its
    row locks (on PostgreSQL a SELECT … FOR UPDATE outside one is refused)."""
    run = evaluation_run(period="2026Q3")
    assert run.counts["level_up"] == 1
    assert outcomes() == EXPECTED


def test_a_run_that_breaks_while_writing_leaves_nothing_and_the_database_usable(books, tree, make, monkeypatch):
    # On PostgreSQL the rows stream into an open COPY: a failure half-way must end it as failed,
    # so that the transaction rolls back and the connection takes the next query.
    from jinjie.evaluations import services

    for i in range(5):
        make(f"B{i}", tree["county"], rank="初级B", scores=(85, 86, 84), training=70)
    real, calls = services.evaluate, []

    def breaks_on_the_third(facts, period, book):
        calls.append(facts.employee_no)
        if len(calls) == 3:
            raise RuntimeError("the engine broke")
        return real(facts, period, book)

    monkeypatch.setattr(services, "evaluate", breaks_on_the_third)
    with pytest.raises(RuntimeError, match="the engine broke"):
        evaluation_run(period="2026Q3")
    assert not Proposal.objects.exists() and not EvaluationRun.objects.exists()
    monkeypatch.setattr(services, "evaluate", real)
    assert sum(evaluation_run(period="2026Q3").counts.values()) == 5 == Proposal.objects.count()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_run_reads_its_facts_beside_the_copy_of_its_outcomes(examples, monkeypatch):
    # Data committed before the run (as in production): the facts are read a chunk ahead, in a thread
    # on a second connection with the run's snapshot, while the outcomes stream into one COPY; the
    # outcomes are the same.
    import jinjie.evaluations.services as services

    readers = []
    original = services.read_aside

    def spy(*args, **kwargs):
        readers.append(args)
        return original(*args, **kwargs)

    copies = []
    send = services._ProposalWriter._send

    def counting_send(writer):
        if writer._copy is None:
            copies.append(writer)  # a COPY is opened
        send(writer)

    monkeypatch.setattr(services, "read_aside", spy)
    monkeypatch.setattr(services._ProposalWriter, "_send", counting_send)
    monkeypatch.setattr("jinjie.evaluations.facts.CHUNK_SIZE", 3)  # three chunks, one COPY
    run = evaluation_run(period="2026Q3")
    assert len(readers) == 1 and len(copies) == 1
    assert outcomes() == EXPECTED
    assert run.counts["hold"] == 2 and run.finished_at is not None


def test_data_written_in_the_runs_own_transaction_is_read_on_the_one_connection(examples):
    # Here the examples are written in the test's transaction, uncommitted: a second connection
    # could not see them, so the run reads them on its own (and finds every one).
    assert outcomes() == {} and evaluation_run(period="2026Q3").counts["grade_up"] == 1
    assert outcomes() == EXPECTED
