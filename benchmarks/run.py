"""Time the tool against its floor and against pandoc, on generated corpora; write build/bench.json.

    python -m benchmarks.run --sizes 100,1000 --runs 3
    python -m benchmarks.run --check-size 10000      # peak memory of `check` on a large corpus

Every timed command runs as a subprocess; wall time comes from a monotonic
clock, peak memory (RSS) from the rusage that os.wait4 returns for that one
child. Within a run the compared commands follow each other (A B A B ...), so
machine noise hits both sides alike; each figure is the median over runs of
the ratio measured within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from . import corpus, markdown

BIN = Path(sys.executable).parent
COMPENDIUM = str(BIN / "compendium")
PYTHON = sys.executable
# Everything a cold build must not find: the output folder and any cache the tool keeps.
# The tool's cache sits beside the output folder (compendium.cache.store.cache_folder), never inside it.
COLD_PATHS = ("build", ".build-cache")
DOCUMENTS = ("compendium", "debate-paper")
# The story each "one story edited" run changes.
EDITED_STORY = "inputs/stories/historie-00001.yaml"
GiB = 1024**3


@dataclass(frozen=True)
class Figure:
    """One line of the table: a measured side divided by its reference side."""

    number: int | str
    name: str
    measured: str
    reference: str
    target: float
    metric: str = "seconds"  # or "rss"


FIGURES = (
    Figure(1, "full cold build / bare WeasyPrint", "cold_build", "weasyprint", 1.10),
    Figure(2, "full cold build / pandoc + WeasyPrint", "cold_build", "pandoc_pdf", 0.9),
    Figure(3, "HTML-only build / pandoc -s", "html_build", "pandoc_html", 0.5),
    Figure(4, "check / HTML-only build", "check", "html_build", 0.2),
    Figure(5, "no-op rebuild / cold build", "noop_build", "cold_build", 0.05),
    Figure(6, "one story edited, HTML / cold HTML", "edit_html", "html_build", 0.2),
    Figure(7, "one story edited, compendium PDF / cold", "edit_pdf", "cold_compendium", 0.5),
    Figure(8, "peak RSS of full build / bare WeasyPrint", "cold_build", "weasyprint", 1.15, "rss"),
    # The tool lays out PDFs in worker processes, so its largest process is not the whole cost.
    Figure("8b", "peak RSS, all processes summed / bare WeasyPrint", "cold_build", "weasyprint", 1.15, "tree_rss"),
)


@dataclass
class Sample:
    """What one timed command (or a sequence of them) took."""

    seconds: float
    rss: int  # peak resident set size in bytes, the largest of the sequence
    cpu: float = 0.0  # user + system CPU seconds, including the commands' own children
    tree_rss: int = 0  # peak of the RSS of a command and all its descendants added up, sampled every 50 ms


@dataclass
class Result:
    """All samples and checks for one corpus size."""

    stories: int
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    noop_untouched: list[bool] = field(default_factory=list)
    # The compendium PDF's bytes: the cold build's (laid out in pieces), and one-piece layout's (the floor's).
    pdf_bytes: list[tuple[int, int]] = field(default_factory=list)

    def add(self, name: str, sample: Sample) -> None:
        """Record one sample of a named command."""
        self.samples.setdefault(name, []).append(sample)


def timed(commands: Sequence[Sequence[str]], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Run commands one after another; return their total wall time and the largest peak RSS."""
    seconds, rss, cpu, tree = 0.0, 0, 0.0, 0
    for command in commands:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sampler = TreeMemory(process.pid)
        sampler.start()
        # wait4 gives this child's own rusage, including the children it waited for (pandoc's WeasyPrint).
        _, status, usage = os.wait4(process.pid, 0)
        seconds += time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        tree = max(tree, sampler.peak)
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
        if process.stderr:
            process.stderr.close()
        if process.returncode != 0:
            raise SystemExit(f"Error: {' '.join(command)} failed ({process.returncode}):\n{stderr}")
        rss = max(rss, _own_peak(usage.ru_maxrss * 1024, sampler.largest))
        cpu += usage.ru_utime + usage.ru_stime
    return Sample(seconds, rss, cpu, max(tree, rss))


PAGE = os.sysconf("SC_PAGE_SIZE")


