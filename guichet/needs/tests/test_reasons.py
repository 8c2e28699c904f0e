"""The engine's reasons in plain words: every code, the plural forms, numbers in the locale.

English sentences are pinned word for word. In French, the numbers follow the French format
now; the words come from the French catalogue (locale/), written later: the French sentences
are pinned as soon as the catalogue translates them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from guichet.needs.domain.matching import Reason
from guichet.needs.reasons import (
    CLIENT,
    component_label,
    component_sentence,
    exclusion_sentence,
    number,
    plural_count,
)


def _link(role: str, software: str, *, verified: bool = False, evidence: int = 0) -> dict:
    return {"software": software, "role": role, "verified": verified, "evidence": evidence}


ENGLISH_COMPONENTS: list[tuple[str, dict[str, Any], str]] = [
    ("links", {"links": [_link("editor", "GLPI", verified=True)]}, "edits GLPI (verified)"),
    (
        "links",
        {
            "links": [
                _link("maintainer", "Nextcloud", evidence=2),
                _link("integrator", "Collabora Online"),
            ]
        },
        "maintains Nextcloud (2 pieces of evidence); "
        "integrates Collabora Online (declared, not proven)",
    ),
    (
        "links",
        {"links": [_link("core_contributor", "Moodle", evidence=1)]},
        "is a core contributor to Moodle (1 piece of evidence)",
    ),
    (
        "links",
        {"links": [_link("contributor", "Qgis")]},
        "contributes to Qgis (declared, not proven)",
    ),
    (
        "links",
        {"links": [_link("trainer", "LibreOffice", verified=True)]},
        "trains people on LibreOffice (verified)",
    ),
    ("links", {"links": [_link("host", "Peertube", verified=True)]}, "hosts Peertube (verified)"),
    ("no_link", {}, "no known link to the lot's software"),
    ("no_software", {}, "the lot names no software: the same for everyone"),
    ("distance", {"km": 45}, "45 km away"),
    ("distance", {"km": 0}, "0 km away"),
    ("distance_unknown", {}, "distance unknown"),
    ("remote", {}, "distance does not count for remote work (the same for everyone)"),
    (
        "capacity",
        {"available": 12.0, "needed": 10.0, "capacity": 20.0, "committed": 8.0},
        "12 free days a month out of 20, 8 committed to missions; 10 needed",
    ),
    (
        "capacity",
        {"available": 0.0, "needed": 10.0, "capacity": 20.0, "committed": 20.0},
        "0 free days a month out of 20, 20 committed to missions; 10 needed",
    ),
    ("capacity", {"available": 60.0, "needed": 10.0}, "60 free days a month for 10 needed"),
    ("capacity", {"available": 1.0, "needed": 6.7}, "1 free day a month for 6.7 needed"),
    ("capacity", {"available": 1.5, "needed": 2.0}, "1.5 free days a month for 2 needed"),
    ("capacity", {"available": 0.0, "needed": 4.0}, "0 free days a month for 4 needed"),
    ("rated", {"mean": 4.6, "count": 7}, "rated 4.6/5 on 7 missions"),
    ("rated", {"mean": 5.0, "count": 1}, "rated 5/5 on 1 mission"),
    (
        "rated",
        {"mean": 4.5, "count": 2, "on_software": True},
        "rated 4.5/5 on 2 missions with this software",
    ),
    ("not_rated", {}, "no mission rated yet"),
    (
        "recent_work",
        {"days": 12.0, "window_days": 365},
        "received 12 days of work in the last 365 days",
    ),
    (
        "recent_work",
        {"days": 1.0, "window_days": 365},
        "received 1 day of work in the last 365 days",
    ),
    (
        "recent_work",
        {"days": 0.5, "window_days": 365},
        "received 0.5 days of work in the last 365 days",
    ),
    ("recent_work", {"days": 0.0, "window_days": 1}, "received no work in the last 1 day"),
    ("recent_work", {"days": 0, "window_days": 90}, "received no work in the last 90 days"),
]

ENGLISH_EXCLUSIONS: list[tuple[str, dict[str, Any], str]] = [
    (
        "beyond_radius",
        {"km": 187, "radius": 150},
        "beyond the 150 km radius for on-site work (187 km)",
    ),
    ("client_organisation", {}, "the client's own organisation"),
    ("declined", {}, "declined this lot"),
    ("not_a_member", {}, "not an admitted member"),
    ("charter_not_signed", {}, "has not signed the current charter"),
    (
        "place_unknown",
        {},
        "its place has no known coordinates: it cannot be placed within the radius for "
        "on-site work",
    ),
    (
        "onsite_place_unknown",
        {},
        "the lot's place is unknown: on-site work cannot be ranked until it is given",
    ),
]


@pytest.mark.parametrize(("code", "params", "sentence"), ENGLISH_COMPONENTS)
def test_components_read_right_in_english(code: str, params: dict, sentence: str) -> None:
    with translation.override("en"):
        assert component_sentence({"code": code, "params": params}) == sentence
        # The engine's own Reason objects read the same as the recorded dictionaries.
        assert component_sentence(Reason(code, params)) == sentence


@pytest.mark.parametrize(("code", "params", "sentence"), ENGLISH_EXCLUSIONS)
def test_exclusions_read_right_in_english(code: str, params: dict, sentence: str) -> None:
    with translation.override("en"):
        assert exclusion_sentence({"code": code, "params": params}) == sentence


def test_a_client_reads_what_the_fair_spread_does_not_what_others_awarded() -> None:
    """The days a member received come from other clients' awards: a client sees the
    component's effect, never the figure; coordinators (the default) keep it."""
    reason = {"code": "recent_work", "params": {"days": 200.0, "window_days": 365}}
    with translation.override("en"):
        client = component_sentence(reason, CLIENT)
        assert client == "favours members who received less work recently"
        assert "200" not in client
        assert component_sentence(reason) == "received 200 days of work in the last 365 days"
        # Every other reason reads the same for a client.
        distance = {"code": "distance", "params": {"km": 45}}
        assert component_sentence(distance, CLIENT) == component_sentence(distance)
    with translation.override("fr"):
        assert component_sentence(reason, CLIENT) == (
            "favorise les membres qui ont reçu moins de travail récemment"
        )


