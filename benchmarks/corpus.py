"""Generate a complete, valid compendium project of any size, for benchmarks and scale tests.

    python -m benchmarks.corpus --stories 1000 --proposals 500 --out /tmp/corpus [--seed 1]

The publication, themes and key figures are the example project's own; the
participants, events (with statements, proposals, wishes and practice
examples) and stories are generated from Danish phrases. The same seed gives
the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import phrases as p

EXAMPLE = Path(__file__).resolve().parent.parent
# Copied as they are: the example's publication, themes and key figures, and the files of its brand (the logo).
COPIED = ("publication.yaml", "themes.yaml", "key-figures.yaml")
COPIED_FOLDERS = ("brand",)
SOURCES = ("artikel-2021-amager", "artikel-2023-midtvest")
CONSENTS = ("named", "role-only", "anonymous")
# One story in PHOTO_EVERY has a photo; photos are small, as the tool should scale them anyway.
PHOTO_EVERY = 5
PHOTO_SIZE = (480, 320)
STORIES_PER_EVENT = 25


@dataclass
class Corpus:
    """The generated files, as plain data keyed by their path inside the project."""

    yaml_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    photos: dict[str, bytes] = field(default_factory=dict)


def slug(text: str) -> str:
    """Turn a title or name into an id: lower case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9æøå]+", "-", text.lower()).strip("-")


def sentence(rng: random.Random) -> str:
    """Build one Danish sentence from a subject, a verb, an object and an ending."""
    opener = rng.choice(p.OPENERS)
    subject = rng.choice(p.SUBJECTS)
    if opener:
        # Danish word order after an opener: verb before subject ("Derfor får borgeren ...").
        verb, _, rest = rng.choice(p.VERBS).partition(" ")
        text = f"{opener}{verb} {subject} {rest + ' ' if rest else ''}{rng.choice(p.OBJECTS)}"
    else:
        text = f"{subject[0].upper()}{subject[1:]} {rng.choice(p.VERBS)} {rng.choice(p.OBJECTS)}"
    text += rng.choice(p.ENDINGS)
    if rng.random() < 0.15:
        words = text.split(" ")
        i = max(range(1, len(words)), key=lambda k: (len(words[k]), k))
        words[i] = f"*{words[i]}*" if rng.random() < 0.6 else f"**{words[i]}**"
        text = " ".join(words)
    return text + "."


def paragraph(rng: random.Random, low: int = 3, high: int = 7) -> str:
    """Build a paragraph of a few sentences, wrapped as an editor would."""
    return wrap(" ".join(sentence(rng) for _ in range(rng.randint(low, high))))


