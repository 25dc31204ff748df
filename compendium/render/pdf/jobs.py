"""Make a build's PDFs in a pool of workers, reporting pages as they come.

A document whose template marks where pages break is cut into pieces
(pieces.py), which are laid out in parallel, numbered once every piece's
page count is known, written, and merged (merge.py); a document that
cannot be cut is made whole. The pool (workers.py) does the tasks of every
document at once, and the messages it passes are in protocol.py. The
output does not depend on where or in what order anything was made: a
serial build (one worker) runs the same steps in this process and gives
the same bytes.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from compendium.render.pdf import merge
from compendium.render.pdf.layout import can_lay_out_in_pieces
from compendium.render.pdf.pieces import DocumentPiece, split
from compendium.render.pdf.protocol import (
    DocumentJob,
    DocumentMade,
    FinishPiece,
    LayOutPiece,
    MadePdf,
    MakeDocument,
    PieceLaidOut,
    PieceLayout,
    PieceWritten,
    Placement,
    Task,
    TaskKey,
)
from compendium.render.pdf.workers import Workers, default_workers, write_error

# Called with a document's name and the page WeasyPrint is laying out.
OnPage = Callable[[str, int], None]
ROUNDS = 6  # rounds of laying out again because page numbers moved, and of writing


class PieceStore(Protocol):
    """The pieces kept from the last build (cache/pieces.py), so that an unchanged piece is not laid out again."""

    def guess(self, doc: str) -> dict[str, int]: ...
    def put_numbers(self, doc: str, numbers: dict[str, int]) -> None: ...
    def layout_key(self, html: str) -> str: ...
    def layout(self, key: str) -> PieceLayout | None: ...
    def put_layout(self, key: str, layout: PieceLayout) -> None: ...
    def pdf_key(self, layout_key: str, placement: Placement) -> str: ...
    def pdf(self, key: str, into: Path) -> list[str] | None: ...
    def put_pdf(self, key: str, made: Path, warnings: Sequence[str]) -> None: ...


@dataclass(frozen=True)
class PiecedJob:
    """A document laid out in pieces and merged; laid out whole if the pieces' page numbers do not settle."""

    job: DocumentJob
    pieces: tuple[DocumentPiece, ...]
    cache: PieceStore | None  # None for --no-cache


def make_all(
    jobs: Sequence[DocumentJob], on_page: OnPage, workers: int | None = None, cache: PieceStore | None = None
) -> dict[str, MadePdf]:
    """Make every PDF, in pieces where the template marks page breaks, all in one pool of workers."""
    return _in_pool([_plan(job, cache) for job in jobs], on_page, workers)


def make_pdfs(jobs: Sequence[DocumentJob], on_page: OnPage, workers: int | None = None) -> dict[str, MadePdf]:
    """Make every PDF, each in one piece."""
    return _in_pool(list(jobs), on_page, workers)


def _plan(job: DocumentJob, cache: PieceStore | None) -> DocumentJob | PiecedJob:
    """Cut a document into pieces if its template marks where pages break and this WeasyPrint allows it."""
    pieces = split(job.html) if can_lay_out_in_pieces() else None
    return job if pieces is None else PiecedJob(job=job, pieces=tuple(pieces), cache=cache)


def _in_pool(planned: list[DocumentJob | PiecedJob], on_page: OnPage, workers: int | None) -> dict[str, MadePdf]:
    """Start as many workers as asked (or useful), make the PDFs, and stop the workers."""
    tasks = sum(len(p.pieces) if isinstance(p, PiecedJob) else 1 for p in planned)
    pool = Workers(default_workers(tasks) if workers is None else workers)
    failed = True
    try:
        made = _make_all(planned, _Progress(on_page), pool)
        failed = False
        return made
    finally:
        pool.close(failed)


class _Progress:
    """Report a document's pages: of one laid out in pieces, the pages its pieces have reached together."""

    def __init__(self, on_page: OnPage) -> None:
        self.on_page = on_page
        self.reached: dict[TaskKey, int] = {}

    def __call__(self, key: TaskKey, page: int) -> None:
        self.reached[key] = max(page, self.reached.get(key, 0))
        if key.piece is None:
            self.on_page(key.doc, page)
        else:
            self.on_page(key.doc, sum(n for k, n in self.reached.items() if k.doc == key.doc))


