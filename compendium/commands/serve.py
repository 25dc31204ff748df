"""Live preview: serve the HTML, rebuild it when an input or template is saved, reload the page.

The preview builds into a temporary folder of its own, never into build/: a
half-edited input must not replace the published outputs, and the page script
the preview adds is injected into each HTML response, so no file on disk holds it.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote, urlsplit

from compendium.errors import CompendiumError, InputError, Problem, page_item, plural, text_line
from compendium.messages import _, current_language, ngettext
from compendium.pipeline import DOCUMENTS, build
from compendium.project import PROJECT_FILE, Project, find_project

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
PAGE_SCRIPT = "/_preview.js"
PAGE_STYLE = "/_preview.css"
# Only the page's own scripts may run: user text is sanitised already, and this makes sure. The search
# (render/search.js) imports Pagefind from a blob it made of a script's bytes, and compiles its WebAssembly.
HTML_POLICY = (
    "default-src 'self'; script-src 'self' blob: 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

Echo = Callable[..., Any]
# A browser sends its request at once; a connection silent this long (or one that stops reading) is closed.
IDLE_TIMEOUT = 20.0
# A browser opens about six connections to one host; far more at once is a flood, answered "busy".
MAX_CONNECTIONS = 32
BUSY_TEXT = b"Service unavailable: too many connections open\n"
BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BUSY_TEXT), BUSY_TEXT)
)


@dataclass
class PdfJob:
    """One document's on-demand PDF: where it is and how far it got."""

    state: str = "idle"  # idle, running, done, failed
    message: str = ""
    changes: int = -1  # the input change count the PDF was built from
    problems: list[dict[str, str]] = field(default_factory=list)


