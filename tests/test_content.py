"""What reaches the documents: consent, sanitised Markdown, literal user text."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from compendium.render.markdown import render_markdown
from tests.conftest import run


def all_text(build: Path) -> str:
    """Every output's text: the HTML as written and the PDFs as extracted."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(build.glob("*.html"))]
    for path in sorted(build.glob("*.pdf")):
        parts += [page.extract_text() for page in PdfReader(path).pages]
    return re.sub(r"[\s\u2010\u00ad-]+", " ", "\n".join(parts))


def test_names_are_printed_only_with_consent(built: Path) -> None:
    text = all_text(built)
    # named: printed with role and workplace
    assert "Heidi Lind Sandholm, jobkonsulent, Jobcenter Holstebro" in text
    # role-only (Joanna Keramida): the role and workplace, never the name
    assert "– Beskæftigelsesfaglig medarbejder, Jobcenter Viborg" in text
    for withheld in ("Joanna", "Keramida", "Lisbet", "Feldborg", "Johannesen"):
        assert withheld.lower() not in text.lower(), withheld
    # anonymous (Lisbet Feldborg Johannesen): not even her role
    assert "mentor og psykoterapeut" not in text
    assert "– En deltager" in text


def test_markdown_is_sanitised() -> None:
    html = render_markdown(
        "Hej <script>alert(1)</script> [link](javascript:alert(1)) "
        '<a href="#" onclick="steal()">x</a> <img src=x onerror=alert(1)> '
        '<span style="color:red">farve</span>'
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html and "onerror" not in html
    assert "<img" not in html
    assert "style=" not in html


def test_markdown_uses_danish_quotes_and_keeps_lists() -> None:
    assert render_markdown('Hun sagde "nej" -- og *gik*.\n\n- en\n- to') == (
        "<p>Hun sagde »nej« – og <em>gik</em>.</p>\n<ul>\n<li>en</li>\n<li>to</li>\n</ul>"
    )


def test_markdown_headings_sit_below_the_chapter_headings() -> None:
    assert render_markdown("# Overskrift") == "<h3>Overskrift</h3>"


def test_user_text_never_becomes_template_code(project: Path) -> None:
    story = project / "inputs" / "stories" / "gaaturen.yaml"
    text = story.read_text(encoding="utf-8")
    story.write_text(
        re.sub(r"^title: .*$", 'title: "{{ 7*7 }} <b>fed</b>"', text, flags=re.MULTILINE), encoding="utf-8"
    )
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "<h4>{{ 7*7 }} &lt;b&gt;fed&lt;/b&gt;</h4>" in html
    assert ">49<" not in html


def test_english_labels_and_dates(project: Path) -> None:
    publication = project / "inputs" / "publication.yaml"
    publication.write_text(
        publication.read_text(encoding="utf-8").replace("language: da", "language: en"), encoding="utf-8"
    )
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    html = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<dt>Published</dt><dd>20 November 2026</dd>" in html
    assert '<h2 class="chapter-title">Foreword</h2>' in html


def test_markdown_headings_keep_an_unbroken_outline() -> None:
    assert render_markdown("## Sektion\n\n### Under", top=2) == "<h2>Sektion</h2>\n<h3>Under</h3>"
    assert render_markdown("#### Dybt", top=3) == "<h3>Dybt</h3>"
