"""Load scenario for the served application and its API (Locust): `make bench` runs it
(`bench/run.py --only load`, which sets everything up: bench/load_bench.py).

A realistic mix against `hiddenharm serve` on loopback, each kind of user a fixed number
of the 100 (Locust's `fixed_count`, scaled when fewer users are asked for):

- keyworkers (signed in already, as people are at their desks): their worklist, clients'
  records, a search by attributor, a care-plan review recorded, a child added;
- keyworkers arriving: sign in with their password (the hashing is real), then the same;
- team managers: the team and service worklists, the caseload, the figures;
- children's social care on the web: the referrals received, one read, its receipt
  acknowledged;
- children's social care through the API: the inbox (`state=sent`), one referral read,
  acknowledged; an acknowledged one decided;
- a monitoring unit: a small HHX-1 submission posted through the API, and read back.

Think times are a person's: 5 to 15 s between a keyworker's clicks (reading a record,
filling a form), 10 to 30 s for a manager, 2 to 8 s for a case system calling the API,
30 to 60 s between submissions.

Environment (written by load_bench.py setup): HH_LOAD_PEOPLE, a JSON file with the signed-in
sessions, usernames, password and API tokens; HH_LOAD_WRITES, where the writes that
succeeded are counted at the end (so that the rows can be counted against them).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
import random
import re
import threading
import uuid
import zipfile

from locust import HttpUser, between, events, task

CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
REVIEW_LINK = re.compile(r'href="/clients/episodes/(\d+)/review/"')
REFERRAL_LINK = re.compile(r'href="/safeguarding/referrals/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEADERS: dict[str, str] = {}  # plain HTTP on loopback (no TLS proxy in front here)

_lock = threading.Lock()
WRITES: dict[str, int] = {}  # kind -> writes that succeeded (a row each)
REFUSED: dict[str, int] = {}  # kind -> refusals the application is right to make


def _people() -> dict:
    with open(os.environ["HH_LOAD_PEOPLE"]) as f:
        return json.load(f)


PEOPLE = _people() if os.environ.get("HH_LOAD_PEOPLE") else {}
USERS = int(os.environ.get("HH_LOAD_USERS", "100"))


def _n(share: int) -> int:
    """A kind's number of users: its share of 100, scaled to the users asked for."""
    return max(1, round(share * USERS / 100))


_next = {k: itertools.count() for k in ("keyworkers", "arrivals", "managers", "csc_web")}


def _take(kind: str):
    """The next person of a kind (round robin), so that users are spread over people."""
    people = PEOPLE[kind]
    with _lock:
        return people[next(_next[kind]) % len(people)]


def _count(table: dict, kind: str) -> None:
    with _lock:
        table[kind] = table.get(kind, 0) + 1


@events.test_stop.add_listener
def _write_counts(environment, **kwargs):
    path = os.environ.get("HH_LOAD_WRITES")
    if path:
        with open(path, "w") as f:
            json.dump({"writes": WRITES, "refused": REFUSED}, f, indent=1)


