"""The benchmark corpus generator, its Markdown twin and the harness's arithmetic (no timings)."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

from benchmarks import corpus, markdown, phrases
from benchmarks.run import FIGURES, Result, Sample, edit_story, make_cold, outputs_state, summarise, table, timed

from .conftest import run, snapshot


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project with 20 stories and 10 proposals."""
    out = tmp_path_factory.mktemp("corpus") / "project"
    corpus.write(corpus.generate(20, 10, seed=7), out)
    return out


def test_corpus_is_deterministic(small: Path, tmp_path: Path) -> None:
    corpus.write(corpus.generate(20, 10, seed=7), tmp_path / "again")
    assert snapshot(tmp_path / "again") == snapshot(small)


def test_corpus_differs_with_another_seed(small: Path, tmp_path: Path) -> None:
    corpus.write(corpus.generate(20, 10, seed=8), tmp_path / "other")
    assert snapshot(tmp_path / "other") != snapshot(small)


def test_corpus_passes_check(small: Path) -> None:
    result = run("check", "--project", small)
    assert result.exit_code == 0, result.output
    assert result.output == "OK: 26 files, 5 themes, 2 events, 20 stories; 0 warnings\n"


def test_corpus_has_the_asked_counts(small: Path) -> None:
    stories = sorted((small / "inputs" / "stories").glob("*.yaml"))
    events = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in (small / "inputs" / "events").glob("*.yaml")]
    assert len(stories) == 20
    assert sum(len(e["proposals"]) for e in events) == 10


def test_corpus_names_are_unique_even_at_ten_thousand_stories() -> None:
    names = corpus.unique_names(random.Random(1), 10_000)
    assert len(set(names)) == 10_000
    assert all(len(name.split()) in (2, 3) for name in names)
    # No name holds another: a withheld name must never be printed as part of a longer one.
    pairs = {" ".join(name.split()[i : i + 2]) for name in names if len(name.split()) == 3 for i in (0, 1)}
    assert not pairs & set(names)


def test_corpus_has_every_consent_level() -> None:
    generated = corpus.generate(20, 10, seed=7)
    people = generated.yaml_files["inputs/participants.yaml"]["participants"]
    tellers = [d["teller"] for n, d in generated.yaml_files.items() if n.startswith("inputs/stories/")]
    assert {p["consent"] for p in people} == {"named", "role-only", "anonymous"}
    assert {t["consent"] for t in tellers if "consent" in t} == {"named", "role-only", "anonymous"}


def test_corpus_spreads_over_about_thirty_job_centres() -> None:
    generated = corpus.generate(100, 50, seed=1)
    workplaces = {d["workplace"] for n, d in generated.yaml_files.items() if n.startswith("inputs/stories/")}
    assert 28 <= len(workplaces) <= 35
    assert workplaces <= {f"Jobcenter {m}" for m in phrases.MUNICIPALITIES}


def test_corpus_photos_are_jpegs_used_by_stories() -> None:
    generated = corpus.generate(20, 10, seed=7)
    used = [d["photo"]["file"] for d in generated.yaml_files.values() if "photo" in d]
    assert len(used) == 4
    assert set(used) <= set(generated.photos)
    for data in generated.photos.values():
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG"
            assert image.size == corpus.PHOTO_SIZE


def test_story_bodies_use_lists_quotes_and_emphasis() -> None:
    generated = corpus.generate(100, 50, seed=1)
    bodies = "\n".join(d["body"] for n, d in generated.yaml_files.items() if n.startswith("inputs/stories/"))
    assert "\n- " in bodies
    assert "\n> »" in bodies
    assert "**" in bodies
    assert " *" in bodies


def test_markdown_twin_holds_every_story_and_photo(small: Path, tmp_path: Path) -> None:
    compendium, debate = markdown.write(small, tmp_path)
    text = compendium.read_text(encoding="utf-8")
    titles = [yaml.safe_load(f.read_text(encoding="utf-8"))["title"] for f in (small / "inputs/stories").glob("*.yaml")]
    assert all(f"## {title}\n" in text for title in titles)
    images = [line.split("](")[1].rstrip(")") for line in text.splitlines() if line.startswith("![")]
    assert len(images) == 4 + 1 + 1  # four story photos, one event photo, the cover
    assert all((small / image).is_file() for image in images)
    assert debate.read_text(encoding="utf-8").startswith('---\ntitle: "Debatoplæg:')


def fake(*pairs: tuple[float, int]) -> list[Sample]:
    """Samples from (seconds, rss) pairs, with half the wall time as CPU time."""
    return [Sample(seconds, rss, cpu=seconds / 2) for seconds, rss in pairs]


