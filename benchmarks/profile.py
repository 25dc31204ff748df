"""Where a cold build's time goes, stage by stage, on a generated corpus.

    python -m benchmarks.profile --stories 1000 [--cprofile build/profile.txt]

The build runs in this process with the stage functions wrapped in wall-clock
timers (no profiler overhead): load and validate, assemble, render HTML, and
inside WeasyPrint: parse HTML, CSS cascade and fonts, box tree, layout, PDF
write. With --cprofile the same build also runs under cProfile, and the
functions that take the most time of their own are written to a file.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

from . import corpus

# (label, module, attribute path): each is timed where the build looks it up.
STAGES = (
    ("read every file once", "compendium.pipeline", "load"),
    ("load + validate (YAML, pydantic, references)", "compendium.pipeline", "_content"),
    ("check labels, templates, glyphs", "compendium.pipeline", "validate"),
    ("name photos", "compendium.pipeline", "photo_assets"),
    ("assemble", "compendium.pipeline", "assemble"),
    ("copy fonts and photos", "compendium.pipeline", "stage_assets"),
    ("render HTML (Jinja, Markdown)", "compendium.pipeline", "render_document"),
    ("PDF: parse HTML", "weasyprint", "HTML.__init__"),
    ("PDF: CSS cascade, fonts", "weasyprint.document", "Document._build_layout_context"),
    ("PDF: box tree", "weasyprint.document", "build_formatting_structure"),
    ("PDF: layout", "weasyprint.document", "layout_document"),
    ("PDF: write", "weasyprint.document", "Document.write_pdf"),
    ("write outputs (switch in as one set)", "compendium.pipeline", "commit_together"),
)
# Stages that contain others: their own time is shown without the nested ones.
NESTED = {"check labels, templates, glyphs": ("load + validate (YAML, pydantic, references)",)}


def wrap(totals: dict[str, float], label: str, module: str, attribute: str) -> None:
    """Replace module.attribute with a wrapper that adds its CPU time to totals[label].

    CPU time of this process, not wall time: on a shared machine the wall
    clock also counts the time other processes held the cores.
    """
    owner: Any = importlib.import_module(module)
    *parents, name = attribute.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    func: Callable[..., Any] = original.__func__ if isinstance(original, classmethod) else original

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            result = func(*args, **kwargs)
        finally:
            totals[label] += time.process_time() - started
        # WeasyPrint lays out pages lazily, as a generator: time the iteration too.
        return _timed_iteration(result, totals, label) if isinstance(result, Generator) else result

    setattr(owner, name, classmethod(timed) if isinstance(original, classmethod) else timed)


def _timed_iteration(items: Generator[Any, None, None], totals: dict[str, float], label: str) -> Iterator[Any]:
    """Yield from a generator, adding the time spent producing each item to totals[label]."""
    while True:
        started = time.process_time()
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            totals[label] += time.process_time() - started
        yield item


def build_once(project: Path) -> float:
    """Run a cold build of both documents in this process; return its CPU time."""
    from compendium.pipeline import build
    from compendium.project import find_project

    shutil.rmtree(project / "build", ignore_errors=True)
    started, wall = time.process_time(), time.perf_counter()
    build(find_project(project))
    print(f"Wall time of the build: {time.perf_counter() - wall:.1f} s")
    return time.process_time() - started


def breakdown(project: Path) -> tuple[float, dict[str, float]]:
    """Time one cold build with every stage wrapped; return the total and each stage's own time."""
    totals: dict[str, float] = defaultdict(float)
    for label, module, attribute in STAGES:
        wrap(totals, label, module, attribute)
    total = build_once(project)
    for outer, inner in NESTED.items():
        totals[outer] -= sum(totals[i] for i in inner)
    return total, dict(totals)


def report(stories: int, total: float, totals: dict[str, float]) -> str:
    """A Markdown table of the stages with seconds and share of the total."""
    lines = [
        f"Cold build, N = {stories} stories, both documents, HTML and PDF: {total:.1f} s of CPU time",
        "",
        "| stage | CPU seconds | share |",
        "|---|---|---|",
    ]
    for label, _, _ in STAGES:
        seconds = totals.get(label, 0.0)
        lines.append(f"| {label} | {seconds:.2f} | {seconds / total:.0%} |")
    other = total - sum(totals.values())
    lines.append(f"| other (imports, staging, index) | {other:.2f} | {other / total:.0%} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Generate the corpus, time its stages, and optionally write a cProfile listing."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("build/bench"))
    parser.add_argument("--cprofile", type=Path, default=None, help="also write the top functions here")
    args = parser.parse_args(argv)
    os.environ["COMPENDIUM_COMMIT"] = ""
    project = (args.work / f"corpus-{args.stories}").resolve()
    if not (project / "inputs").is_dir():
        corpus.write(corpus.generate(args.stories, args.stories // 2), project)
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.runcall(build_once, project)
        args.cprofile.parent.mkdir(parents=True, exist_ok=True)
        with args.cprofile.open("w", encoding="utf-8") as out:
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
        print(f"Wrote {args.cprofile}")
    total, totals = breakdown(project)
    print(report(args.stories, total, totals))


if __name__ == "__main__":
    main()