class Preview:
    """The preview's state: the latest build, its problems and the PDF jobs."""

    def __init__(self, root: Path, workdir: Path, echo: Echo) -> None:
        self.root = root
        self.site = workdir / "site"
        self.pdfs = workdir / "pdf"
        self.echo = echo
        self.lock = threading.Lock()
        self.build_lock = threading.Lock()  # one HTML build at a time: they share the preview folder
        self.generation = 0  # counts finished HTML builds; a new one makes pages reload
        self.changes = 0  # counts saves seen by the watcher
        self.building = False
        self.problems: list[dict[str, str]] = []
        self.warnings: list[str] = []
        self.documents: list[str] = list(DOCUMENTS)
        self.pdf = {doc: PdfJob() for doc in DOCUMENTS}
        self.changed: set[str] = set()
        self.dirty = threading.Event()
        self.stop = threading.Event()
        self.rewatch = threading.Event()

    def project(self) -> Project:
        """Read compendium.yaml again: its folders may have changed since the last build."""
        return find_project(explicit=self.root)

    def rebuild(self) -> None:
        """Build the HTML into the preview folder and record the outcome."""
        with self.build_lock:
            self._rebuild()

    def _rebuild(self) -> None:
        """Build once; the caller holds the build lock."""
        with self.lock:
            self.building = True
            changed, self.changed = sorted(self.changed), set()
        started = time.perf_counter()
        failures: list[Problem] = []
        warnings: list[str] = []
        documents = self.documents
        try:
            project = self.project()
            result = build(project, formats=("html",), output=self.site)
            warnings = result.warnings
            documents = [p.stem for p in result.outputs if p.stem in DOCUMENTS]
        except Exception as exc:  # every failure is shown on the page, not raised
            failures = problems_of(exc)
        seconds = time.perf_counter() - started
        with self.lock:
            self.generation += 1
            self.building = False
            self.problems = [page_item(p) for p in failures]
            self.warnings, self.documents = warnings, documents
        self._log(changed, failures, warnings, seconds)

    def _log(self, changed: list[str], problems: list[Problem], warnings: list[str], seconds: float) -> None:
        """Tell the terminal what the rebuild did, each problem as `check` prints it."""
        after = _(" after a change to {changed}").format(changed=", ".join(changed)) if changed else ""
        if problems:
            for problem in problems:
                self.echo(text_line(problem) if problem.file else problem.message, err=True)
            self.echo(
                _("Error: {problems} found{after}; the page shows them").format(
                    problems=plural(len(problems), "{n} problem", "{n} problems"), after=after
                ),
                err=True,
            )
        else:
            for warning in warnings:
                self.echo(warning, err=True)
            self.echo(_("Rebuilt the HTML in {seconds:.1f} s{after}").format(seconds=seconds, after=after), err=True)

    def status(self) -> dict[str, Any]:
        """Say what the page script needs to know, as JSON-ready data."""
        with self.lock:
            return {
                "generation": self.generation,
                "building": self.building or self.dirty.is_set(),
                "problems": self.problems,
                "warnings": self.warnings,
                "pdf": {
                    doc: {
                        "state": job.state,
                        "message": job.message,
                        "url": f"/_pdf/{doc}.pdf" if job.state == "done" else None,
                        "outdated": job.state == "done" and job.changes != self.changes,
                        "problems": job.problems,
                    }
                    for doc, job in self.pdf.items()
                    if doc in self.documents
                },
            }

    def start_pdf(self, doc: str) -> bool:
        """Start building one document's PDF in the background; False if one is running."""
        with self.lock:
            job = self.pdf[doc]
            if job.state == "running":
                return False
            job.state, job.message, job.problems = "running", _("Starting {doc}.pdf").format(doc=doc), []
            changes = self.changes
        threading.Thread(target=self._make_pdf, args=(doc, changes), name=f"pdf-{doc}", daemon=True).start()
        return True

    def _make_pdf(self, doc: str, changes: int) -> None:
        """Build one PDF into the preview's PDF folder, reporting progress."""
        job = self.pdf[doc]

        def progress(message: str, transient: bool) -> None:
            with self.lock:
                job.message = message

        try:
            result = build(self.project(), only=doc, formats=("pdf",), output=self.pdfs, progress=progress)
        except Exception as exc:  # shown on the page and in the terminal
            problems = describe(exc)
            with self.lock:
                job.state, job.message, job.problems = "failed", _("{doc}.pdf failed").format(doc=doc), problems
            self.echo(
                _("Error: {doc}.pdf failed: {problems}; the page shows them").format(
                    doc=doc, problems=plural(len(problems), "{n} problem", "{n} problems")
                ),
                err=True,
            )
            return
        pages = result.pages.get(doc, 0)
        with self.lock:
            job.state, job.changes = "done", changes
            job.message = _("{pages}, {seconds:.1f} s").format(
                pages=plural(pages, "{n} page", "{n} pages"), seconds=result.seconds
            )
        self.echo(
            _("Built {doc}.pdf ({pages}) in {seconds:.1f} s").format(
                doc=doc, pages=plural(pages, "{n} page", "{n} pages"), seconds=result.seconds
            ),
            err=True,
        )

    def saw(self, paths: set[str]) -> None:
        """Note saved files and wake the builder."""
        with self.lock:
            self.changes += 1
            self.changed |= {self._shown(p) for p in paths}
        self.dirty.set()

    def _shown(self, path: str) -> str:
        """Show a changed path relative to the project."""
        with suppress(ValueError):
            return Path(path).relative_to(self.root).as_posix()
        return path

    def builder(self) -> None:
        """Rebuild whenever the watcher saw a save; saves during a build make one more build."""
        while not self.stop.is_set():
            if self.dirty.wait(0.2):
                self.dirty.clear()
                self.rebuild()

    def watch_inputs(self) -> None:
        """Watch the inputs and template folders, again whenever compendium.yaml moves them."""
        import watchfiles

        watched: list[Path] | None = None
        while not self.stop.is_set():
            self.rewatch.clear()
            try:
                project = self.project()
                folders = [p for p in (project.inputs, project.templates) if p.is_dir()]
                output = project.output.resolve()
            except CompendiumError:
                folders, output = [], None
            if watched is not None and folders != watched:
                # A file saved into a new folder before its watch began would be missed: build once more.
                threading.Timer(0.3, self.dirty.set).start()
            watched = folders
            if not folders:  # nothing to watch until compendium.yaml changes
                _either(self.stop, self.rewatch).wait()
                continue

            for changes in watchfiles.watch(
                *folders, watch_filter=_input_filter(output), step=50, stop_event=_either(self.stop, self.rewatch),
                rust_timeout=500, raise_interrupt=False,
            ):  # fmt: skip
                self.saw(_lasting(changes))

    def watch_project_file(self) -> None:
        """Watch the project folder itself (not below it) for compendium.yaml and new folders."""
        import watchfiles

        def wanted(change: watchfiles.Change, path: str) -> bool:
            """Only compendium.yaml, or a folder it names appearing or going."""
            name = Path(path).name
            if name == PROJECT_FILE:
                return True
            try:
                project = self.project()
            except CompendiumError:
                return False
            return Path(path) in (project.inputs, project.templates)

        for changes in watchfiles.watch(
            self.root, watch_filter=wanted, recursive=False, step=50, stop_event=self.stop,
            rust_timeout=500, raise_interrupt=False,
        ):  # fmt: skip
            self.rewatch.set()
            self.saw({path for _, path in changes})