def test_summary_takes_the_median_of_per_run_ratios() -> None:
    result = Result(100)
    result.samples["cold_build"] = fake((2.0, 300), (3.0, 400), (8.0, 500))
    result.samples["weasyprint"] = fake((2.0, 300), (2.0, 200), (2.0, 500))
    rows = {row["figure"]: row for row in summarise(result)}
    assert rows[1]["ratios"] == [1.0, 1.5, 4.0]
    assert rows[1]["ratio"] == 1.5
    assert rows[1]["met"] is False
    assert rows[1]["measured"] == 3.0
    assert rows[1]["reference"] == 2.0
    assert rows[8]["ratios"] == [1.0, 2.0, 1.0]
    assert rows[8]["ratio"] == 1.0
    assert rows[8]["met"] is True
    assert rows[2]["ratio"] is None
    assert rows[2]["met"] is False


def test_table_shows_ratio_target_and_both_medians() -> None:
    result = Result(100)
    result.samples["check"] = fake((0.5, 1), (0.25, 1), (0.75, 1))
    result.samples["html_build"] = fake((5.0, 1), (5.0, 1), (5.0, 1))
    lines = table(100, summarise(result), 3).splitlines()
    assert lines[0] == "N = 100 stories, median of 3 runs"
    assert lines[3 + 4] == "| 4 | check / HTML-only build | 0.100× | ≤ 0.2× | met | 0.50 s | 5.00 s | 0.100× |"
    assert lines[3 + 1] == "| 1 | full cold build / bare WeasyPrint | – | ≤ 1.1× | not run | – | – | – |"
    assert len(lines) == 4 + len(FIGURES)
    assert lines[-1].startswith("| 8b | peak RSS, all processes summed / bare WeasyPrint |")


def test_timed_reports_peak_memory_and_refuses_a_failing_command(tmp_path: Path) -> None:
    # Held for a moment: a child smaller than this test run is measured by sampling (see _own_peak).
    sample = timed([[sys.executable, "-c", "import time; x = bytearray(64 * 2**20); time.sleep(0.3)"]], tmp_path)
    assert sample.rss > 64 * 2**20
    with pytest.raises(SystemExit, match="failed \\(3\\)"):
        timed([[sys.executable, "-c", "raise SystemExit(3)"]], tmp_path)


def test_outputs_state_sees_a_rewritten_file(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    before = outputs_state(tmp_path)
    assert outputs_state(tmp_path) == before
    (tmp_path / "a.html").unlink()
    (tmp_path / "a.html").write_text("x", encoding="utf-8")
    assert outputs_state(tmp_path) != before


def test_edit_story_changes_one_line_each_run(small: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    corpus.write(corpus.generate(5, 2, seed=7), project)
    story = project / "inputs/stories/historie-00001.yaml"
    original = yaml.safe_load(story.read_text(encoding="utf-8"))["body"]
    edit_story(project, 0)
    edit_story(project, 1)
    assert yaml.safe_load(story.read_text(encoding="utf-8"))["body"] == original + "\nTilføjet ved gennemsyn 2.\n"


def test_corpus_builds_as_html(small: Path, tmp_path: Path) -> None:
    result = run("build", "--project", small, "--format", "html", "--output", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "compendium.html").is_file()


def test_make_cold_removes_the_tools_cache(project: Path) -> None:
    """A "cold" build must find neither the outputs nor the cache beside them, or it measures a cache hit."""
    from compendium.cache.store import cache_folder

    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert result.exit_code == 0, result.output
    cache = cache_folder(project / "build", "public")
    assert cache.is_dir()
    make_cold(project)
    assert not (project / "build").exists()
    assert not cache.exists()


def test_tree_memory_adds_up_the_children(tmp_path: Path) -> None:
    # Two children holding 64 MiB each: the largest process is one of them, the tree holds both.
    script = (
        "import subprocess, sys; hold = 'x = bytearray(64 * 2**20); import time; time.sleep(1.0)'; "
        "ps = [subprocess.Popen([sys.executable, '-c', hold]) for _ in range(2)]; [p.wait() for p in ps]"
    )
    sample = timed([[sys.executable, "-c", script]], tmp_path)
    assert 64 * 2**20 < sample.rss < 120 * 2**20
    assert sample.tree_rss > 128 * 2**20


def test_a_child_of_a_large_process_is_measured_by_its_own_memory(tmp_path: Path) -> None:
    # Linux gives a child the peak RSS its parent had when it exec'd: from a large test run, a small
    # command looked as large as the run.
    ballast = bytearray(200 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page, so they count
    sample = timed([[sys.executable, "-c", "import time; time.sleep(0.5)"]], tmp_path)
    assert sample.rss < 100 * 2**20
    del ballast
