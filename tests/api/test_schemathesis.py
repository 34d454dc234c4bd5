"""Schemathesis runs every operation of the live OpenAPI schema against the app, with every check.

Each operation is one test: schemathesis generates requests from the schema — its examples, its
coverage cases (each parameter at and past its bounds, missing, of the wrong type; methods the path
does not take) and a fixed, seeded number of fuzzed ones, valid and invalid — sends each through
Django's WSGI handler in this process, and checks every response against the schema with all its
checks: no 5xx, a documented status code, content type, headers and body, valid data accepted,
invalid data refused, no answer without credentials. Every request goes out twice: as the
committee (the role with the most to do) and, in turn, as HR, the leader or an employee, over the
small bureau of tests/api/conftest.py with a proposal in review, one on a public notice with an
objection, and an employee whose optional fields are blank.

The requests run inside the test's transaction (same thread, same connection), so whatever they
write is rolled back with it; nothing leaks into the next operation's test.

The schema is what /api/schema/ serves (asserted below), generated when the module is collected —
before any database exists, so before anyone could log in to fetch it: schemathesis makes its
pytest items at collection, and its fixture-based loader (`schemathesis.pytest.from_fixture`, which
could log in first) does not run on this project's pytest 9.

A second test lets schemathesis chain operations by the ids one returns and another takes (its
stateful phase), as the committee, for the checks only a chain can make.

JINJIE_SCHEMATHESIS_EXAMPLES=200 JINJIE_SCHEMATHESIS_STATEFUL=150 JINJIE_SCHEMATHESIS_SEED=7 runs a
deeper search by hand.
"""

import itertools
import json
import os
from datetime import date

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from jinjie.org.models import Role

# Fuzzed requests per operation (the coverage cases come on top, a few dozen per operation), and
# chains of linked calls (up to 5 calls each).
MAX_EXAMPLES = int(os.environ.get("JINJIE_SCHEMATHESIS_EXAMPLES", "10"))
SEED = int(os.environ.get("JINJIE_SCHEMATHESIS_SEED", "20261010"))
STATEFUL_EXAMPLES = int(os.environ.get("JINJIE_SCHEMATHESIS_STATEFUL", "15"))
ROLES = (Role.COMMITTEE, Role.HR, Role.LEADER, Role.EMPLOYEE)

# Refusing a valid-looking request is what these operations are for, in some cases — a 400 with
# the Chinese reason, not a "valid request rejected". positive_data_acceptance otherwise expects
# 2xx/401/403/404/409/429 for every request that keeps to the schema.
REFUSING_VALID_DATA = ["2xx", "400", "401", "403", "404", "429"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "operations": [
            {
                # A write's service refuses what cannot be done now, whatever the shape: a proposal not
                # at the caller's step, a period without a rule book in force, a file whose rows are
                # wrong, a wrong password.
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": REFUSING_VALID_DATA}},
            },
            {
                # The gap is measured under the rule book in force in the period asked for; before
                # the first published book there is none, and the answer says so.
                "include-path": "/api/me/",
                "checks": {"positive_data_acceptance": {"expected-statuses": REFUSING_VALID_DATA}},
            },
            {
                # A report of a period or a day before the first rule book (the criteria, pay) or a
                # what-if of a book that is not a ladder draft: the reason, in Chinese.
                "include-path-regex": "^/api/reports/",
                "checks": {"positive_data_acceptance": {"expected-statuses": REFUSING_VALID_DATA}},
            },
        ],
    }
)


def generated_schema() -> dict:
    # What SpectacularAPIView serves, as JSON (dates in examples as strings).
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(generated_schema(), config=CONFIG)
schema.app = WSGIHandler()

# Ids of the records the bureau fixture made, by the path whose {id} they fill, so that about half
# of the generated requests reach a real record (the others draw a random id: a 404). Filled by the
# fixture of each test, read while hypothesis draws.
KNOWN_IDS: dict[str, list[int]] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    path = context.operation.path if context.operation else ""
    ids = KNOWN_IDS.get(path.split("{id}")[0]) if "{id}" in path else None
    if not ids or not isinstance(path_parameters, dict) or not isinstance(path_parameters.get("id"), int):
        return st.just(path_parameters)  # no known records, or an invalid id (a negative case): as drawn
    return st.sampled_from([path_parameters] + [{**path_parameters, "id": pk} for pk in ids])


