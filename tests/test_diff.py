"""`compendium diff` and `build --changes-since` on real git history."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

from compendium.assemble.changes import Piece, word_diff
from compendium.commands.diff import format_pieces
from compendium.content.revision import exported, repository_root, resolve
from tests.conftest import REPO, copy_example, run, snapshot

EVENT_FILE = "inputs/events/2023-midtvest.yaml"


@pytest.fixture(autouse=True)
def _quiet_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep git from reading the user's settings or finding a repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(root: Path, *args: str, date: str = "2026-11-02T10:00:00+01:00") -> str:
    """Run git in a repository with a fixed author and date."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Redaktionen",
        "GIT_AUTHOR_EMAIL": "redaktion@example.org",
        "GIT_COMMITTER_NAME": "Redaktionen",
        "GIT_COMMITTER_EMAIL": "redaktion@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str, date: str) -> str:
    """Commit everything in the working tree and return the short hash."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "--short=7", "HEAD")


def read(path: Path) -> Any:
    """Read a YAML input file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(path: Path, data: Any) -> None:
    """Write a YAML input file."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def seed(root: Path) -> None:
    """Add a named participant, a statement by her and a story, with texts the tests know."""
    people = read(root / "inputs/participants.yaml")
    people["participants"].append({"id": "ole-testesen", "name": "Ole Testesen", "consent": "named"})
    write(root / "inputs/participants.yaml", people)
    event = read(root / EVENT_FILE)
    event["participants"].append("ole-testesen")
    event["statements"].append(
        {
            "id": "ole-om-tid",
            "speaker": "ole-testesen",
            "themes": ["tillid"],
            "text": "Vi har brug for tid til borgerne.",
        }
    )
    write(root / EVENT_FILE, event)
    story = {
        "id": "en-god-historie",
        "title": "En god historie",
        "workplace": "Jobcenter Nørrevang",
        "teller": {"consent": "anonymous"},
        "date": "2026-10-01",
        "themes": ["tillid"],
        "body": "Det gik godt.",
    }
    (root / "inputs/stories/en-god-historie.yaml").write_text(yaml.safe_dump(story, allow_unicode=True), "utf-8")


def edit(root: Path) -> None:
    """Add a proposal, remove the story and reword the statement."""
    event = read(root / EVENT_FILE)
    event["proposals"].append(
        {"id": "mere-tid", "title": "Mere tid til borgerne", "themes": ["tillid"], "summary": "Giv mere tid."}
    )
    event["statements"][-1]["text"] = "Vi har brug for mere tid til de ledige borgere."
    write(root / EVENT_FILE, event)
    (root / "inputs/stories/en-god-historie.yaml").unlink()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, str, str]:
    """An example project with two commits: the seed, then the edit."""
    root = copy_example(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    seed(root)
    first = commit(root, "Første udgave", "2026-11-02T10:00:00+01:00")
    edit(root)
    second = commit(root, "Anden udgave", "2026-11-20T23:30:00+01:00")
    return root, first, second


def test_diff_between_two_revisions(repo: tuple[Path, str, str]) -> None:
    root, first, second = repo
    result = run("diff", "HEAD~1", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD~1 ({first}, 2026-11-02) to HEAD ({second}, 2026-11-20):\n"
        "\n"
        "Proposals: 1 added\n"
        "  + added proposal 'mere-tid' (2023-midtvest): Mere tid til borgerne\n"
        "\n"
        "Statements: 1 reworded\n"
        "  ~ reworded statement 'ole-om-tid' (2023-midtvest): Vi har brug for mere tid til de ledige borgere.\n"
        "      text: Vi har brug for {+mere+} tid til [-borgerne.-]{+de ledige borgere.+}\n"
        "\n"
        "Stories: 1 removed\n"
        "  - removed story 'en-god-historie': En god historie\n"
        "\n"
        "1 added, 1 removed, 1 reworded.\n"
    )


def test_diff_against_the_working_tree(repo: tuple[Path, str, str]) -> None:
    root, _, second = repo
    event = read(root / EVENT_FILE)
    event["wishes"]["keep"][0]["text"] = "Muligheden for at bruge fagligheden"
    event["wishes"]["discard"].append({"text": "Unødige møder", "themes": ["tillid"]})
    write(root / EVENT_FILE, event)
    status = git(root, "status", "--porcelain")
    index = (root / ".git" / "index").read_bytes()
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD ({second}, 2026-11-20) to the working tree:\n"
        "\n"
        "Wishes to keep: 1 reworded\n"
        "  ~ reworded in 2023-midtvest: Muligheden for at bruge fagligheden\n"
        "      text: Muligheden for at [-få-]{+bruge+} fagligheden [-i spil-]\n"
        "\n"
        "Wishes to get rid of: 1 added\n"
        "  + added in 2023-midtvest: Unødige møder\n"
        "\n"
        "1 added, 0 removed, 1 reworded.\n"
    )
    # Read-only: neither the working tree nor the index changed.
    assert git(root, "status", "--porcelain") == status
    assert (root / ".git" / "index").read_bytes() == index


def test_diff_with_no_changes(repo: tuple[Path, str, str]) -> None:
    root, _, second = repo
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD ({second}, 2026-11-20) to the working tree:\n\nNo changes to any printed text.\n"
    )


def test_diff_colours_on_request(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    result = run("diff", "HEAD~1", "HEAD", "--color", "always", "--project", root)
    assert "      text: Vi har brug for \033[32mmere\033[0m tid til \033[31;9mborgerne.\033[0m \033[32mde ledige" in (
        result.output
    )


def test_diff_outside_git(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "plain")
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {root} is not in a git repository; comparing revisions needs the project's git history\n"
    )


@pytest.mark.parametrize("name", ["xyz", "HEAD~5", "main:inputs"])
def test_diff_unknown_revision(repo: tuple[Path, str, str], name: str) -> None:
    root, _, _ = repo
    result = run("diff", name, "--project", root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: unknown revision '{name}'; give a commit hash, branch or tag, e.g. HEAD~1 (see 'git log --oneline')\n"
    )


def test_diff_reports_an_invalid_old_revision(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    story = root / "inputs/stories/brugerbestyrelsen-og-brevene.yaml"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    broken = commit(root, "Stavefejl", "2026-11-21T09:00:00+01:00")
    story.write_text(good, encoding="utf-8")
    commit(root, "Rettet", "2026-11-21T10:00:00+01:00")
    result = run("diff", "HEAD~1", "--project", root)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(good.splitlines(), 1) if text.startswith("title:"))
    assert result.output == (
        f"{broken}:inputs/stories/brugerbestyrelsen-og-brevene.yaml:{line}:1 titel: "
        "unknown field 'titel' (did you mean 'title'?)\n"
        f"Error: the inputs at revision 'HEAD~1' ({broken}) are not valid (1 problem), so they cannot be compared\n"
    )


def test_diff_before_the_project_existed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("Kommer snart\n", encoding="utf-8")
    empty = commit(root, "Start", "2026-10-01T10:00:00+02:00")
    copy_example(root)
    commit(root, "Projektet", "2026-11-01T10:00:00+01:00")
    result = run("diff", "HEAD~1", "--project", root)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the project has no compendium.yaml at revision 'HEAD~1' ({empty}); it did not exist yet there\n"
    )


def appendix(root: Path) -> str:
    """Return the changes appendix of a built compendium."""
    html = (root / "build" / "compendium.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="chapter appendix changes"') :]
    return section[: section.index("</section>")]


def test_changes_appendix_in_the_html(repo: tuple[Path, str, str]) -> None:
    root, first, _ = repo
    before = snapshot(root / "inputs")
    result = run("build", "--changes-since", "HEAD~1", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    assert snapshot(root / "inputs") == before
    html = (root / "build" / "compendium.html").read_text(encoding="utf-8")
    assert '<li><a data-page="side" href="#appendix-changes">Bilag D. Ændringer siden 2. november 2026</a></li>' in html
    assert "del { color" in html, "the appendix's style comes with it"
    section = appendix(root)
    assert section.startswith(
        '<section class="chapter appendix changes" id="appendix-changes" data-chunk>\n'
        '  <h2 class="chapter-title">Bilag D. Ændringer siden 2. november 2026</h2>\n'
        "  <p>Her er de tekster, der er tilføjet, fjernet eller omformuleret siden "
        f"udgaven fra 2. november 2026 (commit {first}), også dem, der er taget ud, fordi et samtykke er ændret. "
        "Slettet tekst er streget over, ny tekst er understreget.</p>\n"
    )
    assert (
        '<span class="change-action">Tilføjet:</span>\n<a class="xref" data-page="side" href="#proposal-mere-tid">Mere tid til borgerne</a>'
        in section
    )
    assert '<span class="change-action">Fjernet:</span>\nEn god historie' in section
    assert (
        "<dt>Tekst</dt><dd>Vi har brug for <ins>mere</ins> tid til <del>borgerne.</del> <ins>de ledige borgere.</ins></dd>"
        in section
    )
    other = (root / "build" / "debate-paper.html").read_text(encoding="utf-8")
    assert "appendix-changes" not in other


def test_changes_appendix_withholds_names_from_old_text(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    event = read(root / EVENT_FILE)
    event["statements"][-1]["text"] = "Ole Testesen siger: tid er vigtigt."
    write(root / EVENT_FILE, event)
    commit(root, "Med navn", "2026-11-21T10:00:00+01:00")
    # Ole withdraws consent to his name: the struck-out old text must not print it again.
    people = read(root / "inputs/participants.yaml")
    people["participants"][-1]["consent"] = "role-only"
    write(root / "inputs/participants.yaml", people)
    event["statements"][-1]["text"] = "En deltager siger: tid er vigtigt."
    write(root / EVENT_FILE, event)
    result = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    section = appendix(root)
    assert "<dd><del>[navn udeladt]</del> <ins>En deltager</ins> siger: tid er vigtigt.</dd>" in section
    assert "Testesen" not in (root / "build" / "compendium.html").read_text(encoding="utf-8")


def test_build_changes_since_unknown_revision_writes_nothing(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    result = run("build", "--changes-since", "nope", "--format", "html", "--project", root)
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: unknown revision 'nope'; give a commit hash, branch or tag, e.g. HEAD~1 (see 'git log --oneline')\n"
    )
    assert not (root / "build").exists()


def test_word_diff_keeps_context_around_changes() -> None:
    old = "en to tre fire fem seks syv otte ni ti elleve tolv tretten fjorten femten seksten"
    new = old.replace("ni", "NI")
    assert format_pieces(word_diff(old, new, context=2)) == "… syv otte [-ni-]{+NI+} ti elleve …"
    assert word_diff("a  b\nc", "a b c") == (Piece("=", "a b c"),)


def test_changes_appendix_after_consent_is_withdrawn(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    story = read(root / "inputs/stories/borgerraadgiveren.yaml")
    people = read(root / "inputs/participants.yaml")
    people["participants"][-1]["consent"] = "withdrawn"
    write(root / "inputs/participants.yaml", people)
    story["teller"]["consent"] = "withdrawn"
    write(root / "inputs/stories/borgerraadgiveren.yaml", story)
    result = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    section = appendix(root)
    assert (
        '<span class="change-action">Fjernet:</span>\n'
        "Et udsagn fra Møde om fremtidens beskæftigelsesindsats i HK Kommunal MidtVest er fjernet."
    ) in section
    assert '<span class="change-action">Fjernet:</span>\nEn historie er taget ud af kompendiet.' in section
    assert "ledige borgere" not in section and story["title"] not in section


def test_a_revision_is_exported_without_symlinks(repo: tuple[Path, str, str], tmp_path: Path) -> None:
    root, _, _ = repo
    (tmp_path / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    (root / "inputs/stories/secret.yaml").symlink_to(tmp_path / "secret.yaml")
    commit(root, "Symlink", "2026-11-22T10:00:00+01:00")
    revision = resolve(repository_root(root), "HEAD")
    with exported(root, revision) as folder:
        assert not (folder / "inputs/stories/en-god-historie.yaml").exists()  # removed in the second commit
        assert (folder / "inputs/stories/borgerraadgiveren.yaml").is_file()
        assert not (folder / "inputs/stories/secret.yaml").exists()
        assert not list(folder.rglob(".git"))


def test_diff_of_a_project_in_a_subfolder(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    root = copy_example(top / "docs" / "kompendium")
    git(top, "init", "-q")
    first = commit(top, "Første udgave", "2026-11-02T10:00:00+01:00")
    event = read(root / EVENT_FILE)
    event["wishes"]["discard"][0]["text"] = "Færre proceskrav"
    write(root / EVENT_FILE, event)
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD ({first}, 2026-11-02) to the working tree:\n"
        "\n"
        "Wishes to get rid of: 1 reworded\n"
        "  ~ reworded in 2023-midtvest: Færre proceskrav\n"
        "      text: [-Proceskrav-]{+Færre proceskrav+}\n"
        "\n"
        "0 added, 0 removed, 1 reworded.\n"
    )


def test_diff_reports_an_invalid_working_tree(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    story = root / "inputs/stories/borgerraadgiveren.yaml"
    story.write_text(story.read_text(encoding="utf-8").replace("consent: role-only", "consent: maybe"), "utf-8")
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 1
    assert result.output.endswith(
        "Error: the inputs in the working tree are not valid (1 problem), so they cannot be compared\n"
    )
    assert result.output.startswith("inputs/stories/borgerraadgiveren.yaml:"), result.output


def test_changes_since_warns_when_an_old_template_leaves_the_appendix_out(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    template = (REPO / "compendium/templates/compendium.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/compendium.html").write_text(
        template.replace('{% if changes %}{% include "_changes.html" %}{% endif %}', ""), encoding="utf-8"
    )
    result = run("build", "--changes-since", "HEAD~1", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    assert (
        "compendium.html: warning: --changes-since made no appendix, as the compendium template does not include it; "
        'add {% if changes %}{% include "_changes.html" %}{% endif %} to templates/compendium.html\n'
    ) in result.output


def test_changes_appendix_in_the_pdf(repo: tuple[Path, str, str]) -> None:
    root, first, _ = repo
    result = run("build", "--changes-since", "HEAD~1", "--only", "compendium", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    reader = PdfReader(root / "build" / "compendium.pdf")
    last = reader.pages[-1].extract_text()
    assert "Bilag D. Ændringer siden 2. november 2026" in last
    assert f"(commit {first})" in last
    # The added proposal is linked with its page number, as cross-references are in print.
    page = next(
        n
        for n, p in enumerate(reader.pages, 1)
        if "Mere tid til borgerne" in p.extract_text() and p is not reader.pages[-1]
    )
    assert f"Mere tid til borgerne (side {page})" in " ".join(last.split())
    chapters = [item.title for item in reader.outline if not isinstance(item, list)]
    assert chapters[-1] == "Bilag D. Ændringer siden 2. november 2026"


def _name_ole_in_a_proposal(root: Path, name: str, summary: str) -> None:
    """Give Ole a middle name and have the proposal's summary name him; commit it."""
    people = read(root / "inputs/participants.yaml")
    people["participants"][-1]["name"] = name
    write(root / "inputs/participants.yaml", people)
    event = read(root / EVENT_FILE)
    event["proposals"][-1]["summary"] = summary
    write(root / EVENT_FILE, event)
    commit(root, "Med navn", "2026-11-21T10:00:00+01:00")


