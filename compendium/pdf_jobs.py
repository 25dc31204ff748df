"""Lay out several PDFs at once, each in its own worker process, reporting pages as they come.

WeasyPrint is single-threaded, so the two documents are laid out in
separate processes. The output does not depend on where a PDF was made:
each worker runs the very same write_pdf as a serial build.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import render_pdf
from .errors import CompendiumError

# Called with a document's name and the page WeasyPrint is laying out.
OnPage = Callable[[str, int], None]


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: its HTML, the folder its assets are in, and where it goes."""

    doc: str
    html: str
    base_dir: Path
    target: Path
    final: Path  # where the PDF goes when the build succeeds, for messages


def default_workers(jobs: int) -> int:
    """Use one process per PDF, but no more than the machine has cores."""
    return max(1, min(jobs, os.cpu_count() or 1))


def make_pdfs(jobs: list[PdfJob], on_page: OnPage, workers: int | None = None) -> dict[str, tuple[int, list[str]]]:
    """Make every PDF; return each document's page count and layout warnings."""
    workers = default_workers(len(jobs)) if workers is None else workers
    if workers <= 1 or len(jobs) <= 1:
        return {job.doc: _make(job, _pages_of(job.doc, on_page)) for job in jobs}
    context = multiprocessing.get_context()
    pages: Any = context.Queue()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(pages,)) as pool:
        futures: dict[Future[tuple[int, list[str]]], str] = {pool.submit(_work, job): job.doc for job in jobs}
        pending = set(futures)
        while pending:
            _forward(pages, on_page, wait=0.1)
            pending = {f for f in pending if not f.done()}
        _forward(pages, on_page, wait=0)
        # result() re-raises a worker's error (a CompendiumError, say) here, in the build.
        return {futures[f]: f.result() for f in futures}


def _pages_of(doc: str, on_page: OnPage) -> Callable[[int], None]:
    """Bind a document's name to the page callback."""
    return lambda n: on_page(doc, n)


def _forward(pages: Any, on_page: OnPage, wait: float) -> None:
    """Pass on every page report the workers have sent so far."""
    try:
        doc, n = pages.get(timeout=wait) if wait else pages.get_nowait()
        on_page(doc, n)
        while True:
            doc, n = pages.get_nowait()
            on_page(doc, n)
    except queue.Empty:
        return


_queue: Any = None


def _start_worker(pages: Any) -> None:
    """Keep the page queue in the worker process."""
    global _queue
    _queue = pages


def _work(job: PdfJob) -> tuple[int, list[str]]:
    """Make one PDF in a worker, sending each page number back."""
    return _make(job, lambda n: _queue.put((job.doc, n)))


def _make(job: PdfJob, on_page: Callable[[int], None]) -> tuple[int, list[str]]:
    """Make one PDF; a failed write (a full disk, say) is one clear error naming the output."""
    try:
        return render_pdf.write_pdf(job.html, job.base_dir, job.target, on_page)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CompendiumError(f"cannot write {job.final}: {reason}; the previous outputs are unchanged") from None


# --- documents laid out in pieces -------------------------------------------------------------


@dataclass(frozen=True)
class PiecedJob:
    """A PDF laid out in pieces (see chunks.py) and merged."""

    doc: str
    pieces: tuple[Any, ...]  # chunks.Piece
    base_dir: Path
    target: Path
    final: Path
    guess: dict[str, int]  # page numbers of anchors, from the last build, to lay out the first round with


@dataclass(frozen=True)
class _Lay:
    key: str
    html: str
    base_dir: Path
    name: str


@dataclass(frozen=True)
class _Finish:
    key: str
    first_page: int
    elsewhere: frozenset[str]
    target: Path


@dataclass(frozen=True)
class _Whole:
    key: str
    job: PdfJob


Task = _Lay | _Finish | _Whole
ROUNDS = 4  # laying out again because page numbers moved: WeasyPrint itself tries up to 8 times


