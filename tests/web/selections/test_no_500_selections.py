"""No 竞聘 page answers a 500, whoever asks and whatever they send: every URL of the channel, for
every role and anonymously, with junk query parameters, impossible or foreign ids and garbage form
posts (files included); a garbage post writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jinjie.selections import services as sv
from jinjie.selections.models import (
    Application,
    Attachment,
    BallotEntry,
    Decision,
    Inspection,
    Judge,
    Recusal,
    ScoreEntry,
    Selection,
    SelectionTransition,
)
from jinjie.selections.workflow import ORDER

HUGE = "99999999999999999999"
KEYS = ["hr", "hr_b", "leader", "director", "discipline", "committee", "assessor", "zhang", "sun", "judge1", None]


def _clients(world):
    out = {}
    for key in KEYS:
        client = Client(raise_request_exception=False)
        if key is not None:
            client.force_login(world.users[key])
        out[key] = client
    return out


def _written():
    counts = {m.__name__: m.objects.count() for m in (
        SelectionTransition, Application, ScoreEntry, BallotEntry, Judge, Recusal, Inspection, Decision, Attachment
    )}
    return counts | {"states": sorted(Selection.objects.values_list("pk", "state"))}


def _hit(clients, method, url, data=None):
    failures = []
    for key, client in clients.items():
        body = data() if callable(data) else (data or {})
        response = getattr(client, method)(url, body)
        if response.status_code >= 500:
            failures.append(f"{key}: {response.status_code} {response.exc_info[1] if response.exc_info else ''!r}"[:300])
    return failures


@pytest.fixture
def scene(world, published, advance):
    """甲市局's selection in the speech stage, and 乙市局's own draft."""
    advance(published, to="speech")
    theirs = sv.selection_create(actor=world.users["hr_b"], org_unit=world.tree["city_b"], title="乙市局竞聘",
                                 deadline="2026-06-30", posts=[{"title": "主任"}])
    return published, theirs, _clients(world)


PAGE_ROUTES = ["web:selection", "web:selection_edit", "web:selection_posting", "web:selection_sheet"]
JUNK = {"page": "abc", "state": "nonsense", "unit": HUGE, "q": "长" * 5000}


def test_the_list_and_the_new_form_never_fail(scene):
    _, _, clients = scene
    failures = []
    for name in ("web:selections", "web:selection_new"):
        failures += _hit(clients, "get", reverse(name), JUNK)
    assert not failures


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_each_page_with_own_foreign_zero_and_huge_ids_never_fails(scene, route):
    mine, theirs, clients = scene
    failures = []
    for pk in (mine.pk, theirs.pk, 0, int(HUGE)):
        failures += _hit(clients, "get", reverse(route, args=[pk]), JUNK)
    assert not failures


def test_exports_and_attachments_with_junk_never_fail(scene):
    mine, theirs, clients = scene
    failures = []
    for pk in (mine.pk, theirs.pk, int(HUGE)):
        for name in ("dossier.pdf", "dossier.xlsx", "ranking.csv", "ranking.xlsx", "nothing.exe", "..%2F..%2Fetc"):
            failures += _hit(clients, "get", reverse("web:selection_export", args=[pk, name]))
        failures += _hit(clients, "get", reverse("web:selection_attachment", args=[pk, int(HUGE)]))
    assert not failures


def _junk_file():
    return SimpleUploadedFile("说明.pdf", b"MZ\x90\x00 not a pdf at all")


GARBAGE = [
    {},
    {"stage": "nonsense", "reason": "长" * 3000},
    {"stage": "written", "application": HUGE, "score": "1e999", "reason": "x"},
    {"application": "abc", "decision": "maybe", "reason": "\x00"},
    {"s_1": "abc", f"s_{HUGE}": "50", "s_-1": "50", "m_1": "NaN"},
    {"e_1": "-5", "c_1": "abc", "b_1": HUGE, "i_1": "1.5"},
    {"user": HUGE, "judge": "abc", "application": "-1", "reason": ""},
    {"application": HUGE, "inspectors": "x" * 400, "date": "2026-02-30", "findings": "", "conclusion": "优秀"},
    {"post_1": "abc", f"post_{HUGE}": "1", "reason": "x" * 5000},
    {"employee_no": "NOPE", "post": HUGE, "exception_reason": "x", "attachment": _junk_file},
    {"application": HUGE, "reason": "破格", "attachment": _junk_file},
    {"title": "x" * 500, "anchor": "<script>"},
]


def _body(body):
    return lambda: {k: (v() if callable(v) else v) for k, v in body.items()}


@pytest.mark.parametrize("action", ["publish", "close", "cancel", "recommend", "exception", "review", "complete", "judge",
                                    "recusal", "written", "speech", "democratic", "ballots", "correction", "inspect",
                                    "inspection", "decide", "notice", "settle", "nonsense"])
def test_garbage_acts_are_refused_and_write_nothing(scene, action):
    mine, theirs, clients = scene
    before = _written()
    failures = []
    for pk in (mine.pk, theirs.pk, int(HUGE)):
        for body in GARBAGE:
            reason = body.get("reason", "")
            if action == "cancel" and reason.strip() and len(reason) <= 2000 and "\x00" not in reason:
                continue  # a reason is all a cancellation needs: that body is not garbage
            failures += _hit(clients, "post", reverse("web:selection_act", args=[pk, action]), _body(body))
    assert not failures
    assert _written() == before


@pytest.mark.parametrize("route", ["web:selection_apply", "web:selection_withdraw", "web:selection_sheet", "web:selection_edit",
                                   "web:selection_new"])
def test_garbage_posts_to_the_other_forms_write_nothing(scene, route):
    mine, theirs, clients = scene
    before = _written()
    failures = []
    for pk in (mine.pk, theirs.pk, int(HUGE)):
        url = reverse(route) if route == "web:selection_new" else reverse(route, args=[pk])
        for body in [*GARBAGE, {"post": "abc"}, {"post": HUGE}, {"criteria": "[" * 50000, "posts": "主任 | x"},
                     {"criteria": '{"x": NaN}', "w_written": "abc", "deadline": "2026-02-30"}]:
            failures += _hit(clients, "post", url, _body(body))
    assert not failures
    assert _written() == before


def test_every_state_renders_its_dossier(world, published, advance, client_for):
    """The dossier of a selection in each state renders for HR and the leader (a 200, no 500)."""
    advance(published, to="notice")
    assert set(SelectionTransition.objects.values_list("to_state", flat=True)) >= set(ORDER) - {"appointed", "cancelled"}
    for key in ("hr", "leader", "discipline"):
        assert client_for(key).get(reverse("web:selection", args=[published.pk])).status_code == 200
