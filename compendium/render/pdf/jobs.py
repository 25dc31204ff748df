"""Lay out PDFs in worker processes (one per core), reporting pages as they come.

WeasyPrint is single-threaded, so documents, and the pieces of a document
cut by chunks.py, are laid out in separate processes. A piece is laid out
and later finished (numbered and written) in the same worker, which keeps
its layout in between; the pieces are then merged (pdf_merge.py). The
output does not depend on where or in what order anything was made: a
serial build (one worker) runs the same steps in this process and gives
the same bytes.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compendium.errors import CompendiumError
from compendium.render.pdf import layout as render_pdf

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
    """Make every PDF, each in one piece; return each document's page count and layout warnings."""
    return make_all(jobs, [], on_page, workers)


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
    html: str  # the whole document, laid out in one piece if the pieces' page numbers do not settle
    pieces: tuple[Any, ...]  # chunks.Piece
    base_dir: Path
    target: Path
    final: Path
    cache: Any = None  # piece_cache.PieceCache, or None for --no-cache


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
    name: str


@dataclass(frozen=True)
class _Whole:
    key: str
    job: PdfJob


Task = _Lay | _Finish | _Whole
ROUNDS = 6  # rounds of laying out again because page numbers moved, and of writing


def _run(task: Task, held: dict[str, Any], on_page: Callable[[int], None]) -> tuple[Any, ...]:
    """Do one task in a worker, keeping laid-out pieces until they are finished."""
    if isinstance(task, _Lay):
        laid = render_pdf.lay_out(task.html, task.base_dir, task.name, on_page)
        held[task.key] = laid
        return ("laid", task.key, laid.pages, laid.anchors(), tuple(laid.bookmark_levels()))
    if isinstance(task, _Finish):
        laid = held.pop(task.key)
        return ("done", task.key, render_pdf.finish(laid, task.first_page, task.elsewhere, task.target, task.name))
    return ("made", task.key, *_make(task.job, on_page))


def _send_page(outbox: Any, key: str, n: int) -> None:
    """Report a page from a worker."""
    outbox.put(("page", key, n))


def _worker_loop(inbox: Any, outbox: Any) -> None:
    """Take tasks until told to stop; send back each result, page report and error."""
    held: dict[str, Any] = {}
    while (task := inbox.get()) is not None:
        try:
            outbox.put(_run(task, held, functools.partial(_send_page, outbox, task.key)))
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
            return [_run(task, self.local, functools.partial(on_page, task.key)) for task, _ in tasks]
        own: dict[int, list[Task]] = {w: [t for t, owner in tasks if owner == w] for w in range(self.count)}
        free = [t for t, owner in tasks if owner is None]
        idle = list(range(self.count))
        results: list[tuple[Any, ...]] = []
        while len(results) < len(tasks):
            while idle:
                w = idle.pop(0)
                task = own[w].pop(0) if own[w] else free.pop(0) if free else None
                if task is None:
                    continue
                self.inboxes[w].put(task)
                self.owner[task.key] = w
            message = self._next()
            if message[0] == "page":
                on_page(message[1], message[2])
                continue
            if message[0] == "error":
                raise message[2]
            results.append(message)
            idle.append(self.owner[message[1]])
            idle.sort()
        return results

    def _next(self) -> tuple[Any, ...]:
        """Wait for a worker's next message; a worker that died (killed for memory, say) is an error."""
        while True:
            try:
                message: tuple[Any, ...] = self.outbox.get(timeout=1)
                return message
            except queue.Empty:
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead:
                    raise CompendiumError(
                        f"a PDF layout worker stopped unexpectedly (exit code {dead[0]}); the previous outputs are unchanged"
                    ) from None

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
    plain: list[PdfJob],
    pieced: list[PiecedJob],
    on_page: OnPage,
    workers: int | None = None,
    laid_out: dict[str, int] | None = None,
) -> dict[str, tuple[int, list[str]]]:
    """Make every PDF, the pieced ones in pieces, all in one pool of workers; return pages and warnings.

    laid_out, when given, gets the number of pieces of each pieced document that were laid out (not cached).
    """
    tasks = len(plain) + sum(len(job.pieces) for job in pieced)
    pool = _Workers(default_workers(tasks) if workers is None else workers)
    failed = True
    try:
        made = _make_all(plain, pieced, on_page, pool, {} if laid_out is None else laid_out)
        failed = False
        return made
    finally:
        pool.close(failed)