def _input_filter(output: Path | None) -> Callable[[Any, str], bool]:
    """Skip editor droppings, version control and anything in the output folder."""
    import watchfiles

    default = watchfiles.DefaultFilter()

    def wanted(change: watchfiles.Change, path: str) -> bool:
        inside = output is not None and Path(path).resolve().is_relative_to(output)
        return not inside and default(change, path)

    return wanted


def _lasting(changes: set[tuple[Any, str]]) -> set[str]:
    """Name the changed files, leaving out an editor's temporary files made and removed in one save."""
    from watchfiles import Change

    kinds: dict[str, set[Change]] = {}
    for change, path in changes:
        kinds.setdefault(path, set()).add(change)
    return {path for path, seen in kinds.items() if not {Change.added, Change.deleted} <= seen} or set(kinds)


class _Either:
    """Set when either of two events is set (watchfiles asks only is_set)."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()

    def wait(self) -> None:
        while not self.is_set():
            self.a.wait(0.2)


def _either(a: threading.Event, b: threading.Event) -> _Either:
    """Combine two events."""
    return _Either(a, b)


def problems_of(exc: BaseException) -> list[Problem]:
    """Turn a build failure into its problems."""
    if isinstance(exc, InputError):
        return exc.problems
    if isinstance(exc, CompendiumError):
        return [exc.as_problem()]
    return [Problem("", message=_("internal error: {kind}: {exc}").format(kind=type(exc).__name__, exc=exc))]


def describe(exc: BaseException) -> list[dict[str, str]]:
    """Turn a build failure into the page's problems, each with where and what."""
    return [page_item(p) for p in problems_of(exc)]


def error_overlay(problems: list[dict[str, str]]) -> str:
    """Render the problems as an HTML overlay; every piece of text is escaped."""
    items = "".join(
        "<li>"
        + (f"<code>{html.escape(p['where'])}</code> " if p["where"] else "")
        + html.escape(p["message"])
        + "</li>"
        for p in problems
    )
    title = plural(len(problems), "The preview is out of date: {n} problem", "The preview is out of date: {n} problems")
    then = _("Save a fix and this page updates by itself.")
    return (
        '<div id="compendium-preview-errors" role="alert"><div class="compendium-preview-box">'
        f"<h2>{html.escape(title)}</h2><ol>{items}</ol><p>{html.escape(then)}</p></div></div>"
    )


def page_texts() -> dict[str, str | list[str]]:
    """The page script's texts in the messages' language; a count's are [one, other], with {n} for the number."""
    return {
        "outOfDate": [
            ngettext("The preview is out of date: {n} problem", "The preview is out of date: {n} problems", 1),
            ngettext("The preview is out of date: {n} problem", "The preview is out of date: {n} problems", 2),
        ],
        "saveFix": _("Save a fix and this page updates by itself."),
        "live": _("Live preview"),
        "rebuilding": _("rebuilding …"),
        "inputProblems": [
            ngettext("{n} problem in the inputs", "{n} problems in the inputs", 1),
            ngettext("{n} problem in the inputs", "{n} problems in the inputs", 2),
        ],
        "upToDate": _("up to date"),
        "warnings": [ngettext("{n} warning", "{n} warnings", 1), ngettext("{n} warning", "{n} warnings", 2)],
        "older": _("{message}; older than the inputs"),
        "failed": _("{file} failed"),
        "remake": _("Remake"),
        "make": _("Make {file}"),
        "stopped": _("stopped: start compendium serve again"),
    }


