"""Schemathesis against the served API: every operation of /api/v1/openapi.json, as a data
lead (the coverage phase's boundary and invalid values, then generated inputs) and as a
keyworker (generated inputs, mostly refused); no answer may be a server error.

Bounded by the number of cases (--max-examples, a fixed seed), not by time: a time budget
on a busy machine could be spent before a phase began, and the run then tested nothing and
passed. So each run must test every operation, every generated case must pass, and no
request may fail or time out (60 s each; on a quiet machine the slowest takes 0.4 s). By
hand, 120 s of fuzzing gave 1,301 requests over the 12 operations, none a server error."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hiddenharm.web.tests.test_production import _free_port, _get, production_env

pytestmark = pytest.mark.slow

SEED = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from hiddenharm.accounts.testing import make_world
from hiddenharm.api.models import SCOPES
from hiddenharm.api.tokens import create_token
world = make_world()
for persona in ("data_lead", "keyworker"):
    print(create_token(world.users[persona], SCOPES)[1])
"""


@pytest.fixture
def served(tmp_path):
    env = production_env(tmp_path)
    env["HH_API_RATE"] = "100000/min"
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, capture_output=True, text=True, timeout=180
    )
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    tokens = seeded.stdout.split()
    port = _free_port()
    # The server's log goes to a file. A pipe nobody reads fills after about 200 access-log
    # lines (every refused request is logged) and then blocks gunicorn's master and workers
    # in write(): the server stalls, and requests time out (found by this test).
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115 (closed after the server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hiddenharm.cli", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if _get(base + "/readyz")[0] == 200:
                break
        except OSError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.3)
    yield base, tokens, tmp_path / "serve.log"
    proc.terminate()
    proc.communicate(timeout=30)
    log.close()


RUNS = (
    # (persona's token index, phases): the data lead may call every operation, so the
    # coverage phase's cases reach the code behind the checks; the keyworker's reach the
    # refusals.
    (0, "coverage,fuzzing"),
    (1, "fuzzing"),
)


def schemathesis_run(base: str, token: str, phases: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert exe, "schemathesis is a dev dependency"
    return subprocess.run(
        [
            exe,
            "run",
            f"{base}/api/v1/openapi.json",
            "--url",
            base,
            "-H",
            f"Authorization: Bearer {token}",
            "-H",
            "X-Forwarded-Proto: https",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            "10",
            "--phases",
            phases,
            "--seed",
            "1",
            "--request-timeout",
            "60",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def summary_of(out: str) -> tuple[int, int, int, int]:
    """(operations selected, operations tested, cases generated, cases passed) from the
    summary schemathesis prints."""
    selected = re.search(r"Selected: (\d+)/(\d+)", out)
    ops = re.search(r"Tested: (\d+)", out)
    cases = re.search(r"(\d+) generated, (\d+) passed", out)
    assert selected and ops and cases, out[-6000:]
    return (int(selected[1]), int(ops[1]), int(cases[1]), int(cases[2]))


def test_it_reads_what_a_run_tested_and_refuses_a_run_that_tested_nothing():
    summary = "API Operations:\n  Selected: 12/12\n  Tested: 12\n...\n  444 generated, 444 passed\n"
    assert summary_of(summary) == (12, 12, 444, 444)
    with pytest.raises(AssertionError):
        summary_of("No tests were run\n")


def test_it_answers_every_generated_request_without_a_server_error(served):
    base, tokens, log = served
    for index, phases in RUNS:
        result = schemathesis_run(base, tokens[index], phases)
        out = result.stdout
        assert result.returncode == 0, out[-12000:]  # a 5xx, a network error or a timeout
        assert "Server error" not in out and "Errors:" not in out, out[-12000:]
        selected, ops, generated, passed = summary_of(out)
        assert ops == selected == 12, out[-6000:]  # every operation of the API, each run
        assert generated == passed >= 50, out[-6000:]
    # Nor did the server log an error of its own (an exception, a worker timed out).
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert len(lines) > 100  # the access log of the runs: the log was read
    assert not [x for x in lines if x.get("level") in ("ERROR", "CRITICAL")], log.read_text()[
        -6000:
    ]