# New reasons, pinned in French (no skip: they are translated with the code).
FRENCH_NEW: list[tuple[Any, dict[str, Any], str]] = [
    (
        component_sentence,
        {
            "code": "capacity",
            "params": {"available": 12.0, "needed": 10.0, "capacity": 20.0, "committed": 8.0},
        },
        "12 jours libres par mois sur 20, 8 engagés en mission\u00a0; 10 nécessaires",
    ),
    (
        component_sentence,
        {"code": "remote"},
        "la distance ne compte pas pour un travail à distance (identique pour tous)",
    ),
    (
        exclusion_sentence,
        {"code": "place_unknown"},
        "son lieu n'a pas de coordonnées connues\u00a0: impossible de le situer dans le rayon "
        "du travail sur place",
    ),
    (
        exclusion_sentence,
        {"code": "onsite_place_unknown"},
        "le lieu du lot est inconnu\u00a0: un travail sur place ne peut être classé avant "
        "qu'il soit renseigné",
    ),
]


@pytest.mark.parametrize(("describe", "reason", "sentence"), FRENCH_NEW)
def test_new_reasons_read_right_in_french(describe: Any, reason: dict, sentence: str) -> None:
    with translation.override("fr"):
        assert describe(reason) == sentence


def test_an_unknown_code_is_shown_as_such_rather_than_hidden() -> None:
    with translation.override("en"):
        assert component_sentence({"code": "mystery"}) == "unexplained reason (mystery)"
        assert exclusion_sentence(Reason("mystery")) == "unexplained reason (mystery)"


def test_component_labels() -> None:
    with translation.override("en"):
        assert [component_label(name) for name in ("fit", "spread")] == [
            "Software fit",
            "Fair spread",
        ]


@pytest.mark.parametrize(
    ("value", "decimals", "french", "english"),
    [
        (4.6, 1, "4,6", "4.6"),
        (12.0, 1, "12", "12"),
        (6.67, 1, "6,7", "6.7"),
        (0.5, 2, "0,50", "0.50"),
        (187, 0, "187", "187"),
    ],
)
def test_numbers_follow_the_locale(value: float, decimals: int, french: str, english: str) -> None:
    with translation.override("fr"):
        assert number(value, decimals) == french
    with translation.override("en"):
        assert number(value, decimals) == english


def test_a_fraction_takes_the_plural_in_english() -> None:
    assert [plural_count(v) for v in (0, 0.5, 1, 1.0, 1.5, 2, 12.3)] == [0, 2, 1, 1, 2, 2, 13]


def test_french_sentences_carry_french_numbers() -> None:
    with translation.override("fr"):
        rated = component_sentence({"code": "rated", "params": {"mean": 4.6, "count": 7}})
        capacity = component_sentence(
            {"code": "capacity", "params": {"available": 1.5, "needed": 6.7}}
        )
        spread = component_sentence(
            {"code": "recent_work", "params": {"days": 12.5, "window_days": 365}}
        )
    assert "4,6/5" in rated
    assert "7" in rated
    assert "1,5" in capacity
    assert "6,7" in capacity
    assert "12,5" in spread
    assert "365" in spread


# The French wording, pinned once the catalogue (locale/) translates it.
FRENCH: list[tuple[Any, dict[str, Any], str]] = [
    (component_sentence, {"code": "distance", "params": {"km": 45}}, "à 45 km"),
    (component_sentence, {"code": "distance_unknown"}, "distance inconnue"),
    (component_sentence, {"code": "not_rated"}, "aucune mission évaluée pour l'instant"),
    (
        component_sentence,
        {"code": "rated", "params": {"mean": 4.6, "count": 1}},
        "noté 4,6/5 sur 1 mission",
    ),
    (
        component_sentence,
        {"code": "rated", "params": {"mean": 4.6, "count": 7}},
        "noté 4,6/5 sur 7 missions",
    ),
    (
        component_sentence,
        {"code": "capacity", "params": {"available": 1.5, "needed": 2.0}},
        "1,5 jours libres par mois pour 2 nécessaires",
    ),
    (
        exclusion_sentence,
        {"code": "beyond_radius", "params": {"km": 187, "radius": 150}},
        "au-delà du rayon de 150 km pour un travail sur place (187 km)",
    ),
    (exclusion_sentence, {"code": "declined"}, "a décliné ce lot"),
]


@pytest.mark.parametrize(("describe", "reason", "sentence"), FRENCH)
def test_reasons_read_right_in_french(describe: Any, reason: dict, sentence: str) -> None:
    with translation.override("en"):
        english = describe(reason)
    with translation.override("fr"):
        french = describe(reason)
    # Untranslated, the French sentence is the English one with French numbers.
    if french == english.replace(".", ","):
        pytest.skip("The French catalogue does not translate this reason yet (locale/).")
    assert french == sentence
