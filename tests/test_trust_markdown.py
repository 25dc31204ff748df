"""Sanitised output: Markdown is bounded in size, depth and time, and nothing active survives."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from compendium.content import markup as markdown
from compendium.content.markup import check_markdown, markdown_problem
from compendium.render.markdown import render_markdown
from compendium.render.templates import make_environment


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<script>alert(1)</script>x", "\n<p>x</p>"),
        ('<p style="color:red" onclick="x()" onmouseover="y()">a</p>', "<p>a</p>"),
        ("[a](javascript:alert(1))", '<p><a rel="noopener noreferrer">a</a></p>'),
        ("[a](JaVaScRiPt:alert(1))", '<p><a rel="noopener noreferrer">a</a></p>'),
        ('<a href="jav&#x61;script:alert(1)">a</a>', '<p><a rel="noopener noreferrer">a</a></p>'),
        ('<a href="&#106;avascript&#58;alert(1)">a</a>', '<p><a rel="noopener noreferrer">a</a></p>'),
        ("[a](data:text/html;base64,PHNjcmlwdD4=)", '<p><a rel="noopener noreferrer">a</a></p>'),
        ('<a href="#x" rel="attachment">a</a>', '<p><a href="#x" rel="noopener noreferrer">a</a></p>'),
        ('<object data="x"></object><embed src="x"><iframe src="x"></iframe>', "<p>\n\n</p>"),
        ('<link rel="attachment" href="inputs/participants.yaml">', "<p></p>"),
        ('<style>p { color: red }</style><form><input value="x"></form>', ""),
        ("<javascript:alert(1)>", "<p></p>"),
        ("{{ 7*7 }} {% if 1 %}x{% endif %}", "<p>{{ 7*7 }} {% if 1 %}x{% endif %}</p>"),
        (
            '[a](https://example.org "t")',
            '<p><a href="https://example.org" title="t" rel="noopener noreferrer">a</a></p>',
        ),
    ],
)
def test_markdown_is_sanitised(text: str, html: str) -> None:
    assert str(render_markdown(text)).strip() == html.strip()


def test_plain_text_is_escaped_and_never_template_code(tmp_path: Path) -> None:
    env = make_environment([tmp_path], "da")
    template = env.from_string("<h1>{{ title }}</h1>{{ body | markdown }}")
    out = template.render(title='<script>x</script> {{ 7*7 }} "&"', body="{{ 7*7 }} {{ config }}")
    assert out == ("<h1>&lt;script&gt;x&lt;/script&gt; {{ 7*7 }} &#34;&amp;&#34;</h1><p>{{ 7*7 }} {{ config }}</p>")


def test_field_length_cap() -> None:
    assert markdown_problem("a" * 20_001).message == (
        "the text is 20,001 characters long, more than the 20,000 a Markdown field may hold; "
        "shorten it or split it into several entries"
    )
    assert markdown_problem("a" * 20_000) is None


@pytest.mark.parametrize(("opening", "escape"), [("[", "\\["), ("(", "\\("), ("<", "&lt;")])
def test_unclosed_brackets(opening: str, escape: str) -> None:
    closing = {"[": "]", "(": ")", "<": ">"}[opening]
    assert markdown_problem(f"{opening}a " * 51).message == (
        f"51 '{opening}' have no matching '{closing}' (at most 50 are allowed, as each one slows Markdown down); "
        f"close them, or write {escape} for a literal '{opening}'"
    )
    # Closed and escaped ones cost nothing and are not counted.
    assert markdown_problem(f"{opening}a{closing} " * 500 + f"\\{opening}" * 500) is None


def test_forty_kilobytes_of_brackets_fail_fast() -> None:
    started = time.perf_counter()
    # 40 KB of '[' takes Python-Markdown about 38 s; both the cap and the bracket count stop it at once.
    with pytest.raises(ValueError, match=r"^the text is 40,000 characters long"):
        check_markdown("[" * 40_000)
    with pytest.raises(ValueError, match=r"^19999 '\[' have no matching '\]'"):
        check_markdown("[" * 19_999)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text", ["- " * 2000 + "a", ">" * 30 + " a", "".join("    " * i + "- a\n" for i in range(30))])
def test_deep_nesting(text: str) -> None:
    problem = markdown_problem(text)
    assert problem is not None
    assert problem.message.endswith("levels deep; at most 20 are allowed, so flatten the list")


def test_nesting_message() -> None:
    assert markdown_problem("a\n" + "- " * 21 + "b").message == (
        "line 2 of the text nests lists and quotes 21 levels deep; at most 20 are allowed, so flatten the list"
    )
    assert markdown_problem("- a\n    - b\n        - c\n> quote\n1. one\n---") is None


def test_images_in_markdown_are_errors() -> None:
    for text in ("![alt](inputs/photos/forside.jpg)", '<img src="x.png">'):
        with pytest.raises(ValueError) as caught:
            check_markdown(text)
        assert str(caught.value) == (
            "an image in Markdown text (![...](...) or <img>) is not printed; "
            "list the photo under the entry's photos (or photo) instead"
        )


def test_render_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(text: str, language: str) -> str:
        time.sleep(5)
        return text

    monkeypatch.setattr(markdown, "convert", slow)
    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.2)
    started = time.perf_counter()
    with pytest.raises(ValueError) as caught:
        check_markdown("a")
    assert time.perf_counter() - started < 2
    assert str(caught.value) == (
        "rendering this Markdown took longer than 0.2 s; simplify it (fewer brackets, '<' signs or nested lists)"
    )


def test_time_limit_gives_an_outer_timer_back() -> None:
    previous = signal.signal(signal.SIGALRM, lambda s, f: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with markdown.time_limit(1):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 28 < remaining <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
