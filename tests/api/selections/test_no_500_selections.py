"""/api/selections/…: whatever a caller sends, a 4xx with a Chinese `detail` (or a 2xx), never a
500; garbage writes nothing. Every endpoint, every role, own, foreign and impossible ids."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

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

pytestmark = pytest.mark.django_db

HUGE = 10**20
KEYS = ["hr", "hr_b", "leader", "discipline", "committee", "zhang", "judge1", None]
ACTIONS = ["publish", "close", "cancel", "applications", "review", "exceptions", "judges", "recusals", "scores", "sheet",
           "ballots", "complete", "inspect", "inspections", "decide", "notice", "settle"]
GARBAGE = [
    [1, 2],
    "just a string",
    {},
    {"stage": "nonsense", "scores": "x"},
    {"stage": "written", "scores": [{"application": HUGE, "score": "1e999"}], "reason": {"x": 1}},
    {"scores": [{"application": -1, "score": None}], "marks": [{"application": "abc", "score": [1]}]},
    {"ballots": [{"application": 1, "excellent": -5, "competent": "abc", "basic": HUGE, "incompetent": 1.5}]},
    {"application": HUGE, "result": "maybe", "reason": "x" * 5000},
    {"user": HUGE, "judge": "abc", "application": None, "reason": ""},
    {"application": HUGE, "inspectors": "x" * 400, "date": "2026-02-30", "findings": "", "conclusion": "优秀"},
    {"choice": [{"post": HUGE, "applications": [HUGE, -1]}], "reason": None},
    {"choice": "all", "title": {"a": 1}, "post": "abc", "employee_no": None},
]


def _written():
    counts = {m.__name__: m.objects.count() for m in (
        SelectionTransition, Application, ScoreEntry, BallotEntry, Judge, Recusal, Inspection, Decision, Attachment
    )}
    return counts | {"states": sorted(Selection.objects.values_list("pk", "state"))}


def _chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


@pytest.fixture
def scene(world, published, advance):
    advance(published, to="speech")
    theirs = sv.selection_create(actor=world.users["hr_b"], org_unit=world.tree["city_b"], title="乙市局竞聘",
                                 deadline="2026-06-30", posts=[{"title": "主任"}])
    clients = {}
    for key in KEYS:
        client = APIClient()
        if key is not None:
            client.force_authenticate(world.users[key])
        clients[key] = client
    return published, theirs, clients


@pytest.mark.parametrize("action", ACTIONS)
def test_garbage_posts_get_a_chinese_4xx_and_write_nothing(scene, action):
    mine, theirs, clients = scene
    before = _written()
    for pk in (mine.pk, theirs.pk, HUGE, "abc"):
        for body in GARBAGE:
            for key, client in clients.items():
                response = client.post(f"/api/selections/{pk}/{action}/", body, format="json")
                assert response.status_code < 500, (key, pk, action, body, response.status_code)
                if response.status_code >= 400:
                    assert _chinese(response.data["detail"]), (key, pk, action, body, response.data)
    assert _written() == before


def test_garbage_creates_uploads_and_reads_never_fail(scene):
    mine, theirs, clients = scene
    before = _written()
    junk = lambda: SimpleUploadedFile("x.pdf", b"MZ\x90 not a pdf")  # noqa: E731
    for key, client in clients.items():
        for body in GARBAGE + [{"title": "x", "deadline": "2026-02-30", "posts": [{"title": "主任", "places": HUGE}]},
                               {"title": "x", "deadline": "2026-06-30", "posts": [], "criteria": {"any": "x"}},
                               {"title": "x", "deadline": "2026-06-30", "posts": [{"title": "a"}], "scheme": [1]}]:
            response = client.post("/api/selections/", body, format="json")
            assert response.status_code < 500, (key, body, response.status_code)
        for pk in (mine.pk, theirs.pk, HUGE):
            response = client.post(f"/api/selections/{pk}/exceptions/", {"application": HUGE, "reason": "x", "attachment": junk()},
                                   format="multipart")
            assert response.status_code < 500, (key, response.status_code)
            response = client.post(f"/api/selections/{pk}/applications/",
                                   {"post": HUGE, "employee_no": "NOPE", "exception_reason": "x", "attachment": junk()},
                                   format="multipart")
            assert response.status_code < 500, (key, response.status_code)
            response = client.patch(f"/api/selections/{pk}/", {"posts": "x", "deadline": "x"}, format="json")
            assert response.status_code < 500, (key, response.status_code)
            for path in ("", "posting/", "ranking/", "sheet/", "applications/", f"applications/{HUGE}/withdraw/"):
                method = client.post if path.endswith("withdraw/") else client.get
                response = method(f"/api/selections/{pk}/{path}")
                assert response.status_code < 500, (key, pk, path, response.status_code)
        assert client.get("/api/selections/?page=abc").status_code < 500
    assert _written() == before
