"""CI support: `check --format github|json`, the publish workflow and the pre-commit hook."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from compendium.errors import Problem, github_annotation
from tests.base import OK, STORY, THEMES
from tests.conftest import REPO, run


def broken_project(make_project: Callable[..., Path]) -> Path:
    """Make a minimal project with a misspelt theme in its story (line 8) and an unknown key in themes.yaml (line 5)."""
    project = make_project()
    story = project / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("themes: [tillid]", "themes: [tilid]"), encoding="utf-8")
    with (project / THEMES).open("a", encoding="utf-8") as f:
        f.write("foo: 1\n")
    return project


def test_check_github_format_annotates_each_problem(make_project: Callable[..., Path]) -> None:
    project = broken_project(make_project)

    result = run("check", "--format", "github", "--project", project)

    assert result.exit_code == 1
    assert result.output == (
        "::error file=inputs/stories/gaaturen.yaml,line=8,col=10,title=themes[0]::"
        "unknown theme 'tilid' (did you mean 'tillid'?)\n"
        "::error file=inputs/themes.yaml,line=5,col=1,title=foo::unknown field 'foo'; expected one of: themes\n"
        "Error: 2 problems found (0 warnings)\n"
    )


def test_check_github_format_on_good_inputs(make_project: Callable[..., Path]) -> None:
    result = run("check", "--format", "github", "--project", make_project())

    assert result.exit_code == 0
    assert result.output == OK


def test_check_github_format_reports_warnings_and_strict_fails(make_project: Callable[..., Path]) -> None:
    project = make_project()
    themes = project / THEMES
    themes.write_text(themes.read_text(encoding="utf-8") + "  - id: tom\n    title: Tom\n    introduction: x\n")

    result = run("check", "--format", "github", "--project", project)
    assert result.exit_code == 0
    assert result.output == (
        "::warning file=inputs/themes.yaml,line=5,col=9,title=themes[1].id::"
        "theme 'tom' has no content yet; its chapter will be empty\n"
        "OK: 6 files, 2 themes, 1 event, 1 story; 1 warning\n"
    )
    result = run("check", "--strict", "--format", "github", "--project", project)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: 1 problem found (1 warning)"


def test_github_annotation_escapes_what_github_requires() -> None:
    problem = Problem("inputs/a,b:c.yaml", 3, 4, "x.y", "100% wrong\r\nsecond line")

    assert github_annotation(problem) == (
        "::error file=inputs/a%2Cb%3Ac.yaml,line=3,col=4,title=x.y::100%25 wrong%0D%0Asecond line"
    )
    assert github_annotation(Problem("", message="no project")) == "::error::no project"
    assert github_annotation(Problem("f.yaml", message="w", warning=True)) == "::warning file=f.yaml::w"


def test_check_json_format_is_the_documented_shape(make_project: Callable[..., Path]) -> None:
    project = broken_project(make_project)

    result = run("check", "--format", "json", "--project", project)

    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "version": 1,
        "ok": False,
        "problems": [
            {
                "file": "inputs/stories/gaaturen.yaml",
                "line": 8,
                "column": 10,
                "key_path": "themes[0]",
                "message": "unknown theme 'tilid' (did you mean 'tillid'?)",
                "hint": "did you mean 'tillid'?",
                "severity": "error",
            },
            {
                "file": "inputs/themes.yaml",
                "line": 5,
                "column": 1,
                "key_path": "foo",
                "message": "unknown field 'foo'; expected one of: themes",
                "hint": "expected one of: themes",
                "severity": "error",
            },
        ],
        "summary": {"errors": 2, "warnings": 0, "files": None, "themes": None, "events": None, "stories": None},
    }


def test_check_json_format_on_good_inputs_and_outside_a_project(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    result = run("check", "--format", "json", "--project", make_project())
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "version": 1,
        "ok": True,
        "problems": [],
        "summary": {"errors": 0, "warnings": 0, "files": 6, "themes": 1, "events": 1, "stories": 1},
    }

    result = run("check", "--format", "json", "--project", tmp_path)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["problems"] == [
        {
            "file": None,
            "line": None,
            "column": None,
            "key_path": "",
            "message": f"{tmp_path} is not a compendium project: it has no compendium.yaml",
            "hint": None,
            "severity": "error",
        }
    ]


def test_check_text_format_is_unchanged(make_project: Callable[..., Path]) -> None:
    project = broken_project(make_project)

    result = run("check", "--project", project)

    assert result.exit_code == 1
    assert result.output == (
        "inputs/stories/gaaturen.yaml:8:10 themes[0]: unknown theme 'tilid' (did you mean 'tillid'?)\n"
        "inputs/themes.yaml:5:1 foo: unknown field 'foo'; expected one of: themes\n"
        "Error: 2 problems found; nothing was written.\n"
    )


WRITE = {"contents", "packages", "deployments", "pages", "id-token", "actions", "pull-requests", "issues", "statuses"}


def check_trust(workflow: dict[object, object]) -> None:
    """Assert no job that runs a pull request's files can write: the job that may write runs only for a pushed tag, and no code."""
    # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow[True]
    assert isinstance(triggers, dict) and "pull_request_target" not in triggers and "workflow_run" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    for name, job in jobs.items():
        writes = {scope for scope, level in job.get("permissions", {}).items() if level == "write" and scope in WRITE}
        steps = job["steps"]
        for step in steps:
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False, f"{name} leaves its token in .git/config"
        if writes:
            assert job.get("if") == "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/')", name
            assert not any("run" in step or "actions/checkout" in str(step.get("uses", "")) for step in steps), (
                f"{name} may write, so it must not run the repository's code"
            )


