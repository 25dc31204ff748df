"""Markdown as people write it: footnotes, table alignment, and a warning for what is not printed as meant."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from compendium.content.load import parse
from compendium.content.unsupported import markup_warnings
from compendium.render.markdown import render_markdown
from tests.base import EVENT, MINIMAL, OK, PUBLICATION
from tests.conftest import run

NOTED = "Tekst[^kilde] og mere[^2].\n\n[^kilde]: Se *bilaget*.\n[^2]: Anden note.\n"


def test_footnotes_become_notes_with_ids_of_their_own() -> None:
    html = str(render_markdown(NOTED))
    prefix = html.split('id="fnref-', 1)[1][:8]
    assert html == (
        f'<p>Tekst<sup class="footnote-ref" id="fnref-{prefix}-1"><a class="footnote-ref" href="#fn-{prefix}-1" '
        'role="doc-noteref" rel="noopener noreferrer">1</a></sup><span class="footnote-print"><span>Se '
        f'<em>bilaget</em>.</span></span> og mere<sup class="footnote-ref" id="fnref-{prefix}-2"><a '
        f'class="footnote-ref" href="#fn-{prefix}-2" role="doc-noteref" rel="noopener noreferrer">2</a></sup>'
        '<span class="footnote-print"><span>Anden note.</span></span>.</p>\n'
        '<div class="footnote" role="doc-endnotes">\n<hr>\n<ol>\n'
        f'<li id="fn-{prefix}-1">\n<p>Se <em>bilaget</em>.&nbsp;<a aria-label="Tilbage til henvisning 1 i teksten" '
        f'class="footnote-backref" href="#fnref-{prefix}-1" role="doc-backlink" title="Tilbage til henvisning 1 i '
        'teksten" rel="noopener noreferrer">↩</a></p>\n</li>\n'
        f'<li id="fn-{prefix}-2">\n<p>Anden note.&nbsp;<a aria-label="Tilbage til henvisning 2 i teksten" '
        f'class="footnote-backref" href="#fnref-{prefix}-2" role="doc-backlink" title="Tilbage til henvisning 2 i '
        'teksten" rel="noopener noreferrer">↩</a></p>\n</li>\n</ol>\n</div>'
    )


def test_two_texts_on_one_page_get_different_note_ids() -> None:
    first, second = str(render_markdown("A[^1]\n\n[^1]: x\n")), str(render_markdown("B[^1]\n\n[^1]: x\n"))
    ids = {text.split('id="fn-', 1)[1].split('"', 1)[0] for text in (first, second)}
    assert len(ids) == 2


def test_back_links_speak_english_in_english() -> None:
    assert 'aria-label="Back to reference 1 in the text"' in str(render_markdown("A[^1]\n\n[^1]: x\n", "en"))


def test_a_text_cannot_take_an_id_or_class_of_its_own() -> None:
    html = str(render_markdown('<sup id="main" class="cover">1</sup> <span class="footnote-print x">y</span>'))
    assert html == "<p><sup>1</sup> <span>y</span></p>"


def test_table_column_alignment_is_kept_as_a_class() -> None:
    html = str(render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n"))
    assert '<th class="align-left">a</th>' in html
    assert '<th class="align-center">b</th>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style" not in html


def test_a_call_without_a_note_and_a_note_without_a_call_are_left_out() -> None:
    html = str(render_markdown("Tekst[^1] og[^9].\n\n[^1]: Note.\n[^ubrugt]: Aldrig kaldt.\n"))
    assert "[^9]" not in html and "Aldrig kaldt" not in html and "Note." in html


def test_the_pdf_prints_each_note_at_the_foot_of_the_page_that_calls_it(make_project: Callable[..., Path]) -> None:
    publication = MINIMAL[PUBLICATION].replace(
        "foreword: Forord.", "foreword: |\n          Forordet siger noget[^1].\n\n          [^1]: Noten til forordet.\n"
    )
    project = make_project({PUBLICATION: publication})
    result = run("build", "--only", "compendium", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(project / "build" / "compendium.pdf").pages]
    (page,) = [text for text in pages if "Forordet siger noget" in text]
    assert "Forordet siger noget1." in page, "the call is a number in the text"
    assert "1. Noten til forordet." in page, "the note is on the same page"
    assert "↩" not in page and "[^1]" not in page, "no back-link or syntax in print"
    assert sum("Noten til forordet" in text for text in pages) == 1, "printed once"


FOREWORD = """\
title: Kompendiet
foreword: |
  Første afsnit med en note[^1] og en uden[^2].

  Et [link][ukendt] og <span class="x">rå</span> HTML og ~~streg~~.

  - [ ] opgave
  **åben

  `[^kode]` og [kendt][] er fine.

  [kendt]: https://example.org
  [^1]: Noten.
  [^3]: Ubrugt.
