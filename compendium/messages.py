"""The language of the messages the tool prints: English, or Danish from a gettext catalog.

The CLI chooses the language once, before any message is made (`use_language`); a
message is written in English and looked up where it is made, `_("unknown theme
'{value}'").format(value=...)`, so a translator can move the placeholders. Used as a
library, the tool speaks English. The catalogs are in locale/ (`make messages`).
"""

from __future__ import annotations

import functools
import gettext
import hashlib
from pathlib import Path

DOMAIN = "compendium"
LOCALE_DIR = Path(__file__).parent / "locale"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def use_language(language: str | None) -> str:
    """Speak this language ('da', 'en', 'da_DK.UTF-8'), or the environment's (gettext's order) when None.

    Return the language chosen: a code with a catalog, or "en" for English.
    """
    global _translation
    languages = [language] if language else None  # None: LANGUAGE, LC_ALL, LC_MESSAGES, LANG
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)
    return current_language()


def current_language() -> str:
    """Return the language messages are in: "da", or "en" when no catalog is used."""
    info = _translation.info()
    return info.get("language", "en") if info else "en"


def fingerprint() -> str:
    """Name the messages' language and catalog, so a cached problem is never shown in another language."""
    return _catalog_digest(current_language())


@functools.cache
def _catalog_digest(language: str) -> str:
    """Hash a language's compiled catalog once (every cache key asks)."""
    if language == "en":
        return "en"
    catalog = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    return f"{language}:{hashlib.sha256(catalog.read_bytes()).hexdigest()}"


def _(message: str) -> str:
    """Return a message in the chosen language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the message for a count of n, in the chosen language's plural form."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message made before the language is chosen (a constant), to be looked up with _() where it is used."""
    return message
