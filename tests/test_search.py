"""Search over the compendium: the Pagefind index of the public edition, its leak check, and the page offline."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.consent.leaks import withheld_names
from compendium.content.validate import load_content
from compendium.project import find_project
from compendium.render import search
from compendium.render.search import entries, readable
from tests.conftest import REPO, copy_example, run, snapshot

BROWSE = REPO / "tools" / "search" / "browse.cjs"
CHROMIUM = shutil.which("chromium")
WRAPPED = re.compile(r'compendiumSearch\.add\(("[^"]*"),\n("[^"]*")\);\n')


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example project, in a folder of its own."""
    monkeypatch.setenv("COMPENDIUM_COMMIT", "")
    return copy_example(tmp_path / "project")


def index_files(build: Path) -> dict[str, bytes]:
    """Read the search index back from the scripts it is shipped in: each Pagefind file's bytes by its name."""
    files = {}
    for path in sorted((build / "search").rglob("*.js")):
        found = WRAPPED.fullmatch(path.read_text(encoding="utf-8"))
        if found:
            files[json.loads(found[1])] = base64.b64decode(json.loads(found[2]))
    return files


def test_entries_are_the_marked_elements_with_their_title_and_filters() -> None:
    page = (
        '<main><h2>Tema</h2><article class="story" id="story-a" data-search=\'{"entry": ["story"], '
        '"theme": ["Tillid", " "], "year": ["2021"], "place": [3], "bogus": ["x"]}\'>'
        "<h3>Gåturen &amp; samtalen</h3><p>Hun <em>gik</em> med.<br>Så talte de.</p><img src=a.jpg alt=Foto></article>"
        '<figure class="statement" id="statement-s1" data-search=\'{"entry": ["statement"]}\'>'
        "<blockquote><p>Tid til borgeren.</p></blockquote><figcaption>– En borger</figcaption></figure>"
        '<article id="unmarked"><h3>Ikke med</h3></article><p data-search="{}">No id, not an entry</p></main>'
    )
    found = entries(page)
    assert [(e.anchor, e.title, e.filters) for e in found] == [
        ("story-a", "Gåturen & samtalen", {"entry": ["story"], "theme": ["Tillid"], "year": ["2021"]}),
        ("statement-s1", "– En borger", {"entry": ["statement"]}),
    ]
    assert found[0].html.endswith(
        "<h3>Gåturen &amp; samtalen</h3><p>Hun <em>gik</em> med.<br>Så talte de.</p><img src=a.jpg alt=Foto></article>"
    )


def withheld_in_index(project: Path) -> tuple[dict[str, str], list[str]]:
    """Read a built project's search index back; return its decoded texts and the withheld names they hold.

    The project must withhold someone, or there is nothing to look for.
    """
    texts = readable(index_files(project / "build"))
    content = load_content(find_project(explicit=project), checks=())
    withheld = withheld_names(content, "public")
    assert len(withheld) > 3
    everything = "\n".join(texts.values()).casefold()
    return texts, [name for name in withheld if len(name) > 3 and name.casefold() in everything]


def test_the_public_compendium_is_indexed_and_the_index_names_no_withheld_person(project: Path) -> None:
    result = run("build", "--format", "search", "--project", project)
    assert result.exit_code == 0, result.output
    build = project / "build"
    assert {"pagefind.js", "pagefind-entry.json", "wasm.da.pagefind"} <= set(index_files(build))
    texts, leaked = withheld_in_index(project)
    assert leaked == []
    fragments = [json.loads(t.removeprefix("pagefind_dcd")) for n, t in texts.items() if n.endswith(".pf_fragment")]
    page = (build / "compendium.html").read_text(encoding="utf-8")
    assert sorted(f["url"] for f in fragments) == sorted(
        f"compendium.html#{anchor}" for anchor in re.findall(r"id=\"([^\"]+)\" data-search=", page)
    )
    story = next(f for f in fragments if f["url"] == "compendium.html#story-gaaturen")
    assert story["meta"]["title"] == "Samtalen, der blev til en gåtur"
    assert story["filters"]["entry"] == ["story"]
    # The word index is left out of the leak check: its words are the fragments' words, read there in context.
    assert not [name for name in texts if name.endswith(".pf_index")]
    # An anonymous teller of a story in the index: withheld, and so looked for above.
    content = load_content(find_project(explicit=project), checks=())
    assert "Sofie Lund" in withheld_names(content, "public")


def test_a_corpus_of_300_stories_is_indexed_with_no_withheld_name(tmp_path: Path) -> None:
    from benchmarks import corpus

    corpus.write(corpus.generate(300, 150), tmp_path / "c")
    result = run("build", "--quiet", "--format", "search", "--project", tmp_path / "c")
    assert result.exit_code == 0, result.output
    texts, leaked = withheld_in_index(tmp_path / "c")
    assert leaked == []
    urls = [json.loads(t.removeprefix("pagefind_dcd"))["url"] for n, t in texts.items() if n.endswith(".pf_fragment")]
    assert sum(url.startswith("compendium.html#story-") for url in urls) == 300


