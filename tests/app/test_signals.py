"""Stopping ``reviewdb dashboard`` stops the server: nothing is left and the port is free."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import MINI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_dashboard_and_frees_its_port(tmp_path, sig):
    from reviewdb.catalog.loader import load_catalog
    from reviewdb.catalog.reader import read_catalog
    from reviewdb.db import get_engine, upgrade

    url = f"sqlite:///{tmp_path / 'dash.sqlite'}"
    upgrade(url)
    load_catalog(read_catalog(MINI), url)
    get_engine(url).dispose()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "reviewdb.cli", "dashboard", "--db", url, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the dashboard did not come up within 60 s")
        proc.send_signal(sig)
        proc.wait(timeout=30)
        group_alive = True
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            group_alive = False
        assert not group_alive, "a process of the dashboard outlived the signal"
        assert not _port_in_use(port)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