def _make_all(planned: list[DocumentJob | PiecedJob], progress: _Progress, pool: Workers) -> dict[str, MadePdf]:
    """Lay out every whole document and every piece, then number, finish and merge the pieces."""
    tasks: list[Task] = [MakeDocument(key=TaskKey(job.doc), job=job) for job in planned if isinstance(job, DocumentJob)]
    states = {p.job.doc: _Pieces(p) for p in planned if isinstance(p, PiecedJob)}
    for state in states.values():
        tasks += state.to_lay(range(len(state.keys)))
    # The biggest first, so that no worker is left with a long one at the end.
    tasks.sort(key=lambda t: -_size(t))
    made: dict[str, MadePdf] = {}
    for result in pool.run(tasks, progress):
        if isinstance(result, DocumentMade):
            made[result.key.doc] = result.made
        else:
            states[result.key.doc].took(result)
    for doc, state in states.items():
        try:
            made[doc] = state.settle(pool, progress)
        except _Unsettled:
            whole = _make_whole(state.pieced.job, pool, progress)
            made[doc] = dataclasses.replace(whole, pieces_laid_out=state.lays)
    return made


def _make_whole(job: DocumentJob, pool: Workers, progress: _Progress) -> MadePdf:
    """Make one document in one piece."""
    done = pool.run([MakeDocument(key=TaskKey(job.doc), job=job)], progress)
    return next(result.made for result in done if isinstance(result, DocumentMade))