def _own_peak(child_peak: int, sampled: int) -> int:
    """Return a child's peak RSS, not the one it took over from this process.

    Linux reports (kilobytes) the largest of a child's own peak and its parent's peak at the time of
    exec, so a child of a large process (a test run) seems large. A peak above this process's own is
    the child's; below it, only the sampled peak can be trusted.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return child_peak if child_peak > own else sampled


class TreeMemory(threading.Thread):
    """Sample the summed RSS of a process and all its descendants until told to stop; keep the peaks.

    `peak` is the largest sum, `largest` the largest single process.
    """

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.largest = pid, every, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            sizes = [_rss(p) for p in _tree(self.pid)]
            self.peak = max(self.peak, sum(sizes))
            self.largest = max(self.largest, max(sizes, default=0))
            self.stop.wait(self.every)


def _tree(pid: int) -> list[int]:
    """List a process and its descendants, from /proc (empty once it has gone)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return found


def _rss(pid: int) -> int:
    """Return a process's resident set size in bytes, 0 when it has gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def ratio(measured: float, reference: float) -> float:
    """Divide, treating a zero reference as no ratio at all."""
    return measured / reference if reference else float("inf")


def ratios(result: Result, figure: Figure) -> list[float]:
    """The per-run ratios of a figure: run i of the measured side over run i of the reference."""
    pairs = zip(result.samples.get(figure.measured, []), result.samples.get(figure.reference, []), strict=False)
    if figure.metric == "rss":
        return [ratio(a.rss, b.rss) for a, b in pairs]
    if figure.metric == "tree_rss":
        return [ratio(a.tree_rss, b.tree_rss) for a, b in pairs]
    if figure.metric == "cpu":
        return [ratio(a.cpu, b.cpu) for a, b in pairs]
    return [ratio(a.seconds, b.seconds) for a, b in pairs]


def median_of(samples: list[Sample], metric: str) -> float | None:
    """The median seconds or RSS of a list of samples, None when there are none."""
    if not samples:
        return None
    values = {"rss": lambda s: s.rss, "tree_rss": lambda s: s.tree_rss, "cpu": lambda s: s.cpu}
    return statistics.median(values.get(metric, lambda s: s.seconds)(s) for s in samples)


def summarise(result: Result) -> list[dict[str, object]]:
    """One row per figure: median ratio, target, met or not, and the medians of both sides."""
    rows: list[dict[str, object]] = []
    for figure in FIGURES:
        values = ratios(result, figure)
        median = statistics.median(values) if values else None
        cpu = ratios(result, replace(figure, metric="cpu")) if figure.metric == "seconds" else []
        rows.append(
            {
                "figure": figure.number,
                "name": figure.name,
                "ratio": median,
                "ratios": values,
                "target": figure.target,
                "met": median is not None and median <= figure.target,
                "measured": median_of(result.samples.get(figure.measured, []), figure.metric),
                "reference": median_of(result.samples.get(figure.reference, []), figure.metric),
                "metric": figure.metric,
                "cpu_ratio": statistics.median(cpu) if cpu else None,
            }
        )
    return rows


def amount(value: object, metric: str) -> str:
    """Format seconds as '12.3 s' and RSS as '456 MiB'."""
    if not isinstance(value, int | float):
        return "–"
    return f"{value / 2**20:.0f} MiB" if metric in ("rss", "tree_rss") else f"{value:.2f} s"


def table(stories: int, rows: list[dict[str, object]], runs: int) -> str:
    """A Markdown table of the figures for one corpus size."""
    lines = [
        f"N = {stories} stories, median of {runs} runs",
        "",
        "| # | figure | ratio | target | met | measured (median) | reference (median) | CPU-time ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        value = row["ratio"]
        shown = f"{value:.3f}×" if isinstance(value, float) else "–"
        metric = str(row["metric"])
        cpu = f"{row['cpu_ratio']:.3f}×" if isinstance(row["cpu_ratio"], float) else "–"
        lines.append(
            f"| {row['figure']} | {row['name']} | {shown} | ≤ {row['target']}× | {'not run' if value is None else 'met' if row['met'] else 'MISSED'} "
            f"| {amount(row['measured'], metric)} | {amount(row['reference'], metric)} | {cpu} |"
        )
    return "\n".join(lines)


def outputs_state(build: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each output file's inode, modification time in ns and bytes, to tell whether a build rewrote it."""
    return {
        p.relative_to(build).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(build.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(build).parts
    }


def make_cold(project: Path) -> None:
    """Remove the output folder and every cache, so the next build starts from nothing."""
    for name in COLD_PATHS:
        shutil.rmtree(project / name, ignore_errors=True)


def edit_story(project: Path, run: int) -> None:
    """Change one story's text, differently in every run, as an editor would."""
    path = project / EDITED_STORY
    text = path.read_text(encoding="utf-8")
    marker = "\n  Tilføjet ved gennemsyn "
    text = text.split(marker)[0].rstrip("\n") + f"\n{marker}{run + 1}.\n"
    path.write_text(text, encoding="utf-8")


def prepare(stories: int, work: Path, seed: int) -> Path:
    """Generate the corpus and its Markdown twin; return the project folder."""
    project = work / f"corpus-{stories}"
    corpus.write(corpus.generate(stories, stories // 2, seed), project)
    markdown.write(project, project / "md")
    return project


BYTES_TARGET = 1.05  # the pieced compendium PDF against one-piece layout


def pdf_bytes(pieced: Path, whole: Path) -> tuple[int, int]:
    """Give the bytes of the pieced compendium PDF and of the floor's, laid out in one piece."""
    return pieced.stat().st_size, whole.stat().st_size


def bytes_line(result: Result) -> str:
    """Say how much larger the pieced PDF is than one-piece layout (the median ratio over runs)."""
    ratio = statistics.median(a / b for a, b in result.pdf_bytes)
    pieced, whole = result.pdf_bytes[-1]
    met = "met" if ratio <= BYTES_TARGET else "MISSED"
    return (
        f"Compendium PDF bytes, pieced / one-piece layout: {ratio:.3f}× ({pieced / 2**20:.2f} MiB against "
        f"{whole / 2**20:.2f} MiB; target ≤ {BYTES_TARGET}×: {met})\n"
    )


# The commands come in three groups, each a self-contained sequence; --groups picks some.
GROUPS = ("pdf", "html", "edit-pdf")


def one_run(project: Path, result: Result, run: int, env: dict[str, str], groups: Sequence[str] = GROUPS) -> None:
    """Run every compared command of the chosen groups once, each pair back to back."""
    build = ["--project", str(project), "--quiet"]
    floor_out = project.parent / f"floor-{project.name}"
    md = project / "md"

    if "pdf" in groups:  # figures 1, 2, 5, 8
        make_cold(project)
        result.add("cold_build", timed([[COMPENDIUM, "build", *build]], project, env))
        html = [str(project / "build" / f"{doc}.html") for doc in DOCUMENTS]
        result.add("weasyprint", timed([[PYTHON, "-m", "benchmarks.floor", str(floor_out), *html]], Path.cwd(), env))
        result.pdf_bytes.append(pdf_bytes(project / "build/compendium.pdf", floor_out / "compendium.pdf"))
        before = outputs_state(project / "build")
        result.add("noop_build", timed([[COMPENDIUM, "build", *build]], project, env))
        result.noop_untouched.append(outputs_state(project / "build") == before)
        pandoc = [
            ["pandoc", "-s", "--pdf-engine=weasyprint", str(md / f"{d}.md"), "-o", str(md / f"{d}.pdf")]
            for d in DOCUMENTS
        ]
        result.add("pandoc_pdf", timed(pandoc, project, env))

    if "html" in groups:  # figures 3, 4, 6
        make_cold(project)
        result.add("html_build", timed([[COMPENDIUM, "build", "--format", "html", *build]], project, env))
        pandoc = [["pandoc", "-s", str(md / f"{d}.md"), "-o", str(md / f"{d}.html")] for d in DOCUMENTS]
        result.add("pandoc_html", timed(pandoc, project, env))
        result.add("check", timed([[COMPENDIUM, "check", "--project", str(project)]], project, env))
        edit_story(project, run)
        result.add("edit_html", timed([[COMPENDIUM, "build", "--format", "html", *build]], project, env))

    if "edit-pdf" in groups:  # figure 7
        make_cold(project)
        only = ["--only", "compendium", *build]
        result.add("cold_compendium", timed([[COMPENDIUM, "build", *only]], project, env))
        edit_story(project, run + 1000)
        result.add("edit_pdf", timed([[COMPENDIUM, "build", *only]], project, env))


def bench(sizes: list[int], runs: int, work: Path, seed: int, groups: Sequence[str] = GROUPS) -> dict[str, object]:
    """Run the whole benchmark for every size; return what goes into bench.json."""
    env = {**os.environ, "COMPENDIUM_COMMIT": "", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    report: dict[str, object] = {
        "runs": runs,
        "groups": list(groups),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "sizes": {},
    }
    load_before = os.getloadavg()
    for stories in sizes:
        project = prepare(stories, work, seed)
        result = Result(stories)
        for run in range(runs):
            print(f"N={stories}: run {run + 1} of {runs} …", file=sys.stderr, flush=True)
            one_run(project, result, run, env, groups)
            # Each run's samples as they come, so a long bench shows its progress (and survives an interrupt).
            done = ", ".join(
                f"{name} {v[-1].seconds:.1f} s ({v[-1].cpu:.1f} s CPU)" for name, v in result.samples.items()
            )
            print(f"  {done}", file=sys.stderr, flush=True)
        rows = summarise(result)
        print(table(stories, rows, runs) + "\n")
        noop = bool(result.noop_untouched) and all(result.noop_untouched)
        if result.pdf_bytes:
            print(bytes_line(result))
        if result.noop_untouched:
            print(f"No-op rebuild left every output byte-identical and not rewritten: {'yes' if noop else 'NO'}\n")
        report["sizes"][str(stories)] = {  # type: ignore[index]
            "figures": rows,
            "noop_outputs_untouched": noop,
            "compendium_pdf_bytes": [{"pieced": a, "one_piece": b} for a, b in result.pdf_bytes],
            "samples": {name: [asdict(s) for s in samples] for name, samples in result.samples.items()},
        }
    report["finished"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    report["load_average"] = {"before": load_before, "after": os.getloadavg()}
    return report


def check_memory(stories: int, runs: int, work: Path, seed: int) -> dict[str, object]:
    """Time `check` on a large corpus and report its peak RSS against the 1 GiB limit."""
    project = work / f"corpus-{stories}"
    corpus.write(corpus.generate(stories, stories // 2, seed), project)
    samples = [timed([[COMPENDIUM, "check", "--project", str(project)]], project) for _ in range(runs)]
    rss = max(s.rss for s in samples)
    seconds = statistics.median(s.seconds for s in samples)
    print(
        f"check at N = {stories}: median {seconds:.2f} s, peak RSS {rss / 2**20:.0f} MiB "
        f"(limit 1024 MiB: {'met' if rss < GiB else 'MISSED'})"
    )
    return {"stories": stories, "seconds": seconds, "peak_rss": rss, "met": rss < GiB}


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, run the benchmark and write build/bench.json."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated story counts (default: 100,1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (default: 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("build/bench"), help="where corpora are generated")
    parser.add_argument("--out", type=Path, default=Path("build/bench.json"))
    parser.add_argument(
        "--groups",
        default=",".join(GROUPS),
        help="which commands to run: pdf (figures 1, 2, 5, 8), html (3, 4, 6), edit-pdf (7); default: all",
    )
    parser.add_argument("--check-size", type=int, default=None, help="only measure `check` at this many stories")
    args = parser.parse_args(argv)
    if shutil.which("pandoc") is None and args.check_size is None:
        raise SystemExit("Error: pandoc is missing; install it with apt-get install pandoc (make bench does)")
    args.work.mkdir(parents=True, exist_ok=True)
    report: dict[str, object]
    if args.check_size is not None:
        report = {"check_memory": check_memory(args.check_size, args.runs, args.work.resolve(), args.seed)}
        out = args.out.with_name("bench-check.json")
    else:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        groups = [g for g in args.groups.split(",") if g]
        if unknown := set(groups) - set(GROUPS):
            raise SystemExit(f"Error: unknown group {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
        report = bench(sizes, args.runs, args.work.resolve(), args.seed, groups)
        out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
