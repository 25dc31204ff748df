"""A project's templates/ folder overrides the packaged templates file by file."""

from __future__ import annotations

from pathlib import Path

from tests.base import one
from tests.conftest import run, snapshot


def build_html(project: Path) -> str:
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    return (project / "build" / "compendium.html").read_text(encoding="utf-8")


def test_override_one_file(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "style.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    html = build_html(project)
    assert "body { color: rebeccapurple; }" in html
    assert "Noto Serif" not in html, "the packaged style.css is replaced, not merged"
    assert '<h2 class="chapter-title">Forord</h2>' in html, "the other templates still come from the package"


def test_override_labels(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    packaged = Path(__file__).parent.parent / "compendium" / "templates" / "labels" / "da.yaml"
    text = packaged.read_text(encoding="utf-8").replace("foreword: Forord", "foreword: Indledning")
    (project / "templates" / "labels" / "da.yaml").write_text(text, encoding="utf-8")
    assert '<h2 class="chapter-title">Indledning</h2>' in build_html(project)


def test_broken_template_is_reported_with_its_line(project: Path) -> None:
    build_html(project)
    before = snapshot(project / "build")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "index.html").write_text("<p>\n{% if %}\n", encoding="utf-8")
    result = run("build", "--format", "html", "--project", project, "-q")
    assert result.exit_code == 1
    assert result.output == one(
        "templates/index.html:2 template error: Expected an expression, got 'end of statement block'"
    )
    assert snapshot(project / "build") == before


def test_template_using_an_unknown_name_fails(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "index.html").write_text("{{ publication.titel }}\n", encoding="utf-8")
    result = run("build", "--format", "html", "--project", project, "-q")
    assert result.exit_code == 1
    assert result.output == one(
        "templates/index.html:1 template error: 'compendium.content.model.Publication object' has no attribute 'titel'"
    )


def test_failed_pdf_leaves_previous_outputs_untouched(project: Path) -> None:
    result = run("build", "--only", "debate-paper", "-q", "--project", project)
    assert result.exit_code == 0, result.output
    before = snapshot(project / "build")
    # A template that asks WeasyPrint for a file outside the output folder.
    (project / "templates").mkdir(exist_ok=True)
    base = (Path(__file__).parent.parent / "compendium" / "templates" / "base.html").read_text(encoding="utf-8")
    (project / "templates" / "base.html").write_text(
        base.replace("<body", '<img src="../../../../etc/hostname" alt="x"><body'), encoding="utf-8"
    )
    result = run("build", "--only", "debate-paper", "-q", "--project", project)
    assert result.exit_code == 1
    assert result.output.startswith("Error: debate-paper.pdf: Error fetching")
    assert "refused to fetch file:///etc/hostname" in result.output
    assert snapshot(project / "build") == before
    assert not list(project.glob(".build-staging-*"))


def test_override_a_single_label(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text("foreword: Indledning\n", encoding="utf-8")
    html = build_html(project)
    assert '<h2 class="chapter-title">Indledning</h2>' in html
    assert '<h2 class="chapter-title">Baggrund</h2>' in html, (
        "labels the project does not override come from the package"
    )


def test_project_fonts_replace_packaged_ones(project: Path) -> None:
    packaged = Path(__file__).parent.parent / "compendium" / "templates" / "fonts" / "NotoSans-Bold.ttf"
    (project / "templates" / "fonts").mkdir(parents=True)
    (project / "templates" / "fonts" / "NotoSerif-Regular.ttf").write_bytes(packaged.read_bytes())
    build_html(project)
    assert (project / "build" / "assets" / "fonts" / "NotoSerif-Regular.ttf").read_bytes() == packaged.read_bytes()


def test_files_the_build_did_not_make_are_kept(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets" / "css").mkdir(parents=True)
    (site / "assets" / "css" / "site.css").write_text("keep", encoding="utf-8")
    (site / "notes.txt").write_text("keep", encoding="utf-8")
    result = run("build", "--format", "html", "-q", "--output", site, "--project", project)
    assert result.exit_code == 0, result.output
    assert (site / "assets" / "css" / "site.css").read_text(encoding="utf-8") == "keep"
    assert (site / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_failed_build_does_not_create_the_output_folder(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "index.html").write_text("{{ nothing }}\n", encoding="utf-8")
    result = run("build", "--format", "html", "-q", "--project", project)
    assert result.exit_code == 1
    assert not (project / "build").exists()
    assert sorted(p.name for p in project.iterdir()) == ["compendium.yaml", "inputs", "templates"]


def test_templates_cannot_reach_a_storys_raw_workplace(project: Path) -> None:
    # The first packaged template printed {{ s.workplace }}; a project that copied it must not print
    # the workplace that consent withholds (an anonymous teller's) without a word.
    packaged = (Path(__file__).parent.parent / "compendium" / "templates" / "compendium.html").read_text(
        encoding="utf-8"
    )
    old = packaged.replace("{% if sv.workplace %}{{ sv.workplace }} · {% endif %}", "{{ s.workplace }} · ")
    assert old != packaged
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "compendium.html").write_text(old, encoding="utf-8")
    result = run("build", "--format", "html", "--project", project, "-q")
    assert result.exit_code == 1
    line = old[: old.index("{{ s.workplace }}")].count("\n") + 1
    assert result.output == one(
        f"templates/compendium.html:{line} template error: "
        "'compendium.assemble.context.PrintedStory object' has no attribute 'workplace'"
    )


def test_label_override_with_an_unknown_placeholder_is_an_input_error(project: Path) -> None:
    (project / "templates" / "labels").mkdir(parents=True)
    (project / "templates" / "labels" / "da.yaml").write_text(
        'chart_row: "{tema}: {proposals} forslag"\nanonymous_count: "Andre: {n"\nforeword: "Indledning {x}"\n',
        encoding="utf-8",
    )
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert result.output == (
        "templates/labels/da.yaml:1:12 chart_row: unknown placeholder {tema} (did you mean 'theme'?); "
        "this label can use: {proposals}, {proposals_counted}, {stories}, {stories_counted}, {theme}\n"
        "templates/labels/da.yaml:2:18 anonymous_count: a single '{' or '}'; placeholders are written like {n} "
        "(expected: {n})\n"
        "Error: 2 problems found; nothing was written.\n"
    )
