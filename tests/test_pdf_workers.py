"""The PDF workers' protocol: what a worker answers, what the build makes of it, and what the piece cache keeps."""

from __future__ import annotations

import queue
from pathlib import Path

import pytest

from compendium.cache.pieces import PieceCache
from compendium.errors import CompendiumError
from compendium.render.pdf import jobs
from compendium.render.pdf.protocol import (
    DocumentJob,
    FinishPiece,
    MakeDocument,
    PieceLayout,
    Placement,
    TaskKey,
    WorkerFailed,
)
from compendium.render.pdf.workers import Workers, worker_loop


def test_a_failed_task_is_answered_with_its_document_and_piece_and_the_worker_goes_on(tmp_path: Path) -> None:
    inbox: queue.Queue[object] = queue.Queue()
    outbox: queue.Queue[object] = queue.Queue()
    place = Placement(first_page=5, elsewhere=frozenset())
    # Neither piece was laid out in this worker, so it cannot finish them.
    inbox.put(FinishPiece(key=TaskKey("compendium", 3), placement=place, target=tmp_path / "3.pdf", name="c.pdf"))
    inbox.put(FinishPiece(key=TaskKey("compendium", 4), placement=place, target=tmp_path / "4.pdf", name="c.pdf"))
    inbox.put(None)
    worker_loop(inbox, outbox)  # type: ignore[arg-type]
    answers = [outbox.get_nowait(), outbox.get_nowait()]
    assert outbox.empty()
    assert [a.key for a in answers if isinstance(a, WorkerFailed)] == [
        TaskKey(doc="compendium", piece=3),
        TaskKey(doc="compendium", piece=4),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_s_error_reaches_the_build_as_it_was_raised(tmp_path: Path, workers: int) -> None:
    (tmp_path / "assets").mkdir()
    html = '<p>Forsiden<img src="https://example.com/x.png"></p>'
    job = DocumentJob(doc="paper", html=html, base_dir=tmp_path, target=tmp_path / "p.pdf", final=tmp_path / "o.pdf")
    pool = Workers(workers)
    try:
        with pytest.raises(CompendiumError) as caught:
            pool.run([MakeDocument(key=TaskKey("paper"), job=job)], lambda key, page: None)
    finally:
        pool.close(failed=True)
    assert str(caught.value) == (
        'p.pdf: Error fetching "https://example.com/x.png" (refused to fetch https://example.com/x.png: '
        "the network and 'https' addresses are not allowed)"
    )


def test_a_document_in_pieces_shows_the_pages_its_pieces_reached_together() -> None:
    shown: list[tuple[str, int]] = []
    progress = jobs._Progress(lambda doc, page: shown.append((doc, page)))
    progress(TaskKey("compendium", 0), 1)
    progress(TaskKey("compendium", 1), 1)
    progress(TaskKey("compendium", 0), 2)
    progress(TaskKey("debate-paper"), 3)
    progress(TaskKey("compendium", 1), 1)  # a piece laid out again does not count its pages twice
    assert shown == [("compendium", 1), ("compendium", 2), ("compendium", 3), ("debate-paper", 3), ("compendium", 3)]


def test_the_piece_cache_gives_back_the_layout_and_pdf_it_kept(tmp_path: Path) -> None:
    layout = PieceLayout(pages=4, anchors={"tillid": 0, "faglighed": 3}, levels=(1, 2, 2))
    place = Placement(first_page=12, elsewhere=frozenset({"bilag-a"}))
    made = tmp_path / "made.pdf"
    made.write_bytes(b"%PDF-1.7 a piece")
    kept = PieceCache(tmp_path / "cache", "tool\0variant\0assets")
    key = kept.layout_key("<html>piece</html>")
    assert kept.layout(key) is None
    kept.put_layout(key, layout)
    kept.put_pdf(kept.pdf_key(key, place), made, ("a warning",))
    kept.save()

    again = PieceCache(tmp_path / "cache", "tool\0variant\0assets")
    assert again.layout(key) == layout
    assert again.pdf(again.pdf_key(key, place), tmp_path / "copy.pdf") == ["a warning"]
    assert (tmp_path / "copy.pdf").read_bytes() == made.read_bytes()
    moved = Placement(first_page=13, elsewhere=place.elsewhere)
    assert again.pdf(again.pdf_key(key, moved), tmp_path / "other.pdf") is None
