"""Matching's pages: a lot's ranking (coordinators), the public rules, and new rules (staff put
them to the associates' decision, which publishes them)."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from guichet.governance.models import Proposal, ProposalKind, ProposalStatus
from guichet.needs.demo import QUALIFIED_TITLE
from guichet.needs.models import Lot, MatchingRules, MatchingRun
from guichet.needs.services import matching as matching_service
from guichet.needs.services.matching import lot_rank, run_result
from guichet.network.models import Commune, Organisation, Software, SoftwareLink
from guichet.network.tests.deciding import decided

pytestmark = pytest.mark.django_db


def _lot(position: int) -> Lot:
    return Lot.objects.select_related("request", "commune", "request__commune").get(
        request__title=QUALIFIED_TITLE, position=position
    )


def _url(name: str, *args: Any) -> str:
    """The page's path without a language prefix (French), whatever language a request left
    active: add "/en" in front for the English page."""
    with translation.override("fr"):
        return reverse(name, args=args)


def _ranking_url(lot: Lot, **query: Any) -> str:
    url = _url("needs:coordination_lot_ranking", lot.pk)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _text(response: Any) -> str:
    """The page's visible text, tags dropped and spaces squeezed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _ranked_names(response: Any) -> list[str]:
    """The organisations of the ranking table, in the order shown."""
    html = response.content.decode()
    body = html.split('<table class="ranking">', 1)[1].split("</table>", 1)[0]
    return [
        unescape(re.sub(r"<[^>]+>", "", cell)).split(" brought by")[0].strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', body, flags=re.S)
    ]


# --- A lot's ranking ---------------------------------------------------------------------


def test_the_demo_glpi_lot_shows_its_recorded_ranking_explained(demo: Any, client_as: Any) -> None:
    lot = _lot(1)
    run = lot.runs.first()
    assert run is not None, "the demo ranks the qualified request's lots"

    response = client_as(demo["coordinator"]).get("/en" + _ranking_url(lot))

    assert response.status_code == 200
    text = _text(response)
    assert _ranked_names(response) == [entry["name"] for entry in run_result(run)["ranked"]]
    assert "edits GLPI" in text
    assert "maintains GLPI" in text
    assert re.search(r"\d+ km away", text)
    # The member in Besançon integrates GLPI, but is too far for on-site work in Lyon.
    assert re.search(
        r"Tickets Libres — beyond the 150 km radius for on-site work \(1\d\d km\)", text
    )
    assert "recomputing from the record gives the same ranking" in text
    assert f"version {run.rules.version}" in text
    # Profiles are linked by slug.
    assert _url("network:organisation", "teclib-sud-est") in response.content.decode()


def test_editors_come_before_integrators_on_the_glpi_lot(demo: Any, client_as: Any) -> None:
    # A member close to Lyon that only integrates GLPI: near, but farther from the code.
    near = Organisation.objects.get(slug="rhone-alpes-hebergement")
    SoftwareLink.objects.create(
        organisation=near, software=Software.objects.get(slug="glpi"), role="integrator"
    )
    lot = _lot(1)
    client = client_as(demo["coordinator"])
    client.post("/en" + _ranking_url(lot))

    names = _ranked_names(client.get("/en" + _ranking_url(lot)))

    assert names.index("Parc Ouvert") < names.index("Hébergement Rhône-Alpes")
    assert names.index("Libre et Local") < names.index("Hébergement Rhône-Alpes")
    text = _text(client.get("/en" + _ranking_url(lot)))
    assert "integrates GLPI (declared, not proven)" in text


def test_rank_now_records_a_new_run_and_comes_back(demo: Any, client_as: Any) -> None:
    lot = _lot(2)
    before = lot.runs.count()

    response = client_as(demo["coordinator"]).post(_ranking_url(lot))

    assert response.status_code == 302
    assert response["Location"] == _ranking_url(lot)
    assert lot.runs.count() == before + 1
    assert lot.runs.first().created_by == demo["coordinator"]


def _unplaced(lot: Lot) -> Commune:
    """Give the lot a commune without coordinates; return the one it had."""
    before = lot.commune or lot.request.commune
    lot.commune = Commune.objects.create(
        insee_code="99999", name="Sans-Coordonnées", department=before.department
    )
    lot.save()
    return before


