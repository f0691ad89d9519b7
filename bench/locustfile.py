"""Load scenario for the served application and its API (Locust).

A realistic mix against `hiddenharm serve` on loopback: keyworkers reading their worklist and
clients' records, managers on worklists and the figures, children's social care working its
referrals through the API, a monitoring unit sending a small submission now and then.

    HH_LOAD_CSC_TOKEN=$(hiddenharm token create csc --scope referrals:read --scope referrals:write)
    HH_LOAD_DATALEAD_TOKEN=$(hiddenharm token create datalead1 --scope submissions)
    locust -f bench/locustfile.py --host http://127.0.0.1:8000 --headless -u 50 -r 10 -t 60s

The demo's people and password (`hiddenharm demo`). Writes nothing but one submission per
monitoring-unit task and the audit events of the reads.
"""

from __future__ import annotations

import io
import os
import random
import re
import zipfile

from locust import HttpUser, between, task

PASSWORD = os.environ.get("HH_LOAD_PASSWORD", "hidden-harm-demo")
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
    usernames: tuple[str, ...] = ()

    def on_start(self):
        page = self.client.get("/sign-in/", name="sign-in page")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/sign-in/",
            {
                "username": random.choice(self.usernames),
                "password": PASSWORD,
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/sign-in/"},
            name="sign in",
        )
        self.clients: list[str] = []


class Keyworker(WebUser):
    weight = 5
    wait_time = between(1, 3)
    usernames = ("keyworker11", "keyworker12", "keyworker21", "keyworker22", "keyworker31")

    @task(3)
    def worklist(self):
        page = self.client.get("/clients/worklist/", name="worklist")
        self.clients = CLIENT_LINK.findall(page.text)[:20] or self.clients

    @task(5)
    def client_record(self):
        if self.clients:
            self.client.get(f"/clients/{random.choice(self.clients)}/", name="client record")

    @task(1)
    def home(self):
        self.client.get("/", name="home")


class Manager(WebUser):
    weight = 2
    wait_time = between(2, 5)
    usernames = ("manager1", "manager2", "manager3")

    @task(3)
    def worklist(self):
        self.client.get("/clients/worklist/?scope=service&list=start", name="worklist (service)")

    @task(1)
    def figures(self):
        self.client.get("/clients/figures/", name="figures")


class ChildrensSocialCareApi(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        token = os.environ["HH_LOAD_CSC_TOKEN"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.ids: list[int] = []

    @task(3)
    def inbox(self):
        r = self.client.get("/api/v1/referrals?state=sent", name="api referrals?state=sent")
        if r.ok:
            self.ids = [x["id"] for x in r.json()["referrals"]][:20] or self.ids

    @task(3)
    def one(self):
        if self.ids:
            self.client.get(f"/api/v1/referrals/{random.choice(self.ids)}", name="api referral")

    @task(1)
    def teams(self):
        self.client.get("/api/v1/teams", name="api teams")


class MonitoringUnitApi(HttpUser):
    weight = 1
    wait_time = between(5, 15)

    def on_start(self):
        token = os.environ["HH_LOAD_DATALEAD_TOKEN"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.payload = small_submission()

    @task
    def submit_and_read(self):
        r = self.client.post(
            "/api/v1/submissions?as_of=2025-03-31",
            files={"file": ("load.zip", self.payload, "application/zip")},
            name="api submit",
        )
        if r.status_code == 201:
            self.client.get(f"/api/v1/submissions/{r.json()['id']}", name="api submission")
