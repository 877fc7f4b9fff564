"""Crash safety: a load and a screening acceptance killed with SIGKILL at random moments leave
the database exactly as before (or exactly as after, if the commit was reached), and the
next run succeeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reviewdb.db import get_engine
from reviewdb.mining import screening as S
from tests.helpers import BUNDLED, snapshot
from tests.mining.conftest import NEW_BIB

ROOT = Path(__file__).resolve().parents[2]
LOAD = "from reviewdb.catalog.loader import load_catalog\nfrom reviewdb.catalog.reader import read_catalog\n" \
       "import sys\nload_catalog(read_catalog(sys.argv[2]), sys.argv[1])\n"
ACCEPT = "from reviewdb.mining import screening as S\nimport sys\n" \
         "S.accept(int(sys.argv[2]), sys.argv[1], values={'evidence': 'https://example.org/e'}, reviewer='ana')\n"


def _killed_at_random(code: str, args: list[str], rng: random.Random) -> None:
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.3, 2.5))  # imports take ~1 s: kills land before, during and after the work
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
def test_killed_loads_and_acceptances_leave_no_trace(mini_url, write_bib):
    rng = random.Random(20261201)
    S.mine_file(write_bib(NEW_BIB), mini_url)
    rid = int(S.list_records(mini_url).set_index("citekey").loc["smith2024sct", "id"])
    get_engine(mini_url).dispose()
    for i in range(20):
        before = snapshot(mini_url)
        load = i % 2 == 0
        _killed_at_random(LOAD if load else ACCEPT, [mini_url, str(BUNDLED) if load else str(rid)], rng)
        after = snapshot(mini_url)
        if after != before:  # the kill came after the commit: the work is there in full
            studies = {row[1] for row in after["study"]}
            assert (len(after["study"]) > 300) if load else ("'smith2024sct'" in studies)
        get_engine(mini_url).dispose()
    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog

    load_catalog(read_catalog(BUNDLED), mini_url)  # the next run succeeds
    accepted = S.list_records(mini_url).set_index("citekey").loc["smith2024sct", "study"]
    if not accepted:
        S.accept(rid, mini_url, values={"evidence": "https://example.org/e"}, reviewer="ana")
    assert S.list_records(mini_url).set_index("citekey").loc["smith2024sct", "study"] == "smith2024sct"
