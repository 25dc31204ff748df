"""Builds in two threads at once (as `serve` runs the HTML and a PDF) do not share Markdown state."""

from __future__ import annotations

import threading

from compendium.content.markup import _converter
from compendium.content.markup import convert as cached_convert

TEXTS = [f"Tekst *nummer* {i}\n\n- punkt {i}\n- [link {i}](https://x.dk/{i})\n\n> citat {i}" for i in range(400)]


def test_two_threads_convert_markdown_correctly() -> None:
    wanted = {text: _converter("da").reset().convert(text) for text in TEXTS}
    wrong: list[str] = []

    def convert(texts: list[str]) -> None:
        # Past the cache, so both threads really convert at the same time.
        wrong.extend(t for t in texts if cached_convert.__wrapped__(t, "da") != wanted[t])

    threads = [threading.Thread(target=convert, args=(TEXTS[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
