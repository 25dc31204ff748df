"""The HTML in a real browser (headless Chromium) at phone width."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
PHONE_WIDTH = 390

# Loads a page in a phone-sized frame and writes what it measured into the DOM,
# which Chromium's --dump-dom then prints.
HARNESS = """<!DOCTYPE html><html><body>
<iframe id="f" src="{page}" style="width:{width}px;height:700px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", async () => {{
  const doc = document.getElementById("f").contentDocument;
  await doc.fonts.ready;
  const images = [...doc.images];
  const out = {{
    scrollWidth: doc.documentElement.scrollWidth,
    clientWidth: doc.documentElement.clientWidth,
    images: images.length,
    broken: images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute("src")),
    fonts: [...doc.fonts].filter(f => f.status === "loaded").map(f => f.family + " " + f.weight),
    lang: doc.documentElement.lang,
  }};
  const pre = document.createElement("pre");
  pre.id = "result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script></body></html>"""


def measure(build: Path, page: str, tmp_path: Path) -> dict[str, object]:
    """Open a built page in headless Chromium at phone width and report on it."""
    assert CHROMIUM is not None
    harness = build / f".harness-{page}"
    harness.write_text(HARNESS.format(page=page, width=PHONE_WIDTH), encoding="utf-8")
    try:
        done = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={tmp_path / 'chromium'}", "--allow-file-access-from-files",
                "--virtual-time-budget=10000", "--dump-dom", harness.as_uri(),
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        harness.unlink()
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout)
    assert found, f"Chromium reported nothing: {done.stderr[-2000:]}"
    result: dict[str, object] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return result


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs it)")
@pytest.mark.parametrize("page", ["compendium.html", "debate-paper.html", "index.html"])
def test_html_reads_well_on_a_phone(built: Path, tmp_path: Path, page: str) -> None:
    result = measure(built, page, tmp_path)
    assert result["lang"] == "da"
    assert result["scrollWidth"] <= result["clientWidth"], "the page scrolls sideways on a phone"
    assert result["broken"] == []
    assert "Noto Serif 400" in result["fonts"]
    if page == "compendium.html":
        assert result["images"] == 10  # 8 photos, the logo on the cover and its running-head copy (hidden on screen)