@pytest.fixture
def same_connection():
    # Django closes "old" connections when a request starts and ends; the test client switches
    # that off, and so must a test that sends requests through the real WSGI handler inside its
    # transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bureau(evaluated, users, staff, make_proposal, today, same_connection):
    """tests/api's bureau with something in every state the API shows: 张三's proposal in review at
    the committee, 李四's on a public notice with 张三's objection, 赵六 with blank optional fields."""
    from bureau import make_employee

    from jinjie.approvals.services import notice_publish, objection_file, proposal_submit
    from jinjie.evaluations.models import Proposal

    committee = users[Role.COMMITTEE]
    today.set(date(2026, 10, 10))
    proposal_submit(proposals=[evaluated["A001"]], actor=committee)
    waiting = make_proposal(staff["li"], route=("committee", "notice"), to_rank="中级B", period="2026Q2")
    waiting.step_index = 1
    waiting.save(update_fields=["step_index"])
    notice = notice_publish(org_unit=committee.org_unit, proposals=[waiting.pk], actor=committee)
    today.set(date(2026, 10, 12))
    objection = objection_file(notice_item=notice.items.get().pk, filer=users[Role.EMPLOYEE], text="情况不实")
    blank = make_employee(staff["zhang"].org_unit, "A003", "赵六", education="", vocational_level="", hire_date=None)
    KNOWN_IDS.update(
        {
            "/api/employees/": [staff["zhang"].pk, staff["li"].pk, blank.pk, staff["wang"].pk],
            "/api/proposals/": sorted(Proposal.objects.values_list("pk", flat=True)),
            "/api/notices/": [notice.pk],
            "/api/objections/": [objection.pk],
        }
    )
    yield {"notice": notice, "objection": objection, "waiting": waiting}
    KNOWN_IDS.clear()


@pytest.fixture
def callers(bureau, users):
    """callers() → the Authorization headers to send the next request with: the committee's and,
    in turn, HR's, the leader's or an employee's."""
    tokens = {role: Token.objects.create(user=users[role], key=f"{n:040d}").key for n, role in enumerate(ROLES)}
    others = itertools.cycle(ROLES[1:])

    def next_callers():
        return [{"Authorization": f"Token {tokens[role]}"} for role in (ROLES[0], next(others))]

    return next_callers


@schema.parametrize()
# The fixtures are the bureau the generated requests run against, shared by an operation's
# examples on purpose (their writes stay in the test's transaction).
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_to_the_schema(case, callers):
    for headers in callers():
        case.call_and_validate(headers=headers)


def test_the_schema_checked_is_the_one_served(client_for, users):
    response = client_for(Role.EMPLOYEE).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json() == generated_schema()


# --- the refusals a random request rarely meets, checked against the schema one by one -----------


def conforms(operation: str, method: str, token: str | None = None, **request):
    """Send one request through the WSGI handler and check its answer with every schemathesis check."""
    case = schema[operation][method].Case(**request)
    headers = {"Authorization": f"Token {token}"} if token else None
    response = case.call(headers=headers)
    case.validate_response(response, headers=headers)
    return response


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def test_a_locked_login_answers_429_with_retry_after_as_documented(users, same_connection):
    for _ in range(5):
        conforms("/api/token/", "POST", body={"username": "leader", "password": "guess"}, media_type="application/json")
    locked = conforms("/api/token/", "POST", body={"username": "leader", "password": "guess"}, media_type="application/json")
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"][0]) > 0


def test_a_refused_batch_lists_its_items_as_documented(bureau, evaluated, users):
    held = evaluated["A002"]  # 李四 holds his rank: nothing to submit
    response = conforms(
        "/api/proposals/submit/", "POST", token=token_of(users[Role.COMMITTEE]),
        body={"ids": [held.pk]}, media_type="application/json",
    )
    body = response.json()
    assert response.status_code == 400, body
    assert [e["id"] for e in body.get("errors", ())] == [held.pk], body


def test_an_import_with_bad_rows_reports_them_as_documented(users, same_connection):
    response = conforms(
        "/api/imports/{kind}/", "POST", token=token_of(users[Role.HR]),
        path_parameters={"kind": "scores"}, query={"dry_run": True},
        body={"file": ("scores.csv", "工号,月份,得分\nNOBODY,2026-13,abc\n".encode())},
        media_type="multipart/form-data",
    )
    assert response.status_code == 400
    report = response.json()
    assert report["error_count"] == len(report["errors"]) > 0


# --- linked operations ------------------------------------------------------------------------------


class LinkedCalls(schema.as_state_machine()):
    # Schemathesis links the operations by the ids one returns and another takes (a list's
    # proposals → decide, submit, retrieve …) and walks such chains: with its checks that only a
    # chain can make (a record gone after use, one identity reading another's record).
    headers: dict = {}

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        # The headers said as the caller's own, as call_and_validate does: else the auth check
        # takes the token for one schemathesis made up and expects it refused.
        case.validate_response(
            response, additional_checks=additional_checks, headers=kwargs.get("headers"), transport_kwargs=kwargs
        )


def test_linked_operations_keep_to_the_schema(callers):
    LinkedCalls.headers = callers()[0]
    LinkedCalls.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=5,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
