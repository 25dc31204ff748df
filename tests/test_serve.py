"""The live preview (`compendium serve`): a real server, driven by headless Chromium and raw HTTP."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from compendium.commands.serve import allowed_hosts, describe, error_overlay, safe_path
from compendium.errors import InputError, Problem

from .conftest import copy_example, run

CHROMIUM = next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
THEMES = "inputs/themes.yaml"


class Server:
    """A `compendium serve` process on a free port, stopped with Ctrl-C (SIGINT) at the end."""

    def __init__(self, project: Path) -> None:
        self.project = project
        env = {**os.environ, "COMPENDIUM_COMMIT": "", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "compendium", "serve", "--port", "0", "--project", str(project)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        self.stderr: list[str] = []
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr or []), daemon=True).start()
        line = _read_line(self.process, timeout=30)
        assert line.startswith("Serving a live preview at http://127.0.0.1:"), line + "".join(self.stderr)
        self.url = line.split(" at ")[1].split()[0]
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def request(self, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Send one raw request (no URL clean-up on the way) and return the status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in {"Host": f"127.0.0.1:{self.port}", **(headers or {})}.items():
                if value:
                    connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def settle(self) -> None:
        """Wait until the server has finished every rebuild and nothing changed for half a second."""
        last, steady = None, 0.0
        deadline = time.monotonic() + 20
        while steady < 0.5:
            assert time.monotonic() < deadline, "the preview kept rebuilding"
            status = json.loads(self.request("GET", "/_status")[1])
            now = (status["generation"], status["building"])
            steady = steady + 0.1 if now == last and not status["building"] else 0.0
            last = now
            time.sleep(0.1)

    def stop(self) -> str:
        """Press Ctrl-C and return what the server printed on stdout."""
        self.process.send_signal(signal.SIGINT)
        try:
            out, _ = self.process.communicate(timeout=30)  # the server allows itself 10 s; CI may be slow
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise
        return out


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """Read the first line of a process's stdout, or fail after a timeout."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else ""))
    reader.start()
    reader.join(timeout)
    if not lines:
        process.kill()
        pytest.fail(f"the server printed nothing in {timeout} s")
    return lines[0].strip()