def test_an_on_site_lot_whose_place_is_unknown_is_not_ranked_until_fixed(
    demo: Any, client_as: Any
) -> None:
    lot = _lot(1)
    assert lot.on_site
    before = _unplaced(lot)
    runs = lot.runs.count()
    client = client_as(demo["coordinator"])
    page = unescape(client.get(_ranking_url(lot)).content.decode())
    # Said before anyone tries, in French, with the way to fix it.
    assert (
        "Ce lot sur place ne peut pas encore être classé\u00a0: son lieu n'a pas de "
        "coordonnées connues, le rayon du travail sur place ne peut donc pas s'appliquer."
    ) in page
    assert "Donner une commune au lot" in page
    response = client.post(_ranking_url(lot), follow=True)
    assert lot.runs.count() == runs, "no ranking without the radius"
    assert "Ce lot est sur place mais son lieu n'a pas de coordonnées connues" in unescape(
        response.content.decode()
    )
    english = _text(client.post("/en" + _ranking_url(lot), follow=True))
    assert "This lot is on-site but its place has no known coordinates" in english
    with pytest.raises(matching_service.MatchingError) as refused:
        lot_rank(lot=_lot(1), by=demo["coordinator"])
    assert refused.value.code == "onsite_place_unknown"
    # Fixed: ranked again, within the radius.
    lot.commune = before
    lot.save()
    client.post(_ranking_url(lot))
    assert lot.runs.count() == runs + 1
    excluded = {e["reason"]["code"] for e in run_result(lot.runs.first())["excluded"]}
    assert "beyond_radius" in excluded


def test_an_on_site_lot_falling_back_on_an_unplaced_request_is_refused_too(demo: Any) -> None:
    lot = _lot(1)
    _unplaced(lot)
    lot.request.commune = lot.commune
    lot.request.save()
    lot.commune = None
    lot.save()
    with pytest.raises(matching_service.MatchingError):
        lot_rank(lot=_lot(1), by=demo["coordinator"])


def test_a_remote_lot_never_shows_a_distance(demo: Any, client_as: Any) -> None:
    lot = _lot(2)
    assert not lot.on_site
    run = lot_rank(lot=lot, by=demo["coordinator"])
    for entry in run_result(run)["ranked"]:
        for component in entry["components"]:
            if component["name"] == "proximity":
                assert component["reason"] == {"code": "remote", "params": {}}
                assert component["value"] == 0.5
    page = unescape(client_as(demo["coordinator"]).get(_ranking_url(lot)).content.decode())
    assert "la distance ne compte pas pour un travail à distance (identique pour tous)" in page
    assert not re.search(r"à \d+ km", page)


def test_earlier_rankings_can_be_shown_but_only_the_lot_s_own(demo: Any, client_as: Any) -> None:
    lot, other = _lot(1), _lot(2)
    earlier = lot.runs.first()
    lot_rank(lot=lot, by=demo["coordinator"])
    client = client_as(demo["coordinator"])

    page = client.get("/en" + _ranking_url(lot, run=earlier.pk))
    assert page.status_code == 200
    assert "This is not the latest ranking of the lot." in _text(page)
    assert f'<option value="{earlier.pk}" selected>' in page.content.decode()

    assert client.get(_ranking_url(lot, run=other.runs.first().pk)).status_code == 404
    assert client.get(_ranking_url(lot, run="abc")).status_code == 404
    assert client.get(_ranking_url(lot, run=999999)).status_code == 404


def test_a_lot_not_ranked_yet_says_so(demo: Any, client_as: Any) -> None:
    lot = _lot(2)
    MatchingRun.objects.filter(lot=lot).delete()

    response = client_as(demo["coordinator"]).get("/en" + _ranking_url(lot))

    assert response.status_code == 200
    assert "This lot has not been ranked yet" in _text(response)


def test_a_tampered_record_is_flagged(demo: Any, client_as: Any) -> None:
    run = _lot(1).runs.first()
    run.inputs["lot"]["person_days"] *= 40  # the record no longer says what was ranked
    run.save()

    text = _text(client_as(demo["coordinator"]).get("/en" + _ranking_url(_lot(1))))

    assert "Warning: recomputing from the record gives a different ranking" in text
    assert "recomputing from the record gives the same ranking" not in text


def test_a_brought_provider_is_marked(demo: Any, client_as: Any) -> None:
    from guichet.needs.models import ShortlistEntry

    lot = _lot(2)
    outsider = Organisation.objects.create(name="Prestataire du Client", slug="prestataire")
    ShortlistEntry.objects.create(lot=lot, organisation=outsider, brought_by_client=True)
    lot_rank(lot=lot, by=demo["coordinator"])

    response = client_as(demo["coordinator"]).get("/en" + _ranking_url(lot))

    assert "Prestataire du Client brought by the client" in _text(response)
    # Not a member: no public profile to link to.
    assert _url("network:organisation", "prestataire") not in response.content.decode()


def test_only_coordinators_see_a_ranking(demo: Any, client: Any) -> None:
    url = _ranking_url(_lot(1))
    assert client.get(url).status_code == 302
    for key in ("member", "associate", "client"):
        client.force_login(demo[key])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert _lot(1).runs.count() == 1


