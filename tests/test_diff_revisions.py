"""How `compendium diff` and `--changes-since` read revisions: one, two, a range, and never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import test_diff
from tests.conftest import run, snapshot
from tests.test_diff import commit, git

# The example project in a git repository with two commits, and git kept from the user's settings.
repo = test_diff.repo
_quiet_git = test_diff._quiet_git

EXAMPLE = "e.g. 'compendium diff HEAD~2..HEAD'"
ONE = "give one revision, e.g. HEAD~1"
UNKNOWN = "give a commit hash, branch or tag, e.g. HEAD~1 (see 'git log --oneline')"


def header(result_output: str) -> str:
    """Return the first line of diff's output."""
    return result_output.split("\n", 1)[0]


def test_a_range_compares_its_two_ends(repo: tuple[Path, str, str]) -> None:
    root, first, second = repo
    ranged = run("diff", "HEAD~1..HEAD", "--project", root)
    two = run("diff", "HEAD~1", "HEAD", "--project", root)
    assert ranged.exit_code == 0, ranged.output
    assert header(ranged.output) == f"Changes from HEAD~1 ({first}, 2026-11-02) to HEAD ({second}, 2026-11-20):"
    assert ranged.output == two.output


def test_a_range_without_an_end_ends_at_head(repo: tuple[Path, str, str]) -> None:
    root, first, second = repo
    result = run("diff", f"{first}..", "--project", root)
    assert result.exit_code == 0, result.output
    assert header(result.output) == f"Changes from {first} ({first}, 2026-11-02) to HEAD ({second}, 2026-11-20):"
    assert "1 added, 1 removed, 1 reworded." in result.output


def test_a_three_dot_range_starts_where_the_branch_forked(repo: tuple[Path, str, str]) -> None:
    root, first, _ = repo
    git(root, "branch", "side", "HEAD~1")
    git(root, "checkout", "-q", "side")
    (root / "inputs/stories/en-god-historie.yaml").write_text(
        (root / "inputs/stories/en-god-historie.yaml").read_text(encoding="utf-8").replace("Det gik godt.", "Det gik."),
        encoding="utf-8",
    )
    side = commit(root, "Side", "2026-11-25T10:00:00+01:00")
    result = run("diff", "main...side", "--project", root)
    assert result.exit_code == 0, result.output
    assert header(result.output) == (
        f"Changes from the fork point of main and side ({first}, 2026-11-02) to side ({side}, 2026-11-25):"
    )
    assert result.output.endswith("0 added, 0 removed, 1 reworded.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["^HEAD"], f"'^HEAD' names a set of commits (git's ^ notation), not one version; {UNKNOWN}"),
        (["HEAD^!"], f"'HEAD^!' names a set of commits (git's ^ notation), not one version; {UNKNOWN}"),
        (["HEAD^@"], f"'HEAD^@' names a set of commits (git's ^ notation), not one version; {UNKNOWN}"),
        (["HEAD^-1"], f"'HEAD^-1' names a set of commits (git's ^ notation), not one version; {UNKNOWN}"),
        (["HEAD~1", "^HEAD"], f"'^HEAD' names a set of commits (git's ^ notation), not one version; {UNKNOWN}"),
        (["HEAD~1..HEAD", "HEAD"], f"give either a range ('HEAD~1..HEAD') or two revisions, not both; {EXAMPLE}"),
        (["HEAD", "HEAD~1..HEAD"], f"'HEAD~1..HEAD' is a range of commits, but one version is needed here; {ONE}"),
        ([".."], "'..' is not a range of two revisions; write it as A..B, e.g. HEAD~2..HEAD"),
        (["a..b..c"], "'a..b..c' is not a range of two revisions; write it as A..B, e.g. HEAD~2..HEAD"),
        (["nope..HEAD"], f"unknown revision 'nope'; {UNKNOWN}"),
        (["HEAD..nope"], f"unknown revision 'nope'; {UNKNOWN}"),
        (["\x00"], f"unknown revision '\\x00'; {UNKNOWN}"),
        (["HEAD\nHEAD~1"], f"unknown revision 'HEAD\\x0aHEAD~1'; {UNKNOWN}"),
        (["HEAD\x1b[2J"], f"unknown revision 'HEAD\\x1b[2J'; {UNKNOWN}"),
        (["HEAD HEAD~1"], f"unknown revision 'HEAD HEAD~1'; {UNKNOWN}"),
        (["--", "--all"], f"unknown revision '--all'; {UNKNOWN}"),
        ([""], f"unknown revision ''; {UNKNOWN}"),
        (["HEAD@{99}"], f"unknown revision 'HEAD@{{99}}'; {UNKNOWN}"),
    ],
)
def test_revisions_that_are_not_one_commit_are_refused_clearly(
    repo: tuple[Path, str, str], args: list[str], message: str
) -> None:
    root, _, _ = repo
    result = run("diff", "--project", root, *args)
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")


@pytest.mark.parametrize("name", ["^HEAD", "HEAD~1..HEAD"])
def test_changes_since_refuses_a_set_of_commits_and_writes_nothing(repo: tuple[Path, str, str], name: str) -> None:
    root, _, _ = repo
    built = run("build", "--format", "html", "-q", "--project", root)
    assert built.exit_code == 0, built.output
    before = snapshot(root / "build")
    result = run("build", "--format", "html", "--changes-since", name, "--project", root)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.output.endswith(("not one version; " + UNKNOWN + "\n", "give one revision, e.g. HEAD~1\n"))
    assert snapshot(root / "build") == before