def test_a_withheld_name_in_the_index_stops_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The index is made from the checked HTML; should Pagefind or the splitting ever add text of its own,
    # the leak check still reads the index itself before anything is written.
    first = run("build", "--format", "search", "--project", project)
    assert first.exit_code == 0, first.output
    before = snapshot(project / "build")
    real = search.fragment
    monkeypatch.setattr(
        search, "fragment", lambda entry, language: real(entry, language).replace("</main>", " Sofie Lund</main>")
    )
    result = run("build", "--format", "search", "--no-cache", "--project", project)
    assert result.exit_code == 1
    assert re.search(
        r"search/fragment/da_\w+\.pf_fragment: the public edition would print 'Sofie Lund'", result.output
    ), result.output
    assert snapshot(project / "build") == before


def test_the_index_is_the_same_bytes_every_build(project: Path, tmp_path: Path) -> None:
    other = copy_example(tmp_path / "other")
    for root in (project, other):
        assert run("build", "--format", "search", "--no-cache", "--project", root).exit_code == 0
    first, second = snapshot(project / "build" / "search"), snapshot(other / "build" / "search")
    assert len(first) > 10
    assert first == second


def test_the_internal_edition_has_no_search(project: Path) -> None:
    result = run("build", "--format", "search", "--edition", "internal", "--project", project)
    assert result.exit_code == 0, result.output
    out = next(p.parent for p in (project / "build").rglob("compendium.html"))
    assert not (out / "search").exists()
    page = (out / "compendium.html").read_text(encoding="utf-8")
    assert "data-search" not in page
    assert 'id="search"' not in page


def test_without_javascript_the_search_form_is_hidden_and_nothing_is_listed_as_an_output(project: Path) -> None:
    result = run("build", "--format", "search", "--project", project)
    assert result.exit_code == 0, result.output
    assert "search/" not in result.output
    page = (project / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<form class="search" id="search" role="search" aria-labelledby="search-title" hidden' in page
    assert '<label for="search-input">Søg i historier, forslag og udsagn</label>' in page


@pytest.mark.skipif(
    CHROMIUM is None or not (REPO / "node_modules" / "playwright-core").is_dir(),
    reason="Chromium or playwright-core is not installed (make test installs them)",
)
def test_search_finds_a_story_and_filters_narrow_it_from_file_with_no_network(project: Path) -> None:
    assert run("build", "--format", "search", "--project", project).exit_code == 0
    page = (project / "build" / "compendium.html").as_uri()
    steps = [
        {"query": "gåtur"},
        {"query": "jobcenter"},
        {"query": "jobcenter", "filters": {"entry": "Gode historier", "year": "2026"}},
    ]
    done = subprocess.run(
        ["node", str(BROWSE), page, "390", json.dumps(steps)], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["errors"] == []
    assert seen["form"]["hidden"] is False
    assert seen["form"]["scrollWidth"] <= seen["form"]["clientWidth"], "the search scrolls sideways on a phone"
    assert seen["form"]["options"]["year"] == ["Alle", "2021", "2023", "2026"]
    found, broad, narrowed = seen["results"]
    assert found["links"][0] == "#story-gaaturen"
    assert found["status"].startswith("Antal fund: ")
    assert any(m.casefold().startswith("gåtur") for m in found["marks"])
    assert len(narrowed["links"]) < len(broad["links"])
    assert narrowed["links"] and all(link.startswith("#story-") for link in narrowed["links"])
    # Nothing but the files beside the page, and Pagefind's module made from their bytes.
    assert [url for url in seen["requests"] if not url.startswith(("file://", "blob:"))] == []
    assert any(url.endswith("/search/wasm.da.pagefind.js") for url in seen["requests"])


def test_a_pagefind_that_stops_answering_fails_the_build_and_keeps_the_previous_outputs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("build", "--format", "search", "--project", project)
    assert first.exit_code == 0, first.output
    before = snapshot(project / "build")
    monkeypatch.setattr(search._Service, "TIMEOUT", 0.0)  # the watchdog stops the binary at once
    result = run("build", "--format", "search", "--no-cache", "--project", project)
    assert result.exit_code == 1
    assert "Error: the search index could not be made: Pagefind stopped" in result.output
    assert snapshot(project / "build") == before


def test_an_edited_story_leaves_no_earlier_text_in_the_index(project: Path, tmp_path: Path) -> None:
    # The old fragment holds the story as it was printed: a text since changed, or a name since withheld.
    assert run("build", "--format", "search", "--project", project).exit_code == 0
    story = project / "inputs/stories/gaaturen.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("gik vi en tur", "gik vi en lang tur"), encoding="utf-8")
    result = run("build", "--format", "search", "--project", project)
    assert result.exit_code == 0, result.output
    texts = readable(index_files(project / "build"))
    assert not [name for name, text in texts.items() if "gik vi en tur" in text]
    assert [name for name, text in texts.items() if "gik vi en lang tur" in text]
    fresh = copy_example(tmp_path / "fresh")
    (fresh / "inputs/stories/gaaturen.yaml").write_text(story.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("build", "--format", "search", "--project", fresh).exit_code == 0
    assert snapshot(project / "build" / "search") == snapshot(fresh / "build" / "search")


def test_an_html_only_build_makes_no_index_and_removes_an_earlier_one(project: Path) -> None:
    # An earlier index holds entries as printed then (a story since withdrawn): it must not outlive its page.
    assert run("build", "--format", "search", "-q", "--project", project).exit_code == 0
    assert (project / "build/search").is_dir()
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    assert not (project / "build/search").exists()
    assert "data-search" not in (project / "build/compendium.html").read_text(encoding="utf-8")