editors:
  - name: "**Fed** redaktør"
"""


def test_each_construct_not_printed_as_meant_is_warned_about_where_it_stands() -> None:
    problems = [str(p) for p in markup_warnings(parse(FOREWORD, "inputs/publication.yaml"))]
    where = "inputs/publication.yaml"
    assert problems == [
        f"{where}:3:43 warning: foreword: the footnote call [^2] has no note, so it is left out; add the note on "
        "a line of its own after the paragraph: [^2]: …",
        f"{where}:5:6 warning: foreword: the link [link][ukendt] has no address, so it is printed as written; "
        "add '[ukendt]: https://…' on a line of its own, or write [link](https://…)",
        f"{where}:5:24 warning: foreword: raw HTML (the tag 'span') is not supported, so it is ignored (its text "
        "is printed); write Markdown instead (**bold**, *italic*, [text](https://…))",
        f"{where}:5:58 warning: foreword: strikethrough ('~~') is not supported, so it is printed as written; "
        "leave out the tildes",
        f"{where}:7:5 warning: foreword: a task-list box '[ ]' is not supported, so it is printed as written; "
        "write the item without the box",
        f"{where}:8:3 warning: foreword: '**' has no closing '**', so it is printed as written; close the bold "
        "with '**' in the same paragraph",
        f"{where}:14:3 warning: foreword: the footnote [^3] is never called, so it is left out; write [^3] where "
        "the note belongs, or remove the note",
        f"{where}:16:12 warning: editors[0].name: bold ('**') has no effect in a field of plain text, so it is "
        "printed as written; leave out the asterisks",
    ]


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Overskrift\n# Ny del", "a heading ('#') has no effect in a field of plain text"),
        ("Se [her](https://example.org)", "a Markdown link has no effect in a field of plain text"),
        ("Citat[^1]", "a footnote call has no effect in a field of plain text"),
    ],
)
def test_markdown_in_a_quote_is_warned_about(text: str, what: str) -> None:
    event = MINIMAL[EVENT].replace("text: Et udsagn.", f"text: {json.dumps(text)}")
    located = parse(textwrap.dedent(event), EVENT)
    (problem,) = markup_warnings(located)
    assert problem.key_path == "statements[0].text" and problem.warning
    assert problem.message.startswith(what)


def test_check_reports_the_warning_and_strict_refuses_it(make_project: Callable[..., Path]) -> None:
    publication = MINIMAL[PUBLICATION].replace("foreword: Forord.", "foreword: Forord[^1].")
    project = make_project({PUBLICATION: publication})
    warning = (
        f"{PUBLICATION}:9:17 warning: foreword: the footnote call [^1] has no note, so it is left out; add the note "
        "on a line of its own after the paragraph: [^1]: …"
    )
    result = run("check", "--project", project)
    assert (result.exit_code, result.output) == (0, warning + "\n" + OK.replace("0 warnings", "1 warning"))
    strict = run("check", "--strict", "--project", project)
    assert (strict.exit_code, strict.output) == (
        1,
        f"{warning}\nError: 1 problem found (1 of them warnings, which --strict treats as errors); nothing was "
        "written.\n",
    )


def test_footnotes_in_the_example_style_build_clean(make_project: Callable[..., Path]) -> None:
    publication = MINIMAL[PUBLICATION].replace(
        "foreword: Forord.", "foreword: |\n          Forord[^1].\n\n          [^1]: Noten.\n"
    )
    project = make_project({PUBLICATION: publication})
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<span class="footnote-print"><span>Noten.</span></span>' in html
    assert "[^1]" not in html