class Browser:
    """Headless Chromium, driven over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        import websocket

        assert CHROMIUM is not None
        self.process = subprocess.Popen(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1000,800", "about:blank",
            ],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            assert time.monotonic() < deadline, "Chromium did not open its DevTools port"
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/json/list")
        targets = json.loads(connection.getresponse().read())
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self.calls = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and wait for its answer."""
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                assert "error" not in message, message
                result: dict[str, Any] = message["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Load a page and wait until the preview's script has run."""
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete' && !!document.getElementById('compendium-preview')")

    def wait_for(self, expression: str, timeout: float = 10) -> float:
        """Wait until a JavaScript expression is true in the page; return how long it took."""
        started = time.monotonic()
        while True:
            try:
                if self.evaluate(expression):
                    return time.monotonic() - started
            except AssertionError:  # the page is reloading; ask again
                pass
            if time.monotonic() - started > timeout:
                pytest.fail(f"still not true after {timeout} s: {expression}")
            time.sleep(0.05)

    def close(self) -> None:
        """Close the connection and stop Chromium."""
        self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A preview server on a copy of the example project; checks on teardown that Ctrl-C stops it cleanly."""
    project = copy_example(tmp_path_factory.mktemp("serve") / "project")
    server = Server(project)
    try:
        yield server
    finally:
        out = server.stop()
        assert out.splitlines()[-1] == "Stopped the preview.", out
        assert server.process.returncode == 0
        assert not (project / "build").exists(), "the preview wrote into the project's build folder"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs it)")
    # Chromium's helpers may still write into the profile as it closes: what they leave is no failure.
    with tempfile.TemporaryDirectory(prefix="chromium-", ignore_cleanup_errors=True) as profile:
        chromium = Browser(Path(profile))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(served: Server, browser: Browser) -> Browser:
    """The browser, once the server has settled after the previous test's edits."""
    served.settle()
    return browser


def _edit(project: Path, name: str, old: str, new: str) -> str:
    """Replace text in an input file as an editor would save it; return the old content."""
    path = project / name
    before = path.read_text(encoding="utf-8")
    assert old in before
    path.write_text(before.replace(old, new, 1), encoding="utf-8")
    return before


def test_the_page_shows_a_saved_change_within_two_seconds(served: Server, page: Browser) -> None:
    page.open(served.url + "compendium.html")
    assert "Tillid og respekt" not in page.evaluate("document.body.innerText")
    page.evaluate("window.scrollTo(0, 1500)")
    before = _edit(served.project, THEMES, "title: Tillid", "title: Tillid og respekt")
    try:
        seconds = page.wait_for("document.body.innerText.includes('Tillid og respekt')", timeout=2)
    finally:
        (served.project / THEMES).write_text(before, encoding="utf-8")
    assert seconds < 2
    page.wait_for("window.scrollY === 1500")  # the reader keeps their place
    page.wait_for("!document.body.innerText.includes('Tillid og respekt')")


def test_a_broken_input_shows_its_problems_over_the_page_until_fixed(served: Server, page: Browser) -> None:
    page.open(served.url + "compendium.html")
    before = _edit(served.project, THEMES, "title: Tillid", "title: [Tillid")
    try:
        page.wait_for("!!document.getElementById('compendium-preview-errors')")
        overlay = page.evaluate("document.getElementById('compendium-preview-errors').innerText")
        assert "The preview is out of date: 1 problem" in overlay
        assert (
            "inputs/themes.yaml:6:17 invalid YAML: a list opened with '[' on line 5 is not closed with ']'" in overlay
        )
        # A page opened while the input is broken gets the overlay from the server, before any script runs.
        page.open(served.url + "index.html")
        assert "inputs/themes.yaml:6:17" in page.evaluate(
            "document.getElementById('compendium-preview-errors').innerText"
        )
    finally:
        (served.project / THEMES).write_text(before, encoding="utf-8")
    page.wait_for("!document.getElementById('compendium-preview-errors')")
    assert "Læs på skærm (HTML)" in page.evaluate("document.body.innerText")


@pytest.mark.parametrize("where", ["served", "scripted"])
def test_problem_text_is_shown_as_text_not_markup(served: Server, page: Browser, where: str) -> None:
    page.open(served.url + "compendium.html")
    before = _edit(served.project, THEMES, "  - id: tillid\n", "  - id: tillid\n    <img src=x onerror=alert(1)>: 1\n")
    try:
        page.wait_for("!!document.getElementById('compendium-preview-errors')")
        if where == "served":
            page.open(served.url + "compendium.html")
        overlay = "document.getElementById('compendium-preview-errors')"
        assert "<img src=x onerror=alert(1)>" in page.evaluate(f"{overlay}.innerText")
        assert page.evaluate(f"{overlay}.querySelectorAll('img').length") == 0
    finally:
        (served.project / THEMES).write_text(before, encoding="utf-8")
    page.wait_for("!document.getElementById('compendium-preview-errors')")


def test_a_template_saved_in_a_new_templates_folder_restyles_the_page(served: Server, page: Browser) -> None:
    page.open(served.url + "compendium.html")
    background = "getComputedStyle(document.body).backgroundColor"
    assert page.evaluate(background) != "rgb(1, 2, 3)"
    templates = served.project / "templates"
    held = served.project / "templates-held"  # the example's own folder (a README only), put back after
    if templates.exists():
        templates.rename(held)
    templates.mkdir()
    try:
        style = (Path(__file__).parent.parent / "compendium" / "templates" / "style.css").read_text(encoding="utf-8")
        (templates / "style.css").write_text(style + "body { background: rgb(1, 2, 3); }\n", encoding="utf-8")
        page.wait_for(f"{background} === 'rgb(1, 2, 3)'")
    finally:
        shutil.rmtree(templates)
        if held.exists():
            held.rename(templates)
    page.wait_for(f"{background} !== 'rgb(1, 2, 3)'")


def test_a_broken_project_file_is_shown_too(served: Server, page: Browser) -> None:
    page.open(served.url + "index.html")
    before = _edit(served.project, "compendium.yaml", "inputs: inputs", "inputs: /etc")
    try:
        page.wait_for("!!document.getElementById('compendium-preview-errors')")
        assert (
            "compendium.yaml:2:9 inputs: '/etc' is outside the project; give a folder inside it, e.g. 'inputs'"
            in page.evaluate("document.getElementById('compendium-preview-errors').innerText")
        )
    finally:
        (served.project / "compendium.yaml").write_text(before, encoding="utf-8")
    page.wait_for("!document.getElementById('compendium-preview-errors')")


def test_the_pdf_is_made_on_demand_with_progress(served: Server, page: Browser) -> None:
    page.open(served.url + "debate-paper.html")
    page.wait_for("!!document.querySelector('#compendium-preview button[data-document=\"debate-paper\"]')")
    page.evaluate("document.querySelector('#compendium-preview button[data-document=\"debate-paper\"]').click()")
    page.wait_for("document.getElementById('compendium-preview').innerText.includes('Laying out debate-paper.pdf')")
    page.wait_for("!!document.querySelector('#compendium-preview a[data-document=\"debate-paper\"]')", timeout=90)
    href = page.evaluate("document.querySelector('#compendium-preview a[data-document=\"debate-paper\"]').href")
    assert href == served.url + "_pdf/debate-paper.pdf"
    status, body = served.request("GET", "/_pdf/debate-paper.pdf")
    assert status == 200
    assert len(PdfReader(io.BytesIO(body)).pages) == 4
    assert "debate-paper.pdf (4 pages, " in page.evaluate("document.getElementById('compendium-preview').innerText")


@pytest.mark.parametrize(
    "path",
    [
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/../compendium.yaml",
        "/assets/..%2f..%2f..%2fcompendium.yaml",
        "/assets/%2E%2E/%2E%2E/compendium.yaml",
        "/_pdf/../site/index.html",
        "/assets/..\\..\\compendium.yaml",
    ],
)
def test_paths_out_of_the_preview_are_refused(served: Server, path: str) -> None:
    assert served.request("GET", path) == (403, b"Forbidden\n")


@pytest.mark.parametrize("path", ["//etc/passwd", "/etc/passwd", "/compendium.yaml", "/inputs/themes.yaml"])
def test_absolute_and_project_paths_are_not_found(served: Server, path: str) -> None:
    assert served.request("GET", path) == (404, b"Not found\n")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_local_host_names_are_answered(served: Server, host: str) -> None:
    status, body = served.request("GET", "/", {"Host": host.format(port=served.port)})
    assert status == 200
    assert b'<script src="/_preview.js"' in body


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "evil.example", "127.0.0.1", "127.0.0.1:1", "127.0.0.1.nip.io:{port}"]
)
def test_foreign_host_names_are_refused(served: Server, host: str) -> None:
    status, body = served.request("GET", "/_status", {"Host": host.format(port=served.port)})
    assert (status, body) == (421, b"Misdirected request: this preview answers only to its own address\n")