def inject(page: str, status: dict[str, Any]) -> str:
    """Add the page script, with its texts (and the overlay, when the inputs are broken), to an HTML page."""
    texts = html.escape(json.dumps(page_texts(), ensure_ascii=False))
    tag = (
        f'<link rel="stylesheet" href="{PAGE_STYLE}">'
        f'<script src="{PAGE_SCRIPT}" data-generation="{int(status["generation"])}" data-texts="{texts}" defer>'
        "</script>"
    )
    if status["problems"]:
        tag += error_overlay(status["problems"])
    end = page.lower().rfind("</body>")
    return page[:end] + tag + page[end:] if end >= 0 else page + tag


def error_page(status: dict[str, Any]) -> str:
    """A page for when there is nothing built yet, only problems."""
    title = html.escape(_("Preview"))
    page = (
        f'<!DOCTYPE html><html lang="{current_language()}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body></body></html>"
    )
    return inject(page, status)


def allowed_hosts(host: str, port: int) -> set[str]:
    """Host headers the server answers: the local names and --host, each with the port.

    Listening on every address (0.0.0.0 or ::) adds this machine's own names
    and addresses, so other machines can reach it by them, but by no other name.
    """
    names = {*LOCAL_NAMES, host}
    if host in ("0.0.0.0", "::"):
        names |= {socket.gethostname(), socket.getfqdn()}
        with suppress(OSError):
            names |= {str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None)}
    return {f"{f'[{name}]' if ':' in name and not name.startswith('[') else name}:{port}".lower() for name in names}