def workflow_steps(path: Path) -> list[dict[str, object]]:
    """Parse a workflow, check whom it trusts, and return its build job's steps followed by its release job's."""
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    check_trust(workflow)
    assert set(workflow[True]) == {"pull_request", "push", "workflow_dispatch"}
    assert workflow[True]["push"]["tags"] == ["v*"]
    build, release = workflow["jobs"]["build"], workflow["jobs"]["release"]
    assert build["permissions"] == {"contents": "read"}
    assert release["permissions"] == {"contents": "write"} and release["needs"] == "build"
    return [*build["steps"], *release["steps"]]


def check_publish_steps(steps: list[dict[str, object]]) -> None:
    """Assert the steps check, build, keep the PDFs and release them on tags, in that order."""
    uses = [str(s["uses"]).split("@")[0] for s in steps if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
        "actions/download-artifact",
        "softprops/action-gh-release",
    ]
    runs = [str(s["run"]) for s in steps if "run" in s]
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0" in runs[0]
    assert runs[2:] == ["compendium check --format github", "compendium build"]
    upload, download, release = steps[-3], steps[-2], steps[-1]
    assert upload["with"] == {"name": "publication", "path": "build/*.pdf", "if-no-files-found": "error"}
    assert download["with"] == {"name": "publication", "path": "publication"}
    assert release["with"] == {"files": "publication/*.pdf", "fail_on_unmatched_files": True}
    # Every command the workflow runs exists.
    for command in runs[2:]:
        sub = command.split()[1]
        assert run(sub, "--help").exit_code == 0, sub


def test_a_workflow_that_builds_pull_requests_with_write_permission_is_refused() -> None:
    # The workflow every project had until now: one job, for pull requests too, that may write.
    old = {
        True: {"pull_request": None, "push": {"branches": ["main"]}},
        "permissions": {"contents": "read"},
        "jobs": {"publish": {"permissions": {"contents": "write"}, "steps": [{"run": "compendium build"}]}},
    }
    with pytest.raises(AssertionError, match="publish"):
        check_trust(old)


def test_publish_workflow_of_this_repository() -> None:
    steps = workflow_steps(REPO / ".github" / "workflows" / "publish.yml")
    check_publish_steps(steps)
    assert [s["run"] for s in steps if s.get("name") == "Install compendium from this repository"] == ["pip install ."]


def test_publish_workflow_of_a_new_project(tmp_path: Path) -> None:
    assert run("init", tmp_path / "new").exit_code == 0
    path = tmp_path / "new" / ".github" / "workflows" / "publish.yml"
    steps = workflow_steps(path)
    check_publish_steps(steps)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["env"] == {"COMPENDIUM_PACKAGE": "compendium"}
    assert [s["run"] for s in steps if s.get("name") == "Install compendium"] == ['pip install "$COMPENDIUM_PACKAGE"']


def test_pre_commit_hook_runs_an_existing_command() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    assert hook == {
        "id": "compendium-check",
        "name": "compendium check",
        "description": "Validate the compendium inputs and report every problem with its file and line.",
        "entry": "compendium check",
        "language": "python",
        "pass_filenames": False,
        "files": r"\.(ya?ml|jpe?g|png|webp|gif)$",
    }
    pattern = re.compile(str(hook["files"]))
    assert pattern.search("inputs/stories/gaaturen.yaml") and pattern.search("inputs/photos/forside.jpg")
    assert not pattern.search("README.md")
    # The console script named in the entry is the one pyproject.toml installs.
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'compendium = "compendium.cli:run"' in pyproject
    assert run(*str(hook["entry"]).split()[1:], "--help").exit_code == 0