def wrap(text: str, width: int = 78) -> str:
    """Wrap text at spaces, keeping Markdown intact."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


def body(rng: random.Random) -> str:
    """Build a story body: paragraphs of varying length, sometimes a list or a quote."""
    blocks = [paragraph(rng) for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 7)))]
    if rng.random() < 0.35:
        items = [f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))]
        blocks.insert(rng.randrange(1, len(blocks) + 1), "\n".join(items))
    if rng.random() < 0.3:
        blocks.insert(rng.randrange(0, len(blocks) + 1), f"> »{rng.choice(p.QUOTES)}«")
    return "\n\n".join(blocks) + "\n"


def themes(rng: random.Random) -> list[str]:
    """Pick one to three themes."""
    return sorted(rng.sample(p.THEMES, rng.choice((1, 1, 2, 2, 3))), key=p.THEMES.index)


def date(rng: random.Random, start: dt.date, days: int) -> dt.date:
    """Pick a date in [start, start + days)."""
    return start + dt.timedelta(days=rng.randrange(days))


def photo(rng: random.Random, label: str) -> bytes:
    """Draw a small, deterministic JPEG: a gradient with a few shapes."""
    from PIL import Image, ImageDraw

    width, height = PHOTO_SIZE
    top = tuple(rng.randrange(40, 220) for _ in range(3))
    bottom = tuple(rng.randrange(40, 220) for _ in range(3))
    image = Image.new("RGB", PHOTO_SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(rng.randint(2, 6)):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(15, 80)
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x - r, y - r, x + r, y + r], fill=colour)
    draw.text((10, height - 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def unique_names(rng: random.Random, count: int) -> list[str]:
    """Draw count different full names, with a middle name when two-part names run out.

    Names never repeat: one person's withheld name must not be another's printed one.
    """
    firsts, lasts = len(p.FIRST_NAMES), len(p.LAST_NAMES)
    pairs = firsts * lasts
    limit = min(pairs * (1 + 2 * math.ceil(count / pairs)), pairs * (1 + len(p.MIDDLE_NAMES)))
    if count > limit:
        raise ValueError(f"at most {limit} different names; ask for fewer stories")
    names = []
    for k in rng.sample(range(limit), count):
        first, last, middle = p.FIRST_NAMES[k % firsts], (k // firsts) % lasts, k // pairs
        if middle:
            names.append(f"{first} {p.MIDDLE_NAMES[middle - 1]} {p.LAST_NAMES[last]}")
        else:
            names.append(f"{first} {p.LAST_NAMES[last]}")
    return names


def participants(rng: random.Random, count: int, names: list[str]) -> list[dict[str, Any]]:
    """Make participants across the job centres, cycling through the three consent levels."""
    people = []
    for i in range(count):
        name = names.pop()
        municipality = p.MUNICIPALITIES[i % len(p.MUNICIPALITIES)]
        consent = CONSENTS[i % len(CONSENTS)]
        # Withheld names never make it into ids: an id is printed in the HTML.
        ident = f"{slug(name)}-{i + 1}" if consent == "named" else f"deltager-{i + 1}"
        people.append(
            {
                "id": ident,
                "name": name,
                "role": rng.choice(p.ROLES),
                "workplace": f"Jobcenter {municipality}",
                "municipality": municipality,
                "consent": consent,
            }
        )
    return people


def event(
    rng: random.Random, index: int, people: list[dict[str, Any]], proposals: int, photo_file: str | None
) -> dict[str, Any]:
    """Make one event with statements by its participants, proposals, wishes and perhaps a practice example."""
    municipality = p.MUNICIPALITIES[index % len(p.MUNICIPALITIES)]
    when = date(rng, dt.date(2021, 1, 1), 5 * 365)
    ident = f"{when.year}-{slug(municipality)}-{index + 1}"
    kind = ("workshop", "meeting", "conference")[index % 3]
    ids = [person["id"] for person in people]
    data: dict[str, Any] = {
        "id": ident,
        "kind": kind,
        "title": f"{'Workshop' if kind == 'workshop' else 'Møde' if kind == 'meeting' else 'Konference'} "
        f"om fremtidens beskæftigelsesindsats i {municipality}",
        "date": when,
        "place": f"Jobcenter {municipality}",
        "duration": f"{rng.randint(2, 9)} timer",
        "organiser": f"HK Kommunal {municipality}",
        "facilitator": ids[0],
        "participants": ids[1:],
        "participants_note": paragraph(rng, 1, 2) + "\n",
        "sources": [SOURCES[index % 2]],
        "background": paragraph(rng) + "\n\n" + paragraph(rng) + "\n",
        "method": paragraph(rng, 2, 4) + "\n",
    }
    if photo_file:
        data["photos"] = [
            {
                "file": photo_file,
                "caption": f"Pladsholderbillede: deltagerne i {municipality} i gang med arbejdet.",
                "alt": f"Pladsholder for et billede fra mødet i {municipality}.",
                "credit": "Pladsholder – genereret",
            }
        ]
    data["statements"] = [
        {
            "id": f"{ident}-udsagn-{i + 1}",
            "speaker": speaker,
            "themes": themes(rng),
            "text": wrap(" ".join(sentence(rng) for _ in range(rng.randint(1, 4)))).replace("*", ""),
            "highlight": rng.random() < 0.1,
        }
        for i, speaker in enumerate(ids)
    ]
    data["proposals"] = [
        {
            "id": f"{ident}-forslag-{i + 1}",
            "title": rng.choice(p.PROPOSAL_TITLES),
            "themes": themes(rng),
            "summary": paragraph(rng, 1, 3) + "\n",
            "rationale": paragraph(rng, 2, 6) + "\n",
            "origin": {"participants": sorted(rng.sample(ids, min(len(ids), rng.randint(1, 2))))},
            "status": rng.choice(("idea", "proposed", "proposed", "adopted", "rejected")),
            "debate_paper": rng.random() < 0.05,
        }
        for i in range(proposals)
    ]
    data["wishes"] = {
        "keep": [{"text": text, "themes": themes(rng)} for text in rng.sample(p.WISHES_KEEP, 2)],
        "discard": [{"text": text, "themes": themes(rng)} for text in rng.sample(p.WISHES_DISCARD, 2)],
    }
    if index % 4 == 0:
        data["practice_examples"] = [
            {
                "id": f"{ident}-praksis",
                "title": f"Sådan gør de i Jobcenter {municipality}",
                "organisation": f"Jobcenter {municipality}",
                "introduction": paragraph(rng, 1, 2) + "\n",
                "points": [sentence(rng).replace("*", "") for _ in range(rng.randint(2, 5))],
                "themes": themes(rng),
            }
        ]
    return data


def story(
    rng: random.Random,
    index: int,
    people: list[dict[str, Any]],
    events: list[str],
    photo_file: str | None,
    names: list[str],
) -> dict[str, Any]:
    """Make one story, told by a participant or by a teller with their own consent."""
    title = rng.choice(p.STORY_TITLES)
    municipality = p.MUNICIPALITIES[rng.randrange(len(p.MUNICIPALITIES))]
    data: dict[str, Any] = {
        "id": f"historie-{index + 1:05d}",
        "title": title,
        "workplace": f"Jobcenter {municipality}",
        "municipality": municipality,
    }
    if rng.random() < 0.3:
        data["teller"] = {"participant": rng.choice(people)["id"]}
    else:
        data["teller"] = {
            "name": names.pop(),
            "role": rng.choice(p.ROLES),
            "workplace": f"Jobcenter {municipality}",
            "consent": CONSENTS[index % len(CONSENTS)],
        }
    data["date"] = date(rng, dt.date(2022, 1, 1), 4 * 365)
    if rng.random() < 0.3:
        data["event"] = rng.choice(events)
    data["themes"] = themes(rng)
    data["example"] = True
    if photo_file:
        data["photo"] = {
            "file": photo_file,
            "caption": f"Pladsholderbillede til historien »{title}«.",
            "alt": f"Pladsholder for et billede fra Jobcenter {municipality}.",
            "credit": "Pladsholder – genereret",
        }
    data["body"] = body(rng)
    return data


def generate(stories: int, proposals: int, seed: int = 1) -> Corpus:
    """Generate the corpus in memory: every file of the project except the copied ones."""
    rng = random.Random(seed)
    corpus = Corpus()
    n_events = max(2, math.ceil(stories / STORIES_PER_EVENT), math.ceil(proposals / 40))
    people_per_event = 6
    names = unique_names(rng, n_events * people_per_event + stories)
    people = participants(rng, n_events * people_per_event, names)
    corpus.yaml_files["inputs/participants.yaml"] = {"participants": people}
    event_ids = []
    for i in range(n_events):
        share = proposals // n_events + (1 if i < proposals % n_events else 0)
        photo_file = f"inputs/photos/begivenhed-{i + 1}.jpg" if i % 3 == 0 else None
        if photo_file:
            corpus.photos[photo_file] = photo(rng, f"begivenhed {i + 1}")
        data = event(rng, i, people[i * people_per_event : (i + 1) * people_per_event], share, photo_file)
        corpus.yaml_files[f"inputs/events/{data['id']}.yaml"] = data
        event_ids.append(data["id"])
    for i in range(stories):
        photo_file = f"inputs/photos/historie-{i + 1:05d}.jpg" if i % PHOTO_EVERY == 0 else None
        if photo_file:
            corpus.photos[photo_file] = photo(rng, f"historie {i + 1}")
        data = story(rng, i, people, event_ids, photo_file, names)
        corpus.yaml_files[f"inputs/stories/{data['id']}.yaml"] = data
    corpus.photos["inputs/photos/forside.jpg"] = photo(rng, "forside")
    return corpus


class _Dumper(yaml.SafeDumper):
    """A safe dumper that writes text of several lines as a literal block, as editors do."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Represent multi-line text as a `|` block, everything else as usual."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump(data: dict[str, Any]) -> str:
    """Write YAML the way an editor would: keys in order, Danish letters as they are."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def write(corpus: Corpus, out: Path) -> None:
    """Write the project: compendium.yaml, the copied example files, YAML and photos."""
    if out.exists():
        shutil.rmtree(out)
    (out / "inputs").mkdir(parents=True)
    (out / "compendium.yaml").write_text("inputs: inputs\ntemplates: templates\noutput: build\n", encoding="utf-8")
    for name in COPIED:
        shutil.copyfile(EXAMPLE / "inputs" / name, out / "inputs" / name)
    for name in COPIED_FOLDERS:
        shutil.copytree(EXAMPLE / "inputs" / name, out / "inputs" / name)
    for name, data in corpus.yaml_files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
    for name, jpeg in corpus.photos.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(jpeg)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, required=True, help="number of stories")
    parser.add_argument("--proposals", type=int, default=None, help="number of proposals (default: stories / 2)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to (re)create")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    proposals = args.stories // 2 if args.proposals is None else args.proposals
    write(generate(args.stories, proposals, args.seed), args.out)
    print(f"Wrote {args.stories} stories and {proposals} proposals to {args.out}")


if __name__ == "__main__":
    main()
