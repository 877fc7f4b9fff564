"""The real thing: the dashboard served by Streamlit, opened in headless Debian chromium.

Drives chromium over the DevTools protocol (``websockets``), waits for the chord
diagram to render, reads its labels from the page's SVG and saves a screenshot
(``REVIEWDB_SCREENSHOT_DIR`` keeps it, else the test's tmp dir).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="needs Debian's chromium at /usr/bin/chromium")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def server(shared_mini_url, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("server")
    port = free_port()
    env = dict(os.environ, REVIEWDB_URL=shared_mini_url, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app" / "main.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        env=env, stdout=open(tmp_path / "streamlit.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium") / "profile"
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
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class DevTools:
    """The few DevTools calls the test needs, over one websocket."""

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

    async def wait_for(self, expression: str, timeout: float = 45):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = await self.eval(expression)
            if value:
                return value
            await asyncio.sleep(0.3)
        raise TimeoutError(f"never true: {expression}")


CHORD_LABELS = ("Array.from(document.querySelectorAll('.js-plotly-plot .textpoint text'))"
                ".map(t => t.textContent)")


async def _visit(ws_url: str, url: str, shot: Path) -> dict:
    import websockets

    async with websockets.connect(ws_url, max_size=50_000_000) as ws:
        dt = DevTools(ws)
        await dt.call("Page.enable")
        await dt.call("Emulation.setDeviceMetricsOverride", width=1400, height=1100, deviceScaleFactor=1,
                      mobile=False)
        await dt.call("Page.navigate", url=url)
        try:
            labels = await dt.wait_for(f"(() => {{ const l = {CHORD_LABELS}; return l.length >= 6 ? l : null; }})()")
        except TimeoutError:
            png = await dt.call("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(png["data"]))
            raise AssertionError("no chord labels; the page says: " + str(await dt.eval("document.body.innerText"))[:3000])
        await dt.wait_for("document.body.innerText.includes('studies translate')")
        await asyncio.sleep(1.0)  # let the ribbons' transitions settle before the picture
        png = await dt.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
        shot.write_bytes(base64.b64decode(png["data"]))
        return {
            "labels": labels,
            "href": await dt.eval("location.href"),
            "text": await dt.eval("document.body.innerText"),
            "ribbons": await dt.eval("document.querySelectorAll('.js-plotly-plot .scatterlayer path.js-fill')"
                                     ".length"),
        }


POINTS = "document.querySelectorAll('.js-plotly-plot .scatterlayer .trace .points path.point')"


async def _click_a_ribbon(ws_url: str, url: str) -> str:
    """Open the chord page without a pair, click the first ribbon's dot, return the page text."""
    import websockets

    async with websockets.connect(ws_url, max_size=50_000_000) as ws:
        dt = DevTools(ws)
        await dt.call("Emulation.setDeviceMetricsOverride", width=1400, height=1100, deviceScaleFactor=1,
                      mobile=False)
        await dt.call("Page.navigate", url=url)
        await dt.wait_for(f"{POINTS}.length > 0")
        await asyncio.sleep(1.0)
        box = await dt.eval(f"(() => {{ const r = {POINTS}[0].getBoundingClientRect();"
                            " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            await dt.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left",
                          clickCount=1)
        await dt.wait_for("document.body.innerText.includes('studies translate')")
        return await dt.eval("document.body.innerText") + "\nURL " + await dt.eval("location.href")


def test_clicking_a_ribbon_lists_its_studies(server, chromium):
    text = asyncio.run(asyncio.wait_for(_click_a_ribbon(chromium, f"{server}/chord"), timeout=120))
    assert "1 studies translate" in text
    assert "pair=" in text.split("\nURL ")[1]  # the selection is part of the link


def test_chord_renders_in_chromium(server, chromium, tmp_path):
    out_dir = Path(os.environ.get("REVIEWDB_SCREENSHOT_DIR") or tmp_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    shot = out_dir / "chord.png"
    seen = asyncio.run(asyncio.wait_for(
        _visit(chromium, f"{server}/chord?family=GAN&pair=MRI->CT", shot), timeout=120))
    assert set(seen["labels"]) >= {"MRI", "CT", "CBCT", "PET", "X-ray", "US"}
    assert seen["ribbons"] >= 2 + 6  # two GAN pairs (MRI -> CT, CBCT -> CT) and six node arcs
    assert "family=GAN" in seen["href"] and "pair=MRI" in seen["href"]  # the link survives the render
    assert "1 studies translate MRI → CT" in seen["text"]
    assert "Filters" in seen["text"] and "Model family" in seen["text"]  # the shared filter bar
    assert shot.stat().st_size > 20_000
