"""The dashboard in a real browser: a Streamlit server and headless Debian chromium driven over
the Chrome DevTools protocol (``websockets``). Used by ``bench_browser.py`` and by
``tests/app/test_browser.py``, so both see the page exactly as a person's browser does.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]

#: the page has finished: the script is not running, the server is connected, every Plotly
#: figure has drawn its SVG, and no skeleton or spinner is left
SETTLED = """(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"]')) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.innerText.trim()) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.every(p => p.querySelector('.main-svg')) ? plots.length + 1 : false;
})()"""


def stop(proc: subprocess.Popen) -> None:
    """Terminate ``proc``, killing it if it has not gone after 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> float:
    """Wait until ``url`` answers 200; return the seconds it took."""
    t0 = time.monotonic()
    while time.monotonic() < t0 + timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic() - t0
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def streamlit_server(db_url: str, log: Path, command: list[str] | None = None) -> Iterator[str]:
    """``streamlit run app/main.py`` on ``db_url`` (or ``command``); yields its base URL."""
    port = free_port()
    env = dict(os.environ, REVIEWDB_URL=db_url, PYTHONPATH=str(ROOT))
    cmd = command or [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py")]
    proc = subprocess.Popen(
        [*cmd, "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"], env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@contextmanager
def chromium(profile: Path) -> Iterator[str]:
    """Headless chromium; yields the DevTools websocket URL of its page."""
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1400,1000", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        end = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if time.monotonic() > end:
                raise TimeoutError("chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
            page = next(t for t in json.load(r) if t["type"] == "page")
        yield page["webSocketDebuggerUrl"]
    finally:
        stop(proc)


class DevTools:
    """The few DevTools calls the benchmark and the tests need, over one websocket."""

    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, **params):
        self.next_id += 1
        mid = self.next_id
        await self.ws.send(json.dumps({"id": mid, "method": method, "params": params}))
        while True:
            msg = json.loads(await self.ws.recv())
            if msg.get("id") == mid:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg["result"]

    async def eval(self, expression: str):
        res = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return res["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 45, poll: float = 0.3):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = await self.eval(expression)
            if value:
                return value
            await asyncio.sleep(poll)
        raise TimeoutError(f"never true: {expression}")

    async def open_settled(self, url: str, timeout: float = 120, poll: float = 0.05, stable: int = 3) -> float:
        """Navigate to ``url``; seconds until the page has settled (:data:`SETTLED`) and stayed
        so for ``stable`` polls in a row (a rerun that starts right after a first paint counts)."""
        await self.eval("window.__reviewdb_old_page = true")
        t0 = time.perf_counter()
        await self.call("Page.navigate", url=url)
        end, seen, done_at = time.monotonic() + timeout, 0, None
        while time.monotonic() < end:
            if await self.eval(f"!window.__reviewdb_old_page && {SETTLED}"):
                done_at = done_at or time.perf_counter()
                seen += 1
                if seen >= stable:
                    return done_at - t0
            else:
                seen, done_at = 0, None
            await asyncio.sleep(poll)
        raise TimeoutError(f"{url} did not settle within {timeout} s")

    async def switch_settled(self, path: str, timeout: float = 120, poll: float = 0.05) -> float:
        """Click the sidebar link to ``path`` (no document reload, as a person moves between
        pages); seconds until a script run has started and ended and the page has settled."""
        await self.eval("""(() => {
          const app = document.querySelector('[data-testid="stApp"]');
          window.__reviewdb_ran = false;
          if (window.__reviewdb_observer) window.__reviewdb_observer.disconnect();
          window.__reviewdb_observer = new MutationObserver(() => {
            if (app.dataset.testScriptState === 'running') window.__reviewdb_ran = true; });
          window.__reviewdb_observer.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        })()""")
        link = f"document.querySelector('[data-testid=\"stSidebarNav\"] a[href$=\"/{path}\"]')"
        click = f"(() => {{ const a = {link}; if (!a) return false; a.click(); return true; }})()"
        t0 = time.perf_counter()
        end, clicked_at = time.monotonic() + timeout, 0.0
        while time.monotonic() < end:
            # a click that lands while the page is still rerunning can be dropped: click again
            # after 3 s without a run, but keep timing from the first click
            if not await self.eval("window.__reviewdb_ran") and time.monotonic() - clicked_at > 3:
                if not await self.eval(click):
                    raise LookupError(f"no sidebar link to /{path}")
                clicked_at = time.monotonic()
            elif await self.eval(f"window.__reviewdb_ran && {SETTLED}"):
                return time.perf_counter() - t0
            await asyncio.sleep(poll)
        raise TimeoutError(f"/{path} did not settle within {timeout} s")