def small_submission() -> bytes:
    rows = [
        "AGNCY,LA,CLIENTID,EPISODID,FINITIAL,SINITIAL,DOB,SEX,DRUG1,REFLD,CPLANDT,"
        "PRNTSTAT,CHILDWTH,PREGNANT"
    ]
    for i in range(200):
        rows.append(
            f"LOAD1,E10000020,L{i:05d},LE{i:05d},{chr(65 + i % 26)},{chr(65 + i // 26 % 26)},"
            f"{1960 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d},F,HEROIN,2025-01-06,2025-01-20,"
            f"{random.choice(['11', '12', '13', '99'])},1,N"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("episodes.csv", "\n".join(rows) + "\n")
    return buf.getvalue()


class WebUser(HttpUser):
    abstract = True
    kind = ""

    def on_start(self):
        self.client.headers.update(HEADERS)
        self.clients: list[str] = []
        self.episodes: list[str] = []
        session = _take(self.kind)
        self.client.cookies.set("sessionid", session)

    def post_form(self, url: str, data: dict, name: str):
        """GET the form (its CSRF token), POST it; the response, not followed."""
        page = self.client.get(url, name=name + " (form)")
        found = CSRF.search(page.text)
        if not found:
            return None
        return self.client.post(
            url,
            {**data, "csrfmiddlewaretoken": found.group(1)},
            headers={"Referer": self.host + url},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )


class Keyworker(WebUser):
    fixed_count = _n(55)
    wait_time = between(5, 15)  # reading a page, then the next click
    kind = "keyworkers"

    @task(3)
    def worklist(self):
        page = self.client.get("/clients/worklist/", name="worklist")
        self.clients = CLIENT_LINK.findall(page.text)[:30] or self.clients

    @task(5)
    def client_record(self):
        if self.clients:
            page = self.client.get(f"/clients/{random.choice(self.clients)}/", name="client record")
            self.episodes = REVIEW_LINK.findall(page.text) or self.episodes

    @task(2)
    def search(self):
        dob = dt.date(1960, 1, 1) + dt.timedelta(days=random.randrange(15_000))
        self.client.get(
            "/clients/",
            params={
                "first_initial": random.choice("ABCDEJKMS"),
                "surname_initial": random.choice("BCDHMPSTW"),
                "dob": dob.isoformat(),
                "sex": random.choice("MF"),
            },
            name="client search",
        )

    @task(1)
    def home(self):
        self.client.get("/", name="home")

    @task(1)
    def record_review(self):
        if not self.episodes:
            return
        episode = random.choice(self.episodes)
        day = dt.date.today() - dt.timedelta(days=random.randrange(0, 60))
        data = {"revdate": day.isoformat(), "prntstat": "14", "childwth": "0", "pregnant": "N"}
        r = self.post_form(f"/clients/episodes/{episode}/review/", data, "record review")
        if r is None:
            return
        with r:
            if r.status_code == 302:
                _count(WRITES, "review")
                r.success()
            elif r.status_code == 200 and (
                b"already recorded" in r.content or b"must be" in r.content
            ):
                _count(REFUSED, "review (a review on that day already, or a date refused)")
                r.success()
            else:
                r.failure(f"review not saved: HTTP {r.status_code}")

    @task(1)
    def add_child(self):
        if not self.clients:
            return
        client = random.choice(self.clients)
        data = {
            "child_ref": "L" + uuid.uuid4().hex[:10].upper(),
            "year_of_birth": str(random.randint(2008, 2025)),
            "sex": random.choice("MF"),
            "recorded_on": dt.date.today().isoformat(),
            "whereabouts": "CLIENT",
            "csc_status": "NONE",
        }
        r = self.post_form(f"/clients/{client}/children/new/", data, "add child")
        if r is None:
            return
        with r:
            if r.status_code == 302:
                _count(WRITES, "child")
                r.success()
            else:
                r.failure(f"child not saved: HTTP {r.status_code}")


class ArrivingKeyworker(Keyworker):
    """Signs in with a password (the real hashing and lock-out checks), then works."""

    fixed_count = _n(5)
    kind = "arrivals"

    def on_start(self):
        self.client.headers.update(HEADERS)
        self.clients, self.episodes = [], []
        username = _take(self.kind)
        page = self.client.get("/sign-in/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/sign-in/",
            {"username": username, "password": PEOPLE["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/sign-in/"},
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"sign-in refused: HTTP {r.status_code}")


class Manager(WebUser):
    fixed_count = _n(15)
    wait_time = between(10, 30)
    kind = "managers"

    @task(3)
    def team_worklist(self):
        self.client.get("/clients/worklist/?scope=team", name="worklist (team)")

    @task(2)
    def service_worklist(self):
        self.client.get("/clients/worklist/?scope=service&list=start", name="worklist (service)")

    @task(1)
    def caseload(self):
        self.client.get("/clients/caseload/", name="caseload")

    @task(1)
    def figures(self):
        self.client.get("/clients/figures/", name="figures")


class ChildrensSocialCareWeb(WebUser):
    fixed_count = _n(10)
    wait_time = between(5, 15)
    kind = "csc_web"

    def on_start(self):
        super().on_start()
        self.referrals: list[str] = []

    @task(3)
    def inbox(self):
        page = self.client.get("/safeguarding/referrals/?list=open", name="referrals received")
        self.referrals = REFERRAL_LINK.findall(page.text)[:30] or self.referrals

    @task(2)
    def read(self):
        if self.referrals:
            rid = random.choice(self.referrals)
            self.client.get(f"/safeguarding/referrals/{rid}/", name="referral")

    @task(1)
    def acknowledge(self):
        if not self.referrals:
            return
        rid = self.referrals.pop(random.randrange(len(self.referrals)))
        page = self.client.get(f"/safeguarding/referrals/{rid}/", name="referral")
        found = CSRF.search(page.text)
        if not found or f"/safeguarding/referrals/{rid}/acknowledge/" not in page.text:
            return  # acknowledged already (by a colleague): no button
        with self.client.post(
            f"/safeguarding/referrals/{rid}/acknowledge/",
            {"csrfmiddlewaretoken": found.group(1)},
            headers={"Referer": self.host + f"/safeguarding/referrals/{rid}/"},
            name="acknowledge (web)",
            catch_response=True,
        ) as r:
            if r.status_code == 200 and b"Receipt acknowledged" in r.content:
                _count(WRITES, "acknowledge")
                r.success()
            elif r.status_code == 200 and b"This referral is" in r.content:
                _count(REFUSED, "acknowledge (a colleague was first)")
                r.success()
            else:
                r.failure(f"acknowledge: HTTP {r.status_code}")


class ChildrensSocialCareApi(HttpUser):
    fixed_count = _n(12)
    wait_time = between(2, 8)  # a case system working through its inbox

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {random.choice(PEOPLE['csc_tokens'])}"
        self.client.headers.update(HEADERS)
        self.sent: list[int] = []
        self.acknowledged: list[int] = []

    @task(3)
    def inbox(self):
        r = self.client.get("/api/v1/referrals?state=sent", name="api referrals?state=sent")
        if r.ok:
            self.sent = [x["id"] for x in r.json()["referrals"]][:30]

    @task(1)
    def acknowledged_list(self):
        r = self.client.get(
            "/api/v1/referrals?state=acknowledged", name="api referrals?state=acknowledged"
        )
        if r.ok:
            self.acknowledged = [x["id"] for x in r.json()["referrals"]][:30]

    @task(3)
    def one(self):
        if self.sent:
            self.client.get(f"/api/v1/referrals/{random.choice(self.sent)}", name="api referral")

    @task(1)
    def teams(self):
        self.client.get("/api/v1/teams", name="api teams")

    def _move(self, ids: list[int], action: str, body: dict) -> None:
        if not ids:
            return
        rid = ids.pop(random.randrange(len(ids)))
        with self.client.post(
            f"/api/v1/referrals/{rid}/{action}",
            json=body,
            name=f"api {action}",
            catch_response=True,
        ) as r:
            if r.status_code == 200:
                _count(WRITES, action)
                r.success()
            elif r.status_code == 409:  # a colleague moved it first: the state machine says no
                _count(REFUSED, f"{action} (moved by a colleague first: 409)")
                r.success()
            else:
                r.failure(f"{action}: HTTP {r.status_code}")

    @task(2)
    def acknowledge(self):
        self._move(self.sent, "acknowledge", {})

    @task(1)
    def decide(self):
        self._move(self.acknowledged, "decide", {"outcome": "ADVICE", "note": "Load test"})


class MonitoringUnitApi(HttpUser):
    fixed_count = _n(3)
    wait_time = between(30, 60)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {PEOPLE['submission_token']}"
        self.client.headers.update(HEADERS)
        self.payload = small_submission()

    @task
    def submit_and_read(self):
        with self.client.post(
            "/api/v1/submissions?as_of=2025-03-31",
            files={"file": ("load.zip", self.payload, "application/zip")},
            name="api submit",
            catch_response=True,
        ) as r:
            if r.status_code == 201:
                _count(WRITES, "submission")
                r.success()
            else:
                r.failure(f"submission: HTTP {r.status_code}")
                return
        self.client.get(f"/api/v1/submissions/{r.json()['id']}", name="api submission")
