"""Nothing lost: killed, failing and blocked builds leave the previous outputs complete and valid.

The promise (see compendium/output.py): after a build is killed at any moment,
every output file is either its complete previous version or its complete new
one. Files are swapped one by one, so a kill during the swap may leave some
files old and others new, but never a part of a file.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import compendium.output
import compendium.render.pdf.layout
from tests.conftest import copy_example, run, snapshot

KILLS = 5  # builds killed at spread-out moments
SEED = 20261123


def restore(folder: Path, files: dict[str, bytes]) -> None:
    """Put a build folder back to a snapshot."""
    shutil.rmtree(folder, ignore_errors=True)
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def start_build(project: Path) -> subprocess.Popen[bytes]:
    """Start a real build in its own process group, as a shell would."""
    env = os.environ | {"COMPENDIUM_COMMIT": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "compendium", "build", "--quiet", "--project", str(project)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so the kill reaches any worker processes too
    )


def staging_folders(project: Path) -> list[str]:
    """List the staging folders a build left in the project."""
    return sorted(p.name for p in project.glob(".*staging*")) + sorted(
        p.name for p in (project / "build").glob(".*staging*")
    )


def test_killed_builds_leave_old_or_new_complete_outputs(tmp_path: Path) -> None:
    assert shutil.which("qpdf"), "qpdf is missing; `make test` installs it (Debian package qpdf)"
    project = copy_example(tmp_path / "project")
    assert start_build(project).wait() == 0
    old = snapshot(project / "build")
    publication = project / "inputs" / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace('"0.1 (eksempel)"', '"0.2"'), "utf-8")
    # The complete new outputs, from an undisturbed build of the same inputs (builds are deterministic).
    reference = copy_example(tmp_path / "reference")
    shutil.copyfile(publication, reference / "inputs" / "publication.yaml")
    started = time.perf_counter()
    assert start_build(reference).wait() == 0
    duration = time.perf_counter() - started
    new = snapshot(reference / "build")
    changed = sorted(name for name in new if old.get(name) != new[name])
    assert {"compendium.pdf", "debate-paper.pdf", "compendium.html"} <= set(changed)

    rng = random.Random(SEED)
    delays = sorted(rng.uniform(0.05, duration * 1.1) for _ in range(KILLS))
    outcomes = []
    for delay in delays:
        restore(project / "build", old)
        build = start_build(project)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        now = snapshot(project / "build")
        assert set(now) <= set(old) | set(new)
        for name in sorted(set(old) | set(new)):
            assert now.get(name) in (old.get(name), new.get(name)), f"{name} is neither old nor new after {delay:.2f} s"
        for pdf in sorted((project / "build").glob("*.pdf")):
            check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True, check=False)
            assert check.returncode == 0, f"{pdf.name} after {delay:.2f} s: {check.stdout}{check.stderr}"
        outcomes.append(sum(now.get(n) == new[n] for n in changed))
    # The delays span the build: the early kills leave everything old.
    assert outcomes[0] == 0

    # The next build finishes the job and clears what the killed ones left behind.
    assert start_build(project).wait() == 0
    assert snapshot(project / "build") == new
    assert staging_folders(project) == []


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Make every write into a staging folder fail with an OS error, as a full or read-only disk would."""
    real = Path.write_text

    def write_text(self: Path, *args: object, **kwargs: object) -> int:
        if "-staging-" in self.parent.name:
            raise OSError(code, os.strerror(code), str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "No space left on device"),
        (errno.EROFS, "Read-only file system"),
        (errno.EACCES, "Permission denied"),
    ],
)
def test_a_failed_write_is_one_clear_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = snapshot(project / "build")
    fail_writes(monkeypatch, code)
    result = run("build", "--format", "html", "--quiet", "--no-cache", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot write {project / 'build' / 'compendium.html'}: {reason}; the previous outputs are unchanged\n",
    )
    assert snapshot(project / "build") == before
    assert staging_folders(project) == []


def test_a_pdf_that_fails_halfway_never_replaces_the_good_one(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "project")
    shutil.copytree(built, project / "build")
    before = snapshot(project / "build")
    real = compendium.render.pdf.layout.write_pdf

    def write_pdf(html: str, base_dir: Path, target: Path, *rest: Any) -> object:
        if target.name == "debate-paper.pdf":
            target.write_bytes(b"%PDF-1.7\n% half a PDF")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(html, base_dir, target, *rest)

    monkeypatch.setattr(compendium.render.pdf.layout, "write_pdf", write_pdf)
    result = run("build", "--quiet", "--no-cache", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot write {project / 'build' / 'debate-paper.pdf'}: No space left on device; "
        "the previous outputs are unchanged\n",
    )
    assert snapshot(project / "build") == before
    assert staging_folders(project) == []


