"""The real thing: the dashboard served by Streamlit, opened in headless Debian chromium.

Drives chromium over the DevTools protocol (``websockets``, the harness in
``benchmarks/browser.py`` that the page-time benchmark uses too), waits for the chord
diagram to render, reads its labels from the page's SVG and saves a screenshot
(``REVIEWDB_SCREENSHOT_DIR`` keeps it, else the test's tmp dir).
"""

from __future__ import annotations

import asyncio
import base64
import os
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, DevTools, streamlit_server, wait_http
from benchmarks.browser import chromium as open_chromium

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="needs Debian's chromium at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def server(shared_mini_url, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server(shared_mini_url, log) as base:
        wait_http(f"{base}/_stcore/health")
        yield base


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    with open_chromium(tmp_path_factory.mktemp("chromium") / "profile") as ws_url:
        yield ws_url


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