def test_changes_appendix_withholds_a_withdrawn_name_in_the_genitive_and_a_middle_name(
    repo: tuple[Path, str, str],
) -> None:
    root, _, _ = repo
    _name_ole_in_a_proposal(root, "Ole Bjerregaard Testesen", "Testesens forslag: giv Bjerregaard mere tid.")
    people = read(root / "inputs/participants.yaml")
    people["participants"][-1]["consent"] = "withdrawn"
    write(root / "inputs/participants.yaml", people)
    event = read(root / EVENT_FILE)
    event["proposals"][-1]["summary"] = "Forslaget: giv alle mere tid."
    write(root / EVENT_FILE, event)
    result = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    # The old redaction matched whole names only: "Testesens" reached the appendix, and the leak check refused it.
    assert result.exit_code == 0, result.output
    section = appendix(root)
    assert "<del>[navn udeladt] forslag:</del> <ins>Forslaget:</ins> giv <del>[navn udeladt]</del>" in section
    html = (root / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Testesen" not in html and "Bjerregaard" not in html


def test_changes_appendix_withholds_the_middle_name_of_someone_removed(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    _name_ole_in_a_proposal(root, "Ole Bjerregaard Testesen", "Giv Bjerregaard mere tid.")
    # Ole leaves the project altogether; the leak check no longer knows his name, so the redaction must.
    people = read(root / "inputs/participants.yaml")
    people["participants"].pop()
    write(root / "inputs/participants.yaml", people)
    event = read(root / EVENT_FILE)
    event["participants"].remove("ole-testesen")
    event["statements"].pop()
    event["proposals"][-1]["summary"] = "Giv alle mere tid."
    write(root / EVENT_FILE, event)
    result = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert result.exit_code == 0, result.output
    assert "Giv <del>[navn udeladt]</del> <ins>alle</ins> mere tid." in appendix(root)
    assert "Bjerregaard" not in (root / "build" / "compendium.html").read_text(encoding="utf-8")


def _reword_every_kind_of_text(root: Path) -> None:
    """Change a word or two in each kind of printed text that is neither a proposal, statement, story nor wish."""
    publication = read(root / "inputs/publication.yaml")
    publication["foreword"] = "Forord: " + publication["foreword"]
    main = publication["debate_paper"]["main_message"]
    publication["debate_paper"]["main_message"] = main.replace("**borgeren i centrum**", "**borgeren i midten**")
    publication["sources"][0]["title"] += " (rettet)"
    write(root / "inputs/publication.yaml", publication)
    themes = read(root / "inputs/themes.yaml")
    themes["themes"][0]["questions"][0] = "Hvordan ser et godt møde ud?"
    write(root / "inputs/themes.yaml", themes)
    figures = read(root / "inputs/key-figures.yaml")
    figures["key_figures"][1]["value"] = "4 mia. kr."
    write(root / "inputs/key-figures.yaml", figures)
    event = read(root / EVENT_FILE)
    event["method"] = event["method"].replace(" ", "  ", 1) + "Tilføjet."
    event["photos"][0]["caption"] = event["photos"][0]["caption"].replace("oplæg", "et oplæg")
    event["practice_examples"][0]["points"][1] = "Vejledningen tager udgangspunkt i borgeren."
    write(root / EVENT_FILE, event)


def test_diff_and_the_appendix_cover_every_printed_text(repo: tuple[Path, str, str]) -> None:
    root, _, second = repo
    _reword_every_kind_of_text(root)
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD ({second}, 2026-11-20) to the working tree:\n"
        "\n"
        "Publication: 1 reworded\n"
        "  ~ reworded publication: Et nyt beskæftigelsessystem\n"
        "      foreword: {+Forord:+} Beskæftigelsesindsatsen står foran store forandringer. Der …\n"
        "      debate_paper.main_message: Et nyt beskæftigelsessystem skal have **borgeren i [-centrum**-]{+midten**+} og bygge på **tillid** – både …\n"
        "\n"
        "Sources: 1 reworded\n"
        "  ~ reworded source 'artikel-2021-amager': Artikel om workshoppen på Amager om et nyt …\n"
        "      title: Artikel om workshoppen på Amager om et nyt beskæftigelsessystem {+(rettet)+}\n"
        "\n"
        "Themes: 1 reworded\n"
        "  ~ reworded theme 'tillid': Tillid\n"
        "      questions: Hvordan ser et {+godt+} møde [-mellem borger og jobcenter ud, når det bygger på tillid frem for kontrol?-]{+ud?+} Hvad skal der til, for at …\n"
        "\n"
        "Key figures: 1 reworded\n"
        "  ~ reworded key figure 'besparelse-frem-mod-2030': Skal spares på beskæftigelsesområdet frem mod 2030\n"
        "      value: [-3-]{+4+} mia. kr.\n"
        "\n"
        "Events: 1 reworded\n"
        "  ~ reworded event '2023-midtvest': Møde om fremtidens beskæftigelsesindsats i HK Kommunal …\n"
        "      method: … ny betoning af beskæftigelsesindsatsen, herunder JobFirst-metoden. {+Tilføjet.+}\n"
        "\n"
        "Photos: 1 reworded\n"
        "  ~ reworded in 2023-midtvest: Pladsholderbillede: Karina Sørensen i gang med at holde et …\n"
        "      caption: Pladsholderbillede: Karina Sørensen i gang med at holde {+et+} oplæg foran PowerPoints.\n"
        "\n"
        "Practice examples: 1 reworded\n"
        "  ~ reworded practice example 'jobcenter-holstebro' (2023-midtvest): Fire indsatser i Jobcenter Holstebro\n"
        "      points: … skal sættes i fokus (uagtet målgruppe). [-Guidningen og vejledningen-]{+Vejledningen+} tager udgangspunkt i [-borgerens evne til og mulighed for at leve et selvforsørget liv.-]{+borgeren.+} Borgeren skal understøttes i at bevare …\n"
        "\n"
        "0 added, 0 removed, 7 reworded.\n"
    )
    built = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert built.exit_code == 0, built.output
    section = appendix(root)
    titles = re.findall(r"<h3>(.*?)</h3>", section)
    assert titles == [
        "Publikationen",
        "Kilder",
        "Temaer",
        "Nøgletal",
        "Arrangementer",
        "Fotos",
        "Eksempler fra praksis",
    ]
    assert "<dt>Forord</dt><dd><ins>Forord:</ins> Beskæftigelsesindsatsen står foran store forandringer. Der" in section
    assert "<dt>Tal</dt><dd><del>3</del> <ins>4</ins> mia. kr.</dd>" in section
    assert (
        "<dt>Billedtekst</dt><dd>Pladsholderbillede: Karina Sørensen i gang med at holde <ins>et</ins> oplæg "
        "foran PowerPoints.</dd>"
    ) in section
    # diff and the appendix list the same changes: one per item diff names.
    assert section.count('<li class="change change-reworded">') == 7


def _withdraw_ole(root: Path) -> None:
    """Ole, who made a statement at the second revision, withdraws consent."""
    people = read(root / "inputs/participants.yaml")
    people["participants"][-1]["consent"] = "withdrawn"
    write(root / "inputs/participants.yaml", people)


def _correct_an_anonymous_tellers_workplace(root: Path) -> None:
    """An anonymous teller's story, the only one at its workplace, is committed; then its workplace is corrected."""
    story = {
        "id": "en-anden-historie",
        "title": "En anden historie",
        "workplace": "Jobcenter Fjernvig",
        "teller": {"consent": "anonymous"},
        "date": "2026-10-01",
        "themes": ["tillid"],
        "body": "Det gik godt.",
    }
    path = root / "inputs/stories/en-anden-historie.yaml"
    path.write_text(yaml.safe_dump(story, allow_unicode=True), "utf-8")
    commit(root, "Historie", "2026-11-21T10:00:00+01:00")
    story["workplace"] = "Jobcenter Nærvig"
    path.write_text(yaml.safe_dump(story, allow_unicode=True), "utf-8")


def _delete_a_withdrawn_tellers_story(root: Path) -> None:
    """Ole tells a story, committed; then he withdraws consent and the story file is deleted too."""
    story = {
        "id": "oles-historie",
        "title": "Da Oles kollega fik ret",
        "workplace": "Jobcenter Nørrevang",
        "teller": {"participant": "ole-testesen"},
        "date": "2026-10-01",
        "themes": ["tillid"],
        "body": "Det gik godt.",
    }
    path = root / "inputs/stories/oles-historie.yaml"
    path.write_text(yaml.safe_dump(story, allow_unicode=True), "utf-8")
    commit(root, "Oles historie", "2026-11-21T10:00:00+01:00")
    _withdraw_ole(root)
    path.unlink()


def _erase_someone_named_in_an_event_title(root: Path) -> None:
    """An event's title names Ole (named then); then Ole is erased from the project and the title reworded."""
    event = read(root / EVENT_FILE)
    event["title"] = "Møde med Ole Testesen i MidtVest"
    write(root / EVENT_FILE, event)
    commit(root, "Titel", "2026-11-21T10:00:00+01:00")
    people = read(root / "inputs/participants.yaml")
    people["participants"].pop()
    write(root / "inputs/participants.yaml", people)
    event["title"] = "Møde i MidtVest"
    event["participants"].remove("ole-testesen")
    event["statements"].pop()
    write(root / EVENT_FILE, event)


def test_diff_and_the_appendix_report_a_quote_consent_took_out(repo: tuple[Path, str, str]) -> None:
    root, _, second = repo
    _withdraw_ole(root)
    result = run("diff", "HEAD", "--project", root)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Changes from HEAD ({second}, 2026-11-20) to the working tree:\n"
        "\n"
        "Statements: 1 removed\n"
        "  - removed statement 'ole-om-tid' (2023-midtvest): (left out: its person withdrew consent or left the project)\n"
        "\n"
        "0 added, 1 removed, 0 reworded.\n"
    )
    built = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert built.exit_code == 0, built.output
    section = appendix(root)
    assert section.count('<li class="change change-removed">') == 1
    assert "Et udsagn fra Møde om fremtidens beskæftigelsesindsats i HK Kommunal MidtVest er fjernet." in section
    assert "borgere" not in section


