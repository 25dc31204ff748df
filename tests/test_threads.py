"""Builds in two threads at once (as `serve` runs the HTML and a PDF) do not share Markdown state."""

from __future__ import annotations

import threading

from compendium.content.markup import _converter
from compendium.render.markdown import Fragments, render_markdown, use_fragments

TEXTS = [f"Tekst *nummer* {i}\n\n- punkt {i}\n- [link {i}](https://x.dk/{i})\n\n> citat {i}" for i in range(400)]


def test_two_threads_convert_markdown_correctly() -> None:
    wanted = {text: _converter("da").reset().convert(text) for text in TEXTS}
    wrong: list[str] = []

    def convert(texts: list[str]) -> None:
        # Past the cache, so both threads really convert at the same time.
        wrong.extend(t for t in texts if convert.__wrapped__(t, "da") != wanted[t])

    threads = [threading.Thread(target=convert, args=(TEXTS[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_fragment_store_belongs_to_one_thread() -> None:
    mine = Fragments()
    use_fragments(mine)
    try:
        seen: list[int] = []
        other = threading.Thread(target=lambda: (render_markdown("*anden tråd*"), seen.append(len(mine.used))))
        other.start()
        other.join()
        render_markdown("*denne tråd*")
        assert seen == [0], "another thread's build must not record into this build's store"
        assert len(mine.used) == 1
    finally:
        use_fragments(None)
