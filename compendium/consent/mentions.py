"""Validation's consent rule: free text in the inputs may not name someone whose consent withholds their name.

It reads the files as parsed, so a file with a shape error elsewhere is
still checked, and one run reports every problem.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from compendium.consent.names import NameSearch
from compendium.consent.policy import PERSON, WITHDRAWN, kind_consent_problem, withholds_name
from compendium.content.load import Located
from compendium.content.validate import LocatedFile, find, strings
from compendium.errors import Problem
from compendium.messages import _

# Where the people with a consent of their own are: the participants registry and each story's teller.
PEOPLE_FILES = ("participants.yaml", "stories")
PEOPLE = (("participants", "*"), ("teller",))


def named_without_consent(files: Sequence[LocatedFile]) -> NamedWithoutConsent:
    """Make the check of each text that names someone whose consent does not allow their name, from every file."""
    return NamedWithoutConsent(_withheld([located for kind, located in files if kind in PEOPLE_FILES]))


@dataclass(frozen=True)
class NamedWithoutConsent:
    """Find, in one file, the texts that name someone whose consent withholds their name."""

    withheld: dict[str, str]  # each name free text may not hold -> its person's consent

    @functools.cached_property
    def key(self) -> str:
        """Name what the check looks for: a file's result holds while its bytes and these names are the same."""
        return hashlib.sha256(json.dumps(sorted(self.withheld.items()), ensure_ascii=False).encode()).hexdigest()

    def __call__(self, located: Located) -> list[Problem]:
        """Report each text in the file that names a withheld person."""
        if not self.withheld:
            return []
        search = _search(tuple(sorted(self.withheld.items())))
        problems = []
        for path, text in strings(located.data):
            if path and path[-1] == "name" and _is_person(located.data, path[:-1]):
                continue  # a person's name field is where a withheld name belongs (not an organisation's)
            for hit in search.finditer(text):
                name = hit.name
                fix = _fix(self.withheld[name])
                problems.append(
                    located.problem(
                        path,
                        _("names '{name}', whose consent is '{withheld}'; {fix}").format(
                            name=name, withheld=self.withheld[name], fix=fix
                        ),
                        hint=fix,
                    )
                )
        return problems


def _is_person(data: object, path: tuple[str | int, ...]) -> bool:
    """Tell whether the entry at path in a parsed file is a person (no kind, or kind person)."""
    for key in path:
        data = data[key] if isinstance(data, dict | list) else None  # type: ignore[index]
    return not isinstance(data, dict) or data.get("kind", PERSON) == PERSON


def consent_fits_kind(files: Sequence[LocatedFile]) -> ConsentFitsKind:
    """Make the check that each participant has a consent if and only if it is one person."""
    return ConsentFitsKind(frozenset(located.file for kind, located in files if kind == "participants.yaml"))


@dataclass(frozen=True)
class ConsentFitsKind:
    """Require a consent of a person, and none of a group or organisation (see policy.kind_consent_problem)."""

    registry: frozenset[str]  # the participants registry's file name (an event's list holds no consents)

    @property
    def key(self) -> str:
        """Name what the check depends on besides a file: which file is the participants registry."""
        return "consent-fits-kind:" + "\0".join(sorted(self.registry))

    def __call__(self, located: Located) -> list[Problem]:
        """Report each participant in the registry whose consent does not fit its kind."""
        if located.file not in self.registry:
            return []
        problems = []
        for path, entry in find(located.data, ("participants", "*")):
            if isinstance(entry, dict):
                found = kind_consent_problem(entry.get("kind"), entry.get("consent"))
                if found:
                    where = (*path, "consent") if "consent" in entry else path
                    problems.append(located.problem(where, found[0], hint=found[1]))
        return problems


@functools.lru_cache(maxsize=4)
def _search(withheld: tuple[tuple[str, str], ...]) -> NameSearch:
    """Build the name search once for a set of names, not once per file."""
    # A name may be broken over two lines of a block of text: any whitespace between its parts matches.
    return NameSearch(dict(withheld), "boundary")


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """Return each of the names a text holds, as validation finds them (in the genitive, or over two lines, too)."""
    names = [n.strip() for n in names if n.strip()]
    if not names:
        return []
    return list(dict.fromkeys(hit.name for hit in NameSearch(names, "boundary").finditer(text)))


def _withheld(files: Sequence[Located]) -> dict[str, str]:
    """Map each name that free text may not hold to its person's consent, as written."""
    withheld: dict[str, str] = {}
    for located in files:
        for pattern in PEOPLE:
            for _where, person in find(located.data, pattern):
                name, consent = (
                    (person.get("name"), person.get("consent")) if isinstance(person, dict) else (None, None)
                )
                person_kind = person.get("kind", PERSON) == PERSON if isinstance(person, dict) else False
                # An organisation's name is always printed; its consent, if any, is an error of its own.
                if person_kind and isinstance(name, str) and name.strip() and withholds_name(consent):
                    withheld[name.strip()] = consent
    return withheld


def _fix(consent: str) -> str:
    """Say how to fix a text that names someone with this consent."""
    return _("remove the name from this text") + (
        "" if consent == WITHDRAWN else _(", or change their consent to 'named'")
    )
