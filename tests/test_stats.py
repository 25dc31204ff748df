"""`compendium stats` and the compendium's overview chapter with its chart of proposals and stories per theme."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.base import MINIMAL, STORY
from tests.conftest import run

SVG = "{http://www.w3.org/2000/svg}"


def test_stats_text_tables(project: Path) -> None:
    result = run("stats", "--project", project)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "5 themes, 2 events, 8 proposals, 10 statements, 5 stories, 19 participants"
    assert lines[2:10] == [
        "Per theme (an entry with several themes counts under each)",
        "theme                          proposals  statements  stories  wishes  examples",
        "-----------------------------  ---------  ----------  -------  ------  --------",
        "tillid                                 4           4        4       2         1",
        "faglighed                              3           7        3       2         0",
        "resultater-frem-for-processer          3           3        1       7         1",
        "brugerbestyrelser                      1           1        1       0         0",
        "borgerraadgiver                        1           1        1       0         0",
    ]
    assert lines[11:15] == [
        "Per event",
        "event          date         participants  statements  proposals  wishes  examples  stories",
        "-------------  -----------  ------------  ----------  ---------  ------  --------  -------",
        "2021-amager    ca. 2021-12            11           5          6       0         0        0",
    ]
    assert "Fjordby              2             0" in lines
    assert lines[-7:] == [
        "Proposals per status",
        "status    proposals",
        "--------  ---------",
        "idea              0",
        "proposed          8",
        "adopted           0",
        "rejected          0",
    ]


def test_stats_json_counts_follow_the_inputs(project: Path) -> None:
    # One more proposal, adopted, under two themes.
    event = project / "inputs" / "events" / "2023-midtvest.yaml"
    result = run(
        "new", "proposal", "--event", "2023-midtvest", "--title", "Ny", "--theme", "tillid", "--theme", "faglighed",
        "--text", "Resumé.", "--project", project,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    event.write_text(
        event.read_text(encoding="utf-8").replace("    status: proposed\n    # true", "    status: adopted\n    # true")
    )

    result = run("stats", "--format", "json", "--project", project)

    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"themes", "events", "municipalities", "statuses", "totals"}
    assert data["statuses"] == {"idea": 0, "proposed": 8, "adopted": 1, "rejected": 0}
    assert data["themes"][0] == {
        "id": "tillid",
        "title": "Tillid",
        "proposals": 5,
        "statements": 4,
        "stories": 4,
        "wishes": 2,
        "practice_examples": 1,
    }
    assert data["themes"][1]["proposals"] == 4
    assert data["totals"] == {
        "themes": 5, "events": 2, "proposals": 9, "statements": 10, "stories": 5, "participants": 19,
    }  # fmt: skip
    assert data["events"][1] == {
        "id": "2023-midtvest",
        "title": data["events"][1]["title"],
        "date": "2023-03-08",
        "participants": 8,
        "statements": 5,
        "proposals": 3,
        "wishes": 8,
        "practice_examples": 1,
        "stories": 0,
    }
    assert data["municipalities"][-1] == {"municipality": "(none)", "stories": 0, "participants": 7}
    assert sum(m["stories"] for m in data["municipalities"]) == 5
    assert sum(m["participants"] for m in data["municipalities"]) == 19


def test_stats_reports_input_errors(make_project: Callable[..., Path]) -> None:
    # A misspelt theme on the minimal story's line 8.
    project = make_project({STORY: MINIMAL[STORY].replace("themes: [tillid]", "themes: [tilid]")})

    result = run("stats", "--project", project)

    assert result.exit_code == 1
    assert result.output == (
        "inputs/stories/gaaturen.yaml:8:10 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def overview_svg(html: str) -> ET.Element:
    """Parse the overview chapter's inline SVG."""
    found = re.search(r'<section class="chapter overview".*?(<svg .*?</svg>)', html, flags=re.S)
    assert found, "no overview chart"
    return ET.fromstring(found.group(1))


def test_overview_chart_is_accessible_and_matches_its_table(built: Path) -> None:
    html = (built / "compendium.html").read_text(encoding="utf-8")
    svg = overview_svg(html)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-title chart-desc"
    assert svg.find(f"{SVG}title").text == "Forslag og gode historier pr. tema"
    desc = svg.find(f"{SVG}desc").text
    assert desc.endswith(
        "Tillid: 4 forslag, 4 gode historier. Faglighed: 3 forslag, 3 gode historier. "
        "Resultater frem for processer: 3 forslag, 1 god historie. Brugerbestyrelser: 1 forslag, 1 god historie. "
        "Borgerrådgiver: 1 forslag, 1 god historie."
    )
    # Bars are proportional to their numbers, and the table says the same numbers.
    rects = [r for r in svg.iter(f"{SVG}rect") if float(r.get("height")) == 13]
    assert [float(r.get("width")) for r in rects] == [604, 604, 453, 453, 453, 151, 151, 151, 151, 151]
    table = re.findall(
        r'<tr><th scope="row"><a href="#theme-[^"]+">([^<]+)</a></th><td class="number">(\d+)</td><td class="number">(\d+)</td></tr>',
        html,
    )
    assert table == [
        ("Tillid", "4", "4"),
        ("Faglighed", "3", "3"),
        ("Resultater frem for processer", "3", "1"),
        ("Brugerbestyrelser", "1", "1"),
        ("Borgerrådgiver", "1", "1"),
    ]
    assert [float(r.get("width")) / 151 for r in rects] == [int(n) for row in table for n in row[1:]]


def test_overview_chart_escapes_theme_titles(project: Path) -> None:
    themes = project / "inputs" / "themes.yaml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("title: Tillid", 'title: "Tillid <script>&"', 1))

    result = run("build", "--format", "html", "--quiet", "--project", project)

    assert result.exit_code == 0, result.output
    svg = overview_svg((project / "build" / "compendium.html").read_text(encoding="utf-8"))
    assert [t.text for t in svg.iter(f"{SVG}text")][2] == "Tillid <script>&"


def test_overview_page_in_the_pdf_is_vector_text(built: Path) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfimages")):
        pytest.skip("poppler-utils is not installed (make build installs it)")
    reader = PdfReader(built / "compendium.pdf")
    (page,) = [n + 1 for n, p in enumerate(reader.pages) if p.extract_text().startswith("Overblik\n")]
    pages = ["-f", str(page), "-l", str(page)]

    text = subprocess.run(["pdftotext", *pages, built / "compendium.pdf", "-"], capture_output=True, text=True).stdout
    images = subprocess.run(["pdfimages", "-list", *pages, built / "compendium.pdf"], capture_output=True, text=True)

    # The chart's legend and theme titles are text in the PDF (WeasyPrint drew the SVG as vectors) …
    assert text.count("Gode historier") == 2  # the chart's legend and the table's header
    assert text.count("Resultater frem for processer") == 2  # the chart and the table
    # … and the page holds no picture but the brand's logo in its running head (an image and its transparency).
    pictures = [line.split() for line in images.stdout.splitlines()[2:]]
    assert [(kind, width, height) for _, _, kind, width, height, *_ in pictures] == [
        ("image", "480", "240"),
        ("smask", "480", "240"),
    ], images.stdout
