"""Every form POST needs the CSRF token: without it nothing is changed."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from jinjie.core.models import Job
from jinjie.evaluations.models import EvaluationRun
from jinjie.org.models import Role

pytestmark = pytest.mark.django_db


def _csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_running_an_evaluation_without_the_csrf_token_is_refused(users, rulebooks, tree):
    client = _csrf_client(users[Role.COMMITTEE])
    response = client.post(reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_a"].pk})
    assert response.status_code == 403
    assert not EvaluationRun.objects.exists() and not Job.objects.exists()


def test_with_the_token_from_the_page_it_runs(users, rulebooks, tree):
    client = _csrf_client(users[Role.COMMITTEE])
    page = client.get(reverse("web:periods")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_a"].pk, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Job.objects.get().kind == "evaluation_run"  # queued for the worker
    call_command("worker", "--burst", verbosity=0)
    assert EvaluationRun.objects.count() == 1


def test_htmx_requests_carry_the_token_in_a_header(users, rulebooks, tree):
    client = _csrf_client(users[Role.COMMITTEE])
    page = client.get(reverse("web:periods")).content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = client.post(
        reverse("web:periods"), {"period": "2026Q3", "org_unit": tree["city_a"].pk}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 302


def test_logging_in_needs_the_token_too(users):
    response = Client(enforce_csrf_checks=True).post(reverse("web:login"), {"username": "hr", "password": "x"})
    assert response.status_code == 403