class _Pieces:
    """Where the pieces of one document are: laid out (in which worker), written, cached."""

    def __init__(self, pieced: PiecedJob) -> None:
        self.pieced = pieced
        self.job = pieced.job
        self.cache = pieced.cache
        self.keys = [TaskKey(self.job.doc, i) for i in range(len(pieced.pieces))]
        guess = self.cache.guess(self.job.doc) if self.cache else {}
        self.htmls = [piece.html(guess) for piece in pieced.pieces]
        self.layouts: dict[int, PieceLayout] = {}
        self.held: set[int] = set()  # pieces whose layout waits in a worker to be finished
        self.finished: dict[int, Placement] = {}  # where each written piece was placed
        self.paths: dict[int, Path] = {}
        self.warnings: set[str] = set()
        self.lays = 0

    def _layout_key(self, i: int) -> str:
        return self.cache.layout_key(self.htmls[i]) if self.cache else ""

    def _pdf_key(self, i: int) -> str:
        return self.cache.pdf_key(self._layout_key(i), self.finished[i]) if self.cache else ""

    def _lay(self, i: int) -> LayOutPiece:
        """Ask for a piece to be laid out."""
        job = self.job
        return LayOutPiece(
            key=self.keys[i], html=self.htmls[i], base_dir=job.base_dir, name=job.target.name, variant=job.variant
        )

    def to_lay(self, pieces: Iterable[int]) -> list[Task]:
        """Take the layouts of pieces from the cache; return tasks to lay out the others."""
        tasks: list[Task] = []
        for i in pieces:
            self.held.discard(i)
            hit = self.cache.layout(self._layout_key(i)) if self.cache else None
            if hit is not None:
                self.layouts[i] = hit
            else:
                tasks.append(self._lay(i))
        return tasks

    def took(self, result: PieceLaidOut | PieceWritten) -> None:
        """Note a piece laid out or written by a worker."""
        i = self.keys.index(result.key)
        if isinstance(result, PieceLaidOut):
            self.lays += 1
            self.layouts[i] = result.layout
            self.held.add(i)
            if self.cache:
                self.cache.put_layout(self._layout_key(i), result.layout)
        else:
            self.held.discard(i)
            self.warnings.update(result.warnings)
            if self.cache:
                self.cache.put_pdf(self._pdf_key(i), self.paths[i], result.warnings)

    def settle(self, pool: Workers, progress: _Progress) -> MadePdf:
        """Lay pieces out again until every printed page number is right, then finish and merge them."""
        with tempfile.TemporaryDirectory(prefix="compendium-pieces-") as folder:
            for _ in range(ROUNDS):
                tasks = self._round(Path(folder))
                if not tasks:
                    return self._merge()
                for result in pool.run(tasks, progress):
                    if not isinstance(result, DocumentMade):
                        self.took(result)
        raise _Unsettled(self.job.doc)

    def _round(self, folder: Path) -> list[Task]:
        """Work out what to lay out again and what to finish, given the page counts known now."""
        layouts = [self.layouts[i] for i in range(len(self.keys))]
        starts = _starts(layouts)
        numbers = _anchor_pages(layouts, starts)
        if self.cache:
            self.cache.put_numbers(self.job.doc, numbers)
        wanted = [
            Placement(first_page=start, elsewhere=frozenset(set(numbers) - set(layout.anchors)))
            for start, layout in zip(starts, layouts, strict=True)
        ]
        changed = self._renumber(numbers, wanted)
        lay = self.to_lay(changed)
        lay += self._place(folder, wanted, changed)
        # While some pieces are laid out again, the others are finished, guessing that no page count changes.
        finish = [i for i in self.held if i in self.finished]
        for i in finish:
            self.paths[i] = folder / f"{i:04d}.pdf"
        return lay + [
            FinishPiece(key=self.keys[i], placement=self.finished[i], target=self.paths[i], name=self.job.target.name)
            for i in finish
        ]

    def _renumber(self, numbers: dict[str, int], wanted: list[Placement]) -> list[int]:
        """Give the pieces the page numbers known now; return those to lay out again."""
        changed = [i for i, piece in enumerate(self.pieced.pieces) if piece.html(numbers) != self.htmls[i]]
        # A piece written with a first page that has since moved is laid out again too.
        changed += [i for i, done in self.finished.items() if done != wanted[i] and i not in changed]
        for i in changed:
            self.htmls[i] = self.pieced.pieces[i].html(numbers)
            self.finished.pop(i, None)
        return changed

    def _place(self, folder: Path, wanted: list[Placement], changed: list[int]) -> list[Task]:
        """Place the pieces not yet placed: their PDFs from the cache, or else laid out to be written."""
        lay: list[Task] = []
        for i in range(len(self.keys)):
            if i in self.finished or i in changed:
                continue
            self.finished[i] = wanted[i]
            cached = folder / f"cached-{i:04d}.pdf"
            hit = self.cache.pdf(self._pdf_key(i), cached) if self.cache else None
            if hit is not None:
                self.paths[i] = cached
                self.warnings.update(hit)
            elif i not in self.held:  # its layout came from the cache: lay it out to write it
                del self.finished[i]
                lay.append(self._lay(i))
        return lay

    def _merge(self) -> MadePdf:
        """Join the written pieces into the document's PDF."""
        parts = [
            merge.Part(self.paths[i], frozenset(self.layouts[i].anchors), self.layouts[i].levels)
            for i in range(len(self.keys))
        ]
        try:
            pages = merge.merge(parts, self.job.target)
        except OSError as exc:
            raise write_error(self.job.final, exc) from None
        return MadePdf(pages=pages, warnings=tuple(sorted(self.warnings)), pieces_laid_out=self.lays)


def _size(task: Task) -> int:
    """Tell roughly how much work a task is."""
    if isinstance(task, LayOutPiece):
        return len(task.html)
    return len(task.job.html) if isinstance(task, MakeDocument) else 0


def _starts(layouts: list[PieceLayout]) -> list[int]:
    """Give each piece's first page."""
    starts: list[int] = []
    page = 1
    for layout in layouts:
        starts.append(page)
        page += layout.pages
    return starts


def _anchor_pages(layouts: list[PieceLayout], starts: list[int]) -> dict[str, int]:
    """Give each anchor's page: the first, when several pieces have it."""
    numbers: dict[str, int] = {}
    for start, layout in zip(starts, layouts, strict=True):
        for name, at in layout.anchors.items():
            numbers.setdefault(name, start + at)
    return numbers


class _Unsettled(Exception):
    """The pieces' page numbers did not settle: lay the document out in one piece."""
