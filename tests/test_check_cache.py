"""`check` after a build prints the build's own check of the same files, and looks again after any change."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

import compendium
from compendium import cli
from compendium import pipeline as build
from tests.conftest import run, snapshot

PARTICIPANTS = Path("inputs/participants.yaml")
STORY = Path("inputs/stories/borgerraadgiveren.yaml")
UNUSED = "  - id: ubrugt-deltager\n    role: Konsulent\n    consent: anonymous\n"


def with_warnings(project: Path) -> Path:
    """Give the example two warnings of different kinds: an unused participant and a stray file."""
    path = project / PARTICIPANTS
    path.write_text(path.read_text(encoding="utf-8") + UNUSED, encoding="utf-8")
    (project / "inputs" / "gemt").mkdir()
    (project / "inputs" / "gemt" / "gammel.yaml").write_text("x: 1\n", encoding="utf-8")
    return project


def fresh(project: Path, *args: str) -> Result:
    """Check with no cache folder, as on a new checkout."""
    cache, away = project / ".build-cache", project.parent / "away"
    if cache.exists():
        cache.rename(away)
    try:
        return run("check", "--project", project, *args)
    finally:
        if away.exists():
            away.rename(cache)


def shown(result: Result) -> tuple[int, str, str]:
    """Return what a user sees of a command: exit code, stdout and stderr."""
    return result.exit_code, result.stdout, result.stderr


def no_fresh_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a fresh check fail the test, to show the stored one was used."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("checked afresh")

    monkeypatch.setattr(build, "validate", refuse)


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "github")])
def test_check_after_a_build_prints_what_a_fresh_check_prints(
    project: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    with_warnings(project)
    expected = shown(fresh(project, *args))
    assert "warning" in expected[1] + expected[2]
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    no_fresh_check(monkeypatch)
    assert shown(run("check", "--project", project, *args)) == expected


def test_strict_check_refuses_the_stored_warnings(project: Path) -> None:
    with_warnings(project)
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    expected = shown(fresh(project, "--strict"))
    assert expected[0] == 1
    assert expected[2].endswith(
        "Error: 2 problems found (2 of them warnings, which --strict treats as errors); nothing was written.\n"
    )
    assert shown(run("check", "--strict", "--project", project)) == expected
    assert shown(run("check", "--strict", "--format", "json", "--project", project)) == shown(
        fresh(project, "--strict", "--format", "json")
    )


def test_check_writes_nothing(project: Path) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = snapshot(project)
    assert run("check", "--project", project).exit_code == 0
    assert snapshot(project) == before


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _unknown_theme(project: Path) -> None:
    _replace(project / STORY, "themes: [", "themes: [ukendt-tema, ")


def _broken_template(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "index.html").write_text("{% if %}\n", encoding="utf-8")


def _unknown_label(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True, exist_ok=True)
    (project / "templates" / "labels" / "da.yaml").write_text("ukendt_etiket: x\n", encoding="utf-8")


def _broken_photo(project: Path) -> None:
    (project / "inputs" / "photos" / "forside.jpg").write_bytes(b"not a photo")


def _stray_file(project: Path) -> None:
    (project / "inputs" / "kladder").mkdir()
    (project / "inputs" / "kladder" / "x.yaml").write_text("x: 1\n", encoding="utf-8")


def _placeholder(project: Path) -> None:
    _replace(project / STORY, "title: ", "title: 'UDFYLD: titel' #")


def _other_inputs_folder(project: Path) -> None:
    (project / "inputs").rename(project / "indhold")
    _replace(project / "compendium.yaml", "inputs: inputs", "inputs: indhold")


@pytest.mark.parametrize(
    "change",
    [_unknown_theme, _broken_template, _unknown_label, _broken_photo, _stray_file, _placeholder],
)
def test_any_change_makes_check_look_again(project: Path, change: Callable[[Path], None]) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    before = shown(run("check", "--project", project))
    change(project)
    expected = shown(fresh(project))
    assert expected != before
    assert shown(run("check", "--project", project)) == expected


def test_a_moved_inputs_folder_makes_check_look_again(project: Path) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    _other_inputs_folder(project)
    _replace(project / "indhold" / "stories" / STORY.name, "themes: [", "themes: [ukendt-tema, ")
    expected = shown(fresh(project))
    assert "indhold/stories/borgerraadgiveren.yaml:13:" in expected[2]
    assert shown(run("check", "--project", project)) == expected


def test_a_new_version_of_the_tool_checks_afresh(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    monkeypatch.setattr(compendium, "__version__", "99.0.0")
    no_fresh_check(monkeypatch)
    result = run("check", "--project", project)
    assert result.stderr == "Error: internal error: AssertionError: checked afresh (run with --debug for details)\n"


def test_plain_check_runs_without_typer(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_warnings(project)
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    expected = fresh(project, "--format", "json")
    no_fresh_check(monkeypatch)
    monkeypatch.setattr(cli, "app", None)  # the quick path must not need it
    monkeypatch.setattr(sys, "argv", ["compendium", "check", "--format=json", "-p", str(project)])
    cli.run()
    out, err = capsys.readouterr()
    assert (out, err) == (expected.stdout, expected.stderr)


@pytest.mark.parametrize(
    ("args", "plain"),
    [
        ([], True),
        (["--strict", "--project", "x", "--format", "json", "--debug"], True),
        (["-p=x", "--format=github"], True),
        (["--help"], False),
        (["--strict", "--strict"], False),
        (["--strict=yes"], False),
        (["--format", "xml"], False),
        (["--format"], False),
        (["--project", ""], False),
        (["--project", "--strict"], False),
        (["extra"], False),
    ],
)
def test_only_plain_check_options_take_the_quick_path(args: list[str], plain: bool) -> None:
    assert (cli._check_options(args) is not None) == plain


@pytest.mark.parametrize("change", [_unknown_theme, _placeholder, _stray_file])
def test_check_after_a_change_reads_only_the_changed_files_again(project: Path, change: Callable[[Path], None]) -> None:
    # The last build's parsed files are used, read only: the result is a fresh check's, and nothing is written.
    with_warnings(project)
    assert run("build", "--format", "html", "--quiet", "--project", project).exit_code == 0
    change(project)
    before = snapshot(project)
    assert shown(run("check", "--project", project)) == shown(fresh(project))
    assert shown(run("check", "--strict", "--project", project)) == shown(fresh(project, "--strict"))
    assert snapshot(project) == before


@pytest.mark.parametrize("during", ["added", "removed"])
def test_a_file_added_or_removed_during_a_build_makes_check_look_again(
    project: Path, monkeypatch: pytest.MonkeyPatch, during: str
) -> None:
    story = project / "inputs" / "stories" / "ny.yaml" if during == "added" else project / STORY
    render_html = build.render_html

    def meanwhile(*args: object, **kwargs: object) -> object:
        # The editor saves (or deletes) a story while the build renders: the build did not read it as it is now.
        if during == "added":
            story.write_text("id: ny\ntitle: Ny\nthemes: [tilid]\n", encoding="utf-8")
        else:
            story.unlink()
        return render_html(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "render_html", meanwhile)
    assert run("build", "--format", "html", "--project", project).exit_code == 0
    monkeypatch.undo()
    assert shown(run("check", "--project", project)) == shown(fresh(project))