def test_the_ranking_page_takes_a_fixed_number_of_queries(
    demo: Any, client_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_as(demo["coordinator"])
    glpi, files = _lot(1), _lot(2)
    for _ in range(3):
        lot_rank(lot=files, by=demo["coordinator"])
    with CaptureQueriesContext(connection) as few:
        client.get(_ranking_url(glpi))
    with CaptureQueriesContext(connection) as more:
        client.get(_ranking_url(files))
    assert len(few) == len(more)
    with django_assert_max_num_queries(12):
        client.get(_ranking_url(files))


# --- The rules, public -------------------------------------------------------------------


def test_the_rules_page_states_the_numbers_in_force(client: Any) -> None:
    response = client.get("/en" + _url("needs:matching_rules"))

    assert response.status_code == 200
    text = _text(response)
    for words in (
        "Software fit 45%",
        "Proximity 20%",
        "Capacity 10%",
        "Client satisfaction 15%",
        "Fair spread 10%",
        "Editor 100%",
        "Maintainer 90%",
        "Integrator 45%",
        "verified by a coordinator: 100% of it",
        "with evidence (a repository, commits, a public page): 85%",
        "only declared: 70%",
        "farther than 150 km",
        "50 at 200 km",
        "a neutral 3/5, as if it also had 5 neutral ratings",
        "over the last 365 days",
        "50 at 40 days received",
        "or over 3 months when it has no dates",
        "recomputing it must give the same ranking",
    ):
        assert words in text, words
    # Worked examples come from the engine: 200 / (200 + 200) = 50, 200 / (200 + 0) = 100.
    assert "200 km 50" in text
    assert "0 km 100" in text


def test_the_long_form_is_linked_when_the_source_is_published(client: Any, settings: Any) -> None:
    url = "/en" + _url("needs:matching_rules")
    assert "docs/algorithms/matching.md" not in client.get(url).content.decode()

    settings.GUICHET_SOURCE_URL = "https://forge.example/guichet.git"

    assert (
        'href="https://forge.example/guichet/blob/HEAD/docs/algorithms/matching.md"'
        in client.get(url).content.decode()
    )


def _form_data(**changes: Any) -> dict[str, Any]:
    current = MatchingRules.objects.order_by("-version").first()
    parameters = current.parameters
    data: dict[str, Any] = {
        **{f"weight_{k}": v for k, v in parameters["weights"].items()},
        **{f"role_{k}": v for k, v in parameters["role_weights"].items()},
        **{k: v for k, v in parameters.items() if k not in {"weights", "role_weights", "version"}},
        "note": "Rayon élargi pour les départements ruraux.",
    }
    data.update(changes)
    return data


def test_the_form_starts_from_the_rules_in_force(demo: Any, client_as: Any) -> None:
    response = client_as(demo["staff"]).get("/en" + _url("needs:matching_rules_new"))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'name="weight_fit" value="0.45"', html)
    assert re.search(r'name="onsite_radius_km" value="150"', html)
    assert re.search(r'name="spread_window_days" value="365"', html)
    assert '<label for="id_onsite_radius_km">Radius for on-site work (km)' in html


def test_staff_put_new_rules_to_the_associates_whose_decision_publishes_them(
    demo: Any, client_as: Any
) -> None:
    current = MatchingRules.objects.order_by("-version").first()
    client = client_as(demo["staff"])

    response = client.post(
        _url("needs:matching_rules_new"), _form_data(onsite_radius_km="300", weight_fit="0.5")
    )

    assert response.status_code == 302
    proposal = Proposal.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert response["Location"] == _url("governance:proposal", proposal.reference)
    assert proposal.kind == ProposalKind.RULE_CHANGE
    assert proposal.status == ProposalStatus.DISCUSSION
    assert proposal.author == demo["staff"]
    assert proposal.payload["matching"]["onsite_radius_km"] == 300.0
    assert proposal.payload["note"] == "Rayon élargi pour les départements ruraux."
    assert "**300**" in proposal.text  # what changes stands out, next to the value in force
    assert MatchingRules.objects.order_by("-version").first() == current  # not before they decide
    # The form's page lists the rule changes under decision.
    page = client.get("/en" + _url("needs:matching_rules_new"))
    assert proposal in page.context["open_decisions"]
    assert "/en" + _url("governance:proposal", proposal.reference) in page.content.decode()

    decided(proposal)

    published = MatchingRules.objects.order_by("-version").first()
    assert published.version == current.version + 1
    assert published.decision_reference == proposal.reference
    assert published.parameters["onsite_radius_km"] == 300.0
    assert published.parameters["weights"]["fit"] == 0.5
    assert published.note == "Rayon élargi pour les départements ruraux."
    assert str(published.version) in Proposal.objects.get(pk=proposal.pk).effect_applied
    public = client.get("/en" + _url("needs:matching_rules"))
    text = _text(public)
    assert "farther than 300 km" in text
    # 0.5 out of 0.5 + 0.2 + 0.1 + 0.15 + 0.1 = 1.05
    assert "Software fit 47.6%" in text
    assert "Rayon élargi pour les départements ruraux." in text
    # The version links back to its decision in the public log.
    assert "/en" + _url("governance:log_entry", proposal.reference) in public.content.decode()
    # The earlier version stays readable, with its own numbers.
    old = _text(client.get("/en" + _url("needs:matching_rules_version", current.version)))
    assert "farther than 150 km" in old
    assert "it is no longer in force" in old
    # The next ranking uses the new rules.
    assert lot_rank(lot=_lot(1), by=demo["coordinator"]).rules == published


