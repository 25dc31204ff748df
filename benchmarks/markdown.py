"""Write a project's content as one Markdown document per output document, for the pandoc baseline.

    python -m benchmarks.markdown PROJECT OUTDIR

The Markdown holds what the tool prints: for the compendium the foreword,
background, key figures, one chapter per theme (introduction, questions,
statements, proposals, wishes, practice examples), the events with their
photos, every story with its photo, and the sources and participants; for the
debate paper the main message, its key figures, each theme's highlighted
statements, debate proposals and questions, and the call to action. Names are
printed only with consent 'named', as the tool does. Image paths are relative
to the project folder, so run pandoc there.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml


def load(project: Path) -> dict[str, Any]:
    """Read the inputs as plain data: registries by name, events and stories as lists."""
    inputs = project / "inputs"

    def read(path: Path) -> Any:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    return {
        "publication": read(inputs / "publication.yaml"),
        "themes": read(inputs / "themes.yaml")["themes"],
        "participants": {p["id"]: p for p in read(inputs / "participants.yaml")["participants"]},
        "key_figures": read(inputs / "key-figures.yaml")["key_figures"],
        "events": [read(f) for f in sorted((inputs / "events").glob("*.yaml"))],
        "stories": [read(f) for f in sorted((inputs / "stories").glob("*.yaml"))],
    }


def who(person: dict[str, Any]) -> str:
    """Describe a person as their consent allows."""
    if person.get("consent") == "named" and person.get("name"):
        return ", ".join(x for x in (person["name"], person.get("role"), person.get("workplace")) if x)
    if person.get("consent") == "role-only":
        return ", ".join(x for x in (person.get("role"), person.get("workplace")) if x) or "En deltager"
    return "En deltager"


def photo(item: dict[str, Any]) -> str:
    """An image with its caption as Markdown."""
    credit = f" Foto: {item['credit']}" if item.get("credit") else ""
    return f"![{item['caption']}{credit}]({item['file']})\n"


def figures(data: dict[str, Any], debate: bool) -> list[str]:
    """The key figures as a list."""
    return [
        f"- **{f['value']}** – {f['label']}" + (f" ({f['note']})" if f.get("note") else "")
        for f in data["key_figures"]
        if not debate or f.get("debate_paper", True)
    ]


def compendium(data: dict[str, Any]) -> str:
    """The compendium as one Markdown document."""
    pub, people = data["publication"], data["participants"]
    out = [f'---\ntitle: "{pub["title"]}"\nsubtitle: "{pub.get("subtitle", "")}"\nlang: da\n---\n']
    if pub.get("cover_photo"):
        out.append(photo(pub["cover_photo"]))
    out += ["# Forord\n", pub["foreword"], "# Baggrund\n", pub["background"], "# Nøgletal\n", *figures(data, False), ""]
    statements = [s for e in data["events"] for s in e.get("statements", [])]
    proposals = [p for e in data["events"] for p in e.get("proposals", [])]
    examples = [x for e in data["events"] for x in e.get("practice_examples", [])]
    keep = [w for e in data["events"] for w in e.get("wishes", {}).get("keep", [])]
    discard = [w for e in data["events"] for w in e.get("wishes", {}).get("discard", [])]
    for theme in data["themes"]:
        tid = theme["id"]
        out += [f"# {theme['title']}\n", theme["introduction"]]
        out += ["## Spørgsmål til debat\n", *[f"- {q}" for q in theme.get("questions", [])], ""]
        out.append("## Udsagn\n")
        for s in statements:
            if tid in s["themes"]:
                out.append(f"> {s['text']}\n>\n> — {who(people[s['speaker']])}\n")
        out.append("## Forslag\n")
        for p in proposals:
            if p["themes"][0] == tid:
                out += [f"### {p['title']}\n", f"*Status: {p.get('status', 'proposed')}*\n", p["summary"]]
                out.append(p.get("rationale", ""))
        out += ["## Det vil vi bevare\n", *[f"- {w['text']}" for w in keep if tid in w["themes"]], ""]
        out += ["## Det vil vi af med\n", *[f"- {w['text']}" for w in discard if tid in w["themes"]], ""]
        for x in examples:
            if tid in x["themes"]:
                out += [f"## {x['title']}\n", f"*{x['organisation']}*\n", x.get("introduction", "")]
                out += [f"{i}. {point}" for i, point in enumerate(x["points"], 1)] + [""]
    out.append("# Møder og workshops\n")
    for e in data["events"]:
        out += [f"## {e['title']}\n", f"*{e['date']}, {e['place']}*\n", e["background"], e["method"]]
        out += [photo(ph) for ph in e.get("photos", [])]
    out += ["# Gode historier\n", data["publication"].get("stories_intro", "")]
    for s in data["stories"]:
        teller = people[s["teller"]["participant"]] if "participant" in s["teller"] else s["teller"]
        out += [f"## {s['title']}\n", f"*{who(teller)} – {s['workplace']}, {s['date']}*\n"]
        if s.get("photo"):
            out.append(photo(s["photo"]))
        out.append(s["body"])
    out.append("# Kilder\n")
    out += [f"- {s['title']}. {s['publisher']}, {s['date']}." for s in pub.get("sources", [])] + [""]
    out.append("# Deltagere\n")
    out += [f"- {who(p)}" for p in data["participants"].values() if p["consent"] != "anonymous"] + [""]
    return "\n".join(out)


def debate_paper(data: dict[str, Any]) -> str:
    """The debate paper as one Markdown document."""
    pub, people, paper = data["publication"], data["participants"], data["publication"]["debate_paper"]
    out = [f'---\ntitle: "{paper["title"]}"\nlang: da\n---\n', paper["main_message"], "## Nøgletal\n"]
    out += [*figures(data, True), ""]
    statements = [s for e in data["events"] for s in e.get("statements", []) if s.get("highlight")]
    proposals = [p for e in data["events"] for p in e.get("proposals", []) if p.get("debate_paper")]
    for theme in data["themes"]:
        tid = theme["id"]
        out += [f"# {theme['title']}\n", theme["introduction"]]
        out += [f"> {s['text']}\n>\n> — {who(people[s['speaker']])}\n" for s in statements if tid in s["themes"]]
        out += [f"### {p['title']}\n\n{p['summary']}" for p in proposals if p["themes"][0] == tid]
        out += ["## Spørgsmål til debat\n", *[f"- {q}" for q in theme.get("questions", [])], ""]
    out += ["# Tag debatten\n", paper["call_to_action"], f"*{pub['organisation']}*\n"]
    return "\n".join(out)


def write(project: Path, out: Path) -> list[Path]:
    """Write compendium.md and debate-paper.md into out; return their paths."""
    data = load(project)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in (("compendium", compendium), ("debate-paper", debate_paper)):
        path = out / f"{name}.md"
        path.write_text(make(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the Markdown documents."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.markdown", description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    for path in write(args.project, args.out):
        print(f"Wrote {path}")


if __name__ == "__main__":
    main()