def _run(task: Task, held: dict[str, Any], on_page: Callable[[int], None]) -> tuple[Any, ...]:
    """Do one task in a worker, keeping laid-out pieces until they are finished."""
    if isinstance(task, _Lay):
        laid = render_pdf.lay_out(task.html, task.base_dir, task.name, on_page)
        held[task.key] = laid
        return ("laid", task.key, laid.pages, laid.anchors(), tuple(laid.bookmark_levels()))
    if isinstance(task, _Finish):
        laid = held.pop(task.key)
        return ("done", task.key, render_pdf.finish(laid, task.first_page, set(task.elsewhere), task.target))
    return ("made", task.key, *_make(task.job, on_page))


def _worker_loop(inbox: Any, outbox: Any) -> None:
    """Take tasks until told to stop; send back each result, page report and error."""
    held: dict[str, Any] = {}
    while (task := inbox.get()) is not None:
        try:
            outbox.put(_run(task, held, lambda n, key=task.key: outbox.put(("page", key, n))))
        except BaseException as exc:  # sent to the build, which raises it
            outbox.put(("error", task.key, exc))


class _Workers:
    """Worker processes, each with its own inbox, so that a piece is finished where it was laid out."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.local: dict[str, Any] = {}
        self.inline = count <= 1
        self.owner: dict[str, int] = {}
        if self.inline:
            return
        context = multiprocessing.get_context()
        self.outbox: Any = context.Queue()
        self.inboxes: list[Any] = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=_worker_loop, args=(inbox, self.outbox), daemon=True) for inbox in self.inboxes
        ]
        for process in self.processes:
            process.start()

    def run(self, tasks: list[tuple[Task, int | None]], on_page: Callable[[str, int], None]) -> list[tuple[Any, ...]]:
        """Do tasks (each bound to a worker or free), busy workers first to their own; return the results."""
        if self.inline:
            return [_run(task, self.local, lambda n, key=task.key: on_page(key, n)) for task, _ in tasks]
        own: dict[int, list[Task]] = {w: [t for t, owner in tasks if owner == w] for w in range(self.count)}
        free = [t for t, owner in tasks if owner is None]
        idle, results, busy = list(range(self.count)), [], 0
        while len(results) < len(tasks):
            while idle:
                w = idle.pop(0)
                task = own[w].pop(0) if own[w] else free.pop(0) if free else None
                if task is None:
                    continue
                self.inboxes[w].put(task)
                self.owner[task.key] = w
                busy += 1
            message = self.outbox.get()
            if message[0] == "page":
                on_page(message[1], message[2])
                continue
            if message[0] == "error":
                raise message[2]
            results.append(message)
            idle.append(self.owner[message[1]])
            idle.sort()
        return results

    def close(self, failed: bool) -> None:
        """Stop the workers: at once when the build has failed."""
        if self.inline:
            return
        for inbox in self.inboxes:
            inbox.put(None)
        for process in self.processes:
            if failed:
                process.kill()
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def make_all(
    plain: list[PdfJob], pieced: PiecedJob | None, on_page: OnPage, workers: int | None = None
) -> dict[str, tuple[int, list[str]]]:
    """Make every PDF, a pieced one in pieces, all in one pool of workers; return pages and warnings."""
    tasks = len(plain) + (len(pieced.pieces) if pieced else 0)
    pool = _Workers(default_workers(tasks) if workers is None else workers)
    failed = True
    try:
        made = _make_all(plain, pieced, on_page, pool)
        failed = False
        return made
    finally:
        pool.close(failed)


def _make_all(
    plain: list[PdfJob], pieced: PiecedJob | None, on_page: OnPage, pool: _Workers
) -> dict[str, tuple[int, list[str]]]:
    """Lay out every piece and plain PDF, number the pieces until their page numbers settle, finish, merge."""
    reached: dict[str, int] = {}

    def page(key: str, n: int) -> None:
        doc, _, piece = key.partition("#")
        reached[key] = max(n, reached.get(key, 0))
        on_page(doc, sum(v for k, v in reached.items() if k.partition("#")[0] == doc) if piece else n)

    tasks: list[tuple[Task, int | None]] = [(_Whole(job.doc, job), None) for job in plain]
    htmls: list[str] = []
    if pieced:
        htmls = [piece.html(pieced.guess) for piece in pieced.pieces]
        name = pieced.target.name
        biggest_first = sorted(range(len(htmls)), key=lambda i: -len(htmls[i]))
        tasks += [(_Lay(_key(pieced, i), htmls[i], pieced.base_dir, name), None) for i in biggest_first]
    made: dict[str, tuple[int, list[str]]] = {}
    laid: dict[str, tuple[Any, ...]] = {}
    for result in pool.run(tasks, page):
        if result[0] == "made":
            made[result[1]] = (result[2], result[3])
        else:
            laid[result[1]] = result
    if pieced:
        made[pieced.doc] = _settle(pieced, htmls, laid, pool, page)
    return made


def _key(job: PiecedJob, index: int) -> str:
    """Name a piece's tasks."""
    return f"{job.doc}#{index}"