def test_new_rules_not_adopted_leave_the_rules_in_force(demo: Any, client_as: Any) -> None:
    current = MatchingRules.objects.order_by("-version").first()
    response = client_as(demo["staff"]).post(
        _url("needs:matching_rules_new"), _form_data(weight_fit="0.5")
    )
    proposal = Proposal.objects.get(reference=response["Location"].rstrip("/").rsplit("/", 1)[1])

    decided(proposal, adopted=False)

    assert MatchingRules.objects.order_by("-version").first() == current


def test_a_coordinator_who_is_not_staff_cannot_publish(demo: Any, client_as: Any) -> None:
    before = MatchingRules.objects.count()
    client = client_as(demo["coordinator"])

    assert client.get(_url("needs:matching_rules_new")).status_code == 403
    response = client.post(_url("needs:matching_rules_new"), _form_data(onsite_radius_km="300"))

    assert response.status_code == 403
    assert MatchingRules.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_fit": "1.5"}, "Enter a number between 0 and 1."),
        ({"weight_spread": "-0.1"}, "Enter a number between 0 and 1."),
        ({"role_editor": "2"}, "Enter a number between 0 and 1."),
        ({"onsite_radius_km": "0"}, "Enter a number greater than 0."),
        ({"satisfaction_prior_mean": "6"}, "Enter a number between 1 and 5."),
        ({"spread_window_days": "abc"}, "Enter a whole number."),
        ({"note": ""}, "This field is required."),
        (
            {
                f"weight_{c}": "0"
                for c in ("fit", "proximity", "capacity", "satisfaction", "spread")
            },
            "At least one component must weigh more than 0.",
        ),
        ({}, "These are the rules in force already: change at least one number."),
    ],
)
def test_invalid_rules_are_refused_and_nothing_is_published(
    demo: Any, client_as: Any, changes: dict[str, Any], message: str
) -> None:
    before = MatchingRules.objects.count()
    proposals = Proposal.objects.filter(kind=ProposalKind.RULE_CHANGE).count()

    response = client_as(demo["staff"]).post(
        "/en" + _url("needs:matching_rules_new"), _form_data(**changes)
    )

    assert response.status_code == 400
    assert message in _text(response)
    assert "Nothing was saved" in _text(response)
    assert MatchingRules.objects.count() == before
    assert Proposal.objects.filter(kind=ProposalKind.RULE_CHANGE).count() == proposals


def test_what_the_engine_refuses_is_explained(
    demo: Any, client_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> None:
        raise ValueError("radius, half-distances, windows and priors must be positive")

    monkeypatch.setattr("guichet.needs.views.matching.matching_rules_put_to_decision", refuse)

    response = client_as(demo["staff"]).post(
        "/en" + _url("needs:matching_rules_new"), _form_data(onsite_radius_km="300")
    )

    assert response.status_code == 400
    assert "The radius, the distances, the periods and the neutral weight must be" in _text(
        response
    )


def test_a_long_ranking_shows_the_explained_best_and_counts_the_rest(
    demo: Any, client_as: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(matching_service, "EXPLAINED", 1)
    lot = Lot.objects.select_related("request", "commune", "request__commune").get(
        request__title=QUALIFIED_TITLE, position=1
    )
    run = lot_rank(lot=lot, by=demo["coordinator"])
    assert len(run_result(run)["ranked"]) == 3
    page = client_as(demo["coordinator"]).get(
        reverse("needs:coordination_lot_ranking", args=[lot.pk]) + f"?run={run.pk}"
    )
    assert page.status_code == 200
    assert page.context["rows"][0]["name"] == run_result(run)["ranked"][0]["name"]
    assert len(page.context["rows"]) == 1
    assert page.context["unexplained"] == 2
    assert page.context["replays"] is True