def edit_publication(project: Path, version: str) -> None:
    """Change the publication's version, which every document prints, so every document changes."""
    publication = project / "inputs" / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(re.sub(r'version: "[^"]*"', f'version: "{version}"', text, count=1), encoding="utf-8")


def outputs(project: Path) -> dict[str, bytes]:
    """Read the whole output set: build/ and the reports beside it."""
    return {f"build/{n}": b for n, b in snapshot(project / "build").items()} | {
        f"build-reports/{n}": b for n, b in snapshot(project / "build-reports").items()
    }


def fail_on(monkeypatch: pytest.MonkeyPatch, name: str, error: BaseException) -> list[str]:
    """Make replacing one output fail, as a file open in a viewer on Windows does; return what was replaced before."""
    real, replaced = os.replace, []

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == name and "staging" in Path(source).parent.name:
            raise error
        real(source, target)
        replaced.append(Path(target).name)

    monkeypatch.setattr(compendium.output.os, "replace", replace)
    return replaced


def test_a_file_that_cannot_be_replaced_leaves_the_whole_previous_set(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    (project / "build" / "debate-paper.html").unlink()  # a file the failed build would add: it must not stay
    before = outputs(project)
    edit_publication(project, "0.2")
    target = project / "build" / "index.html"
    replaced = fail_on(monkeypatch, "index.html", PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target)))
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot replace {target}: Permission denied; close any program that has it open (a PDF viewer, say), "
        "make sure it may be replaced, and build again; the previous outputs are unchanged\n",
    )
    assert {"compendium.html", "debate-paper.html"} <= set(replaced), "files before it had been switched"
    assert outputs(project) == before
    assert staging_folders(project) == []


def test_a_real_unreplaceable_file_late_in_the_set(project: Path) -> None:
    # No monkeypatching: the last output of the set, a report, is in the way as a folder, which no rename replaces.
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = snapshot(project / "build")
    report = project / "build-reports" / "redactions.txt"
    report.unlink()
    (report / "kept").mkdir(parents=True)
    edit_publication(project, "0.2")
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert (result.exit_code, result.output) == (
        1,
        f"Error: cannot replace {report}: Is a directory; close any program that has it open (a PDF viewer, say), "
        "make sure it may be replaced, and build again; the previous outputs are unchanged\n",
    )
    assert snapshot(project / "build") == before
    assert (report / "kept").is_dir()
    assert staging_folders(project) == []


