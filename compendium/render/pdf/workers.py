"""The pool of PDF layout workers: processes that do tasks (protocol.py) and report pages as they go.

WeasyPrint is single-threaded, so documents and the pieces of a document
are laid out in separate processes, one per core. A piece is laid out and
later finished in the same worker, which keeps its layout in between, so
each worker has its own inbox. With one worker the same tasks run in this
process, in the same order, and give the same bytes.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from compendium.errors import CompendiumError
from compendium.messages import _
from compendium.render.pdf import layout
from compendium.render.pdf.protocol import (
    Answer,
    DocumentJob,
    DocumentMade,
    FinishPiece,
    LayOutPiece,
    MadePdf,
    PageProgress,
    PieceLaidOut,
    PieceLayout,
    PieceWritten,
    Task,
    TaskDone,
    TaskKey,
    WorkerFailed,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess
    from multiprocessing.queues import Queue

# Called with the task and the page WeasyPrint is laying out.
OnTaskPage = Callable[[TaskKey, int], None]


def default_workers(tasks: int) -> int:
    """Use one process per task, but no more than the machine has cores."""
    return max(1, min(tasks, os.cpu_count() or 1))


def make_document(job: DocumentJob, on_page: Callable[[int], None]) -> MadePdf:
    """Make one PDF; a failed write (a full disk, say) is one clear error naming the output."""
    try:
        return layout.write_pdf(job.html, job.base_dir, job.target, on_page, job.variant)
    except OSError as exc:
        raise write_error(job.final, exc) from None


def write_error(final: Path, exc: OSError) -> CompendiumError:
    """Say that a PDF could not be written, and that nothing was replaced."""
    reason = exc.strerror or str(exc)
    return CompendiumError(
        _("cannot write {final}: {reason}; the previous outputs are unchanged").format(final=final, reason=reason)
    )


def do(task: Task, held: dict[TaskKey, layout.Laid], on_page: Callable[[int], None]) -> TaskDone:
    """Do one task, keeping laid-out pieces in held until they are finished."""
    if isinstance(task, LayOutPiece):
        laid = layout.lay_out(task.html, task.base_dir, task.name, on_page, task.variant)
        held[task.key] = laid
        return PieceLaidOut(
            key=task.key,
            layout=PieceLayout(pages=laid.pages, anchors=laid.anchors(), levels=tuple(laid.bookmark_levels())),
        )
    if isinstance(task, FinishPiece):
        laid = held.pop(task.key)
        place = task.placement
        warnings = layout.finish(laid, place.first_page, place.elsewhere, task.target, task.name)
        return PieceWritten(key=task.key, warnings=tuple(warnings))
    return DocumentMade(key=task.key, made=make_document(task.job, on_page))


def _send_page(outbox: Queue[Answer], key: TaskKey, page: int) -> None:
    """Report a page from a worker."""
    outbox.put(PageProgress(key=key, page=page))


def worker_loop(inbox: Queue[Task | None], outbox: Queue[Answer]) -> None:
    """Take tasks until told to stop; answer each with its result or its failure, and report pages."""
    held: dict[TaskKey, layout.Laid] = {}
    while (task := inbox.get()) is not None:
        try:
            outbox.put(do(task, held, functools.partial(_send_page, outbox, task.key)))
        except BaseException as exc:  # sent to the build, which raises it
            outbox.put(WorkerFailed(key=task.key, error=exc))


class Workers:
    """Worker processes, each with its own inbox, so that a piece is finished where it was laid out."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.local: dict[TaskKey, layout.Laid] = {}  # the pieces laid out in this process, with one worker
        self.owner: dict[TaskKey, int] = {}  # the worker that last took each task
        self.inline = count <= 1
        self.inboxes: list[Queue[Task | None]] = []
        self.processes: list[BaseProcess] = []
        if self.inline:
            return
        context = multiprocessing.get_context()
        self.outbox: Queue[Answer] = context.Queue()
        self.inboxes = [context.Queue() for _ in range(count)]
        self.processes = [
            context.Process(target=worker_loop, args=(inbox, self.outbox), daemon=True) for inbox in self.inboxes
        ]
        for process in self.processes:
            process.start()

    def run(self, tasks: list[Task], on_page: OnTaskPage) -> list[TaskDone]:
        """Do tasks, each in the worker that last took its key if any; return the results as they come."""
        if self.inline:
            return [do(task, self.local, functools.partial(on_page, task.key)) for task in tasks]
        own: dict[int, list[Task]] = {w: [] for w in range(self.count)}
        free: list[Task] = []
        for task in tasks:
            bound = self.owner.get(task.key)
            (free if bound is None else own[bound]).append(task)
        idle = list(range(self.count))
        results: list[TaskDone] = []
        while len(results) < len(tasks):
            self._hand_out(idle, own, free)
            answer = self._next()
            if isinstance(answer, PageProgress):
                on_page(answer.key, answer.page)
            elif isinstance(answer, WorkerFailed):
                raise answer.error
            else:
                results.append(answer)
                idle.append(self.owner[answer.key])
                idle.sort()
        return results

    def _hand_out(self, idle: list[int], own: dict[int, list[Task]], free: list[Task]) -> None:
        """Give each idle worker its own next task, or else a free one."""
        while idle:
            w = idle.pop(0)
            task = own[w].pop(0) if own[w] else free.pop(0) if free else None
            if task is not None:
                self.inboxes[w].put(task)
                self.owner[task.key] = w

    def _next(self) -> Answer:
        """Wait for a worker's next answer; a worker that died (killed for memory, say) is an error."""
        while True:
            try:
                return self.outbox.get(timeout=1)
            except queue.Empty:
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead:
                    raise CompendiumError(
                        _(
                            "a PDF layout worker stopped unexpectedly (exit code {code}); the previous outputs are unchanged"
                        ).format(code=dead[0])
                    ) from None

    def close(self, failed: bool) -> None:
        """Stop the workers: at once when the build has failed."""
        for inbox in self.inboxes:
            inbox.put(None)
        for process in self.processes:
            if failed:
                process.kill()
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
