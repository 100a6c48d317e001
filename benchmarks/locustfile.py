"""The members of ``benchmarks/load.py``: each signs in once, then browses *My period* and
*Tasks* and now and then offers hours on a task, as a person on their phone would.

Statistics are reset once the last member has signed in, so what is measured is the
browsing alone. Run by ``load.py`` (``locust -f benchmarks/locustfile.py --headless ...``);
it reads the pool, its tasks and the members' password from ``PEERCONOMY_LOAD_*``
variables. The baseline user
class fetches the stylesheet, a static file: the server's floor for one request.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading

from locust import FastHttpUser, between, task

POOL = os.environ.get("PEERCONOMY_LOAD_POOL", "load")
TASKS = os.environ.get("PEERCONOMY_LOAD_TASKS", "").split(",")
MEMBERS = int(os.environ.get("PEERCONOMY_LOAD_MEMBERS", "100"))
USERS = int(os.environ.get("PEERCONOMY_LOAD_USERS", "100"))
PASSWORD = os.environ.get("PEERCONOMY_LOAD_PASSWORD", "")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_next_member = itertools.count()
_signed_in = itertools.count(1)
_lock = threading.Lock()


class Member(FastHttpUser):
    """A member of the pool, signed in with a session cookie of their own."""

    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        with _lock:
            self.name = f"member{next(_next_member) % MEMBERS:03d}"
        token = self._token("/signin", "sign-in form")
        with self.client.post(
            "/signin",
            data={"login": self.name, "password": PASSWORD, "next": "/", "csrf_token": token},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}")
        self.csrf = self._token(f"/pools/{POOL}/tasks", "tasks")
        with _lock:
            everyone = next(_signed_in) == USERS
        if everyone:  # measure from here: the sign-ins and the ramp-up are not counted
            self.environment.stats.reset_all()

    def _token(self, path: str, name: str) -> str:
        answer = self.client.get(path, name=name)
        found = _TOKEN.search(answer.text or "")
        return found.group(1) if found else ""

    @task(4)
    def my_page(self) -> None:
        self.client.get(f"/pools/{POOL}", name="my period")

    @task(4)
    def task_list(self) -> None:
        self.client.get(f"/pools/{POOL}/tasks", name="tasks")

    @task(2)
    def offer(self) -> None:
        chosen = random.choice(TASKS)
        with self.client.post(
            f"/pools/{POOL}/offers/{chosen}",
            data={
                "hours": str(random.randint(1, 6)),
                "min_weight": f"{random.uniform(0.8, 2.0):.2f}",
                "csrf_token": self.csrf,
            },
            allow_redirects=False,
            name="offer",
            catch_response=True,
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"offer answered {answer.status_code}")


class Stylesheet(FastHttpUser):
    """The baseline: a static file, no session, no database, no template."""

    wait_time = between(0.1, 0.5)

    @task
    def stylesheet(self) -> None:
        self.client.get("/static/style.css", name="static file")