class Handler(BaseHTTPRequestHandler):
    """Serve the preview folder, the page script, the status and the PDFs."""

    server: PreviewServer
    server_version = "compendium-preview"
    timeout = IDLE_TIMEOUT  # on every read and write of the connection (StreamRequestHandler sets it)

    def version_string(self) -> str:
        """Name the server without Python's version."""
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the terminal for build messages: no access log."""

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc.lower() not in self.server.hosts:
            self._text(HTTPStatus.FORBIDDEN, "Forbidden: a page from another site may not start builds\n")
            return
        path = url_path(self.path)
        doc = path.removeprefix("/_pdf/")
        if not path.startswith("/_pdf/") or doc not in self.server.preview.documents:
            self._text(HTTPStatus.NOT_FOUND, "Not found\n")
            return
        started = self.server.preview.start_pdf(doc)
        self._send(HTTPStatus.ACCEPTED, "application/json", json.dumps({"started": started}).encode(), True)

    def _host_ok(self) -> bool:
        """Refuse requests for another host name: a DNS-rebinding page must not read the preview."""
        host = self.headers.get("Host")
        if host is None:
            self._text(HTTPStatus.BAD_REQUEST, "Bad request: no Host header\n")
            return False
        if host.lower() not in self.server.hosts:
            self._text(
                HTTPStatus.MISDIRECTED_REQUEST, "Misdirected request: this preview answers only to its own address\n"
            )
            return False
        return True

    def _serve(self, body: bool) -> None:
        """Answer a GET or HEAD."""
        if not self._host_ok():
            return
        if not self.path.startswith("/"):
            self._text(HTTPStatus.BAD_REQUEST, "Bad request\n", body)
            return
        path = url_path(self.path)
        preview = self.server.preview
        if path == "/_status":
            self._send(HTTPStatus.OK, "application/json", json.dumps(preview.status()).encode(), body)
        elif path in (PAGE_SCRIPT, PAGE_STYLE):
            data = files("compendium").joinpath("preview" + Path(path).suffix).read_bytes()
            self._send(HTTPStatus.OK, mimetypes.types_map[Path(path).suffix], data, body)
        elif path.startswith("/_pdf/"):
            self._file(preview.pdfs, path.removeprefix("/_pdf/"), body)
        else:
            self._file(preview.site, path.removeprefix("/") or "index.html", body)

    def _file(self, folder: Path, name: str, body: bool) -> None:
        """Serve a file from a folder, refusing any path that leaves it."""
        target = safe_path(folder, name)
        if target is None:
            self._text(HTTPStatus.FORBIDDEN, "Forbidden\n", body)
            return
        preview = self.server.preview
        if target.is_dir():
            target = target / "index.html"
        if target.suffix == ".html":
            status = preview.status()
            if target.is_file():
                page = inject(target.read_text(encoding="utf-8"), status)
            elif status["problems"]:
                page = error_page(status)
            else:
                self._text(HTTPStatus.NOT_FOUND, "Not found\n", body)
                return
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode(), body)
        elif target.is_file():
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, kind, target.read_bytes(), body)
        else:
            self._text(HTTPStatus.NOT_FOUND, "Not found\n", body)

    def _text(self, code: HTTPStatus, text: str, body: bool = True) -> None:
        """Send a short plain-text answer."""
        self._send(code, "text/plain; charset=utf-8", text.encode(), body)

    def _send(self, code: HTTPStatus, kind: str, data: bytes, body: bool) -> None:
        """Send a complete answer with headers that keep the browser from caching or sniffing it."""
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if kind.startswith("text/html"):
            self.send_header("Content-Security-Policy", HTML_POLICY)
        self.end_headers()
        if body:
            with suppress(ConnectionError):
                self.wfile.write(data)


def url_path(target: str) -> str:
    """Take the path from a request target; urlsplit would read '//x/y' as a host name."""
    return target.split("#", 1)[0].split("?", 1)[0]


def safe_path(folder: Path, name: str) -> Path | None:
    """Resolve a URL path inside a folder; None for '..', backslashes, NUL or a symlink out."""
    name = unquote(name)
    parts = name.split("/")
    if "\0" in name or "\\" in name or any(part in ("..", ".") for part in parts):
        return None
    root = folder.resolve()
    target = root.joinpath(*[part for part in parts if part]).resolve()
    return target if target.is_relative_to(root) else None


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its preview and the host names it answers to, with a cap on connections."""

    daemon_threads = True
    preview: Preview
    hosts: set[str]
    slots: threading.BoundedSemaphore

    def server_activate(self) -> None:
        """Start listening, with a slot for each connection that may be open at once."""
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().server_activate()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a connection in a thread of its own if a slot is free; else answer 503 at once and close it."""
        if not self.slots.acquire(blocking=False):
            with suppress(OSError):
                request.settimeout(1.0)
                request.sendall(BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def listen(host: str, port: int) -> PreviewServer:
    """Bind the server, explaining a busy port or an unknown host."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror:
        raise CompendiumError(_("cannot listen on '{host}': no such address").format(host=host)) from None
    server_class = type("Server", (PreviewServer,), {"address_family": family})
    try:
        server: PreviewServer = server_class((host, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CompendiumError(
                _(
                    "port {port} on {host} is already in use; stop the other server or choose a port with --port (--port 0 picks a free one)"
                ).format(port=port, host=host)
            ) from None
        raise CompendiumError(
            _("cannot listen on {host} port {port}: {strerror}").format(host=host, port=port, strerror=exc.strerror)
        ) from None
    return server


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Stop on SIGTERM and SIGINT alike, so both clean up the same way.

    SIGINT is set explicitly because a shell starts background jobs with it ignored,
    and Python then never raises KeyboardInterrupt: the server could not be stopped
    by the signal a supervisor (or a test) sends for Ctrl-C.
    """

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def serve(project: Project, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, echo: Echo) -> None:
    """Serve a live preview until Ctrl-C."""
    server = listen(host, port)
    port = server.server_address[1]
    workdir = Path(tempfile.mkdtemp(prefix="compendium-preview-"))
    preview = Preview(project.root, workdir, echo)
    server.preview, server.hosts = preview, allowed_hosts(host, port)
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # a browser here reaches every address this way
    url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"
    threads = [
        threading.Thread(target=target, name=target.__name__, daemon=True)
        for target in (preview.watch_inputs, preview.watch_project_file, preview.builder)
    ]
    with _terminate_as_interrupt():
        try:
            for thread in threads:
                thread.start()
            echo(_("Building the preview …"), err=True)
            preview.rebuild()
            if host not in ("127.0.0.1", "localhost", "::1"):
                echo(
                    _("Warning: listening on {host}: other machines on the network may see the preview").format(
                        host=host
                    ),
                    err=True,
                )
            echo(_("Serving a live preview at {url} (Ctrl-C to stop)").format(url=url))
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            with _signals_ignored():  # a second Ctrl-C must not leave the temporary folder behind
                preview.stop.set()
                server.server_close()
                # The builder stops between builds, so the folder stays removed. One deadline for
                # all threads: the watchers may each take a poll interval to notice the stop.
                deadline = time.monotonic() + 10
                for thread in threads:
                    thread.join(timeout=max(0.0, deadline - time.monotonic()))
                shutil.rmtree(workdir, ignore_errors=True)
    echo(_("Stopped the preview."))


@contextmanager
def _signals_ignored() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while cleaning up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