def _make_all(
    plain: list[PdfJob], pieced: list[PiecedJob], on_page: OnPage, pool: _Workers, laid_out: dict[str, int]
) -> dict[str, tuple[int, list[str]]]:
    """Lay out every plain PDF and every piece, then number, finish and merge the pieces."""
    reached: dict[str, int] = {}

    def page(key: str, n: int) -> None:
        doc, _, piece = key.partition("#")
        reached[key] = max(n, reached.get(key, 0))
        on_page(doc, sum(v for k, v in reached.items() if k.partition("#")[0] == doc) if piece else n)

    tasks: list[tuple[Task, int | None]] = [(_Whole(job.doc, job), None) for job in plain]
    states = {job.doc: _Pieces(job) for job in pieced}
    for state in states.values():
        tasks += [(task, None) for task in state.to_lay(range(len(state.job.pieces)))]
    # The biggest first, so that no worker is left with a long one at the end.
    tasks.sort(key=lambda t: -_size(t[0]))
    made: dict[str, tuple[int, list[str]]] = {}
    for result in pool.run(tasks, page):
        if result[0] == "made":
            made[result[1]] = (result[2], result[3])
        else:
            states[result[1].partition("#")[0]].took(result)
    for doc, state in states.items():
        try:
            made[doc] = state.settle(pool, page)
        except _Unsettled:
            job = state.job
            whole = PdfJob(doc, job.html, job.base_dir, job.target, job.final)
            made[doc] = pool.run([(_Whole(doc, whole), None)], page)[0][2:]
        laid_out[doc] = state.lays
    return made


