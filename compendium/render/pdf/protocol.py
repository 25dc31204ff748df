"""The PDF jobs, and the messages between the build and its layout workers.

The build sends each worker tasks on the worker's own inbox: make a whole
document, lay out a piece (which the worker keeps), or finish a piece it
laid out (number its pages and write it). On one shared outbox the workers
answer with page progress while they work, then with one result per task
or with the failure that stopped it. Every message names the document and
piece it is about, so the build knows where each answer belongs.

Everything here crosses a process boundary, so it is plain data: frozen
dataclasses of strings, numbers, paths and collections of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# --- the jobs the build asks for, and what it gets back ----------------------------------------


@dataclass(frozen=True)
class DocumentJob:
    """One document's PDF to make: its HTML, the folder its assets are in, and where it goes."""

    doc: str
    html: str
    base_dir: Path
    target: Path
    final: Path  # where the PDF goes when the build succeeds, for messages
    variant: str = "pdf/ua-1"  # WeasyPrint's PDF variant (layout.STANDARDS)


@dataclass(frozen=True)
class MadePdf:
    """A document's PDF as written: its page count and WeasyPrint's warnings."""

    pages: int
    warnings: tuple[str, ...]
    pieces_laid_out: int | None = None  # of a document made in pieces, how many were laid out (not cached)


@dataclass(frozen=True)
class PieceLayout:
    """A laid-out piece: its page count, the (0-based) page of each anchor, its bookmarks' levels in order."""

    pages: int
    anchors: dict[str, int]
    levels: tuple[int, ...]


@dataclass(frozen=True)
class Placement:
    """Where a piece is written into its document: its first page, and the anchors its links find in other pieces."""

    first_page: int
    elsewhere: frozenset[str]


# --- tasks: the build to a worker ---------------------------------------------------------------


@dataclass(frozen=True)
class TaskKey:
    """The document a task is for, and which of its pieces (None for the whole document)."""

    doc: str
    piece: int | None = None


@dataclass(frozen=True)
class MakeDocument:
    """Lay out a whole document and write its PDF."""

    key: TaskKey
    job: DocumentJob


@dataclass(frozen=True)
class LayOutPiece:
    """Lay out a piece without its page margins, and keep it in the worker to be finished."""

    key: TaskKey
    html: str
    base_dir: Path
    name: str  # the document's PDF file name, for messages
    variant: str = "pdf/ua-1"


@dataclass(frozen=True)
class FinishPiece:
    """Number the pages of a piece this worker laid out, make its margins and write it."""

    key: TaskKey
    placement: Placement
    target: Path
    name: str


Task = MakeDocument | LayOutPiece | FinishPiece


# --- answers: a worker to the build -------------------------------------------------------------


@dataclass(frozen=True)
class PageProgress:
    """A worker has reached this page of a document or piece."""

    key: TaskKey
    page: int


@dataclass(frozen=True)
class DocumentMade:
    """A whole document's PDF is written."""

    key: TaskKey
    made: MadePdf


@dataclass(frozen=True)
class PieceLaidOut:
    """A piece is laid out, and waits in the worker to be finished."""

    key: TaskKey
    layout: PieceLayout


@dataclass(frozen=True)
class PieceWritten:
    """A piece's PDF is written, with these warnings."""

    key: TaskKey
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class WorkerFailed:
    """A task failed in a worker: the build raises the error."""

    key: TaskKey
    error: BaseException


TaskDone = DocumentMade | PieceLaidOut | PieceWritten
Answer = PageProgress | TaskDone | WorkerFailed