def test_a_signal_while_switching_puts_the_previous_set_back(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = outputs(project)
    edit_publication(project, "0.2")
    replaced = fail_on(monkeypatch, "index.html", KeyboardInterrupt())  # what SIGTERM and SIGINT raise
    result = run("build", "--format", "html", "--quiet", "--project", project)
    assert (result.exit_code, result.output) == (1, "Error: interrupted; the previous outputs are unchanged\n")
    assert "compendium.html" in replaced
    assert outputs(project) == before
    assert staging_folders(project) == []


def test_the_next_build_undoes_the_switch_of_a_killed_one(project: Path, tmp_path: Path) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = outputs(project)
    edit_publication(project, "0.2")
    # A build killed with SIGKILL halfway through the switch: os._exit is as abrupt, and no cleanup runs.
    script = tmp_path / "killed.py"
    script.write_text(
        "import os, sys\n"
        "import compendium.output\n"
        "from compendium.cli import app\n"
        "real = os.replace\n"
        "def replace(source, target):\n"
        "    if os.path.basename(target) == 'index.html' and 'staging' in str(source):\n"
        "        os._exit(9)\n"
        "    real(source, target)\n"
        "compendium.output.os.replace = replace\n"
        "app(['build', '--format', 'html', '--quiet', '--project', sys.argv[1]])\n",
        encoding="utf-8",
    )
    env = os.environ | {"COMPENDIUM_COMMIT": ""}
    assert subprocess.run([sys.executable, str(script), str(project)], env=env, check=False).returncode == 9
    mixed = outputs(project)
    assert mixed != before and mixed["build/index.html"] == before["build/index.html"], "killed halfway"
    assert staging_folders(project) != []
    # What the next build does first: each staging folder a dead build left is undone, then removed.
    with compendium.output.Staging(project / "build"), compendium.output.Staging(project / "build-reports"):
        assert outputs(project) == before
    assert staging_folders(project) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_remove_the_staging_folder(project: Path, stop: signal.Signals) -> None:
    assert start_build(project).wait() == 0
    before = outputs(project)
    edit_publication(project, "0.2")
    env = os.environ | {"COMPENDIUM_COMMIT": ""}
    build = subprocess.Popen(
        [sys.executable, "-m", "compendium", "build", "--quiet", "--no-cache", "--project", str(project)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(project.glob(".build-staging-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert build.poll() is None, "the build ended before it was staging"
    time.sleep(0.3)  # into the PDF layout
    build.send_signal(stop)  # to the build alone, as `timeout` sends it
    _, err = build.communicate(timeout=60)
    assert (build.returncode, err.decode()) == (1, "Error: interrupted; the previous outputs are unchanged\n")
    assert outputs(project) == before
    assert staging_folders(project) == []


def test_staging_folders_of_killed_builds_are_removed(project: Path) -> None:
    dead = project / ".build-staging-999999999-abc"  # no process has this id
    dead.mkdir()
    (dead / "compendium.pdf").write_bytes(b"%PDF- half")
    running = project / f".build-staging-{os.getppid()}-xyz"  # a live process: perhaps a build still running
    running.mkdir()
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    assert not dead.exists()
    assert running.is_dir()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real read-only and a real tiny file system, where we may mount them (root); else skip."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    mounts = []
    try:
        for name, options in (("readonly", "ro,size=1m"), ("tiny", "size=200k")):
            point = tmp_path / name
            point.mkdir()
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True, check=False
            )
            if done.returncode != 0:
                pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
            mounts.append(point)
        yield tmp_path
    finally:
        for point in mounts:
            subprocess.run(["umount", str(point)], check=False)


def test_a_real_read_only_or_full_output_folder(project: Path, small_disk: Path) -> None:
    disks = small_disk
    readonly = run("build", "--format", "html", "--quiet", "--output", disks / "readonly" / "build", "-p", project)
    assert (readonly.exit_code, readonly.output) == (
        1,
        f"Error: cannot write to {disks / 'readonly' / 'build'}: Read-only file system\n",
    )
    full = run("build", "--format", "html", "--quiet", "--output", disks / "tiny" / "build", "-p", project)
    assert full.exit_code == 1
    assert full.output.startswith(f"Error: cannot write {disks / 'tiny' / 'build'}/")
    assert full.output.endswith(": No space left on device; the previous outputs are unchanged\n")
    assert list((disks / "tiny").iterdir()) == []  # the staging folder is gone, the space is free again


def test_a_stop_signal_whose_interrupt_was_swallowed_still_stops_the_switch(project: Path) -> None:
    # SIGINT can land inside a finaliser, where Python prints "Exception ignored" and goes on: the build
    # must still not switch its outputs in.
    from compendium import output

    assert start_build(project).wait() == 0
    before = outputs(project)
    edit_publication(project, "0.2")
    output._stop_requested.set()
    try:
        with pytest.raises(KeyboardInterrupt):
            output.commit_together([])
    finally:
        output._stop_requested.clear()
    assert outputs(project) == before


def test_an_interrupt_inside_a_string_exec_still_exits_with_code_1(project: Path, tmp_path: Path) -> None:
    # A stop signal may land while a lazily imported module defines a dataclass (an exec() of a string);
    # CPython remembers that under `python -m` and would end the process by SIGINT instead of exit code 1.
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(
        "import compendium.pipeline as p\n"
        "def interrupted(*args, **kwargs):\n"
        "    exec('raise KeyboardInterrupt', {})\n"
        "p.render_pdfs = interrupted\n",
        encoding="utf-8",
    )
    env = os.environ | {"COMPENDIUM_COMMIT": "", "PYTHONPATH": f"{hooks}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    build = subprocess.run(
        [sys.executable, "-m", "compendium", "build", "--quiet", "--no-cache", "--project", str(project)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert (build.returncode, build.stderr.decode()) == (1, "Error: interrupted; the previous outputs are unchanged\n")
    assert staging_folders(project) == []