def test_a_request_without_a_host_is_refused(served: Server) -> None:
    assert served.request("GET", "/", {"Host": ""}) == (400, b"Bad request: no Host header\n")


def test_another_site_cannot_start_a_pdf_build(served: Server) -> None:
    status, body = served.request("POST", "/_pdf/compendium", {"Origin": "http://evil.example"})
    assert (status, body) == (403, b"Forbidden: a page from another site may not start builds\n")


def test_the_page_script_is_added_to_the_response_once(served: Server) -> None:
    status, body = served.request("GET", "/compendium.html")
    assert status == 200
    assert body.count(b"/_preview.js") == 1
    assert b"_preview" not in (served.project / "inputs" / "themes.yaml").read_bytes()


def test_safe_path_refuses_a_symlink_out(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (site / "link.txt").symlink_to(tmp_path / "secret.txt")
    (site / "page.html").write_text("page", encoding="utf-8")
    assert safe_path(site, "link.txt") is None
    assert safe_path(site, "page.html") == (site / "page.html").resolve()
    assert safe_path(site, "%2e%2e/secret.txt") is None
    assert safe_path(site, "page.html%00.txt") is None


def test_allowed_hosts_include_the_chosen_host() -> None:
    assert allowed_hosts("192.168.1.5", 8000) == {
        "127.0.0.1:8000", "localhost:8000", "[::1]:8000", "192.168.1.5:8000",
    }  # fmt: skip
    assert "[::1]:8080" in allowed_hosts("::1", 8080)
    everywhere = allowed_hosts("0.0.0.0", 8000)
    assert f"{socket.gethostname().lower()}:8000" in everywhere
    assert "evil.example:8000" not in everywhere


def test_the_overlay_escapes_every_problem() -> None:
    problems = describe(InputError([Problem("inputs/<a>.yaml", 3, 4, "x", "'<script>' is wrong & odd")]))
    assert problems == [{"where": "inputs/<a>.yaml:3:4", "message": "x: '<script>' is wrong & odd"}]
    overlay = error_overlay(problems)
    assert "<code>inputs/&lt;a&gt;.yaml:3:4</code> x: &#x27;&lt;script&gt;&#x27; is wrong &amp; odd" in overlay
    assert "<script>" not in overlay


def test_a_busy_port_is_reported_plainly(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port), "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: port {port} on 127.0.0.1 is already in use; stop the other server or choose a port "
        "with --port (--port 0 picks a free one)\n"
    )
