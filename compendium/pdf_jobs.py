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