def _settle(
    job: PiecedJob, htmls: list[str], laid: dict[str, tuple[Any, ...]], pool: _Workers, page: OnPage
) -> tuple[int, list[str]]:
    """Lay pieces out again until every printed page number is right, then finish and merge them."""
    import tempfile

    from . import pdf_merge

    keys = [_key(job, i) for i in range(len(job.pieces))]
    finished: dict[int, tuple[int, frozenset[str]]] = {}  # piece -> the first page and links it was written with
    warnings: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="compendium-pieces-") as folder:
        paths = [Path(folder, f"{i:04d}.pdf") for i in range(len(keys))]
        for _ in range(ROUNDS):
            starts, numbers = _numbers([laid[k][2] for k in keys], [laid[k][3] for k in keys])
            wanted = {i: (starts[i], frozenset(set(numbers) - set(laid[k][3]))) for i, k in enumerate(keys)}
            redo = [i for i, piece in enumerate(job.pieces) if piece.html(numbers) != htmls[i]]
            # A piece written with a first page that has since moved is laid out again too.
            redo += [i for i, done in finished.items() if done != wanted[i] and i not in redo]
            ready = [i for i in range(len(keys)) if i not in finished and i not in redo]
            if not redo and not ready:
                break
            for i in redo:
                htmls[i] = job.pieces[i].html(numbers)
                finished.pop(i, None)
            # While some pieces are laid out again, the others are finished, guessing that no page count changes.
            tasks: list[tuple[Task, int | None]] = [
                (_Lay(keys[i], htmls[i], job.base_dir, job.target.name), pool.owner.get(keys[i])) for i in redo
            ]
            tasks += [(_Finish(keys[i], *wanted[i], paths[i]), pool.owner.get(keys[i])) for i in ready]
            for result in pool.run(tasks, page):
                if result[0] == "laid":
                    laid[result[1]] = result
                else:
                    warnings.update(result[2])
            finished.update((i, wanted[i]) for i in ready)
        else:
            raise _Unsettled(job.doc)
        parts = [pdf_merge.Part(paths[i], frozenset(laid[k][3]), laid[k][4]) for i, k in enumerate(keys)]
        try:
            pages = pdf_merge.merge(parts, job.target)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CompendiumError(f"cannot write {job.final}: {reason}; the previous outputs are unchanged") from None
    return pages, sorted(warnings)


def _numbers(counts: list[int], anchors: list[dict[str, int]]) -> tuple[list[int], dict[str, int]]:
    """Give each piece's first page, and each anchor's page (the first, when several pieces have it)."""
    starts, numbers, page = [], {}, 1
    for count, own in zip(counts, anchors, strict=True):
        starts.append(page)
        for name, at in own.items():
            numbers.setdefault(name, page + at)
        page += count
    return starts, numbers


class _Unsettled(Exception):
    """The pieces' page numbers did not settle: lay the document out in one piece."""