def test_an_anonymous_tellers_corrected_workplace_is_printed_nowhere(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    _correct_an_anonymous_tellers_workplace(root)
    result = run("diff", "HEAD", "--project", root)
    assert result.output.endswith("\nNo changes to any printed text.\n"), result.output
    built = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert built.exit_code == 0, built.output
    html = (root / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Fjernvig" not in html and "Nærvig" not in html
    assert '<p class="empty">Der er ingen ændringer i teksterne.</p>' in appendix(root)


def test_a_withdrawn_tellers_deleted_story_is_listed_without_its_title(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    _delete_a_withdrawn_tellers_story(root)
    result = run("diff", "HEAD", "--project", root)
    assert "  - removed story 'oles-historie': (left out: its person withdrew consent or left the project)\n" in (
        result.output
    )
    assert "Oles kollega" not in result.output
    built = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert built.exit_code == 0, built.output
    section = appendix(root)
    assert '<span class="change-action">Fjernet:</span>\nEn historie er taget ud af kompendiet.' in section
    assert "Oles kollega" not in (root / "build" / "compendium.html").read_text(encoding="utf-8")


def test_the_name_of_someone_erased_is_withheld_from_every_old_text(repo: tuple[Path, str, str]) -> None:
    root, _, _ = repo
    _erase_someone_named_in_an_event_title(root)
    result = run("diff", "HEAD", "--project", root)
    assert "      title: Møde [-med [name withheld]-] i MidtVest\n" in result.output
    assert "Testesen" not in result.output
    built = run("build", "--changes-since", "HEAD", "--format", "html", "--quiet", "--project", root)
    assert built.exit_code == 0, built.output
    section = appendix(root)
    assert "<dt>Titel</dt><dd>Møde <del>med [navn udeladt]</del> i MidtVest</dd>" in section
    assert "Testesen" not in (root / "build" / "compendium.html").read_text(encoding="utf-8")


def test_a_statement_from_no_event_is_compared_and_its_removal_said_without_an_event(tmp_path: Path) -> None:
    from tests.base import write_project

    root = write_project(tmp_path / "project")
    press = root / "inputs" / "statements" / "udgiveren.yaml"
    press.parent.mkdir(parents=True)
    statement = "  - id: {}\n    publisher: true\n    themes: [tillid]\n    text: Vores egne ord.\n"
    press.write_text("id: udgiveren\nstatements:\n" + statement.format("os") + statement.format("os-2"), "utf-8")
    git(root, "init", "-q")
    commit(root, "one", "2026-11-02T10:00:00+01:00")
    press.write_text("id: udgiveren\nstatements:\n" + statement.format("os").replace("egne", "helt egne"), "utf-8")

    result = run("diff", "HEAD", "--color", "never", "--project", root)
    assert result.exit_code == 0, result.output
    assert "  ~ reworded statement 'os': Vores helt egne ord.\n      text: Vores {+helt+} egne ord.\n" in result.output
    assert "  - removed statement 'os-2': Vores egne ord.\n" in result.output
    assert run("build", "--format", "html", "-q", "--changes-since", "HEAD", "--project", root).exit_code == 0
    html = (root / "build" / "compendium.html").read_text(encoding="utf-8")
    assert "Et udsagn er fjernet." in html and "None" not in html
