"""The load test's users (bench/load_test.py runs this headless against 127.0.0.1 only).

A mix of the province's day: the committee lists its proposals and decides the ones waiting for
it (through the API, whose status codes say whether a decision was taken or refused: two users
racing for one proposal must get one 200 and one 400, never two decisions); employees open
我的职业发展; HR previews and imports small score files. Every decision taken (HTTP 200) is
written to LOAD_DECISIONS_FILE at the end, so that the driver can check the database recorded
each exactly once.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, events, task

HOSTS = [h for h in os.environ.get("LOAD_HOSTS", "").split(",") if h]
PASSWORD = os.environ.get("LOAD_PASSWORD", "jinjie2026")
PERIOD = os.environ.get("LOAD_PERIOD", "")
SCORES_EMPLOYEES = [e for e in os.environ.get("LOAD_SCORE_EMPLOYEES", "").split(",") if e]
DECISIONS: list[dict] = []


@events.test_stop.add_listener
def write_decisions(environment, **kwargs):
    path = os.environ.get("LOAD_DECISIONS_FILE")
    if path:
        with open(path, "w") as out:
            json.dump(DECISIONS, out)


class JinjieUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        if HOSTS:  # two app servers: each simulated user sticks to one, as a balancer would
            self.client.base_url = random.choice(HOSTS)
        page = self.client.get("/login/", name="/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post("/login/", {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                         headers={"Referer": self.client.base_url + "/login/"}, name="/login/ POST")
        self.csrf = self.client.cookies.get("csrftoken", "")

    def api_headers(self):
        return {"X-CSRFToken": self.csrf, "Referer": self.client.base_url + "/"}


class Committee(JinjieUser):
    weight = 3
    username = "weiyuanhui"

    @task(3)
    def proposal_list(self):
        page = random.choice([1, 1, 2, 5, 20])
        self.client.get(f"/proposals/?period={PERIOD}&page={page}", name="/proposals/ list")

    @task(1)
    def home(self):
        self.client.get("/", name="/ committee home")

    @task(3)
    def decide(self):
        queue = self.client.get("/api/proposals/queue/", name="/api/proposals/queue/")
        if queue.status_code != 200:
            return
        body = queue.json()
        results = body.get("results", []) if isinstance(body, dict) else body
        if not results:
            return
        chosen = random.choice(results[:20])
        pk = chosen["id"]
        with self.client.post(f"/api/proposals/{pk}/decide/", json={"decision": "approve", "comment": "同意（压测）"},
                              headers=self.api_headers(), name="/api/proposals/{id}/decide/",
                              catch_response=True) as response:
            if response.status_code == 200:
                body = response.json()
                DECISIONS.append({"proposal": pk, "step": chosen.get("step_index"), "state": body.get("state")})
                response.success()
            elif response.status_code == 400:
                # Another user decided it first: a refusal in Chinese, nothing written — expected.
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Employee(JinjieUser):
    weight = 6

    def on_start(self):
        self.username = random.choice(["yuangong1", "yuangong2", "yuangong3"])
        super().on_start()

    @task
    def career(self):
        self.client.get("/me/", name="/me/ 我的职业发展")


class HR(JinjieUser):
    weight = 1
    username = "hr"

    @task(2)
    def employee_list(self):
        self.client.get(f"/employees/?page={random.choice([1, 2, 50])}", name="/employees/ list")

    @task(1)
    def import_scores(self):
        rows = "".join(f"{no},{PERIOD[:4]}-0{random.randint(1, 9)},{random.randint(70, 99)}\n" for no in SCORES_EMPLOYEES)
        body = ("工号,月份,考核得分\n" + rows).encode("utf-8-sig")
        dry = random.random() < 0.5
        self.client.post(f"/api/imports/scores/{'?dry_run=1' if dry else ''}", files={"file": ("scores.csv", body, "text/csv")},
                         headers=self.api_headers(), name=f"/api/imports/scores/ {'dry-run' if dry else 'write'}")
