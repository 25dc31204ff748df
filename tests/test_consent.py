"""The consent package: every rule about what may be printed is defined once."""

from __future__ import annotations

import typing

from compendium import cli
from compendium.commands import importer
from compendium.consent import policy
from compendium.content import model as m


def test_the_consent_values_are_the_models() -> None:
    assert policy.CONSENTS is m.CONSENTS
    assert typing.get_args(m.Consent) == m.CONSENTS
    assert (policy.NAMED, policy.ROLE_ONLY, policy.ANONYMOUS, policy.WITHDRAWN) == m.CONSENTS
    assert policy.DEFAULT_CONSENT in m.CONSENTS
    assert set(importer.CONSENT_ANSWERS.values()) == set(m.CONSENTS) - {policy.WITHDRAWN}
    assert {c.value for c in cli.Consent} == set(m.CONSENTS)


def test_a_teller_without_consent_is_treated_as_anonymous_everywhere() -> None:
    teller = m.Teller(name="Anna Berg", role="sagsbehandler", workplace="Jobcenter Aarhus")
    assert policy.consent_of(teller) == policy.DEFAULT_CONSENT == "anonymous"
    assert policy.shown_fields(teller, "public") == (None, None, None)
    assert policy.shown_fields(teller, "internal") == ("Anna Berg", "sagsbehandler", "Jobcenter Aarhus")
    assert not policy.listed(teller, "public") and policy.counted(teller, "public")


def test_only_known_consents_other_than_named_withhold_a_name_from_free_text() -> None:
    assert [c for c in m.CONSENTS if policy.withholds_name(c)] == ["role-only", "anonymous", "withdrawn"]
    assert not policy.withholds_name(None) and not policy.withholds_name("maybe")