class _Pieces:
    """Where the pieces of one document are: laid out (in which worker), written, cached."""

    def __init__(self, job: PiecedJob) -> None:
        self.job = job
        self.keys = [f"{job.doc}#{i}" for i in range(len(job.pieces))]
        guess = job.cache.guess(job.doc) if job.cache else {}
        self.htmls = [piece.html(guess) for piece in job.pieces]
        self.layouts: dict[int, tuple[int, dict[str, int], tuple[int, ...]]] = {}
        self.held: set[int] = set()  # pieces whose layout waits in a worker to be finished
        self.finished: dict[int, tuple[int, frozenset[str]]] = {}  # the first page and links each was written with
        self.paths: dict[int, Path] = {}
        self.warnings: set[str] = set()
        self.lays = 0

    def _layout_key(self, i: int) -> str:
        return self.job.cache.layout_key(self.htmls[i]) if self.job.cache else ""

    def to_lay(self, pieces: Iterable[int]) -> list[Task]:
        """Take the layouts of pieces from the cache; return tasks to lay out the others."""
        tasks: list[Task] = []
        for i in pieces:
            self.held.discard(i)
            hit = self.job.cache.layout(self._layout_key(i)) if self.job.cache else None
            if hit:
                self.layouts[i] = hit
            else:
                tasks.append(_Lay(self.keys[i], self.htmls[i], self.job.base_dir, self.job.target.name))
        return tasks

    def took(self, result: tuple[Any, ...]) -> None:
        """Note a piece laid out or written by a worker."""
        i = self.keys.index(result[1])
        if result[0] == "laid":
            self.lays += 1
            self.layouts[i] = result[2:5]
            self.held.add(i)
            if self.job.cache:
                self.job.cache.put_layout(self._layout_key(i), *result[2:5])
        else:
            self.held.discard(i)
            self.warnings.update(result[2])
            if self.job.cache:
                self.job.cache.put_pdf(self._pdf_key(i), self.paths[i], result[2])

    def _pdf_key(self, i: int) -> str:
        return self.job.cache.pdf_key(self._layout_key(i), *self.finished[i]) if self.job.cache else ""

    def settle(self, pool: _Workers, page: OnPage) -> tuple[int, list[str]]:
        """Lay pieces out again until every printed page number is right, then finish and merge them."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="compendium-pieces-") as folder:
            for _ in range(ROUNDS):
                tasks = self._round(Path(folder), pool)
                if not tasks:
                    return self._merge()
                for result in pool.run(tasks, page):
                    self.took(result)
        raise _Unsettled(self.job.doc)

    def _round(self, folder: Path, pool: _Workers) -> list[tuple[Task, int | None]]:
        """Work out what to lay out again and what to finish, given the page counts known now."""
        n = len(self.keys)
        starts, numbers = _numbers([self.layouts[i][0] for i in range(n)], [self.layouts[i][1] for i in range(n)])
        if self.job.cache:
            self.job.cache.put_numbers(self.job.doc, numbers)
        wanted = {i: (starts[i], frozenset(set(numbers) - set(self.layouts[i][1]))) for i in range(n)}
        changed = [i for i, piece in enumerate(self.job.pieces) if piece.html(numbers) != self.htmls[i]]
        # A piece written with a first page that has since moved is laid out again too.
        changed += [i for i, done in self.finished.items() if done != wanted[i] and i not in changed]
        for i in changed:
            self.htmls[i] = self.job.pieces[i].html(numbers)
            self.finished.pop(i, None)
        lay = self.to_lay(changed)
        for i in range(n):
            if i in self.finished or i in changed:
                continue
            self.finished[i] = wanted[i]
            cached = folder / f"cached-{i:04d}.pdf"
            hit = self.job.cache.pdf(self._pdf_key(i), cached) if self.job.cache else None
            if hit is not None:
                self.paths[i] = cached
                self.warnings.update(hit)
            elif i not in self.held:  # its layout came from the cache: lay it out to write it
                del self.finished[i]
                lay.append(_Lay(self.keys[i], self.htmls[i], self.job.base_dir, self.job.target.name))
        # While some pieces are laid out again, the others are finished, guessing that no page count changes.
        finish = [i for i in self.held if i in self.finished]
        for i in finish:
            self.paths[i] = folder / f"{i:04d}.pdf"
        tasks: list[tuple[Task, int | None]] = [(t, pool.owner.get(t.key)) for t in lay]
        tasks += [
            (
                _Finish(self.keys[i], *self.finished[i], self.paths[i], self.job.target.name),
                pool.owner.get(self.keys[i]),
            )
            for i in finish
        ]
        return tasks

    def _merge(self) -> tuple[int, list[str]]:
        """Join the written pieces into the document's PDF."""
        from compendium.render.pdf import merge as pdf_merge

        parts = [
            pdf_merge.Part(self.paths[i], frozenset(self.layouts[i][1]), self.layouts[i][2])
            for i in range(len(self.keys))
        ]
        try:
            pages = pdf_merge.merge(parts, self.job.target)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise CompendiumError(
                f"cannot write {self.job.final}: {reason}; the previous outputs are unchanged"
            ) from None
        return pages, sorted(self.warnings)


def _size(task: Task) -> int:
    """Tell roughly how much work a layout task is."""
    return len(task.html) if isinstance(task, _Lay) else len(task.job.html) if isinstance(task, _Whole) else 0


def _numbers(counts: list[int], anchors: list[dict[str, int]]) -> tuple[list[int], dict[str, int]]:
    """Give each piece's first page, and each anchor's page (the first, when several pieces have it)."""
    starts: list[int] = []
    numbers: dict[str, int] = {}
    page = 1
    for count, own in zip(counts, anchors, strict=True):
        starts.append(page)
        for name, at in own.items():
            numbers.setdefault(name, page + at)
        page += count
    return starts, numbers


class _Unsettled(Exception):
    """The pieces' page numbers did not settle: lay the document out in one piece."""
